"""Accounts, roles, password sign-in with lock-out, principals and ``nhm users``/``nhm audit``.

argon2 is slow by design: every test hashes with a cheap argon2id hasher (the production
default is swapped for it), and one test checks the production parameters.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, Type
from typer.testing import CliRunner

from nhm.auth import passwords
from nhm.auth.accounts import (
    AccountConflictError,
    AccountInvalidError,
    AccountNotFoundError,
    AccountRepository,
    Role,
)
from nhm.auth.passwords import PasswordPolicyError, check_password_policy, policy_problems
from nhm.auth.principal import Principal, local_principal
from nhm.auth.settings import AuthMode, AuthSettingsError, auth_mode
from nhm.auth.signin import (
    INVALID_NAME,
    Refusal,
    RefusalReason,
    authenticate,
    lock_duration,
    session_valid,
)
from nhm.cli import app
from nhm.cli_data import current_actor
from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import Store, database, open_store

PRODUCTION = passwords.default_hasher()  # captured before any test swaps it
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
HERNE, KOELN, UNKNOWN_AGS = "05916000", "05315000", "09999999"
ACTOR = "admin-test"
PASSWORD = "korrekt Pferd Batterie"
T0 = datetime(2025, 3, 1, 9, 0, 0)

runner = CliRunner()


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The production hasher replaced by a cheap argon2id one (also for the CLI)."""
    monkeypatch.setattr(passwords, "_DEFAULT", FAST)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A database with Herne and Köln in the directory and one ring."""
    path = tmp_path_factory.mktemp("auth") / "nhm.duckdb"
    with open_store(path) as store:
        for ags, name in [(HERNE, "Herne"), (KOELN, "Köln")]:
            store.municipalities.save(
                Municipality(ags=ags, name=name, kind=MunicipalityKind.KREISFREIE_STADT), ACTOR
            )
        ring = store.rings.create("Ring West", "Koordination West", ACTOR, period=2025)
    return path, ring.id


@pytest.fixture
def db(template: tuple[Path, int], tmp_path: Path) -> Path:
    return Path(shutil.copyfile(template[0], tmp_path / "nhm.duckdb"))


@pytest.fixture
def ring_id(template: tuple[Path, int]) -> int:
    return template[1]


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with open_store(db) as opened:
        yield opened


@pytest.fixture
def accounts(store: Store) -> AccountRepository:
    return AccountRepository(store, FAST)


def audit_rows(store: Store, prefix: str | None = None) -> list[tuple[str, str, str, Any]]:
    """(actor, action, entity key, detail) of the user entries, oldest first."""
    entries = store.audit.entries(entity="user", action_prefix=prefix)
    return [(e.actor, e.action, e.entity_key, e.detail) for e in reversed(entries)]


def all_audit_text(store: Store) -> str:
    with store.cursor() as cursor:
        return repr(cursor.execute("SELECT * FROM audit_log").fetchall())


def stored_hash(store: Store, username: str) -> str | None:
    with store.cursor() as cursor:
        row = cursor.execute(
            "SELECT password_hash FROM user_account WHERE username = ?", [username]
        ).fetchone()
    assert row is not None
    return row[0]


def cli(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input)


# --- passwords --------------------------------------------------------------------------------


def test_production_hasher_is_argon2id_with_the_library_defaults() -> None:
    defaults = PasswordHasher()
    assert PRODUCTION.type is Type.ID
    assert (PRODUCTION.time_cost, PRODUCTION.memory_cost, PRODUCTION.parallelism) == (
        defaults.time_cost,
        defaults.memory_cost,
        defaults.parallelism,
    )
    hashed = passwords.hash_password(PASSWORD, PRODUCTION)
    assert hashed.startswith(
        f"$argon2id$v=19$m={defaults.memory_cost},t={defaults.time_cost},p={defaults.parallelism}$"
    )
    assert passwords.verify_password(hashed, PASSWORD, PRODUCTION)
    assert not passwords.needs_rehash(hashed, PRODUCTION)


def test_hashes_are_salted_argon2id_and_verify() -> None:
    first, second = passwords.hash_password(PASSWORD), passwords.hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and first != second  # salted
    assert passwords.verify_password(first, PASSWORD)
    assert not passwords.verify_password(first, PASSWORD + "!")
    assert not passwords.verify_password("not a hash", PASSWORD)
    stronger = PasswordHasher(time_cost=2, memory_cost=8, parallelism=1)
    assert passwords.needs_rehash(first, stronger)
    assert not passwords.needs_rehash(first, FAST)


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("kurz", ["at least 12 characters (it has 4)"]),
        ("123456789012345", ["must not consist of digits only"]),
        ("1234", ["at least 12 characters (it has 4)", "digits only"]),
        ("Alice.Example", ["must not be the user name"]),
        ("x" * 1025, ["at most 1024 characters"]),
        (PASSWORD, []),
    ],
)
def test_password_policy_names_every_problem(password: str, problems: list[str]) -> None:
    found = policy_problems(password, "alice.example")
    assert len(found) == len(problems)
    for message, expected in zip(found, problems, strict=True):
        assert expected in message
    if problems:
        with pytest.raises(PasswordPolicyError) as info:
            check_password_policy(password, "alice.example")
        assert info.value.problems == found
        assert info.value.field == "password"


# --- accounts ---------------------------------------------------------------------------------


def test_add_stores_an_argon2id_hash_and_audits_without_it(
    accounts: AccountRepository, store: Store
) -> None:
    account = accounts.add(
        " Alice ",
        ACTOR,
        email="Alice@Example.DE",
        display_name=" Alice  Arendt ",
        password=PASSWORD,
    )
    assert (account.username, account.email, account.display_name) == (
        "alice",
        "alice@example.de",
        "Alice Arendt",
    )
    assert account.has_password and not account.disabled and account.grants == ()
    assert not hasattr(account, "password_hash")
    assert stored_hash(store, "alice").startswith("$argon2id$")  # type: ignore[union-attr]
    assert accounts.get("ALICE") == account
    assert accounts.get_by_email("alice@example.de") == account
    assert audit_rows(store, "user.") == [
        (
            ACTOR,
            "user.added",
            "alice",
            {"email": "alice@example.de", "display_name": "Alice Arendt", "password": True},
        )
    ]
    assert PASSWORD not in all_audit_text(store)
    assert "$argon2" not in all_audit_text(store)


def test_add_refuses_bad_names_duplicates_and_weak_passwords(
    accounts: AccountRepository, store: Store
) -> None:
    accounts.add("alice", ACTOR, email="alice@example.de", password=PASSWORD)
    cases: list[tuple[dict[str, Any], type[Exception], str, str]] = [
        ({"username": "al"}, AccountInvalidError, "username", "3–64 characters"),
        ({"username": "a b c"}, AccountInvalidError, "username", "3–64 characters"),
        ({"username": "x" * 65}, AccountInvalidError, "username", "3–64 characters"),
        ({"username": "alice"}, AccountConflictError, "username", "already exists"),
        ({"email": "ALICE@example.de"}, AccountConflictError, "email", "another user"),
        ({"email": "no-address"}, AccountInvalidError, "email", "not an e-mail address"),
        ({"password": "bob-the-user"}, PasswordPolicyError, "password", "not be the user name"),
        ({"password": "123456789012"}, PasswordPolicyError, "password", "digits only"),
    ]
    for change, error, field, message in cases:
        arguments = {"username": "bob-the-user", "password": PASSWORD, **change}
        username = arguments.pop("username")
        with pytest.raises(error, match=message) as info:
            accounts.add(username, ACTOR, **arguments)
        assert info.value.field == field  # type: ignore[attr-defined]
    assert [a.username for a in accounts.list()] == ["alice"]
    assert len(audit_rows(store, "user.")) == 1


def test_account_without_password_is_for_oidc(accounts: AccountRepository, store: Store) -> None:
    account = accounts.add("oidc.user@example.de", ACTOR)
    assert not account.has_password
    assert stored_hash(store, "oidc.user@example.de") is None


def test_password_disable_unlock_and_remove_are_audited(
    accounts: AccountRepository, store: Store
) -> None:
    accounts.add("alice", ACTOR, password=PASSWORD)
    before = stored_hash(store, "alice")
    accounts.set_password("alice", "ein neues Passwort", ACTOR)
    assert stored_hash(store, "alice") != before
    with pytest.raises(PasswordPolicyError):
        accounts.set_password("alice", "kurz", ACTOR)
    with pytest.raises(AccountNotFoundError, match="no user 'nobody'"):
        accounts.set_password("nobody", PASSWORD, ACTOR)
    accounts.disable("alice", ACTOR)
    assert accounts.require("alice").disabled
    accounts.set_disabled("alice", False, ACTOR)
    accounts.unlock("alice", ACTOR)
    accounts.grant("alice", "viewer", ACTOR, ags=HERNE)
    accounts.remove("alice", ACTOR)
    assert accounts.get("alice") is None
    with pytest.raises(AccountNotFoundError):
        accounts.remove("alice", ACTOR)
    assert [(action, key) for _, action, key, _ in audit_rows(store)] == [
        ("user.added", "alice"),
        ("user.password_set", "alice"),
        ("user.disabled", "alice"),
        ("user.enabled", "alice"),
        ("user.unlocked", "alice"),
        ("role.granted", "alice"),
        ("user.removed", "alice"),
    ]
    assert audit_rows(store, "user.removed")[0][3] == {"grants": [f"viewer of {HERNE}"]}
    with store.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM user_grant").fetchone() == (0,)
    assert "ein neues Passwort" not in all_audit_text(store)


# --- grants -----------------------------------------------------------------------------------


def test_grants_are_validated(accounts: AccountRepository, store: Store, ring_id: int) -> None:
    accounts.add("alice", ACTOR, password=PASSWORD)
    cases: list[tuple[str, dict[str, Any], type[Exception], str, str]] = [
        ("boss", {}, AccountInvalidError, "role", "expected one of admin, editor"),
        ("editor", {}, AccountInvalidError, "ags", "needs the AGS"),
        ("viewer", {"ags": "5916000"}, AccountInvalidError, "ags", "8-digit AGS"),
        ("editor", {"ags": UNKNOWN_AGS}, AccountNotFoundError, "ags", "no municipality"),
        ("editor", {"ags": HERNE, "ring_id": ring_id}, AccountInvalidError, "ring", "not for"),
        ("coordinator", {}, AccountInvalidError, "ring", "needs a ring"),
        ("coordinator", {"ring_id": 999}, AccountNotFoundError, "ring", "no ring with id 999"),
        ("coordinator", {"ring_id": ring_id, "ags": HERNE}, AccountInvalidError, "ags", "not"),
        ("admin", {"ags": HERNE}, AccountInvalidError, "ags", "neither"),
    ]
    for role, scope, error, field, message in cases:
        with pytest.raises(error, match=message) as info:
            accounts.grant("alice", role, ACTOR, **scope)
        assert info.value.field == field  # type: ignore[attr-defined]
    with pytest.raises(AccountNotFoundError, match="no user 'bob'"):
        accounts.grant("bob", "admin", ACTOR)
    assert accounts.require("alice").grants == ()
    assert audit_rows(store, "role.") == []


def test_grant_list_and_revoke(accounts: AccountRepository, store: Store, ring_id: int) -> None:
    accounts.add("alice", ACTOR, password=PASSWORD)
    accounts.add("bob", ACTOR, password=PASSWORD)
    accounts.grant("alice", "editor", ACTOR, ags=HERNE)
    accounts.grant("alice", Role.viewer, ACTOR, ags=KOELN)
    accounts.grant("alice", "coordinator", ACTOR, ring_id=ring_id)
    accounts.grant("bob", "ADMIN", ACTOR)
    with pytest.raises(AccountConflictError, match=f"already editor of {HERNE}"):
        accounts.grant("alice", "editor", ACTOR, ags=HERNE)
    with pytest.raises(AccountConflictError, match="already admin"):
        accounts.grant("bob", "admin", ACTOR)
    listed = {a.username: [g.describe() for g in a.grants] for a in accounts.list()}
    assert listed == {
        "alice": [f"coordinator of ring {ring_id}", f"editor of {HERNE}", f"viewer of {KOELN}"],
        "bob": ["admin"],
    }
    accounts.revoke("alice", "viewer", ACTOR, ags=KOELN)
    with pytest.raises(AccountNotFoundError, match=f"not viewer of {KOELN}"):
        accounts.revoke("alice", "viewer", ACTOR, ags=KOELN)
    principal = accounts.principal("alice")
    assert principal.editor_ags == {HERNE} and principal.viewer_ags == set()
    assert principal.coordinator_rings == {ring_id} and not principal.is_admin
    assert accounts.principal("bob").is_admin
    assert [(action, key, detail) for _, action, key, detail in audit_rows(store, "role.")] == [
        ("role.granted", "alice", {"role": "editor", "ags": HERNE, "ring_id": None}),
        ("role.granted", "alice", {"role": "viewer", "ags": KOELN, "ring_id": None}),
        ("role.granted", "alice", {"role": "coordinator", "ags": None, "ring_id": ring_id}),
        ("role.granted", "bob", {"role": "admin", "ags": None, "ring_id": None}),
        ("role.revoked", "alice", {"role": "viewer", "ags": KOELN, "ring_id": None}),
    ]


# --- principals -------------------------------------------------------------------------------


def test_principal_rights() -> None:
    editor = Principal("e", "E", editor_ags=frozenset({HERNE}))
    viewer = Principal("v", "V", viewer_ags=frozenset({HERNE}))
    coordinator = Principal("c", "C", coordinator_rings=frozenset({3}))
    admin = Principal("a", "A", is_admin=True)
    assert editor.can_read(HERNE) and editor.can_edit(HERNE)
    assert not editor.can_read(KOELN) and not editor.can_edit(KOELN)
    assert viewer.can_read(HERNE) and not viewer.can_edit(HERNE) and not viewer.can_read(KOELN)
    assert coordinator.can_coordinate(3) and not coordinator.can_coordinate(4)
    assert not coordinator.can_read(HERNE) and not editor.can_coordinate(3)
    assert admin.can_read(KOELN) and admin.can_edit(KOELN) and admin.can_coordinate(99)
    assert editor.readable_ags == {HERNE} and viewer.readable_ags == {HERNE}
    assert coordinator.readable_ags == frozenset() and admin.readable_ags is None


def test_local_principal_has_all_rights_under_the_os_user() -> None:
    local = local_principal()
    assert local.is_local and local.is_admin
    assert local.username == current_actor()
    assert local.readable_ags is None and local.can_edit(HERNE)


def test_auth_mode_from_the_environment() -> None:
    assert auth_mode({}) is AuthMode.none
    assert auth_mode({"NHM_AUTH": ""}) is AuthMode.none
    assert auth_mode({"NHM_AUTH": " Accounts "}) is AuthMode.accounts
    assert auth_mode({"NHM_AUTH": "oidc"}) is AuthMode.oidc
    with pytest.raises(AuthSettingsError, match="NHM_AUTH must be one of none, accounts, oidc"):
        auth_mode({"NHM_AUTH": "ldap"})


def test_session_expiry() -> None:
    assert session_valid(T0, T0 + timedelta(minutes=10), T0 + timedelta(minutes=39))
    assert not session_valid(T0, T0 + timedelta(minutes=10), T0 + timedelta(minutes=40))
    late = T0 + timedelta(hours=12)
    assert session_valid(T0, late - timedelta(minutes=1), late - timedelta(seconds=1))
    assert not session_valid(T0, late - timedelta(minutes=1), late)
    assert session_valid(T0, T0, T0 + timedelta(minutes=5), idle=timedelta(minutes=10))


# --- signing in -------------------------------------------------------------------------------


def sign_in(store: Store, username: str, password: str, at: datetime) -> Principal | Refusal:
    return authenticate(store, username, password, at, hasher=FAST)


def test_sign_in_returns_the_principal_and_is_audited(
    accounts: AccountRepository, store: Store
) -> None:
    accounts.add("alice", ACTOR, display_name="Alice Arendt", password=PASSWORD)
    accounts.grant("alice", "editor", ACTOR, ags=HERNE)
    principal = sign_in(store, " Alice ", PASSWORD, T0)
    assert principal == Principal("alice", "Alice Arendt", editor_ags=frozenset({HERNE}))
    assert accounts.require("alice").last_sign_in_at == T0
    assert audit_rows(store, "auth.") == [("alice", "auth.sign_in", "alice", None)]


def test_lock_out_doubles_up_to_fifteen_minutes() -> None:
    assert [lock_duration(n) for n in range(5)] == [None] * 5
    seconds = [lock_duration(n).total_seconds() for n in range(5, 13)]  # type: ignore[union-attr]
    assert seconds == [30, 60, 120, 240, 480, 900, 900, 900]
    assert lock_duration(10_000) == timedelta(minutes=15)


def test_lock_out_with_an_injected_clock(accounts: AccountRepository, store: Store) -> None:
    accounts.add("alice", ACTOR, password=PASSWORD)
    for attempt in range(4):
        refusal = sign_in(store, "alice", "falsches Passwort", T0 + timedelta(seconds=attempt))
        assert refusal == Refusal(RefusalReason.wrong_password)
    now = T0 + timedelta(seconds=10)
    fifth = sign_in(store, "alice", "falsches Passwort", now)
    assert fifth == Refusal(RefusalReason.wrong_password, now + timedelta(seconds=30))
    assert "locked until 2025-03-01 09:00:40 UTC" in fifth.message  # type: ignore[union-attr]
    # During the lock-out even the right password is refused, without being checked.
    locked = sign_in(store, "alice", PASSWORD, now + timedelta(seconds=29))
    assert locked == Refusal(RefusalReason.locked, now + timedelta(seconds=30))
    assert "locked until 2025-03-01 09:00:40 UTC" in locked.message  # type: ignore[union-attr]
    assert accounts.require("alice").failed_sign_ins == 5  # not counted while locked
    # Each further failure after a lock-out doubles it, up to 15 minutes.
    expected = [60, 120, 240, 480, 900, 900]
    for seconds in expected:
        now = accounts.require("alice").locked_until  # type: ignore[assignment]
        refusal = sign_in(store, "alice", "falsches Passwort", now)
        assert refusal == Refusal(RefusalReason.wrong_password, now + timedelta(seconds=seconds)), (
            seconds
        )
    assert accounts.require("alice").failed_sign_ins == 5 + len(expected)
    # Once the lock has ended, the right password signs in and resets the count.
    after = accounts.require("alice").locked_until
    assert after is not None
    assert isinstance(sign_in(store, "alice", PASSWORD, after), Principal)
    account = accounts.require("alice")
    assert (account.failed_sign_ins, account.locked_until) == (0, None)
    assert sign_in(store, "alice", "falsches Passwort", after) == Refusal(
        RefusalReason.wrong_password
    )
    locks = [detail["seconds"] for _, _, _, detail in audit_rows(store, "auth.locked")]
    assert locks == [30, *expected]
    reasons = [detail["reason"] for _, _, _, detail in audit_rows(store, "auth.sign_in_failed")]
    assert reasons == ["wrong_password"] * 5 + ["locked"] + ["wrong_password"] * 7
    assert PASSWORD not in all_audit_text(store)


def test_success_resets_the_count_before_a_lock_out(
    accounts: AccountRepository, store: Store
) -> None:
    accounts.add("alice", ACTOR, password=PASSWORD)
    for _ in range(4):
        sign_in(store, "alice", "falsches Passwort", T0)
    assert isinstance(sign_in(store, "alice", PASSWORD, T0), Principal)
    for _ in range(4):
        assert sign_in(store, "alice", "falsches Passwort", T0).locked_until is None  # type: ignore[union-attr]
    assert accounts.require("alice").failed_sign_ins == 4


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified += 1
        return super().verify(hash, password)


def test_unknown_user_is_refused_like_a_wrong_password_and_audited(
    accounts: AccountRepository, store: Store
) -> None:
    accounts.add("alice", ACTOR, password=PASSWORD)
    hasher = CountingHasher()
    unknown = authenticate(store, "mallory", "geheimes Passwort 1", T0, hasher=hasher)
    assert unknown == Refusal(RefusalReason.unknown_user)
    assert hasher.verified == 1  # verified against the dummy hash: the same time as a real one
    wrong = authenticate(store, "alice", "geheimes Passwort 2", T0, hasher=hasher)
    assert hasher.verified == 2
    assert unknown.message == wrong.message == "The user name or the password is wrong."  # type: ignore[union-attr]
    # Input that cannot be a user name (perhaps a password typed into the wrong field).
    invalid = authenticate(store, "geheimes Passwort 3", "x", T0, hasher=hasher)
    assert invalid == Refusal(RefusalReason.unknown_user) and hasher.verified == 3
    failed = audit_rows(store, "auth.")
    assert failed == [
        ("mallory", "auth.sign_in_failed", "mallory", {"reason": "unknown_user"}),
        ("alice", "auth.sign_in_failed", "alice", {"reason": "wrong_password", "failures": 1}),
        (INVALID_NAME, "auth.sign_in_failed", INVALID_NAME, {"reason": "unknown_user"}),
    ]
    text = all_audit_text(store)
    assert all(f"geheimes Passwort {n}" not in text for n in (1, 2, 3))


def test_disabled_and_password_less_accounts_are_refused(
    accounts: AccountRepository, store: Store
) -> None:
    accounts.add("alice", ACTOR, password=PASSWORD)
    accounts.add("oidc-only", ACTOR)
    accounts.disable("alice", ACTOR)
    disabled = sign_in(store, "alice", PASSWORD, T0)
    assert disabled == Refusal(RefusalReason.disabled)
    assert "disabled" in disabled.message  # type: ignore[union-attr]
    assert sign_in(store, "alice", "falsches Passwort", T0) == Refusal(RefusalReason.wrong_password)
    assert sign_in(store, "oidc-only", PASSWORD, T0) == Refusal(RefusalReason.no_password)
    assert not any(action == "auth.sign_in" for _, action, _, _ in audit_rows(store))


def test_sign_in_rehashes_a_password_with_old_parameters(
    accounts: AccountRepository, store: Store
) -> None:
    accounts.add("alice", ACTOR, password=PASSWORD)
    assert ",t=1," in stored_hash(store, "alice")  # type: ignore[operator]
    stronger = PasswordHasher(time_cost=2, memory_cost=8, parallelism=1)
    assert isinstance(authenticate(store, "alice", PASSWORD, T0, hasher=stronger), Principal)
    assert ",t=2," in stored_hash(store, "alice")  # type: ignore[operator]
    assert audit_rows(store, "auth.sign_in") == [
        ("alice", "auth.sign_in", "alice", {"rehashed": True})
    ]
    assert isinstance(authenticate(store, "alice", PASSWORD, T0, hasher=stronger), Principal)


# --- the migration ----------------------------------------------------------------------------


def test_database_at_schema_4_gets_the_account_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.duckdb"
    shipped = database.migrations()
    assert [(n, name) for n, name, _ in shipped[4:5]] == [(5, "accounts")]
    with monkeypatch.context() as mp:  # an nhm that knows schema 4 only
        mp.setattr(database, "migrations", lambda: shipped[:4])
        with open_store(path) as old:
            old.municipalities.save(
                Municipality(ags=HERNE, name="Herne", kind=MunicipalityKind.KREISFREIE_STADT),
                ACTOR,
            )
            assert old.schema_version() == 4
    with open_store(path) as store:
        assert store.schema_version() == len(shipped)
        accounts = AccountRepository(store, FAST)
        accounts.add("alice", ACTOR, password=PASSWORD)
        accounts.grant("alice", "editor", ACTOR, ags=HERNE)
        assert accounts.principal("alice").can_edit(HERNE)


def test_the_schema_refuses_what_the_repository_refuses(store: Store) -> None:
    import duckdb

    now = T0
    bad_accounts = ["Alice", "al", "a b"]
    for name in bad_accounts:
        with pytest.raises(duckdb.ConstraintException), store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO user_account (username, created_at, created_by, updated_at) "
                "VALUES (?, ?, 'x', ?)",
                [name, now, now],
            )
    bad_grants = [("editor", None, None), ("admin", HERNE, None), ("coordinator", None, None)]
    for role, ags, ring in [*bad_grants, ("owner", None, None)]:
        with pytest.raises(duckdb.ConstraintException), store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO user_grant VALUES (1, ?, ?, ?, ?, 'x')", [role, ags, ring, now]
            )
    with pytest.raises(duckdb.ConstraintException), store.transaction() as cursor:
        for _ in range(2):  # NULL scopes count as equal for uniqueness
            cursor.execute("INSERT INTO user_grant VALUES (1, 'admin', NULL, NULL, ?, 'x')", [now])


# --- nhm users, nhm audit ---------------------------------------------------------------------


def test_users_add_list_and_remove(db: Path) -> None:
    added = cli(
        "users", "add", "Alice", "--email", "alice@example.de", "--name", "Alice Arendt",
        "--password-stdin", "--db", str(db), input=PASSWORD + "\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.stdout == "added user alice\n"
    prompted = cli("users", "add", "bob", "--db", str(db), input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    assert PASSWORD not in prompted.output  # hidden input
    oidc = cli("users", "add", "carol@example.de", "--no-password", "--db", str(db))
    assert oidc.exit_code == 0, oidc.output
    listed = cli("users", "list", "--json", "--db", str(db))
    assert listed.exit_code == 0, listed.output
    assert "$argon2" not in listed.stdout and "hash" not in listed.stdout
    rows = json.loads(listed.stdout)
    assert [(r["username"], r["password"]) for r in rows] == [
        ("alice", True),
        ("bob", True),
        ("carol@example.de", False),
    ]
    assert rows[0]["display_name"] == "Alice Arendt" and rows[0]["grants"] == []
    text = cli("users", "list", "--db", str(db)).stdout
    assert "alice (Alice Arendt) <alice@example.de>: no roles; last sign-in never" in text
    assert "carol@example.de: no roles; last sign-in never  [no password]" in text
    removed = cli("users", "remove", "bob", "--db", str(db))
    assert (removed.exit_code, removed.stdout) == (0, "removed user bob\n")
    with open_store(db) as store:
        assert [a.username for a in AccountRepository(store).list()] == [
            "alice",
            "carol@example.de",
        ]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["alice", "--password-stdin"], f"{PASSWORD}\n", "USERNAME: the user 'alice' already"),
        (["bob", "--password-stdin"], "kurz\n", "--password-stdin: the password must have at"),
        (["bob"], "123456789012\n123456789012\n", "password: the password must not consist"),
        (["bob", "--password-stdin"], "\n", "--password-stdin: standard input holds no"),
        (["b"], None, "USERNAME: a user name has 3–64 characters"),
        (["bob", "--email", "nope", "--no-password"], None, "--email: not an e-mail address"),
        (["bob", "--password-stdin", "--no-password"], None, "give either --password-stdin or"),
    ],
)
def test_users_add_refuses_with_the_argument_named(
    db: Path, args: list[str], stdin: str | None, message: str
) -> None:
    cli("users", "add", "alice", "--no-password", "--db", str(db))
    result = cli("users", "add", *args, "--db", str(db), input=stdin)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    with open_store(db) as store:
        assert [a.username for a in AccountRepository(store).list()] == ["alice"]


def test_users_add_prompt_needs_the_same_password_twice(db: Path) -> None:
    result = cli("users", "add", "bob", "--db", str(db), input=f"{PASSWORD}\nanderes Passwort\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    with open_store(db) as store:
        assert AccountRepository(store).list() == []


def test_users_grant_revoke_set_password_and_unlock(db: Path, ring_id: int) -> None:
    assert cli("users", "add", "alice", "--no-password", "--db", str(db)).exit_code == 0
    for args, output in [
        (["--role", "editor", "--ags", HERNE], f"alice is now editor of {HERNE}\n"),
        (["--role", "coordinator", "--ring", "ring west"], f"now coordinator of ring {ring_id}"),
        (["--role", "viewer", "--ags", KOELN], f"alice is now viewer of {KOELN}\n"),
    ]:
        result = cli("users", "grant", "alice", *args, "--db", str(db))
        assert result.exit_code == 0, result.output
        assert output in result.stdout
    for args, message in [
        (["--role", "owner"], "--role: expected one of admin, editor, viewer, coordinator"),
        (["--role", "editor"], "--ags: the role editor needs the AGS"),
        (["--role", "editor", "--ags", UNKNOWN_AGS], f"--ags: no municipality with AGS {UNKNOWN_AGS}"),  # noqa: E501
        (["--role", "coordinator", "--ring", "Ring Ost"], "--ring: there is no ring"),
        (["--role", "coordinator", "--ring", "999"], "--ring: there is no ring with id 999"),
        (["--role", "editor", "--ags", HERNE], f"--role: alice is already editor of {HERNE}"),
    ]:  # fmt: skip
        result = cli("users", "grant", "alice", *args, "--db", str(db))
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"error: {message}"), result.stderr
    unknown = cli("users", "grant", "nobody", "--role", "admin", "--db", str(db))
    assert unknown.stderr.startswith("error: USERNAME: there is no user 'nobody'")
    revoked = cli("users", "revoke", "alice", "--role", "viewer", "--ags", KOELN, "--db", str(db))
    assert revoked.stdout == f"alice is no longer viewer of {KOELN}\n"
    again = cli("users", "revoke", "alice", "--role", "viewer", "--ags", KOELN, "--db", str(db))
    assert again.exit_code == 1 and f"alice is not viewer of {KOELN}" in again.stderr
    weak = cli("users", "set-password", "alice", "--password-stdin", "--db", str(db), input="x\n")
    assert weak.exit_code == 1 and "--password-stdin: the password must" in weak.stderr
    nobody = cli("users", "set-password", "nobody", "--password-stdin", "--db", str(db))
    assert nobody.exit_code == 1 and "there is no user 'nobody'" in nobody.stderr
    args = ["users", "set-password", "alice", "--password-stdin", "--db", str(db)]
    assert cli(*args, input=PASSWORD + "\n").exit_code == 0
    with open_store(db) as store:
        for attempt in range(5):
            sign_in(store, "alice", "falsches Passwort", T0 + timedelta(seconds=attempt))
        assert AccountRepository(store).require("alice").locked_until is not None
        listed = json.loads(cli("users", "list", "--json", "--db", str(db)).stdout)
    assert listed[0]["failed_sign_ins"] == 5
    assert [g["role"] for g in listed[0]["grants"]] == ["coordinator", "editor"]
    assert cli("users", "unlock", "alice", "--db", str(db)).stdout == "unlocked alice\n"
    with open_store(db) as store:
        account = AccountRepository(store).require("alice")
        assert (account.failed_sign_ins, account.locked_until) == (0, None)
        assert isinstance(sign_in(store, "alice", PASSWORD, T0), Principal)
    assert cli("users", "disable", "alice", "--db", str(db)).stdout == "disabled alice\n"
    assert cli("users", "enable", "alice", "--db", str(db)).stdout == "enabled alice\n"


def test_audit_command_shows_newest_first_with_filters(db: Path) -> None:
    assert cli("users", "add", "alice", "--no-password", "--db", str(db)).exit_code == 0
    assert cli("users", "grant", "alice", "--role", "admin", "--db", str(db)).exit_code == 0
    with open_store(db) as store:
        sign_in(store, "alice", PASSWORD, T0)  # no password: refused, audited as alice
    result = cli("audit", "--json", "--db", str(db))
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids, reverse=True)
    assert [e["action"] for e in entries[:3]] == [
        "auth.sign_in_failed",
        "role.granted",
        "user.added",
    ]
    assert any(e["action"] == "ring.created" for e in entries)  # from the template
    users = json.loads(cli("audit", "--action", "user.", "--json", "--db", str(db)).stdout)
    assert [e["action"] for e in users] == ["user.added"]
    mine = json.loads(cli("audit", "--actor", current_actor(), "--json", "--db", str(db)).stdout)
    assert [e["action"] for e in mine] == ["role.granted", "user.added"]
    one = json.loads(cli("audit", "--limit", "1", "--json", "--db", str(db)).stdout)
    assert len(one) == 1 and one[0]["action"] == "auth.sign_in_failed"
    text = cli("audit", "--limit", "2", "--db", str(db)).stdout.splitlines()
    assert len(text) == 2
    assert "  alice  auth.sign_in_failed  user alice  " in text[0]
    assert '{"reason": "no_password"}' in text[0]
    assert f"  {current_actor()}  role.granted  user alice  " in text[1]
    nothing = cli("audit", "--actor", "nobody", "--db", str(db))
    assert nothing.stdout == "No audit entries match.\n"
    bad = cli("audit", "--limit", "0", "--db", str(db))
    assert bad.exit_code == 1 and bad.stderr.startswith("error: --limit: expected")


def test_serve_refuses_an_unknown_sign_in_mode_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHM_AUTH", "ldap")
    db = tmp_path / "nhm.duckdb"
    result = CliRunner().invoke(app, ["serve", "--db", str(db), "--port", "8765"])
    assert result.exit_code == 1
    assert "NHM_AUTH" in result.output and "ldap" in result.output
    assert not db.exists()


@pytest.mark.parametrize(("mode", "needs"), [("accounts", "a password"), ("oidc", "an e-mail")])
def test_serve_with_sign_in_refuses_a_database_nobody_could_sign_in_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, needs: str
) -> None:
    """Without an enabled administrator who can sign in, the app would be locked for good."""
    monkeypatch.setenv("NHM_AUTH", mode)
    db = tmp_path / "nhm.duckdb"
    with open_store(db) as store:
        accounts = AccountRepository(store, FAST)
        accounts.add("anna", "setup", password="ein-langes-Passwort-1")
        accounts.grant("anna", "admin", "setup")
        accounts.disable("anna", "setup")
        accounts.add("olaf", "setup", email="olaf@example.de")
    result = CliRunner().invoke(app, ["serve", "--db", str(db), "--port", "8765"])
    assert result.exit_code == 1
    assert f"NHM_AUTH={mode}: no enabled administrator account with {needs}" in result.output
    assert "nhm users grant" in result.output


def test_demo_with_a_sign_in_mode_stops_before_the_setup_and_says_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHM_AUTH", "accounts")
    db = tmp_path / "demo.duckdb"
    result = CliRunner().invoke(app, ["demo", "--db", str(db), "--port", "8765"])
    assert result.exit_code == 1
    assert "NHM_AUTH=accounts: nhm demo runs without sign-in" in result.output
    assert "nhm demo --setup-only" in result.output
    assert not db.exists()
