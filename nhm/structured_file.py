"""Reading YAML and JSON data files with errors that name the file, the line and the field.

Dimension files and assessment exchange files share this reader: strict safe YAML (no anchors
or aliases, limited nesting, no duplicate keys), strict JSON, size limits, and a mapping from a
pydantic error's field path back to the line where the field is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

MAX_DEPTH = 32
STRUCTURED_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class FieldError:
    """One problem in a file: where (line, or a cell like ``Bewertung!E12``) and what."""

    file: Path
    line: int | None
    field: str
    message: str
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell:
            where = f"{self.file}:{self.cell}"
        elif self.line:
            where = f"{self.file}:{self.line}"
        else:
            where = f"{self.file}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class StructuredFileError(ValueError):
    """A file could not be read or is invalid; ``errors`` lists every problem."""

    noun = "file"

    def __init__(self, path: Path, errors: list[FieldError]) -> None:
        self.path = path
        self.errors = errors
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        super().__init__(
            f"invalid {self.noun} {path} ({count}):\n" + "\n".join(f"  {e}" for e in errors)
        )


@dataclass
class ParsedFile:
    """The data of a file and, computed only when an error needs a line, its YAML node tree."""

    path: Path
    data: Any
    text: str = ""
    is_json: bool = False
    _root: yaml.Node | None = None
    _root_done: bool = False
    cells: dict[tuple[Any, ...], str] | None = None
    """For spreadsheets: field path -> cell (``Sheet!B7``) where the value was read."""

    @property
    def root(self) -> yaml.Node | None:
        if not self._root_done:
            self._root_done = True
            if self.is_json:  # JSON is (nearly always) YAML: reuse the node tree to find lines
                try:
                    self._root, loader = _compose(self.text, "files")
                    loader.dispose()
                except (yaml.YAMLError, ValueError, TypeError, RecursionError):
                    self._root = None
        return self._root

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        root = self.root
        return _locate(root, loc)[0] if root is not None else None

    def cell_of(self, loc: tuple[Any, ...]) -> str | None:
        """The cell of the longest prefix of ``loc`` that was read from a cell."""
        if self.cells is None:
            return None
        for end in range(len(loc), -1, -1):
            cell = self.cells.get(tuple(loc[:end]))
            if cell:
                return cell
        return None

    def error(self, loc: tuple[Any, ...], field: str, message: str) -> FieldError:
        """A FieldError at ``loc`` with the line or cell where it is written."""
        return FieldError(self.path, self.line_of(loc), field, message, self.cell_of(loc))


def read_structured(
    path: Path,
    error_type: type[StructuredFileError],
    *,
    max_bytes: int,
    noun_plural: str,
) -> ParsedFile:
    """Read a .yaml/.yml/.json file; raise ``error_type`` for anything unreadable."""

    def fail(message: str, line: int | None = None) -> StructuredFileError:
        return error_type(path, [FieldError(path, line, "", message)])

    if path.suffix.lower() not in STRUCTURED_SUFFIXES:
        raise fail("expected a .yaml, .yml or .json file")
    raw = read_limited(path, max_bytes, fail)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); is it a binary file?"
        ) from None
    if "\x00" in text:
        raise fail("not a text file (contains NUL bytes)")
    if not text.strip():
        raise fail("the file is empty", 1)
    if path.suffix.lower() == ".json":
        return ParsedFile(path, _read_json(text, fail), text, is_json=True)
    data, root = _read_yaml(path, text, fail, error_type, noun_plural)
    return ParsedFile(path, data, text, is_json=False, _root=root, _root_done=True)


def read_limited(path: Path, max_bytes: int, fail: Any) -> bytes:
    """The bytes of ``path``, refusing folders, missing files and files over ``max_bytes``."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise fail("is a folder, not a file")
        if not path.is_file():  # a pipe or device (e.g. /dev/zero) would block or never end
            raise fail("not a regular file (a pipe or device?)")
        if size > max_bytes:
            raise fail(f"the file has {size:,} bytes; at most {max_bytes:,} are allowed")
        with path.open("rb") as handle:  # bounded: the file may grow after stat()
            raw = handle.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise fail(f"the file has more than the {max_bytes:,} bytes allowed")
        return raw
    except FileNotFoundError:
        raise fail("file not found") from None
    except IsADirectoryError:
        raise fail("is a folder, not a file") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror}") from None


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases, nested at most MAX_DEPTH levels deep.

    Data files never need aliases; refusing them rules out "billion laughs" inputs.
    """

    def __init__(self, stream: str, noun_plural: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._noun_plural = noun_plural

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases (*name) are not allowed in {self._noun_plural}",
                event.start_mark,
            )
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None,
                None,
                f"anchors (&name) are not allowed in {self._noun_plural}",
                event.start_mark,
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


def _compose(text: str, noun_plural: str) -> tuple[yaml.Node | None, _StrictLoader]:
    loader = _StrictLoader(text, noun_plural)
    return loader.get_single_node(), loader


def _read_yaml(
    path: Path,
    text: str,
    fail: Any,
    error_type: type[StructuredFileError],
    noun_plural: str,
) -> tuple[Any, yaml.Node | None]:
    loader: _StrictLoader | None = None
    try:
        root, loader = _compose(text, noun_plural)
        if root is None:
            raise fail("the file is empty", 1)
        duplicates = duplicate_keys(path, root, "")
        if duplicates:
            raise error_type(path, duplicates)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "unreadable"
        raise fail(f"not valid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise fail(f"not valid YAML: {exc}") from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a date like 2021-02-30
        if isinstance(exc, StructuredFileError):
            raise
        raise fail(f"not valid YAML: a value cannot be read ({exc})") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, root


def _read_json(text: str, fail: Any) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            keys = [k for k, _ in pairs]
            twice = next(k for k in keys if keys.count(k) > 1)
            raise ValueError(f"key {twice!r} appears twice in one object")
        return result

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise fail(f"not valid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise fail("not valid JSON: nested too deeply") from None
    except ValueError as exc:
        raise fail(str(exc)) from None


def duplicate_keys(path: Path, node: yaml.Node, where: str) -> list[FieldError]:
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
            errors.extend(duplicate_keys(path, value_node, join_field(where, key)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            errors.extend(duplicate_keys(path, item, f"{where}[{index}]"))
    return errors


def validation_errors(
    parsed: ParsedFile,
    exc: ValidationError,
    *,
    schema_command: str,
    pattern_messages: dict[str, str] | None = None,
) -> list[FieldError]:
    """Turn pydantic's errors into FieldErrors with lines and readable messages."""
    return [
        _field_error(parsed, err, schema_command, pattern_messages or {}) for err in exc.errors()
    ]


def _field_error(
    parsed: ParsedFile, err: Any, schema_command: str, pattern_messages: dict[str, str]
) -> FieldError:
    loc: tuple[Any, ...] = tuple(err["loc"])
    kind = err["type"]
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        message = f"required key {loc[-1]!r} is missing"
        loc = loc[:-1]
    elif kind == "extra_forbidden":
        message = (
            f"unknown key {loc[-1]!r} (check the spelling; `{schema_command}` lists the "
            "allowed keys)"
        )
    elif kind == "string_pattern_mismatch":
        message = pattern_messages.get(err.get("ctx", {}).get("pattern"), message)
        message += f", found {err.get('input')!r}"
    elif kind == "model_type" and "LocalizedText" in message:
        message = 'expected a text in German and English: {de: "…", en: "…"}'
    elif kind == "dict_type":
        message = "expected a mapping of keys and values" + (
            ' (0: {de: "…"}, 1: …, 4: …)' if loc and loc[-1] == "levels" else ""
        )
    elif kind == "literal_error":
        message += f", found {err.get('input')!r}"
    root = parsed.root
    line, node = _locate(root, loc) if root is not None else (None, None)
    value = err.get("input")
    if isinstance(value, bool) and kind == "string_type":
        message += " (YAML reads unquoted yes/no/on/off as true/false: put the text in quotes)"
    elif isinstance(value, int | float) and kind == "string_type":
        written = node.value if isinstance(node, yaml.ScalarNode) else str(value)
        message += f' (write it in quotes: "{written}")'
    return FieldError(
        parsed.path, line, format_loc(loc) or "(top level)", message, parsed.cell_of(loc)
    )


def format_loc(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        text = f"{text}[{part}]" if isinstance(part, int) else join_field(text, str(part))
    return text


def join_field(prefix: str, key: str) -> str:
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


def describe_kind(data: Any) -> str:
    if data is None:
        return "nothing"
    if isinstance(data, list):
        return "a list"
    return f"a single value ({type(data).__name__})"
