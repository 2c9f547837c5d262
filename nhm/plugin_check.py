"""``nhm check-plugin``: validate a dimension file, a plugin module, a drop-in folder or a
plugin package before it is installed."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nhm.catalog import build_catalog
from nhm.dimension_file import DIMENSION_FILE_SUFFIXES, DimensionFileError, load_dimension_file
from nhm.model import Dimension
from nhm.plugins import (
    ENTRY_POINT_GROUP,
    PluginHost,
    PluginRecord,
    PluginSource,
    import_module_from_path,
    load_plugins,
)


@dataclass
class CheckReport:
    """What a check found: ``errors`` make it fail; ``checked`` says what passed."""

    errors: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_plugin_path(path: Path) -> CheckReport:
    """Check whatever ``path`` is: a dimension file, a ``.py`` module or a folder."""
    report = CheckReport()
    if not path.exists():
        report.errors.append(f"{path}: no such file or folder")
    elif path.is_file() and path.suffix.lower() in DIMENSION_FILE_SUFFIXES:
        _check_dimension_file(path, report)
    elif path.is_file() and path.suffix == ".py":
        host = PluginHost()
        record = PluginRecord(path.stem, PluginSource.FOLDER, str(path))
        try:
            module = import_module_from_path(path)
        except (Exception, SystemExit) as exc:
            host.add_failure(record, "import", exc)
        else:
            host.add(module, record)
        _check_host(host, report)
    elif path.is_dir() and (path / "pyproject.toml").is_file():
        _check_package(path, report)
    elif path.is_dir():
        _check_host(load_plugins(entry_points=False, plugin_dirs=[path], disabled=[]), report)
        if not report.errors and not report.checked:
            report.errors.append(
                f"{path}: found no plugin: expected a pyproject.toml (a plugin package) or "
                "*.yaml, *.yml, *.json or *.py files (a drop-in folder)"
            )
    else:
        report.errors.append(
            f"{path}: expected a dimension file (.yaml, .yml, .json), a plugin module (.py) "
            "or a folder"
        )
    return report


def _check_dimension_file(path: Path, report: CheckReport) -> None:
    try:
        dimension = load_dimension_file(path)
    except DimensionFileError as exc:
        report.errors.extend(str(e) for e in exc.errors)
        return
    report.checked.append(f"{path}: {_describe(dimension)}")


def _describe(dimension: Dimension) -> str:
    return (
        f"dimension {dimension.id!r} version {dimension.version} with "
        f"{len(dimension.criteria)} criteri{'on' if len(dimension.criteria) == 1 else 'a'} is valid"
    )


def _check_host(host: PluginHost, report: CheckReport) -> None:
    catalog = build_catalog(host)
    for record in host.records:
        for error in record.errors:
            report.errors.append(f"plugin {record.name!r}: {error}")
        if not record.errors and not record.hooks:
            report.errors.append(
                f"plugin {record.name!r} ({record.location}) implements no nhm hook; "
                "decorate its functions with @nhm.hookimpl"
            )
    for dimension in catalog.dimensions:
        report.checked.append(_describe(dimension))


def _check_package(folder: Path, report: CheckReport) -> None:
    pyproject = folder / "pyproject.toml"
    try:
        meta = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        report.errors.append(f"{pyproject}: not valid TOML: {exc}")
        return
    project = meta.get("project", {})
    entry_points: dict[str, Any] = project.get("entry-points", {}).get(ENTRY_POINT_GROUP, {})
    if not entry_points:
        report.errors.append(
            f"{pyproject}: no [project.entry-points.{ENTRY_POINT_GROUP}] table: nhm finds "
            f"installed plugins through entry points in the group '{ENTRY_POINT_GROUP}', e.g. "
            f'my_plugin = "my_plugin"'
        )
        return
    host = PluginHost()
    for name, target in entry_points.items():
        record = PluginRecord(
            name,
            PluginSource.ENTRY_POINT,
            str(target),
            distribution=project.get("name"),
            version=project.get("version"),
        )
        try:
            plugin = _import_entry_point_target(folder, str(target))
        except (Exception, SystemExit) as exc:
            host.add_failure(record, "import", exc)
            continue
        host.add(plugin, record)
    _check_host(host, report)


def _import_entry_point_target(folder: Path, target: str) -> Any:
    """Import ``module[:attr]`` from the package folder (flat or ``src/`` layout)."""
    module_path, _, attr = target.partition(":")
    parts = module_path.strip().split(".")
    private = "nhm_check_" + "_".join(parts)  # an installed copy of the plugin stays untouched
    for root in (folder, folder / "src"):
        base = root.joinpath(*parts)
        package_init = base / "__init__.py"
        single = base.with_suffix(".py")
        if package_init.is_file():
            module = import_module_from_path(package_init, name=private, package_dir=base)
            break
        if single.is_file():
            module = import_module_from_path(single, name=private)
            break
    else:
        raise ModuleNotFoundError(
            f"entry point target {target!r}: no module {module_path!r} in {folder} or "
            f"{folder / 'src'}"
        )
    for name in filter(None, attr.strip().split(".")):
        module = getattr(module, name)
    return module
