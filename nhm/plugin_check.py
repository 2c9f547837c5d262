"""``nhm check-plugin``: validate a dimension file, a plugin module, a drop-in folder or a
plugin package before it is installed, including clashes with what is installed already."""

from __future__ import annotations

import importlib
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nhm.catalog import build_catalog, load_catalog
from nhm.dimension_file import DIMENSION_FILE_SUFFIXES, DimensionFileError, load_dimension_file
from nhm.model import Catalog, Dimension
from nhm.plugins import (
    ENTRY_POINT_GROUP,
    PluginHost,
    PluginRecord,
    PluginSource,
    import_module_from_path,
    load_plugins,
    normalize_name,
)


@dataclass
class CheckReport:
    """What a check found: ``errors`` make it fail; ``checked`` says what passed."""

    errors: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_plugin_path(path: Path, *, against_installed: bool = True) -> CheckReport:
    """Check whatever ``path`` is: a dimension file, a ``.py`` module or a folder.

    With ``against_installed``, plugin names and dimension ids that an installed plugin of
    another distribution already uses are errors for a package (installing it would lose one
    of the two) and warnings for files and folders (which may be that plugin's own files).
    """
    report = CheckReport()
    checked: tuple[list[PluginRecord], Catalog, str | None] | None = None
    if not path.exists():
        report.errors.append(f"{path}: no such file or folder")
    elif path.is_file() and path.suffix.lower() in DIMENSION_FILE_SUFFIXES:
        dimension = _check_dimension_file(path, report)
        if dimension is not None:
            checked = ([], Catalog(dimensions=[dimension]), None)
    elif path.is_file() and path.suffix == ".py":
        host = PluginHost()
        record = PluginRecord(path.stem, PluginSource.FOLDER, str(path))
        host.load(record, lambda: import_module_from_path(path))
        checked = (host.records, _check_host(host, report), None)
    elif path.is_dir() and (path / "pyproject.toml").is_file():
        checked = _check_package(path, report)
    elif path.is_dir():
        host = load_plugins(entry_points=False, plugin_dirs=[path], disabled=[])
        checked = (host.records, _check_host(host, report), None)
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
    if against_installed and checked is not None:
        _check_clashes(report, *checked)
    return report


def _check_dimension_file(path: Path, report: CheckReport) -> Dimension | None:
    try:
        dimension = load_dimension_file(path)
    except DimensionFileError as exc:
        report.errors.extend(str(e) for e in exc.errors)
        return None
    report.checked.append(f"{path}: {_describe(dimension)}")
    return dimension


def _describe(dimension: Dimension) -> str:
    count = len(dimension.criteria)
    return (
        f"dimension {dimension.id!r} version {dimension.version} with {count} "
        f"criteri{'on' if count == 1 else 'a'} is valid"
    )


def _check_host(host: PluginHost, report: CheckReport) -> Catalog:
    catalog = build_catalog(host)
    for record in host.records:
        report.errors.extend(f"plugin {record.name!r}: {error}" for error in record.errors)
    report.checked.extend(_describe(dimension) for dimension in catalog.dimensions)
    return catalog


def _check_clashes(
    report: CheckReport, records: list[PluginRecord], catalog: Catalog, distribution: str | None
) -> None:
    """Names and ids already taken by installed plugins of another distribution."""
    _, installed = load_catalog(disabled=[])
    found = report.errors if distribution is not None else report.warnings
    unless = "" if distribution is not None else "if this is not that plugin's own file, "

    def other(record: PluginRecord) -> bool:
        return distribution is None or normalize_name(record.distribution) != normalize_name(
            distribution
        )

    taken_names = {r.name: r for r in installed.records if other(r)}
    for record in records:
        if record.name in taken_names:
            owner = taken_names[record.name]
            found.append(
                f"plugin name {record.name!r} is already used by the installed plugin from "
                f"{owner.distribution or owner.location}; {unless}choose another entry point name"
            )
    owners = {dim: r for r in installed.records if other(r) for dim in r.dimensions}
    for dimension in catalog.dimensions:
        if dimension.id in owners:
            owner = owners[dimension.id]
            found.append(
                f"dimension id {dimension.id!r} is already provided by the installed plugin "
                f"{owner.name!r} ({owner.distribution or owner.location}); "
                f"{unless}choose another id"
            )


def _check_package(
    folder: Path, report: CheckReport
) -> tuple[list[PluginRecord], Catalog, str | None] | None:
    pyproject = folder / "pyproject.toml"
    try:
        meta = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        report.errors.append(f"{pyproject}: not valid TOML: {exc}")
        return None
    project = meta.get("project")
    if not isinstance(project, dict):
        report.errors.append(f"{pyproject}: expected a [project] table")
        return None
    tables = project.get("entry-points", {})
    entry_points = tables.get(ENTRY_POINT_GROUP) if isinstance(tables, dict) else None
    if not entry_points or not isinstance(entry_points, dict):
        report.errors.append(
            f"{pyproject}: no [project.entry-points.{ENTRY_POINT_GROUP}] table: nhm finds "
            f"installed plugins through entry points in the group '{ENTRY_POINT_GROUP}', e.g. "
            f'my_plugin = "my_plugin"'
        )
        return None
    distribution = project.get("name") if isinstance(project.get("name"), str) else None
    host = PluginHost()
    targets = {name: target for name, target in entry_points.items() if isinstance(target, str)}
    for name in entry_points.keys() - targets.keys():
        report.errors.append(
            f'{pyproject}: entry point {name!r} must be a string like "module" or "module:object"'
        )
    top_levels = {t.split(":")[0].strip().split(".")[0] for t in targets.values()}
    with _importing_from(_package_root(folder, top_levels), top_levels):
        for name, target in targets.items():
            record = PluginRecord(
                name,
                PluginSource.ENTRY_POINT,
                target,
                distribution=distribution,
                version=str(project.get("version", "")) or None,
            )
            host.load(record, lambda target=target: _import_target(target))
        catalog = _check_host(host, report)
    return host.records, catalog, distribution


def _package_root(folder: Path, top_levels: set[str]) -> Path:
    """The folder holding the package: the project folder (flat layout) or ``src/``."""
    for root in (folder, folder / "src"):
        if any((root / t).is_dir() or (root / f"{t}.py").is_file() for t in top_levels):
            return root
    return folder


@contextmanager
def _importing_from(root: Path, top_levels: set[str]) -> Iterator[None]:
    """Import the plugin under its real name from ``root``; afterwards, ``sys.path`` and any
    installed copy of the same package are as they were."""
    saved_path = list(sys.path)

    def ours(module_name: str) -> bool:
        return module_name.split(".")[0] in top_levels

    shadowed = {name: sys.modules.pop(name) for name in list(sys.modules) if ours(name)}
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path[:] = saved_path
        for name in [name for name in sys.modules if ours(name)]:
            del sys.modules[name]
        sys.modules.update(shadowed)
        importlib.invalidate_caches()


def _import_target(target: str) -> Any:
    """Import ``module[:attr]`` as an entry point would."""
    module_path, _, attr = target.partition(":")
    obj: Any = importlib.import_module(module_path.strip())
    for name in filter(None, attr.strip().split(".")):
        obj = getattr(obj, name)
    return obj
