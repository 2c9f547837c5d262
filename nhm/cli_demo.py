"""``nhm demo-data`` and the demo database behind ``nhm demo``: fictional data to try nhm on.

Exit codes as for the other data commands: 0 done, 1 invalid input (nothing written), 2 the
database cannot be used.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Annotated

import typer

from nhm import __version__
from nhm.cli_data import DbOption, JsonOption, current_actor, fail, opened_store
from nhm.demo_data import (
    MAX_MUNICIPALITIES,
    MAX_PERIODS,
    DemoSpec,
    DemoSummary,
    demo_data_conflict,
    existing_demo_data,
    generate,
    write_demo_data,
)
from nhm.model import Catalog
from nhm.store import Store, StoreError
from nhm.store.demo import DemoExample, demo_example
from nhm.store.location import demo_db_path

DEMO_SPEC = DemoSpec(municipalities=200, periods=3, seed=1)
"""What ``nhm demo`` puts into a new demo database."""
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "assessments"
"""The hand-written example files (present in a source checkout, not in an installed wheel)."""

DemoDbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Demo database file (default: nhm-demo.duckdb in your user data folder; "
        "$NHM_DB is not used, so demo data never lands in your real database).",
        show_default=False,
    ),
]


def demo_data_command(
    municipalities: Annotated[
        int,
        typer.Option(
            "--municipalities",
            help=f"How many, counties and kreisfreie Städte included (1–{MAX_MUNICIPALITIES:,}).",
        ),
    ] = DEMO_SPEC.municipalities,
    periods: Annotated[
        int, typer.Option("--periods", help=f"How many years (1–{MAX_PERIODS}).")
    ] = DEMO_SPEC.periods,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same data.")
    ] = DEMO_SPEC.seed,
    last_period: Annotated[
        int, typer.Option("--last-period", help="The last year; the others come before it.")
    ] = DEMO_SPEC.last_period,
    no_rings: Annotated[bool, typer.Option("--no-rings", help="No demo Vergleichsringe.")] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Delete all demo data first (real data is never touched). Without it, a "
            "database that holds demo data is refused.",
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write fictional demo data: municipalities (demo AGS), assessments per year, rings."""
    # No --as here on purpose: demo data is fictional and touches only demo rows, so this stays
    # a command of the local user (whoever can open the database file), like `nhm demo`.
    spec = _spec(municipalities, periods, seed, last_period, rings=not no_rings)
    catalog = _catalog()
    with opened_store(db) as store:
        counts = existing_demo_data(store)
        if not replace and any(counts.values()):  # refuse before the work of generating
            raise fail(str(demo_data_conflict(store, counts)))
        summary = write_demo_data(store, generate(spec, catalog), current_actor(), replace=replace)
        store.checkpoint()
    if as_json:
        data = {"db": str(store.path), "seed": seed, **summary.to_json()}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if summary.deleted:
        typer.echo(
            f"deleted the previous demo data first: {summary.deleted['municipality']:,} "
            f"municipalities, {summary.deleted['assessment']:,} assessment revisions, "
            f"{summary.deleted['ring']} rings"
        )
    typer.echo(f"wrote fictional demo data (seed {seed}) to {store.path}:")
    for line in _summary_lines(summary):
        typer.echo(f"  {line}")
    typer.echo("Every name and answer is invented; all of it is marked as demo data.")


def _spec(municipalities: int, periods: int, seed: int, last_period: int, rings: bool) -> DemoSpec:
    """Check every option (naming it on error) before anything is generated."""
    if not 1 <= municipalities <= MAX_MUNICIPALITIES:
        raise fail(f"--municipalities: expected 1–{MAX_MUNICIPALITIES}, found {municipalities}")
    if not 1 <= periods <= MAX_PERIODS:
        raise fail(f"--periods: expected 1–{MAX_PERIODS}, found {periods}")
    if seed < 0:
        raise fail(f"--seed: expected a whole number 0 or more, found {seed}")
    first = last_period - periods + 1
    if last_period > 2100 or first < 1990:
        raise fail(
            f"--last-period: the periods {first}–{last_period} must lie within 1990–2100, "
            f"found {last_period}"
        )
    return DemoSpec(municipalities, periods, seed, last_period, rings)


def _catalog() -> Catalog:
    from nhm.catalog import load_catalog

    catalog, _ = load_catalog()
    if not catalog.dimensions:
        raise fail("the catalog is empty: demo assessments need installed dimensions")
    return catalog


def _summary_lines(summary: DemoSummary) -> list[str]:
    first, last = summary.periods[0], summary.periods[-1]
    years = str(first) if first == last else f"{first}–{last}"
    counties = _count(summary.counties, "county", "counties")
    cities = _count(summary.kreisfreie, "kreisfreie Stadt", "kreisfreie Städte")
    lines = [
        f"{_count(summary.municipalities, 'municipality', 'municipalities')} ({counties}, "
        f"{cities}) with demo AGS (99 in digits 4–5)",
        f"{_count(summary.assessments, 'assessment', 'assessments')} for {years} "
        f"({summary.revisions:,} revisions, {summary.drafts:,} drafts, "
        f"{summary.responses:,} answers)",
    ]
    if summary.rings:
        rings = _count(summary.rings, "Vergleichsring", "Vergleichsringe")
        lines.append(f"{rings} with {summary.ring_members} members")
    return lines


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


# --- nhm demo --------------------------------------------------------------------------------


def run_demo(db: Path | None, *, serving: bool = False) -> Path:
    """Fill the demo database on first use (reuse it afterwards), say what to try and return
    its path (the app is served on it afterwards unless ``serving`` is False)."""
    from nhm.catalog import load_catalog

    catalog, host = load_catalog()
    criteria = sum(len(d.criteria) for d in catalog.dimensions)
    typer.echo(f"nhm {__version__} – demo with fictional data")
    typer.echo(
        f"Ready now: {len(catalog.dimensions)} dimensions with {criteria} criteria from "
        f"{len(host.records)} plugin(s)."
    )
    path = db.expanduser() if db is not None else demo_db_path()
    with opened_store(path) as store:
        counts = existing_demo_data(store)
        if any(counts.values()):
            state = (
                f"reused: it holds {counts['municipalities']:,} fictional municipalities "
                f"(to start over, delete the file or run `nhm demo-data --replace --db "
                f"{_quoted(store.path)}`)"
            )
        elif criteria:
            state = _fill(store, catalog)
        else:
            state = "left empty: the catalog has no criteria (see `nhm plugins`)"
        with store.cursor() as cursor:
            example = demo_example(cursor)
    typer.echo(f"Demo database (fictional data): {store.path}")
    typer.echo(f"  {state}")
    _print_tries(store.path, example, serving)
    return store.path


def _fill(store: Store, catalog: Catalog) -> str:
    summary = write_demo_data(store, generate(DEMO_SPEC, catalog), current_actor())
    state = f"created now: {_summary_lines(summary)[0]}; {summary.assessments:,} assessments"
    files = sorted(EXAMPLES_DIR.glob("*.json")) if EXAMPLES_DIR.is_dir() else []
    if files:
        state += "; " + _import_examples(store, catalog, files)
    return state


def _import_examples(store: Store, catalog: Catalog, files: list[Path]) -> str:
    """Add the hand-written examples through the ordinary importer (they use other AGS than
    the generator, see nhm.demo_data); a problem only skips them."""
    from nhm.exchange.importer import import_assessment_files

    try:
        report = import_assessment_files(store, files, catalog, current_actor())
    except StoreError as exc:
        return f"the example files in {EXAMPLES_DIR} were skipped: {exc}"
    if not report.ok:
        return f"the example files in {EXAMPLES_DIR} were skipped: {report.errors[0]}"
    return f"plus {len(files)} example files from {EXAMPLES_DIR}"


def _print_tries(path: Path, example: DemoExample | None, serving: bool) -> None:
    db = _quoted(path)
    if example is not None:
        typer.echo(
            f"In the app, choose for example {example.name} ({example.ags}), {example.period}."
        )
    if not serving:
        typer.echo(f"Start the app on it: nhm serve --db {db}")
    typer.echo("Try on the command line (while the app is stopped):")
    typer.echo(f"  nhm municipalities list --db {db}")
    if example is not None:
        where = f"--ags {example.ags} --period {example.period}"
        typer.echo(f"  nhm assessments list --db {db} --ags {example.ags}   # {example.name}")
        typer.echo(f"  nhm export --db {db} {where} --out demo.xlsx")
        typer.echo(f"  nhm benchmark --db {db} {where} --group size_class")
        if example.ring_id is not None:
            typer.echo(f"  nhm benchmark --db {db} {where} --group ring:{example.ring_id}")
    typer.echo(
        "More: nhm demo-data --help (other sizes and seeds) · nhm catalog · nhm plugins · "
        "nhm questionnaire --out fragebogen.xlsx · see docs/data.md"
    )


def _quoted(path: Path) -> str:
    return shlex.quote(str(path))


def register(app: typer.Typer) -> None:
    """Add ``nhm demo-data`` to the ``nhm`` command."""
    app.command("demo-data")(demo_data_command)
