"""The Vergleichsring workflow (``nhm.rings``, ``nhm ring``, the ring report).

A source database holds twelve real-looking municipalities of one Land (``LAND05``) and an
outsider, each with a submitted 2025 assessment, one also with 2024. Their files are exported
with the exporter, as members would send them; a second database holds only the directory and
the ring "Ring Niederrhein" (twelve members, three consenting to be named), into which the
coordinator imports the files.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmark_fixtures import LAND01, LAND05, imported, seeded_responses, write
from typer.testing import CliRunner

from nhm.assessment import AssessmentStatus
from nhm.catalog import load_catalog
from nhm.cli import app
from nhm.cli_results import jsonable
from nhm.exchange.exporter import ExportFormat, stored_document, write_document
from nhm.model import Catalog
from nhm.report.ring_report import build_ring_report, ring_report_pdf, ring_report_xlsx
from nhm.rings import MemberError, Rejection, RingError, RingService, SubmissionStatus
from nhm.store import Store, open_store

PERIOD = 2025
ACTOR = "ring-test"
COORDINATOR = "Koordinierungsstelle Niederrhein"
MEMBERS = [p.ags for p in LAND05]
NAMES = {p.ags: p.name for p in [*LAND05, *LAND01]}
CONSENTING = {MEMBERS[1], MEMBERS[4], MEMBERS[7]}
HIDDEN = [a for a in MEMBERS if a not in CONSENTING]
SELF = HIDDEN[0]  # a member without consent, viewing its own ring
OUTSIDER = LAND01[0].ags
INVALID_OF = MEMBERS[5]  # the member whose second, broken file is rejected

runner = CliRunner()


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NHM_PLUGIN_DIRS", raising=False)
        mp.delenv("NHM_DISABLE_PLUGINS", raising=False)
        return load_catalog()[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict[str, Path]:
    """The members' exchange files, exported from a source database: a JSON file per member
    (one YAML, one XLSX among them), the outsider's, a 2024 file and a broken one."""
    folder = tmp_path_factory.mktemp("ring-files")
    source = folder / "source.duckdb"
    places = [*LAND05, LAND01[0]]
    items = [
        imported(p.ags, PERIOD, seeded_responses(catalog, f"ring-{p.ags}"), catalog=catalog)
        for p in places
    ]
    items.append(
        imported(MEMBERS[0], 2024, seeded_responses(catalog, "ring-2024"), catalog=catalog)
    )
    with open_store(source) as store:
        store.municipalities.save_many([p.municipality() for p in places], ACTOR, "saved")
        write(store, items)
        found: dict[str, Path] = {}
        for index, ags in enumerate([*MEMBERS, OUTSIDER]):
            fmt = {2: ExportFormat.yaml, 3: ExportFormat.xlsx}.get(index, ExportFormat.json)
            path = folder / f"{ags}-{PERIOD}.{fmt.value}"
            write_document(path, stored_document(store, catalog, ags, PERIOD), catalog, fmt)
            found[ags] = path
        found["2024"] = folder / f"{MEMBERS[0]}-2024.json"
        write_document(
            found["2024"],
            stored_document(store, catalog, MEMBERS[0], 2024),
            catalog,
            ExportFormat.json,
        )
    text = found[INVALID_OF].read_text(encoding="utf-8")
    broken, count = re.subn(r'"level": \d', '"level": 7', text, count=1)
    assert count == 1
    found["broken"] = folder / f"{INVALID_OF}-{PERIOD}-korrigiert.json"
    found["broken"].write_text(broken, encoding="utf-8")
    return found


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The coordinator's database: the directory and the ring, no assessments yet."""
    path = tmp_path_factory.mktemp("ring-template") / "nhm.duckdb"
    with open_store(path) as store:
        places = [*LAND05, *LAND01]
        store.municipalities.save_many([p.municipality() for p in places], ACTOR, "saved")
        ring = store.rings.create("Ring Niederrhein", COORDINATOR, ACTOR, period=PERIOD)
        for ags in MEMBERS:
            store.rings.add_member(ring.id, ags, ACTOR, consent_named=ags in CONSENTING)
    return path, ring.id


@pytest.fixture
def db(template: tuple[Path, int], tmp_path: Path) -> Path:
    return Path(shutil.copyfile(template[0], tmp_path / "nhm.duckdb"))


@pytest.fixture
def ring_id(template: tuple[Path, int]) -> int:
    return template[1]


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with open_store(db) as opened:
        yield opened


@pytest.fixture
def service(store: Store, catalog: Catalog) -> RingService:
    return RingService(store, catalog)


@pytest.fixture(scope="module")
def filled(
    template: tuple[Path, int], files: dict[str, Path], catalog: Catalog, tmp_path_factory: Any
) -> Path:
    """The ring with all twelve files imported (a template for the overview and reports)."""
    path = Path(shutil.copyfile(template[0], tmp_path_factory.mktemp("filled") / "nhm.duckdb"))
    with open_store(path) as store:
        outcomes = RingService(store, catalog).import_files(
            template[1], [files[a] for a in MEMBERS], ACTOR
        )
    assert all(o.imported for o in outcomes), [o.line() for o in outcomes]
    return path


@pytest.fixture
def filled_service(filled: Path, catalog: Catalog) -> Iterator[RingService]:
    with open_store(filled) as store:
        yield RingService(store, catalog)


def cli(*args: str) -> Any:
    return runner.invoke(app, list(args))


def secrets() -> list[str]:
    """Names and AGS of the members without consent: never in an overview or report."""
    return [*(NAMES[a] for a in HIDDEN), *MEMBERS]


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    return "\n".join([*workbook.sheetnames, *cells])


# --- creating a ring and its members -------------------------------------------------------


def test_create_checks_name_period_and_minimum(service: RingService) -> None:
    ring = service.create("Ring Süd", 2025, ACTOR)
    assert (ring.name, ring.period, ring.min_group_size, ring.coordinator) == (
        "Ring Süd",
        2025,
        5,
        ACTOR,
    )
    cases = [
        ({"name": " "}, "name", "needs a name"),
        ({"name": "ring süd"}, "name", "already exists"),
        ({"period": 1800}, "period", "1990–2100"),
        ({"min_group_size": 2}, "min_group_size", "at least 3"),
    ]
    for change, field, message in cases:
        args: dict[str, Any] = {"name": "Ring West", "period": 2025, **change}
        with pytest.raises(RingError, match=message) as caught:
            service.create(
                args["name"], args["period"], ACTOR, min_group_size=args.get("min_group_size", 5)
            )
        assert caught.value.field == field
    assert service.find("ring süd").id == ring.id == service.find(str(ring.id)).id
    with pytest.raises(RingError, match="no ring with the id or name 'Ring Ost'"):
        service.find("Ring Ost")


def test_members_must_be_in_the_directory_and_are_added_all_or_none(
    service: RingService, store: Store
) -> None:
    ring = service.create("Ring Nord", 2025, ACTOR, coordinator="Kreis Nord")
    with pytest.raises(MemberError) as caught:
        service.add_members(ring.id, [OUTSIDER, "0511100", "09999999", OUTSIDER], ACTOR)
    error = caught.value
    assert (error.malformed, error.unknown, error.twice) == (["0511100"], ["09999999"], [OUTSIDER])
    assert "not in the municipality directory: 09999999" in str(error)
    assert store.rings.members(ring.id) == []  # nothing added
    assert service.add_members(ring.id, [OUTSIDER, MEMBERS[0]], ACTOR, consent_named=True)
    with pytest.raises(MemberError, match=f"already members: {OUTSIDER}"):
        service.add_members(ring.id, [OUTSIDER], ACTOR)
    service.set_consent(ring.id, OUTSIDER, False, "Frau Beispiel")
    member = next(m for m in store.rings.members(ring.id) if m.ags == OUTSIDER)
    assert (member.consent_named, member.consent_by) == (False, "Frau Beispiel")
    assert member.consent_at is not None
    service.remove_member(ring.id, OUTSIDER, ACTOR)
    assert [m.ags for m in store.rings.members(ring.id)] == [MEMBERS[0]]
    with pytest.raises(RingError, match="is not a member"):
        service.set_consent(ring.id, OUTSIDER, True, ACTOR)


# --- importing files -----------------------------------------------------------------------


def test_thirteen_files_twelve_imported_the_invalid_one_rejected_alone(
    service: RingService, store: Store, ring_id: int, files: dict[str, Path], catalog: Catalog
) -> None:
    batch = [files[a] for a in MEMBERS[:5]] + [files["broken"]] + [files[a] for a in MEMBERS[5:]]
    progress: list[tuple[int, int, str]] = []
    outcomes = service.import_files(
        ring_id, batch, ACTOR, progress=lambda *args: progress.append(args)
    )
    assert len(outcomes) == 13
    assert progress == [(i, 13, p.name) for i, p in enumerate(batch, start=1)]
    rejected = [o for o in outcomes if not o.imported]
    assert [o.name for o in rejected] == [files["broken"].name]
    [bad] = rejected
    assert bad.rejection is Rejection.INVALID
    [error] = bad.errors
    assert error.line is not None and "level" in error.field
    assert bad.line().startswith(f"rejected {files['broken'].name}: line {error.line}: ")
    imported_ = [o for o in outcomes if o.imported]
    assert sorted(o.key for o in imported_) == sorted(f"{a}/{PERIOD}/r1" for a in MEMBERS)
    assert {o.action for o in imported_} == {"created"}
    assert imported_[0].line() == f"imported {batch[0].name}: {MEMBERS[0]}/{PERIOD}/r1 (created)"
    # nothing of the broken file was written: the member has the valid file's answers only
    summaries = store.assessments.list(period=PERIOD)
    assert sorted(s.ags for s in summaries) == sorted(MEMBERS)
    record = store.assessments.get(INVALID_OF, PERIOD)
    assert record is not None and record.revision == 1
    assert 7 not in {r.level for r in record.responses.values()}
    expected = stored_document_levels(files[INVALID_OF])
    assert {c: r.level for c, r in record.responses.items()} == expected
    statuses = service.status(ring_id)
    assert {s.status for s in statuses} == {SubmissionStatus.SUBMITTED}


def stored_document_levels(path: Path) -> dict[str, int | None]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {r["criterion"]: r.get("level") for r in data["responses"]}


def test_non_member_wrong_period_and_duplicate_rejected_with_reason(
    service: RingService, store: Store, ring_id: int, files: dict[str, Path]
) -> None:
    first = files[MEMBERS[0]]
    twice = first.with_name("zweimal.json")
    shutil.copyfile(first, twice)
    outcomes = service.import_files(ring_id, [files[OUTSIDER], files["2024"], first, twice], ACTOR)
    outsider, year, ok, duplicate = outcomes
    assert outsider.rejection is Rejection.NOT_MEMBER
    assert outsider.line() == (
        f"rejected {files[OUTSIDER].name}: {OUTSIDER} is not a member of this ring "
        "(add it first: nhm ring add)"
    )
    assert year.rejection is Rejection.WRONG_PERIOD
    assert "the file is for 2024, the ring compares 2025" in year.line()
    assert ok.imported
    assert duplicate.rejection is Rejection.DUPLICATE
    assert f"{MEMBERS[0]}/{PERIOD} is also in {first.name}" in duplicate.line()
    assert store.assessments.list(ags=OUTSIDER) == []
    assert [(s.ags, s.period) for s in store.assessments.list()] == [(MEMBERS[0], PERIOD)]


def test_a_file_changing_a_submitted_revision_is_refused_by_the_database(
    service: RingService, store: Store, ring_id: int, files: dict[str, Path], tmp_path: Path
) -> None:
    first = files[MEMBERS[0]]
    assert service.import_files(ring_id, [first], ACTOR)[0].imported
    data = json.loads(first.read_text(encoding="utf-8"))
    data["revision"] = 1
    data["responses"] = data["responses"][1:]
    changed = tmp_path / "geaendert.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    [outcome] = service.import_files(ring_id, [changed], ACTOR)
    assert outcome.rejection is Rejection.CONFLICT
    assert "already stored as submitted" in outcome.line()
    assert [s.revision for s in store.assessments.list(ags=MEMBERS[0])] == [1]


def test_submission_status_submitted_draft_missing(
    service: RingService, ring_id: int, files: dict[str, Path], tmp_path: Path
) -> None:
    data = json.loads(files[MEMBERS[1]].read_text(encoding="utf-8"))
    data["status"] = "draft"
    draft = tmp_path / "entwurf.json"
    draft.write_text(json.dumps(data), encoding="utf-8")
    outcomes = service.import_files(ring_id, [files[MEMBERS[0]], draft], ACTOR)
    assert all(o.imported for o in outcomes)
    by_ags = {s.ags: s for s in service.status(ring_id)}
    assert by_ags[MEMBERS[0]].status is SubmissionStatus.SUBMITTED
    assert by_ags[MEMBERS[1]].status is SubmissionStatus.DRAFT
    assert by_ags[MEMBERS[2]].status is SubmissionStatus.MISSING
    assert by_ags[MEMBERS[1]].consent_named is True
    overview = service.overview(ring_id)
    assert overview.status_counts == {"submitted": 1, "draft": 1, "missing": 10}


# --- the overview --------------------------------------------------------------------------


def test_overview_anonymous_for_the_coordinator_and_own_marked_for_a_member(
    filled_service: RingService, ring_id: int
) -> None:
    coordinator = filled_service.overview(ring_id)
    assert coordinator.group_size == 12 and coordinator.suppressed is None
    assert not coordinator.viewer_is_member
    labels = [m.label for m in coordinator.members]
    assert labels[:3] == sorted(NAMES[a] for a in CONSENTING)
    assert labels[3:] == [f"Kommune {chr(ord('A') + i)}" for i in range(9)]
    assert not any(m.is_self for m in coordinator.members)
    first = coordinator.dimensions[0]
    assert first.statistics is not None and first.statistics.n == 12
    assert first.statistics.minimum is not None  # from ten members on
    assert first.own_score is None and len(first.scores) == 12
    assert all(c.own_level is None for c in coordinator.criteria)
    text = json.dumps(jsonable(coordinator), ensure_ascii=False)
    for secret in secrets():
        assert secret not in text, secret
    for ags in CONSENTING:
        assert NAMES[ags] in text

    member = filled_service.overview(ring_id, viewer=SELF)
    assert member.viewer_is_member
    own = [m for m in member.members if m.is_self]
    assert len(own) == 1 and own[0].label.startswith("Kommune ")
    assert [m.label for m in member.members] == labels  # the same labels for everyone
    assert member.dimensions[0].own_score == own[0].scores[first.dimension_id]
    assert [s.is_self for s in member.dimensions[0].scores].count(True) == 1
    with pytest.raises(RingError, match=f"{OUTSIDER} is not a member") as caught:
        filled_service.overview(ring_id, viewer=OUTSIDER)
    assert caught.value.field == "viewer"


def test_member_levels_sit_under_each_members_own_label(
    filled_service: RingService, ring_id: int
) -> None:
    """The report's per-member answers use the labels of the benchmark: viewed as each
    member in turn, its own label is the one the report gives its answers."""
    store = filled_service.store
    coordinator = filled_service.overview(ring_id)
    levels = {m.label: m for m in filled_service.member_levels(coordinator)}
    assert len(levels) == 12
    for ags in MEMBERS:
        view = filled_service.overview(ring_id, viewer=ags)
        [own] = [m for m in view.members if m.is_self]
        record = store.assessments.get(ags, PERIOD)
        assert record is not None
        answers = {c: r.level for c, r in record.responses.items() if not r.not_applicable}
        assert levels[own.label].levels == answers
        if ags in CONSENTING:
            assert own.label == NAMES[ags]


def test_below_the_minimum_only_the_reason(
    service: RingService, store: Store, files: dict[str, Path]
) -> None:
    ring = service.create("Kleiner Ring", PERIOD, ACTOR, min_group_size=5)
    service.add_members(ring.id, MEMBERS[:6], ACTOR, consent_named=True)
    outcomes = service.import_files(ring.id, [files[a] for a in MEMBERS[:4]], ACTOR)
    assert all(o.imported for o in outcomes)
    overview = service.overview(ring.id)
    assert overview.suppressed is not None and overview.group_size is None
    assert "Weniger als 5 Kommunen" in overview.suppressed.get("de")
    assert overview.members == []
    assert all(d.statistics is None and d.scores == [] for d in overview.dimensions)
    assert all(c.distribution is None for c in overview.criteria)
    assert overview.status_counts == {"submitted": 4, "draft": 0, "missing": 2}
    report = build_ring_report(service, ring.id, lang="en")
    assert report.suppressed and report.levels == []
    text = xlsx_text(ring_report_xlsx(report))
    assert "fewer than 5 municipalities" in text
    for ags in MEMBERS[:6]:
        assert NAMES[ags] not in text and ags not in text
    assert "Kommune A" not in text


# --- the report ----------------------------------------------------------------------------


def test_report_pdf_and_xlsx_keep_anonymity_and_mark_the_own_member(
    filled_service: RingService, ring_id: int, tmp_path: Path
) -> None:
    report = build_ring_report(filled_service, ring_id, viewer=SELF)
    own = next(m.label for m in report.overview.members if m.is_self)
    workbook = ring_report_xlsx(report)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames[0] == "Übersicht" and book.sheetnames[-1] == "Methode"
    assert len(book.sheetnames) == 2 + len(filled_service.catalog.dimensions)
    sheet = book.worksheets[1]
    header = [c.value for c in sheet[3]]
    dimension = filled_service.catalog.dimensions[0]
    assert header[:2] == ["Kommune", "Wert"]
    assert header[2] == f"1. {dimension.criteria[0].title.de}"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, max_row=15, values_only=True)}
    assert f"{own} (eigene Kommune)" in rows
    assert sheet.cell(row=4, column=1).value == sorted(NAMES[a] for a in CONSENTING)[0]
    record = filled_service.store.assessments.get(SELF, PERIOD)
    assert record is not None
    own_row = rows[f"{own} (eigene Kommune)"]
    first = record.responses.get(dimension.full_id(dimension.criteria[0]))
    assert own_row[2] == (None if first is None else first.level)

    pdf = ring_report_pdf(report)
    assert pdf.startswith(b"%PDF")
    for text in (pdf_text(pdf, tmp_path), xlsx_text(workbook)):
        for secret in secrets():
            assert secret not in text, secret
        for ags in CONSENTING:
            assert NAMES[ags] in text
        assert "Kommune A" in text
        assert f"{own} (eigene" in text
        assert "Ring Niederrhein" in text and COORDINATOR in text

    coordinator = ring_report_xlsx(build_ring_report(filled_service, ring_id, lang="en"))
    text = xlsx_text(coordinator)
    assert "own municipality" not in text and "Summary" in text
    for secret in secrets():
        assert secret not in text, secret


# --- the command line ----------------------------------------------------------------------


def test_cli_create_add_consent_list(db: Path) -> None:
    base = ["--db", str(db)]
    created = cli(
        "ring", "create", "Ring Eifel", "--period", "2025", "--coordinator", "Kreis", *base
    )
    assert created.exit_code == 0, created.output
    assert "created ring 2 'Ring Eifel': period 2025, minimum group size 5" in created.stdout
    added = cli("ring", "add", "Ring Eifel", MEMBERS[0], MEMBERS[1], "--consent", *base)
    assert added.exit_code == 0, added.output
    assert f"added {MEMBERS[0]} {NAMES[MEMBERS[0]]} (shown by name)" in added.stdout
    consent = cli("ring", "consent", "2", MEMBERS[0], "--no", *base)
    assert consent.exit_code == 0, consent.output
    assert "is shown anonymously" in consent.stdout
    listed = cli("ring", "list", "--json", *base)
    assert listed.exit_code == 0, listed.output
    rings = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rings["Ring Eifel"]["members"] == 2 and rings["Ring Niederrhein"]["members"] == 12
    with open_store(db) as store:
        members = {m.ags: m for m in store.rings.members(2)}
    assert not members[MEMBERS[0]].consent_named and members[MEMBERS[1]].consent_named

    errors = [
        (["ring", "create", "Ring Eifel", "--period", "2025"], "NAME: a ring named"),
        (["ring", "create", "X", "--period", "2025", "--min-group-size", "2"], "--min-group-size"),
        (["ring", "create", "X", "--period", "1900"], "--period: expected a year"),
        (["ring", "add", "Ring Eifel", "123", "09999999"], "AGS: expected 8-digit AGS"),
        (["ring", "add", "Ring Mond", MEMBERS[2]], "RING: no ring with the id or name"),
        (["ring", "consent", "2", OUTSIDER, "--yes"], f"AGS: {OUTSIDER} is not a member"),
        (["ring", "consent", "2", MEMBERS[0]], "--yes/--no"),
        (["ring", "show", "2", "--member", OUTSIDER], "--member: "),
        (["ring", "report", "2", "--out", "bericht.docx"], "--format is needed"),
    ]
    for args, message in errors:
        result = cli(*args, *base)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
    missing = cli("ring", "create", "X", *base)
    assert missing.exit_code != 0 and "--period" in missing.output


def test_cli_import_show_and_report(db: Path, files: dict[str, Path], tmp_path: Path) -> None:
    base = ["--db", str(db)]
    batch = [str(files[a]) for a in MEMBERS] + [str(files["broken"]), str(files[OUTSIDER])]
    result = cli("ring", "import", "Ring Niederrhein", *batch, *base)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 12 and all(line.startswith("imported ") for line in lines)
    assert f"rejected {files['broken'].name}: line " in result.stderr
    assert f"rejected {files[OUTSIDER].name}: {OUTSIDER} is not a member" in result.stderr
    assert "12 of 14 file(s) imported, 2 rejected; the imported files stay imported" in (
        result.stderr
    )
    again = cli("ring", "import", "1", str(files[MEMBERS[0]]), *base)
    assert again.exit_code == 0, again.output
    assert "(unchanged)" in again.stdout

    show = cli("ring", "show", "1", *base)
    assert show.exit_code == 0, show.output
    assert "12 member(s): 12 submitted, 0 draft, 0 missing" in show.stdout
    assert "view: coordinator" in show.stdout
    as_member = cli("ring", "show", "Ring Niederrhein", "--member", SELF, "--criteria", *base)
    assert as_member.exit_code == 0, as_member.output
    assert as_member.stdout.count("(you)") == 1
    as_json = cli("ring", "show", "1", "--member", SELF, "--json", *base)
    parsed = json.loads(as_json.stdout)
    assert parsed["group_size"] == 12 and "status" not in parsed
    for text in (as_member.stdout, as_json.stdout):
        for secret in secrets():
            if secret != SELF:  # the member's own AGS is what it asked with
                assert secret not in text, secret

    out = tmp_path / "ring.xlsx"
    report = cli("ring", "report", "1", "--out", str(out), "--member", SELF, "--lang", "en", *base)
    assert report.exit_code == 0, report.output
    assert f"wrote {out} (xlsx, ring 'Ring Niederrhein' 2025: 12 member(s))" in report.stdout
    text = xlsx_text(out.read_bytes())
    assert "(own municipality)" in text
    for secret in secrets():
        assert secret not in text, secret
    pdf = tmp_path / "ring.bin"
    written = cli("ring", "report", "1", "--format", "pdf", "--out", str(pdf), *base)
    assert written.exit_code == 0, written.output
    assert pdf.read_bytes().startswith(b"%PDF")
    nowhere = cli("ring", "report", "1", "--out", str(tmp_path / "no" / "r.pdf"), *base)
    assert nowhere.exit_code == 1 and "--out: cannot write" in nowhere.stderr


def test_status_counts_ignore_other_periods(
    service: RingService, ring_id: int, files: dict[str, Path]
) -> None:
    outcomes = service.import_files(ring_id, [files["2024"]], ACTOR, period=2024)
    assert outcomes[0].imported, outcomes[0].line()
    assert service.overview(ring_id, 2024).status_counts["submitted"] == 1
    assert service.overview(ring_id).status_counts["submitted"] == 0
    assert AssessmentStatus.SUBMITTED.value == "submitted"
