"""The administration page (Verwaltung): the audit log and the user accounts (Streamlit AppTest
on a database of its own).

As the single local user (NHM_AUTH unset) the tests are admin and reach the page through the
app. Other principals (an admin signed in with an account, a viewer) cannot be put into the
app: its frame sets the principal at the start of every run. So those tests run the view
itself in a small script that sets the principal first (:func:`admin_view`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    ACTOR,
    DE,
    EN,
    REAL,
    ROOT,
    add_municipalities,
    german_only_texts,
    labelled,
    open_app,
    rerun,
    use_database,
    values,
    visible_texts,
)

from nhm.auth import access
from nhm.auth.accounts import Account, AccountRepository, Role
from nhm.auth.principal import Principal
from nhm.store import open_store
from nhm.store.audit import AuditEntry
from nhm.store.database import utc_now
from nhm.ui import widgets
from nhm.ui.i18n import Text
from nhm.ui.views import admin

ADMIN_PAGE = str(ROOT / "nhm" / "ui" / "screens" / "admin.py")
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
"""A cheap hasher for accounts the tests set up (the app uses the production one)."""
PASSWORD = "korrekt Pferd Batterie"
SETUP = "test-setup"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NHM_AUTH", raising=False)
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


def add_account(path: Path, username: str, *roles: Role | tuple[Role, str], **fields: Any) -> None:
    """An account (with a password, set up cheaply) and its roles, as the CLI would add it."""
    with open_store(path) as store:
        accounts = AccountRepository(store, FAST)
        accounts.add(username, SETUP, password=PASSWORD, **fields)
        for role in roles:
            if isinstance(role, tuple):
                accounts.grant(username, role[0], SETUP, ags=role[1])
            else:
                accounts.grant(username, role, SETUP)


def account(path: Path, username: str) -> Account | None:
    with open_store(path) as store:
        return AccountRepository(store, FAST).get(username)


def audit(path: Path, action: str | None = None) -> list[AuditEntry]:
    with open_store(path) as store:
        return store.audit.entries(action_prefix=action)


def open_admin(lang: str | None = None) -> AppTest:
    """The administration page in a new session of the app, as the local user (admin)."""
    at = open_app(lang=lang)
    at.switch_page(ADMIN_PAGE)
    return rerun(at)


def admin_view(principal: object, lang: str = "de") -> None:
    """The view alone, for ``principal`` (a script for AppTest.from_function)."""
    import streamlit as st

    from nhm.ui import context
    from nhm.ui.views import admin

    st.session_state[context.LANG_KEY] = lang
    context.set_principal(principal)
    admin.render()


def open_view(principal: Principal, lang: str = "de") -> AppTest:
    at = AppTest.from_function(
        admin_view, default_timeout=60, kwargs={"principal": principal, "lang": lang}
    )
    return rerun(at)


def frame(at: AppTest, column: str) -> pd.DataFrame:
    """The one table with this column."""
    found = [f.value for f in at.dataframe if column in f.value.columns]
    assert len(found) == 1, f"{len(found)} tables with the column {column!r}"
    return found[0]


def audit_actions(at: AppTest, t: Text = DE) -> list[str]:
    return list(frame(at, t("admin.col_action"))[t("admin.col_action")])


def usernames(at: AppTest, t: Text = DE) -> list[str]:
    return list(frame(at, t("admin.col_username"))[t("admin.col_username")])


def errors(at: AppTest) -> list[str]:
    return [str(v) for v in values(at.error)]


def click(at: AppTest, label: str) -> AppTest:
    labelled(at.button, label).click()
    return rerun(at)


def field(t: Text, name: str, key: str, **values_: object) -> str:
    """An error line as the view shows it: the field's label, then what was wrong."""
    return t("error.field", field=t(f"admin.field_{name}"), message=t(key, **values_))


@pytest.fixture
def with_history(db: Path) -> Path:
    """Two accounts, a refused access and a failed sign-in in the audit log."""
    add_account(db, "erika", Role.admin, display_name="Erika Muster")
    add_account(db, "max")
    with open_store(db) as store:
        viewer = Principal(username="max", display_name="Max")
        access.log_denied(store, viewer, access.Right.read, "municipality", REAL.ags, "test")
        AccountRepository(store, FAST).record_failed_sign_in("max", "wrong_password", utc_now())
    return db


# --- the page and the audit log -----------------------------------------------------------------


def test_the_local_admin_reaches_the_page_and_sees_the_audit_log(with_history: Path) -> None:
    at = open_admin()
    assert values(at.title) == [DE("admin.title")]
    assert [tab.label for tab in at.tabs] == [DE("admin.tab_audit"), DE("admin.tab_accounts")]
    assert audit_actions(at) == [
        "auth.sign_in_failed",
        "access.denied",
        "user.added",
        "role.granted",
        "user.added",
    ]
    table = frame(at, DE("admin.col_action"))
    first = table.iloc[0]
    assert first[DE("admin.col_actor")] == "max"
    assert first[DE("admin.col_object")] == "user max"
    assert first[DE("admin.col_details")] == '{"reason": "wrong_password"}'
    assert ":" in first[DE("admin.col_time")].split(" ")[1][3:]  # with seconds: HH:MM:SS
    assert frame(at, DE("admin.col_action")).shape[0] == len(audit(with_history))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[DE("admin.audit_denied_recent", days=7)] == "1"
    assert metrics[DE("admin.audit_failed_recent", days=7)] == "1"
    assert DE("admin.audit_highlight_note") in values(at.caption)
    assert DE("admin.local_note") in values(at.info)
    assert usernames(at) == ["erika", "max"]
    roles = frame(at, DE("admin.col_username"))[DE("admin.col_roles")]
    assert list(roles) == [DE("admin.grant.admin"), DE("admin.no_roles")]


def test_the_audit_log_filters_by_action_actor_and_date(with_history: Path) -> None:
    at = open_admin()
    at.selectbox(key=admin.ACTION_KEY).set_value("user.")
    rerun(at)
    assert audit_actions(at) == ["user.added", "user.added"]

    click(at, DE("admin.audit_show_denied"))  # the quick filter
    assert at.selectbox(key=admin.ACTION_KEY).value == "access.denied"
    assert audit_actions(at) == ["access.denied"]
    click(at, DE("admin.audit_show_failed"))
    assert audit_actions(at) == ["auth.sign_in_failed"]
    click(at, DE("admin.audit_show_all"))
    assert len(audit_actions(at)) == 5

    at.text_input(key=admin.ACTION_TEXT_KEY).set_value("role.gr")  # typed: wins over the list
    rerun(at)
    assert audit_actions(at) == ["role.granted"]
    at.text_input(key=admin.ACTION_TEXT_KEY).set_value("")
    at.text_input(key=admin.ACTOR_KEY).set_value("MAX")  # part of the name, any case
    rerun(at)
    assert audit_actions(at) == ["auth.sign_in_failed", "access.denied"]
    at.text_input(key=admin.ACTOR_KEY).set_value("")

    today = date.today()
    at.date_input(key=admin.TO_KEY).set_value(today - timedelta(days=2))
    rerun(at)
    assert DE("admin.audit_none") in values(at.info)
    at.date_input(key=admin.FROM_KEY).set_value(today + timedelta(days=1))
    rerun(at)
    assert DE("admin.audit_dates_reversed") in errors(at)
    at.date_input(key=admin.FROM_KEY).set_value(today - timedelta(days=1))
    at.date_input(key=admin.TO_KEY).set_value(today + timedelta(days=1))
    at.number_input(key=admin.LIMIT_KEY).set_value(2)
    rerun(at)
    assert audit_actions(at) == ["auth.sign_in_failed", "access.denied"]
    assert DE("admin.audit_maybe_more", limit=2) in values(at.caption)


def test_the_csv_of_the_filtered_entries_is_made_on_request_and_logged(with_history: Path) -> None:
    at = open_admin()
    assert audit(with_history, "export.") == []  # showing the page exports nothing
    assert not at.get("download_button")
    at.selectbox(key=admin.ACTION_KEY).set_value("user.")
    rerun(at)
    click(at, DE("admin.csv_make"))
    assert len(at.get("download_button")) == 1
    exports = audit(with_history, "export.")
    assert [(e.action, e.actor, e.entity) for e in exports] == [
        ("export.audit_log", ACTOR, "audit_log")
    ]
    assert exports[0].detail is not None
    assert exports[0].detail["entries"] == 2
    assert exports[0].detail["action"] == "user."
    rerun(at)  # the file stays offered; it is not made (nor logged) again
    assert len(at.get("download_button")) == 1
    assert len(audit(with_history, "export.")) == 1


def test_the_csv_is_safe_for_spreadsheets() -> None:
    entries = [
        AuditEntry(7, utc_now(), "=cmd|' /C calc'!A0", "auth.sign_in_failed", "user", "-x", None),
        AuditEntry(6, utc_now(), "erika", "user.added", "user", "max", {"email": None}),
    ]
    data = admin.audit_csv(DE, entries)
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == [DE("admin.csv_id"), DE("admin.csv_time"), DE("admin.col_actor")]
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    assert rows[1][5] == "'-x"
    assert rows[1][1].endswith("Z")
    assert rows[2][6] == '{"email": null}'
    english = list(csv.reader(io.StringIO(admin.audit_csv(EN, entries).decode("utf-8-sig"))))
    assert english[0][1] == EN("admin.csv_time")


# --- accounts -----------------------------------------------------------------------------------


def fill_add_form(at: AppTest, t: Text = DE, **fields: Any) -> AppTest:
    for name, value in fields.items():
        key = f"admin-add-{name}"
        if name == "no_password":
            at.checkbox(key=key).check() if value else at.checkbox(key=key).uncheck()
        else:
            at.text_input(key=key).set_value(value)
    return click(at, t("admin.add_submit"))


def test_adding_an_account_creates_it_and_shows_it(db: Path) -> None:
    at = open_admin()
    assert DE("admin.accounts_none") in values(at.caption)
    fill_add_form(
        at,
        username="Neu.Nutzerin",
        display_name="Neue Nutzerin",
        email="neu@example.org",
        password=PASSWORD,
        password_repeat=PASSWORD,
    )
    assert errors(at) == []
    assert DE("admin.added", username="neu\\.nutzerin") in values(at.success)
    added = account(db, "neu.nutzerin")
    assert added is not None
    assert (added.display_name, added.email, added.has_password) == (
        "Neue Nutzerin",
        "neu@example.org",
        True,
    )
    assert usernames(at) == ["neu.nutzerin"]
    assert at.selectbox(key="admin-account").value == "neu.nutzerin"
    assert at.text_input(key="admin-add-username").value == ""  # the form is empty again
    entry = audit(db, "user.added")[0]
    assert (entry.actor, entry.entity_key) == (ACTOR, "neu.nutzerin")

    fill_add_form(at, username="oidc-only", no_password=True)
    assert DE("admin.added_no_password", username="oidc\\-only") in values(at.success)
    oidc = account(db, "oidc-only")
    assert oidc is not None and not oidc.has_password


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"username": "A b", "password": PASSWORD, "password_repeat": PASSWORD},
            field(DE, "username", "admin.error.invalid.username"),
        ),
        (
            {
                "username": "gut",
                "email": "kein-mail",
                "password": PASSWORD,
                "password_repeat": PASSWORD,
            },
            field(DE, "email", "admin.error.invalid.email"),
        ),
        (
            {"username": "gut", "password": PASSWORD, "password_repeat": PASSWORD + "!"},
            field(DE, "password_repeat", "admin.error.password_mismatch"),
        ),
        (
            {"username": "gut", "password": "kurz", "password_repeat": "kurz"},
            field(DE, "password", "admin.error.password.short", min=12, length=4),
        ),
        (
            {"username": "gut", "password": "x", "no_password": True},
            field(DE, "password", "admin.error.password_unwanted"),
        ),
    ],
    ids=["username", "email", "mismatch", "policy", "unwanted-password"],
)
def test_a_refused_account_names_the_field_and_writes_nothing(
    db: Path, fields: dict[str, Any], expected: str
) -> None:
    at = open_admin()
    fill_add_form(at, **fields)
    assert errors(at) == [expected]
    assert values(at.success) == []
    with open_store(db) as store:
        assert AccountRepository(store).list() == []
    assert audit(db, "user.") == []
    assert at.text_input(key="admin-add-username").value == fields["username"]  # kept to fix


def test_a_taken_user_name_is_refused_in_english(db: Path) -> None:
    add_account(db, "erika")
    at = open_admin(lang="en")
    fill_add_form(at, EN, username="Erika", password=PASSWORD, password_repeat=PASSWORD)
    assert errors(at) == [field(EN, "username", "admin.error.conflict.username")]
    assert len(audit(db, "user.added")) == 1


def test_granting_and_revoking_a_role(db: Path) -> None:
    add_municipalities(db, REAL)
    add_account(db, "max")
    at = open_admin()
    at.selectbox(key="admin-account").set_value("max")
    at.selectbox(key="admin-grant-role").set_value(Role.editor)
    rerun(at)
    at.text_input(key="admin-grant-ags").set_value("123")
    click(at, DE("admin.grant_submit"))
    assert errors(at) == [field(DE, "ags", "admin.error.invalid.ags")]
    at.text_input(key="admin-grant-ags").set_value("09999999")
    click(at, DE("admin.grant_submit"))
    assert errors(at) == [field(DE, "ags", "admin.error.not_found.ags")]
    found = account(db, "max")
    assert found is not None and found.grants == ()

    at.text_input(key="admin-grant-ags").set_value(REAL.ags)
    click(at, DE("admin.grant_submit"))
    assert errors(at) == []
    grant = DE("admin.grant.editor", ags=REAL.ags)
    shown = widgets.inert(grant)
    assert DE("admin.granted", username="max", grant=shown) in values(at.success)
    found = account(db, "max")
    assert found is not None
    assert [(g.role, g.ags, g.granted_by) for g in found.grants] == [(Role.editor, REAL.ags, ACTOR)]
    roles = frame(at, DE("admin.col_username"))[DE("admin.col_roles")]
    assert list(roles) == [grant]

    assert at.selectbox(key="admin-revoke-grant:max").options == [grant]
    click(at, DE("admin.revoke_submit"))
    assert DE("admin.revoked", username="max", grant=shown) in values(at.success)
    found = account(db, "max")
    assert found is not None and found.grants == ()
    assert [e.action for e in audit(db, "role.")] == ["role.revoked", "role.granted"]


def test_a_coordinator_role_is_for_a_ring_chosen_by_name(db: Path) -> None:
    add_account(db, "kora")
    at = open_admin()
    at.selectbox(key="admin-grant-role").set_value(Role.coordinator)
    rerun(at)
    assert DE("admin.no_rings") in values(at.caption)  # nothing to grant yet
    assert not [b for b in at.button if b.key == "admin-grant"]
    with open_store(db) as store:
        ring = store.rings.create("Ring *West*", "Kora", SETUP)
    rerun(at)
    option = DE("admin.ring_option", name="Ring *West*", id=ring.id)
    assert at.selectbox(key="admin-grant-ring").options == [option]
    click(at, DE("admin.grant_submit"))
    grant = DE("admin.grant.coordinator", ring=option)
    assert DE("admin.granted", username="kora", grant=widgets.inert(grant)) in values(at.success)
    found = account(db, "kora")
    assert found is not None
    assert [(g.role, g.ring_id) for g in found.grants] == [(Role.coordinator, ring.id)]
    assert list(frame(at, DE("admin.col_username"))[DE("admin.col_roles")]) == [grant]


def test_password_unlock_disable_enable_and_remove(db: Path) -> None:
    add_account(db, "max")
    with open_store(db) as store:
        AccountRepository(store, FAST).record_failed_sign_in(
            "max", "wrong_password", utc_now(), lambda failures: timedelta(minutes=15)
        )
    at = open_admin()
    at.selectbox(key="admin-account").set_value("max")
    rerun(at)
    assert at.button(key="admin-unlock").disabled is False
    click(at, DE("admin.unlock_submit"))
    assert DE("admin.unlocked", username="max") in values(at.success)
    unlocked = account(db, "max")
    assert unlocked is not None and unlocked.locked_until is None

    at.text_input(key="admin-password-password").set_value("neues Passwort 2025")
    at.text_input(key="admin-password-password_repeat").set_value("neues Passwort 2025")
    click(at, DE("admin.password_submit"))
    assert DE("admin.password_set", username="max") in values(at.success)
    assert [e.entity_key for e in audit(db, "user.password_set")] == ["max"]

    click(at, DE("admin.disable_submit"))
    disabled = account(db, "max")
    assert disabled is not None and disabled.disabled
    click(at, DE("admin.enable_submit"))
    enabled = account(db, "max")
    assert enabled is not None and not enabled.disabled

    assert at.button(key="admin-remove").disabled  # only after the confirmation
    at.checkbox(key="admin-remove-confirm:max").check()
    rerun(at)
    click(at, DE("admin.remove_submit"))
    assert DE("admin.removed", username="max") in values(at.success)
    assert account(db, "max") is None
    assert DE("admin.accounts_none") in values(at.caption)


def test_an_admin_cannot_remove_disable_or_demote_their_own_account(db: Path) -> None:
    add_account(db, "erika", Role.admin)
    add_account(db, "bob", Role.admin)
    erika = Principal(username="erika", display_name="Erika", is_admin=True)
    at = open_view(erika)
    assert DE("admin.local_note") not in values(at.info)
    at.selectbox(key="admin-account").set_value("erika")
    rerun(at)
    assert DE("admin.own_account") in values(at.caption)

    at.checkbox(key="admin-remove-confirm:erika").check()
    rerun(at)
    click(at, DE("admin.remove_submit"))
    assert errors(at) == [DE("admin.self_remove")]
    click(at, DE("admin.disable_submit"))
    assert errors(at) == [DE("admin.self_disable")]
    click(at, DE("admin.revoke_submit"))
    assert errors(at) == [DE("admin.self_revoke_admin")]
    kept = account(db, "erika")
    assert kept is not None and not kept.disabled
    assert [g.role for g in kept.grants] == [Role.admin]
    assert audit(db, "user.removed") == [] and audit(db, "role.revoked") == []

    at.selectbox(key="admin-account").set_value("bob")  # another admin: allowed
    rerun(at)
    at.checkbox(key="admin-remove-confirm:bob").check()
    rerun(at)
    click(at, DE("admin.remove_submit"))
    assert account(db, "bob") is None
    assert [(e.actor, e.entity_key) for e in audit(db, "user.removed")] == [("erika", "bob")]


def test_someone_who_is_not_admin_is_refused_and_logged(db: Path) -> None:
    add_municipalities(db, REAL)
    add_account(db, "max", (Role.editor, REAL.ags))
    viewer = Principal(username="max", display_name="Max", editor_ags=frozenset({REAL.ags}))
    at = open_view(viewer, lang="en")
    assert errors(at) == [EN("admin.denied")]
    assert not at.tabs and not at.dataframe and not at.button
    denied = audit(db, "access.denied")
    assert [(e.actor, e.entity, e.detail) for e in denied] == [
        ("max", "nhm", {"right": "admin", "via": "view verwaltung"})
    ]


# --- English ------------------------------------------------------------------------------------


def assert_no_german(texts: Iterator[str]) -> None:
    shown = list(texts)
    assert shown, "nothing visible"
    leaks = {f for f in german_only_texts() for text in shown if f in text}
    assert not leaks, leaks


def test_the_page_speaks_english(with_history: Path) -> None:
    at = open_admin(lang="en")
    assert values(at.title) == [EN("admin.title")]
    assert [tab.label for tab in at.tabs] == [EN("admin.tab_audit"), EN("admin.tab_accounts")]
    assert EN("admin.local_note") in values(at.info)
    assert audit_actions(at, EN)[0] == "auth.sign_in_failed"
    assert usernames(at, EN) == ["erika", "max"]
    assert labelled(at.text_input, EN("admin.field_username")).key == "admin-add-username"
    assert labelled(at.selectbox, EN("admin.audit_action")).options[1] == EN(
        "admin.audit_action_option",
        label=EN("admin.action.access.denied"),
        prefix="access.denied",
    )
    at.selectbox(key="admin-account").set_value("erika")
    rerun(at)
    assert_no_german(visible_texts(at))
