"""``nhm report``: the council report (*Ratsbericht*) of one municipality and period.

Everything is checked before anything is written; the file is written to a temporary file
in the target folder and renamed, so a failure never leaves a half-written report (and an
existing report stays as it was). Exit codes as for the other data commands: 0 done,
1 invalid input or unknown data, 2 the database cannot be used.
"""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nhm.auth import access
from nhm.auth.access import Right
from nhm.cli_data import AsOption, DbOption, Lang, acting_principal, fail, opened_store, require
from nhm.cli_results import AgsOption, LangOption, PeriodOption, _check_ags

FIRST_PERIOD, LAST_PERIOD = 1990, 2100  # as nhm.assessment.Assessment allows


class ReportFormat(StrEnum):
    pdf = "pdf"
    html = "html"


_SUFFIXES = {".pdf": ReportFormat.pdf, ".html": ReportFormat.html, ".htm": ReportFormat.html}


def report_command(
    ags: AgsOption,
    period: PeriodOption,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="File to write; its folder must exist. An existing file is overwritten "
            "(only once the new report is complete).",
            show_default=False,
        ),
    ],
    report_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            help="pdf (tagged, A4) or html (one self-contained file); default: from the --out "
            "extension (.pdf, .html, .htm).",
            show_default=False,
        ),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            help="Peer group of the comparison, as for `nhm benchmark`: all, size_class, kind, "
            "land, ring:ID or a combination such as size_class+land. Default: size_class "
            "(where the population is unknown, the report says so instead).",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = Lang.de,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Write the council report (Ratsbericht) of an assessment as PDF or HTML.

    The report covers the assessment that counts for the period: its latest submitted
    revision, else its draft (then every page is marked "Entwurf – vorläufige Werte").
    With --as, the account must be allowed to read the municipality. Every report written is
    logged (export.report)."""
    from nhm.benchmark import BenchmarkError, BenchmarkService, PeerGroupSpec
    from nhm.catalog import load_catalog
    from nhm.report.council import DEFAULT_GROUP, build_report, counting_record
    from nhm.report.pdf import ReportError
    from nhm.store import resolve_db_path

    _check_ags(ags)
    if not FIRST_PERIOD <= period <= LAST_PERIOD:
        raise fail(f"--period: expected a year {FIRST_PERIOD}–{LAST_PERIOD}, found {period}")
    suffix = report_format.value if report_format is not None else "pdf"
    target = _check_out(out, f"nhm-ratsbericht-{ags}-{period}.{suffix}")
    chosen = _check_format(report_format, out)
    try:
        spec = PeerGroupSpec.parse(group or DEFAULT_GROUP)
    except BenchmarkError as exc:
        raise fail(f"--group: {exc}") from None
    path = resolve_db_path(db)
    if not path.is_file():
        where = "--db" if db is not None else "database (--db or $NHM_DB)"
        raise fail(f"{where}: there is no database at {path}")
    catalog, host = load_catalog()
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        require(store, who, Right.read, "nhm report", ags)
        municipality = store.municipalities.get(ags)
        if municipality is None:
            raise fail(f"--ags: municipality {ags} is not in the database {store.path}")
        record = counting_record(store, ags, period)
        if record is None:
            years = sorted({s.period for s in store.assessments.list(ags=ags)})
            known = (
                f"; it has assessments for {', '.join(map(str, years))}"
                if years
                else "; it has no assessment at all"
            )
            raise fail(
                f"--period: {municipality.name} ({ags}) has no assessment for {period}{known}"
            )
        if group is not None:
            try:
                BenchmarkService(store, catalog).resolve(municipality, spec)
            except BenchmarkError as exc:
                raise fail(f"--group: {exc}") from None
        report = build_report(store, record, catalog, host, group=str(spec))
        try:
            data = _render(report, chosen, lang.value)
        except ReportError as exc:
            raise fail(str(exc)) from None
        existed = target.exists()
        try:
            write_atomically(target, data)
        except OSError as exc:
            raise fail(f"--out: cannot write {target}: {exc.strerror or exc}") from None
        # logged while the database is still open, so no report leaves unrecorded
        access.record_export(
            store,
            who,
            "report",
            "assessment",
            f"{ags}/{period}",
            {
                "format": chosen.value,
                "lang": lang.value,
                "revision": record.revision,
                "group": str(spec),
                "file": target.name,
            },
        )
    status = "draft – provisional figures" if record.is_draft else "submitted"
    typer.echo(
        f"{'overwrote' if existed else 'wrote'} {out} ({chosen.value}, {lang.value}, "
        f"{len(data):,} bytes): {municipality.name} ({ags}) {period}, revision "
        f"{record.revision}, {status}"
    )
    if municipality.is_demo:
        typer.echo("DEMO – fictional data, not a real municipality")


def _render(report: object, chosen: ReportFormat, lang: str) -> bytes:
    from nhm.report.council import render_html, render_pdf

    if chosen is ReportFormat.pdf:
        return render_pdf(report, lang)  # type: ignore[arg-type]
    return render_html(report, lang).encode("utf-8")  # type: ignore[arg-type]


def _check_format(report_format: ReportFormat | None, out: Path) -> ReportFormat:
    from_suffix = _SUFFIXES.get(out.suffix.lower())
    if report_format is None:
        if from_suffix is None:
            raise fail(
                f"--format: give pdf or html; the name of --out {out} does not say which "
                "(.pdf, .html or .htm)"
            )
        return from_suffix
    if from_suffix is not None and from_suffix is not report_format:
        raise fail(
            f"--out: {out.name} ends in {out.suffix}, but --format is {report_format.value}; "
            f"use a .{report_format.value} file name"
        )
    return report_format


def _check_out(out: Path, example: str) -> Path:
    target = out.expanduser()
    if target.is_dir():
        raise fail(f"--out: {out} is a folder; give a file name such as {target / example}")
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise fail(f"--out: the folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise fail(f"--out: cannot write into the folder {folder} (no permission)")
    if target.exists() and not target.is_file():
        raise fail(f"--out: {out} exists and is not a regular file")
    return target


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file next to ``path``, then rename it over ``path``:
    readers see the old file or the complete new one, never a part."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
