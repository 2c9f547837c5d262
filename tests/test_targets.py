"""Target levels (Zielniveaus): the repository, the migration from schema 1 and `nhm targets`."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from conftest import VALID_DIMENSION
from typer.testing import CliRunner

from nhm.catalog import load_catalog
from nhm.cli import app
from nhm.model import Catalog, Dimension, MaturityLevel
from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import InvalidDataError, NotFoundError, Store, database, open_store
from nhm.store.targets import MAX_NOTE_LENGTH, TargetEntry, TargetRepository

Cli = Callable[..., subprocess.CompletedProcess[str]]
runner = CliRunner()

HERNE = "05916000"
KOELN = "05315000"
UNKNOWN_AGS = "05315001"
PROCUREMENT = "procurement"
BINDING_POLICY = "procurement.binding_policy"
BUDGETING = "budgeting"
ORPHAN = "fixture_dimension.council_mandate"
"""A criterion of a dimension that is not installed (as if its plugin had been removed)."""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The real catalog of the built-in dimensions, loaded once (see tests/test_store.py)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NHM_PLUGIN_DIRS", raising=False)
        mp.delenv("NHM_DISABLE_PLUGINS", raising=False)
        loaded, _ = load_catalog()
    return loaded


@pytest.fixture(scope="module")
def catalog_with_plugin(catalog: Catalog) -> Catalog:
    """The real catalog plus a dimension of a plugin that is later removed."""
    extra = Dimension.model_validate(VALID_DIMENSION)
    return Catalog(dimensions=[*catalog.dimensions, extra])


def save_municipalities(store: Store) -> None:
    store.municipalities.save(
        Municipality(ags=HERNE, name="Herne", kind=MunicipalityKind.KREISFREIE_STADT), "admin"
    )
    store.municipalities.save(
        Municipality(ags=KOELN, name="Köln", kind=MunicipalityKind.KREISFREIE_STADT), "admin"
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "nhm.duckdb"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A store holding Herne and Köln, without targets."""
    with open_store(db_path) as opened:
        save_municipalities(opened)
        yield opened


@pytest.fixture
def targets(store: Store) -> TargetRepository:
    return TargetRepository(store)


def target_rows(store: Store) -> list[tuple[str, str, int]]:
    with store.cursor() as cursor:
        return cursor.execute("SELECT ags, scope, level FROM target ORDER BY ALL").fetchall()


def target_audit(store: Store) -> list[tuple[str, str, dict[str, object] | None]]:
    """(action, entity key, detail) of every target entry, oldest first."""
    entries = store.audit.entries(entity="target")
    return [(e.action, e.entity_key, e.detail) for e in reversed(entries)]


# --- the repository ------------------------------------------------------------------------------


def test_set_and_read(targets: TargetRepository, catalog: Catalog) -> None:
    before = datetime.now(UTC).replace(tzinfo=None)
    entry = targets.set(HERNE, PROCUREMENT, 3, catalog, "alice")
    targets.set(HERNE, BINDING_POLICY, 4, catalog, "bob", note="Ratsbeschluss 2026")
    assert entry.scope == PROCUREMENT and entry.level == 3 and entry.set_by == "alice"
    assert targets.for_municipality(HERNE) == {PROCUREMENT: 3, BINDING_POLICY: 4}
    assert targets.for_municipality(KOELN) == {}
    stored = targets.entries(HERNE)
    assert [(e.scope, e.level, e.note, e.set_by) for e in stored] == [
        (PROCUREMENT, 3, None, "alice"),
        (BINDING_POLICY, 4, "Ratsbeschluss 2026", "bob"),
    ]
    assert stored[0] == entry
    assert all(isinstance(e, TargetEntry) and e.set_at.tzinfo is None for e in stored)
    assert all(0 <= (e.set_at - before).total_seconds() < 60 for e in stored)


def test_overwrite_keeps_one_target_and_audits_the_previous(
    store: Store, targets: TargetRepository, catalog: Catalog
) -> None:
    targets.set(HERNE, PROCUREMENT, 2, catalog, "alice")
    targets.set(HERNE, PROCUREMENT, 3, catalog, "bob", note="nach der Klausur")
    assert target_rows(store) == [(HERNE, PROCUREMENT, 3)]
    (entry,) = targets.entries(HERNE)
    assert (entry.level, entry.note, entry.set_by) == (3, "nach der Klausur", "bob")
    assert target_audit(store) == [
        ("target.set", HERNE, {"scope": PROCUREMENT, "level": 2, "note": None, "previous": None}),
        (
            "target.set",
            HERNE,
            {
                "scope": PROCUREMENT,
                "level": 3,
                "note": "nach der Klausur",
                "previous": {"level": 2, "note": None},
            },
        ),
    ]
    assert [e.actor for e in store.audit.entries(entity="target")] == ["bob", "alice"]


def test_clear_one_target_or_all_of_a_municipality(
    store: Store, targets: TargetRepository, catalog: Catalog
) -> None:
    targets.set(HERNE, PROCUREMENT, 3, catalog, "alice")
    targets.set(HERNE, BINDING_POLICY, 4, catalog, "alice", note="Pflicht")
    targets.set(HERNE, BUDGETING, 1, catalog, "alice")
    targets.set(KOELN, PROCUREMENT, 2, catalog, "alice")
    assert targets.clear(HERNE, BUDGETING, "carol") == 1
    assert targets.clear(HERNE, BUDGETING, "carol") == 0  # nothing left to clear
    assert targets.for_municipality(HERNE) == {PROCUREMENT: 3, BINDING_POLICY: 4}
    assert targets.clear(HERNE, None, "carol") == 2
    assert targets.for_municipality(HERNE) == {}
    assert targets.for_municipality(KOELN) == {PROCUREMENT: 2}  # another municipality's stay
    cleared = [(k, d) for a, k, d in target_audit(store) if a == "target.cleared"]
    assert cleared[0] == (HERNE, {"scope": BUDGETING, "previous": {"level": 1, "note": None}})
    assert sorted(cleared[1:], key=str) == [
        (HERNE, {"scope": PROCUREMENT, "previous": {"level": 3, "note": None}}),
        (HERNE, {"scope": BINDING_POLICY, "previous": {"level": 4, "note": "Pflicht"}}),
    ]
    assert {e.actor for e in store.audit.entries(action_prefix="target.cleared")} == {"carol"}


@pytest.mark.parametrize(
    ("scope", "suggestion"),
    [
        ("procurment", "'procurement'"),
        ("binding_policy", f"'{BINDING_POLICY}'"),  # the dimension in front is missing
        ("budgeting.binding_policy", f"'{BINDING_POLICY}'"),  # the wrong dimension
        ("procurement.binding_polcy", f"'{BINDING_POLICY}'"),
    ],
)
def test_unknown_scope_is_refused_with_a_suggestion(
    store: Store, targets: TargetRepository, catalog: Catalog, scope: str, suggestion: str
) -> None:
    with pytest.raises(InvalidDataError, match="did you mean") as info:
        targets.set(HERNE, scope, 3, catalog, "alice")
    assert f"unknown target scope {scope!r}" in str(info.value)
    assert suggestion in str(info.value)
    assert target_rows(store) == [] and target_audit(store) == []


def test_scope_without_any_close_match_has_no_suggestion(
    targets: TargetRepository, catalog: Catalog
) -> None:
    with pytest.raises(InvalidDataError) as info:
        targets.set(HERNE, "xyz", 3, catalog, "alice")
    assert "did you mean" not in str(info.value)


def test_unknown_municipality_is_not_found(
    store: Store, targets: TargetRepository, catalog: Catalog
) -> None:
    with pytest.raises(NotFoundError, match=f"no municipality with AGS {UNKNOWN_AGS}"):
        targets.set(UNKNOWN_AGS, PROCUREMENT, 3, catalog, "alice")
    with pytest.raises(NotFoundError, match=UNKNOWN_AGS):
        targets.clear(UNKNOWN_AGS, None, "alice")
    assert target_rows(store) == [] and target_audit(store) == []


@pytest.mark.parametrize("level", [-1, 5, 100, True, False, 2.0, "3", None])
def test_level_outside_0_to_4_or_not_an_int_is_refused(
    store: Store, targets: TargetRepository, catalog: Catalog, level: object
) -> None:
    with pytest.raises(InvalidDataError, match="0–4"):
        targets.set(HERNE, PROCUREMENT, level, catalog, "alice")  # type: ignore[arg-type]
    assert target_rows(store) == []


def test_levels_0_to_4_are_accepted_as_plain_ints(
    targets: TargetRepository, catalog: Catalog
) -> None:
    for level in range(5):
        assert targets.set(HERNE, PROCUREMENT, level, catalog, "alice").level == level
    entry = targets.set(HERNE, BUDGETING, MaturityLevel.MANAGED, catalog, "alice")
    assert type(entry.level) is int and entry.level == 3
    assert targets.for_municipality(HERNE) == {PROCUREMENT: 4, BUDGETING: 3}


@pytest.mark.parametrize(
    ("note", "stored"),
    [
        ("  Ratsbeschluss\n2026\tgeplant  ", "Ratsbeschluss\n2026\tgeplant"),
        ("   ", None),
        ("", None),
        ("x" * MAX_NOTE_LENGTH, "x" * MAX_NOTE_LENGTH),
    ],
)
def test_note_is_trimmed(
    targets: TargetRepository, catalog: Catalog, note: str, stored: str | None
) -> None:
    assert targets.set(HERNE, PROCUREMENT, 3, catalog, "alice", note=note).note == stored
    assert targets.entries(HERNE)[0].note == stored


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("x" * (MAX_NOTE_LENGTH + 1), "at most 1,000 characters"),
        ("Beschluss\x00", "control characters"),
        ("Beschluss\x1b[31m", "control characters"),
    ],
)
def test_invalid_note_is_refused(
    store: Store, targets: TargetRepository, catalog: Catalog, note: str, message: str
) -> None:
    with pytest.raises(InvalidDataError, match=message):
        targets.set(HERNE, PROCUREMENT, 3, catalog, "alice", note=note)
    assert target_rows(store) == []


def test_targets_of_a_removed_plugin_are_kept(
    targets: TargetRepository, catalog: Catalog, catalog_with_plugin: Catalog
) -> None:
    targets.set(HERNE, ORPHAN, 2, catalog_with_plugin, "alice")
    targets.set(HERNE, "fixture_dimension", 1, catalog_with_plugin, "alice")
    targets.set(HERNE, PROCUREMENT, 3, catalog, "alice")
    # The plugin is gone: the real catalog no longer knows the scopes, but nothing is lost.
    with pytest.raises(InvalidDataError):
        targets.set(HERNE, ORPHAN, 3, catalog, "alice")
    assert [e.scope for e in targets.entries(HERNE)] == ["fixture_dimension", ORPHAN, PROCUREMENT]
    assert targets.for_municipality(HERNE) == {"fixture_dimension": 1, ORPHAN: 2, PROCUREMENT: 3}
    assert targets.clear(HERNE, ORPHAN, "alice") == 1  # clearing needs no catalog


def test_table_checks_hold_without_the_repository(store: Store) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with pytest.raises(duckdb.ConstraintException), store.transaction() as cursor:
        cursor.execute(
            "INSERT INTO target VALUES (?, 'procurement', 5, NULL, ?, 'x')", [HERNE, now]
        )
    with pytest.raises(duckdb.ConstraintException), store.transaction() as cursor:
        cursor.execute("INSERT INTO target VALUES ('5315000', 'budgeting', 1, NULL, ?, 'x')", [now])
    assert target_rows(store) == []


# --- the migration from schema 1 -----------------------------------------------------------------


def test_database_at_schema_1_is_migrated(
    db_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = database.migrations()
    assert [(number, name) for number, name, _ in shipped[:2]] == [(1, "initial"), (2, "targets")]
    with monkeypatch.context() as mp:  # an nhm that knows schema 1 only
        mp.setattr(database, "migrations", lambda: shipped[:1])
        with open_store(db_path) as old:
            save_municipalities(old)
            assert old.schema_version() == 1
            with old.cursor() as cursor:
                tables = {r[0] for r in cursor.execute("SHOW TABLES").fetchall()}
            assert "target" not in tables

    with open_store(db_path) as store:
        assert store.schema_version() == len(shipped)
        with store.cursor() as cursor:
            names = cursor.execute("SELECT version, name FROM schema_version ORDER BY 1").fetchall()
        assert names[:2] == [(1, "initial"), (2, "targets")]
        assert store.municipalities.get(HERNE) is not None  # the data of schema 1 is kept
        targets = TargetRepository(store)
        assert targets.for_municipality(HERNE) == {}
        targets.set(HERNE, PROCUREMENT, 3, catalog, "alice")
    with open_store(db_path) as reopened:
        assert TargetRepository(reopened).for_municipality(HERNE) == {PROCUREMENT: 3}


# --- nhm targets ---------------------------------------------------------------------------------


@pytest.fixture
def db(db_path: Path) -> str:
    """A database file holding Herne and Köln, closed, for the command to open."""
    with open_store(db_path) as store:
        save_municipalities(store)
    return str(db_path)


def test_set_then_list_json_round_trip(db: str) -> None:
    first = runner.invoke(
        app, ["targets", "set", "--ags", HERNE, "--dimension", PROCUREMENT, "--level", "3",
              "--db", db],
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == (
        f"set the target of {HERNE} for procurement (Nachhaltige Beschaffung): "
        "3 umgesetzt und gesteuert"
    )
    second = runner.invoke(
        app, ["targets", "set", "--ags", HERNE, "--criterion", BINDING_POLICY, "--level", "4",
              "--note", "Ratsbeschluss\ngeplant", "--db", db],
    )  # fmt: skip
    assert second.exit_code == 0, second.output

    listed = runner.invoke(app, ["targets", "list", "--ags", HERNE, "--json", "--db", db])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    for row in rows:
        assert row.pop("set_at").endswith("Z")
        assert row.pop("set_by")
    assert rows == [
        {
            "scope": PROCUREMENT,
            "kind": "dimension",
            "title": "Nachhaltige Beschaffung",
            "in_catalog": True,
            "level": 3,
            "level_label": "umgesetzt und gesteuert",
            "note": None,
        },
        {
            "scope": BINDING_POLICY,
            "kind": "criterion",
            "title": "Verbindliche Grundlage",
            "in_catalog": True,
            "level": 4,
            "level_label": "integriert und optimierend",
            "note": "Ratsbeschluss\ngeplant",
        },
    ]
    with open_store(db) as store:
        assert TargetRepository(store).for_municipality(HERNE) == {
            PROCUREMENT: 3,
            BINDING_POLICY: 4,
        }
        assert store.audit.entries(entity="target")[0].actor  # the operating-system user

    table = runner.invoke(app, ["targets", "list", "--ags", HERNE, "--db", db])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["scope", "title", "level", "set", "at", "(UTC)", "set", "by"]
    assert lines[1].startswith("procurement ") and "Nachhaltige Beschaffung" in lines[1]
    assert "3 umgesetzt und gesteuert" in lines[1]
    assert lines[2].startswith(f"{BINDING_POLICY} ") and "4 integriert und optimierend" in lines[2]
    assert lines[3].strip() == "note: Ratsbeschluss geplant"


def test_list_marks_scopes_the_catalog_lacks(db: str, catalog_with_plugin: Catalog) -> None:
    with open_store(db) as store:
        TargetRepository(store).set(HERNE, ORPHAN, 2, catalog_with_plugin, "alice")
        TargetRepository(store).set(HERNE, BUDGETING, 1, catalog_with_plugin, "alice")
    table = runner.invoke(app, ["targets", "list", "--ags", HERNE, "--db", db])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[1].startswith("budgeting ")  # catalog order; unknown scopes come last
    assert lines[2].startswith(ORPHAN) and "(not in the catalog)" in lines[2]
    assert "2 definiert und beschlossen" in lines[2]
    rows = json.loads(runner.invoke(app, ["targets", "list", "--ags", HERNE, "--json",
                                          "--db", db]).stdout)  # fmt: skip
    assert [(r["scope"], r["title"], r["in_catalog"]) for r in rows] == [
        (BUDGETING, "Nachhaltigkeitshaushalt", True),
        (ORPHAN, None, False),
    ]


def test_list_without_targets_and_of_an_unknown_municipality(db: str) -> None:
    empty = runner.invoke(app, ["targets", "list", "--ags", KOELN, "--db", db])
    assert empty.exit_code == 0, empty.output
    assert empty.stdout.startswith(f"No targets for {KOELN}.")
    assert (
        json.loads(
            runner.invoke(app, ["targets", "list", "--ags", KOELN, "--json", "--db", db]).stdout
        )
        == []
    )
    unknown = runner.invoke(app, ["targets", "list", "--ags", UNKNOWN_AGS, "--db", db])
    assert unknown.exit_code == 1
    assert f"no municipality with AGS {UNKNOWN_AGS}" in unknown.stderr


def test_clear_one_or_all(db: str) -> None:
    for scope_option, scope in (("--dimension", PROCUREMENT), ("--criterion", BINDING_POLICY),
                                ("--dimension", BUDGETING)):  # fmt: skip
        result = runner.invoke(app, ["targets", "set", "--ags", HERNE, scope_option, scope,
                                     "--level", "2", "--db", db])  # fmt: skip
        assert result.exit_code == 0, result.output
    one = runner.invoke(app, ["targets", "clear", "--ags", HERNE, "--criterion", BINDING_POLICY,
                              "--db", db])  # fmt: skip
    assert one.exit_code == 0, one.output
    assert one.stdout.strip() == f"cleared 1 target(s) of {HERNE}"
    again = runner.invoke(app, ["targets", "clear", "--ags", HERNE, "--criterion", BINDING_POLICY,
                                "--db", db])  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "nothing was cleared" in again.stdout
    every = runner.invoke(app, ["targets", "clear", "--ags", HERNE, "--db", db])
    assert every.exit_code == 0, every.output
    assert every.stdout.strip() == f"cleared 2 target(s) of {HERNE}"
    with open_store(db) as store:
        assert TargetRepository(store).for_municipality(HERNE) == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "5"], "error: --level: a target level must be 0–4, found 5"),
        (["--level", "-1"], "error: --level: a target level must be 0–4, found -1"),
        (["--level", "x"], "error: --level: expected a whole number 0–4, found 'x'"),
        (["--level", "2.5"], "error: --level: expected a whole number 0–4, found '2.5'"),
        (["--level", "3", "--note", "a\x07b"], "error: --note: a note may not contain control"),
        (["--level", "3", "--note", "x" * 1001], "error: --note: a note may have at most 1,000"),
    ],
    ids=["level-5", "level-negative", "level-text", "level-fraction", "note-bell", "note-long"],
)
def test_set_refuses_a_bad_level_or_note(db: str, args: list[str], message: str) -> None:
    result = runner.invoke(
        app, ["targets", "set", "--ags", HERNE, "--dimension", PROCUREMENT, *args, "--db", db]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(message), result.stderr
    with open_store(db) as store:
        assert target_rows(store) == []


@pytest.mark.parametrize(
    ("scope_args", "message"),
    [
        ([], "give --dimension ID or --criterion DIMENSION.CRITERION"),
        (["--dimension", PROCUREMENT, "--criterion", BINDING_POLICY], "not both"),
        (["--dimension", BINDING_POLICY], "--dimension: 'procurement.binding_policy' is not a"),
        (["--criterion", PROCUREMENT], "for a dimension use --dimension procurement"),
        (["--criterion", "binding_policy"], f"did you mean '{BINDING_POLICY}'"),
        (["--dimension", "procurment"], "--dimension: unknown target scope 'procurment'"),
        (["--criterion", "procurement.nothing"], "--criterion: unknown target scope"),
    ],
    ids=[
        "neither",
        "both",
        "criterion-as-dimension",
        "dimension-as-criterion",
        "short-id",
        "typo",
        "unknown-criterion",
    ],
)
def test_set_needs_exactly_one_known_scope(db: str, scope_args: list[str], message: str) -> None:
    result = runner.invoke(
        app, ["targets", "set", "--ags", HERNE, *scope_args, "--level", "3", "--db", db]
    )
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_clear_refuses_both_scopes(db: str) -> None:
    result = runner.invoke(app, ["targets", "clear", "--ags", HERNE, "--dimension", PROCUREMENT,
                                 "--criterion", BINDING_POLICY, "--db", db])  # fmt: skip
    assert result.exit_code == 1
    assert "not both" in result.stderr


@pytest.mark.parametrize("command", ["set", "list", "clear"])
def test_bad_ags_exits_1_before_the_database_is_touched(tmp_path: Path, command: str) -> None:
    db = tmp_path / "nhm.duckdb"
    extra = ["--dimension", PROCUREMENT, "--level", "3"] if command == "set" else []
    result = runner.invoke(app, ["targets", command, "--ags", "5916000", *extra, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: --ags: expected the 8-digit AGS")
    assert not db.exists()


def test_set_for_an_unknown_municipality_exits_1(db: str) -> None:
    result = runner.invoke(app, ["targets", "set", "--ags", UNKNOWN_AGS, "--dimension",
                                 PROCUREMENT, "--level", "3", "--db", db])  # fmt: skip
    assert result.exit_code == 1
    assert f"error: no municipality with AGS {UNKNOWN_AGS}" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["set", "--ags", HERNE, "--dimension", PROCUREMENT, "--level", "3"],
        ["list", "--ags", HERNE],
    ],
    ids=["set", "list"],
)
def test_database_held_by_another_process_exits_2(
    db: str, nhm_cli: Cli, hold_database: Callable[[Path], int], args: list[str]
) -> None:
    pid = hold_database(Path(db))
    result = nhm_cli("targets", *args, "--db", db)
    assert result.returncode == 2, result.stderr
    assert db in result.stderr and f"PID {pid}" in result.stderr
    assert "Traceback" not in result.stderr
