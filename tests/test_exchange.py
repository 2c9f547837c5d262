"""Assessment exchange files: the examples, lossless round trips, revision rules, and a corpus
of hostile files that must each be refused with a message naming the file, never a crash."""

from __future__ import annotations

import copy
import json
import os
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from db_snapshot import counts, db_snapshot
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from nhm.assessment import Response
from nhm.catalog import load_catalog
from nhm.cli import app
from nhm.exchange.assessment_file import dump_json, dump_yaml
from nhm.exchange.exporter import stored_document
from nhm.exchange.importer import ImportReport, import_assessment_files, load_assessment_file
from nhm.model import Catalog
from nhm.municipality import Municipality, MunicipalityKind, is_demo_ags
from nhm.store import Store, open_store

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = REPO_ROOT / "assessments"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))
EXAMPLE_IDS = [p.stem for p in EXAMPLES]
ACTOR = "tester"

MUSTERSTADT_2025 = EXAMPLES_DIR / "musterstadt-2025.json"  # submitted, all 44 answered, no N/A
KLEINMUSTERDORF = EXAMPLES_DIR / "kleinmusterdorf-2025.json"  # draft


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 5
    assert MUSTERSTADT_2025 in EXAMPLES and KLEINMUSTERDORF in EXAMPLES


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with pytest.MonkeyPatch.context() as mp:  # as clean_env, for a module-wide fixture
        mp.delenv("NHM_PLUGIN_DIRS", raising=False)
        mp.delenv("NHM_DISABLE_PLUGINS", raising=False)
        return load_catalog()[0]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "nhm.duckdb") as opened:
        yield opened


@pytest.fixture
def do_import(store: Store, catalog: Catalog) -> Callable[..., ImportReport]:
    def run(*paths: Path, dry_run: bool = False, into: Store | None = None) -> ImportReport:
        return import_assessment_files(into or store, list(paths), catalog, ACTOR, dry_run=dry_run)

    return run


def example_data(path: Path = MUSTERSTADT_2025) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def results_of(report: ImportReport) -> list[tuple[str, str, str]]:
    return [(r.path.name, r.key, r.action) for r in report.results]


def answers(responses: Any) -> dict[str, dict[str, Any]]:
    """Criterion id -> the answer's fields, from stored responses or a file's entries."""
    items = (
        responses.items()
        if isinstance(responses, dict)
        else ((entry.criterion, entry) for entry in responses)
    )
    return {key: {f: getattr(r, f) for f in Response.model_fields} for key, r in items}


def assert_ok(report: ImportReport) -> None:
    assert report.ok, "\n".join(map(str, report.errors))


# --- the example files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_schema() -> dict[str, Any]:
    """The schema exactly as `nhm schema assessment` prints it."""
    result = CliRunner().invoke(app, ["schema", "assessment"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_schema_is_a_valid_draft_2020_12_schema(cli_schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(cli_schema)
    assert cli_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "format" in cli_schema["required"]
    assert cli_schema["additionalProperties"] is False


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_example_validates_against_the_json_schema(path: Path, cli_schema: dict[str, Any]) -> None:
    errors = list(Draft202012Validator(cli_schema).iter_errors(example_data(path)))
    assert errors == [], [e.message for e in errors]


def test_json_schema_refuses_what_nhm_refuses(cli_schema: dict[str, Any]) -> None:
    """The schema is not vacuous: a level 7, a newer format and an unknown key all fail."""
    validator = Draft202012Validator(cli_schema)
    for change in (
        lambda d: d["responses"][0].update(level=7),
        lambda d: d.update(format="nhm-assessment/2"),
        lambda d: d.update(colour="blue"),
        lambda d: d["municipality"].update(ags=5199000),
    ):
        data = example_data()
        change(data)
        assert not validator.is_valid(data), data


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_example_loads_and_is_demo(path: Path, catalog: Catalog) -> None:
    document = load_assessment_file(path, catalog)
    assert document.demo is True
    assert example_data(path)["demo"] is True  # written in the file, not a default
    ags = document.municipality.ags
    assert ags[3:5] == "99" and is_demo_ags(ags)
    assert document.municipality.kind is not None  # the examples create their municipality
    assert path.name in (EXAMPLES_DIR / "README.md").read_text(encoding="utf-8")


def test_import_examples_then_again_changes_nothing(
    store: Store, do_import: Callable[..., ImportReport]
) -> None:
    first = do_import(*EXAMPLES)
    assert_ok(first)
    assert {action for _, _, action in results_of(first)} == {"created"}
    rows = store.assessments.list()
    assert sorted((r.ags, r.period) for r in rows) == sorted(
        (d["municipality"]["ags"], d["period"]) for d in map(example_data, EXAMPLES)
    )
    assert all(r.revision == 1 and r.is_demo for r in rows)
    assert {m.ags for m in store.municipalities.list()} == {r.ags for r in rows}
    before = db_snapshot(store)

    again = do_import(*EXAMPLES)
    assert_ok(again)
    assert [action for _, _, action in results_of(again)] == ["unchanged"] * len(EXAMPLES)
    assert [key for _, key, _ in results_of(again)] == [key for _, key, _ in results_of(first)]
    assert again.warnings == []  # no municipality is new any more
    assert db_snapshot(store) == before  # not even an audit entry


def test_reimporting_a_file_without_revision_changes_nothing(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    data = example_data()
    del data["revision"]
    path = write_json(tmp_path / "ohne-revision.json", data)
    assert_ok(do_import(path))
    before = db_snapshot(store)
    again = do_import(path)
    assert_ok(again)
    assert results_of(again) == [(path.name, "05199000/2025/r1", "unchanged")]
    assert db_snapshot(store) == before


# --- lossless round trips --------------------------------------------------------------------


def test_json_export_equals_each_example_byte_for_byte(
    store: Store, catalog: Catalog, do_import: Callable[..., ImportReport]
) -> None:
    assert_ok(do_import(*EXAMPLES))
    for path in EXAMPLES:
        data = example_data(path)
        document = stored_document(store, catalog, data["municipality"]["ags"], data["period"])
        assert dump_json(document) == path.read_text(encoding="utf-8"), path.name


def test_yaml_export_import_export_is_identical(
    tmp_path: Path, store: Store, catalog: Catalog, do_import: Callable[..., ImportReport]
) -> None:
    assert_ok(do_import(*EXAMPLES))
    keys = [(d["municipality"]["ags"], d["period"]) for d in map(example_data, EXAMPLES)]
    first = {key: dump_yaml(stored_document(store, catalog, *key)) for key in keys}
    paths = []
    for (ags, period), text in first.items():
        assert re.search(rf'^  ags: "{ags}"$', text, re.MULTILINE), text[:300]
        assert yaml.safe_load(text)["municipality"]["ags"] == ags
        paths.append(tmp_path / f"{ags}-{period}.yaml")
        paths[-1].write_text(text, encoding="utf-8")
    for path, original in zip(paths, EXAMPLES, strict=True):
        assert yaml.safe_load(path.read_text(encoding="utf-8")) == example_data(original)

    with open_store(tmp_path / "second.duckdb") as second:
        assert_ok(do_import(*paths, into=second))
        for key, text in first.items():
            assert dump_yaml(stored_document(second, catalog, *key)) == text
            assert dump_json(stored_document(second, catalog, *key)) == dump_json(
                stored_document(store, catalog, *key)
            )


def test_all_digit_strings_are_quoted_in_yaml(
    tmp_path: Path, store: Store, catalog: Catalog, do_import: Callable[..., ImportReport]
) -> None:
    """Text that looks like a number (an AGS with only digits 0–7 reads as octal in YAML 1.1,
    a comment of digits) stays text through YAML."""
    data = example_data()
    data["responses"][0]["comment"] = "0123"
    data["responses"][1]["evidence_reference"] = "2021"
    path = write_json(tmp_path / "digits.json", data)
    assert_ok(do_import(path))
    text = dump_yaml(stored_document(store, catalog, "05199000", 2025))
    assert 'comment: "0123"' in text and 'evidence_reference: "2021"' in text
    assert yaml.safe_load(text) == data


def test_comment_of_exactly_the_maximum_length_round_trips(
    tmp_path: Path, store: Store, catalog: Catalog, do_import: Callable[..., ImportReport]
) -> None:
    data = example_data()
    data["responses"][1]["comment"] = "x" * 10_000
    path = write_json(tmp_path / "long.json", data)
    assert_ok(do_import(path))
    assert dump_json(stored_document(store, catalog, "05199000", 2025)) == path.read_text(
        encoding="utf-8"
    )


# --- all or nothing, dry run -----------------------------------------------------------------


def test_one_invalid_file_stops_the_whole_batch(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    assert_ok(do_import(KLEINMUSTERDORF))  # not empty: there is something to keep intact
    before = db_snapshot(store)
    bad = example_data()
    bad["responses"][5]["level"] = 9
    invalid = write_json(tmp_path / "kaputt.json", bad)
    valid = [p for p in EXAMPLES if p not in (KLEINMUSTERDORF, MUSTERSTADT_2025)][:3]
    assert len(valid) == 3

    report = do_import(*valid, invalid)
    assert not report.ok
    assert report.results == []
    assert report.files_with_errors == 1
    assert {error.file for error in report.errors} == {invalid}
    assert all(str(error).startswith(f"{invalid}:") for error in report.errors)
    assert "responses[5].level" in str(report.errors[0])
    assert db_snapshot(store) == before


def test_dry_run_reports_the_same_actions_and_writes_nothing(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    assert_ok(do_import(KLEINMUSTERDORF))
    changed = example_data(KLEINMUSTERDORF)
    changed["responses"][0]["level"] = (changed["responses"][0]["level"] + 1) % 5
    draft = write_json(tmp_path / KLEINMUSTERDORF.name, changed)
    files = [draft, *(p for p in EXAMPLES if p != KLEINMUSTERDORF)]
    before = db_snapshot(store)

    dry = do_import(*files, dry_run=True)
    assert_ok(dry)
    assert dry.dry_run
    assert db_snapshot(store) == before
    expected_actions = {"replaced draft": 1, "created": len(EXAMPLES) - 1}
    actions = [action for _, _, action in results_of(dry)]
    assert {a: actions.count(a) for a in set(actions)} == expected_actions

    real = do_import(*files)
    assert_ok(real)
    assert not real.dry_run
    assert results_of(real) == results_of(dry)
    assert real.warnings == dry.warnings
    assert counts(db_snapshot(store))["assessment"] == len(EXAMPLES)


# --- revisions -------------------------------------------------------------------------------


def test_file_without_revision_for_a_submitted_assessment_becomes_revision_2(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    assert_ok(do_import(MUSTERSTADT_2025))
    original = example_data()
    data = copy.deepcopy(original)
    del data["revision"]
    data["responses"][0]["level"] = (original["responses"][0]["level"] + 1) % 5
    path = write_json(tmp_path / "musterstadt-neu.json", data)

    report = do_import(path)
    assert_ok(report)
    assert results_of(report) == [(path.name, "05199000/2025/r2", "created")]
    revisions = store.assessments.list(ags="05199000", period=2025)
    assert [(r.revision, r.status.value) for r in revisions] == [(1, "submitted"), (2, "submitted")]
    criterion = original["responses"][0]["criterion"]
    first = store.assessments.get("05199000", 2025, 1)
    latest = store.assessments.get("05199000", 2025)
    assert first is not None and latest is not None and latest.revision == 2
    assert first.responses[criterion].level == original["responses"][0]["level"]
    assert latest.responses[criterion].level == data["responses"][0]["level"]
    imported = store.audit.entries(entity_key="05199000/2025/r2")
    assert [(e.action, e.detail) for e in imported] == [
        ("assessment.imported", {"source": path.name})
    ]


@pytest.mark.parametrize("revision", [1, None], ids=["revision-1", "no-revision"])
def test_file_for_an_open_draft_replaces_its_answers(
    tmp_path: Path,
    store: Store,
    catalog: Catalog,
    do_import: Callable[..., ImportReport],
    revision: int | None,
) -> None:
    assert_ok(do_import(KLEINMUSTERDORF))
    old = store.assessments.get("03399021", 2025)
    assert old is not None and old.is_draft
    data = example_data(KLEINMUSTERDORF)
    if revision is None:
        del data["revision"]
    data["responses"][0]["level"] = (data["responses"][0]["level"] + 1) % 5
    dropped = data["responses"].pop()["criterion"]
    path = write_json(tmp_path / "kleinmusterdorf-neu.json", data)

    report = do_import(path)
    assert_ok(report)
    assert results_of(report) == [(path.name, "03399021/2025/r1", "replaced draft")]
    new = store.assessments.get("03399021", 2025)
    assert new is not None
    assert [r.revision for r in store.assessments.list(ags="03399021")] == [1]
    assert new.id == old.id and new.is_draft and new.version > old.version
    assert dropped not in new.responses
    assert answers(new.responses) == answers(load_assessment_file(path, catalog).responses)

    entries = store.audit.entries(action_prefix="assessment.draft_replaced")
    assert len(entries) == 1 and entries[0].entity_key == "03399021/2025/r1"
    detail = entries[0].detail
    assert detail is not None and detail["source"] == path.name
    assert detail["before"] == {
        criterion: response.model_dump(mode="json", exclude_none=True)
        for criterion, response in old.responses.items()
    }
    assert dropped in detail["before"]


def test_other_answers_for_a_submitted_revision_are_refused(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    assert_ok(do_import(MUSTERSTADT_2025))
    before = db_snapshot(store)
    data = example_data()
    data["responses"][2]["comment"] = "nachträglich geändert"
    path = write_json(tmp_path / "ueberschreiben.json", data)

    report = do_import(path)
    assert not report.ok
    assert [str(e) for e in report.errors] == [
        f"{path}: revision 1 of 05199000/2025 is already stored as submitted, with other "
        "answers; remove `revision` from the file to import it as a new revision"
    ]
    assert db_snapshot(store) == before


def test_an_older_revision_is_refused(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    data = example_data()
    del data["revision"]
    assert_ok(do_import(MUSTERSTADT_2025))
    data["responses"][2]["comment"] = "Revision 2"
    assert_ok(do_import(write_json(tmp_path / "r2.json", data)))
    before = db_snapshot(store)
    data["revision"] = 1
    data["responses"][2]["comment"] = "noch einmal Revision 1"
    path = write_json(tmp_path / "r1-alt.json", data)
    report = do_import(path)
    assert not report.ok
    assert "older than the stored revision 2" in str(report.errors[0])
    assert report.errors[0].file == path
    assert db_snapshot(store) == before


def test_two_files_for_the_same_municipality_and_period_are_refused(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    before = db_snapshot(store)
    data = example_data()
    data["responses"][0]["comment"] = "zweite Fassung"
    second = write_json(tmp_path / "musterstadt-zweite.json", data)
    report = do_import(MUSTERSTADT_2025, KLEINMUSTERDORF, second)
    assert not report.ok and report.results == []
    assert len(report.errors) == 1
    message = str(report.errors[0])
    assert str(second) in message and str(MUSTERSTADT_2025) in message
    assert "05199000/2025" in message
    assert db_snapshot(store) == before


# --- municipality and demo rules -------------------------------------------------------------

KOELN = {"ags": "05315000", "name": "Köln", "kind": "kreisfreie_stadt"}


def test_unknown_municipality_without_kind_is_refused_until_it_is_known(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    data = example_data()
    data.update(demo=False, municipality={"ags": KOELN["ags"], "name": KOELN["name"]})
    path = write_json(tmp_path / "koeln.json", data)
    before = db_snapshot(store)

    report = do_import(path)
    assert not report.ok
    assert len(report.errors) == 1
    message = str(report.errors[0])
    assert message.startswith(f"{path}: municipality: cannot add municipality 05315000")
    assert "kind is required" in message
    assert db_snapshot(store) == before

    store.municipalities.save(
        Municipality(ags=KOELN["ags"], name=KOELN["name"], kind=MunicipalityKind.KREISFREIE_STADT),
        ACTOR,
    )
    report = do_import(path)
    assert_ok(report)
    assert results_of(report) == [(path.name, "05315000/2025/r1", "created")]
    assert report.warnings == []


@pytest.mark.parametrize(
    ("municipality", "demo", "message"),
    [
        (KOELN, True, "demo: true is only allowed for fictional municipalities"),
        (
            {"ags": "05199000", "name": "Musterstadt", "kind": "kreisfreie_stadt"},
            False,
            "AGS 05199000 is in the fictional demo range (digits 4–5 = 99): set demo: true",
        ),
    ],
    ids=["demo-with-real-ags", "demo-ags-without-demo"],
)
def test_demo_flag_must_match_the_ags(
    tmp_path: Path,
    store: Store,
    do_import: Callable[..., ImportReport],
    municipality: dict[str, str],
    demo: bool,
    message: str,
) -> None:
    data = example_data()
    data.update(demo=demo, municipality=municipality)
    path = write_json(tmp_path / "demo.json", data)
    before = db_snapshot(store)
    report = do_import(path)
    assert not report.ok
    assert len(report.errors) == 1
    assert str(report.errors[0]).startswith(f"{path}:")
    assert message in str(report.errors[0])
    assert db_snapshot(store) == before


# --- hostile files ---------------------------------------------------------------------------

ANY_LINE = -1


@dataclass(frozen=True)
class Hostile:
    path: Path
    message: str  # a part of the (first) error message, compared case-insensitively
    line: int | None = None  # the expected line; ANY_LINE: some line; None: no expectation


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def _build_hostile_corpus(folder: Path) -> dict[str, Hostile]:
    folder.mkdir(parents=True, exist_ok=True)
    base = example_data()
    corpus: dict[str, Hostile] = {}

    def raw(name: str, content: bytes | str, message: str, line: int | None = None) -> None:
        path = folder / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        corpus[name] = Hostile(path, message, line)

    def variant(
        name: str, change: Callable[[dict[str, Any]], Any], message: str, needle: str | None
    ) -> None:
        data = copy.deepcopy(base)
        change(data)
        path = write_json(folder / name, data)
        corpus[name] = Hostile(
            path, message, ANY_LINE if needle is None else _line_of(path, needle)
        )

    def response(index: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
        def change(data: dict[str, Any]) -> None:
            entry = data["responses"][index]
            for key, value in changes.items():
                if value is None:
                    entry.pop(key, None)
                else:
                    entry[key] = value

        return change

    example_text = json.dumps(base, indent=2)
    raw("binary.json", random.Random(20251122).randbytes(8192), "not utf-8")
    raw("image.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "not utf-8")
    raw("utf16.json", example_text.encode("utf-16"), "not utf-8")
    raw("nul-bytes.json", example_text[:200] + "\x00\x00" + example_text[200:], "nul")
    raw("empty.json", b"", "empty")
    raw("whitespace.yaml", " \n\t\n   \n", "empty")
    raw("six-megabytes.json", b'{"format": "' + b"x" * (6 * 1024 * 1024) + b'"}', "5,000,000")
    raw("deep.json", "[" * 100_000, "nested too deeply")
    raw("deep-closed.json", "[" * 100_000 + "]" * 100_000, "nested too deeply")
    deep_yaml = "".join(f"{'  ' * i}k{i}:\n" for i in range(100)) + "  " * 100 + "end: 1\n"
    raw("deep.yaml", deep_yaml, "nested more than 32 levels", ANY_LINE)
    laughs = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        laughs.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    raw("billion-laughs.yaml", "\n".join(laughs) + "\n", "anchors (&name) are not allowed", 1)
    pwned = folder / "pwned"
    raw(
        "python-object.yaml",
        f"format: !!python/object/apply:os.system ['touch {pwned}']\nperiod: 2025\n",
        "python/object",
        1,
    )
    raw(
        "duplicate-keys.json",
        example_text.replace('"period": 2025,', '"period": 2025,\n  "period": 2024,'),
        "'period' appears twice",
    )
    yaml_text = yaml.safe_dump(base, allow_unicode=True, sort_keys=False)
    raw(
        "duplicate-keys.yaml",
        yaml_text.replace("period: 2025\n", "period: 2025\nstatus: draft\nperiod: 2024\n"),
        "'period' appears twice",
        yaml_text.splitlines().index("period: 2025") + 3,
    )
    raw("top-level-list.json", json.dumps([base], indent=2), "found a list", 1)
    raw("scalar.yaml", "just a sentence\n", "found a single value", 1)
    variant(
        "newer-format.json", lambda d: d.update(format="nhm-assessment/2"), "newer nhm", '"format"'
    )
    variant("no-format.json", lambda d: d.pop("format"), "'format' is missing", None)
    variant("level-7.json", response(3, level=7), "less than or equal to 4", '"level": 7')
    variant("level-drei.json", response(3, level="drei"), "valid integer", '"level": "drei"')
    variant(
        "na-without-justification.json",
        response(6, level=None, not_applicable=True),
        "not applicable needs a justification",
        None,
    )
    variant(
        "level-and-na.json",
        response(6, not_applicable=True, justification="Keine Beteiligungen."),
        "either a level or not applicable, not both",
        None,
    )
    variant(
        "unknown-criterion.json",
        response(2, criterion="governance_actors.no_such_thing"),
        "unknown criterion 'governance_actors.no_such_thing'",
        '"governance_actors.no_such_thing"',
    )
    variant(
        "unknown-dimension.json",
        response(2, criterion="space_travel.launch_pad"),
        "no installed dimension 'space_travel'",
        '"space_travel.launch_pad"',
    )
    variant(
        "na-not-allowed.json",
        response(0, level=None, not_applicable=True, justification="Gibt es nicht."),
        "not applicable is not allowed",
        '"not_applicable": true',
    )
    variant("period-1800.json", lambda d: d.update(period=1800), "1990", '"period": 1800')
    variant(
        "extra-key.json",
        lambda d: d.update(colour="blau"),
        "`nhm schema assessment`",
        '"colour"',
    )
    variant(
        "long-comment.json",
        response(1, comment="x" * 10_001),
        "at most 10000 characters",
        '"comment": "xxxx',
    )
    surrogate = copy.deepcopy(base)
    surrogate["responses"][1]["comment"] = "\ud800"  # a lone surrogate: no character at all
    surrogate_text = json.dumps(surrogate, indent=2)  # ASCII with the escape \ud800
    line = surrogate_text.splitlines().index('      "comment": "\\ud800"') + 1
    raw("lone-surrogate.json", surrogate_text, "unicode", line)
    huge = example_text.replace('"period": 2025', '"period": ' + "9" * 5000)
    raw("huge-number.json", huge, "")  # Python refuses so many digits; refused either way
    # An AGS with only digits 0–7 and a leading 0 is an octal number in YAML 1.1.
    octal = yaml.safe_dump(
        {**base, "demo": False, "municipality": dict(KOELN)}, allow_unicode=True, sort_keys=False
    ).replace("ags: '05315000'", "ags: 05315000")
    assert "ags: 05315000\n" in octal
    raw("ags-number.yaml", octal, 'write it in quotes: "05315000"', 3)
    raw("assessment.txt", example_text, "'.txt'")
    (folder / "folder.json").mkdir()
    corpus["folder.json"] = Hostile(folder / "folder.json", "folder")
    corpus["missing.json"] = Hostile(folder / "missing.json", "not found")
    if Path("/dev/zero").exists():
        (folder / "zero.json").symlink_to("/dev/zero")
        corpus["zero.json"] = Hostile(folder / "zero.json", "not a regular file")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.yaml")
        corpus["pipe.yaml"] = Hostile(folder / "pipe.yaml", "not a regular file")
    return corpus


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Hostile]:
    return _build_hostile_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Store]:
    """One database for all hostile files, holding an example so it is not empty."""
    with open_store(tmp_path_factory.mktemp("hostile-db") / "nhm.duckdb") as opened:
        assert_ok(import_assessment_files(opened, [KLEINMUSTERDORF], catalog, ACTOR))
        yield opened


def _check_refused(report: ImportReport, case: Hostile) -> None:
    assert not report.ok, f"{case.path.name} was accepted"
    assert report.results == []
    assert report.files_with_errors == 1
    for error in report.errors:
        assert error.file == case.path
        assert str(error).startswith(f"{case.path}"), str(error)
    first = str(report.errors[0])
    assert case.message.lower() in first.lower(), first
    if case.line is not None:
        match = re.match(rf"{re.escape(str(case.path))}:(\d+): ", first)
        assert match, f"no line number in: {first}"
        if case.line != ANY_LINE:
            assert int(match[1]) == case.line, first


def test_each_hostile_file_is_refused_with_its_name(
    hostile: dict[str, Hostile], hostile_store: Store, catalog: Catalog
) -> None:
    before = db_snapshot(hostile_store)
    failures = []
    for name, case in hostile.items():
        try:
            report = import_assessment_files(hostile_store, [case.path], catalog, ACTOR)
            _check_refused(report, case)
        except Exception as exc:  # collect all, so one run shows every problem
            failures.append(f"{name}: {type(exc).__name__}: {exc}"[:500])
    assert failures == []
    assert db_snapshot(hostile_store) == before
    assert not (hostile["python-object.yaml"].path.parent / "pwned").exists()


def test_whole_hostile_corpus_with_valid_files_writes_nothing(
    hostile: dict[str, Hostile], hostile_store: Store, catalog: Catalog
) -> None:
    before = db_snapshot(hostile_store)
    paths = [case.path for case in hostile.values()]
    report = import_assessment_files(hostile_store, [*EXAMPLES, *paths], catalog, ACTOR)
    assert not report.ok and report.results == []
    assert report.files_with_errors == len(paths)
    assert {error.file for error in report.errors} == set(paths)
    assert db_snapshot(hostile_store) == before


def test_cli_refuses_the_whole_hostile_corpus(
    tmp_path: Path, hostile: dict[str, Hostile], nhm_cli: Callable[..., Any]
) -> None:
    db = tmp_path / "cli.duckdb"
    paths = [str(case.path) for case in hostile.values()]
    result = nhm_cli("import", "--db", str(db), *map(str, EXAMPLES), *paths)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for name, case in hostile.items():
        assert str(case.path) in result.stderr, name
    assert f"{len(paths)} of {len(EXAMPLES) + len(paths)} file(s) invalid" in result.stderr
    assert not (tmp_path.parent / "pwned").exists()
    assert not (hostile["python-object.yaml"].path.parent / "pwned").exists()
    with open_store(db) as opened:
        assert counts(db_snapshot(opened))["assessment"] == 0
        assert counts(db_snapshot(opened))["audit_log"] == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"level": True}, "valid integer"),
        ({"level": "3"}, "valid integer"),
        ({"level": None, "not_applicable": "yes", "justification": "x"}, "valid boolean"),
        ({"comment": "vor\u0000nach"}, "control characters"),
    ],
)
def test_loose_values_are_refused(
    tmp_path: Path,
    store: Store,
    do_import: Callable[..., ImportReport],
    change: dict[str, Any],
    expected: str,
) -> None:
    data = example_data()
    data["responses"][0] = {**data["responses"][0], **change}
    data["responses"][0] = {k: v for k, v in data["responses"][0].items() if v is not None}
    path = write_json(tmp_path / "lose.json", data)
    before = db_snapshot(store)
    report = do_import(path)
    assert not report.ok
    assert any(expected in str(error) and "responses[0]" in str(error) for error in report.errors)
    assert db_snapshot(store) == before


def test_a_time_out_of_range_is_an_error_not_a_crash(
    tmp_path: Path, do_import: Callable[..., ImportReport]
) -> None:
    data = example_data()
    data["responses"][0]["answered_at"] = "0001-01-01T00:00:00+05:00"
    report = do_import(write_json(tmp_path / "zeit.json", data))
    assert not report.ok
    assert any("out of range" in str(error) for error in report.errors)


def test_reimporting_an_earlier_revision_changes_nothing(
    tmp_path: Path, store: Store, do_import: Callable[..., ImportReport]
) -> None:
    assert_ok(do_import(MUSTERSTADT_2025))  # revision 1, submitted
    changed = example_data()
    del changed["revision"]
    changed["responses"][0]["level"] = (changed["responses"][0]["level"] + 1) % 5
    assert_ok(do_import(write_json(tmp_path / "r2.json", changed)))  # becomes revision 2
    before = db_snapshot(store)
    again = do_import(MUSTERSTADT_2025)
    assert_ok(again)
    assert results_of(again) == [(MUSTERSTADT_2025.name, "05199000/2025/r1", "unchanged")]
    assert db_snapshot(store) == before
