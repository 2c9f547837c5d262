"""Benchmarks and import, timed against baselines measured in the same run.

    uv run python bench/benchmark.py [--scale small|national] [--seed N] [--repeats N]

1. A demo database is generated (national: 11,000 municipalities × 5 periods × every built-in
   criterion, about 2.4 million answers).
2. A fixed set of peer-group queries is answered three ways, and the three must agree:
   * nhm's benchmark API (``BenchmarkService.benchmark``: everything a benchmark shows);
   * the floor: one hand-written DuckDB query per statistic (group sizes, dimension
     statistics per period, own dimension scores, dimension percentile ranks, criterion
     statistics with level distribution, own criterion levels with ranks, own status);
   * plain pandas computing the same statistics from the answers: for each query it loads the
     tables it needs from the database, since a benchmark must show the current data (nhm
     also answers every query from the database, its score cache kept current
     incrementally). The same pandas code on frames loaded once before the clock starts is
     shown too, for comparison, but not used for the ratio.
3. Assessment files (national: 10,000) are imported through ``nhm import``'s code path into
   an empty database, against DuckDB's own ``read_json`` of the same files inserted into the
   same tables with no validation (the bulk floor).

Each timing is the median of ``--repeats`` runs. The table goes to stdout; the last line is
JSON: {"nhm_over_sql": …, "pandas_over_nhm": …, "import_over_bulk": …}. Targets:
nhm_over_sql ≤ 1.5, pandas_over_nhm ≥ 10, import_over_bulk ≤ 3.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from nhm.benchmark import BenchmarkService, PeerGroup, PeerGroupSpec
from nhm.catalog import load_catalog
from nhm.demo_data import DemoSpec, generate, write_demo_data
from nhm.exchange.assessment_file import build_document, dump_json
from nhm.exchange.importer import import_assessment_files
from nhm.model import Catalog
from nhm.store import Store, open_store

QUARTILES = [0.25, 0.5, 0.75]


@dataclass(frozen=True)
class Scale:
    municipalities: int
    periods: int
    files: int


SCALES = {
    "small": Scale(municipalities=300, periods=3, files=300),
    "national": Scale(municipalities=11_000, periods=5, files=10_000),
}

GROUPS = ["all", "size_class", "kind", "land", "size_class+land", "kind+land", "ring:1"]


def timed(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of ``repeats`` runs and the last result."""
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# --- the queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    ags: str
    period: int
    spec: PeerGroupSpec
    group: PeerGroup


def pick_queries(store: Store, service: BenchmarkService, period: int) -> list[Query]:
    """Each peer group for a few municipalities of different kinds (deterministic)."""
    with store.cursor() as cursor:
        rows = cursor.execute(
            "SELECT m.ags FROM municipality m JOIN assessment a USING (ags) "
            "WHERE a.period = ? AND a.status = 'submitted' AND m.population IS NOT NULL "
            "GROUP BY m.ags, m.is_county ORDER BY m.is_county DESC, hash(m.ags) LIMIT 3",
            [period],
        ).fetchall()
        ring_members = [
            r[0] for r in cursor.execute("SELECT ags FROM ring_member WHERE ring_id = 1").fetchall()
        ]
    queries = []
    for group in GROUPS:
        spec = PeerGroupSpec.parse(group)
        candidates = ring_members[:1] if spec.ring_id else [r[0] for r in rows]
        for ags in candidates:
            municipality = store.municipalities.require(ags)
            queries.append(Query(ags, period, spec, service.resolve(municipality, spec)))
    return queries


def _filters(group: PeerGroup) -> str:
    parts = [f"m.is_demo = {str(group.is_demo).lower()}"]
    if group.size_class is not None:
        parts.append(f"m.size_class = '{group.size_class}'")
    if group.is_county is not None:
        parts.append(f"m.is_county = {str(group.is_county).lower()}")
    if group.land is not None:
        parts.append(f"substr(m.ags, 1, 2) = '{group.land}'")
    if group.ring is not None:
        parts.append(f"a.ags IN (SELECT ags FROM ring_member WHERE ring_id = {group.ring.id})")
    return " AND ".join(parts)


def floor_queries(q: Query) -> list[str]:
    """One hand-written query per statistic that nhm's benchmark shows."""
    latest = (
        "SELECT a.id, a.ags, a.period FROM assessment a JOIN municipality m ON m.ags = a.ags "
        f"WHERE a.status = 'submitted' AND a.period {{cmp}} {q.period} AND {_filters(q.group)} "
        "QUALIFY row_number() OVER (PARTITION BY a.ags, a.period ORDER BY a.revision DESC) = 1"
    )
    every = latest.replace("{cmp}", "<=")
    this = latest.replace("{cmp}", "=")
    own = (
        f"SELECT id, period FROM assessment WHERE ags = '{q.ags}' AND period <= {q.period} "
        "QUALIFY row_number() OVER (PARTITION BY period "
        "ORDER BY (status = 'submitted') DESC, revision DESC) = 1"
    )
    score = (
        "SELECT {src}.period, w.dimension_id, "
        "round(100 * sum(w.weight * r.level) / sum(w.weight * 4), 6) AS score "
        "FROM {src} JOIN response r ON r.assessment_id = {src}.id "
        "JOIN bench_weights w ON w.criterion_id = r.criterion_id "
        "WHERE r.level IS NOT NULL GROUP BY {src}.id, {src}.period, w.dimension_id"
    )
    # submitted assessments' dimension scores come from nhm's score cache, as in nhm
    peer_scores = (
        f"WITH l AS ({every}) SELECT l.period, c.dimension_id, c.score FROM l "
        "JOIN score_cache c ON c.assessment_id = l.id "
        "WHERE c.dimension_id <> '*' AND c.score IS NOT NULL"
    )
    own_scores = f"WITH o AS ({own}) " + score.format(src="o")
    return [
        # group size per period
        f"SELECT period, count(*) FROM ({every}) GROUP BY period",
        # dimension statistics per period (trend and current period)
        f"SELECT period, dimension_id, count(*), quantile_cont(score, {QUARTILES}), "
        f"avg(score), min(score), max(score) FROM ({peer_scores}) GROUP BY ALL",
        # own dimension scores per period
        own_scores,
        # dimension percentile ranks per period
        f"WITH p AS ({peer_scores}), o AS ({own_scores}) "
        "SELECT p.period, p.dimension_id, count(*) FILTER (WHERE p.score < o.score), "
        "count(*) FILTER (WHERE p.score = o.score) FROM p JOIN o USING (period, dimension_id) "
        "GROUP BY ALL",
        # criterion statistics and level distribution (current period)
        f"WITH l AS ({this}) SELECT r.criterion_id, count(r.level), "
        "count(*) FILTER (WHERE r.not_applicable), "
        f"quantile_cont(r.level, {QUARTILES}), avg(r.level), min(r.level), max(r.level), "
        "count(*) FILTER (WHERE r.level = 0), count(*) FILTER (WHERE r.level = 1), "
        "count(*) FILTER (WHERE r.level = 2), count(*) FILTER (WHERE r.level = 3), "
        "count(*) FILTER (WHERE r.level = 4) "
        "FROM l JOIN response r ON r.assessment_id = l.id GROUP BY r.criterion_id",
        # own criterion levels and their ranks (current period)
        f"WITH l AS ({this}), o AS ({own.replace('<=', '=')}), "
        "ol AS (SELECT r.criterion_id, r.level FROM o JOIN response r ON r.assessment_id = o.id) "
        "SELECT ol.criterion_id, any_value(ol.level), count(*) FILTER (WHERE r.level < ol.level), "
        "count(*) FILTER (WHERE r.level = ol.level) FROM l JOIN response r "
        "ON r.assessment_id = l.id JOIN ol ON ol.criterion_id = r.criterion_id GROUP BY ALL",
        # own status
        f"SELECT status FROM assessment WHERE ags = '{q.ags}' AND period = {q.period} "
        "ORDER BY (status = 'submitted') DESC, revision DESC LIMIT 1",
    ]


def run_floor(store: Store, queries: list[Query]) -> dict[tuple[str, str], dict[str, float]]:
    """Run every floor query; medians of the current period per (query, dimension)."""
    medians: dict[tuple[str, str], dict[str, float]] = {}
    with store.cursor() as cursor:
        for q in queries:
            results = [cursor.execute(sql).fetchall() for sql in floor_queries(q)]
            medians[(q.ags, str(q.spec))] = {
                row[1]: row[3][1] for row in results[1] if row[0] == q.period
            }
    return medians


def run_nhm(service: BenchmarkService, queries: list[Query]) -> dict[tuple[str, str], Any]:
    found = {}
    for q in queries:
        result = service.benchmark(q.ags, q.period, q.spec)
        found[(q.ags, str(q.spec))] = result
    return found


# --- pandas ----------------------------------------------------------------------------------


def load_frames(store: Store) -> dict[str, pd.DataFrame]:
    with store.cursor() as cursor:
        return {
            "assessment": cursor.execute(
                "SELECT id, ags, period, revision, status FROM assessment"
            ).df(),
            "municipality": cursor.execute(
                "SELECT ags, size_class, is_county, is_demo, substr(ags, 1, 2) AS land "
                "FROM municipality"
            ).df(),
            "response": cursor.execute(
                "SELECT assessment_id, criterion_id, level, not_applicable FROM response"
            ).df(),
            "ring_member": cursor.execute("SELECT ring_id, ags FROM ring_member").df(),
        }


def pandas_benchmark(
    frames: dict[str, pd.DataFrame], weights: pd.DataFrame, q: Query
) -> dict[str, Any]:
    """The same statistics as nhm's benchmark, in plain pandas."""
    g = q.group
    m = frames["municipality"]
    m = m[m["is_demo"] == g.is_demo]
    if g.size_class is not None:
        m = m[m["size_class"] == g.size_class]
    if g.is_county is not None:
        m = m[m["is_county"] == g.is_county]
    if g.land is not None:
        m = m[m["land"] == g.land]
    if g.ring is not None:
        rm = frames["ring_member"]
        m = m[m["ags"].isin(rm.loc[rm["ring_id"] == g.ring.id, "ags"])]
    a = frames["assessment"]
    own_rows = a[(a["ags"] == q.ags) & (a["period"] <= q.period)].assign(
        submitted=lambda d: d["status"] == "submitted"
    )
    own_rows = own_rows.sort_values(["period", "submitted", "revision"]).groupby("period").tail(1)
    a = a[(a["status"] == "submitted") & (a["period"] <= q.period) & a["ags"].isin(m["ags"])]
    latest = a.sort_values("revision").groupby(["ags", "period"]).tail(1)
    sizes = latest.groupby("period").size()
    r = frames["response"]

    def scores_of(ids: pd.DataFrame) -> pd.DataFrame:
        rows = r[r["assessment_id"].isin(ids["id"]) & r["level"].notna()]
        rows = rows.merge(weights, on="criterion_id")
        rows = rows.assign(points=rows["weight"] * rows["level"], achievable=rows["weight"] * 4)
        sums = rows.groupby(["assessment_id", "dimension_id"])[["points", "achievable"]].sum()
        sums["score"] = (100 * sums["points"] / sums["achievable"]).round(6)
        sums = sums.reset_index().merge(
            ids[["id", "period"]], left_on="assessment_id", right_on="id"
        )
        return sums[["period", "dimension_id", "score"]]

    peer = scores_of(latest)
    own = scores_of(own_rows).rename(columns={"score": "own"})
    grouped = peer.groupby(["period", "dimension_id"])["score"]
    dimension_stats = grouped.quantile(QUARTILES).unstack()
    dimension_stats["n"] = grouped.size()
    dimension_stats["mean"] = grouped.mean()
    dimension_stats["min"] = grouped.min()
    dimension_stats["max"] = grouped.max()
    joined = peer.merge(own, on=["period", "dimension_id"])
    ranks = (
        joined.assign(
            below=joined["score"] < joined["own"], level_with=joined["score"] == joined["own"]
        )
        .groupby(["period", "dimension_id"])[["below", "level_with"]]
        .sum()
    )
    current = latest[latest["period"] == q.period]
    answers = r[r["assessment_id"].isin(current["id"])]
    by_criterion = answers.groupby("criterion_id")
    criterion_stats = by_criterion["level"].quantile(QUARTILES).unstack()
    criterion_stats["n"] = by_criterion["level"].count()
    criterion_stats["na"] = by_criterion["not_applicable"].sum()
    criterion_stats["mean"] = by_criterion["level"].mean()
    distribution = answers.groupby(["criterion_id", "level"]).size().unstack(fill_value=0)
    own_current = own_rows[own_rows["period"] == q.period]
    own_levels = r[r["assessment_id"].isin(own_current["id"])][["criterion_id", "level"]]
    compared = answers.merge(own_levels, on="criterion_id", suffixes=("", "_own"))
    criterion_ranks = (
        compared.assign(
            below=compared["level"] < compared["level_own"],
            level_with=compared["level"] == compared["level_own"],
        )
        .groupby("criterion_id")[["below", "level_with"]]
        .sum()
    )
    medians = {
        dimension: row[0.5]
        for (period, dimension), row in dimension_stats.iterrows()
        if period == q.period
    }
    return {
        "sizes": sizes,
        "dimension_stats": dimension_stats,
        "ranks": ranks,
        "criterion_stats": criterion_stats,
        "distribution": distribution,
        "criterion_ranks": criterion_ranks,
        "medians": medians,
    }


def run_pandas(
    store: Store | None,
    frames: dict[str, pd.DataFrame] | None,
    weights: pd.DataFrame,
    queries: list[Query],
) -> dict[tuple[str, str], dict[str, float]]:
    """With a store, every query loads its frames from the database (current data, as nhm
    answers every query from the database); with ``frames``, they are reused."""
    found = {}
    for q in queries:
        data = load_frames(store) if store is not None else frames
        assert data is not None
        found[(q.ags, str(q.spec))] = pandas_benchmark(data, weights, q)["medians"]
    return found


# --- import ----------------------------------------------------------------------------------


def write_files(folder: Path, data: Any, catalog: Catalog, count: int) -> list[Path]:
    """Exchange files of ``count`` generated assessments, one per municipality and period."""
    municipalities = {m.ags: m for m in data.municipalities}
    seen: set[tuple[str, int]] = set()
    paths = []
    for item in reversed(data.assessments):  # latest periods and revisions first
        a = item.assessment
        if (a.ags, a.period) in seen:
            continue
        seen.add((a.ags, a.period))
        document = build_document(municipalities[a.ags], a, catalog, is_demo=True)
        path = folder / f"{a.ags}-{a.period}.json"
        path.write_text(dump_json(document), encoding="utf-8")
        paths.append(path)
        if len(paths) == count:
            break
    return paths


BULK_SQL = """
CREATE TEMP TABLE staged AS
    SELECT * FROM read_json($files, format = 'auto', columns = {
        format: 'VARCHAR',
        municipality: 'STRUCT(ags VARCHAR, name VARCHAR, kind VARCHAR, population INTEGER,
                              population_date DATE)',
        period: 'INTEGER', revision: 'INTEGER', status: 'VARCHAR', demo: 'BOOLEAN',
        dimension_versions: 'MAP(VARCHAR, VARCHAR)',
        responses: 'STRUCT(criterion VARCHAR, level TINYINT, not_applicable BOOLEAN,
                           justification VARCHAR, evidence_status VARCHAR,
                           evidence_reference VARCHAR, comment VARCHAR, answered_by VARCHAR,
                           answered_at TIMESTAMP)[]'
    });
INSERT INTO municipality (ags, name, kind, land, population, population_date, is_county,
                          is_demo, source, updated_at)
    SELECT DISTINCT municipality.ags, municipality.name, municipality.kind,
           substr(municipality.ags, 1, 2), municipality.population,
           municipality.population_date, municipality.kind IN ('landkreis', 'kreis'), demo,
           'bulk', now() FROM staged;
INSERT INTO assessment (ags, period, revision, status, is_demo, created_at, created_by,
                        updated_at, updated_by)
    SELECT municipality.ags, period, coalesce(revision, 1), status, demo, now(), 'bulk', now(),
           'bulk' FROM staged;
INSERT INTO assessment_dimension
    SELECT a.id, unnest(map_keys(s.dimension_versions)), unnest(map_values(s.dimension_versions))
    FROM staged s JOIN assessment a ON a.ags = s.municipality.ags AND a.period = s.period;
INSERT INTO response (assessment_id, criterion_id, dimension_id, level, not_applicable,
                      justification, evidence_status, evidence_reference, comment, answered_by,
                      answered_at)
    SELECT id, r.criterion, split_part(r.criterion, '.', 1), r.level,
           coalesce(r.not_applicable, false), r.justification, r.evidence_status,
           r.evidence_reference, r.comment, r.answered_by, r.answered_at
    FROM (SELECT a.id, unnest(s.responses) AS r FROM staged s
          JOIN assessment a ON a.ags = s.municipality.ags AND a.period = s.period);
"""


def bulk_import(path: Path, files: list[Path]) -> int:
    store = open_store(path)
    try:
        with store.cursor() as cursor:
            cursor.execute("BEGIN")
            statements = [s for s in BULK_SQL.split(";") if s.strip()]
            cursor.execute(statements[0], {"files": [str(f) for f in files]})
            for statement in statements[1:]:
                cursor.execute(statement)
            cursor.execute("COMMIT")
            return cursor.execute("SELECT count(*) FROM response").fetchone()[0]  # type: ignore[index]
    finally:
        store.close()


def nhm_import(path: Path, files: list[Path], catalog: Catalog) -> int:
    store = open_store(path)
    try:
        report = import_assessment_files(store, files, catalog, "bench")
        if not report.ok:
            raise SystemExit(f"import failed: {report.errors[:3]}")
        with store.cursor() as cursor:
            return cursor.execute("SELECT count(*) FROM response").fetchone()[0]  # type: ignore[index]
    finally:
        store.close()


def fresh(path: Path) -> Path:
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="Folder for the databases (default: temp).")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    scale = SCALES[args.scale]
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="nhm-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        return _run(scale, args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(scale: Scale, args: argparse.Namespace, workdir: Path) -> int:
    catalog, _ = load_catalog()
    rows: list[tuple[str, str]] = []

    start = time.perf_counter()
    spec = DemoSpec(municipalities=scale.municipalities, periods=scale.periods, seed=args.seed)
    data = generate(spec, catalog)
    generated = time.perf_counter() - start
    store = open_store(fresh(workdir / "bench.duckdb"))
    start = time.perf_counter()
    summary = write_demo_data(store, data, "bench")
    store.checkpoint()
    written = time.perf_counter() - start
    rows.append(
        (
            "demo data",
            f"{summary.municipalities:,} municipalities, "
            f"{summary.assessments:,} assessments, {summary.responses:,} answers",
        )
    )
    rows.append(("  generate / write", f"{generated:.2f} s / {written:.2f} s"))

    period = spec.last_period
    service = BenchmarkService(store, catalog)
    queries = pick_queries(store, service, period)
    weights = pd.DataFrame(
        [(d.full_id(c), d.id, float(c.weight)) for d, c in catalog.iter_criteria()],
        columns=["criterion_id", "dimension_id", "weight"],
    )
    with store.cursor() as cursor:
        cursor.register("weights_frame", weights)
        cursor.execute("CREATE OR REPLACE TABLE bench_weights AS SELECT * FROM weights_frame")
        cursor.unregister("weights_frame")

    run_nhm(service, queries)  # warm up: fills nhm's score cache, which the floor also uses
    run_floor(store, queries)
    nhm_time, nhm_results = timed(lambda: run_nhm(service, queries), args.repeats)
    sql_time, sql_medians = timed(lambda: run_floor(store, queries), args.repeats)
    pandas_time, pandas_medians = timed(
        lambda: run_pandas(store, None, weights, queries), args.repeats
    )
    frames = load_frames(store)
    preloaded_time, preloaded_medians = timed(
        lambda: run_pandas(None, frames, weights, queries), args.repeats
    )
    _check_agreement(nhm_results, sql_medians, pandas_medians)
    _check_agreement(nhm_results, sql_medians, preloaded_medians)
    store.close()
    rows.append((f"peer-group queries ({len(queries)})", ", ".join(GROUPS)))
    rows.append(("  nhm benchmark API", f"{nhm_time * 1000:.0f} ms"))
    rows.append(("  hand-written SQL (floor)", f"{sql_time * 1000:.0f} ms"))
    rows.append(("  pandas (loads per query)", f"{pandas_time * 1000:.0f} ms"))
    rows.append(
        (
            "  pandas (frames preloaded, stale)",
            f"{preloaded_time * 1000:.0f} ms = {preloaded_time / nhm_time:.1f} × nhm",
        )
    )

    folder = workdir / "files"
    folder.mkdir(exist_ok=True)
    files = write_files(folder, data, catalog, scale.files)
    del data
    target = workdir / "import.duckdb"
    import_time, imported = timed(lambda: nhm_import(fresh(target), files, catalog), 1)
    bulk_time, bulked = timed(lambda: bulk_import(fresh(target), files), 1)
    if imported != bulked:
        raise SystemExit(f"import and bulk wrote different answers: {imported} vs {bulked}")
    rows.append((f"import ({len(files):,} files, {imported:,} answers)", ""))
    rows.append(("  nhm import", f"{import_time:.2f} s"))
    rows.append(("  DuckDB read_json + insert (floor)", f"{bulk_time:.2f} s"))

    ratios = {
        "nhm_over_sql": round(nhm_time / sql_time, 3),
        "pandas_over_nhm": round(pandas_time / nhm_time, 3),
        "import_over_bulk": round(import_time / bulk_time, 3),
    }
    targets = {"nhm_over_sql": "≤ 1.5", "pandas_over_nhm": "≥ 10", "import_over_bulk": "≤ 3"}
    width = max(len(name) for name, _ in rows) + 2
    print(f"nhm benchmark, scale {args.scale}, seed {args.seed}, median of {args.repeats}")
    for name, value in rows:
        print(f"{name:<{width}}{value}")
    for name, value in ratios.items():
        print(f"{name:<{width}}{value:.2f}  (target {targets[name]})")
    print(json.dumps(ratios))
    return 0


def _check_agreement(
    nhm_results: dict[tuple[str, str], Any],
    sql_medians: dict[tuple[str, str], dict[str, float]],
    pandas_medians: dict[tuple[str, str], dict[str, float]],
) -> None:
    """The three implementations must compute the same medians, or the timing means nothing."""
    for key, result in nhm_results.items():
        if result.suppressed is not None:
            continue
        for item in result.dimensions:
            if item.statistics is None:
                continue
            expected = item.statistics.median
            for name, found in (("SQL", sql_medians), ("pandas", pandas_medians)):
                value = found[key].get(item.dimension_id)
                if value is None or abs(value - expected) > 1e-6:
                    raise SystemExit(
                        f"{name} median {value} differs from nhm's {expected} for {key} "
                        f"{item.dimension_id}"
                    )


if __name__ == "__main__":
    sys.exit(main())
