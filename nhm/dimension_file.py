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
        raise DimensionFileError(
            path,
            [
                FieldError(
                    path,
                    1,
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


def _read_structured(path: Path) -> tuple[Any, yaml.Node | None]:
    """The parsed data and, where available, the YAML node tree used to find lines."""
    if path.suffix.lower() not in DIMENSION_FILE_SUFFIXES:
        raise DimensionFileError(
            path, [FieldError(path, None, "", "expected a .yaml, .yml or .json file")]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DimensionFileError(path, [FieldError(path, None, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise DimensionFileError(
            path, [FieldError(path, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
        ) from None
    except OSError as exc:
        raise DimensionFileError(
            path, [FieldError(path, None, "", f"cannot read: {exc.strerror}")]
        ) from None
    if path.suffix.lower() == ".json":
        return _read_json(path, text)
    return _read_yaml(path, text)


def _read_yaml(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise DimensionFileError(
            path, [FieldError(path, line, "", f"not valid YAML: {exc.problem}")]
        ) from None
    except yaml.YAMLError as exc:
        raise DimensionFileError(
            path, [FieldError(path, None, "", f"not valid YAML: {exc}")]
        ) from None
    if root is None:
        raise DimensionFileError(path, [FieldError(path, 1, "", "the file is empty")])
    duplicates = list(_duplicate_keys(path, root, ""))
    if duplicates:
        raise DimensionFileError(path, duplicates)
    data = yaml.SafeLoader("").construct_document(root)
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
        raise DimensionFileError(
            path, [FieldError(path, exc.lineno, "", f"not valid JSON: {exc.msg}")]
        ) from None
    except ValueError as exc:
        raise DimensionFileError(path, [FieldError(path, None, "", str(exc))]) from None
    try:  # JSON is (nearly always) YAML: reuse the YAML node tree to find lines
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
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
    value = err.get("input")
    if isinstance(value, bool) and kind == "string_type":
        message += " (YAML reads unquoted yes/no/on/off as true/false: put the text in quotes)"
    elif isinstance(value, int | float) and kind == "string_type":
        message += f' (write it in quotes: "{value}")'
    field = _format_loc(loc)
    line = _line_of(root, loc) if root is not None else None
    return FieldError(path, line, field or "(top level)", message)


def _format_loc(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        text = f"{text}[{part}]" if isinstance(part, int) else _join(text, str(part))
    return text


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _line_of(root: yaml.Node, loc: tuple[Any, ...]) -> int:
    """The line of the deepest key or item along ``loc`` that exists in the file."""
    node = root
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
            break
        node = child
    return line


def _kind(data: Any) -> str:
    if data is None:
        return "nothing"
    if isinstance(data, list):
        return "a list"
    return f"a single value ({type(data).__name__})"
