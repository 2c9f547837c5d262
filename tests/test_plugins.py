"""The plugin manager: real entry points, drop-in folders, and every kind of failure."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from nhm import Dimension, PluginPage, hookimpl
from nhm.catalog import build_catalog, load_catalog
from nhm.plugins import PluginSource, PluginStatus, load_plugins

GOOD_MODULE = """
    import pluggy
    hookimpl = pluggy.HookimplMarker("nhm")

    @hookimpl
    def nhm_register_dimensions(register):
        register("fixture.yaml")   # relative to this module's folder
"""


def _dimension_yaml(data: dict[str, Any], **changes: Any) -> str:
    return yaml.safe_dump({**data, **changes}, allow_unicode=True, sort_keys=False)


def test_entry_point_plugin_is_found_through_importlib_metadata(
    install_dist: Callable[..., Path], dimension_data: dict[str, Any]
) -> None:
    install_dist(
        "nhm-fixture",
        "2.3.4",
        {"fixture": "nhm_fixture"},
        {"nhm_fixture/__init__.py": GOOD_MODULE},
        {"nhm_fixture/fixture.yaml": _dimension_yaml(dimension_data)},
    )
    catalog, host = load_catalog()
    record = host.record("fixture")
    assert record.status is PluginStatus.OK, record.errors
    assert record.source is PluginSource.ENTRY_POINT
    assert (record.distribution, record.version) == ("nhm-fixture", "2.3.4")
    assert record.location == "nhm_fixture"
    assert record.hooks == ["nhm_register_dimensions"]
    assert record.dimensions == ["fixture_dimension"]
    assert catalog.dimension("fixture_dimension").criteria[0].id == "council_mandate"


def test_entry_point_to_an_object_inside_a_module(
    install_dist: Callable[..., Path], dimension_data: dict[str, Any]
) -> None:
    code = f"""
        import pluggy
        from nhm import Dimension
        hookimpl = pluggy.HookimplMarker("nhm")
        DATA = { ({**dimension_data, "id": "object_dimension"})!r}

        class Plugin:
            @hookimpl
            def nhm_register_dimensions(self, register):
                register(Dimension.model_validate(DATA))

        plugin = Plugin()
    """
    install_dist(
        "nhm-objectplugin",
        "0.1.0",
        {"objectplugin": "nhm_objectplugin:plugin"},
        {"nhm_objectplugin.py": code},
    )
    catalog, host = load_catalog()
    assert host.record("objectplugin").errors == []
    assert host.record("objectplugin").dimensions == ["object_dimension"]
    assert "object_dimension" in catalog.versions()


def test_failures_are_recorded_and_the_rest_keeps_working(
    install_dist: Callable[..., Path], dimension_data: dict[str, Any]
) -> None:
    install_dist(
        "nhm-several",
        "1.0.0",
        {
            "good": "nhm_good",
            "broken_import": "nhm_broken_import",
            "missing_module": "nhm_not_there",
            "raising_hook": "nhm_raising_hook",
            "invalid_file": "nhm_invalid_file",
            "later_duplicate": "nhm_duplicate",
            "wrong_type": "nhm_wrong_type",
        },
        {
            "nhm_good/__init__.py": GOOD_MODULE,
            "nhm_broken_import.py": "import a_module_that_does_not_exist\n",
            "nhm_raising_hook.py": """
                import pluggy
                hookimpl = pluggy.HookimplMarker("nhm")

                @hookimpl
                def nhm_register_dimensions(register):
                    raise RuntimeError("database of criteria unreachable")
            """,
            "nhm_invalid_file/__init__.py": GOOD_MODULE,
            "nhm_duplicate/__init__.py": GOOD_MODULE,
            "nhm_wrong_type.py": """
                import pluggy
                hookimpl = pluggy.HookimplMarker("nhm")

                @hookimpl
                def nhm_register_dimensions(register):
                    register(42)
            """,
        },
        {
            "nhm_good/fixture.yaml": _dimension_yaml(dimension_data),
            "nhm_invalid_file/fixture.yaml": _dimension_yaml(dimension_data, id="other", weight=-1),
            "nhm_duplicate/fixture.yaml": _dimension_yaml(dimension_data),
        },
    )
    catalog, host = load_catalog()
    status = {r.name: r.status for r in host.records}
    assert status["good"] is PluginStatus.OK, host.record("good").errors
    assert catalog.dimension("fixture_dimension")
    assert host.record("good").dimensions == ["fixture_dimension"]

    def only_error(name: str) -> str:
        record = host.record(name)
        assert record.status is PluginStatus.ERROR
        assert len(record.errors) == 1, record.errors
        return str(record.errors[0])

    assert "import: ModuleNotFoundError: No module named 'a_module_that_does_not_exist'" in (
        only_error("broken_import")
    )
    assert "nhm_broken_import.py" in only_error("broken_import")
    assert "No module named 'nhm_not_there'" in only_error("missing_module")
    raising = only_error("raising_hook")
    assert raising.startswith("nhm_register_dimensions: RuntimeError: database of criteria")
    assert "nhm_raising_hook.py:7" in raising
    invalid = only_error("invalid_file")
    assert "invalid dimension file" in invalid and "fixture.yaml" in invalid
    assert "weight: Input should be greater than 0" in invalid
    assert "dimension id 'fixture_dimension' is already provided by plugin" in (
        only_error("later_duplicate")
    )
    assert "register() expects an nhm.Dimension or the path" in only_error("wrong_type")
    assert "other" not in catalog.versions()


def test_invalid_hook_signature_and_unknown_hook(install_dist: Callable[..., Path]) -> None:
    install_dist(
        "nhm-sloppy",
        "1.0.0",
        {"bad_args": "nhm_bad_args", "typo": "nhm_typo"},
        {
            "nhm_bad_args.py": """
                import pluggy
                hookimpl = pluggy.HookimplMarker("nhm")

                @hookimpl
                def nhm_register_dimensions(register, catalog):
                    pass
            """,
            "nhm_typo.py": """
                import pluggy
                hookimpl = pluggy.HookimplMarker("nhm")

                @hookimpl
                def nhm_register_dimension(register):
                    pass
            """,
        },
    )
    host = load_plugins()
    bad_args = str(host.record("bad_args").errors[0])
    assert bad_args.startswith("register: PluginValidationError")
    assert "catalog" in bad_args
    assert not host.pm.has_plugin("bad_args")
    typo = str(host.record("typo").errors[0])
    assert "implements unknown hook 'nhm_register_dimension'" in typo
    assert "nhm_register_dimensions" in typo


def test_drop_in_folder(
    tmp_path: Path, dimension_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dropins"
    folder.mkdir()
    (folder / "climate.yaml").write_text(
        _dimension_yaml(dimension_data, id="climate"), encoding="utf-8"
    )
    (folder / "mobility.json").write_text(
        json.dumps({**dimension_data, "id": "mobility"}), encoding="utf-8"
    )
    (folder / "broken.yml").write_text("id: [unclosed\n", encoding="utf-8")
    (folder / "syntax_error.py").write_text("def oops(:\n", encoding="utf-8")
    (folder / "pages.py").write_text(
        "import nhm\n\n@nhm.hookimpl\ndef nhm_register_pages(register):\n"
        "    register(nhm.PluginPage(title=nhm.LocalizedText(de='Karte'), render=lambda: None,"
        " url_path='karte'))\n",
        encoding="utf-8",
    )
    (folder / "README.md").write_text("ignored", encoding="utf-8")
    (folder / "_private.py").write_text("raise SystemExit", encoding="utf-8")
    monkeypatch.setenv("NHM_PLUGIN_DIRS", f"{folder}:{tmp_path / 'missing'}")

    catalog, host = load_catalog(entry_points=False)
    names = [r.name for r in host.records]
    assert names == [
        "broken",
        "climate",
        "mobility",
        "pages",
        "syntax_error",
        str(tmp_path / "missing"),
    ]
    assert {"climate", "mobility"} <= set(catalog.versions())
    assert host.record("climate").source is PluginSource.FOLDER
    assert host.record("climate").location == str(folder / "climate.yaml")
    assert "not valid YAML" in str(host.record("broken").errors[0])
    assert "broken.yml:2: not valid YAML" in str(host.record("broken").errors[0])
    assert "SyntaxError" in str(host.record("syntax_error").errors[0])
    assert "does not exist" in str(host.record(str(tmp_path / "missing")).errors[0])
    pages = host.collect("nhm_register_pages", PluginPage)
    assert [(name, page.url_path) for name, page in pages] == [("pages", "karte")]


def test_disable_plugins_by_env(
    install_dist: Callable[..., Path],
    tmp_path: Path,
    dimension_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install_dist(
        "nhm-explosive",
        "1.0.0",
        {"explosive": "nhm_explosive"},
        {"nhm_explosive.py": "raise RuntimeError('must not be imported')\n"},
    )
    install_dist(
        "nhm-by-dist-name",
        "1.0.0",
        {"whatever": "nhm_whatever"},
        {"nhm_whatever/__init__.py": GOOD_MODULE},
        {"nhm_whatever/fixture.yaml": _dimension_yaml(dimension_data)},
    )
    folder = tmp_path / "dropins"
    folder.mkdir()
    (folder / "extra.yaml").write_text(
        _dimension_yaml(dimension_data, id="extra"), encoding="utf-8"
    )
    monkeypatch.setenv("NHM_PLUGIN_DIRS", str(folder))
    monkeypatch.setenv("NHM_DISABLE_PLUGINS", "explosive, nhm_by_dist_name ,extra,nonexistent")

    catalog, host = load_catalog()
    for name in ("explosive", "whatever", "extra"):
        assert host.record(name).status is PluginStatus.DISABLED
        assert host.record(name).errors == []
    assert "fixture_dimension" not in catalog.versions()
    assert "extra" not in catalog.versions()
    assert host.unmatched_disabled == ["nonexistent"]


class _Scorer:
    def __init__(self, result: Any) -> None:
        self.result = result

    @hookimpl
    def nhm_score_dimension(self, dimension: Dimension) -> Any:
        if self.result == "raise":
            raise ValueError(f"cannot score {dimension.id}")
        return self.result


def test_each_hook_implementation_is_called_on_its_own(dimension_data: dict[str, Any]) -> None:
    dimension = Dimension.model_validate(dimension_data)
    host = load_plugins(
        entry_points=False,
        plugin_dirs=[],
        extra=[
            ("fails", _Scorer("raise")),
            ("declines", _Scorer(None)),
            ("scores", _Scorer(0.75)),
            ("never_asked", _Scorer(0.1)),
        ],
    )
    # Called in load order: "fails" raises, "declines" returns None, "scores" answers.
    assert host.call_first("nhm_score_dimension", dimension=dimension, responses={}) == (
        "scores",
        0.75,
    )
    assert str(host.record("fails").errors[0]) == (
        "nhm_score_dimension: ValueError: cannot score fixture_dimension (at "
        f"{__file__}:{_Scorer.nhm_score_dimension.__code__.co_firstlineno + 3})"
    )
    results = host.call_each("nhm_score_dimension", dimension=dimension, responses={})
    assert results == [("scores", 0.75), ("never_asked", 0.1)]
    assert host.record("declines").status is PluginStatus.OK


def test_build_catalog_without_plugins_is_empty() -> None:
    host = load_plugins(entry_points=False, plugin_dirs=[])
    assert build_catalog(host).dimensions == []


def test_builtins_win_over_third_party_clashes(
    install_dist: Callable[..., Path], dimension_data: dict[str, Any]
) -> None:
    """A third party reusing a built-in's dimension id or plugin name is the one rejected,
    whatever its entry point is called."""
    install_dist(
        "aaa-collide",
        "1.0.0",
        {"aaa_collide": "nhm_aaa_collide", "procurement": "nhm_aaa_samename"},
        {"nhm_aaa_collide/__init__.py": GOOD_MODULE, "nhm_aaa_samename.py": "x = 1\n"},
        {"nhm_aaa_collide/fixture.yaml": _dimension_yaml(dimension_data, id="procurement")},
    )
    catalog, host = load_catalog()
    builtin = host.record("procurement")
    assert builtin.builtin and builtin.status is PluginStatus.OK
    assert builtin.dimensions == ["procurement"]
    assert catalog.dimension("procurement").title.de == "Nachhaltige Beschaffung"
    assert "already provided by plugin 'procurement'" in str(host.record("aaa_collide").errors[0])
    clash = host.record("procurement (nhm_aaa_samename)")
    assert "the plugin name is already used by nhm_procurement" in str(clash.errors[0])


def test_system_exit_and_unprintable_errors_are_contained(
    tmp_path: Path, dimension_data: dict[str, Any]
) -> None:
    folder = tmp_path / "dropins"
    folder.mkdir()
    (folder / "exits_on_import.py").write_text("raise SystemExit(3)\n", encoding="utf-8")
    (folder / "exits_in_hook.py").write_text(
        "import sys, nhm\n\n@nhm.hookimpl\ndef nhm_register_dimensions(register):\n"
        "    sys.exit(4)\n",
        encoding="utf-8",
    )
    (folder / "unprintable.py").write_text(
        "import nhm\n\nclass Weird(Exception):\n    def __str__(self):\n        raise "
        "RuntimeError('no')\n\n@nhm.hookimpl\ndef nhm_register_dimensions(register):\n"
        "    raise Weird()\n",
        encoding="utf-8",
    )
    (folder / "zz_good.yaml").write_text(_dimension_yaml(dimension_data), encoding="utf-8")
    catalog, host = load_catalog(entry_points=False, plugin_dirs=[folder])
    assert "SystemExit: the plugin called sys.exit(3)" in str(
        host.record("exits_on_import").errors[0]
    )
    assert "sys.exit(4)" in str(host.record("exits_in_hook").errors[0])
    assert "could not be printed" in str(host.record("unprintable").errors[0])
    assert catalog.dimension("fixture_dimension")


def test_unvalidated_dimension_objects_are_rejected(dimension_data: dict[str, Any]) -> None:
    class Sneaky:
        @hookimpl
        def nhm_register_dimensions(self, register: Callable[[object], None]) -> None:
            register(Dimension.model_construct())
            register(Dimension.model_construct(**{**dimension_data, "version": "x"}))
            register(Dimension.model_validate(dimension_data))

    catalog, host = load_catalog(entry_points=False, plugin_dirs=[], extra=[("sneaky", Sneaky())])
    errors = [str(e) for e in host.record("sneaky").errors]
    assert len(errors) == 2
    assert "version: String should match pattern" in errors[1]
    assert [d.id for d in catalog.dimensions] == ["fixture_dimension"]


def test_broken_metadata_of_one_distribution_hides_no_other(
    install_dist: Callable[..., Path], dimension_data: dict[str, Any]
) -> None:
    site = install_dist(
        "nhm-fine",
        "1.0.0",
        {"fine": "nhm_fine"},
        {"nhm_fine/__init__.py": GOOD_MODULE},
        {"nhm_fine/fixture.yaml": _dimension_yaml(dimension_data)},
    )
    for name, text in (
        ("unrelated", "[console_scripts]\nnot an entry point\n"),
        ("nhm_broken_meta", "[nhm]\nthis line is not valid\n"),
    ):
        dist_info = site / f"{name}-1.0.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(f"Name: {name}\nVersion: 1.0\n", encoding="utf-8")
        (dist_info / "entry_points.txt").write_text(text, encoding="utf-8")
    _, host = load_catalog()
    assert host.record("fine").status is PluginStatus.OK
    broken = [r for r in host.records if "nhm_broken_meta" in r.name]
    assert len(broken) == 1 and broken[0].errors[0].stage == "metadata"
    assert not [r for r in host.records if "unrelated" in r.name]


def test_relative_paths_of_object_plugins_are_taken_from_their_module(
    install_dist: Callable[..., Path],
    dimension_data: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = """
        import pluggy
        hookimpl = pluggy.HookimplMarker("nhm")

        class Plugin:
            @hookimpl
            def nhm_register_dimensions(self, register):
                register("fixture.yaml")

        plugin = Plugin()
    """
    install_dist(
        "nhm-objpath",
        "1.0.0",
        {"objpath": "nhm_objpath:plugin"},
        {"nhm_objpath/__init__.py": code},
        {"nhm_objpath/fixture.yaml": _dimension_yaml(dimension_data)},
    )
    monkeypatch.chdir(tmp_path)
    _, host = load_catalog()
    assert host.record("objpath").errors == []
    assert host.record("objpath").dimensions == ["fixture_dimension"]


def test_mistakes_in_hook_declarations_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "dropins"
    folder.mkdir()
    (folder / "no_hooks.py").write_text(
        "def nhm_register_dimensions(register):\n    pass\n", encoding="utf-8"
    )
    (folder / "wrapper.py").write_text(
        "import nhm\n\n@nhm.hookimpl(wrapper=True)\ndef nhm_register_pages(register):\n"
        "    return (yield)\n",
        encoding="utf-8",
    )
    host = load_plugins(entry_points=False, plugin_dirs=[folder])
    assert "implements no nhm hook; decorate" in str(host.record("no_hooks").errors[0])
    assert "hook wrappers are not supported" in str(host.record("wrapper").errors[0])
    assert host.impls("nhm_register_pages") == []


def test_same_module_twice(install_dist: Callable[..., Path]) -> None:
    install_dist(
        "nhm-twice",
        "1.0.0",
        {"alpha": "nhm_twice", "beta": "nhm_twice"},
        {
            "nhm_twice.py": "import nhm\n\n@nhm.hookimpl\ndef nhm_register_pages(register):\n"
            "    pass\n"
        },
    )
    host = load_plugins()
    assert host.record("alpha").status is PluginStatus.OK
    assert "the same module is already loaded as plugin 'alpha'" in str(
        host.record("beta").errors[0]
    )


def test_printing_plugins_do_not_break_json(tmp_path: Path, nhm_cli: Callable[..., Any]) -> None:
    folder = tmp_path / "dropins"
    folder.mkdir()
    (folder / "noisy.py").write_text(
        "import nhm\nprint('hello from import')\n\n@nhm.hookimpl\n"
        "def nhm_register_dimensions(register):\n    print('hello from hook')\n",
        encoding="utf-8",
    )
    result = nhm_cli("plugins", "--json", env={"NHM_PLUGIN_DIRS": str(folder)})
    assert result.returncode == 0
    assert "noisy" in {r["name"] for r in json.loads(result.stdout)}
    assert "hello from import" in result.stderr and "hello from hook" in result.stderr


def test_infinite_weight_is_rejected(
    write_dimension: Callable[..., Path], dimension_data: dict[str, Any]
) -> None:
    from nhm.dimension_file import DimensionFileError, load_dimension_file

    path = write_dimension(_dimension_yaml(dimension_data).replace("weight: 1.0", "weight: .inf"))
    with pytest.raises(DimensionFileError, match="weight: Input should be a finite number"):
        load_dimension_file(path)
