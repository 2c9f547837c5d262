"""examples/nhm-engagement, the worked third-party plugin of docs/plugins.md."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nhm.plugin_check import check_plugin_path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "nhm-engagement"


def test_example_passes_check_plugin() -> None:
    report = check_plugin_path(EXAMPLE)
    assert report.ok, report.errors
    assert len(report.checked) == 1 and "'engagement'" in report.checked[0]


def test_example_is_not_installed_by_default(nhm_cli: Callable[..., Any]) -> None:
    result = nhm_cli("plugins", "--json")
    assert "engagement" not in {r["name"] for r in json.loads(result.stdout)}


def test_installed_example_joins_the_catalog(
    uv_install_target: Callable[..., dict[str, str]], nhm_cli: Callable[..., Any]
) -> None:
    env = uv_install_target(EXAMPLE)
    plugins = json.loads(nhm_cli("plugins", "--json", env=env).stdout)
    record = next(r for r in plugins if r["name"] == "engagement")
    assert record["status"] == "ok" and record["version"] == "0.1.0"
    assert record["hooks"] == ["nhm_recommendations", "nhm_register_dimensions"]
    catalog = json.loads(nhm_cli("catalog", "--json", env=env).stdout)
    ids = [d["id"] for d in catalog["dimensions"]]
    assert ids[-1] == "engagement" and len(ids) == 6


def test_example_own_tests_pass(run_plugin_tests: Callable[..., None]) -> None:
    run_plugin_tests(EXAMPLE)
