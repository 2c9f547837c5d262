"""The performance benchmark's small scale runs end to end (a smoke test: no timing asserted).

The script itself checks that nhm, the hand-written SQL and pandas agree on every median and
that nhm's import and DuckDB's bulk read wrote the same answers; it exits non-zero otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "benchmark.py"


def test_small_scale_runs_and_ends_with_the_ratios(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--scale=small", "--repeats=1", f"--workdir={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    ratios = json.loads(lines[-1])
    assert set(ratios) == {"nhm_over_sql", "pandas_over_nhm", "import_over_bulk"}
    assert all(isinstance(value, float) and value > 0 for value in ratios.values())
    table = "\n".join(lines[:-1])
    for label in ("nhm benchmark API", "hand-written SQL (floor)", "nhm import"):
        assert label in table
    assert (tmp_path / "bench.duckdb").is_file()


def test_unknown_scale_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--scale", "galactic"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--scale" in result.stderr
