"""The plugin manager: finds, loads and calls plugins one by one, and records what failed.

Plugins come from two places:

* entry points of the group ``nhm`` of installed distributions: first the built-in plugins
  (the distributions nhm itself requires), then all others, each in the order of their names;
* drop-in folders listed in ``NHM_PLUGIN_DIRS`` (separated by ``os.pathsep``): each
  ``*.yaml``/``*.yml``/``*.json`` file there is one dimension, each ``*.py`` file a plugin
  module.

``NHM_DISABLE_PLUGINS=name,other`` switches plugins off by name (the entry point name, the
distribution name or a drop-in file's stem); a disabled plugin is not even imported.

Nothing a plugin does can stop the rest: an import error, an invalid hook, an exception inside
a hook (even ``SystemExit``) is recorded against the plugin (see :class:`PluginRecord`) and
loading goes on. What plugins print goes to stderr, so ``--json`` output stays parseable.

Load order is also call order: every hook implementation is called in load order (pluggy's
``tryfirst``/``trylast`` move one to the front or back), and where two plugins contribute the
same dimension id or plugin name, the one loaded first keeps it, so a built-in always wins.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import re
import sys
import sysconfig
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import pluggy
from pydantic import ValidationError

from nhm import hookspecs
from nhm.dimension_file import DIMENSION_FILE_SUFFIXES, format_loc

ENTRY_POINT_GROUP = "nhm"
ENV_PLUGIN_DIRS = "NHM_PLUGIN_DIRS"
ENV_DISABLE = "NHM_DISABLE_PLUGINS"

T = TypeVar("T")


class PluginSource(StrEnum):
    ENTRY_POINT = "entry point"
    FOLDER = "folder"
    IN_PROCESS = "in process"


class PluginStatus(StrEnum):
    OK = "ok"
    ERROR = "error"
    DISABLED = "disabled"


@dataclass(frozen=True)
class PluginError:
    """One failure of a plugin: where it happened (``stage``) and what the error said."""

    stage: str
    message: str
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.stage}: {self.message}", *(f"  {d}" for d in self.details)]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "message": self.message, "details": list(self.details)}


@dataclass
class PluginRecord:
    """What nhm knows about one plugin, loaded or not."""

    name: str
    source: PluginSource
    location: str
    distribution: str | None = None
    version: str | None = None
    disabled: bool = False
    builtin: bool = False
    hooks: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    errors: list[PluginError] = field(default_factory=list)
    plugin: object | None = field(default=None, repr=False)

    @property
    def status(self) -> PluginStatus:
        if self.disabled:
            return PluginStatus.DISABLED
        return PluginStatus.ERROR if self.errors else PluginStatus.OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "source": str(self.source),
            "location": self.location,
            "distribution": self.distribution,
            "builtin": self.builtin,
            "status": str(self.status),
            "hooks": list(self.hooks),
            "dimensions": list(self.dimensions),
            "errors": [e.to_dict() for e in self.errors],
        }


_LIBRARY_DIRS = tuple(
    str(Path(p).resolve())
    for p in {
        sysconfig.get_paths()["stdlib"],
        str(Path(pluggy.__file__).parent),
        str(Path(__file__).parent),  # nhm itself
    }
)
_LIBRARY_PACKAGES = ("pydantic", "pydantic_core", "yaml", "importlib", "pluggy")


def _is_library_frame(filename: str) -> bool:
    if filename.startswith("<"):
        return True
    resolved = str(Path(filename).resolve())
    if resolved.startswith(_LIBRARY_DIRS):
        return True
    return any(f"{os.sep}{name}{os.sep}" in resolved for name in _LIBRARY_PACKAGES)


def describe_exception(exc: BaseException) -> str:
    """``Type: message (at file:line)``, pointing at the innermost frame of plugin code.

    Never raises, whatever the exception's ``__str__`` does.
    """
    try:
        if isinstance(exc, ValidationError):
            text = f"{exc.error_count()} validation error(s) for {exc.title}: " + "; ".join(
                f"{format_loc(tuple(e['loc'])) or '(top level)'}: {e['msg']}"
                for e in exc.errors()[:5]
            )
        else:
            text = str(exc)
    except Exception:
        text = "(the error message itself could not be printed)"
    if isinstance(exc, SystemExit):
        text = f"the plugin called sys.exit({exc.code!r})"
    try:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if not _is_library_frame(f.filename)
        ]
    except Exception:
        frames = []
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {text or '(no message)'}{where}"


class PluginHost:
    """A pluggy manager for the ``nhm`` hooks plus a record of every plugin and its failures."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self.pm.add_hookspecs(hookspecs)
        self._records: dict[str, PluginRecord] = {}
        self.unmatched_disabled: list[str] = []

    # -- records ---------------------------------------------------------------------------
    @property
    def records(self) -> list[PluginRecord]:
        """Every plugin, in load order."""
        return list(self._records.values())

    def record(self, name: str) -> PluginRecord:
        return self._records[name]

    @property
    def failed(self) -> list[PluginRecord]:
        return [r for r in self._records.values() if r.status is PluginStatus.ERROR]

    def add_error(self, name: str, stage: str, message: str, details: Iterable[str] = ()) -> None:
        """Record an error of a plugin; an identical error is kept once (hooks run often)."""
        error = PluginError(stage, message, tuple(details))
        errors = self._records[name].errors
        if error not in errors:
            errors.append(error)

    def add_problem(self, record: PluginRecord, stage: str, message: str) -> None:
        """Record a plugin (or plugin folder) that could not be loaded for ``message``."""
        record.errors.append(PluginError(stage, message))
        self._new_record(record)

    def _new_record(self, record: PluginRecord) -> PluginRecord | None:
        if record.name in self._records:
            other = self._records[record.name]
            # Keep the first; the second gets a record of its own under a qualified name.
            qualified = f"{record.name} ({record.location})"
            record.name = qualified
            record.errors.append(
                PluginError(
                    "load",
                    f"the plugin name is already used by {other.location}; this one was not loaded",
                )
            )
            self._records[qualified] = record
            return None
        self._records[record.name] = record
        return record

    # -- registering -----------------------------------------------------------------------
    def add(self, plugin: object, record: PluginRecord) -> PluginRecord:
        """Register an already imported plugin object (a module or an object with hooks)."""
        if self._new_record(record) is None:
            return record
        already = self.pm.get_name(plugin)
        if already is not None:
            record.errors.append(
                PluginError("register", f"the same module is already loaded as plugin {already!r}")
            )
            return record
        try:
            self.pm.register(plugin, name=record.name)
        except Exception as exc:  # pluggy's validation errors
            if self.pm.has_plugin(record.name):
                self.pm.unregister(name=record.name)
            record.errors.append(PluginError("register", describe_exception(exc)))
            return record
        record.plugin = plugin
        callers = self.pm.get_hookcallers(plugin) or []
        record.hooks = sorted(c.name for c in callers if c.has_spec())
        known = ", ".join(sorted(self.hook_names()))
        for caller in callers:
            if not caller.has_spec():
                record.errors.append(
                    PluginError(
                        "register",
                        f"implements unknown hook {caller.name!r}; the known hooks are {known}",
                    )
                )
                continue
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and (impl.wrapper or impl.hookwrapper):
                    record.errors.append(
                        PluginError(
                            "register",
                            f"{caller.name}: hook wrappers are not supported by nhm; this "
                            "implementation is not called",
                        )
                    )
        if not callers:
            record.errors.append(
                PluginError(
                    "register",
                    f"implements no nhm hook; decorate its hook functions with @nhm.hookimpl "
                    f"(known hooks: {known})",
                )
            )
        return record

    def load(self, record: PluginRecord, importer: Callable[[], object]) -> PluginRecord:
        """Import a plugin with ``importer`` and register it, or record why that failed."""
        try:
            plugin = importer()
        except (Exception, SystemExit) as exc:
            return self.add_failure(record, "import", exc)
        return self.add(plugin, record)

    def add_failure(self, record: PluginRecord, stage: str, exc: BaseException) -> PluginRecord:
        """Record a plugin that could not even be imported."""
        record.errors.append(PluginError(stage, describe_exception(exc)))
        self._new_record(record)
        return record

    def add_disabled(self, record: PluginRecord) -> None:
        record.disabled = True
        self._new_record(record)

    # -- calling ---------------------------------------------------------------------------
    def hook_names(self) -> list[str]:
        return [name for name in dir(hookspecs) if name.startswith("nhm_")]

    def impls(self, hook_name: str) -> list[tuple[str, Callable[..., Any]]]:
        """The implementations of ``hook_name`` as ``(plugin name, callable)``, in call order.

        Call order is load order; ``tryfirst``/``trylast`` implementations come first/last.
        The callable takes the hook's arguments as keywords and passes each implementation
        only the arguments it names.
        """
        caller = getattr(self.pm.hook, hook_name)
        usable = [i for i in caller.get_hookimpls() if not (i.wrapper or i.hookwrapper)]
        load_order = {name: index for index, name in enumerate(self._records)}

        def position(impl: pluggy.HookImpl) -> tuple[int, int]:
            group = 0 if impl.tryfirst else 2 if impl.trylast else 1
            return group, load_order.get(impl.plugin_name, len(load_order))

        return [(i.plugin_name, _bind(i)) for i in sorted(usable, key=position)]

    @contextmanager
    def guard(self, plugin_name: str, stage: str) -> Iterator[None]:
        """Run a block on behalf of a plugin; an exception in it is recorded, not raised.

        What the plugin prints goes to stderr, so machine-readable output stays clean.
        """
        try:
            with redirect_stdout(sys.stderr):
                yield
        except (Exception, SystemExit) as exc:
            self.add_error(plugin_name, stage, describe_exception(exc))

    def call_each(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every implementation on its own; ``(plugin name, result)`` for non-None results."""
        results: list[tuple[str, Any]] = []
        for name, call in self.impls(hook_name):
            with self.guard(name, hook_name):
                value = call(**kwargs)
                if value is not None:
                    results.append((name, value))
        return results

    def call_first(self, hook_name: str, **kwargs: Any) -> tuple[str, Any] | None:
        """The first non-None result of a ``firstresult`` hook, skipping failing plugins."""
        for name, call in self.impls(hook_name):
            with self.guard(name, hook_name):
                value = call(**kwargs)
                if value is not None:
                    return name, value
        return None

    def collect(self, hook_name: str, expected: type[T]) -> list[tuple[str, T]]:
        """Call a ``register`` hook of every plugin and keep what has the expected type."""
        collected: list[tuple[str, T]] = []
        for name, call in self.impls(hook_name):

            def register(item: Any, _name: str = name) -> None:
                if isinstance(item, expected):
                    collected.append((_name, item))
                else:
                    self.add_error(
                        _name,
                        hook_name,
                        f"register() expects an nhm.{expected.__name__}, got {type(item).__name__}",
                    )

            with self.guard(name, hook_name):
                call(register=register)
        return collected


def _bind(impl: pluggy.HookImpl) -> Callable[..., Any]:
    def call(**kwargs: Any) -> Any:
        return impl.function(*[kwargs[arg] for arg in impl.argnames])

    return call


# -- loading -------------------------------------------------------------------------------


class DimensionFilePlugin:
    """A drop-in dimension file, acting as a plugin that registers that one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.__file__ = str(path)

    @hookspecs.hookimpl
    def nhm_register_dimensions(self, register: Callable[[object], None]) -> None:
        register(self.path)


def split_env_list(value: str | None, separator: str) -> list[str]:
    return [part.strip() for part in (value or "").split(separator) if part.strip()]


def normalize_name(name: str | None) -> str:
    """Distribution and plugin names compared as packaging does (``a-b`` == ``A_b``)."""
    return re.sub(r"[-_.]+", "_", name or "").casefold()


def load_plugins(
    *,
    entry_points: bool = True,
    plugin_dirs: Iterable[str | Path] | None = None,
    disabled: Iterable[str] | None = None,
    extra: Iterable[tuple[str, object]] = (),
) -> PluginHost:
    """Load every plugin; ``plugin_dirs`` and ``disabled`` default to the environment."""
    if plugin_dirs is None:
        plugin_dirs = split_env_list(os.environ.get(ENV_PLUGIN_DIRS), os.pathsep)
    if disabled is None:
        disabled = split_env_list(os.environ.get(ENV_DISABLE), ",")
    switched_off = {normalize_name(n): n for n in disabled}
    matched: set[str] = set()

    def is_disabled(*names: str | None) -> bool:
        hits = {normalize_name(n) for n in names if n} & switched_off.keys()
        matched.update(hits)
        return bool(hits)

    host = PluginHost()
    with redirect_stdout(sys.stderr):  # a plugin printing at import must not break --json
        if entry_points:
            _load_entry_points(host, is_disabled)
        seen_folders: set[Path] = set()
        for folder in map(Path, plugin_dirs):
            if folder.resolve() not in seen_folders:
                seen_folders.add(folder.resolve())
                _load_folder(host, folder, is_disabled)
        for name, plugin in extra:
            record = PluginRecord(name, PluginSource.IN_PROCESS, repr(plugin))
            if is_disabled(name):
                host.add_disabled(record)
            else:
                host.add(plugin, record)
    host.unmatched_disabled = [n for key, n in switched_off.items() if key not in matched]
    return host


def builtin_distributions() -> set[str]:
    """Normalized names of the distributions nhm itself requires (the built-in plugins)."""
    try:
        requirements = importlib.metadata.requires("nhm") or []
    except importlib.metadata.PackageNotFoundError:
        return set()
    names = set()
    for requirement in requirements:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        if match and "extra ==" not in requirement:
            names.add(normalize_name(match.group(0)))
    return names


@dataclass(frozen=True)
class _FoundEntryPoint:
    entry_point: importlib.metadata.EntryPoint
    distribution: str | None
    version: str | None
    builtin: bool


def _find_entry_points(host: PluginHost) -> list[_FoundEntryPoint]:
    """Entry points of group ``nhm``, read distribution by distribution so that one broken
    distribution cannot hide the others; built-ins first, then by name."""
    builtins = builtin_distributions()
    found: list[_FoundEntryPoint] = []
    seen: set[str] = set()
    for dist in importlib.metadata.distributions():
        try:
            name = dist.metadata["Name"]
            key = normalize_name(name)
            if key in seen:  # the first on sys.path wins, as for imports
                continue
            seen.add(key)
            eps = [ep for ep in dist.entry_points if ep.group == ENTRY_POINT_GROUP]
            version = dist.version
        except Exception as exc:
            raw = _safe_read(dist, "entry_points.txt")
            if f"[{ENTRY_POINT_GROUP}]" in raw:  # only report broken nhm plugins
                where = str(getattr(dist, "_path", "an installed distribution"))
                record = PluginRecord(where, PluginSource.ENTRY_POINT, where)
                host.add_failure(record, "metadata", exc)
            continue
        for ep in eps:
            found.append(_FoundEntryPoint(ep, name, version, key in builtins))
    return sorted(found, key=lambda f: (not f.builtin, f.entry_point.name, f.entry_point.value))


def _safe_read(dist: importlib.metadata.Distribution, filename: str) -> str:
    try:
        return dist.read_text(filename) or ""
    except Exception:
        return ""


def _load_entry_points(host: PluginHost, is_disabled: Callable[..., bool]) -> None:
    for found in _find_entry_points(host):
        ep = found.entry_point
        record = PluginRecord(
            name=ep.name,
            source=PluginSource.ENTRY_POINT,
            location=ep.value,
            distribution=found.distribution,
            version=found.version,
            builtin=found.builtin,
        )
        if is_disabled(ep.name, found.distribution):
            host.add_disabled(record)
        else:
            host.load(record, ep.load)


def _load_folder(host: PluginHost, folder: Path, is_disabled: Callable[..., bool]) -> None:
    if not folder.is_dir():
        record = PluginRecord(str(folder), PluginSource.FOLDER, str(folder))
        problem = "does not exist" if not folder.exists() else "is not a folder"
        host.add_problem(
            record, "load", f"plugin folder {folder} {problem} (named in {ENV_PLUGIN_DIRS})"
        )
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "_")) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in (*DIMENSION_FILE_SUFFIXES, ".py"):
            continue
        record = PluginRecord(path.stem, PluginSource.FOLDER, str(path))
        if is_disabled(path.stem):
            host.add_disabled(record)
        elif suffix == ".py":
            host.load(record, lambda path=path: import_module_from_path(path))
        else:
            host.add(DimensionFilePlugin(path.resolve()), record)


def import_module_from_path(
    path: Path, *, name: str | None = None, package_dir: Path | None = None
) -> Any:
    """Import a plugin module from a file without putting its folder on ``sys.path``.

    The module gets a private name (so an installed module of the same name is not
    touched); ``package_dir`` makes it a package whose relative imports work.
    """
    if name is None:
        digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
        stem = re.sub(r"\W", "_", path.stem)
        name = f"nhm_dropin_{stem}_{digest}"
    locations = [str(package_dir)] if package_dir is not None else None
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=locations)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


__all__ = [
    "PluginError",
    "PluginHost",
    "PluginRecord",
    "PluginSource",
    "PluginStatus",
    "load_plugins",
]
