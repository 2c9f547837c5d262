"""Reading dimension files (YAML or JSON) with errors that name file, line and field.

A dimension file's mistakes are found by the pydantic model; this module maps each error's
field path back to the line in the file, so an author sees ``dimension.yaml:42:
criteria[3].levels: …`` instead of a bare validation dump.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from nhm.model import ID_PATTERN, SEMVER_PATTERN, Dimension

DIMENSION_FILE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 32

_PATTERN_MESSAGES = {
    ID_PATTERN: "must start with a lower-case letter and contain only a-z, 0-9 and _",
    SEMVER_PATTERN: 'must be a version MAJOR.MINOR.PATCH such as "1.0.0"',
}


@dataclass(frozen=True)
class FieldError:
    """One problem in a dimension file."""

    file: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class DimensionFileError(ValueError):
    """A dimension file could not be read or is invalid; ``errors`` lists every problem."""

    def __init__(self, path: Path, errors: list[FieldError]) -> None:
        self.path = path
        self.errors = errors
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        super().__init__(
            f"invalid dimension file {path} ({count}):\n" + "\n".join(f"  {e}" for e in errors)
        )


def load_dimension_file(path: str | Path) -> Dimension:
    """Read and validate one dimension file; raise DimensionFileError with every problem."""
    path = Path(path)
    data, root = _read_structured(path)
    if not isinstance(data, dict):
        line = root.start_mark.line + 1 if root is not None else 1
        raise DimensionFileError(
            path,
            [
                FieldError(
                    path,
                    line,
                    "",
                    "expected a mapping with the keys id, version, title, "
                    f"description, criteria … at the top level, found {_kind(data)}",
                )
            ],
        )
    try:
        return Dimension.model_validate(data)
    except ValidationError as exc:
        errors = [_field_error(path, root, err) for err in exc.errors()]
        raise DimensionFileError(path, errors) from None


def _fail(path: Path, message: str, line: int | None = None) -> DimensionFileError:
    return DimensionFileError(path, [FieldError(path, line, "", message)])


def _read_structured(path: Path) -> tuple[Any, yaml.Node | None]:
    """The parsed data and, where available, the YAML node tree used to find lines."""
    if path.suffix.lower() not in DIMENSION_FILE_SUFFIXES:
        raise _fail(path, "expected a .yaml, .yml or .json file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(
                path,
                f"the file has {size:,} bytes; a dimension file may have at most "
                f"{MAX_FILE_BYTES:,}",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(path, "file not found") from None
    except IsADirectoryError:
        raise _fail(path, "is a folder, not a file") from None
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if "\x00" in text:
        raise _fail(path, "not a text file (contains NUL bytes)")
    if path.suffix.lower() == ".json":
        return _read_json(path, text)
    return _read_yaml(path, text)


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases, nested at most MAX_DEPTH levels deep.

    Dimension files never need aliases; refusing them rules out "billion laughs" inputs.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in dimension files", event.start_mark
            )
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors (&name) are not allowed in dimension files", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
                )
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


def _compose(text: str) -> tuple[yaml.Node | None, _StrictLoader]:
    loader = _StrictLoader(text)
    return loader.get_single_node(), loader


def _read_yaml(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    loader: _StrictLoader | None = None
    try:
        root, loader = _compose(text)
        if root is None:
            raise _fail(path, "the file is empty", 1)
        duplicates = list(_duplicate_keys(path, root, ""))
        if duplicates:
            raise DimensionFileError(path, duplicates)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "unreadable"
        raise _fail(path, f"not valid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise _fail(path, f"not valid YAML: {exc}") from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a date like 2021-02-30
        if isinstance(exc, DimensionFileError):
            raise
        raise _fail(path, f"not valid YAML: a value cannot be read ({exc})") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, root


def _read_json(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"key {key!r} appears twice in one object")
        return dict(pairs)

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON: {exc.msg}", exc.lineno) from None
    except ValueError as exc:
        raise _fail(path, str(exc)) from None
    except RecursionError:
        raise _fail(path, "not valid JSON: nested too deeply") from None
    try:  # JSON is (nearly always) YAML: reuse the YAML node tree to find lines
        root, loader = _compose(text)
        loader.dispose()
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        root = None
    return data, root


def _duplicate_keys(path: Path, node: yaml.Node, where: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                errors.append(
                    FieldError(
                        path,
                        line,
                        where or "(top level)",
                        f"key {key!r} appears twice (first on line {seen[key]})",
                    )
                )
            else:
                seen[key] = line
            errors.extend(_duplicate_keys(path, value_node, _join(where, key)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            errors.extend(_duplicate_keys(path, item, f"{where}[{index}]"))
    return errors


def _field_error(path: Path, root: yaml.Node | None, err: Any) -> FieldError:
    loc: tuple[Any, ...] = tuple(err["loc"])
    kind = err["type"]
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        message = f"required key {loc[-1]!r} is missing"
        loc = loc[:-1]
    elif kind == "extra_forbidden":
        message = (
            f"unknown key {loc[-1]!r} (check the spelling; `nhm schema dimension` lists the "
            "allowed keys)"
        )
    elif kind == "string_pattern_mismatch":
        message = _PATTERN_MESSAGES.get(err.get("ctx", {}).get("pattern"), message)
        message += f", found {err.get('input')!r}"
    elif kind == "model_type" and "LocalizedText" in message:
        message = 'expected a text in German and English: {de: "…", en: "…"}'
    elif kind == "dict_type":
        message = "expected a mapping of keys and values" + (
            ' (0: {de: "…"}, 1: …, 4: …)' if loc and loc[-1] == "levels" else ""
        )
    line, node = _locate(root, loc) if root is not None else (None, None)
    value = err.get("input")
    if isinstance(value, bool) and kind == "string_type":
        message += " (YAML reads unquoted yes/no/on/off as true/false: put the text in quotes)"
    elif isinstance(value, int | float) and kind == "string_type":
        written = node.value if isinstance(node, yaml.ScalarNode) else str(value)
        message += f' (write it in quotes: "{written}")'
    return FieldError(path, line, format_loc(loc) or "(top level)", message)


def format_loc(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        text = f"{text}[{part}]" if isinstance(part, int) else _join(text, str(part))
    return text


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _locate(root: yaml.Node, loc: tuple[Any, ...]) -> tuple[int, yaml.Node | None]:
    """The line of the deepest key or item along ``loc`` that exists in the file, and the
    node at ``loc`` itself (None where the path leaves the file, e.g. a missing key)."""
    node: yaml.Node = root
    line = root.start_mark.line + 1
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == str(part):
                    child, line = value_node, key_node.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            return line, None
        node = child
    return line, node


def _kind(data: Any) -> str:
    if data is None:
        return "nothing"
    if isinstance(data, list):
        return "a list"
    return f"a single value ({type(data).__name__})"
