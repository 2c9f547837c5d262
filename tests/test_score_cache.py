"""The score cache: filled from the answers, current after every submission, rebuildable."""

from __future__ import annotations

from pathlib import Path

import pytest

from nhm.assessment import Response
from nhm.benchmark import BenchmarkService, PeerGroupSpec
from nhm.catalog import load_catalog
from nhm.model import Catalog
from nhm.municipality import Municipality, MunicipalityKind
from nhm.scoring import score_dimension
from nhm.store import Store, open_store
from nhm.store.score_cache import ScoreCache, fingerprint

ACTOR = "test"
PERIOD = 2025


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()[0]


def _municipality(index: int) -> Municipality:
    return Municipality(
        ags=f"05999{index:03d}",
        name=f"Demoort {index}",
        kind=MunicipalityKind.GEMEINDE,
        population=12_000 + index,
        is_demo=True,
        source="test",
    )


def _submit(store: Store, catalog: Catalog, ags: str, level: int) -> int:
    record = store.assessments.create_draft(ags, PERIOD, catalog, ACTOR)
    version = record.version
    for dimension, criterion in catalog.iter_criteria():
        store.assessments.save_response(
            record.id,
            dimension.full_id(criterion),
            Response(level=level),
            expected_version=0,
            catalog=catalog,
            actor=ACTOR,
        )
        version += 1
    store.assessments.submit(record.id, version, ACTOR)
    return record.id


def _weights(catalog: Catalog) -> tuple[list[str], list[str], list[float]]:
    rows = [(d.full_id(c), d.id, c.weight) for d, c in catalog.iter_criteria()]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def _cached(store: Store) -> list[tuple[int, str, float | None]]:
    with store.cursor() as cursor:
        return cursor.execute(
            "SELECT assessment_id, dimension_id, score FROM score_cache ORDER BY ALL"
        ).fetchall()


def test_cache_fills_for_submitted_assessments_only(tmp_path: Path, catalog: Catalog) -> None:
    store = open_store(tmp_path / "cache.duckdb")
    store.municipalities.save_many([_municipality(i) for i in range(3)], ACTOR, "test")
    submitted = _submit(store, catalog, "05999000", 2)
    store.assessments.create_draft("05999001", PERIOD, catalog, ACTOR)
    key = ScoreCache(store).refresh(*_weights(catalog))
    rows = _cached(store)
    assert {r[0] for r in rows} == {submitted}
    by_dimension = {r[1]: r[2] for r in rows}
    assert by_dimension.pop("*") is None  # the marker
    assert by_dimension == {d.id: 50.0 for d in catalog.dimensions}
    # nothing missing: a second refresh writes nothing
    assert ScoreCache(store).refresh(*_weights(catalog)) == key
    assert _cached(store) == rows
    # a new submission is added on the next refresh
    second = _submit(store, catalog, "05999002", 4)
    ScoreCache(store).refresh(*_weights(catalog))
    assert {r[2] for r in _cached(store) if r[0] == second and r[1] != "*"} == {100.0}
    store.close()


def test_changed_weights_recompute_and_deleted_assessments_leave(
    tmp_path: Path, catalog: Catalog
) -> None:
    store = open_store(tmp_path / "cache.duckdb")
    store.municipalities.save_many([_municipality(i) for i in range(2)], ACTOR, "test")
    first = _submit(store, catalog, "05999000", 1)
    _submit(store, catalog, "05999001", 3)
    ids, dims, weights = _weights(catalog)
    old = ScoreCache(store).refresh(ids, dims, weights)
    heavier = [2.0 if i == 0 else w for i, w in enumerate(weights)]
    new = ScoreCache(store).refresh(ids, dims, heavier)
    assert new != old == fingerprint(ids, weights)
    with store.cursor() as cursor:
        keys = {r[0] for r in cursor.execute("SELECT fingerprint FROM score_cache").fetchall()}
        assert keys == {new}
        cursor.execute("DELETE FROM response WHERE assessment_id = ?", [first])
        cursor.execute("DELETE FROM assessment WHERE id = ?", [first])
    ScoreCache(store).refresh(ids, dims, heavier)
    assert first not in {r[0] for r in _cached(store)}
    store.close()


def test_benchmark_scores_equal_python_scores_with_the_cache(
    tmp_path: Path, catalog: Catalog
) -> None:
    store = open_store(tmp_path / "cache.duckdb")
    store.municipalities.save_many([_municipality(i) for i in range(6)], ACTOR, "test")
    for i in range(5):
        _submit(store, catalog, f"05999{i:03d}", i % 5)
    draft = store.assessments.create_draft("05999005", PERIOD, catalog, ACTOR)
    store.assessments.save_response(
        draft.id,
        "procurement.binding_policy",
        Response(level=3),
        expected_version=0,
        catalog=catalog,
        actor=ACTOR,
    )
    service = BenchmarkService(store, catalog)
    result = service.benchmark("05999005", PERIOD, PeerGroupSpec())
    assert result.own_status == "draft"  # its draft is scored although not cached
    dimension = catalog.dimension("procurement")
    expected = score_dimension(dimension, {"binding_policy": Response(level=3)}).score
    assert result.dimension("procurement").own_score == pytest.approx(expected)
    assert result.group_size == 5
    stats = result.dimension("procurement").statistics
    assert stats is not None and stats.median == pytest.approx(50.0)
    with store.cursor() as cursor:
        (cached,) = cursor.execute(  # type: ignore[misc]
            "SELECT count(DISTINCT assessment_id) FROM score_cache"
        ).fetchone()
    assert cached == 5  # drafts are never cached
    store.close()
