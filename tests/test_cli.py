"""The `nhm` command, run as a real process where it matters."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from nhm import __version__
from nhm.cli import app
from nhm.model import Dimension

runner = CliRunner()
BUILTINS = {
    "governance_actors",
    "governance_structures",
    "governance_instruments",
    "procurement",
    "budgeting",
}


def test_version(nhm_cli: Callable[..., Any]) -> None:
    result = nhm_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"nhm {__version__}"


def test_plugins_json_lists_builtins_without_errors(nhm_cli: Callable[..., Any]) -> None:
    result = nhm_cli("plugins", "--json")
    assert result.returncode == 0, result.stderr
    records = {r["name"]: r for r in json.loads(result.stdout)}
    assert records.keys() >= BUILTINS
    for name in BUILTINS:
        record = records[name]
        assert record["status"] == "ok" and record["errors"] == []
        assert record["version"] == "1.0.0"
        assert record["source"] == "entry point"
        assert record["distribution"] == "nhm-" + name.replace("_", "-")
        assert record["hooks"] == ["nhm_register_dimensions"]
        assert record["dimensions"] == [name]


def test_catalog_json_shape() -> None:
    result = runner.invoke(app, ["catalog", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ids = [d["id"] for d in data["dimensions"]]
    assert ids[:5] == [
        "governance_actors",
        "governance_structures",
        "governance_instruments",
        "procurement",
        "budgeting",
    ]
    criterion = data["dimensions"][0]["criteria"][0]
    assert set(criterion["levels"]) == {"0", "1", "2", "3", "4"}
    assert set(criterion["title"]) == {"de", "en"}
    for key in ("id", "question", "weight", "sdg_targets", "na_allowed", "references"):
        assert key in criterion
    Dimension.model_validate(data["dimensions"][0])  # the JSON round-trips


def test_catalog_text_in_english() -> None:
    result = runner.invoke(app, ["catalog", "--lang", "en"])
    assert result.exit_code == 0
    assert "Sustainable procurement" in result.stdout
    bad = runner.invoke(app, ["catalog", "--lang", "fr"])
    assert bad.exit_code == 2 and "fr" in bad.output


def test_schema_is_valid_json_schema(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "dimension"])
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    assert {"id", "version", "title", "description", "criteria"} <= set(schema["required"])
    assert schema["additionalProperties"] is False
    out = tmp_path / "dimension.schema.json"
    assert runner.invoke(app, ["schema", "dimension", "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == schema


def test_check_plugin_on_file(tmp_path: Path, dimension_data: dict[str, Any]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(dimension_data), encoding="utf-8")
    result = runner.invoke(app, ["check-plugin", str(good)])
    assert result.exit_code == 0
    assert "dimension 'fixture_dimension' version 1.0.0 with 2 criteria is valid" in result.output

    dimension_data["criteria"][0]["levels"].pop(4)
    dimension_data["criteria"][1]["sdg_targets"] = ["13.4"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(dimension_data, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["check-plugin", str(bad)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {bad}:")
    assert "criteria[0].levels: exactly five level descriptors" in lines[0]
    assert "criteria[1].sdg_targets: '13.4' is not an SDG target" in lines[1]


def test_check_plugin_on_folders_and_missing_path(
    tmp_path: Path, dimension_data: dict[str, Any]
) -> None:
    folder = tmp_path / "dropins"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(dimension_data), encoding="utf-8")
    (folder / "b.py").write_text(
        "import nhm\n\n@nhm.hookimpl\ndef nhm_register_dimensions("
        "register):\n    raise KeyError('oops')\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check-plugin", str(folder)])
    assert result.exit_code == 1
    assert "plugin 'b': nhm_register_dimensions: KeyError: 'oops'" in result.output
    assert "ok: dimension 'fixture_dimension'" in result.output

    empty = tmp_path / "empty"
    empty.mkdir()
    empty_result = runner.invoke(app, ["check-plugin", str(empty)])
    assert empty_result.exit_code == 1 and "found no plugin" in empty_result.output
    missing = runner.invoke(app, ["check-plugin", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "no such file or folder" in missing.output


def test_check_plugin_on_package_without_entry_point(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    result = runner.invoke(app, ["check-plugin", str(tmp_path)])
    assert result.exit_code == 1
    assert "no [project.entry-points.nhm] table" in result.output


@pytest.mark.parametrize("builtin", sorted(BUILTINS))
def test_builtin_packages_pass_check_plugin(builtin: str) -> None:
    folder = Path(__file__).resolve().parent.parent / "plugins" / builtin
    result = runner.invoke(app, ["check-plugin", str(folder)])
    assert result.exit_code == 0, result.output


def test_plugin_new_scaffold_passes_check_and_its_own_test(
    tmp_path: Path, run_plugin_tests: Callable[..., None]
) -> None:
    result = runner.invoke(
        app,
        [
            "plugin",
            "new",
            "climate_adaptation",
            "--dir",
            str(tmp_path),
            "--title",
            "Klimaanpassung",
        ],
    )
    assert result.exit_code == 0, result.output
    package = tmp_path / "nhm-climate-adaptation"
    assert runner.invoke(app, ["check-plugin", str(package)]).exit_code == 0
    run_plugin_tests(package, str(package / "tests"))
    again = runner.invoke(app, ["plugin", "new", "climate_adaptation", "--dir", str(tmp_path)])
    assert again.exit_code == 1 and "already exists" in again.output
    bad = runner.invoke(app, ["plugin", "new", "Klima-Anpassung", "--dir", str(tmp_path)])
    assert bad.exit_code == 1 and "is not valid" in bad.output


def test_installed_package_appears_without_changing_nhm(
    tmp_path: Path,
    uv_install_target: Callable[..., dict[str, str]],
    nhm_cli: Callable[..., Any],
) -> None:
    """A package installed beside nhm (here: into a --target folder on PYTHONPATH) shows up in
    `nhm plugins` and `nhm catalog`; a broken one and a failing one are listed as errors."""
    assert (
        runner.invoke(
            app, ["plugin", "new", "climate_adaptation", "--dir", str(tmp_path)]
        ).exit_code
        == 0
    )
    broken = tmp_path / "nhm-broken"
    (broken / "nhm_broken").mkdir(parents=True)
    (broken / "nhm_broken" / "__init__.py").write_text(
        "raise ImportError('needs a library that is not installed')\n", encoding="utf-8"
    )
    raising = tmp_path / "nhm-raising"
    (raising / "nhm_raising").mkdir(parents=True)
    (raising / "nhm_raising" / "__init__.py").write_text(
        "import pluggy\n\n@pluggy.HookimplMarker('nhm')\ndef nhm_register_dimensions(register):"
        "\n    raise RuntimeError('hook failed on purpose')\n",
        encoding="utf-8",
    )
    for folder, name in ((broken, "broken"), (raising, "raising")):
        (folder / "pyproject.toml").write_text(
            f'[project]\nname = "third-party-{name}"\nversion = "0.0.1"\n'
            f'[project.entry-points.nhm]\n{name} = "nhm_{name}"\n'
            '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n'
            f'[tool.hatch.build.targets.wheel]\npackages = ["nhm_{name}"]\n',
            encoding="utf-8",
        )
    env = uv_install_target(tmp_path / "nhm-climate-adaptation", broken, raising)
    plugins = {r["name"]: r for r in json.loads(nhm_cli("plugins", "--json", env=env).stdout)}
    assert plugins["climate_adaptation"]["status"] == "ok"
    assert plugins["climate_adaptation"]["version"] == "0.1.0"
    assert "needs a library that is not installed" in plugins["broken"]["errors"][0]["message"]
    assert "hook failed on purpose" in plugins["raising"]["errors"][0]["message"]
    assert all(plugins[name]["status"] == "ok" for name in BUILTINS)
    catalog = json.loads(nhm_cli("catalog", "--json", env=env).stdout)
    assert {d["id"] for d in catalog["dimensions"]} == BUILTINS | {"climate_adaptation"}


def test_demo_says_what_is_ready(nhm_cli: Callable[..., Any]) -> None:
    result = nhm_cli("demo", "--setup-only")
    assert result.returncode == 0
    assert "5 dimensions" in result.stdout


def _package(folder: Path, name: str, entry_point: str, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        f'[project]\nname = "third-party-{name}"\nversion = "0.1.0"\n'
        f'[project.entry-points.nhm]\n{name} = "{entry_point}"\n',
        encoding="utf-8",
    )
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


def test_check_plugin_imports_packages_as_installed(
    tmp_path: Path, dimension_data: dict[str, Any]
) -> None:
    dimension_yaml = yaml.safe_dump({**dimension_data, "id": "absolute"})
    hooks = (
        "import pathlib, pluggy\n\n@pluggy.HookimplMarker('nhm')\n"
        "def nhm_register_dimensions(register):\n"
        "    register(pathlib.Path(__file__).with_name('d.yaml'))\n"
    )
    absolute = _package(
        tmp_path / "absolute",
        "absolute",
        "nhm_absimp",
        {
            "src/nhm_absimp/__init__.py": "from nhm_absimp.hooks import nhm_register_dimensions\n",
            "src/nhm_absimp/hooks.py": hooks,
            "src/nhm_absimp/d.yaml": dimension_yaml,
        },
    )
    result = runner.invoke(app, ["check-plugin", str(absolute)])
    assert result.exit_code == 0, result.output
    submodule = _package(
        tmp_path / "submodule",
        "submodule",
        "nhm_sub.plugin",
        {
            "nhm_sub/__init__.py": "",
            "nhm_sub/helpers.py": "NAME = 'd.yaml'\n",
            "nhm_sub/plugin.py": hooks.replace("'d.yaml'", "NAME").replace(
                "import pathlib", "from .helpers import NAME\nimport pathlib"
            ),
            "nhm_sub/d.yaml": yaml.safe_dump({**dimension_data, "id": "submodule"}),
        },
    )
    result = runner.invoke(app, ["check-plugin", str(submodule)])
    assert result.exit_code == 0, result.output
    assert "nhm_absimp" not in sys.modules and "nhm_sub" not in sys.modules


def test_check_plugin_reports_clashes_with_installed_plugins(
    tmp_path: Path, dimension_data: dict[str, Any]
) -> None:
    package = _package(
        tmp_path / "clash",
        "procurement",
        "nhm_clash",
        {
            "nhm_clash/__init__.py": (
                "import pathlib, pluggy\n\n@pluggy.HookimplMarker('nhm')\n"
                "def nhm_register_dimensions(register):\n"
                "    register(pathlib.Path(__file__).with_name('d.yaml'))\n"
            ),
            "nhm_clash/d.yaml": yaml.safe_dump({**dimension_data, "id": "budgeting"}),
        },
    )
    result = runner.invoke(app, ["check-plugin", str(package)])
    assert result.exit_code == 1
    assert "plugin name 'procurement' is already used by the installed plugin" in result.output
    assert "dimension id 'budgeting' is already provided by the installed plugin" in result.output


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ('project = "x"\n', "expected a [project] table"),
        ('[project]\nname = "x"\n[project.entry-points]\nnhm = "oops"\n', "no [project.entry"),
        ('[project]\nname = "x"\n[project.entry-points.nhm]\na = 1\n', "must be a string"),
        ("[project\n", "not valid TOML"),
    ],
)
def test_check_plugin_on_broken_pyproject(tmp_path: Path, pyproject: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    result = runner.invoke(app, ["check-plugin", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
