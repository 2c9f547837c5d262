"""``--as USER`` on the command line: an account's roles decide what a command may read and
change, every refusal is logged as ``access.denied`` and every export as ``export.*``.

The template database holds two (fictional) municipalities with assessments, A (Musterstadt)
and B (Beispielhausen), two rings and accounts without passwords (no hashing needed): an
editor and a viewer of A, the coordinator of the first ring, an admin and a disabled editor.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from db_snapshot import db_snapshot_of
from typer.testing import CliRunner

from nhm.auth.accounts import AccountRepository
from nhm.catalog import load_catalog
from nhm.cli import app
from nhm.cli_data import current_actor
from nhm.exchange.importer import import_assessment_files
from nhm.store import Store, open_store
from nhm.store.audit import AuditEntry

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "assessments"
A, B = "05199000", "09199112"  # Musterstadt, Beispielhausen
A_2024 = EXAMPLES_DIR / "musterstadt-2024.json"  # not in the template: A's editor imports it
OTHER = EXAMPLES_DIR / "kleinmusterdorf-2025.json"  # a municipality nobody may edit
PERIOD = "2025"
ACTOR = "access-test"
EDITOR, VIEWER, COORDINATOR, ADMIN, GONE = "editor-a", "viewer-a", "coord", "boss", "gone"

runner = CliRunner()


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("access") / "nhm.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NHM_PLUGIN_DIRS", raising=False)
        mp.delenv("NHM_DISABLE_PLUGINS", raising=False)
        catalog, _ = load_catalog()
    files = [EXAMPLES_DIR / "musterstadt-2025.json", EXAMPLES_DIR / "beispielhausen-2025.json"]
    with open_store(path) as store:
        report = import_assessment_files(store, files, catalog, ACTOR)
        assert report.ok, report.errors
        first = store.rings.create("Ring Eins", "Koordination Eins", ACTOR, period=2025)
        second = store.rings.create("Ring Zwei", "Koordination Zwei", ACTOR, period=2025)
        for ring, members in ((first, [A, B]), (second, [B])):
            for ags in members:
                store.rings.add_member(ring.id, ags, ACTOR)
        accounts = AccountRepository(store)
        for name in (EDITOR, VIEWER, COORDINATOR, ADMIN, GONE):
            accounts.add(name, ACTOR)
        accounts.grant(EDITOR, "editor", ACTOR, ags=A)
        accounts.grant(VIEWER, "viewer", ACTOR, ags=A)
        accounts.grant(COORDINATOR, "coordinator", ACTOR, ring_id=first.id)
        accounts.grant(ADMIN, "admin", ACTOR)
        accounts.grant(GONE, "editor", ACTOR, ags=A)
        accounts.disable(GONE, ACTOR)
    return path, {"first": first.id, "second": second.id}


@pytest.fixture
def db(template: tuple[Path, dict[str, int]], tmp_path: Path) -> Path:
    return Path(shutil.copyfile(template[0], tmp_path / "nhm.duckdb"))


@pytest.fixture
def rings(template: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return template[1]


def cli(db: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--db", str(db)])


def audit(db: Path, prefix: str) -> list[AuditEntry]:
    """The entries whose action starts with ``prefix``, oldest first."""
    with open_store(db) as store:
        return list(reversed(_entries(store, prefix)))


def _entries(store: Store, prefix: str) -> list[AuditEntry]:
    return store.audit.entries(action_prefix=prefix)


def refused_as(result: Any, user: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"error: --as {user}: {user} may not "), result.stderr
    assert "Traceback" not in result.output and "unexpected" not in result.stderr


def without_audit(snapshot: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    return {table: value for table, value in snapshot.items() if table != "audit_log"}


# --- reading and changing another municipality ------------------------------------------------


def _other_municipality(out: Path) -> dict[str, list[str]]:
    where = ["--ags", B]
    return {
        "nhm export": ["export", *where, "--period", PERIOD, "--out", str(out / "b.json")],
        "nhm score": ["score", *where, "--period", PERIOD],
        "nhm benchmark": ["benchmark", *where, "--period", PERIOD],
        "nhm report": ["report", *where, "--period", PERIOD, "--out", str(out / "b.html")],
        "nhm targets list": ["targets", "list", *where],
        "nhm targets set": [
            *["targets", "set", *where],
            *["--dimension", "governance_actors", "--level", "3"],
        ],
        "nhm targets clear": ["targets", "clear", *where],
        "nhm assessments list": ["assessments", "list", *where],
    }


@pytest.mark.parametrize("command", list(_other_municipality(Path())))
def test_an_editor_is_refused_another_municipality_and_the_refusal_is_logged(
    db: Path, tmp_path: Path, command: str
) -> None:
    args = _other_municipality(tmp_path)[command]
    before = without_audit(db_snapshot_of(db))
    result = cli(db, *args, "--as", EDITOR)
    refused_as(result, EDITOR)
    right = "change" if command.startswith("nhm targets s") or "clear" in command else "read"
    assert f"{EDITOR} may not {right} the data of municipality {B}" in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == [tmp_path / "nhm.duckdb"]  # no file written
    assert without_audit(db_snapshot_of(db)) == before
    denied = audit(db, "access.denied")
    assert [(e.actor, e.entity, e.entity_key) for e in denied] == [(EDITOR, "municipality", B)]
    assert denied[0].detail == {"right": "edit" if right == "change" else "read", "via": command}


def test_an_editor_works_on_its_own_municipality_as_itself(db: Path, tmp_path: Path) -> None:
    where = ["--ags", A, "--period", PERIOD, "--as", EDITOR]
    exported = cli(db, "export", *where, "--out", str(tmp_path / "a.json"))
    assert exported.exit_code == 0, exported.output
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["period"] == 2025
    score = cli(db, "score", *where, "--json")
    assert score.exit_code == 0, score.output
    assert json.loads(score.stdout)["ags"] == A
    benchmark = cli(db, "benchmark", *where)
    assert benchmark.exit_code == 0, benchmark.output
    report = cli(db, "report", *where, "--out", str(tmp_path / "a.html"))
    assert report.exit_code == 0, report.output
    assert (tmp_path / "a.html").read_bytes().startswith(b"<!")

    target = ["--ags", A, "--as", EDITOR]
    set_ = cli(db, "targets", "set", *target, "--dimension", "governance_actors", "--level", "3")
    assert set_.exit_code == 0, set_.output
    listed = cli(db, "targets", "list", *target, "--json")
    assert listed.exit_code == 0, listed.output
    assert [row["set_by"] for row in json.loads(listed.stdout)] == [EDITOR]
    cleared = cli(db, "targets", "clear", *target)
    assert cleared.exit_code == 0 and "cleared 1 target(s)" in cleared.stdout

    exports = audit(db, "export.")
    assert [(e.actor, e.action, e.entity, e.entity_key) for e in exports] == [
        (EDITOR, "export.file", "assessment", f"{A}/{PERIOD}"),
        (EDITOR, "export.report", "assessment", f"{A}/{PERIOD}"),
    ]
    assert exports[0].detail == {"format": "json", "revision": 1, "file": "a.json"}
    assert exports[1].detail is not None and exports[1].detail["format"] == "html"
    assert {e.actor for e in audit(db, "target.")} == {EDITOR}
    assert audit(db, "access.denied") == []


def test_assessments_list_shows_only_what_the_account_may_read(db: Path) -> None:
    everything = json.loads(cli(db, "assessments", "list", "--json").stdout)
    assert {row["ags"] for row in everything} == {A, B}
    for user in (EDITOR, VIEWER):
        mine = cli(db, "assessments", "list", "--json", "--as", user)
        assert mine.exit_code == 0, mine.output
        assert {row["ags"] for row in json.loads(mine.stdout)} == {A}
    nothing = cli(db, "assessments", "list", "--as", COORDINATOR)
    assert nothing.exit_code == 0 and "No assessments" in nothing.stdout
    admin = json.loads(cli(db, "assessments", "list", "--json", "--as", ADMIN).stdout)
    assert admin == everything


def test_a_viewer_reads_but_may_not_import_or_set_targets(db: Path) -> None:
    score = cli(db, "score", "--ags", A, "--period", PERIOD, "--as", VIEWER)
    assert score.exit_code == 0, score.output
    before = without_audit(db_snapshot_of(db))
    for args in (
        ["import", str(A_2024)],
        ["import", "--dry-run", str(A_2024)],
        ["targets", "set", "--ags", A, "--dimension", "governance_actors", "--level", "2"],
        ["targets", "clear", "--ags", A],
    ):
        result = cli(db, *args, "--as", VIEWER)
        refused_as(result, VIEWER)
        assert f"may not change the data of municipality {A}" in result.stderr
    assert without_audit(db_snapshot_of(db)) == before
    vias = [e.detail["via"] for e in audit(db, "access.denied") if e.detail]
    assert vias == ["nhm import", "nhm import", "nhm targets set", "nhm targets clear"]


def test_import_as_an_editor_is_all_or_nothing_and_names_the_editor(db: Path) -> None:
    before = without_audit(db_snapshot_of(db))
    mixed = cli(db, "import", str(A_2024), str(OTHER), "--as", EDITOR)
    refused_as(mixed, EDITOR)
    assert "may not change the data of municipality 03399021" in mixed.stderr
    assert without_audit(db_snapshot_of(db)) == before  # not even A's file

    own = cli(db, "import", str(A_2024), "--as", EDITOR)
    assert own.exit_code == 0, own.output
    assert f"{A}/2024/r1 created" in own.stdout
    with open_store(db) as store:
        record = store.assessments.get(A, 2024)
    assert record is not None and record.updated_by == EDITOR


# --- who may act at all -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("nobody", "error: --as: there is no user 'nobody'"),
        (GONE, f"error: --as: the account '{GONE}' is disabled"),
    ],
)
def test_an_unknown_or_disabled_account_is_refused(db: Path, user: str, message: str) -> None:
    before = without_audit(db_snapshot_of(db))
    for args in (
        ["score", "--ags", A, "--period", PERIOD],
        ["targets", "set", "--ags", A, "--dimension", "governance_actors", "--level", "3"],
        ["audit"],
        ["ring", "list"],
    ):
        result = cli(db, *args, "--as", user)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.strip() == message, (args, result.stderr)
        assert result.stdout == ""
    assert without_audit(db_snapshot_of(db)) == before


def test_audit_users_and_the_directory_need_an_admin(db: Path) -> None:
    for args, via in (
        (["audit"], "nhm audit"),
        (["users", "list"], "nhm users list"),
        (["users", "add", "neu", "--no-password"], "nhm users add"),
        (["users", "grant", VIEWER, "--role", "editor", "--ags", B], "nhm users grant"),
        (["users", "disable", VIEWER], "nhm users disable"),
        (
            ["municipalities", "add", "--ags", "05315000", "--name", "Köln", "--kind", "stadt"],
            "nhm municipalities add",
        ),
    ):
        result = cli(db, *args, "--as", EDITOR)
        refused_as(result, EDITOR)
        assert f"{EDITOR} may not administer nhm" in result.stderr
        assert audit(db, "access.denied")[-1].detail == {"right": "admin", "via": via}
    with open_store(db) as store:
        assert AccountRepository(store).get("neu") is None
        assert store.municipalities.get("05315000") is None

    added = cli(db, "users", "add", "neu", "--no-password", "--as", ADMIN)
    assert added.exit_code == 0, added.output
    shown = cli(db, "audit", "--action", "user.added", "--json", "--as", ADMIN)
    assert shown.exit_code == 0, shown.output
    newest = json.loads(shown.stdout)[0]
    assert (newest["actor"], newest["entity_key"]) == (ADMIN, "neu")


# --- rings ------------------------------------------------------------------------------------


def test_a_coordinator_runs_only_its_own_ring(
    db: Path, tmp_path: Path, rings: dict[str, int]
) -> None:
    own, other = str(rings["first"]), str(rings["second"])
    listed = cli(db, "ring", "list", "--json", "--as", COORDINATOR)
    assert listed.exit_code == 0, listed.output
    assert [r["name"] for r in json.loads(listed.stdout)] == ["Ring Eins"]
    everything = json.loads(cli(db, "ring", "list", "--json", "--as", ADMIN).stdout)
    assert len(everything) == 2
    shown = cli(db, "ring", "show", own, "--as", COORDINATOR)
    assert shown.exit_code == 0, shown.output
    assert "ring " + own + " 'Ring Eins'" in shown.stdout

    report_out = tmp_path / "zwei.xlsx"
    ring_refusal = f"{COORDINATOR} may not run ring {other}"
    for args, refusal in (
        (["ring", "show", other], ring_refusal),
        (["ring", "report", other, "--out", str(report_out)], ring_refusal),
        (["ring", "import", other, str(A_2024)], ring_refusal),
        # a member's own view is for those who may read that municipality
        (["ring", "show", own, "--member", B], f"may not read the data of municipality {B}"),
        # membership is for administrators: a member's data can then be imported over
        (["ring", "add", own, B], "may not administer nhm"),
        (["ring", "remove", own, B], "may not administer nhm"),
        # consent is the member's decision, recorded by its editor
        (["ring", "consent", own, B, "--yes"], f"may not change the data of municipality {B}"),
    ):
        result = cli(db, *args, "--as", COORDINATOR)
        refused_as(result, COORDINATOR)
        assert refusal in result.stderr, args
    assert not report_out.exists()
    denied = audit(db, "access.denied")
    assert [(e.actor, e.entity, e.entity_key) for e in denied] == [
        (COORDINATOR, "ring", other),
        (COORDINATOR, "ring", other),
        (COORDINATOR, "ring", other),
        (COORDINATOR, "municipality", B),
        (COORDINATOR, "nhm", "admin"),
        (COORDINATOR, "nhm", "admin"),
        (COORDINATOR, "municipality", B),
    ]
    assert [e.detail["via"] for e in denied if e.detail] == [
        "nhm ring show",
        "nhm ring report",
        "nhm ring import",
        "nhm ring show --member",
        "nhm ring add",
        "nhm ring remove",
        "nhm ring consent",
    ]
    # the editor of a member sees that member's view of the ring, and records its consent
    member_view = cli(db, "ring", "show", own, "--member", A, "--as", EDITOR)
    assert member_view.exit_code == 0, member_view.output
    assert f"view: member {A}" in member_view.stdout
    consent = cli(db, "ring", "consent", own, A, "--yes", "--as", EDITOR)
    assert consent.exit_code == 0, consent.output
    created = cli(db, "ring", "create", "Ring Drei", "--period", "2025", "--as", COORDINATOR)
    refused_as(created, COORDINATOR)
    assert f"{COORDINATOR} may not administer nhm" in created.stderr

    out = tmp_path / "eins.xlsx"
    written = cli(db, "ring", "report", own, "--out", str(out), "--as", COORDINATOR)
    assert written.exit_code == 0, written.output
    assert out.read_bytes().startswith(b"PK")
    exports = audit(db, "export.")
    assert [(e.actor, e.action, e.entity, e.entity_key) for e in exports] == [
        (COORDINATOR, "export.ring_report", "ring", own)
    ]
    assert exports[0].detail is not None and exports[0].detail["format"] == "xlsx"


def test_as_with_an_ags_points_to_member(db: Path, rings: dict[str, int]) -> None:
    result = cli(db, "ring", "show", str(rings["first"]), "--as", A)
    assert result.exit_code == 1, result.output
    assert f"--as: there is no user '{A}'" in result.stderr
    assert f"use --member {A}" in result.stderr


# --- without --as -----------------------------------------------------------------------------


def test_without_as_the_local_user_may_do_everything_and_exports_are_logged(
    db: Path, tmp_path: Path
) -> None:
    exported = cli(db, "export", "--ags", B, "--period", PERIOD, "--out", str(tmp_path / "b.csv"))
    assert exported.exit_code == 0, exported.output
    report = cli(db, "report", "--ags", B, "--period", PERIOD, "--out", str(tmp_path / "b.html"))
    assert report.exit_code == 0, report.output
    assert cli(db, "audit").exit_code == 0
    exports = audit(db, "export.")
    assert [(e.actor, e.action, e.entity_key) for e in exports] == [
        (current_actor(), "export.file", f"{B}/{PERIOD}"),
        (current_actor(), "export.report", f"{B}/{PERIOD}"),
    ]
    assert audit(db, "access.denied") == []


def test_only_an_administrator_lowers_the_minimum_group_size(db: Path) -> None:
    lowered = ["benchmark", "--ags", A, "--period", "2025", "--min-group-size", "3"]
    refused = cli(db, *lowered, "--as", EDITOR)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: --min-group-size: below 5 only for administrators")
    assert cli(db, *lowered, "--as", ADMIN).exit_code == 0
    assert cli(db, *lowered).exit_code == 0  # the local user
