"""The results page: overall score, dimensions, radar chart with its numbers, peer medians
(shown for a large enough peer group, suppressed otherwise), next steps and downloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import streamlit.dataframe_util
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    ACTOR,
    DE,
    PERIOD,
    REAL,
    add_municipalities,
    answer_all,
    catalog,
    copy_database,
    labelled,
    open_app,
    rerun,
    submitted,
    use_database,
    values,
    write_demo_template,
)

from nhm.assessment import Response
from nhm.benchmark import BenchmarkResult, BenchmarkService, PeerGroupSpec, PluginScores
from nhm.catalog import load_catalog
from nhm.store import open_store

ACTORS = catalog().dimension("governance_actors")
BENCHMARK_MIN = 5  # nhm.benchmark.DEFAULT_MIN_GROUP_SIZE


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


@pytest.fixture
def answered(db: Path) -> int:
    """Köln's 2025 draft with every criterion of the first dimension at level 2 (score 50 %)."""
    draft = add_municipalities(db, REAL, drafts=[REAL.ags])[REAL.ags]
    answer_all(db, draft, {ACTORS.full_id(c): Response(level=2) for c in ACTORS.criteria})
    return draft


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_db(demo_template: Path, db: Path) -> Path:
    return copy_database(demo_template, db)


def results(ags: str = REAL.ags) -> AppTest:
    return open_app("results", ags=ags, period=PERIOD)


def frame(at: AppTest, first_column: str, second_column: str) -> list[dict[str, Any]]:
    """The rows of the one table whose first two columns are these."""
    found = [
        f.value for f in at.dataframe if list(f.value.columns[:2]) == [first_column, second_column]
    ]
    assert len(found) == 1, [list(f.value.columns) for f in at.dataframe]
    return found[0].to_dict("records")


def chart(at: AppTest) -> dict[str, Any]:
    [element] = at.get("plotly_chart")
    return json.loads(element.proto.spec)


def test_results_show_overall_score_dimensions_chart_and_next_steps(
    db: Path, answered: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrow_fixes: list[object] = []
    original = streamlit.dataframe_util.fix_arrow_incompatible_column_types

    def spy(*args: Any, **kwargs: Any) -> Any:
        arrow_fixes.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(streamlit.dataframe_util, "fix_arrow_incompatible_column_types", spy)
    at = results()

    assert values(at.title) == [DE("results.title", name=REAL.name, period=PERIOD)]
    assert DE("results.draft_note") in values(at.warning)
    [metric] = at.metric
    assert metric.value == "50,0 %"  # one dimension answered, all at level 2 of 4
    left_out = ", ".join(d.title.get("de") for d in catalog().dimensions[1:])
    assert DE("results.left_out", dimensions=left_out) in values(at.caption)

    rows = frame(at, DE("col.dimension"), DE("col.score"))
    assert [r[DE("col.dimension")] for r in rows] == [
        d.title.get("de") for d in catalog().dimensions
    ]
    first = rows[0]
    assert first[DE("col.score")] == "50,0 %"
    assert first[DE("col.gated")] == "2"
    assert first[DE("col.coverage")] == "100 %"
    assert first[DE("col.answered")] == f"{len(ACTORS.criteria)} / {len(ACTORS.criteria)}"
    assert rows[1][DE("col.score")] == "–"
    assert rows[1][DE("col.gated")] == "–"
    # every table is Arrow-compatible as built (no automatic type fixes by Streamlit)
    assert arrow_fixes == []

    spec = chart(at)
    assert spec["layout"]["title"]["text"] == DE("chart.radar_title")
    assert [trace["name"] for trace in spec["data"]] == [DE("chart.own")]
    assert spec["data"][0]["r"][0] == 50.0
    assert DE("chart.numbers") in [e.label for e in at.expander]
    numbers = frame(at, DE("col.dimension"), DE("chart.own"))
    assert [r[DE("chart.own")] for r in numbers] == ["50,0 %", "–", "–", "–", "–"]

    assert DE("results.next_steps") in values(at.subheader)
    steps = [m for m in values(at.markdown) if m.startswith("- **")]
    assert len(steps) >= 1
    assert f"**{ACTORS.title.get('de')}**" in values(at.markdown)
    assert all(DE("results.step_levels", current=2, next=3) in s for s in steps)


def test_results_offer_json_and_xlsx_downloads(db: Path, answered: int) -> None:
    at = results()
    assert DE("results.downloads") in values(at.subheader)
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [
        DE("results.download_json"),
        DE("results.download_xlsx"),
        DE("report.download_pdf"),
        DE("report.download_html"),
    ]
    # built only on a click (then the right is checked again and the export logged)
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)


def test_results_offer_the_council_report_made_only_on_click(
    db: Path, answered: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two buttons for the shown revision's council report; a run (or rerun) of the page
    builds neither file: the data is deferred to the click, and the deferred callable works
    outside the script run."""
    import html5lib
    from streamlit.runtime.media_file_manager import MediaFileManager

    from nhm.report import council

    deferred: dict[str, Any] = {}
    register = MediaFileManager.add_deferred

    def spy(
        self: MediaFileManager,
        data: Any,
        mimetype: Any,
        coordinates: str,
        file_name: Any = None,
        **kw: Any,
    ) -> str:
        deferred[str(file_name)] = data
        return register(self, data, mimetype, coordinates, file_name, **kw)

    built: list[str] = []
    build = council.build_report
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    monkeypatch.setattr(
        council, "build_report", lambda *a, **k: built.append(a[1].ags) or build(*a, **k)
    )
    at = results()
    rerun(at)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    pdf, html = buttons[DE("report.download_pdf")], buttons[DE("report.download_html")]
    assert pdf.help == DE("report.download_help")
    assert pdf.deferred_file_id and html.deferred_file_id and not pdf.url and not html.url
    assert built == []  # two runs, no report
    stem = f"nhm-ratsbericht-{REAL.ags}-{PERIOD}-r1"
    assert {f"{stem}.pdf", f"{stem}.html"} <= set(deferred)
    page = deferred[f"{stem}.html"]()  # what a click on "Ratsbericht (HTML)" makes
    assert built == [REAL.ags]
    html5lib.HTMLParser(strict=True).parse(page)
    assert REAL.name in page.decode("utf-8") and "Entwurf – vorläufige Werte" in page.decode()
    with open_store(db) as store:
        [export] = [e for e in store.audit.entries() if e.action.startswith("export.")]
    assert (export.action, export.actor, export.entity_key) == (
        "export.report_html",
        ACTOR,  # the local user in the app, as for the app's changes
        f"{REAL.ags}/{PERIOD}",
    )


def test_results_of_a_municipality_without_peers_show_the_suppression(
    db: Path, answered: int
) -> None:
    at = results()
    group = labelled(at.selectbox, DE("results.peer_group"))
    assert group.value == "size_class"
    # Köln is the only real municipality: far below the minimum group size
    expected = _benchmark(db, REAL.ags, "size_class")
    assert expected.suppressed is not None
    assert f"{BENCHMARK_MIN} Kommunen" in expected.suppressed.get("de")
    assert DE(
        "results.peers_suppressed",
        group=expected.group.label.get("de"),
        reason=expected.suppressed.get("de"),
    ) in values(at.caption)
    assert len(chart(at)["data"]) == 1  # no median series
    numbers = frame(at, DE("col.dimension"), DE("chart.own"))
    assert list(numbers[0]) == [DE("col.dimension"), DE("chart.own")]


def _benchmark(db: Path, ags: str, group: str) -> BenchmarkResult:
    """The benchmark as the service computes it (the page must show the same)."""
    catalog_, host = load_catalog()
    with open_store(db) as store:
        service = BenchmarkService(store, catalog_, PluginScores.from_host(host, catalog_))
        return service.benchmark(ags, PERIOD, PeerGroupSpec.parse(group))


def test_peer_median_appears_in_the_chart_and_its_numbers(demo_db: Path) -> None:
    members, groups = submitted(demo_db)
    # GK7 (16) lies only 3 below the cities and municipalities (19): refused as differencing
    chosen = next(m for m in members if groups[(m.size_class, m.kind.is_county)] >= BENCHMARK_MIN)
    refused = _benchmark(demo_db, chosen.ags, "size_class")
    assert refused.refusal == "differencing"
    assert refused.suppressed is not None
    at = results(chosen.ags)
    assert DE(
        "results.peers_suppressed",
        group=refused.group.label.get("de"),
        reason=refused.suppressed.get("de"),
    ) in values(at.caption)
    assert [trace["name"] for trace in chart(at)["data"]] == [DE("chart.own")]

    expected = _benchmark(demo_db, chosen.ags, "all")
    assert expected.suppressed is None
    assert expected.group_size is not None
    at.selectbox(key="results-peer-group").set_value("all")
    rerun(at)
    assert DE(
        "results.peers", group=expected.group.label.get("de"), n=expected.group_size
    ) in values(at.caption)
    median = DE("chart.peer_median", n=expected.group_size)
    assert [trace["name"] for trace in chart(at)["data"]] == [DE("chart.own"), median]
    numbers = frame(at, DE("col.dimension"), DE("chart.own"))
    assert list(numbers[0]) == [DE("col.dimension"), DE("chart.own"), median]
    medians = {d.dimension_id: d.statistics for d in expected.dimensions}
    for row, dimension in zip(numbers, catalog().dimensions, strict=True):
        stats = medians.get(dimension.id)
        assert row[median] == DE.percent(stats.median if stats else None)
    assert any(row[median] != "–" for row in numbers)


def test_peer_median_is_suppressed_for_a_small_peer_group(demo_db: Path) -> None:
    members, groups = submitted(demo_db)
    chosen = next(m for m in members if groups[(m.size_class, m.kind.is_county)] < BENCHMARK_MIN)
    expected = _benchmark(demo_db, chosen.ags, "size_class")
    assert expected.suppressed is not None

    at = results(chosen.ags)
    assert DE(
        "results.peers_suppressed",
        group=expected.group.label.get("de"),
        reason=expected.suppressed.get("de"),
    ) in values(at.caption)
    assert [trace["name"] for trace in chart(at)["data"]] == [DE("chart.own")]

    # the whole demo data set is large enough: choosing "all" brings the median back
    everyone = _benchmark(demo_db, chosen.ags, "all")
    assert everyone.group_size is not None
    at.selectbox(key="results-peer-group").set_value("all")
    rerun(at)
    assert [trace["name"] for trace in chart(at)["data"]] == [
        DE("chart.own"),
        DE("chart.peer_median", n=everyone.group_size),
    ]


def test_results_without_a_choice_ask_to_choose_first(db: Path) -> None:
    at = open_app("results")
    assert values(at.title) == [DE("results.title_plain")]
    assert values(at.info) == [DE("common.choose_first")]
    assert not at.metric
    assert not at.get("plotly_chart")


def test_results_for_a_year_without_assessment_say_so(db: Path) -> None:
    add_municipalities(db, REAL)
    at = results()
    assert values(at.info) == [DE("results.none", period=PERIOD)]
    assert not at.metric


def test_results_of_an_empty_draft_point_to_the_self_assessment(db: Path) -> None:
    add_municipalities(db, REAL, drafts=[REAL.ags])
    at = results()
    assert not at.exception
    captions = values(at.caption)
    assert DE("results.no_steps_unanswered") in captions
    assert DE("results.no_steps") not in captions
    # no dimension is scored: the radar leaves gaps instead of drawing zeros
    own = chart(at)["data"][0]
    assert all(value is None for value in own["r"])
