"""Assembling the catalog: every plugin's dimensions, validated, with unique ids."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from nhm.dimension_file import DimensionFileError, format_loc, load_dimension_file
from nhm.model import Catalog, Dimension
from nhm.plugins import PluginHost, describe_exception, load_plugins

REGISTER_STAGE = "nhm_register_dimensions"


def build_catalog(host: PluginHost) -> Catalog:
    """Collect the dimensions of all plugins; record every rejected one against its plugin.

    Where two plugins bring the same dimension id, the plugin loaded first keeps it
    (built-ins, then other installed plugins, then drop-in folders) and the other gets an
    error. Call it once per host: it records its findings on the host's plugin records.
    """
    offered: dict[str, list[Dimension]] = {}
    for name, call in host.impls("nhm_register_dimensions"):
        offered.setdefault(name, [])
        register = _registrar(host, name, offered[name])
        with host.guard(name, REGISTER_STAGE):
            call(register=register)

    accepted: dict[str, tuple[str, Dimension]] = {}
    for record in host.records:  # load order decides who keeps a contested id
        for dimension in offered.get(record.name, []):
            if dimension.id in accepted:
                owner = accepted[dimension.id][0]
                host.add_error(
                    record.name,
                    REGISTER_STAGE,
                    f"dimension id {dimension.id!r} is already provided by plugin {owner!r}; "
                    "this dimension was not loaded",
                )
                continue
            accepted[dimension.id] = (record.name, dimension)
            record.dimensions.append(dimension.id)
    return Catalog(dimensions=[dimension for _, dimension in accepted.values()])


def _registrar(host: PluginHost, plugin_name: str, sink: list[Dimension]) -> Any:
    base = _plugin_folder(host.record(plugin_name).plugin)

    def register(item: object) -> None:
        """Add a dimension: an ``nhm.Dimension`` or the path of a dimension file."""
        if isinstance(item, Dimension):
            try:  # validate again: model_construct() or later mutation bypass validation
                sink.append(Dimension.model_validate(item.model_dump(warnings=False)))
            except ValidationError as exc:
                host.add_error(
                    plugin_name,
                    REGISTER_STAGE,
                    f"invalid dimension {getattr(item, 'id', '?')!r} ({exc.error_count()} errors)",
                    [f"{format_loc(tuple(e['loc']))}: {e['msg']}" for e in exc.errors()],
                )
            except Exception as exc:
                host.add_error(
                    plugin_name, REGISTER_STAGE, f"invalid dimension: {describe_exception(exc)}"
                )
            return
        if isinstance(item, str | Path):
            path = Path(item)
            if not path.is_absolute():
                path = base / path
            try:
                sink.append(load_dimension_file(path))
            except DimensionFileError as exc:
                count = len(exc.errors)
                host.add_error(
                    plugin_name,
                    REGISTER_STAGE,
                    f"invalid dimension file {path} ({count} error{'s' if count != 1 else ''})",
                    [str(e) for e in exc.errors],
                )
            return
        host.add_error(
            plugin_name,
            REGISTER_STAGE,
            "register() expects an nhm.Dimension or the path of a dimension file, "
            f"got {type(item).__name__}",
        )

    return register


def _plugin_folder(plugin: object) -> Path:
    """The folder relative dimension paths are taken from: the plugin's module's folder."""
    module = plugin if inspect.ismodule(plugin) else inspect.getmodule(type(plugin))
    filename = getattr(plugin, "__file__", None) or getattr(module, "__file__", None)
    return Path(filename).resolve().parent if filename else Path.cwd()


def load_catalog(**plugin_options: Any) -> tuple[Catalog, PluginHost]:
    """Load all plugins (see :func:`nhm.plugins.load_plugins`) and build the catalog."""
    host = load_plugins(**plugin_options)
    return build_catalog(host), host
