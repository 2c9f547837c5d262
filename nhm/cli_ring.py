"""``nhm ring``: a Vergleichsring's coordinator at the command line.

Create a ring, add members, record their consent to be named, import their files one by one,
look at the overview and write the report. RING is a ring's id or its name.

With --as USER: creating a ring and adding or removing members need an admin account (a
member's data can be imported by the coordinator), consent needs the member's editor, a
member's view (--member AGS) a reader of that member, and everything else the ring's
coordinator (or an admin); ``ring list`` shows only the rings the account coordinates.

Exit codes as for the other data commands: 0 done, 1 invalid input (or, for ``ring import``,
at least one file rejected – the others are imported), 2 the database cannot be used.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from nhm.auth import access
from nhm.auth.access import Right
from nhm.auth.principal import Principal
from nhm.cli_data import (
    AsOption,
    DbOption,
    JsonOption,
    Lang,
    acting_principal,
    actor_of,
    fail,
    opened_store,
    require,
)
from nhm.cli_results import jsonable

ring_app = typer.Typer(
    help="Vergleichsringe (benchmarking rings): create, members, consent, import, overview, "
    "report.",
    no_args_is_help=True,
)

RingArgument = Annotated[
    str, typer.Argument(help="The ring: its id or its name.", metavar="RING", show_default=False)
]
PeriodOption = Annotated[
    int | None,
    typer.Option("--period", help="Year compared (default: the ring's period)."),
]
MemberOption = Annotated[
    str | None,
    typer.Option(
        "--member",
        metavar="AGS",
        help="AGS of a member: its view, with its own municipality highlighted (default: the "
        "coordinator's anonymous view).",
    ),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of texts.")]


class ReportFormat(StrEnum):
    pdf = "pdf"
    xlsx = "xlsx"


_OPTIONS = {
    "name": "NAME",
    "period": "--period",
    "min_group_size": "--min-group-size",
    "coordinator": "--coordinator",
    "ring": "RING",
    "ags": "AGS",
    "viewer": "--member",
}
_STATUS = {
    "de": {"submitted": "eingereicht", "draft": "Entwurf", "missing": "fehlt"},
    "en": {"submitted": "submitted", "draft": "draft", "missing": "missing"},
}


def _service(store: Any) -> Any:
    """The ring service; it loads the plugins' catalog only for commands that need it."""
    from nhm.rings import RingService

    return RingService(store)


def _refuse(exc: Exception) -> typer.Exit:
    """A RingError as "error: OPTION: message", naming the argument that was wrong."""
    option = _OPTIONS.get(getattr(exc, "field", ""), "")
    return fail(f"{option}: {exc}" if option else str(exc))


def _ring(service: Any, text: str) -> Any:
    from nhm.rings import RingError

    try:
        return service.find(text)
    except RingError as exc:
        raise _refuse(exc) from None


def _ring_as(
    store: Any,
    service: Any,
    text: str,
    as_user: str | None,
    command: str,
    right: Right = Right.coordinate,
    ags: str | None = None,
) -> tuple[Any, Principal]:
    """The ring named by RING and the acting principal, once it holds ``right``: coordinate
    the ring (the default); admin (membership: a member's data can be imported by the
    coordinator); edit of member ``ags`` (its consent); read of member ``ags`` (its view)."""
    who = acting_principal(store, as_user, _member_hint(as_user))
    found = _ring(service, text)
    target: str | int | None = ags  # read and edit: of the member
    if right is Right.coordinate:
        target = found.id
    elif right is Right.admin:
        target = None
    require(store, who, right, f"nhm ring {command}", target)
    return found, who


def _viewing_ring(
    store: Any, service: Any, text: str, as_user: str | None, viewer: str | None, command: str
) -> tuple[Any, Principal]:
    """The ring for show/report: without --member the coordinator's view; with --member AGS
    the member's own view, for whoever may read that municipality."""
    if viewer is None:
        return _ring_as(store, service, text, as_user, command)
    return _ring_as(store, service, text, as_user, f"{command} --member", Right.read, viewer)


def _member_hint(as_user: str | None) -> str:
    """--as named a member's AGS before it named a user; point to --member instead."""
    if as_user is not None and as_user.strip().isdigit() and len(as_user.strip()) == 8:
        return f" (for the view of member {as_user.strip()}, use --member {as_user.strip()})"
    return ""


def _check_period(period: int | None) -> None:
    if period is not None and not 1990 <= period <= 2100:
        raise fail(f"--period: expected a year 1990–2100, found {period}")


def _number(value: float | None, lang: str, digits: int = 1) -> str:
    from nhm.report.ring_report import number

    return number(value, lang, digits)


# --- create, list ----------------------------------------------------------------------------


@ring_app.command("create")
def create_command(
    name: Annotated[str, typer.Argument(help="Name of the ring.", show_default=False)],
    period: Annotated[
        int, typer.Option("--period", help="Year the ring compares.", show_default=False)
    ],
    min_group_size: Annotated[
        int,
        typer.Option(
            "--min-group-size",
            help="Fewest submitted members for any figure to be shown (at least 3).",
        ),
    ] = 5,
    coordinator: Annotated[
        str | None,
        typer.Option("--coordinator", help="Who coordinates the ring (default: you)."),
    ] = None,
    as_json: JsonOption = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Create a Vergleichsring for a period (with --as, the account must be an admin)."""
    from nhm.rings import RingError

    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        require(store, who, Right.admin, "nhm ring create")
        service = _service(store)
        try:
            ring = service.create(
                name,
                period,
                actor_of(who),
                min_group_size=min_group_size,
                coordinator=coordinator,
            )
        except RingError as exc:
            raise _refuse(exc) from None
    if as_json:
        typer.echo(json.dumps(_ring_json(ring), ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"created ring {ring.id} {ring.name!r}: period {ring.period}, minimum group size "
        f"{ring.min_group_size}, coordinator {ring.coordinator}"
    )
    typer.echo(f"next: nhm ring add {ring.id} AGS... [--consent]", err=True)


def _ring_json(ring: Any, members: int | None = None) -> dict[str, Any]:
    data = {
        "id": ring.id,
        "name": ring.name,
        "period": ring.period,
        "coordinator": ring.coordinator,
        "min_group_size": ring.min_group_size,
        "is_demo": ring.is_demo,
        "created_at": ring.created_at.isoformat(timespec="seconds") + "Z",
        "created_by": ring.created_by,
    }
    if members is not None:
        data["members"] = members
    return data


@ring_app.command("list")
def list_command(
    as_json: JsonOption = False, as_user: AsOption = None, db: DbOption = None
) -> None:
    """List the rings with their period, minimum group size and number of members.

    With --as, only the rings the account coordinates (all of them for an admin)."""
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        rings = [
            (r, len(store.rings.members(r.id)))
            for r in store.rings.list()
            if who.can_coordinate(r.id)
        ]
    if as_json:
        typer.echo(json.dumps([_ring_json(r, n) for r, n in rings], ensure_ascii=False, indent=2))
        return
    if not rings:
        typer.echo("No rings yet. Create one with: nhm ring create NAME --period YEAR")
        return
    for ring, members in rings:
        demo = "  [DEMO]" if ring.is_demo else ""
        typer.echo(
            f"{ring.id:>4}  {ring.name}  period {ring.period or '–'}  {members} member(s)  "
            f"minimum {ring.min_group_size}  coordinator {ring.coordinator}{demo}"
        )


# --- members ---------------------------------------------------------------------------------


@ring_app.command("add")
def add_command(
    ring: RingArgument,
    ags: Annotated[
        list[str],
        typer.Argument(
            help="8-digit AGS of the members to add.", metavar="AGS", show_default=False
        ),
    ],
    consent: Annotated[
        bool,
        typer.Option(
            "--consent",
            help="They agreed to be shown by name to the other members (default: anonymous).",
        ),
    ] = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add members by AGS (they must be in the municipality directory): all or none."""
    from nhm.rings import RingError

    with opened_store(db) as store:
        service = _service(store)
        found, who = _ring_as(store, service, ring, as_user, "add", Right.admin)
        try:
            added = service.add_members(found.id, ags, actor_of(who), consent_named=consent)
        except RingError as exc:
            raise _refuse(exc) from None
        names = store.municipalities.names(added)
        total = len(store.rings.members(found.id))
    shown = "by name" if consent else "anonymously"
    for value in added:
        typer.echo(f"added {value} {names.get(value, '')} (shown {shown})")
    typer.echo(f"ring {found.id} {found.name!r} has {total} member(s)")


@ring_app.command("remove")
def remove_command(
    ring: RingArgument,
    ags: Annotated[
        str, typer.Argument(help="AGS of the member.", metavar="AGS", show_default=False)
    ],
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Remove a member (its assessments stay in the database)."""
    from nhm.rings import RingError

    with opened_store(db) as store:
        service = _service(store)
        found, who = _ring_as(store, service, ring, as_user, "remove", Right.admin)
        try:
            service.remove_member(found.id, ags, actor_of(who))
        except RingError as exc:
            raise _refuse(exc) from None
    typer.echo(f"removed {ags} from ring {found.id} {found.name!r}")


@ring_app.command("consent")
def consent_command(
    ring: RingArgument,
    ags: Annotated[
        str, typer.Argument(help="AGS of the member.", metavar="AGS", show_default=False)
    ],
    named: Annotated[
        bool | None,
        typer.Option(
            "--yes/--no",
            help="--yes: the member agreed to be shown by name; --no: anonymous.",
            show_default=False,
        ),
    ] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Record whether a member may be shown by name to the other members (who and when are
    kept)."""
    from nhm.rings import RingError

    if named is None:
        raise fail("--yes/--no: say whether the member agreed to be shown by name (--yes) or not")
    with opened_store(db) as store:
        service = _service(store)
        # the member's decision: recorded by its editor or an administrator
        found, who = _ring_as(store, service, ring, as_user, "consent", Right.edit, ags)
        try:
            service.set_consent(found.id, ags, named, actor_of(who))
        except RingError as exc:
            raise _refuse(exc) from None
        name = store.municipalities.names([ags]).get(ags, ags)
    shown = "by name" if named else "anonymously"
    typer.echo(f"{ags} {name} is shown {shown} in ring {found.id} {found.name!r}")


# --- import ----------------------------------------------------------------------------------


@ring_app.command("import")
def import_command(
    ring: RingArgument,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Assessment files (.json, .yaml, .yml, .xlsx).",
            metavar="FILES",
            show_default=False,
        ),
    ],
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Import the members' files one by one: a rejected file is skipped with its reason, the
    others are imported (exit 1 if any was rejected)."""
    with opened_store(db) as store:
        service = _service(store)
        found, who = _ring_as(store, service, ring, as_user, "import")
        outcomes = service.import_files(found.id, files, actor_of(who))
        if sum(1 for o in outcomes if o.imported) > 100:
            store.checkpoint()
    for outcome in outcomes:
        typer.echo(outcome.line(), err=not outcome.imported)
    imported = sum(1 for o in outcomes if o.imported)
    rejected = len(outcomes) - imported
    if rejected:
        typer.echo(
            f"{imported} of {len(outcomes)} file(s) imported, {rejected} rejected; the imported "
            "files stay imported – correct the rejected ones and import them again",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(f"{imported} file(s) imported into ring {found.id} {found.name!r}")


# --- show ------------------------------------------------------------------------------------


@ring_app.command("show")
def show_command(
    ring: RingArgument,
    period: PeriodOption = None,
    viewer: MemberOption = None,
    criteria: Annotated[
        bool, typer.Option("--criteria", help="Also the level distribution per criterion.")
    ] = False,
    lang: LangOption = Lang.de,
    as_json: JsonOption = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """The ring's overview: submissions, statistics per dimension and the members' scores
    (anonymous unless they consented). Without --member, the coordinator's view with the
    members' submission status. With --as, the account must coordinate the ring (with
    --member: read that member)."""
    from nhm.rings import RingError

    _check_period(period)
    code = lang.value
    with opened_store(db) as store:
        service = _service(store)
        found, _ = _viewing_ring(store, service, ring, as_user, viewer, "show")
        try:
            overview = service.overview(found.id, period, viewer)
            statuses = service.status(found.id, overview.period) if viewer is None else []
        except RingError as exc:
            raise _refuse(exc) from None
    catalog = service.catalog
    if as_json:
        data = jsonable(overview)
        data["ring"] = _ring_json(overview.ring, overview.members_total)
        if viewer is None:
            data["status"] = [
                {
                    "ags": s.ags,
                    "name": s.name,
                    "status": s.status.value,
                    "revision": s.revision,
                    "consent_named": s.consent_named,
                    "consent_at": s.consent_at.isoformat(timespec="seconds") + "Z"
                    if s.consent_at
                    else None,
                    "consent_by": s.consent_by,
                }
                for s in statuses
            ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        return
    r = overview.ring
    demo = "  [DEMO]" if r.is_demo else ""
    typer.echo(
        f"ring {r.id} {r.name!r}, period {overview.period}, coordinator {r.coordinator}, "
        f"minimum group size {r.min_group_size}{demo}"
    )
    counts = overview.status_counts
    typer.echo(
        f"{overview.members_total} member(s): {counts['submitted']} submitted, "
        f"{counts['draft']} draft, {counts['missing']} missing"
    )
    if viewer is None:
        typer.echo("view: coordinator (members anonymous unless they consented)")
        typer.echo("")
        for s in statuses:
            consent = "named" if s.consent_named else "anonymous"
            revision = f" r{s.revision}" if s.revision else ""
            typer.echo(
                f"  {s.ags}  {s.name[:40]:<40} {_STATUS[code][s.status.value] + revision:<16}"
                f" {consent}"
            )
    else:
        typer.echo(f"view: member {viewer} (marked 'you')")
    typer.echo("")
    if overview.suppressed is not None:
        typer.echo(overview.suppressed.get(code))
        return
    typer.echo(f"n = {overview.group_size}")
    typer.echo(
        f"{'dimension':<40} {'n':>4} {'Q1':>6} {'median':>6} {'Q3':>6} {'mean':>6} "
        f"{'min':>6} {'max':>6}" + (f" {'own':>6}" if overview.viewer_is_member else "")
    )
    for item in overview.dimensions:
        title = catalog.dimension(item.dimension_id).title.get(code)[:40]
        s = item.statistics
        own = f" {_number(item.own_score, code):>6}" if overview.viewer_is_member else ""
        if s is None:
            reason = item.suppressed.get(code) if item.suppressed else ""
            typer.echo(f"{title:<40} {reason}")
            continue
        typer.echo(
            f"{title:<40} {s.n:>4} {_number(s.q1, code):>6} {_number(s.median, code):>6} "
            f"{_number(s.q3, code):>6} {_number(s.mean, code):>6} "
            f"{_number(s.minimum, code):>6} {_number(s.maximum, code):>6}{own}"
        )
    typer.echo("\nmembers:")
    typer.echo(f"  {'':<36} " + "  ".join(f"{d.id[:10]:>10}" for d in catalog.dimensions))
    for member in overview.members:
        mark = " (you)" if member.is_self else ""
        values = "  ".join(
            f"{_number(member.scores.get(d.id), code):>10}" for d in catalog.dimensions
        )
        typer.echo(f"  {member.label + mark:<36} {values}")
    if criteria:
        typer.echo(f"\n{'criterion':<52} {'n':>4} {'median':>6}  levels 0/1/2/3/4  n/a")
        for c in overview.criteria:
            title = catalog.criterion(c.criterion_id).title.get(code)[:52]
            if c.statistics is None or c.distribution is None:
                typer.echo(f"{title:<52}  (suppressed)")
                continue
            spread = "/".join(str(c.distribution.get(level, 0)) for level in range(5))
            typer.echo(
                f"{title:<52} {c.statistics.n:>4} {_number(c.statistics.median, code):>6}  "
                f"{spread:<16} {c.not_applicable or 0}"
            )


# --- report ----------------------------------------------------------------------------------


@ring_app.command("report")
def report_command(
    ring: RingArgument,
    out: Annotated[Path, typer.Option("--out", help="File to write.", show_default=False)],
    report_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", help="pdf or xlsx (default: from the --out extension)."),
    ] = None,
    period: PeriodOption = None,
    viewer: MemberOption = None,
    lang: LangOption = Lang.de,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Write the ring's report as PDF or XLSX: statistics and members' scores under their
    labels, only the reason where the ring is below its minimum group size. With --as, the
    account must coordinate the ring (with --member: read that member). Every report written
    is logged (export.ring_report)."""
    from nhm.report.pdf import ReportError
    from nhm.report.ring_report import build_ring_report, ring_report_pdf, ring_report_xlsx
    from nhm.rings import RingError

    _check_period(period)
    chosen = report_format or _format_from_suffix(out)
    if not out.parent.is_dir():
        raise fail(f"--out: cannot write {out}: the folder {out.parent} does not exist")
    with opened_store(db) as store:
        service = _service(store)
        found, who = _viewing_ring(store, service, ring, as_user, viewer, "report")
        try:
            report = build_ring_report(
                service, found.id, period=period, viewer=viewer, lang=lang.value
            )
        except RingError as exc:
            raise _refuse(exc) from None
        try:
            data = (
                ring_report_pdf(report) if chosen is ReportFormat.pdf else ring_report_xlsx(report)
            )
        except ReportError as exc:
            raise fail(str(exc)) from None
        temporary = out.with_name(f".{out.name}.partial")
        try:
            temporary.write_bytes(data)
            temporary.replace(out)
        except OSError as exc:
            raise fail(f"--out: cannot write {out}: {exc.strerror}") from None
        finally:
            temporary.unlink(missing_ok=True)
        # logged while the database is still open, so no report leaves unrecorded
        access.record_export(
            store,
            who,
            "ring_report",
            "ring",
            str(found.id),
            {
                "format": chosen.value,
                "period": report.overview.period,
                "member": viewer,
                "lang": lang.value,
                "file": out.name,
            },
        )
    o = report.overview
    what = "only the suppression reason" if report.suppressed else f"{len(o.members)} member(s)"
    typer.echo(f"wrote {out} ({chosen.value}, ring {o.ring.name!r} {o.period}: {what})")


def _format_from_suffix(path: Path) -> ReportFormat:
    try:
        return ReportFormat(path.suffix.lower().lstrip("."))
    except ValueError:
        raise fail(
            f"--format is needed: cannot tell the format from {path.name!r} (use .pdf or .xlsx)"
        ) from None


def register(app: typer.Typer) -> None:
    app.add_typer(ring_app, name="ring")
