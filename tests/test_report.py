"""The council report (``nhm report``, ``nhm.report.council``): its numbers are the app's,
its HTML is valid and accessible, free text stays text, demo data and drafts are marked, the
comparison is suppressed for small groups, and the command refuses bad input without
writing anything.

The data is the benchmark data set (``tests/benchmark_fixtures.py``) plus "Ratsstadt", a
real GK6 municipality with 2024 and 2025 submitted, a 2026 draft, a target and free text
that looks like markup. Building a PDF takes a second or two, so the PDFs are made once per
module.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import html5lib
import pytest
from benchmark_fixtures import (
    ACTOR,
    COMPANIES,
    DEMO,
    BenchmarkData,
    build_benchmark_data,
    imported,
    seeded_responses,
    write,
)
from typer.testing import CliRunner

from nhm.assessment import AssessmentStatus, EvidenceStatus, Response
from nhm.benchmark import suppression_reason
from nhm.catalog import load_catalog
from nhm.cli import app
from nhm.model import Catalog
from nhm.municipality import Municipality, MunicipalityKind
from nhm.plugins import PluginHost
from nhm.report import council
from nhm.report.council import CouncilReport, build_report, counting_record, css_string
from nhm.report.pdf import ReportError
from nhm.report.texts import TEXTS, ReportText
from nhm.results import evaluate_record
from nhm.store import open_store
from nhm.store.targets import TargetRepository
from nhm.ui.i18n import Text

runner = CliRunner()
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed"
)

RATSSTADT = Municipality(
    ags="05162020",
    name="Ratsstadt an der Ems & Lippe",
    kind=MunicipalityKind.GEMEINDE,
    population=14_000,
)
SMALL = "05158004"  # Talhausen, the only real GK4 municipality in Land 05: group too small
DEMO_AGS = DEMO[0].ags
SCRIPT = "<script>alert(1)</script>"
COMMENT = f"{SCRIPT}\nZweite Zeile des Kommentars"
LINK = "javascript:alert(1)"
JUSTIFICATION = "Keine eigenen Unternehmen <b>fett</b>"
MANDATE = "governance_actors.council_mandate"


@dataclass
class Reports:
    path: Path
    catalog: Catalog
    host: PluginHost
    main: CouncilReport  # Ratsstadt 2025, submitted, size class (10 members)
    draft: CouncilReport  # Ratsstadt 2026, draft only
    small: CouncilReport  # Talhausen 2025, size class too small
    demo: CouncilReport  # Demodorf 1 2025
    app_percent: dict[str, str]  # what the app shows: dimension id -> Text("de").percent
    app_overall: str


@pytest.fixture(scope="module")
def catalog_and_host() -> tuple[Catalog, PluginHost]:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NHM_PLUGIN_DIRS", raising=False)
        mp.delenv("NHM_DISABLE_PLUGINS", raising=False)
        return load_catalog()


@pytest.fixture(scope="module")
def data(
    tmp_path_factory: pytest.TempPathFactory, catalog_and_host: tuple[Catalog, PluginHost]
) -> BenchmarkData:
    catalog, _ = catalog_and_host
    path = tmp_path_factory.mktemp("report") / "template.duckdb"
    built = build_benchmark_data(path, catalog)
    ags = RATSSTADT.ags
    answers = seeded_responses(catalog, f"{ags}-2025")
    answers[MANDATE] = Response(
        level=3,
        evidence_status=EvidenceStatus.DOCUMENTED,
        evidence_reference=LINK,
        comment=COMMENT,
    )
    answers[COMPANIES] = Response(not_applicable=True, justification=JUSTIFICATION)
    with open_store(path) as store:
        store.municipalities.save(RATSSTADT, ACTOR)
        write(
            store,
            [
                imported(ags, 2024, seeded_responses(catalog, f"{ags}-2024"), catalog=catalog),
                imported(ags, 2025, answers, catalog=catalog),
                imported(
                    ags,
                    2026,
                    seeded_responses(catalog, f"{ags}-2026"),
                    AssessmentStatus.DRAFT,
                    catalog=catalog,
                ),
            ],
        )
        TargetRepository(store).set(ags, "governance_actors", 3, catalog, ACTOR)
    return built


@pytest.fixture(scope="module")
def reports(data: BenchmarkData, catalog_and_host: tuple[Catalog, PluginHost]) -> Reports:
    catalog, host = catalog_and_host
    with open_store(data.path) as store:

        def report(ags: str, period: int) -> CouncilReport:
            record = counting_record(store, ags, period)
            assert record is not None
            return build_report(store, record, catalog, host)

        main = report(RATSSTADT.ags, 2025)
        record = counting_record(store, RATSSTADT.ags, 2025)
        assert record is not None
        evaluation = evaluate_record(store, record, catalog, host)  # as the results view does
        return Reports(
            path=data.path,
            catalog=catalog,
            host=host,
            main=main,
            draft=report(RATSSTADT.ags, 2026),
            small=report(SMALL, 2025),
            demo=report(DEMO_AGS, 2025),
            app_percent={
                d.id: Text("de").percent(evaluation.score(d.id).score) for d in catalog.dimensions
            },
            app_overall=Text("de").percent(evaluation.scores.overall.value),
        )


def pdf_text(pdf: bytes, folder: Path, layout: bool = True) -> str:
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    args = [str(PDFTOTEXT), *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    """White space as one space: pdftotext breaks lines where the layout does."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def main_pdf(reports: Reports, tmp_path_factory: pytest.TempPathFactory) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = council.render_pdf(reports.main, "de")
    assert pdf.startswith(b"%PDF-")
    return pdf_text(pdf, tmp_path_factory.mktemp("pdf"))


_HTML: dict[tuple[int, str], str] = {}


def html_of(report: CouncilReport, lang: str = "de") -> str:
    """The report's HTML, rendered once per module (the charts take a moment)."""
    key = (id(report), lang)
    if key not in _HTML:
        _HTML[key] = council.render_html(report, lang)
    return _HTML[key]


@pytest.fixture(scope="module")
def main_html(reports: Reports) -> str:
    return html_of(reports.main)


# --- numbers and text ------------------------------------------------------------------------


@needs_pdftotext
def test_pdf_names_the_municipality_and_every_dimension_with_the_apps_scores(
    reports: Reports, main_pdf: str
) -> None:
    text = flat(main_pdf)
    assert RATSSTADT.name in text
    assert f"{RATSSTADT.name} · 2025" in text  # the page header
    for dimension in reports.catalog.dimensions:
        assert dimension.title.de in text
    assert set(reports.app_percent.values()) - {"–"}, "the fixture has no scores"
    for dimension in reports.catalog.dimensions:
        row = re.search(re.escape(dimension.title.de) + r" (\S+ %|–)", text)
        assert row is not None, dimension.id
        assert row.group(1) == reports.app_percent[dimension.id]
    assert reports.app_overall in text
    pages = int(re.findall(r"Seite \d+ von (\d+)", text)[0])
    assert pages > 5
    assert f"Seite {pages} von {pages}" in text
    assert re.search(r"Zusammenfassung\s*\.{3,}\s*\d+", main_pdf)  # contents with page numbers


@needs_pdftotext
def test_markup_in_free_text_appears_as_text_in_the_pdf(main_pdf: str) -> None:
    text = flat(main_pdf)
    assert SCRIPT in text
    assert LINK in text
    assert JUSTIFICATION in text


def test_the_report_formats_numbers_exactly_as_the_app() -> None:
    values = [None, 0.0, 0.04, 0.05, 12.25, 42.857142, 49.95, 50.0, 99.99, 100.0, 1234.5]
    for lang in ("de", "en"):
        ours, apps = ReportText(lang), Text(lang)
        for value in values:
            assert ours.percent(value) == apps.percent(value)
            assert ours.percent(value, 0) == apps.percent(value, 0)
            assert ours.signed(value) == apps.signed(value)
            assert ours.signed(None if value is None else -value) == apps.signed(
                None if value is None else -value
            )
    assert ReportText("de").percent(42.857142) == "42,9 %"
    assert ReportText("en").percent(42.857142) == "42.9 %"


def test_every_text_has_german_and_english_with_the_same_placeholders() -> None:
    for key, (de, en) in TEXTS.items():
        assert de.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", de)) == set(re.findall(r"{(\w+)}", en)), key


# --- HTML -------------------------------------------------------------------------------------


def headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def test_html_is_valid_and_accessible(main_html: str, reports: Reports) -> None:
    html5lib.HTMLParser(strict=True).parse(main_html)  # raises on any parse error
    assert re.search(r'<html lang="de">', main_html)
    title = re.search(r"<title>(.*?)</title>", main_html)
    assert title is not None and "Ratsstadt an der Ems &amp; Lippe 2025" in title.group(1)
    levels = headings(main_html)
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert levels.count(2) == 1 + 1 + len(reports.catalog.dimensions) + 3
    assert '<th scope="col"' in main_html and '<th scope="row"' in main_html
    svgs = re.findall(r"<svg\b[^>]*>", main_html)
    assert len(svgs) == 1 + len(reports.catalog.dimensions) + 2  # summary, dims, peers, trend
    assert all('role="img"' in svg and "aria-label=" in svg for svg in svgs)
    assert main_html.count("<title>") == 1 + len(svgs)
    assert main_html.count("<figcaption>") == len(svgs)
    ids = re.findall(r'\sid="([^"]+)"', main_html)
    assert len(ids) == len(set(ids)), "an id appears twice"


def test_html_is_self_contained(main_html: str) -> None:
    assert "<link" not in main_html
    assert not re.search(r'\ssrc="', main_html)
    assert not re.search(r'href="(?!#)', main_html.replace('xmlns:xlink="http', ""))
    assert "<script" not in main_html.lower()
    assert "<style>" in main_html


def test_free_text_is_escaped_in_html(main_html: str) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main_html
    assert "Keine eigenen Unternehmen &lt;b&gt;fett&lt;/b&gt;" in main_html
    assert 'href="javascript' not in main_html
    assert LINK in main_html  # as text


def test_the_page_header_is_an_escaped_css_string() -> None:
    assert css_string('A"; } body { x') == ('"A\\000022 \\00003b  \\00007d  body \\00007b  x"')
    assert "<" not in css_string("</style><script>")


def test_criteria_show_level_descriptor_na_justification_evidence_and_comment(
    main_html: str, reports: Reports
) -> None:
    mandate = reports.catalog.criterion(MANDATE)
    assert "Stufe 3 – umgesetzt und gesteuert" in main_html
    assert str(mandate.level(3).de).replace('"', "&#34;") in main_html
    assert "dokumentiert" in main_html
    assert "nicht anwendbar" in main_html
    assert "Zweite Zeile des Kommentars" in main_html
    assert "Zielwert" in main_html  # governance_actors has a target


# --- marks, language, benchmark, development --------------------------------------------------


def test_a_demo_municipality_is_marked(reports: Reports) -> None:
    t = ReportText("de")
    demo = html_of(reports.demo)
    assert t("demo_note") in demo
    assert css_string(t("demo_mark")) in demo  # in the footer of every page
    real = html_of(reports.small)
    assert "DEMO" not in real


def test_the_english_report_is_translated(reports: Reports) -> None:
    html = html_of(reports.main, "en")
    html5lib.HTMLParser(strict=True).parse(html)
    assert '<html lang="en">' in html
    t = ReportText("en")
    for key in ("title", "summary", "contents", "benchmark", "development", "method"):
        assert t(key) in html
    for dimension in reports.catalog.dimensions:
        assert dimension.title.get("en") in html
    overall = reports.main.evaluation.scores.overall.value
    assert Text("en").percent(overall) in html
    assert css_string("Page ") in html
    english = " ".join(en for _, en in TEXTS.values())
    german_only = [
        de.split("{", 1)[0].strip()
        for de, en in TEXTS.values()
        if de != en and len(de.split("{", 1)[0].strip()) >= 8
    ]
    leaks = [  # as words: the German comment "… des Kommentars" is data, not a leak
        f
        for f in german_only
        if f not in english and re.search(rf"(?<!\w){re.escape(f)}(?!\w)", html)
    ]
    assert leaks == []


def test_the_comparison_shows_figures_for_a_large_group(reports: Reports, main_html: str) -> None:
    result = reports.main.benchmark.result
    assert result is not None and result.suppressed is None
    assert result.group_size == 10
    assert "n = 10 Kommunen mit eingereichter Bewertung für 2025" in main_html
    t = Text("de")
    for item in result.dimensions:
        assert item.statistics is not None
        assert t.percent(item.statistics.median) in main_html
        assert t.percent(item.percentile_rank, 0) in main_html
    assert suppression_reason(5).de not in main_html


def test_the_comparison_shows_only_the_reason_for_a_small_group(reports: Reports) -> None:
    result = reports.small.benchmark.result
    assert result is not None and result.suppressed is not None
    html = html_of(reports.small)
    assert suppression_reason(5).de in html
    assert "Median" not in html.split('id="benchmark"')[1].split('id="development"')[0]


def test_the_development_shows_every_period_and_the_change(
    reports: Reports, main_html: str
) -> None:
    history = reports.main.history
    assert [p.period for p in history.points] == [2024, 2025]
    section = main_html.split('id="development"')[1]
    assert "Veränderung seit 2024" in section
    t = Text("de")
    for dimension in reports.catalog.dimensions:
        assert t.signed(history.progress(dimension.id).change) in section
    assert t.signed(history.progress().change) in section
    draft_history = html_of(reports.draft).split('id="development"')[1]
    assert "2026 (Entwurf)" in draft_history


def test_a_draft_is_marked_on_the_cover_and_in_every_header(reports: Reports) -> None:
    assert reports.draft.is_draft and not reports.main.is_draft
    t = ReportText("de")
    html = html_of(reports.draft)
    cover = html.split("</header>")[0]
    assert t("draft_mark") in cover
    assert f"@top-right {{ content: {css_string(t('draft_mark'))}; }}" in html
    assert t("draft_mark") not in html_of(reports.main)


# --- the command -------------------------------------------------------------------------------


@pytest.fixture
def db(data: BenchmarkData, tmp_path: Path) -> Path:
    return data.copy_to(tmp_path / "nhm.duckdb")


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def report_cli(db: Path, *args: str) -> object:
    return runner.invoke(app, ["report", "--db", str(db), *args])


def output(result: object) -> str:
    return str(getattr(result, "output", "")) + str(getattr(result, "stderr", "") or "")


@needs_pdftotext
def test_the_command_writes_a_draft_pdf_marked_on_every_page(
    db: Path, out_dir: Path, tmp_path: Path
) -> None:
    out = out_dir / "bericht.pdf"
    result = report_cli(db, "--ags", RATSSTADT.ags, "--period", "2026", "--out", str(out))
    assert result.exit_code == 0, output(result)  # type: ignore[attr-defined]
    assert "draft" in output(result) and "wrote" in output(result)
    pages = pdf_text(out.read_bytes(), tmp_path, layout=False).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) > 5
    assert all("Entwurf – vorläufige Werte" in flat(page) for page in pages)
    assert [p.name for p in out_dir.iterdir()] == ["bericht.pdf"]


def test_the_command_writes_html_and_overwrites_an_existing_file(db: Path, out_dir: Path) -> None:
    out = out_dir / "bericht.html"
    out.write_text("old", encoding="utf-8")
    result = report_cli(
        db, "--ags", RATSSTADT.ags, "--period", "2025", "--out", str(out), "--lang", "en"
    )
    assert result.exit_code == 0, output(result)  # type: ignore[attr-defined]
    assert "overwrote" in output(result)
    html = out.read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(html)
    assert '<html lang="en">' in html and RATSSTADT.name.replace("&", "&amp;") in html
    assert [p.name for p in out_dir.iterdir()] == ["bericht.html"]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--ags", "1234", "--period", "2025"], "--ags"),
        (["--ags", "12345678", "--period", "2025"], "--ags"),
        (["--ags", RATSSTADT.ags, "--period", "abc"], "--period"),
        (["--ags", RATSSTADT.ags, "--period", "1800"], "--period"),
        (["--ags", RATSSTADT.ags, "--period", "2031"], "--period"),
        (["--ags", RATSSTADT.ags, "--period", "2025", "--format", "docx"], "--format"),
        (["--ags", RATSSTADT.ags, "--period", "2025", "--format", "html"], "--out"),
        (["--ags", RATSSTADT.ags, "--period", "2025", "--group", "town"], "--group"),
        (["--ags", RATSSTADT.ags, "--period", "2025", "--group", "ring:999"], "--group"),
    ],
)
def test_the_command_refuses_bad_input_naming_the_argument(
    db: Path, out_dir: Path, args: list[str], named: str
) -> None:
    result = report_cli(db, *args, "--out", str(out_dir / "bericht.pdf"))
    assert result.exit_code != 0  # type: ignore[attr-defined]
    assert named in output(result)
    assert "Traceback" not in output(result)
    assert list(out_dir.iterdir()) == []


def test_the_command_refuses_a_missing_folder_or_format(db: Path, out_dir: Path) -> None:
    missing = out_dir / "no-such-folder" / "bericht.pdf"
    result = report_cli(db, "--ags", RATSSTADT.ags, "--period", "2025", "--out", str(missing))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "--out" in output(result) and "does not exist" in output(result)
    unknown = out_dir / "bericht.docx"
    result = report_cli(db, "--ags", RATSSTADT.ags, "--period", "2025", "--out", str(unknown))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "--format" in output(result)
    result = report_cli(db, "--ags", RATSSTADT.ags, "--period", "2025", "--out", str(out_dir))
    assert result.exit_code == 1 and "is a folder" in output(result)  # type: ignore[attr-defined]
    assert list(out_dir.iterdir()) == []
    assert not missing.parent.exists()


def test_the_command_refuses_a_missing_database(tmp_path: Path, out_dir: Path) -> None:
    result = report_cli(
        tmp_path / "none.duckdb", "--ags", RATSSTADT.ags, "--period", "2025", "--out",
        str(out_dir / "b.pdf"),
    )  # fmt: skip
    assert result.exit_code == 1 and "--db" in output(result)  # type: ignore[attr-defined]
    assert not (tmp_path / "none.duckdb").exists()


def test_a_failed_pdf_leaves_an_existing_report_untouched(
    db: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = out_dir / "bericht.pdf"
    out.write_bytes(b"the old report")

    def broken(*_: object, **__: object) -> bytes:
        raise ReportError("PDF output needs the Pango library")

    monkeypatch.setattr(council, "render_pdf", broken)
    result = report_cli(db, "--ags", RATSSTADT.ags, "--period", "2025", "--out", str(out))
    assert result.exit_code == 1 and "Pango" in output(result)  # type: ignore[attr-defined]
    assert out.read_bytes() == b"the old report"
    assert [p.name for p in out_dir.iterdir()] == ["bericht.pdf"]
