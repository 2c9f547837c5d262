"""Shared fixtures: valid dimension data and real (not mocked) plugin distributions."""

from __future__ import annotations

import copy
import importlib
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"

_LEVELS = {
    0: {"de": "Es gibt keinen Beschluss.", "en": "There is no decision."},
    1: {"de": "Einzelne Fachbereiche handeln ohne Beschluss.", "en": "Single units act."},
    2: {"de": "Der Rat hat einen Grundsatzbeschluss gefasst.", "en": "The council decided."},
    3: {"de": "Der Rat berät jährlich über die Umsetzung.", "en": "Reviewed every year."},
    4: {"de": "Die Ziele werden im Haushalt gesteuert.", "en": "Steered in the budget."},
}

VALID_DIMENSION: dict[str, Any] = {
    "id": "fixture_dimension",
    "version": "1.0.0",
    "title": {"de": "Testdimension", "en": "Test dimension"},
    "description": {"de": "Eine Dimension für Tests.", "en": "A dimension for tests."},
    "weight": 1.0,
    "criteria": [
        {
            "id": "council_mandate",
            "title": {"de": "Politisches Mandat", "en": "Political mandate"},
            "question": {"de": "Hat der Rat beschlossen?", "en": "Has the council decided?"},
            "levels": copy.deepcopy(_LEVELS),
            "sdg_targets": ["16.7"],
            "references": {"bnk": "05"},
        },
        {
            "id": "municipal_companies",
            "title": {"de": "Konzern Kommune"},
            "question": {"de": "Sind die Beteiligungen einbezogen?"},
            "levels": copy.deepcopy(_LEVELS),
            "na_allowed": True,
        },
    ],
}


@pytest.fixture
def dimension_data() -> dict[str, Any]:
    """A fresh, valid dimension as plain data (safe to modify)."""
    return copy.deepcopy(VALID_DIMENSION)


@pytest.fixture
def write_dimension(tmp_path: Path) -> Callable[..., Path]:
    """Write dimension data as YAML (or text as is) and return the path."""

    def write(
        data: dict[str, Any] | str, name: str = "dimension.yaml", folder: Path | None = None
    ) -> Path:
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (
            data
            if isinstance(data, str)
            else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        )
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def install_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Path]]:
    """Create a real installed distribution (``*.dist-info`` with ``entry_points.txt``) on a
    folder added to ``sys.path``, so ``importlib.metadata`` finds it like a pip install."""
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    created_modules: list[str] = []

    def install(
        dist_name: str,
        version: str,
        entry_points: dict[str, str],
        modules: dict[str, str],
        files: dict[str, str] | None = None,
    ) -> Path:
        dist_info = site / f"{dist_name.replace('-', '_')}-{version}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: {version}\n", encoding="utf-8"
        )
        eps = "\n".join(f"{name} = {target}" for name, target in entry_points.items())
        (dist_info / "entry_points.txt").write_text(f"[nhm]\n{eps}\n", encoding="utf-8")
        for module_path, code in modules.items():
            target = site / module_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(code), encoding="utf-8")
            created_modules.append(module_path.split("/")[0].removesuffix(".py"))
        for rel, text in (files or {}).items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_text(text, encoding="utf-8")
        importlib.invalidate_caches()
        return site

    yield install
    for name in created_modules:
        for key in [k for k in sys.modules if k == name or k.startswith(f"{name}.")]:
            del sys.modules[key]
    importlib.invalidate_caches()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No plugin folders, disabled plugins or database from the caller's environment, and a
    throw-away user data folder, so no test can touch the developer's own database."""
    monkeypatch.delenv("NHM_PLUGIN_DIRS", raising=False)
    monkeypatch.delenv("NHM_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("NHM_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("user-data")))


@pytest.fixture
def uv_install_target(tmp_path: Path) -> Callable[..., dict[str, str]]:
    """Install packages with ``uv pip install --target`` into a fresh folder, as a user would
    install a plugin beside nhm; returns the environment that puts that folder on the path."""
    if shutil.which("uv") is None:
        pytest.skip("needs uv to install a package")

    def install(*packages: Path) -> dict[str, str]:
        target = tmp_path / "site"
        result = subprocess.run(
            [
                "uv",
                "pip",
                "install",
                "--no-deps",
                "--quiet",
                "--target",
                str(target),
                *map(str, packages),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return {"PYTHONPATH": str(target)}

    return install


def run_nhm(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``nhm`` console script as a user would, with extra environment."""
    script = Path(sys.executable).with_name("nhm")
    return subprocess.run(
        [str(script), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def nhm_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The ``nhm`` command as a subprocess: ``nhm_cli("plugins", "--json", env={...})``."""
    return run_nhm


def run_tests_in_folder(folder: Path, *args: str, env: dict[str, str] | None = None) -> None:
    """Run a plugin package's own test suite as its author would; fail with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=None if env is None else {**os.environ, **env},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def run_plugin_tests() -> Callable[..., None]:
    """``run_plugin_tests(folder, *args, env=None)``: the folder's own tests must pass."""
    return run_tests_in_folder


HOLDER_SCRIPT = """
import sys
from nhm.store import open_store

store = open_store(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()  # hold the file until the test closes our stdin
store.close()
"""


@pytest.fixture
def hold_database() -> Iterator[Callable[[Path], int]]:
    """Open a database in another process and keep it open; returns that process's PID."""
    holders: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> int:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER_SCRIPT, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout is not None
        line = holder.stdout.readline()
        assert line.strip() == "ready", holder.stderr.read() if holder.stderr else line
        return holder.pid

    yield hold
    for holder in holders:
        if holder.stdin is not None:
            holder.stdin.close()
        try:
            holder.wait(timeout=10)
        except subprocess.TimeoutExpired:
            holder.kill()
            holder.wait()
        for stream in (holder.stdout, holder.stderr):
            if stream is not None:
                stream.close()
        assert holder.returncode == 0, "the process holding the database did not end cleanly"
