"""The benchmark page ("Vergleich"): a box plot per dimension built from the group's quartiles
with the own score marked, a heat map of the levels per criterion, both with their numbers;
only the reason where a group is too small or would reveal a few municipalities by difference.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmark_fixtures import imported, seeded_responses, write
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    DE,
    EN,
    PERIOD,
    SETUP,
    catalog,
    copy_database,
    german_only_texts,
    labelled,
    open_app,
    rerun,
    submitted,
    use_database,
    values,
    visible_texts,
    write_demo_template,
)

from nhm.benchmark import BenchmarkResult, BenchmarkService, PeerGroupSpec, PluginScores
from nhm.catalog import load_catalog
from nhm.demo_data import MUSTERREGION_RING
from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import open_store
from nhm.ui.widgets import inert

PAGE = "nhm/ui/screens/benchmark.py"
BENCHMARK_MIN = 5  # nhm.benchmark.DEFAULT_MIN_GROUP_SIZE
FIRST = catalog().dimensions[0]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_db(demo_template: Path, db: Path) -> Path:
    return copy_database(demo_template, db)


# Seven GK6 Gemeinden in NRW and two in Schleswig-Holstein, all submitted for 2025: the size
# class (9) is shown, size class + NRW (7) differs from it by two municipalities only.
NRW = [f"0515800{i}" for i in range(1, 8)]
SH = ["01051011", "01051012"]


@pytest.fixture(scope="module")
def differencing_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("differencing") / "template.duckdb"
    places = [
        Municipality(
            ags=ags,
            name=f"Gemeinde {number}",
            kind=MunicipalityKind.GEMEINDE,
            population=12_000 + 500 * number,
        )
        for number, ags in enumerate(NRW + SH, start=1)
    ]
    items = [
        imported(ags, PERIOD, seeded_responses(catalog(), f"{ags}-{PERIOD}"), catalog=catalog())
        for ags in NRW + SH
    ]
    with open_store(path) as store:
        store.municipalities.save_many(places, SETUP, "saved")
        write(store, items)
    return path


def benchmark_page(ags: str | None = None, lang: str | None = None) -> AppTest:
    at = open_app(ags=ags, period=PERIOD if ags else None, lang=lang)
    at.switch_page(PAGE)
    return rerun(at)


def expected(db: Path, ags: str, group: str) -> BenchmarkResult:
    """The benchmark as the service computes it (the page must show the same)."""
    catalog_, host = load_catalog()
    with open_store(db) as store:
        service = BenchmarkService(store, catalog_, PluginScores.from_host(host, catalog_))
        return service.benchmark(ags, PERIOD, PeerGroupSpec.parse(group))


def charts(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def configs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(element.proto.config) for element in at.get("plotly_chart")]


def table(at: AppTest, first_column: str, second_column: str) -> list[dict[str, Any]]:
    found = [
        f.value for f in at.dataframe if list(f.value.columns[:2]) == [first_column, second_column]
    ]
    assert len(found) == 1, [list(f.value.columns) for f in at.dataframe]
    return found[0].to_dict("records")


def trace(figure: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [item for item in figure["data"] if item.get("name") == name]
    return found


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The benchmarks the page computes (the spec of each call)."""
    seen: list[str] = []
    original = BenchmarkService.benchmark

    def spy(self: BenchmarkService, ags: str, period: int, spec: PeerGroupSpec) -> Any:
        seen.append(str(spec))
        return original(self, ags, period, spec)

    monkeypatch.setattr(BenchmarkService, "benchmark", spy)
    yield seen


# --- a large group ---------------------------------------------------------------------------


def test_a_large_group_shows_the_box_plot_own_position_and_numbers(
    demo_db: Path, calls: list[str]
) -> None:
    members, _ = submitted(demo_db)
    chosen = members[0]
    want = expected(demo_db, chosen.ags, "all")
    assert want.suppressed is None and want.group_size is not None
    calls.clear()

    at = benchmark_page(chosen.ags)
    assert values(at.title) == [DE("benchmark.title", name=chosen.name, period=PERIOD)]
    assert calls == ["all"]  # nothing checked: all municipalities
    group = want.group.label.get("de")
    assert DE("benchmark.group", group=inert(group)) in values(at.subheader)
    assert DE("benchmark.group_size", n=want.group_size, period=PERIOD) in values(at.caption)
    assert DE("benchmark.percentile_note") in values(at.caption)

    box_plot, heat_map = charts(at)
    assert box_plot["layout"]["title"]["text"] == DE(
        "benchmark.box_title", group=group, n=want.group_size
    )
    assert box_plot["layout"]["separators"] == ",."
    box = trace(box_plot, DE("benchmark.box_legend"))
    assert box["type"] == "box"
    assert "y" not in box  # built from the quartiles: no single municipality's value
    shown = [d for d in want.dimensions if d.statistics is not None]
    assert box["q1"] == [d.statistics.q1 for d in shown]
    assert box["median"] == [d.statistics.median for d in shown]
    assert box["q3"] == [d.statistics.q3 for d in shown]
    own = trace(box_plot, DE("benchmark.own_marker", name=chosen.name))
    assert own["marker"]["symbol"] == "diamond"
    assert own["y"] == [d.own_score for d in want.dimensions if d.own_score is not None]
    assert configs(at)[0]["toImageButtonOptions"]["format"] == "png"
    assert configs(at)[0]["displaylogo"] is False

    rows = table(at, DE("col.dimension"), DE("benchmark.col_n"))
    assert [r[DE("col.dimension")] for r in rows] == [
        d.title.get("de") for d in catalog().dimensions
    ]
    first = want.dimension(FIRST.id)
    assert first.statistics is not None
    assert rows[0][DE("benchmark.col_n")] == str(first.statistics.n)
    assert rows[0][DE("benchmark.col_median")] == DE.percent(first.statistics.median)
    assert rows[0][DE("benchmark.col_q1")] == DE.percent(first.statistics.q1)
    assert rows[0][DE("benchmark.col_own")] == DE.percent(first.own_score)
    assert rows[0][DE("benchmark.col_rank")] == DE.percent(first.percentile_rank, 0)
    has_extremes = first.statistics.minimum is not None
    assert (DE("benchmark.col_min") in rows[0]) is has_extremes
    assert heat_map["data"][0]["type"] == "heatmap"

    # a rerun (here: clicking elsewhere) takes the result from the cache
    at.selectbox(key="benchmark-dimension").set_value(catalog().dimensions[1].id)
    rerun(at)
    assert calls == ["all"]


def test_the_heat_map_shows_the_level_shares_own_level_and_its_table(demo_db: Path) -> None:
    members, _ = submitted(demo_db)
    chosen = members[0]
    want = expected(demo_db, chosen.ags, "all")
    at = benchmark_page(chosen.ags)
    assert DE("benchmark.criteria") in values(at.subheader)
    assert at.selectbox(key="benchmark-dimension").value == FIRST.id

    heat_map = charts(at)[1]
    assert heat_map["layout"]["title"]["text"] == DE(
        "benchmark.heatmap_title",
        dimension=FIRST.title.get("de"),
        group=want.group.label.get("de"),
        n=want.group_size,
    )
    cells = heat_map["data"][0]
    assert cells["x"] == [DE("wizard.level_short", level=i) for i in range(5)] + [
        DE("benchmark.na_short")
    ]
    assert cells["y"] == [f"{i}. {c.title.get('de')}" for i, c in enumerate(FIRST.criteria, 1)]
    criterion = next(c for c in want.criteria if c.criterion_id == FIRST.full_id(FIRST.criteria[0]))
    assert criterion.distribution is not None
    counts = [criterion.distribution[level] for level in range(5)]
    counts.append(criterion.not_applicable or 0)
    assert cells["z"][0] == pytest.approx([100 * c / sum(counts) for c in counts])
    assert all(0 <= v <= 100 for row in cells["z"] for v in row if v is not None)
    if criterion.own_level is not None:
        own = trace(heat_map, DE("benchmark.own_level_marker", name=chosen.name))
        first_row = cells["y"][0]
        assert (DE("wizard.level_short", level=criterion.own_level), first_row) in zip(
            own["x"], own["y"], strict=True
        )

    assert DE("chart.numbers") in [e.label for e in at.expander]
    rows = table(at, DE("col.criterion"), DE("benchmark.col_n"))
    assert len(rows) == len(FIRST.criteria)
    level_2 = DE("wizard.level_short", level=2)
    share = DE.percent(100 * counts[2] / sum(counts), 0)
    assert rows[0][level_2] == f"{counts[2]} ({share})"
    assert rows[0][DE("benchmark.col_rank")] == DE.percent(criterion.percentile_rank, 0)

    # another dimension: its criteria
    other = catalog().dimensions[3]
    at.selectbox(key="benchmark-dimension").set_value(other.id)
    rerun(at)
    assert len(charts(at)[1]["data"][0]["y"]) == len(other.criteria)
    assert len(table(at, DE("col.criterion"), DE("benchmark.col_n"))) == len(other.criteria)


# --- groups without figures --------------------------------------------------------------------


def test_a_group_below_the_minimum_shows_only_the_reason(demo_db: Path) -> None:
    members, groups = submitted(demo_db)
    chosen = next(m for m in members if groups[(m.size_class, m.kind.is_county)] < BENCHMARK_MIN)
    want = expected(demo_db, chosen.ags, "size_class")
    assert want.suppressed is not None and want.refusal is None

    at = benchmark_page(chosen.ags)
    assert charts(at)  # all municipalities first
    labelled(at.checkbox, DE("benchmark.by_size_class", size_class=chosen.size_class)).check()
    rerun(at)
    notice = DE(
        "benchmark.suppressed",
        group=inert(want.group.label.get("de")),  # Markdown: escaped
        reason=inert(want.suppressed.get("de")),
    )
    assert notice in values(at.info)
    assert f"{BENCHMARK_MIN} Kommunen" in notice
    assert not at.get("plotly_chart")
    assert not at.dataframe
    assert DE("benchmark.dimensions") not in values(at.subheader)
    assert not any(v.startswith("n = ") for v in values(at.caption))


def test_a_group_revealing_a_few_by_difference_is_refused(
    differencing_template: Path, db: Path
) -> None:
    copy_database(differencing_template, db)
    ags = NRW[0]
    assert expected(db, ags, "size_class").suppressed is None
    want = expected(db, ags, "size_class+land")
    assert want.refusal == "differencing"
    assert want.suppressed is not None and want.group_size is None

    at = benchmark_page(ags)
    size_class = labelled(at.checkbox, DE("benchmark.by_size_class", size_class="GK6"))
    size_class.check()
    labelled(at.checkbox, DE("benchmark.by_land", land="Nordrhein-Westfalen")).check()
    rerun(at)
    assert values(at.warning) == [
        DE(
            "benchmark.refused",
            group=inert(want.group.label.get("de")),
            reason=inert(want.suppressed.get("de")),
        )
    ]
    assert not at.get("plotly_chart")
    assert not at.dataframe
    assert not any(v.startswith("n = ") for v in values(at.caption))

    # the broader group alone is shown
    labelled(at.checkbox, DE("benchmark.by_land", land="Nordrhein-Westfalen")).uncheck()
    rerun(at)
    assert not at.warning
    assert DE("benchmark.group_size", n=len(NRW + SH), period=PERIOD) in values(at.caption)


# --- choice and language ---------------------------------------------------------------------


def test_without_a_choice_the_page_asks_to_choose_first(db: Path) -> None:
    at = benchmark_page()
    assert values(at.title) == [DE("benchmark.title_plain")]
    assert values(at.info) == [DE("common.choose_first")]
    assert not at.get("plotly_chart")


def test_english_translates_the_page(demo_db: Path) -> None:
    members, _ = submitted(demo_db)
    chosen = members[0]
    want = expected(demo_db, chosen.ags, "all")
    at = benchmark_page(chosen.ags, lang="en")
    assert values(at.title) == [EN("benchmark.title", name=chosen.name, period=PERIOD)]
    box_plot, heat_map = charts(at)
    group = want.group.label.get("en")
    assert box_plot["layout"]["title"]["text"] == EN(
        "benchmark.box_title", group=group, n=want.group_size
    )
    assert box_plot["layout"]["separators"] == ".,"
    assert heat_map["data"][0]["x"][0] == EN("wizard.level_short", level=0)
    rows = table(at, EN("col.dimension"), EN("benchmark.col_n"))
    assert rows[0][EN("col.dimension")] == FIRST.title.get("en")
    shown = list(visible_texts(at))
    leaks = {f for f in german_only_texts() for text in shown if f in text}
    assert not leaks, leaks
    assert EN("benchmark.percentile_note") in shown


def test_a_ring_is_offered_only_to_its_members(demo_db: Path) -> None:
    with open_store(demo_db) as store:
        [ring] = [r for r in store.rings.list() if r.name == MUSTERREGION_RING]
        inside = {m.ags for m in store.rings.members(ring.id)}
    members, _ = submitted(demo_db)
    member = next(m for m in members if m.ags in inside)
    outsider = next(m for m in members if m.ags not in inside)
    want = expected(demo_db, member.ags, f"ring:{ring.id}")

    at = benchmark_page(outsider.ags)
    assert not [s for s in at.selectbox if s.label == DE("benchmark.ring")]

    at = benchmark_page(member.ags)
    select = labelled(at.selectbox, DE("benchmark.ring"))
    assert select.options == [DE("benchmark.no_ring"), ring.name]
    select.set_value(ring.id)
    rerun(at)
    group = want.group.label.get("de")
    if want.suppressed is None:
        assert DE("benchmark.group", group=inert(group)) in values(at.subheader)
        assert charts(at)[0]["layout"]["title"]["text"] == DE(
            "benchmark.box_title", group=group, n=want.group_size
        )
    else:
        assert not at.get("plotly_chart")
