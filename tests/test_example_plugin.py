"""examples/nhm-engagement, the worked third-party plugin of docs/plugins.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from nhm.plugin_check import check_plugin_path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "nhm-engagement"


def test_example_passes_check_plugin() -> None:
    report = check_plugin_path(EXAMPLE)
    assert report.ok, report.errors
    assert len(report.checked) == 1 and "'engagement'" in report.checked[0]


def test_example_is_not_installed_by_default() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("nhm")), "plugins", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "engagement" not in {r["name"] for r in json.loads(result.stdout)}


def test_installed_example_joins_the_catalog(
    uv_install_target: Callable[..., dict[str, str]],
) -> None:
    env = {**os.environ, **uv_install_target(EXAMPLE)}
    nhm = str(Path(sys.executable).with_name("nhm"))
    plugins = json.loads(
        subprocess.run(
            [nhm, "plugins", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    )
    record = next(r for r in plugins if r["name"] == "engagement")
    assert record["status"] == "ok" and record["version"] == "0.1.0"
    assert record["hooks"] == ["nhm_recommendations", "nhm_register_dimensions"]
    catalog = json.loads(
        subprocess.run(
            [nhm, "catalog", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    )
    ids = [d["id"] for d in catalog["dimensions"]]
    assert ids[-1] == "engagement" and len(ids) == 6


def test_example_own_tests_pass() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
