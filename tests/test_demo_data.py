"""Fictional demo data: the generator (determinism, realism, names), writing it in one
transaction, replacing only demo data, and the commands `nhm demo-data` and `nhm demo`."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SHARED
from typer.testing import CliRunner

from nhm.assessment import AssessmentStatus, EvidenceStatus, Response
from nhm.catalog import load_catalog
from nhm.cli import app
from nhm.demo_data import (
    COUNTY_RING,
    GENERATOR,
    MUSTERREGION_RING,
    SIZE_CLASS_SHARES,
    DemoData,
    DemoSpec,
    _entities,
    generate,
    name_pool,
    write_demo_data,
)
from nhm.model import Catalog
from nhm.municipality import Municipality, MunicipalityKind, is_demo_ags
from nhm.store import ConflictError, Store, open_store
from nhm.store.location import demo_db_path

REPO_ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = SHARED / "reference" / "gemeindeverzeichnis-auszug-2020q4.csv"
KREISFREI = {MunicipalityKind.KREISFREIE_STADT, MunicipalityKind.STADTKREIS}
runner = CliRunner()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()[0]


@pytest.fixture(scope="module")
def regional(catalog: Catalog) -> DemoData:
    """300 municipalities over four years: small enough to check everything."""
    return generate(DemoSpec(300, 4, seed=11), catalog)


@pytest.fixture(scope="module")
def national(catalog: Catalog) -> DemoData:
    """As many municipalities as Germany has, one year."""
    return generate(DemoSpec(11_000, 1, seed=3), catalog)


def digest(data: DemoData) -> str:
    text = repr(
        (
            data.municipalities,
            [(i.revision, i.source, i.assessment.model_dump_json()) for i in data.assessments],
            data.rings,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_same_data_other_seed_other_data(catalog: Catalog) -> None:
    spec = DemoSpec(40, 2, seed=7)
    first, again = generate(spec, catalog), generate(spec, catalog)
    assert first == again
    other = generate(DemoSpec(40, 2, seed=8), catalog)
    assert [m.name for m in other.municipalities] != [m.name for m in first.municipalities]
    assert digest(other) != digest(first)


def test_same_data_in_another_process_with_other_string_hashing(catalog: Catalog) -> None:
    """No set order or hash randomisation leaks into the data."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from test_demo_data import digest; "
        "from nhm.catalog import load_catalog; from nhm.demo_data import DemoSpec, generate; "
        "print(digest(generate(DemoSpec(40, 2, seed=7), load_catalog()[0])))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == digest(generate(DemoSpec(40, 2, seed=7), catalog))


def test_periods_end_with_the_last_period_not_today() -> None:
    assert DemoSpec(10, 3, last_period=2019).period_years == (2017, 2018, 2019)
    with pytest.raises(ValueError, match="municipalities must be 1–20000"):
        DemoSpec(0, 1)
    with pytest.raises(ValueError, match="periods must be 1–10"):
        DemoSpec(1, 11)
    with pytest.raises(ValueError, match="within 1990–2100"):
        DemoSpec(1, 5, last_period=1992)


# --- municipalities --------------------------------------------------------------------------


def example_ags() -> set[str]:
    return {
        json.loads(path.read_text(encoding="utf-8"))["municipality"]["ags"]
        for path in (REPO_ROOT / "assessments").glob("*.json")
    }


def test_every_municipality_is_fictional_and_apart_from_the_examples(
    regional: DemoData, national: DemoData
) -> None:
    examples = example_ags()
    assert examples, "the example files in assessments/ are missing"
    for data in (regional, national):
        ags = [m.ags for m in data.municipalities]
        assert len(set(ags)) == len(ags)
        assert all(m.is_demo and is_demo_ags(m.ags) for m in data.municipalities)
        assert not set(ags) & examples
        assert not {a[:3] for a in ags} & {a[:3] for a in examples}  # not even their slots
        assert all(item.is_demo for item in data.assessments)
        assert all(item.source == data.municipalities[0].source for item in data.assessments)


def test_kinds_follow_the_land_and_gemeinden_belong_to_their_county(national: DemoData) -> None:
    by_ags = {m.ags: m for m in national.municipalities}
    for m in national.municipalities:
        if m.kind.is_county or m.kind in KREISFREI:
            assert m.ags.endswith("000") and m.kreis_ags is None
        if m.kind.is_county:
            assert 50_000 <= (m.population or 0) <= 700_000
            expected = MunicipalityKind.KREIS if m.land in {"01", "05"} else "landkreis"
            assert m.kind == expected
            assert m.name.startswith("Kreis " if m.kind is MunicipalityKind.KREIS else "Landkreis ")
        elif m.kind in KREISFREI:
            assert (m.kind is MunicipalityKind.STADTKREIS) == (m.land == "08")
            assert (m.population or 0) >= 25_000
        else:
            assert m.kreis_ags == m.ags[:5] + "000"
            assert by_ags[m.kreis_ags].kind.is_county
        if m.kind is MunicipalityKind.MARKT:
            assert m.land == "09"
    city_states = sorted(m.ags for m in national.municipalities if m.land in {"02", "04", "11"})
    assert city_states == ["02099000", "04099000", "04299000", "11099000"]


def test_size_classes_and_laender_match_the_real_distribution(national: DemoData) -> None:
    towns = [m for m in national.municipalities if not m.kind.is_county]
    found = Counter(m.size_class for m in towns)
    for size_class, share in SIZE_CLASS_SHARES.items():
        assert found[size_class] / len(towns) == pytest.approx(share, abs=0.002 + share * 0.1)
    assert 0.84 < found["GK7"] / len(towns) < 0.87  # GV-ISys 2020: 85 % under 10,000
    per_land = Counter(m.land for m in national.municipalities)
    assert per_land.most_common(2)[0][0] in {"07", "09"}  # Rheinland-Pfalz or Bayern
    assert per_land["07"] > 10 * per_land["10"]  # many more than the Saarland
    counties = [m for m in national.municipalities if m.kind.is_county]
    assert 60 <= len(counties) <= 6 * 13
    assert {m.size_class for m in counties} == {"GK1", "GK2", "GK3"}


@pytest.mark.parametrize(("total", "counties", "kreisfreie"), [(1, 0, 0), (3, 0, 1), (5, 1, 1)])
def test_small_sets_still_mix_kinds(
    catalog: Catalog, total: int, counties: int, kreisfreie: int
) -> None:
    data = generate(DemoSpec(total, 1), catalog)
    assert len(data.municipalities) == total
    assert sum(m.kind.is_county for m in data.municipalities) >= counties
    assert sum(m.kind in KREISFREI for m in data.municipalities) >= kreisfreie
    assert data.rings == []  # a ring needs twelve


def test_names_are_unique_even_for_twenty_thousand() -> None:
    entities = _entities(random.Random(1), 20_000)  # the municipalities alone: much faster
    names = [e.name for e in entities]
    assert len(set(names)) == len(names) == 20_000
    bases = {re.sub(r"^(Landkreis|Kreis) ", "", name) for name in names}
    assert len(bases) == len(names)  # no "Landkreis X" beside a Gemeinde X
    assert bases <= name_pool()


def _base_name(name: str) -> str:
    """'Sankt Augustin, Stadt' -> 'sankt augustin'; 'Landkreis Rostock' -> 'rostock'."""
    name = re.sub(r"\s*\(.*?\)", "", name.split(",")[0])
    name = " ".join(re.sub(r"^St\. ", "Sankt ", name).split()).casefold()
    return re.sub(r"^(landkreis|kreis|stadtkreis|regionalverband|stadt) ", "", name)


@pytest.mark.skipif(
    not DIRECTORY.is_file(), reason=f"the GV-ISys reference file is not available at {DIRECTORY}"
)
def test_no_possible_name_is_a_real_municipality() -> None:
    with DIRECTORY.open(encoding="utf-8-sig", newline="") as file:
        real = {
            _base_name(row["gemeindename"])
            for row in csv.DictReader(file)
            if row["satzart"] in {"40", "50", "60"}  # Kreise, Gemeindeverbände, Gemeinden
        }
    assert len(real) > 10_000
    pool = name_pool()
    assert len(pool) > 100_000
    clashes = sorted(name for name in pool if _base_name(name) in real)
    assert not clashes, f"{len(clashes)} generated names are real: {clashes[:20]}"


# --- assessments -------------------------------------------------------------------------------


def test_every_municipality_has_every_period_drafts_only_in_the_last(regional: DemoData) -> None:
    periods = (2022, 2023, 2024, 2025)
    pairs = Counter((i.assessment.ags, i.assessment.period) for i in regional.assessments)
    assert set(pairs) == {(m.ags, p) for m in regional.municipalities for p in periods}
    drafts = [i for i in regional.assessments if i.assessment.status is AssessmentStatus.DRAFT]
    assert {i.assessment.period for i in drafts} == {2025}
    assert 0.08 < len(drafts) / 300 < 0.25
    for item in drafts:
        assert item.revision == 1
        assert 0.39 < len(item.assessment.responses) / 44 < 0.96
    second = [i for i in regional.assessments if i.revision == 2]
    assert 10 <= len(second) <= 70  # about 3 % of 1,200
    first = {
        (i.assessment.ags, i.assessment.period): i for i in regional.assessments if i.revision == 1
    }
    for item in second:
        earlier = first[(item.assessment.ags, item.assessment.period)]
        assert earlier.revision == 1 and earlier.assessment.status is AssessmentStatus.SUBMITTED
        assert item.assessment.status is AssessmentStatus.SUBMITTED
        changed = [
            cid
            for cid, response in item.assessment.responses.items()
            if response.level != earlier.assessment.responses[cid].level
        ]
        assert 1 <= len(changed) <= 4
    assert all(i.assessment.revision == i.revision for i in regional.assessments)


def test_answers_are_plausible(regional: DemoData, catalog: Catalog) -> None:
    na_allowed = {d.full_id(c) for d, c in catalog.iter_criteria() if c.na_allowed}
    versions = catalog.versions()
    na = answered = 0
    evidence: dict[int, Counter[EvidenceStatus]] = defaultdict(Counter)
    for item in regional.assessments:
        period = item.assessment.period
        assert item.assessment.dimension_versions == versions
        for cid, response in item.assessment.responses.items():
            assert isinstance(response, Response)
            assert response.answered_by == GENERATOR
            assert response.answered_at is not None and response.answered_at.year == period
            assert response.answered_at.utcoffset() is not None
            answered += 1
            if response.not_applicable:
                na += 1
                assert cid in na_allowed
                assert (response.justification or "").startswith("Demo:")
                continue
            assert response.level in range(5)
            evidence[response.level][response.evidence_status] += 1
            if response.evidence_status is not EvidenceStatus.SELF_DECLARED:
                assert re.fullmatch(r"Demo-\w+ \d{4}/\d{3}", response.evidence_reference or "")
    na_answers = sum(
        1 for i in regional.assessments for cid in i.assessment.responses if cid in na_allowed
    )
    assert 0.01 < na / na_answers < 0.08
    documented = {
        level: 1 - counts[EvidenceStatus.SELF_DECLARED] / counts.total()
        for level, counts in evidence.items()
    }
    assert documented[1] < documented[2] < documented[3] < documented[4]
    assert evidence[4][EvidenceStatus.EXTERNALLY_VERIFIED] > 0
    assert not evidence[1][EvidenceStatus.EXTERNALLY_VERIFIED]
    assert set(evidence) == set(range(5))


def test_levels_rise_over_the_periods_and_larger_ones_are_ahead(regional: DemoData) -> None:
    latest = {(i.assessment.ags, i.assessment.period): i.assessment for i in regional.assessments}
    means = []
    for period in (2022, 2023, 2024, 2025):
        levels = [
            r.level
            for (_, p), a in latest.items()
            if p == period
            for r in a.responses.values()
            if r.level is not None
        ]
        means.append(sum(levels) / len(levels))
    assert means == sorted(means) and means[-1] - means[0] > 0.3
    drops = steps = 0
    for (ags, period), assessment in latest.items():
        before = latest.get((ags, period - 1))
        for cid, response in assessment.responses.items():
            old = before.responses.get(cid) if before else None
            if old is not None and old.level is not None and response.level is not None:
                steps += 1
                drops += response.level < old.level
    assert drops / steps < 0.05  # a level drops rarely
    size = {m.ags: m.size_class for m in regional.municipalities if not m.kind.is_county}

    def mean_level(classes: set[str]) -> float:
        levels = [
            r.level
            for (ags, _), a in latest.items()
            if size.get(ags) in classes
            for r in a.responses.values()
            if r.level is not None
        ]
        return sum(levels) / len(levels)

    assert mean_level({"GK1", "GK2", "GK3", "GK4", "GK5"}) > mean_level({"GK7"})


# --- rings -------------------------------------------------------------------------------------


def test_rings_have_existing_members_and_the_consents(regional: DemoData) -> None:
    by_ags = {m.ags: m for m in regional.municipalities}
    rings = {ring.name: ring for ring in regional.rings}
    assert set(rings) == {MUSTERREGION_RING, COUNTY_RING}
    region = rings[MUSTERREGION_RING]
    assert region.period == 2025
    assert len(region.members) == 12
    assert sum(named for _, named in region.members) == 7
    assert len({by_ags[ags].land for ags, _ in region.members}) == 1  # one Land
    counties = rings[COUNTY_RING]
    assert len(counties.members) >= 6
    assert all(by_ags[ags].kind.is_county for ags, _ in counties.members)
    for ring in regional.rings:
        assert len({ags for ags, _ in ring.members}) == len(ring.members)


def test_rings_can_be_left_out(catalog: Catalog) -> None:
    assert generate(DemoSpec(40, 1, rings=False), catalog).rings == []
    assert [r.name for r in generate(DemoSpec(40, 1), catalog).rings] == [MUSTERREGION_RING]


# --- writing -------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with open_store(tmp_path / "nhm.duckdb") as opened:
        yield opened


REAL = Municipality(
    ags="05916000", name="Herne, Stadt", kind=MunicipalityKind.KREISFREIE_STADT, population=156_449
)


def add_real_data(store: Store, catalog: Catalog) -> int:
    """A real municipality with a submitted assessment, a real ring and a target."""
    store.municipalities.save(REAL, "tester")
    draft = store.assessments.create_draft(REAL.ags, 2025, catalog, "tester")
    saved = store.assessments.save_response(
        draft.id, "procurement.binding_policy", Response(level=3), 0, catalog, "tester"
    )
    store.assessments.submit(draft.id, saved.version, "tester")
    ring = store.rings.create("Echter Ring", "Koordination", "tester")
    store.rings.add_member(ring.id, REAL.ags, "tester", consent_named=True)
    return ring.id


def has_targets(store: Store) -> bool:
    with store.cursor() as cursor:
        rows = cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'target'"
        ).fetchall()
    return bool(rows[0][0])


def add_target(store: Store, ags: str) -> None:
    with store.transaction() as cursor:
        cursor.execute(
            "INSERT INTO target (ags, scope, level, set_at, set_by) "
            "VALUES (?, 'procurement', 3, now(), 'tester')",
            [ags],
        )


def targets(store: Store) -> list[str]:
    with store.cursor() as cursor:
        return [row[0] for row in cursor.execute("SELECT ags FROM target ORDER BY ags").fetchall()]


def test_write_reads_back_through_the_repositories(store: Store, catalog: Catalog) -> None:
    data = generate(DemoSpec(60, 2), catalog)
    summary = write_demo_data(store, data, "tester")
    assert summary.municipalities == store.municipalities.count() == 60
    assert summary.assessments == 120
    stored = store.assessments.list()
    assert len(stored) == summary.revisions == len(data.assessments)
    assert sum(a.answered for a in stored) == summary.responses
    assert all(a.is_demo for a in stored)
    assert len(store.assessments.list(latest_only=True)) == 120
    drafts = [a for a in stored if a.is_draft]
    assert len(drafts) == summary.drafts and {a.period for a in drafts} == {2025}
    item = data.assessments[0].assessment
    record = store.assessments.get(item.ags, item.period, 1)
    assert record is not None and record.responses == item.responses
    (ring,) = store.rings.list()
    assert (ring.name, ring.is_demo, ring.period) == (MUSTERREGION_RING, True, 2025)
    members = store.rings.members(ring.id)
    assert len(members) == 12 and sum(m.consent_named for m in members) == 7
    assert all(m.name for m in members)
    assert store.audit.entries(action_prefix="assessment.imported", limit=1)


def test_demo_data_is_refused_twice_and_replaced_without_touching_real_data(
    store: Store, catalog: Catalog
) -> None:
    real_ring = add_real_data(store, catalog)
    write_demo_data(store, generate(DemoSpec(30, 2, seed=1), catalog), "tester")
    with_targets = has_targets(store)
    if with_targets:
        add_target(store, REAL.ags)
        add_target(store, next(m.ags for m in store.municipalities.list() if m.is_demo))
    before = store.municipalities.count()

    with pytest.raises(ConflictError, match=r"already holds demo data.*--replace"):
        write_demo_data(store, generate(DemoSpec(40, 2, seed=2), catalog), "tester")
    assert store.municipalities.count() == before

    newer = generate(DemoSpec(40, 2, seed=2), catalog)
    summary = write_demo_data(store, newer, "tester", replace=True)
    assert summary.deleted is not None
    assert summary.deleted["municipality"] == 30
    assert summary.deleted["ring"] == 1
    demo = [m for m in store.municipalities.list() if m.is_demo]
    assert sorted(demo, key=lambda m: m.ags) == newer.municipalities
    assert store.municipalities.get(REAL.ags) == REAL
    real = store.assessments.get(REAL.ags, 2025)
    assert real is not None and not real.is_demo and not real.is_draft
    assert real.responses["procurement.binding_policy"].level == 3
    assert [m.ags for m in store.rings.members(real_ring)] == [REAL.ags]
    assert {r.name for r in store.rings.list()} == {"Echter Ring", MUSTERREGION_RING}
    assert len(store.assessments.list()) == 1 + summary.revisions
    if with_targets:
        assert targets(store) == [REAL.ags]
    (entry,) = store.audit.entries(action_prefix="demo.deleted")
    assert entry.detail is not None and entry.detail["municipality"] == 30


def test_a_failing_write_writes_nothing(store: Store, catalog: Catalog) -> None:
    store.rings.create(MUSTERREGION_RING, "someone real", "tester")  # the name is taken
    with pytest.raises(ConflictError, match="already exists"):
        write_demo_data(store, generate(DemoSpec(20, 1), catalog), "tester")
    assert store.municipalities.count() == 0
    assert store.assessments.list() == []


# --- commands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--municipalities", "0"], "--municipalities"),
        (["--municipalities", "20001"], "--municipalities"),
        (["--periods", "11"], "--periods"),
        (["--last-period", "1991", "--periods", "3"], "--last-period"),
    ],
)
def test_demo_data_refuses_bad_options(tmp_path: Path, args: list[str], option: str) -> None:
    db = tmp_path / "demo.duckdb"
    result = runner.invoke(app, ["demo-data", *args, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"error: {option}: ")
    assert not db.exists()


def test_demo_data_command_writes_refuses_and_replaces(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.duckdb")
    first = runner.invoke(
        app, ["demo-data", "--municipalities", "30", "--periods", "2", "--db", db]
    )
    assert first.exit_code == 0, first.output
    assert "fictional demo data (seed 1)" in first.stdout
    assert "30 municipalities" in first.stdout and "60 assessments for 2024–2025" in first.stdout

    again = runner.invoke(app, ["demo-data", "--municipalities", "30", "--db", db])
    assert again.exit_code == 1
    assert "already holds demo data" in again.stderr and "--replace" in again.stderr

    options = ["demo-data", "--municipalities", "25", "--periods", "1", "--seed", "4"]
    replaced = runner.invoke(
        app,
        [*options, "--no-rings", "--replace", "--json", "--db", db],
    )
    assert replaced.exit_code == 0, replaced.output
    summary = json.loads(replaced.stdout)
    assert (summary["municipalities"], summary["rings"], summary["periods"]) == (25, 0, [2025])
    assert summary["deleted"]["municipality"] == 30
    assert summary["seed"] == 4


def test_demo_data_on_a_held_database_exits_2(
    tmp_path: Path, hold_database: Callable[[Path], int]
) -> None:
    db = tmp_path / "held.duckdb"
    pid = hold_database(db)
    result = runner.invoke(app, ["demo-data", "--municipalities", "12", "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert f"PID {pid}" in result.stderr


def test_nhm_demo_creates_the_demo_database_once_and_reuses_it() -> None:
    path = demo_db_path()
    assert path.name == "nhm-demo.duckdb" and not path.exists()
    first = runner.invoke(app, ["demo", "--setup-only"])
    assert first.exit_code == 0, first.output
    assert "5 dimensions" in first.stdout
    assert "nhm serve --db" in first.stdout
    assert f"Demo database (fictional data): {path}" in first.stdout
    assert "created now: 200 municipalities" in first.stdout
    assert "--group size_class" in first.stdout
    with open_store(path) as store:
        count, audit = store.municipalities.count(), len(store.audit.entries())
    assert count >= 200

    second = runner.invoke(app, ["demo", "--setup-only"])
    assert second.exit_code == 0, second.output
    assert f"reused: it holds {count} fictional municipalities" in second.stdout
    with open_store(path) as store:
        assert (store.municipalities.count(), len(store.audit.entries())) == (count, audit)
    assert not (path.parent / "nhm.duckdb").exists()  # the real database stays untouched
