"""``nhm`` commands that work on the database: municipalities, assessments, files in and out.

Exit codes: 0 done, 1 invalid input or refused (nothing written), 2 the database cannot be
used (for example another process holds it).

Who acts: without ``--as`` the local user, with every right – whoever can open the database
file can read and change all of it anyway, so the command line does not pretend otherwise.
With ``--as USER`` a command acts as that nhm account: its roles decide what it may read and
change (checked before anything is read or written; a refusal is logged as ``access.denied``),
and the audit log names the account as the actor.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from nhm.auth import access
from nhm.auth.access import AccessDenied, Right
from nhm.auth.principal import Principal, local_principal
from nhm.exchange.exporter import ExportFormat
from nhm.municipality import KIND_LABELS, LAENDER, Municipality, MunicipalityKind
from nhm.store import DatabaseUnavailableError, Store, StoreError, open_store, resolve_db_path

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Database file (default: $NHM_DB, else nhm.duckdb in your user data folder).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="USER",
        help="Act as this nhm account: its roles decide what you may read and change "
        "(default: you, the local user, with every right).",
        show_default=False,
    ),
]


class Lang(StrEnum):
    de = "de"
    en = "en"


class Delimiter(StrEnum):
    comma = ","
    semicolon = ";"


class Level(StrEnum):
    gemeinde = "gemeinde"
    kreis = "kreis"


class QuestionnaireFormat(StrEnum):
    xlsx = "xlsx"


def current_actor() -> str:
    """Who is acting, for the audit log: the operating-system user of this process (the
    local user; a command run with ``--as`` logs the account instead, see :func:`actor_of`)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local user"


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


# --- who acts: --as USER ---------------------------------------------------------------------


def acting_principal(store: Store, as_user: str | None, hint: str = "") -> Principal:
    """The principal a command acts as: without ``--as`` the local user with every right
    (whoever can open the database file can do everything with it anyway); with ``--as USER``
    that account's roles. An unknown or disabled account is refused (exit 1). ``hint`` is
    added to the message of an unknown account."""
    from nhm.auth.accounts import AccountRepository

    if as_user is None:
        return local_principal()
    account = AccountRepository(store).get(as_user)
    if account is None:
        raise fail(f"--as: there is no user {as_user!r}{hint}")
    if account.disabled:
        raise fail(f"--as: the account {account.username!r} is disabled")
    return account.principal()


def actor_of(principal: Principal) -> str:
    """The audit log's actor: the account's user name with ``--as``, else the OS user."""
    return current_actor() if principal.is_local else access.actor_name(principal)


def refused(principal: Principal, exc: AccessDenied) -> typer.Exit:
    """A refusal (already logged as ``access.denied``) as "error: --as USER: message"."""
    return fail(f"--as {principal.username}: {exc}")


def require(
    store: Store, principal: Principal, right: Right, via: str, target: str | int | None = None
) -> None:
    """Go on only if ``principal`` holds ``right`` on ``target`` (an AGS for read and edit, a
    ring id for coordinate, nothing for admin); else log the refusal and exit 1. ``via`` is
    the command, e.g. "nhm score"."""
    try:
        if right is Right.admin:
            access.require_admin(store, principal, via)
        elif target is None:
            raise ValueError(f"the right {right} needs a target")
        elif right is Right.read:
            access.require_read(store, principal, str(target), via)
        elif right is Right.edit:
            access.require_edit(store, principal, str(target), via)
        else:
            access.require_coordinate(store, principal, int(target), via)
    except AccessDenied as exc:
        raise refused(principal, exc) from None


@contextmanager
def opened_store(db: Path | None) -> Iterator[Store]:
    """Open the database for one command; explain any failure without a traceback."""
    path = resolve_db_path(db)
    try:
        store = open_store(path)
    except DatabaseUnavailableError as exc:
        raise fail(str(exc), 2) from None
    try:
        yield store
    except DatabaseUnavailableError as exc:
        raise fail(str(exc), 2) from None
    except AccessDenied as exc:  # normally caught where the principal is known
        raise fail(f"--as: {exc}") from None
    except StoreError as exc:
        raise fail(str(exc), 1) from None
    finally:
        store.close()


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False, default=str))


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option}: expected a date YYYY-MM-DD, found {value!r}") from None


# --- municipalities --------------------------------------------------------------------------

municipalities_app = typer.Typer(
    help="Municipalities and counties: import the official directory, add, list.",
    no_args_is_help=True,
)


@municipalities_app.command("import")
def municipalities_import(
    file: Annotated[
        Path, typer.Argument(help='Destatis GV-ISys "Auszug GV" export as CSV.', show_default=False)
    ],
    population_date: Annotated[
        str | None,
        typer.Option(
            "--population-date",
            help="Reference date of the population (YYYY-MM-DD); default: from the file name.",
        ),
    ] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Load or update municipalities and counties from the official directory (all or nothing).

    With --as, the account must be an admin."""
    from nhm.exchange.gv_isys import population_date_from_filename, read_gv_isys

    reference = _parse_date(population_date, "--population-date")
    if reference is None:
        reference = population_date_from_filename(file)
    try:
        directory = read_gv_isys(file, reference)
    except ValueError as exc:
        raise fail(str(exc)) from None
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        require(store, who, Right.admin, "nhm municipalities import")
        before = store.municipalities.count()
        store.municipalities.save_many(directory.municipalities, actor_of(who), "imported")
        store.checkpoint()
        after = store.municipalities.count()
    counties = len(directory.municipalities) - directory.gemeinden
    typer.echo(
        f"imported {directory.gemeinden:,} Gemeinden and {directory.kreise:,} Kreise "
        f"({directory.kreisfreie:,} kreisfreie Städte/Stadtkreise, which are also Gemeinden; "
        f"{counties:,} Landkreise/Kreise) from {file} into {store.path}: "
        f"{after - before:,} new, {len(directory.municipalities) - (after - before):,} updated"
    )
    if reference is None:
        typer.echo(
            "note: the population's reference date is unknown; give it with --population-date",
            err=True,
        )


def _municipality_json(municipality: Municipality) -> dict[str, Any]:
    return {
        "ags": municipality.ags,
        "name": municipality.name,
        "kind": municipality.kind.value,
        "land": municipality.land,
        "population": municipality.population,
        "size_class": municipality.size_class,
    }


@municipalities_app.command("list")
def municipalities_list(
    as_json: JsonOption = False,
    land: Annotated[str | None, typer.Option("--land", help="Land code 01–16.")] = None,
    kind: Annotated[MunicipalityKind | None, typer.Option("--kind", help="Only this kind.")] = None,
    level: Annotated[
        Level | None,
        typer.Option(
            "--level",
            help="gemeinde: municipalities; kreis: counties and kreisfreie Städte "
            "(which are both).",
        ),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Part of the name, or the start of the AGS.")
    ] = None,
    db: DbOption = None,
) -> None:
    """List municipalities and counties with kind, Land, population and KGSt size class."""
    if land is not None and land not in LAENDER:
        raise fail(f"--land: expected a Land code 01–16, found {land!r}")
    with opened_store(db) as store:
        found = store.municipalities.list(
            land=land, kind=kind, level=level.value if level else None, search=search
        )
    if as_json:
        _print_json([_municipality_json(m) for m in found])
        return
    if not found:
        typer.echo("No municipalities. Import the directory: nhm municipalities import FILE")
        return
    for m in found:
        population = f"{m.population:,}".replace(",", ".") if m.population is not None else "–"
        demo = "  [DEMO]" if m.is_demo else ""
        typer.echo(
            f"{m.ags}  {m.name}  ({KIND_LABELS[m.kind]['de']}, {LAENDER[m.land]}, "
            f"{population} Einw., {m.size_class or '–'}){demo}"
        )
    typer.echo(f"{len(found):,} entries", err=True)


@municipalities_app.command("add")
def municipalities_add(
    ags: Annotated[str, typer.Option("--ags", help="8-digit AGS.", show_default=False)],
    name: Annotated[str, typer.Option("--name", help="Official name.", show_default=False)],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help=f"Kind: {', '.join(k.value for k in MunicipalityKind)}.",
            show_default=False,
        ),
    ],
    population: Annotated[int | None, typer.Option("--population", help="Inhabitants.")] = None,
    population_date: Annotated[
        str | None, typer.Option("--population-date", help="Reference date YYYY-MM-DD.")
    ] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add or correct one municipality by hand (with --as, the account must be an admin)."""
    from pydantic import ValidationError

    reference = _parse_date(population_date, "--population-date")
    try:  # checked here, not by click, so a wrong kind exits 1 (invalid input) like the rest
        kind_value = MunicipalityKind(kind)
    except ValueError:
        raise fail(
            f"--kind: expected one of {', '.join(k.value for k in MunicipalityKind)}, "
            f"found {kind!r}"
        ) from None
    try:
        municipality = Municipality(
            ags=ags,
            name=name,
            kind=kind_value,
            population=population,
            population_date=reference,
            kreis_ags=(ags[:5] + "000") if not kind_value.is_county and ags[5:] != "000" else None,
        )
    except ValidationError as exc:
        shown: list[str] = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            # Checks of the whole record and the derived kreis_ags are about the AGS.
            option = where if where in {"name", "population", "population_date"} else "ags"
            line = f"--{option.replace('_', '-')}: {error['msg'].removeprefix('Value error, ')}"
            if line not in shown:
                shown.append(line)
                typer.echo(f"error: {line}", err=True)
        raise typer.Exit(1) from None
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        require(store, who, Right.admin, "nhm municipalities add")
        store.municipalities.save(municipality, actor_of(who))
    typer.echo(f"saved {municipality.ags} {municipality.name} ({municipality.size_class or '–'})")


# --- assessments -----------------------------------------------------------------------------

assessments_app = typer.Typer(help="Assessments and their revisions.", no_args_is_help=True)


@assessments_app.command("list")
def assessments_list(
    as_json: JsonOption = False,
    ags: Annotated[str | None, typer.Option("--ags", help="Only this municipality.")] = None,
    period: Annotated[int | None, typer.Option("--period", help="Only this year.")] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """List assessments: municipality, period, revision, status and answer counts.

    With --as, only those of the municipalities the account may read."""
    from nhm.catalog import load_catalog

    catalog, _ = load_catalog()
    total = sum(len(d.criteria) for d in catalog.dimensions)
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        if ags is not None:
            require(store, who, Right.read, "nhm assessments list", ags)
        rows = store.assessments.list(ags=ags, period=period)
        readable = who.readable_ags
        if readable is not None:
            rows = [r for r in rows if r.ags in readable]
        names = store.municipalities.names([r.ags for r in rows])
    data = [
        {
            "ags": r.ags,
            "name": names.get(r.ags),
            "period": r.period,
            "revision": r.revision,
            "status": r.status.value,
            "demo": r.is_demo,
            "answered": r.answered,
            "not_applicable": r.not_applicable,
            "unanswered": max(total - r.answered, 0),
            "criteria": total,
            "updated_at": r.updated_at.isoformat(timespec="seconds") + "Z",
            "updated_by": r.updated_by,
        }
        for r in rows
    ]
    if as_json:
        _print_json(data)
        return
    if not data:
        typer.echo("No assessments yet. Import files with: nhm import FILE...")
        return
    for row in data:
        demo = "  [DEMO]" if row["demo"] else ""
        typer.echo(
            f"{row['ags']}  {row['name']}  {row['period']}  r{row['revision']}  {row['status']}  "
            f"{row['answered']}/{row['criteria']} answered ({row['not_applicable']} n/a){demo}"
        )


# --- files in and out ------------------------------------------------------------------------


def import_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="Assessment files (.json, .yaml, .yml, .xlsx).", show_default=False),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything, write nothing.")
    ] = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Import assessment files: all are checked first; if one is invalid, nothing is written.

    With --as, the account must be an editor of every file's municipality; if it is not,
    nothing is written either."""
    from nhm.catalog import load_catalog
    from nhm.exchange.importer import import_assessment_files

    catalog, _ = load_catalog()
    with opened_store(db) as store:
        who = acting_principal(store, as_user)

        def authorize(ags_values: list[str]) -> None:
            for value in ags_values:
                require(store, who, Right.edit, "nhm import", value)

        report = import_assessment_files(
            store, files, catalog, actor_of(who), dry_run=dry_run, authorize=authorize
        )
        if report.ok and not dry_run and len(report.results) > 100:
            store.checkpoint()
    if not report.ok:
        for error in report.errors:
            typer.echo(f"error: {error}", err=True)
        typer.echo(
            f"{report.files_with_errors} of {len(files)} file(s) invalid: nothing was imported",
            err=True,
        )
        raise typer.Exit(1)
    for result in report.results:
        typer.echo(f"{result.path}: {result.key} {result.action}")
    for warning in report.warnings:
        typer.echo(f"note: {warning}", err=True)
    counts: dict[str, int] = {}
    for result in report.results:
        counts[result.action] = counts.get(result.action, 0) + 1
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing"
    if dry_run:
        written = "dry run: nothing was written"
    elif set(counts) == {"unchanged"}:
        written = "the database already holds them"
    else:
        written = "saved"
    typer.echo(f"{len(report.results)} file(s) valid; {summary} ({written})")


def export_command(
    ags: Annotated[str, typer.Option("--ags", help="8-digit AGS.", show_default=False)],
    period: Annotated[int, typer.Option("--period", help="Year.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="File to write.", show_default=False)],
    export_format: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="File format (default: from the --out extension)."),
    ] = None,
    revision: Annotated[
        int | None, typer.Option("--revision", help="Revision (default: the latest).")
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of CSV/XLSX labels.")] = Lang.de,
    delimiter: Annotated[
        Delimiter, typer.Option("--delimiter", help='CSV delimiter ("," or ";" for German Excel).')
    ] = Delimiter.comma,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Export one assessment as JSON, YAML (lossless), CSV or XLSX.

    With --as, the account must be allowed to read the municipality. Every export is logged
    (export.file)."""
    from nhm.catalog import load_catalog
    from nhm.exchange.exporter import stored_document, write_document

    chosen = export_format or _format_from_suffix(out)
    catalog, _ = load_catalog()
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        require(store, who, Right.read, "nhm export", ags)
        document = stored_document(store, catalog, ags, period, revision)
        try:
            write_document(
                out, document, catalog, chosen, lang=lang.value, delimiter=delimiter.value
            )
        except OSError as exc:
            raise fail(f"cannot write {out}: {exc.strerror}") from None
        access.record_export(
            store,
            who,
            "file",
            "assessment",
            f"{ags}/{period}",
            {"format": chosen.value, "revision": document.revision, "file": out.name},
        )
    typer.echo(f"wrote {out} ({chosen.value}, {len(document.responses)} responses)")


def _format_from_suffix(path: Path) -> ExportFormat:
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "yml":
        suffix = "yaml"
    try:
        return ExportFormat(suffix)
    except ValueError:
        raise fail(
            f"--format is needed: cannot tell the format from {path.name!r} "
            "(use .json, .yaml, .csv or .xlsx)"
        ) from None


def questionnaire_command(
    out: Annotated[Path, typer.Option("--out", help="File to write.", show_default=False)],
    questionnaire_format: Annotated[
        QuestionnaireFormat, typer.Option("--format", help="File format.")
    ] = QuestionnaireFormat.xlsx,
    lang: Annotated[Lang, typer.Option("--lang", help="Language.")] = Lang.de,
) -> None:
    """Write a blank questionnaire to fill in offline and import with `nhm import`."""
    from nhm.catalog import load_catalog
    from nhm.exchange.workbook import write_workbook

    catalog, _ = load_catalog()
    try:
        write_workbook(out, catalog, lang=lang.value)
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror}") from None
    criteria = sum(len(d.criteria) for d in catalog.dimensions)
    typer.echo(
        f"wrote {out}: {len(catalog.dimensions)} dimensions, {criteria} criteria "
        f"({questionnaire_format.value}, {lang.value})"
    )


def register(app: typer.Typer) -> None:
    """Add the database commands to the ``nhm`` command."""
    app.add_typer(municipalities_app, name="municipalities")
    app.add_typer(assessments_app, name="assessments")
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("questionnaire")(questionnaire_command)
