"""Each kind of bad dimension file gives an error naming file, line and field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from nhm.dimension_file import DimensionFileError, FieldError, load_dimension_file

GOOD_YAML = """\
id: procurement
version: "1.0.0"
title: {de: "Nachhaltige Beschaffung", en: "Sustainable procurement"}
description: {de: "Wie die Kommune einkauft."}
criteria:
  - id: binding_policy
    title: {de: "Verbindliche Grundlage"}
    question: {de: "Gibt es eine verbindliche Regelung?"}
    levels:
      0: {de: "keine"}
      1: {de: "einzelne Vorgaben"}
      2: {de: "Dienstanweisung beschlossen"}
      3: {de: "angewendet und überprüft"}
      4: {de: "regelmäßig fortgeschrieben"}
    sdg_targets: ["12.7"]
"""


def errors_for(path: Path) -> list[FieldError]:
    with pytest.raises(DimensionFileError) as info:
        load_dimension_file(path)
    assert str(path) in str(info.value)
    return info.value.errors


def only_error(path: Path) -> FieldError:
    errors = errors_for(path)
    assert len(errors) == 1, errors
    return errors[0]


def test_good_yaml_loads(write_dimension: Callable[..., Path]) -> None:
    dimension = load_dimension_file(write_dimension(GOOD_YAML))
    assert dimension.id == "procurement"
    assert dimension.criteria[0].levels[2].de == "Dienstanweisung beschlossen"


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        ('      3: {de: "angewendet und überprüft"}\n', "", 9, "criteria[0].levels", "missing 3"),
        (
            '    sdg_targets: ["12.7"]',
            '    sdg_targets: ["12.7", "12.42"]',
            15,
            "criteria[0].sdg_targets",
            "'12.42' is not an SDG target",
        ),
        (
            "  - id: binding_policy",
            "  - id: Binding-Policy",
            6,
            "criteria[0].id",
            "contain only a-z, 0-9 and _, found 'Binding-Policy'",
        ),
        (
            '    question: {de: "Gibt es eine verbindliche Regelung?"}\n',
            "",
            6,
            "criteria[0]",
            "required key 'question' is missing",
        ),
        (
            '    sdg_targets: ["12.7"]',
            '    sdg_targets: ["12.7"]\n    weigth: 2',
            16,
            "criteria[0].weigth",
            "unknown key 'weigth'",
        ),
        (
            '    sdg_targets: ["12.7"]',
            '    sdg_targets: ["12.7"]\n    weight: 0',
            16,
            "criteria[0].weight",
            "greater than 0",
        ),
        (
            '    sdg_targets: ["12.7"]',
            '    sdg_targets: ["12.7"]\n    references: [bnk]',
            16,
            "criteria[0].references",
            "expected a mapping of keys and values",
        ),
        ('version: "1.0.0"', "version: 1.0", 2, "version", '(write it in quotes: "1.0")'),
        (
            'title: {de: "Nachhaltige Beschaffung", en: "Sustainable procurement"}',
            'title: {de: "Nachhaltige Beschaffung", en: no}',
            3,
            "title.en",
            "put the text in quotes",
        ),
    ],
)
def test_error_names_line_and_field(
    write_dimension: Callable[..., Path], old: str, new: str, line: int, field: str, message: str
) -> None:
    assert old in GOOD_YAML
    path = write_dimension(GOOD_YAML.replace(old, new))
    error = only_error(path)
    assert (error.line, error.field) == (line, field), error
    assert message in error.message
    assert str(error).startswith(f"{path}:{line}: {field}: ")


def test_duplicate_criterion_ids(write_dimension: Callable[..., Path]) -> None:
    body = GOOD_YAML.split("criteria:\n", 1)[1]
    path = write_dimension(GOOD_YAML + body)
    error = only_error(path)
    assert (error.line, error.field) == (5, "criteria")
    assert "criterion id 'binding_policy' is used twice" in error.message


def test_duplicate_yaml_keys_are_rejected(write_dimension: Callable[..., Path]) -> None:
    path = write_dimension(GOOD_YAML.replace('version: "1.0.0"\n', 'version: "1.0.0"\nid: x\n'))
    error = only_error(path)
    assert error.line == 3
    assert "key 'id' appears twice (first on line 1)" in error.message


def test_all_errors_are_reported_at_once(write_dimension: Callable[..., Path]) -> None:
    text = GOOD_YAML.replace("id: procurement", "id: 9x").replace('"12.7"', '"99.1"')
    errors = errors_for(write_dimension(text))
    assert [e.field for e in errors] == ["id", "criteria[0].sdg_targets"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id: x\n  bad: [unclosed\n", 2, "not valid YAML"),
        ("", 1, "the file is empty"),
        ("- a\n- b\n", 1, "expected a mapping"),
    ],
)
def test_unreadable_yaml(
    write_dimension: Callable[..., Path], text: str, line: int, message: str
) -> None:
    error = only_error(write_dimension(text))
    assert error.line == line
    assert message in error.message


def test_missing_file_and_wrong_suffix(tmp_path: Path) -> None:
    assert "file not found" in only_error(tmp_path / "nope.yaml").message
    other = tmp_path / "dimension.txt"
    other.write_text("id: x", encoding="utf-8")
    assert "expected a .yaml, .yml or .json file" in only_error(other).message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: {de: 'Maßnahmen'}".encode("latin-1"))
    assert "not UTF-8 text" in only_error(path).message


def test_json_dimension_file(tmp_path: Path, dimension_data: dict[str, Any]) -> None:
    path = tmp_path / "dimension.json"
    path.write_text(json.dumps(dimension_data, indent=2), encoding="utf-8")
    assert load_dimension_file(path).id == "fixture_dimension"

    dimension_data["criteria"][1]["weight"] = -2
    path.write_text(json.dumps(dimension_data, indent=2), encoding="utf-8")
    error = only_error(path)
    assert error.field == "criteria[1].weight"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '"weight": -2' in lines[error.line - 1]


def test_json_syntax_error_and_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "dimension.json"
    path.write_text('{\n  "id": "x",\n  "version": \n}', encoding="utf-8")
    error = only_error(path)
    assert error.line == 4 and "not valid JSON" in error.message
    path.write_text('{"id": "x", "id": "y"}', encoding="utf-8")
    assert "key 'id' appears twice" in only_error(path).message


def test_yaml_written_by_a_tool_round_trips(
    write_dimension: Callable[..., Path], dimension_data: dict[str, Any]
) -> None:
    path = write_dimension(yaml.safe_dump(dimension_data, allow_unicode=True))
    assert load_dimension_file(path).criteria[1].na_allowed is True


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id: &a x\nversion: *a\n", 1, "anchors (&name) are not allowed"),
        ("title: {de: x}\nother: *nothing\n", 2, "aliases (*name) are not allowed"),
        ("id: !python/object:os.system x\n", 1, "could not determine a constructor"),
        ('id: !!int "abc"\n', None, "a value cannot be read"),
        ("id: x\nversion: 2021-02-30\n", None, "a value cannot be read"),
        ("? [a, b]\n: c\n", 1, "unhashable"),
        ("<<: [1]\n", 1, "expected a mapping"),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), None, "nested more than"),
        ("[" * 5000 + "]" * 5000, 1, "nested more than"),
    ],
)
def test_hostile_yaml_is_refused_with_a_message(
    write_dimension: Callable[..., Path], text: str, line: int | None, message: str
) -> None:
    error = only_error(write_dimension(text))
    assert message in error.message, error
    if line is not None:
        assert error.line == line


def test_billion_laughs_is_refused_at_once(write_dimension: Callable[..., Path]) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    error = only_error(write_dimension("\n".join(lines) + "\n"))
    assert "anchors (&name) are not allowed" in error.message


def test_binary_oversized_and_bom_files(tmp_path: Path, dimension_data: dict[str, Any]) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"id: x\x00\x01\x02")
    assert "contains NUL bytes" in only_error(binary).message
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * 2_000_001)
    assert "at most 2,000,000 are allowed" in only_error(huge).message
    for suffix in (".json", ".yaml"):
        with_bom = tmp_path / f"bom{suffix}"
        with_bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(dimension_data).encode())
        assert load_dimension_file(with_bom).id == "fixture_dimension"


def test_unquoted_numbers_get_a_hint_with_what_was_written(
    write_dimension: Callable[..., Path],
) -> None:
    path = write_dimension(GOOD_YAML.replace('["12.7"]', "[8.10, 12.7]"))
    errors = errors_for(path)
    assert [e.field for e in errors] == ["criteria[0].sdg_targets[0]", "criteria[0].sdg_targets[1]"]
    assert errors[0].message.endswith('(write it in quotes: "8.10")')
    assert errors[0].line == 15


def test_plain_messages_for_wrong_shapes(write_dimension: Callable[..., Path]) -> None:
    text = GOOD_YAML.replace(
        'title: {de: "Nachhaltige Beschaffung", en: "Sustainable procurement"}',
        'title: "Nachhaltige Beschaffung"',
    ).replace("    levels:\n", "    levels: [a, b, c, d, e]\n    old_levels:\n")
    messages = {e.field: e.message for e in errors_for(write_dimension(text))}
    assert messages["title"] == 'expected a text in German and English: {de: "…", en: "…"}'
    assert messages["criteria[0].levels"].startswith("expected a mapping of keys and values")


def test_top_level_error_points_at_the_content(write_dimension: Callable[..., Path]) -> None:
    error = only_error(write_dimension("# a comment\n\n# another\n- a\n- b\n"))
    assert error.line == 4
