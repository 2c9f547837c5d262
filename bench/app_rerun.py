"""Streamlit reruns of the wizard and the results view: a national database against a small one.

    .venv/bin/python bench/app_rerun.py [--scale-large national|regional] [--seed N]
                                        [--repeats N] [--workdir DIR]

Streamlit runs a page again on every click, so a click must not get slower as the country
joins the database. This script measures that:

1. Two demo databases are generated with the same seed and the same periods: the large one
   (national: 11,000 municipalities × 5 periods, about 2.4 million answers) and a small one
   of 40 municipalities – enough that the results view's peer group (the size class) is
   shown there too, not refused by the differencing rule of nhm.benchmark (a size class that
   differs from "all municipalities" by fewer than 5 is refused). They differ only in how
   many other municipalities they hold.
2. Each database gets comparable subjects, chosen by the same rule: demo municipalities of
   kind "gemeinde" in KGSt size class GK7 (the most common kind, and one the small database
   has) whose latest period holds a single, submitted revision, in AGS order. The first is
   the wizard's subject: a new draft revision of it is started through the store (answers
   copied, as the app's "new revision" button does), so its wizard is editable and equally
   full in both databases. The second is the results view's subject (a submitted revision,
   with earlier periods, so its progress baseline and its peer medians are shown; its size
   class has enough members for the peer group in both databases).
3. Per database, two AppTest sessions of the root ``app.py`` (one per subject) get the
   subject in the URL (``?ags=…&period=…``), run once, switch to their page and are warmed
   up with one round of the timed runs (imports, Streamlit's caches, nhm's score cache).
4. ``--repeats`` rounds are timed, the two databases alternating within each round so that
   noise on the machine hits both alike. Each run is timed on its own (``AppTest.run``):
   * wizard rerun: the wizard page run again with nothing changed;
   * wizard click: one level radio of the draft's first criterion set to another level,
     then the run (its callback saves the answer; the run draws the new answer);
   * results rerun: the results page of the submitted subject run again.
   Every run is checked (no exception, the subject's title, the saved level shown, the peer
   group shown), or the timing would mean nothing. The click changes a draft, not the peers'
   data, so the results view keeps its cached peer statistics (nhm/ui/views/results.py); a
   submission or a directory change anywhere makes its next run compute them afresh, in time
   proportional to the peer group, which these reruns do not measure.

Each view's time is the median over the rounds; a database's total is the sum of its three
medians. The ratio is national_over_small = large total ÷ small total (per-view ratios are
printed in the table too). The last line is JSON: {"national_over_small": …}. Target ≤ 1.5.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Radio

from nhm.assessment import AssessmentStatus
from nhm.catalog import load_catalog
from nhm.demo_data import DemoSpec, generate, write_demo_data
from nhm.model import Catalog
from nhm.store import Store, open_store
from nhm.store.location import DB_ENV

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
ASSESSMENT_PAGE = "nhm/ui/screens/assessment.py"
RESULTS_PAGE = "nhm/ui/screens/results.py"
ACTOR = "bench"
PERIODS = 5
SMALL = 40
LARGE = {"national": 11_000, "regional": 1_000}
VIEWS = ("wizard rerun", "wizard click", "results rerun")
KIND, SIZE_CLASS = "gemeinde", "GK7"
TARGET = 1.5


# --- the databases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Subjects:
    """Who the timed views show: a draft to edit and a submitted revision to evaluate."""

    period: int
    draft_ags: str
    draft_name: str
    draft_id: int
    criterion_id: str  # the first criterion of the wizard's first step
    results_ags: str
    results_name: str


def fresh(path: Path) -> Path:
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def build_database(
    path: Path, municipalities: int, seed: int, catalog: Catalog
) -> tuple[Subjects, str, float]:
    """Generate and write the demo data, start the wizard's draft; the store is closed after."""
    start = time.perf_counter()
    spec = DemoSpec(municipalities=municipalities, periods=PERIODS, seed=seed)
    data = generate(spec, catalog)
    with open_store(fresh(path)) as store:
        summary = write_demo_data(store, data, ACTOR)
        del data
        subjects = _prepare_subjects(store, spec.last_period, catalog)
        store.checkpoint()
    gc.collect()
    described = (
        f"{summary.municipalities:,} municipalities, {summary.assessments:,} assessments, "
        f"{summary.responses:,} answers"
    )
    return subjects, described, time.perf_counter() - start


def _prepare_subjects(store: Store, period: int, catalog: Catalog) -> Subjects:
    with store.cursor() as cursor:
        rows = cursor.execute(
            "SELECT m.ags, m.name FROM municipality m JOIN assessment a USING (ags) "
            "WHERE m.is_demo AND m.kind = ? AND m.size_class = ? AND a.period = ? "
            "GROUP BY m.ags, m.name HAVING count(*) = 1 AND bool_and(a.status = 'submitted') "
            "ORDER BY m.ags LIMIT 2",
            [KIND, SIZE_CLASS, period],
        ).fetchall()
    if len(rows) < 2:
        raise SystemExit(f"the database has fewer than two {KIND} {SIZE_CLASS} subjects")
    (draft_ags, draft_name), (results_ags, results_name) = rows
    submitted = store.assessments.get(draft_ags, period)
    assert submitted is not None and submitted.status is AssessmentStatus.SUBMITTED
    draft = store.assessments.start_revision(draft_ags, period, submitted.version, catalog, ACTOR)
    first = catalog.dimensions[0]
    return Subjects(
        period=period,
        draft_ags=draft_ags,
        draft_name=draft_name,
        draft_id=draft.id,
        criterion_id=first.full_id(first.criteria[0]),
        results_ags=results_ags,
        results_name=results_name,
    )


# --- the app ---------------------------------------------------------------------------------


@dataclass
class Session:
    """The app on one database: a wizard session and a results session, and their times."""

    label: str
    path: Path
    subjects: Subjects
    wizard: AppTest
    results: AppTest
    times: dict[str, list[float]] = field(default_factory=lambda: {v: [] for v in VIEWS})

    def run(self, at: AppTest) -> float:
        os.environ[DB_ENV] = str(self.path)  # the app reads it on every run
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise SystemExit(f"{self.label}: the app failed: {[e.value for e in at.exception]}")
        return elapsed

    def run_round(self, record: bool = True) -> None:
        """One run of each timed view."""
        timed = {
            "wizard rerun": self._wizard_rerun,
            "wizard click": self._wizard_click,
            "results rerun": self._results_rerun,
        }
        for view, step in timed.items():
            elapsed = step()
            if record:
                self.times[view].append(elapsed)

    def _wizard_rerun(self) -> float:
        elapsed = self.run(self.wizard)
        self._check_title(self.wizard, self.subjects.draft_name)
        self._level_radio()
        return elapsed

    def _wizard_click(self) -> float:
        radio = self._level_radio()
        level = 3 if radio.value == 2 else 2
        radio.set_value(level)
        elapsed = self.run(self.wizard)
        after = self._level_radio()
        if after.key == radio.key or after.value != level:
            raise SystemExit(f"{self.label}: the click did not save level {level}")
        return elapsed

    def _results_rerun(self) -> float:
        elapsed = self.run(self.results)
        self._check_title(self.results, self.subjects.results_name)
        captions = [str(c.value) for c in self.results.caption]
        if not any("Vergleichsgruppe" in c and "Kommunen mit eingereichter" in c for c in captions):
            raise SystemExit(f"{self.label}: the results view shows no peer group: {captions}")
        return elapsed

    def _level_radio(self) -> Radio[Any]:
        prefix = f"level:{self.subjects.draft_id}:{self.subjects.criterion_id}:"
        found = [r for r in self.wizard.radio if r.key and r.key.startswith(prefix)]
        if len(found) != 1:
            raise SystemExit(f"{self.label}: {len(found)} level radios with key {prefix}…")
        return found[0]

    def _check_title(self, at: AppTest, name: str) -> None:
        titles = [str(t.value) for t in at.title]
        if not any(name in title for title in titles):
            raise SystemExit(f"{self.label}: expected {name!r} in the title, found {titles}")


def open_session(label: str, path: Path, subjects: Subjects) -> Session:
    def app(ags: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params["ags"] = ags
        at.query_params["period"] = str(subjects.period)
        return at

    session = Session(
        label,
        path,
        subjects,
        wizard=app(subjects.draft_ags),
        results=app(subjects.results_ags),
    )
    for at, page in ((session.wizard, ASSESSMENT_PAGE), (session.results, RESULTS_PAGE)):
        session.run(at)  # the start page, with the subject from the URL
        at.switch_page(page)
        session.run(at)
    session.run_round(record=False)  # warm-up
    return session


def median(values: list[float]) -> float:
    return statistics.median(values)


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale-large",
        choices=sorted(LARGE),
        default="national",
        help="The large database (national: 11,000 municipalities; regional: 1,000).",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="Folder for the databases (default: temp).")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="nhm-bench-app-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        return _run(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, workdir: Path) -> int:
    import streamlit as st

    # AppTest sets up its session outside a script run; Streamlit warns about that each time
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )

    catalog, _ = load_catalog()
    rows: list[tuple[str, str]] = []
    sessions: list[Session] = []
    previous_db = os.environ.get(DB_ENV)
    databases = (("small", SMALL), (args.scale_large, LARGE[args.scale_large]))
    try:
        for label, municipalities in databases:
            path = workdir / f"app-{label}.duckdb"
            subjects, described, seconds = build_database(path, municipalities, args.seed, catalog)
            rows.append((f"{label} database", f"{described} ({seconds:.1f} s to build)"))
            rows.append(
                (
                    "  subjects",
                    f"wizard {subjects.draft_name} ({subjects.draft_ags}), results "
                    f"{subjects.results_name} ({subjects.results_ags}), {subjects.period}",
                )
            )
            sessions.append(open_session(label, path, subjects))
        for _ in range(args.repeats):
            for session in sessions:
                session.run_round()
        return _report(args, rows, sessions)
    finally:
        sessions.clear()
        st.cache_resource.clear()  # drops the app's stores: their connections close
        gc.collect()
        if previous_db is None:
            os.environ.pop(DB_ENV, None)
        else:
            os.environ[DB_ENV] = previous_db


def _report(args: argparse.Namespace, rows: list[tuple[str, str]], sessions: list[Session]) -> int:
    small, large = sessions
    medians = {s.label: {v: median(s.times[v]) for v in VIEWS} for s in sessions}
    totals = {label: sum(values.values()) for label, values in medians.items()}
    ratio = totals[large.label] / totals[small.label]
    header = (f"view (median of {args.repeats})", f"{small.label:>9}  {large.label:>9}  ratio")
    table: list[tuple[str, str]] = [header]
    for view in VIEWS:
        a, b = medians[small.label][view], medians[large.label][view]
        table.append((f"  {view}", f"{a * 1000:6.0f} ms  {b * 1000:6.0f} ms  {b / a:5.2f}"))
    a, b = totals[small.label], totals[large.label]
    table.append(("  total", f"{a * 1000:6.0f} ms  {b * 1000:6.0f} ms  {b / a:5.2f}"))
    width = max(len(name) for name, _ in rows + table) + 2
    print(
        f"nhm app reruns (AppTest), {large.label} over small, seed {args.seed}, "
        f"median of {args.repeats}"
    )
    for name, value in rows + table:
        print(f"{name:<{width}}{value}")
    print(f"{'national_over_small':<{width}}{ratio:.2f}  (target ≤ {TARGET})")
    print(json.dumps({"national_over_small": round(ratio, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
