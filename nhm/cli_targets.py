"""``nhm targets``: target levels (Zielniveaus) of a municipality per dimension or criterion.

Exit codes as for every data command: 0 done, 1 invalid input (nothing written), 2 the
database cannot be used.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

import typer

from nhm.auth.access import Right
from nhm.cli_data import (
    AsOption,
    DbOption,
    JsonOption,
    acting_principal,
    actor_of,
    fail,
    opened_store,
    require,
)
from nhm.model import LEVEL_LABELS, Catalog, MaturityLevel
from nhm.municipality import AGS_PATTERN
from nhm.store import InvalidDataError
from nhm.store.targets import (
    TargetEntry,
    TargetRepository,
    check_level,
    check_note,
    check_scope,
    close_scopes,
    target_scopes,
)

NOT_IN_CATALOG = "(not in the catalog)"

AgsOption = Annotated[str, typer.Option("--ags", help="8-digit AGS.", show_default=False)]
DimensionOption = Annotated[
    str | None, typer.Option("--dimension", help="Dimension id, e.g. procurement.")
]
CriterionOption = Annotated[
    str | None,
    typer.Option("--criterion", help="Full criterion id, e.g. procurement.binding_policy."),
]

targets_app = typer.Typer(
    help="Target levels (Zielniveaus) per dimension or criterion; a criterion's target "
    "overrides its dimension's.",
    no_args_is_help=True,
)


# --- checking the options ----------------------------------------------------------------------


def _check_ags(ags: str) -> None:
    if not re.fullmatch(AGS_PATTERN, ags):
        raise fail(
            f"--ags: expected the 8-digit AGS with leading zeros (e.g. 05315000), found {ags!r}"
        )


def _parse_level(value: str) -> int:
    """Parsed here rather than by click, so a wrong level exits 1 (invalid input)."""
    text = value.strip()
    if not re.fullmatch(r"-?[0-9]+", text):
        raise fail(f"--level: expected a whole number 0–4, found {value!r}")
    try:
        return check_level(int(text))
    except InvalidDataError as exc:
        raise fail(f"--level: {exc}") from None


def _parse_note(note: str | None) -> str | None:
    try:
        return check_note(note)
    except InvalidDataError as exc:
        raise fail(f"--note: {exc}") from None


def _scope(
    dimension: str | None, criterion: str | None, catalog: Catalog | None, *, required: bool
) -> str | None:
    """The scope named by --dimension or --criterion (at most one of them). With a catalog it
    must be in the catalog; without one (clear) only its form is checked."""
    if dimension is not None and criterion is not None:
        raise fail("give either --dimension or --criterion, not both")
    if dimension is None and criterion is None:
        if required:
            raise fail("give --dimension ID or --criterion DIMENSION.CRITERION")
        return None
    if dimension is not None:
        option, scope = "--dimension", dimension.strip()
        if "." in scope:
            raise fail(f"--dimension: {scope!r} is not a dimension id; use --criterion {scope}")
    else:
        option, scope = "--criterion", (criterion or "").strip()
        if "." not in scope:
            raise fail(_not_a_criterion(scope, catalog))
    if catalog is not None:
        try:
            check_scope(scope, catalog)
        except InvalidDataError as exc:
            raise fail(f"{option}: {exc}") from None
    return scope


def _not_a_criterion(scope: str, catalog: Catalog | None) -> str:
    message = (
        "--criterion: expected a full criterion id DIMENSION.CRITERION "
        f"(e.g. procurement.binding_policy), found {scope!r}"
    )
    if catalog is None:
        return message
    if scope in {d.id for d in catalog.dimensions}:
        return f"{message}; for a dimension use --dimension {scope}"
    found = [s for s in close_scopes(scope, catalog) if "." in s]
    return f"{message}; did you mean {', '.join(map(repr, found))}?" if found else message


# --- describing targets ------------------------------------------------------------------------


def _title(scope: str, catalog: Catalog) -> str | None:
    """The German title of the dimension or criterion, None if the catalog lacks it."""
    try:
        if "." in scope:
            return catalog.criterion(scope).title.de
        return catalog.dimension(scope).title.de
    except KeyError:
        return None


def _level_label(level: int) -> str:
    return LEVEL_LABELS[MaturityLevel(level)].de


def _in_catalog_order(entries: list[TargetEntry], catalog: Catalog) -> list[TargetEntry]:
    """Dimension by dimension as the catalog lists them; scopes it lacks come last."""
    position = {scope: index for index, scope in enumerate(target_scopes(catalog))}
    return sorted(entries, key=lambda e: (position.get(e.scope, len(position)), e.scope))


def _entry_json(entry: TargetEntry, catalog: Catalog) -> dict[str, Any]:
    title = _title(entry.scope, catalog)
    return {
        "scope": entry.scope,
        "kind": "criterion" if "." in entry.scope else "dimension",
        "title": title,
        "in_catalog": title is not None,
        "level": entry.level,
        "level_label": _level_label(entry.level),
        "note": entry.note,
        "set_at": entry.set_at.isoformat(timespec="seconds") + "Z",
        "set_by": entry.set_by,
    }


def _print_table(rows: list[dict[str, Any]]) -> None:
    cells = [
        [
            row["scope"],
            row["title"] or NOT_IN_CATALOG,
            f"{row['level']} {row['level_label']}",
            row["set_at"],
            row["set_by"],
        ]
        for row in rows
    ]
    header = ["scope", "title", "level", "set at (UTC)", "set by"]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    for line, row in zip([header, *cells], [None, *rows], strict=True):
        padded = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        typer.echo("  ".join(padded).rstrip())
        if row is not None and row["note"]:
            typer.echo(f"    note: {' '.join(row['note'].split())}")


# --- commands ----------------------------------------------------------------------------------


@targets_app.command("set")
def targets_set(
    ags: AgsOption,
    level: Annotated[
        str,
        typer.Option("--level", metavar="0-4", help="Target level 0–4.", show_default=False),
    ],
    dimension: DimensionOption = None,
    criterion: CriterionOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why this target (at most 1,000 characters).")
    ] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Set the target level of a municipality for one dimension or one criterion.

    With --as, the account must be an editor of the municipality."""
    from nhm.catalog import load_catalog

    _check_ags(ags)
    level_value = _parse_level(level)
    note_value = _parse_note(note)
    catalog, _ = load_catalog()
    scope = _scope(dimension, criterion, catalog, required=True)
    assert scope is not None
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        require(store, who, Right.edit, "nhm targets set", ags)
        entry = TargetRepository(store).set(
            ags, scope, level_value, catalog, actor_of(who), note_value
        )
    typer.echo(
        f"set the target of {ags} for {scope} ({_title(scope, catalog)}): "
        f"{entry.level} {_level_label(entry.level)}"
    )


@targets_app.command("list")
def targets_list(
    ags: AgsOption, as_json: JsonOption = False, as_user: AsOption = None, db: DbOption = None
) -> None:
    """List the targets of a municipality with title, level and who set them when.

    With --as, the account must be allowed to read the municipality."""
    from nhm.catalog import load_catalog

    _check_ags(ags)
    catalog, _ = load_catalog()
    with opened_store(db) as store:
        require(store, acting_principal(store, as_user), Right.read, "nhm targets list", ags)
        store.municipalities.require(ags)
        entries = TargetRepository(store).entries(ags)
    rows = [_entry_json(entry, catalog) for entry in _in_catalog_order(entries, catalog)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, allow_nan=False))
        return
    if not rows:
        typer.echo(f"No targets for {ags}. Set one with: nhm targets set --ags {ags} ...")
        return
    _print_table(rows)


@targets_app.command("clear")
def targets_clear(
    ags: AgsOption,
    dimension: DimensionOption = None,
    criterion: CriterionOption = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Remove one target, or every target of the municipality without --dimension/--criterion.

    The scope is not checked against the catalog, so targets of a removed plugin can go too.
    With --as, the account must be an editor of the municipality.
    """
    _check_ags(ags)
    scope = _scope(dimension, criterion, None, required=False)
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        require(store, who, Right.edit, "nhm targets clear", ags)
        removed = TargetRepository(store).clear(ags, scope, actor_of(who))
    if scope is not None and not removed:
        typer.echo(f"{ags} has no target for {scope}: nothing was cleared")
        return
    typer.echo(f"cleared {removed} target(s) of {ags}")


def register(app: typer.Typer) -> None:
    """Add ``nhm targets`` to the ``nhm`` command."""
    app.add_typer(targets_app, name="targets")
