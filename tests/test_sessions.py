"""Sessions of signed-in users in the database (nhm.auth.sessions): tokens are stored only as
hashes, sessions expire after idle time and in any case, and ending one is logged."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from nhm.auth.sessions import TOUCH_EVERY, SessionRepository, token_hash
from nhm.auth.signin import SESSION_ABSOLUTE, SESSION_IDLE
from nhm.store import Store, open_store

START = datetime(2026, 3, 1, 9, 0)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "nhm.duckdb")


def sign_outs(store: Store) -> list[tuple[str, object]]:
    return [
        (entry.actor, (entry.detail or {}).get("reason"))
        for entry in store.audit.entries(action_prefix="auth.sign_out")
    ]


def test_only_the_hash_of_a_token_is_stored(store: Store) -> None:
    token = SessionRepository(store).begin("anna", START)
    with store.cursor() as cursor:
        stored = cursor.execute("SELECT token_hash FROM user_session").fetchall()
    assert stored == [(token_hash(token),)] and token not in str(stored)
    assert len(token) >= 40  # 32 random bytes, URL-safe


def test_a_session_is_used_until_it_idles_out_and_expiry_is_logged(store: Store) -> None:
    sessions = SessionRepository(store)
    token = sessions.begin("anna", START)
    assert sessions.use(token, START + TOUCH_EVERY) == ("anna", None)
    later = START + TOUCH_EVERY + SESSION_IDLE - timedelta(seconds=1)
    assert sessions.use(token, later) == ("anna", None)  # the use above kept it alive
    assert sessions.use(token, later + SESSION_IDLE) == (None, "expired")
    assert sessions.use(token, later + SESSION_IDLE) == (None, "ended")
    assert sign_outs(store) == [("anna", "expired")]


def test_a_busy_session_still_ends_after_the_absolute_limit(store: Store) -> None:
    sessions = SessionRepository(store)
    token = sessions.begin("anna", START)
    moment = START
    while moment < START + SESSION_ABSOLUTE - SESSION_IDLE:
        moment += SESSION_IDLE / 2
        assert sessions.use(token, moment) == ("anna", None)
    assert sessions.use(token, START + SESSION_ABSOLUTE) == (None, "expired")


def test_unknown_and_ended_tokens_are_refused_and_ending_twice_logs_once(store: Store) -> None:
    sessions = SessionRepository(store)
    token = sessions.begin("anna", START)
    assert sessions.use("not-a-token", START) == (None, "unknown")
    sessions.end(token, "signed_out", START)
    sessions.end(token, "signed_out", START)
    assert sessions.use(token, START) == (None, "ended")
    assert sign_outs(store) == [("anna", "signed_out")]


@pytest.mark.parametrize("change", ["set_password", "disable", "remove"])
def test_a_new_password_disabling_or_removal_ends_every_session_of_the_account(
    store: Store, change: str
) -> None:
    from argon2 import PasswordHasher

    from nhm.auth.accounts import AccountRepository

    accounts = AccountRepository(store, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    accounts.add("anna", "setup", password="ein-langes-Passwort-1")
    accounts.add("bert", "setup", password="ein-langes-Passwort-2")
    sessions = SessionRepository(store)
    now = datetime.now().replace(microsecond=0)
    tokens = [sessions.begin("anna", now), sessions.begin("anna", now)]
    other = sessions.begin("bert", now)
    if change == "set_password":
        accounts.set_password("anna", "ein-neues-Passwort-3", "setup")
    else:
        getattr(accounts, change)("anna", "setup")
    assert [sessions.use(token, now)[0] for token in tokens] == [None, None]
    assert sessions.use(other, now) == ("bert", None)
    if change == "remove":  # a new account under the old name does not inherit them
        accounts.add("anna", "setup", password="ein-langes-Passwort-4")
        assert [sessions.use(token, now)[0] for token in tokens] == [None, None]


def test_setting_ones_own_password_keeps_the_session_in_use_and_logs_the_others(
    store: Store,
) -> None:
    from argon2 import PasswordHasher

    from nhm.auth.accounts import AccountRepository

    accounts = AccountRepository(store, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    accounts.add("anna", "setup", password="ein-langes-Passwort-1")
    sessions = SessionRepository(store)
    now = datetime.now().replace(microsecond=0)
    here, elsewhere = sessions.begin("anna", now), sessions.begin("anna", now)
    accounts.set_password("anna", "ein-neues-Passwort-3", "anna", keep_session=token_hash(here))
    assert sessions.use(here, now) == ("anna", None)
    assert sessions.use(elsewhere, now) == (None, "ended")
    assert sign_outs(store) == [("anna", "password_changed")]
