"""Peer-group benchmarks on a real DuckDB file: statistics recomputed in Python, the
submitted-only and demo/real rules, suppression of small groups, ring consent, trends,
criteria and the `nhm benchmark` / `nhm score` commands.

The data set is described in ``tests/benchmark_fixtures.py``; it is written once per module
and copied for each test that changes it or hands it to the command line.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import statistics
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest
from benchmark_fixtures import (
    ACTOR,
    COMPANIES,
    DEMO,
    DRAFT_ONLY,
    LAND05,
    LAND09,
    NA_COMPANIES,
    NO_POPULATION,
    PERIOD,
    REAL_SUBMITTED,
    REVISED,
    REVISED_DRAFT,
    RING_CONSENTING,
    RING_MEMBERS,
    RING_SELF,
    BenchmarkData,
    Place,
    build_benchmark_data,
    imported,
    place,
    python_scores,
    write,
)
from typer.testing import CliRunner

from nhm import hookimpl
from nhm.assessment import Assessment, Response
from nhm.benchmark import (
    BenchmarkError,
    BenchmarkResult,
    BenchmarkService,
    PeerGroupSpec,
    PluginScores,
    Statistics,
    anonymous_label,
    suppression_reason,
)
from nhm.catalog import load_catalog
from nhm.cli import app
from nhm.evaluation import evaluate
from nhm.model import Catalog, Criterion, Dimension, LocalizedText
from nhm.municipality import Municipality, MunicipalityKind
from nhm.plugins import load_plugins
from nhm.scoring import DimensionScore, score_dimension
from nhm.store import NotFoundError, Store, open_store

runner = CliRunner()
ALL = PeerGroupSpec()
LAND = PeerGroupSpec(land=True)
SIZE = PeerGroupSpec(size_class=True)


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The real catalog of the built-in dimensions (see tests/test_store.py for the env)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NHM_PLUGIN_DIRS", raising=False)
        mp.delenv("NHM_DISABLE_PLUGINS", raising=False)
        loaded, _ = load_catalog()
    return loaded


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> BenchmarkData:
    folder = tmp_path_factory.mktemp("benchmark-template")
    return build_benchmark_data(folder / "template.duckdb", catalog)


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty-template") / "empty.duckdb"
    with open_store(path):
        pass
    return path


@pytest.fixture(scope="module")
def shared(data: BenchmarkData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One open copy for the tests that only read."""
    path = data.copy_to(tmp_path_factory.mktemp("benchmark-shared") / "nhm.duckdb")
    with open_store(path) as store:
        yield store


@pytest.fixture
def service(shared: Store, catalog: Catalog) -> BenchmarkService:
    return BenchmarkService(shared, catalog)


@pytest.fixture
def db_copy(data: BenchmarkData, tmp_path: Path) -> Path:
    """A copy of the data set of this test's own (closed: ready for the command line)."""
    return data.copy_to(tmp_path / "nhm.duckdb")


def cli(*args: str) -> Any:
    return runner.invoke(app, list(args))


# --- helpers -------------------------------------------------------------------------------


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def mid_rank(values: list[float], own: float) -> float:
    below = sum(1 for v in values if v < own)
    level = sum(1 for v in values if v == own)
    return 100.0 * (below + 0.5 * level) / len(values)


def assert_statistics(stats: Statistics | None, values: list[float]) -> None:
    assert stats is not None
    q1, median, q3 = quartiles(values)
    assert stats.n == len(values)
    assert stats.q1 == pytest.approx(q1, abs=1e-6)
    assert stats.median == pytest.approx(median, abs=1e-6)
    assert stats.q3 == pytest.approx(q3, abs=1e-6)
    assert stats.mean == pytest.approx(statistics.fmean(values), abs=1e-6)
    if len(values) >= 10:
        assert stats.minimum == pytest.approx(min(values), abs=1e-6)
        assert stats.maximum == pytest.approx(max(values), abs=1e-6)
    else:
        assert stats.minimum is None and stats.maximum is None


def assert_fully_suppressed(result: BenchmarkResult) -> None:
    assert result.suppressed is not None
    assert result.group_size is None
    assert result.members == []
    for item in result.dimensions:
        assert item.statistics is None
        assert item.percentile_rank is None
        assert item.suppressed == result.suppressed
    for crit in result.criteria:
        assert crit.statistics is None
        assert crit.distribution is None
        assert crit.not_applicable is None
        assert crit.percentile_rank is None
    for points in result.trends.values():
        for point in points:
            if point.period == result.period:
                assert (point.n, point.median, point.q1, point.q3) == (None, None, None, None)


def assert_shows_statistics(
    data: BenchmarkData, result: BenchmarkResult, members: list[str]
) -> None:
    """Every dimension's statistics and the own rank equal the Python computation."""
    assert result.suppressed is None
    assert result.group_size == len(members)
    own = python_scores(data.catalog, data.own[(result.ags, result.period)])
    for item in result.dimensions:
        values = data.group_scores(members, item.dimension_id, result.period)
        assert_statistics(item.statistics, values)
        assert item.suppressed is None
        assert item.own_score == pytest.approx(own[item.dimension_id], abs=1e-6)
        own_value = own[item.dimension_id]
        assert own_value is not None
        assert item.percentile_rank == pytest.approx(mid_rank(values, own_value))


def ags_of(places: list[Place]) -> list[str]:
    return [p.ags for p in places]


# --- the statistics --------------------------------------------------------------------------


def test_python_inclusive_quantiles_match_duckdb_quantile_cont() -> None:
    rng = random.Random(7)
    connection = duckdb.connect()
    for size in (1, 2, 3, 5, 9, 12, 17):
        values = [round(rng.uniform(0, 100), 3) for _ in range(size)]
        row = connection.execute(
            "SELECT quantile_cont(v, [0.25, 0.5, 0.75]) FROM (SELECT unnest($values) AS v)",
            {"values": values},
        ).fetchone()
        assert row is not None
        expected = (
            quartiles(values) if size > 1 else (values[0], values[0], values[0])
        )  # statistics.quantiles needs two values
        assert row[0] == pytest.approx(list(expected), abs=1e-9)
    connection.close()


def test_group_of_twelve_equals_the_python_computation(
    service: BenchmarkService, data: BenchmarkData
) -> None:
    result = service.benchmark("05158004", PERIOD, LAND)
    assert result.group.land == "05"
    assert result.group.label.de == "Nordrhein-Westfalen"
    assert result.own_status == "submitted"
    assert_shows_statistics(data, result, ags_of(LAND05))
    assert all(d.statistics and d.statistics.minimum is not None for d in result.dimensions)


def test_group_of_nine_has_no_minimum_and_maximum(
    service: BenchmarkService, data: BenchmarkData
) -> None:
    gk6 = [p.ags for p in REAL_SUBMITTED if p.municipality().size_class == "GK6"]
    assert len(gk6) == 9
    result = service.benchmark("05158012", PERIOD, SIZE)
    assert result.group.size_class == "GK6"
    assert_shows_statistics(data, result, gk6)
    for item in result.dimensions:
        assert item.statistics is not None
        assert item.statistics.minimum is None and item.statistics.maximum is None


def test_group_of_exactly_the_minimum_shows_statistics(
    shared: Store, catalog: Catalog, data: BenchmarkData
) -> None:
    # Bayern has four; at minimum 4 every Land is shown and none leaves a remainder
    service = BenchmarkService(shared, catalog, min_group_size=4)
    result = service.benchmark("09184112", PERIOD, LAND)
    assert_shows_statistics(data, result, ags_of(LAND09))
    assert {d.statistics.n for d in result.dimensions if d.statistics} == {4}


def test_a_land_is_refused_when_the_lands_shown_leave_a_small_remainder(
    service: BenchmarkService,
) -> None:
    """All 21 = NRW 12 + Schleswig-Holstein 5 + Bayern 4: with Bayern suppressed, showing
    Schleswig-Holstein would reveal Bayern as all − NRW − SH. The smaller shown Land goes."""
    holstein = service.benchmark("01051011", PERIOD, LAND)
    assert holstein.refusal == "differencing"
    assert holstein.suppressed is not None
    assert "Restgruppe von weniger als 5 Kommunen" in holstein.suppressed.de
    assert "(alle Kommunen)" in holstein.suppressed.de
    assert_fully_suppressed(holstein)
    # the larger Land stays, and the same rule holds whoever asks
    assert service.benchmark("05158004", PERIOD, LAND).refusal is None
    assert service.benchmark("01001000", PERIOD, LAND).refusal == "differencing"


def test_sql_scores_equal_python_scores_for_every_municipality(
    service: BenchmarkService, data: BenchmarkData
) -> None:
    for p in [*REAL_SUBMITTED, *DEMO, DRAFT_ONLY]:
        result = service.benchmark(p.ags, PERIOD, ALL)
        expected = python_scores(data.catalog, data.own[(p.ags, PERIOD)])
        found = {d.dimension_id: d.own_score for d in result.dimensions}
        assert found == pytest.approx(expected, abs=1e-6), p.ags


def test_weights_other_than_one_are_scored_like_python(
    empty_template: Path, tmp_path: Path
) -> None:
    def crit(cid: str, weight: float, na_allowed: bool = False) -> Criterion:
        return Criterion(
            id=cid,
            title=LocalizedText(de=cid),
            question=LocalizedText(de=f"{cid}?"),
            levels={i: LocalizedText(de=f"{cid} {i}") for i in range(5)},
            weight=weight,
            na_allowed=na_allowed,
        )

    def dim(did: str, criteria: list[Criterion], order: int) -> Dimension:
        return Dimension(
            id=did,
            version="1.0.0",
            title=LocalizedText(de=did),
            description=LocalizedText(de=did),
            order=order,
            criteria=criteria,
        )

    custom = Catalog(
        dimensions=[
            dim("heavy", [crit("a", 2.0), crit("b", 0.5), crit("c", 1.0, na_allowed=True)], 1),
            dim("light", [crit("x", 0.5), crit("y", 2.0, na_allowed=True)], 2),
        ]
    )
    rng = random.Random(11)
    towns = [f"0919901{i}" for i in range(7)]
    items = []
    for ags in towns:
        responses: dict[str, Response] = {}
        for d, c in custom.iter_criteria():
            if c.na_allowed and rng.random() < 0.3:
                responses[d.full_id(c)] = Response(not_applicable=True, justification="keine")
            else:
                responses[d.full_id(c)] = Response(level=rng.randint(0, 4))
        items.append(imported(ags, PERIOD, responses, catalog=custom))
    items[0].assessment.responses["light.x"] = Response(level=1)
    items[0].assessment.responses["light.y"] = Response(level=4)  # 0.5·1 + 2·4 = 8.5 of 10
    path = tmp_path / "custom.duckdb"
    shutil.copyfile(empty_template, path)
    with open_store(path) as store:
        store.municipalities.save_many(
            [
                Municipality(ags=a, name=f"Demo {a}", kind=MunicipalityKind.GEMEINDE, is_demo=True)
                for a in towns
            ],
            ACTOR,
            "saved",
        )
        write(store, items)
        service = BenchmarkService(store, custom)
        python = {item.assessment.ags: python_scores(custom, item.assessment) for item in items}
        assert python[towns[0]]["light"] == pytest.approx(85.0)
        for ags in towns:
            result = service.benchmark(ags, PERIOD, ALL)
            assert result.group_size == 7
            found = {d.dimension_id: d.own_score for d in result.dimensions}
            assert found == pytest.approx(python[ags], abs=1e-6)
        for item in result.dimensions:
            values = [s for v in python.values() if (s := v[item.dimension_id]) is not None]
            assert_statistics(item.statistics, values)


# --- only submitted assessments, the latest submitted revision ------------------------------


def test_a_draft_only_municipality_is_not_counted(
    service: BenchmarkService, data: BenchmarkData
) -> None:
    result = service.benchmark(DRAFT_ONLY.ags, PERIOD, LAND)
    assert result.own_status == "draft"
    assert result.group_size == 12  # not 13
    own = python_scores(data.catalog, data.own[(DRAFT_ONLY.ags, PERIOD)])
    for item in result.dimensions:
        assert item.statistics is not None and item.statistics.n == 12
        assert item.own_score == pytest.approx(own[item.dimension_id], abs=1e-6)
        values = data.group_scores(ags_of(LAND05), item.dimension_id)
        assert item.percentile_rank == pytest.approx(mid_rank(values, own[item.dimension_id]))


def test_one_service_sees_a_new_submission_at_once(db_copy: Path, catalog: Catalog) -> None:
    """The service keeps the peer counts between benchmarks only while the peer data stay."""
    with open_store(db_copy) as store:
        service = BenchmarkService(store, catalog)
        assert service.benchmark(DRAFT_ONLY.ags, PERIOD, LAND).group_size == 12
        draft = store.assessments.get(DRAFT_ONLY.ags, PERIOD)
        assert draft is not None
        store.assessments.submit(draft.id, draft.version, "test")
        assert service.benchmark(DRAFT_ONLY.ags, PERIOD, LAND).group_size == 13


def test_the_latest_submitted_revision_counts_once(
    service: BenchmarkService, data: BenchmarkData, shared: Store
) -> None:
    first = shared.assessments.get(REVISED, PERIOD, 1)
    assert first is not None
    first_scores = python_scores(data.catalog, first.to_assessment())
    second_scores = data.scores(REVISED)
    assert first_scores != second_scores
    result = service.benchmark(REVISED, PERIOD, LAND)
    assert result.own_status == "submitted"
    assert result.group_size == 12
    found = {d.dimension_id: d.own_score for d in result.dimensions}
    assert found == pytest.approx(second_scores, abs=1e-6)
    # the group statistics hold revision 2 only (assert_shows_statistics recomputes them)
    assert_shows_statistics(data, result, ags_of(LAND05))


def test_a_later_draft_does_not_replace_the_submitted_revision(
    service: BenchmarkService, data: BenchmarkData, shared: Store
) -> None:
    draft = shared.assessments.get(REVISED_DRAFT, PERIOD)
    assert draft is not None and draft.revision == 2 and draft.is_draft
    draft_scores = python_scores(data.catalog, draft.to_assessment())
    submitted_scores = data.scores(REVISED_DRAFT)
    assert draft_scores != submitted_scores
    result = service.benchmark(REVISED_DRAFT, PERIOD, LAND)
    assert result.own_status == "submitted"
    found = {d.dimension_id: d.own_score for d in result.dimensions}
    assert found == pytest.approx(submitted_scores, abs=1e-6)
    assert_shows_statistics(data, result, ags_of(LAND05))


# --- suppression -----------------------------------------------------------------------------


def test_group_of_four_shows_nothing_but_the_reason(
    service: BenchmarkService, data: BenchmarkData
) -> None:
    result = service.benchmark("09162000", PERIOD, LAND)  # 4 real in Bayern (+ 6 demo)
    assert_fully_suppressed(result)
    assert result.suppressed is not None
    assert "Weniger als 5 Kommunen" in result.suppressed.de
    assert "fewer than 5" in (result.suppressed.en or "")
    own = data.scores("09162000")
    assert {d.dimension_id: d.own_score for d in result.dimensions} == pytest.approx(own, abs=1e-6)
    assert {c.own_level for c in result.criteria} - {None} <= set(range(5))


def test_minimum_group_size_is_at_least_three(shared: Store, catalog: Catalog) -> None:
    for bad in (2, 0, -1, True, 3.5):
        with pytest.raises(BenchmarkError, match="minimum group size"):
            BenchmarkService(shared, catalog, min_group_size=bad)  # type: ignore[arg-type]
    # with 3, the four real Bavarian municipalities show, and no demo one is counted
    result = BenchmarkService(shared, catalog, min_group_size=3).benchmark("09162000", PERIOD, LAND)
    assert result.group_size == 4
    assert result.group.min_group_size == 3


def test_demo_and_real_never_mix(service: BenchmarkService) -> None:
    real = service.benchmark("05158004", PERIOD, ALL)
    assert real.group_size == len(REAL_SUBMITTED) == 21
    assert real.group.is_demo is False
    demo = service.benchmark("09199001", PERIOD, ALL)
    assert demo.group_size == len(DEMO) == 6
    assert demo.group.is_demo is True
    demo_land = service.benchmark("09199002", PERIOD, LAND)  # Bayern: 6 demo, not + 4 real
    assert demo_land.group_size == 6
    assert service.benchmark("09162000", PERIOD, LAND).group_size is None  # 4, not 10


# --- peer groups -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("all", PeerGroupSpec()),
        ("size_class", PeerGroupSpec(size_class=True)),
        ("kind", PeerGroupSpec(kind=True)),
        ("land", PeerGroupSpec(land=True)),
        ("ring:3", PeerGroupSpec(ring_id=3)),
        ("size_class+land", PeerGroupSpec(size_class=True, land=True)),
        (" kind + land ", PeerGroupSpec(kind=True, land=True)),
        ("size_class,kind", PeerGroupSpec(size_class=True, kind=True)),
        ("land+ring:12", PeerGroupSpec(land=True, ring_id=12)),
    ],
)
def test_peer_group_spec_parse(text: str, expected: PeerGroupSpec) -> None:
    parsed = PeerGroupSpec.parse(text)
    assert parsed == expected
    assert PeerGroupSpec.parse(str(parsed)) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo", "unknown peer group 'foo'"),
        ("all+land", "'all' cannot be combined"),
        ("ring:x", "unknown peer group 'ring:x'"),
        ("ring:", "unknown peer group 'ring:'"),
        ("", "empty peer group"),
        ("+", "empty peer group"),
        ("Land", "unknown peer group 'Land'"),
    ],
)
def test_invalid_peer_group_specs(text: str, message: str) -> None:
    with pytest.raises(BenchmarkError, match=re.escape(message)):
        PeerGroupSpec.parse(text)


def _expected_members(own: Place, spec: PeerGroupSpec) -> list[str]:
    """The real, submitted peers of ``own`` computed from the data set's definition."""
    me = own.municipality()
    found = []
    for p in REAL_SUBMITTED:
        m = p.municipality()
        if spec.size_class and m.size_class != me.size_class:
            continue
        same_kind = spec.kind or spec.size_class  # size classes are defined per kind
        if same_kind and m.kind.is_county != me.kind.is_county:
            continue
        if spec.land and m.land != me.land:
            continue
        found.append(p.ags)
    return found


def _broader_specs(spec: PeerGroupSpec) -> list[PeerGroupSpec]:
    """Every peer group a user can choose that holds the group of ``spec`` (fewer parts, or
    the kind instead of the size class)."""
    parts = [p for p in ("size_class", "kind", "land") if getattr(spec, p)]
    if spec.size_class and "kind" not in parts:
        parts.append("kind")
    found = []
    for mask in range(2 ** len(parts)):
        chosen = {p for i, p in enumerate(parts) if mask & (1 << i)}
        found.append(
            PeerGroupSpec(
                size_class="size_class" in chosen,
                kind="kind" in chosen and "size_class" not in chosen,
                land="land" in chosen,
            )
        )
    return found


def _differs_by_few(own: Place, spec: PeerGroupSpec, minimum: int = 5) -> bool:
    members = set(_expected_members(own, spec))
    for broader in _broader_specs(spec):
        others = set(_expected_members(own, broader))
        assert members <= others
        if (
            len(members) >= minimum
            and len(others) >= minimum
            and 0 < len(others - members) < minimum
        ):
            return True
    return False


def _leaves_a_small_remainder(own: Place, spec: PeerGroupSpec, minimum: int = 5) -> bool:
    """The sibling rule computed from the data set's definition: for each broader group one
    part up (parent), the peer groups of the parent's members under ``spec`` (siblings); the
    shown ones (≥ minimum) are withheld smallest first while the parent's remainder is small."""
    members = set(_expected_members(own, spec))
    parents = []
    if spec.size_class:
        parents += [replace(spec, size_class=False, kind=True), replace(spec, size_class=False)]
    if spec.kind and not spec.size_class:
        parents.append(replace(spec, kind=False))
    if spec.land:
        parents.append(replace(spec, land=False))
    for parent_spec in parents:
        parent = set(_expected_members(own, parent_spec))
        if len(parent) < minimum:
            continue
        siblings = {frozenset(_expected_members(place(a), spec)) & parent for a in parent}
        shown = sorted((s for s in siblings if len(s) >= minimum), key=len)
        remainder = len(parent) - sum(len(s) for s in shown)
        while 0 < remainder < minimum and shown:
            withheld = shown.pop(0)
            remainder += len(withheld)
            if withheld == members:
                return True
    return False


@pytest.mark.parametrize(
    ("ags", "group", "expected"),
    [
        ("05158012", "size_class+land", "refused"),  # GK6 in NRW: 5 of GK6's 9
        ("05113000", "kind", "refused"),  # cities and municipalities: 19 of all 21
        ("05111000", "kind+land", "refused"),  # NRW without its two Kreise: 10 of 12
        ("05111000", "land", "shown"),  # NRW: 12 of 21
        ("01051011", "land", "refused"),  # Schleswig-Holstein 5: all − NRW − SH = 4
        ("01002000", "size_class", "suppressed"),  # GK2 cities: 2
        ("05158000", "kind", "suppressed"),  # Kreise: 2
    ],
)
def test_group_membership_equals_an_independent_filter(
    service: BenchmarkService,
    shared: Store,
    catalog: Catalog,
    data: BenchmarkData,
    ags: str,
    group: str,
    expected: str,
) -> None:
    spec = PeerGroupSpec.parse(group)
    members = _expected_members(place(ags), spec)
    result = service.benchmark(ags, PERIOD, spec)
    outcome = (
        "suppressed"
        if len(members) < 5
        else "refused"
        if _differs_by_few(place(ags), spec) or _leaves_a_small_remainder(place(ags), spec)
        else "shown"
    )
    assert outcome == expected
    if outcome == "shown":
        assert_shows_statistics(data, result, members)
        assert result.refusal is None
        return
    assert_fully_suppressed(result)
    if outcome == "suppressed":
        assert result.refusal is None
        assert result.suppressed == suppression_reason(5)
        return
    assert result.refusal == "differencing"
    assert result.suppressed is not None and "größeren Gruppe" in result.suppressed.de
    assert result.suppressed.de.startswith("Keine Statistik für diese Auswahl")
    assert all(d.own_score is not None for d in result.dimensions)  # the own scores stay
    # the members are the same; at minimum 3 the difference is no longer too small
    relaxed = BenchmarkService(shared, catalog, min_group_size=3).benchmark(ags, PERIOD, spec)
    if not _differs_by_few(place(ags), spec, minimum=3):
        assert_shows_statistics(data, relaxed, members)


def test_differencing_names_the_broader_group_and_keeps_it_shown(
    service: BenchmarkService, data: BenchmarkData
) -> None:
    narrow = service.benchmark("05158012", PERIOD, PeerGroupSpec.parse("size_class+land"))
    assert narrow.refusal == "differencing"
    assert narrow.suppressed is not None
    assert "größeren Gruppe KGSt-Größenklasse GK6 (Städte und Gemeinden)." in narrow.suppressed.de
    assert "by fewer than 5 municipalities" in narrow.suppressed.en
    # the broader group stays: asked in either order, only one of the pair is ever shown
    broad = service.benchmark("05158012", PERIOD, SIZE)
    assert broad.refusal is None and broad.group_size == 9
    again = service.benchmark("05158012", PERIOD, PeerGroupSpec.parse("size_class+land"))
    assert again.refusal == "differencing"
    # the refused period's trend point holds no peer figures either
    for points in narrow.trends.values():
        for point in points:
            if point.period == PERIOD:
                assert point.n is None and point.median is None


@pytest.mark.parametrize("ags", ["05158000", "05315000"])
def test_size_class_group_holds_only_the_same_kind(
    shared: Store, catalog: Catalog, ags: str
) -> None:
    """County GK1 (> 250,000) and municipality GK1 (> 400,000) are different classes."""
    # GK1 counties: 05158000, 05162000. GK1 cities: 05315000, 09162000. Each group has two.
    service = BenchmarkService(shared, catalog, min_group_size=3)
    result = service.benchmark(ags, PERIOD, SIZE)
    assert result.group.size_class == "GK1"
    assert result.group.is_county is place(ags).kind.is_county
    assert result.group_size is None  # two of the same kind, below 3 (four if mixed)
    assert result.suppressed is not None
    with_kind = service.benchmark(ags, PERIOD, PeerGroupSpec(size_class=True, kind=True))
    assert with_kind.group == replace(result.group, spec=with_kind.group.spec)


def test_size_class_needs_a_population(service: BenchmarkService) -> None:
    with pytest.raises(BenchmarkError, match="no KGSt size class") as raised:
        service.benchmark(NO_POPULATION.ags, PERIOD, SIZE)
    assert NO_POPULATION.ags in str(raised.value)
    assert "population is not recorded" in str(raised.value)
    result = service.benchmark(NO_POPULATION.ags, PERIOD, ALL)  # fine without the size class
    assert result.own_status is None
    assert {d.own_score for d in result.dimensions} == {None}


def test_unknown_municipality_and_ring(service: BenchmarkService) -> None:
    with pytest.raises(NotFoundError, match="05111999"):
        service.benchmark("05111999", PERIOD, ALL)
    with pytest.raises(BenchmarkError, match="no Vergleichsring with id 999"):
        service.benchmark("05158004", PERIOD, PeerGroupSpec(ring_id=999))


# --- rings and consent -----------------------------------------------------------------------


def _member_ags(data: BenchmarkData, result: BenchmarkResult) -> list[str]:
    """Which AGS each listed member is, recognised by its (unique) scores."""
    found = []
    for member in result.members:
        hits = [
            ags
            for ags in RING_MEMBERS
            if member.scores == pytest.approx(data.scores(ags), abs=1e-6)
        ]
        assert len(hits) == 1, member
        found.append(hits[0])
    return found


def test_ring_members_are_named_only_with_consent(
    shared: Store, catalog: Catalog, data: BenchmarkData
) -> None:
    service = BenchmarkService(shared, catalog)
    result = service.benchmark(RING_SELF, PERIOD, PeerGroupSpec(ring_id=data.ring_id))
    assert result.group.ring is not None and result.group.ring.id == data.ring_id
    assert_shows_statistics(data, result, RING_MEMBERS)
    members = _member_ags(data, result)
    assert sorted(members) == sorted(RING_MEMBERS)
    for ags, member in zip(members, result.members, strict=True):
        assert member.named is (ags in RING_CONSENTING)
        assert member.is_self is (ags == RING_SELF)
        if member.named:
            assert member.label == place(ags).name
        else:
            assert re.fullmatch(r"Kommune [A-Z]+", member.label), member.label
    anonymous = [m.label for m in result.members if not m.named]
    assert len(set(anonymous)) == len(anonymous) == 4
    assert set(anonymous) <= {anonymous_label(i) for i in range(6)}
    # the anonymous order is not the AGS order (for this ring) …
    assert members != sorted(members)
    # … and the same for every viewer, every time
    again = service.benchmark(RING_SELF, PERIOD, PeerGroupSpec(ring_id=data.ring_id))
    assert [m.label for m in again.members] == [m.label for m in result.members]
    other = service.benchmark("05162008", PERIOD, PeerGroupSpec(ring_id=data.ring_id))
    labels = dict(zip(_member_ags(data, other), [m.label for m in other.members], strict=True))
    assert labels == dict(zip(members, [m.label for m in result.members], strict=True))
    assert [m.is_self for m in other.members].count(True) == 1


def _hidden(*, revoked: str | None = None) -> list[str]:
    """Names and AGS of the other ring members that must not be shown to RING_SELF."""
    hidden = [a for a in RING_MEMBERS if a not in RING_CONSENTING and a != RING_SELF]
    if revoked:
        hidden.append(revoked)
    return [*(place(a).name for a in hidden), *hidden]


def _ring_outputs(db: Path, ring_id: int) -> tuple[str, str]:
    args = ["benchmark", "--ags", RING_SELF, "--period", str(PERIOD)]
    args += ["--group", f"ring:{ring_id}", "--db", str(db)]
    as_json = cli(*args, "--json")
    human = cli(*args, "--criteria")
    assert as_json.exit_code == 0, as_json.output
    assert human.exit_code == 0, human.output
    return as_json.stdout, human.stdout


def test_names_without_consent_appear_nowhere_in_the_output(
    db_copy: Path, data: BenchmarkData
) -> None:
    as_json, human = _ring_outputs(db_copy, data.ring_id)
    parsed = json.loads(as_json)
    assert parsed["group"]["ring"] == {"id": data.ring_id, "name": "Ring Niederrhein"}
    assert len(parsed["members"]) == 6
    assert [m["is_self"] for m in parsed["members"]].count(True) == 1
    for text in (as_json, human):
        for secret in _hidden():
            assert secret not in text, secret
        for ags in RING_CONSENTING:
            assert place(ags).name in text
    assert "Kommune " in human

    with open_store(db_copy) as store:
        store.rings.set_consent(data.ring_id, "05162004", False, ACTOR)
    as_json, human = _ring_outputs(db_copy, data.ring_id)
    for text in (as_json, human):
        for secret in _hidden(revoked="05162004"):
            assert secret not in text, secret
        assert place("05158012").name in text
    named = [m for m in json.loads(as_json)["members"] if m["named"]]
    assert [m["label"] for m in named] == [place("05158012").name]


def test_ring_below_its_minimum_shows_no_members_and_no_statistics(
    service: BenchmarkService, data: BenchmarkData, db_copy: Path
) -> None:
    # five members, but one has only a draft: four submitted, the ring's minimum is 5
    result = service.benchmark("01001000", PERIOD, PeerGroupSpec(ring_id=data.small_ring_id))
    assert result.group.min_group_size == 5
    assert_fully_suppressed(result)
    out = cli(
        "benchmark", "--ags", "01001000", "--period", str(PERIOD),
        "--group", f"ring:{data.small_ring_id}", "--json", "--db", str(db_copy),
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    parsed = json.loads(out.stdout)
    assert parsed["members"] == []
    assert parsed["group_size"] is None
    for name in ("Kielhafen", "Travenburg", "Deichhusen", DRAFT_ONLY.name):
        assert name not in out.stdout


class Halver:
    """An in-process plugin scoring ``budgeting`` as half the default score."""

    @hookimpl
    def nhm_score_dimension(
        self, dimension: Dimension, responses: dict[str, Response]
    ) -> DimensionScore | None:
        if dimension.id != "budgeting":
            return None
        default = score_dimension(dimension, responses)
        return replace(default, score=None if default.score is None else default.score / 2)


class Fragile:
    """Scores ``budgeting`` when asked with no answers, but fails on real answers."""

    @hookimpl
    def nhm_score_dimension(
        self, dimension: Dimension, responses: dict[str, Response]
    ) -> DimensionScore | None:
        if dimension.id != "budgeting":
            return None
        if responses:
            raise RuntimeError("cannot read these answers")
        return score_dimension(dimension, responses)


def plugin_service(store: Store, catalog: Catalog, plugin: object) -> BenchmarkService:
    host = load_plugins(entry_points=False, plugin_dirs=[], disabled=[], extra=[("p", plugin)])
    scores = PluginScores.from_host(host, catalog)
    assert scores is not None and scores.dimensions == {"budgeting"}
    return BenchmarkService(store, catalog, scores)


def test_plugin_scored_dimension_in_the_benchmark(
    shared: Store, catalog: Catalog, data: BenchmarkData
) -> None:
    service = plugin_service(shared, catalog, Halver())
    result = service.benchmark("05158004", PERIOD, LAND)
    halved = [s / 2 for s in data.group_scores(ags_of(LAND05), "budgeting")]
    assert_statistics(result.dimension("budgeting").statistics, halved)
    own = data.scores("05158004")
    assert result.dimension("budgeting").own_score == pytest.approx(own["budgeting"] / 2)  # type: ignore[operator]
    assert result.dimension("budgeting").percentile_rank == pytest.approx(
        mid_rank(halved, own["budgeting"] / 2)  # type: ignore[operator]
    )
    for dim in catalog.dimensions:  # the other dimensions keep the SQL formula
        if dim.id != "budgeting":
            assert result.dimension(dim.id).own_score == pytest.approx(own[dim.id], abs=1e-6)
            assert_statistics(
                result.dimension(dim.id).statistics, data.group_scores(ags_of(LAND05), dim.id)
            )
    trend = {p.period: p for p in result.trends["budgeting"]}
    assert trend[2024].median == pytest.approx(
        quartiles([s / 2 for s in data.group_scores(ags_of(LAND05), "budgeting", 2024)])[1]
    )


def test_plugin_scored_dimension_in_ring_member_scores(
    shared: Store, catalog: Catalog, data: BenchmarkData
) -> None:
    service = plugin_service(shared, catalog, Halver())
    result = service.benchmark(RING_SELF, PERIOD, PeerGroupSpec(ring_id=data.ring_id))
    expected = [s / 2 for s in data.group_scores(RING_MEMBERS, "budgeting")]
    assert_statistics(result.dimension("budgeting").statistics, expected)  # this part holds
    found = [m.scores["budgeting"] for m in result.members]
    assert None not in found
    assert sorted(found) == pytest.approx(sorted(expected), abs=1e-6)  # type: ignore[type-var]


def test_unusable_plugin_score_falls_back_to_the_default_in_the_benchmark(
    shared: Store, catalog: Catalog, data: BenchmarkData
) -> None:
    service = plugin_service(shared, catalog, Fragile())
    result = service.benchmark("05158004", PERIOD, LAND)
    host = load_plugins(entry_points=False, plugin_dirs=[], disabled=[], extra=[("p", Fragile())])
    evaluated = evaluate(data.own[("05158004", PERIOD)], catalog, host)
    assert evaluated.score("budgeting").score == pytest.approx(data.scores("05158004")["budgeting"])
    assert result.dimension("budgeting").own_score == pytest.approx(
        evaluated.score("budgeting").score, abs=1e-6
    )
    assert_statistics(
        result.dimension("budgeting").statistics, data.group_scores(ags_of(LAND05), "budgeting")
    )


# --- trends ----------------------------------------------------------------------------------


def test_trends_cover_the_periods_up_to_the_requested_one(
    service: BenchmarkService, data: BenchmarkData
) -> None:
    result = service.benchmark(REVISED, PERIOD, LAND)
    land05 = ags_of(LAND05)
    for dim in data.catalog.dimensions:
        points = result.trends[dim.id]
        assert [p.period for p in points] == [2023, 2024, 2025]  # not 2026
        early, last_year, now = points
        assert (early.n, early.median, early.q1, early.q3) == (None, None, None, None)  # 3 only
        assert early.own_score == pytest.approx(data.scores(REVISED, 2023)[dim.id], abs=1e-6)
        for point in (last_year, now):
            values = data.group_scores(land05, dim.id, point.period)
            q1, median, q3 = quartiles(values)
            assert point.n == len(values) == 12
            assert point.median == pytest.approx(median, abs=1e-6)
            assert (point.q1, point.q3) == pytest.approx((q1, q3), abs=1e-6)
            assert point.own_score == pytest.approx(
                data.scores(REVISED, point.period)[dim.id], abs=1e-6
            )
        assert now.median == pytest.approx(result.dimension(dim.id).statistics.median)  # type: ignore[union-attr]
    earlier = service.benchmark("05158004", 2024, LAND)
    assert [p.period for p in earlier.trends[data.catalog.dimensions[0].id]] == [2023, 2024]
    assert earlier.trends[data.catalog.dimensions[0].id][0].own_score is None  # no 2023 own


# --- criteria --------------------------------------------------------------------------------


def test_criterion_distribution_and_not_applicable(
    service: BenchmarkService, data: BenchmarkData
) -> None:
    own_ags = "05113000"  # answered municipal_companies N/A
    result = service.benchmark(own_ags, PERIOD, LAND)
    land05 = ags_of(LAND05)
    assert [c.criterion_id for c in result.criteria] == [
        d.full_id(c) for d, c in data.catalog.iter_criteria()
    ]
    own = data.own[(own_ags, PERIOD)]
    for crit in result.criteria:
        answers = [data.counted[(a, PERIOD)].responses.get(crit.criterion_id) for a in land05]
        levels = [r.level for r in answers if r is not None and r.level is not None]
        na = sum(1 for r in answers if r is not None and r.not_applicable)
        own_answer = own.responses.get(crit.criterion_id)
        assert crit.own_not_applicable is bool(own_answer and own_answer.not_applicable)
        assert crit.own_level == (own_answer.level if own_answer else None)
        if len(levels) < 5:
            assert crit.statistics is None and crit.distribution is None
            continue
        assert crit.statistics is not None and crit.distribution is not None
        assert crit.statistics.n == len(levels)
        assert sum(crit.distribution.values()) == crit.statistics.n
        assert crit.distribution == {lv: levels.count(lv) for lv in range(5)}
        assert crit.not_applicable == na
        assert_statistics(crit.statistics, [float(v) for v in levels])
        if crit.own_level is None:
            assert crit.percentile_rank is None
        else:
            assert crit.percentile_rank == pytest.approx(mid_rank(levels, crit.own_level))

    companies = next(c for c in result.criteria if c.criterion_id == COMPANIES)
    assert companies.own_not_applicable is True
    assert companies.own_level is None
    assert companies.percentile_rank is None
    assert companies.not_applicable == len(NA_COMPANIES & set(land05)) == 3
    assert companies.statistics is not None
    assert companies.statistics.n + companies.not_applicable <= 12


# --- the command line ------------------------------------------------------------------------


def test_cli_benchmark_json_equals_the_service(db_copy: Path, service: BenchmarkService) -> None:
    out = cli(
        "benchmark", "--ags", "05158004", "--period", str(PERIOD), "--group", "land",
        "--json", "--db", str(db_copy),
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    parsed = json.loads(out.stdout)
    expected = service.benchmark("05158004", PERIOD, LAND)
    assert parsed["name"] == "Talhausen"
    assert parsed["is_demo"] is False
    assert parsed["group_size"] == 12
    assert parsed["suppressed"] is None
    for got, want in zip(parsed["dimensions"], expected.dimensions, strict=True):
        assert got["dimension_id"] == want.dimension_id
        assert want.statistics is not None
        assert got["statistics"]["median"] == pytest.approx(want.statistics.median, abs=1e-4)
        assert got["statistics"]["n"] == 12
        assert got["percentile_rank"] == pytest.approx(want.percentile_rank, abs=1e-4)


def test_cli_suppressed_group(db_copy: Path) -> None:
    args = ["benchmark", "--ags", "09162000", "--period", str(PERIOD), "--group", "land"]
    as_json = cli(*args, "--json", "--db", str(db_copy))
    assert as_json.exit_code == 0, as_json.output
    parsed = json.loads(as_json.stdout)
    assert parsed["group_size"] is None
    assert parsed["suppressed"]["de"].startswith("Keine Statistik")
    assert parsed["members"] == []
    assert {d["statistics"] is None for d in parsed["dimensions"]} == {True}
    assert {(c["statistics"], c["distribution"]) for c in parsed["criteria"]} == {(None, None)}

    for lang, reason in (("de", "Keine Statistik"), ("en", "No statistics")):
        human = cli(*args, "--criteria", "--lang", lang, "--db", str(db_copy))
        assert human.exit_code == 0, human.output
        assert reason in human.stdout
        for word in ("median", "Q1", "Q3", "n = ", "mean", "rank"):
            assert word not in human.stdout, word


def test_cli_rejects_bad_input(db_copy: Path) -> None:
    base = ["benchmark", "--period", str(PERIOD), "--db", str(db_copy)]
    unknown = cli(*base, "--ags", "05111999")
    assert unknown.exit_code == 1, unknown.output
    assert "05111999" in unknown.stderr and "not in the database" in unknown.stderr

    bad_group = cli(*base, "--ags", "05158004", "--group", "foo")
    assert bad_group.exit_code == 1, bad_group.output
    assert bad_group.stderr.startswith("error: --group: ")
    assert "'foo'" in bad_group.stderr

    too_small = cli(*base, "--ags", "05158004", "--min-group-size", "2")
    assert too_small.exit_code == 1, too_small.output
    assert "at least 3" in too_small.stderr

    no_size = cli(*base, "--ags", NO_POPULATION.ags, "--group", "size_class")
    assert no_size.exit_code == 1, no_size.output
    assert "no KGSt size class" in no_size.stderr

    no_ring = cli(*base, "--ags", "05158004", "--group", "ring:999")
    assert no_ring.exit_code == 1, no_ring.output
    assert "999" in no_ring.stderr

    bad_ags = cli(*base, "--ags", "123")
    assert bad_ags.exit_code == 1, bad_ags.output
    assert "--ags" in bad_ags.stderr
    for result in (unknown, bad_group, too_small, no_size, no_ring, bad_ags):
        assert "Traceback" not in result.output


def test_cli_score_json(db_copy: Path, data: BenchmarkData) -> None:
    out = cli("score", "--ags", REVISED, "--period", str(PERIOD), "--json", "--db", str(db_copy))
    assert out.exit_code == 0, out.output
    parsed = json.loads(out.stdout)
    assert {"overall_index", "dimensions", "recommendations"} <= set(parsed)
    assert parsed["revision"] == 2
    assert parsed["status"] == "submitted"
    expected = data.scores(REVISED)
    assert {d: v["score"] for d, v in parsed["dimensions"].items()} == pytest.approx(
        expected, abs=1e-4
    )
    values = [v for v in expected.values() if v is not None]
    assert parsed["overall_index"]["value"] == pytest.approx(
        statistics.fmean(values), abs=1e-4
    )  # all built-in dimensions weigh 1
    assert set(parsed["recommendations"]) == set(expected)
    baseline = data.scores(REVISED, 2023)  # the earliest submitted period is the baseline
    for dim_id, progress in parsed["progress"].items():
        assert progress["baseline_score"] == pytest.approx(baseline[dim_id], abs=1e-4)
        assert progress["progress"] == pytest.approx(
            expected[dim_id] - baseline[dim_id],
            abs=1e-3,  # type: ignore[operator]
        )
    for steps in parsed["recommendations"].values():
        assert all(step["source"] == "nhm" for step in steps)

    human = cli("score", "--ags", REVISED, "--period", str(PERIOD), "--db", str(db_copy))
    assert human.exit_code == 0, human.output
    assert "Rheinhafen (05111000) 2025, revision 2, submitted" in human.stdout


def test_cli_score_for_a_missing_assessment(db_copy: Path) -> None:
    out = cli("score", "--ags", NO_POPULATION.ags, "--period", str(PERIOD), "--db", str(db_copy))
    assert out.exit_code == 1, out.output
    assert NO_POPULATION.ags in out.stderr and "2025" in out.stderr
    missing_revision = cli(
        "score", "--ags", REVISED, "--period", str(PERIOD), "--revision", "7",
        "--db", str(db_copy),
    )  # fmt: skip
    assert missing_revision.exit_code == 1, missing_revision.output
    assert "revision 7" in missing_revision.stderr


def test_cli_score_message_for_a_missing_assessment_reads_well(db_copy: Path) -> None:
    out = cli("score", "--ags", NO_POPULATION.ags, "--period", str(PERIOD), "--db", str(db_copy))
    assert out.exit_code == 1
    assert "has no an " not in out.stderr


def test_demo_group_statistics(service: BenchmarkService, data: BenchmarkData) -> None:
    """Demo municipalities are compared with the six demo ones only."""
    result = service.benchmark("09199003", PERIOD, ALL)
    assert result.group_size == 6
    own = data.scores("09199003")
    assert {d.dimension_id: d.own_score for d in result.dimensions} == pytest.approx(own, abs=1e-6)
    assert_shows_statistics(data, result, ags_of(DEMO))


def test_the_assessment_types_are_what_the_store_holds(shared: Store, data: BenchmarkData) -> None:
    """Guard for the fixture itself: what the tests recompute is what the store holds."""
    for (ags, period), assessment in data.counted.items():
        record = shared.assessments.get(ags, period, assessment.revision)
        assert record is not None and record.status.value == "submitted", (ags, period)
        assert isinstance(record.to_assessment(), Assessment)
        stored = {k: (r.level, r.not_applicable) for k, r in record.responses.items()}
        assert stored == {k: (r.level, r.not_applicable) for k, r in assessment.responses.items()}
    assert len(LAND09) == 4 and all(not p.is_demo for p in REAL_SUBMITTED)
    assert all(p.is_demo for p in DEMO)


def test_anonymous_labels_use_consecutive_letters(
    shared: Store, catalog: Catalog, data: BenchmarkData
) -> None:
    result = BenchmarkService(shared, catalog).benchmark(
        RING_SELF, PERIOD, PeerGroupSpec(ring_id=data.ring_id)
    )
    anonymous = [m.label for m in result.members if not m.named]
    assert anonymous == [anonymous_label(i) for i in range(len(anonymous))]
    assert anonymous[0] == "Kommune A"
    with shared.cursor() as cursor:
        salt = cursor.execute("SELECT label_salt FROM ring WHERE id = ?", [data.ring_id]).fetchone()
    assert salt is not None and len(salt[0]) >= 32  # a secret per ring orders the labels


def test_a_ring_is_compared_only_among_its_members(
    shared: Store, catalog: Catalog, data: BenchmarkData
) -> None:
    outsider = next(p.ags for p in REAL_SUBMITTED if p.ags not in RING_MEMBERS)
    with pytest.raises(BenchmarkError, match="not a member"):
        BenchmarkService(shared, catalog).benchmark(
            outsider, PERIOD, PeerGroupSpec(ring_id=data.ring_id)
        )


def test_ring_and_land_refused_when_one_member_lies_outside_the_land(
    db_copy: Path, catalog: Catalog, data: BenchmarkData
) -> None:
    """Six ring members in NRW and one from Schleswig-Holstein: ring+land (6) next to the
    ring (7) would reveal that one member's scores."""
    with open_store(db_copy) as store:
        store.rings.add_member(data.ring_id, "01051011", ACTOR)
        service = BenchmarkService(store, catalog)
        ring = service.benchmark(RING_SELF, PERIOD, PeerGroupSpec(ring_id=data.ring_id))
        assert ring.refusal is None and ring.group_size == 7
        narrow = service.benchmark(
            RING_SELF, PERIOD, PeerGroupSpec(land=True, ring_id=data.ring_id)
        )
        assert narrow.refusal == "differencing"
        assert narrow.suppressed is not None
        assert "größeren Gruppe Vergleichsring „Ring Niederrhein“." in narrow.suppressed.de
        assert narrow.members == []
        assert_fully_suppressed(narrow)
