"""Access control in the app (NHM_AUTH=accounts): the sign-in page, sessions, sign-out, and a
user of municipality A refused every route to municipality B – by choosing it, by query
parameter, by forged session state – on every view and download, each attempt logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    APP,
    DE,
    EN,
    PAGES,
    PERIOD,
    REAL,
    SETUP,
    add_municipalities,
    answer,
    catalog,
    labelled,
    rerun,
    use_database,
    values,
    visible_texts,
)

from nhm.assessment import Response
from nhm.auth import access, passwords
from nhm.auth.accounts import AccountRepository
from nhm.auth.principal import Principal
from nhm.auth.sessions import SessionRepository
from nhm.municipality import Municipality, MunicipalityKind
from nhm.rings import RingService
from nhm.store import open_store
from nhm.store.audit import AuditRepository
from nhm.ui import signin
from nhm.ui.i18n import TEXTS

TRUE_OIDC_EMAIL = signin.oidc_email
"""The real mapping from st.user (the ``oidc`` fixture replaces it)."""
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "ein-langes-Passwort-1"
BONN = Municipality(
    ags="05314000", name="Bonn", kind=MunicipalityKind.KREISFREIE_STADT, population=330_000
)
SECRET_COMMENT = "Nur fuer Bonn bestimmt"
EXTRA_PAGES = {
    "benchmark": "nhm/ui/screens/benchmark.py",
    "history": "nhm/ui/screens/history.py",
    "ring": "nhm/ui/screens/ring.py",
}
ALL_PAGES = {**PAGES, **EXTRA_PAGES}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Köln (A) and Bonn (B) with a draft each, Bonn's with a comment; accounts: anna edits
    Köln, vera reads Köln, root administers; NHM_AUTH=accounts."""
    monkeypatch.setattr(passwords, "_DEFAULT", FAST)
    monkeypatch.setenv("NHM_AUTH", "accounts")
    path = use_database(monkeypatch, tmp_path / "nhm.duckdb")
    drafts = add_municipalities(path, REAL, BONN, drafts=[REAL.ags, BONN.ags])
    first = catalog().dimensions[0]
    criterion = first.full_id(first.criteria[0])
    answer(path, drafts[REAL.ags], criterion, Response(level=2))
    answer(path, drafts[BONN.ags], criterion, Response(level=3, comment=SECRET_COMMENT))
    with open_store(path) as store:
        accounts = AccountRepository(store, FAST)
        for name, role in (("anna", "editor"), ("vera", "viewer")):
            accounts.add(name, SETUP, display_name=name.title(), password=PASSWORD)
            accounts.grant(name, role, SETUP, ags=REAL.ags)
        accounts.add("root", SETUP, password=PASSWORD)
        accounts.grant("root", "admin", SETUP)
    return path


def app(**query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return rerun(at)


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    labelled(at.text_input, DE("signin.username")).set_value(username)
    labelled(at.text_input, DE("signin.password")).set_value(password)
    labelled(at.button, DE("signin.submit")).click()
    return rerun(at)


def signed_in(username: str, **query: str) -> AppTest:
    at = sign_in(app(**query), username)
    assert DE("signin.title") not in values(at.title)
    return at


def on_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(ALL_PAGES[page])
    return rerun(at)


def prefix(key: str) -> str:
    """The German text up to its first placeholder."""
    return TEXTS[key][0].split("{", 1)[0]


def denied(db: Path) -> list[tuple[str, str, dict[str, object]]]:
    with open_store(db) as store:
        entries = AuditRepository(store).entries()
    return [(e.actor, e.entity_key, e.detail or {}) for e in entries if e.action == "access.denied"]


def leaks_bonn(at: AppTest) -> bool:
    """Whether anything of Bonn shows: its name, its comment, or its AGS other than in the
    refusal (which repeats the AGS the user asked for)."""
    refusal = DE("access.refused_municipality", ags=BONN.ags)
    texts = " ".join(text for text in visible_texts(at) if text != refusal)
    return "Bonn" in texts or SECRET_COMMENT in texts or BONN.ags in texts


# --- signing in ------------------------------------------------------------------------------


def test_without_sign_in_only_the_sign_in_page_shows_even_on_a_deep_link(db: Path) -> None:
    at = app(ags=BONN.ags, period=str(PERIOD))
    assert values(at.title) == [DE("signin.title")]
    assert not leaks_bonn(at) and "Köln" not in " ".join(visible_texts(at))
    for page in ALL_PAGES:
        at.switch_page(ALL_PAGES[page])
        rerun(at)
        assert values(at.title) == [DE("signin.title")], page
        assert not leaks_bonn(at)


def test_a_wrong_password_is_refused_like_an_unknown_user_and_logged(db: Path) -> None:
    wrong = sign_in(app(), "anna", "falsches-Passwort-1")
    unknown = sign_in(app(), "niemand", PASSWORD)
    assert values(wrong.error) == values(unknown.error) == [DE("signin.refused")]
    assert values(wrong.title) == [DE("signin.title")]
    with open_store(db) as store:
        failed = [e for e in AuditRepository(store).entries() if e.action == "auth.sign_in_failed"]
    assert {(e.actor, (e.detail or {})["reason"]) for e in failed} == {
        ("anna", "wrong_password"),
        ("niemand", "unknown_user"),
    }


def test_five_failures_lock_the_account_and_the_page_says_until_when(db: Path) -> None:
    at = app()
    for _ in range(5):
        sign_in(at, "anna", "falsches-Passwort-1")
    assert values(at.error)[0].startswith(prefix("signin.refused_locked"))
    sign_in(at, "anna")  # the right password, but locked
    [message] = values(at.error)
    assert message.startswith(prefix("signin.locked"))
    assert values(at.title) == [DE("signin.title")]


def test_signing_in_shows_the_user_and_roles_and_signing_out_ends_the_session(db: Path) -> None:
    at = signed_in("anna")
    captions = values(at.sidebar.caption)
    assert DE("signin.signed_in_as", name="Anna", username="anna") in captions
    assert DE("signin.role_editor", ags=f"Köln ({REAL.ags})") in captions
    labelled(at.sidebar.button, DE("signin.sign_out")).click()
    rerun(at)
    assert values(at.title) == [DE("signin.title")]
    assert DE("signin.signed_out") in values(at.info)
    with open_store(db) as store:
        actions = [e.action for e in AuditRepository(store).entries() if e.actor == "anna"]
    assert "auth.sign_in" in actions and "auth.sign_out" in actions


def test_a_reload_or_new_tab_resumes_the_session_from_its_cookie_until_signing_out(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = signed_in("anna")
    token = first.session_state[signin.SESSION_KEY]
    monkeypatch.setattr(signin, "cookie_token", lambda: token)
    second = app()  # a new Streamlit session whose first request carried the cookie
    assert DE("signin.signed_in_as", name="Anna", username="anna") in values(second.sidebar.caption)
    labelled(second.sidebar.button, DE("signin.sign_out")).click()
    rerun(second)
    rerun(first)  # signing out in one tab ends the session in every tab
    assert values(first.title) == values(app().title) == [DE("signin.title")]
    with open_store(db) as store:
        record = SessionRepository(store).get(token)
    assert record is not None and record.ended_at is not None


def test_the_session_ends_after_thirty_idle_minutes(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = signed_in("anna")
    later = signin.utc_now() + timedelta(minutes=31)
    monkeypatch.setattr(signin, "utc_now", lambda: later)
    rerun(at)
    assert values(at.title) == [DE("signin.title")]
    assert DE("signin.expired") in values(at.info)


def test_a_disabled_account_is_signed_out_at_the_next_click(db: Path) -> None:
    at = signed_in("anna")
    with open_store(db) as store:
        AccountRepository(store, FAST).disable("anna", SETUP)
    rerun(at)
    assert values(at.title) == [DE("signin.title")]
    assert DE("signin.session_ended") in values(at.info)


def test_a_forged_session_or_principal_in_the_session_state_counts_for_nothing(db: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state[signin.SESSION_KEY] = "a-token-the-server-never-issued"
    at.session_state["nhm_principal"] = Principal("root", "root", is_admin=True)
    rerun(at)
    assert values(at.title) == [DE("signin.title")]
    at = signed_in("anna")
    at.session_state["nhm_principal"] = Principal("anna", "anna", is_admin=True)
    at.session_state["nhm_selection"] = (BONN.ags, PERIOD)
    rerun(at)
    assert DE("access.refused_municipality", ags=BONN.ags) in values(at.error)
    assert not leaks_bonn(at)


# --- municipality B stays closed -------------------------------------------------------------


def test_the_start_page_offers_only_the_own_municipality(db: Path) -> None:
    at = signed_in("anna")
    select = labelled(at.selectbox, DE("start.municipality"))
    assert select.options and all(REAL.ags in option for option in select.options)
    continue_buttons = [b.label for b in at.button if b.key and b.key.startswith("continue-")]
    assert continue_buttons and all("Köln" in label for label in continue_buttons)
    assert not leaks_bonn(at)
    assert not [e for e in at.expander if e.label == DE("start.add_title")]  # admins only
    labelled(at.text_input, DE("start.search")).set_value("Bonn")
    rerun(at)
    assert not [s for s in at.selectbox if s.label == DE("start.municipality")]
    # the same answer as for a name that does not exist: no hint that Bonn is in the database
    assert values(at.warning) == [DE("start.no_match", query="Bonn")]


@pytest.mark.parametrize("page", list(ALL_PAGES))
def test_a_query_parameter_for_another_municipality_is_refused_and_logged(
    db: Path, page: str
) -> None:
    at = app(ags=BONN.ags, period=str(PERIOD))
    sign_in(at, "anna")
    on_page(at, page)
    assert not leaks_bonn(at), page
    log = denied(db)
    assert ("anna", BONN.ags, {"right": "read", "via": "query parameter"}) in log
    assert at.query_params.get("ags") != [BONN.ags]


@pytest.mark.parametrize("page", list(ALL_PAGES))
def test_a_forged_choice_in_the_session_state_is_refused_and_logged(db: Path, page: str) -> None:
    at = signed_in("anna")
    at.session_state["nhm_selection"] = (BONN.ags, PERIOD)
    on_page(at, page)
    assert DE("access.refused_municipality", ags=BONN.ags) in values(at.error)
    assert not leaks_bonn(at), page
    assert ("anna", BONN.ags, {"right": "read", "via": "session state"}) in denied(db)


def test_choosing_another_municipality_in_code_is_refused_and_logged(db: Path) -> None:
    def script() -> None:
        import streamlit as st

        from nhm.auth.accounts import AccountRepository
        from nhm.ui import context

        context.set_principal(AccountRepository(context.store()).principal("anna"))
        st.session_state["chosen"] = context.choose("05314000", 2025)

    at = rerun(AppTest.from_function(script, default_timeout=60))
    assert at.session_state["chosen"] is False
    assert ("anna", BONN.ags, {"right": "read", "via": "choice"}) in denied(db)


def test_downloads_check_the_right_again_when_made_and_are_logged(db: Path) -> None:
    """A download is made on the click, outside the page's run: the session, the account and
    its roles are checked again then, and the export is logged with the user."""
    with open_store(db) as store:
        token = SessionRepository(store).begin("anna", signin.utc_now())

    def script(token: str) -> None:
        import streamlit as st

        from nhm.auth.accounts import AccountRepository
        from nhm.ui import context, signin
        from nhm.ui.views import results

        context.set_principal(AccountRepository(context.store()).principal("anna"))
        st.session_state[signin.SESSION_KEY] = token
        store = context.store()
        st.session_state["downloads"] = {
            ags: results._exporter(store.assessments.get(ags, 2025))
            for ags in ("05315000", "05314000")
        }

    at = rerun(AppTest.from_function(script, default_timeout=60, args=(token,)))
    downloads: dict[str, Callable[[str, Callable[[], bytes]], bytes]] = at.session_state[
        "downloads"
    ]

    def click(ags: str) -> int | str:
        try:
            return len(downloads[ags]("json", lambda: b"{}"))
        except access.AccessDenied as exc:
            return str(exc)

    assert click(REAL.ags) == 2
    assert click(BONN.ags) == f"anna may not read the data of municipality {BONN.ags}"
    assert ("anna", BONN.ags, {"right": "read", "via": "download json"}) in denied(db)
    with open_store(db) as store:
        [export] = [e for e in AuditRepository(store).entries() if e.action == "export.json"]
        assert (export.actor, export.entity_key) == ("anna", f"{REAL.ags}/{PERIOD}")
        AccountRepository(store, FAST).revoke("anna", "editor", SETUP, ags=REAL.ags)
    assert click(REAL.ags) == f"anna may not read the data of municipality {REAL.ags}"
    with open_store(db) as store:
        AccountRepository(store, FAST).grant("anna", "editor", SETUP, ags=REAL.ags)
        SessionRepository(store).end(token, "signed_out", signin.utc_now())
    assert click(REAL.ags) == f"anonymous may not read the data of municipality {REAL.ags}"


def test_a_viewer_reads_the_draft_without_any_control_to_change_it(db: Path) -> None:
    start = signed_in("vera", ags=REAL.ags, period=str(PERIOD))
    assert DE("start.view_draft") in [b.label for b in start.button]
    assert DE("start.begin", period=PERIOD) not in [b.label for b in start.button]
    at = on_page(start, "assessment")
    assert DE("access.read_only") in values(at.info)
    assert not at.radio and not at.text_area
    assert not [b for b in at.button if b.label == DE("wizard.submit")]
    assert at.dataframe  # the answers so far


def test_an_editor_is_refused_writing_another_municipality_even_past_the_page(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server-side guard behind the wizard's callbacks, called as a forged click would."""
    with open_store(db) as store:
        anna = AccountRepository(store, FAST).principal("anna")
    monkeypatch.setattr(signin, "verified_principal", lambda: anna)

    def script() -> None:
        import streamlit as st

        from nhm.ui import context
        from nhm.ui.views import assessment

        t = context.text()
        st.session_state["may"] = {
            ags: assessment._may_edit(t, ags, "test") for ags in ("05315000", "05314000")
        }

    at = rerun(AppTest.from_function(script, default_timeout=60))
    assert at.session_state["may"] == {REAL.ags: True, BONN.ags: False}
    assert ("anna", BONN.ags, {"right": "edit", "via": "test"}) in denied(db)


def test_admin_pages_are_not_in_a_municipality_users_navigation(db: Path) -> None:
    anna = signed_in("anna")
    root = signed_in("root")
    assert not [c for c in values(anna.sidebar.caption) if c.startswith(prefix("app.database"))]
    assert [c for c in values(root.sidebar.caption) if c.startswith(prefix("app.database"))]


# --- rings -----------------------------------------------------------------------------------


def test_a_ring_shows_its_member_the_anonymous_view_and_its_coordinator_everything(
    db: Path,
) -> None:
    with open_store(db) as store:
        service = RingService(store, catalog())
        ring = service.create("Ring West", PERIOD, SETUP)
        service.add_members(ring.id, [REAL.ags, BONN.ags], SETUP)
        accounts = AccountRepository(store, FAST)
        accounts.add("carl", SETUP, password=PASSWORD)
        accounts.grant("carl", "coordinator", SETUP, ring_id=ring.id)
        accounts.add("otto", SETUP, password=PASSWORD)
    member = on_page(signed_in("anna"), "ring")
    assert [tab.label for tab in member.tabs] == [DE("ring.tab_overview"), DE("ring.tab_report")]
    assert DE("ring.member_view") in values(member.caption)
    # anna edits Köln: she records Köln's consent, not Bonn's
    toggles = {toggle.label: toggle for toggle in member.toggle}
    assert list(toggles) == [DE("ring.consent_toggle", name="Köln", ags=REAL.ags)]
    assert not toggles[DE("ring.consent_toggle", name="Köln", ags=REAL.ags)].disabled
    assert DE("ring.view_member", name="Köln") in values(member.caption)
    carl = signed_in("carl")  # no municipality: the start page points to the rings
    assert DE("access.coordinator_only", rings="Ring West") in values(carl.info)
    coordinator = on_page(carl, "ring")
    assert DE("ring.tab_members") in [tab.label for tab in coordinator.tabs]
    assert not [e for e in coordinator.expander if e.label == DE("ring.create_heading")]
    # membership and consent are not the coordinator's: adding a municipality would let
    # the coordinator import over its data
    assert DE("ring.members_by_admin") in values(coordinator.caption)
    assert not [e for e in coordinator.expander if e.label == DE("ring.remove_heading")]
    assert coordinator.toggle and all(toggle.disabled for toggle in coordinator.toggle)
    outsider = on_page(signed_in("otto"), "ring")
    assert DE("ring.none_visible") in values(outsider.info)
    assert not outsider.tabs


# --- OIDC ------------------------------------------------------------------------------------


@pytest.fixture
def oidc(db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], None]:
    """NHM_AUTH=oidc with the provider's answer (the signed-in e-mail) set by the test."""
    monkeypatch.setenv("NHM_AUTH", "oidc")
    monkeypatch.setattr(signin, "oidc_configured", lambda: True)
    with open_store(db) as store:
        AccountRepository(store, FAST).add("olga", SETUP, email="olga@example.de")
        AccountRepository(store, FAST).grant("olga", "viewer", SETUP, ags=REAL.ags)

    def signed_in_as(email: str | None) -> None:
        monkeypatch.setattr(signin, "oidc_email", lambda: email)

    return signed_in_as


def test_oidc_maps_the_e_mail_to_the_account_and_its_roles(
    db: Path, oidc: Callable[[str | None], None]
) -> None:
    oidc(None)
    at = app()
    assert values(at.title) == [DE("signin.title")]
    assert DE("signin.oidc_button") in [b.label for b in at.button]
    oidc("olga@example.de")
    rerun(at)
    assert DE("signin.role_viewer", ags=f"Köln ({REAL.ags})") in values(at.sidebar.caption)
    with open_store(db) as store:
        assert [e.action for e in AuditRepository(store).entries() if e.actor == "olga"] == [
            "auth.sign_in"
        ]


def test_oidc_without_an_account_is_refused_and_logged(
    db: Path, oidc: Callable[[str | None], None]
) -> None:
    oidc("fremd@example.de")
    at = app(lang="en")
    assert values(at.title) == [EN("signin.title")]
    assert EN("signin.oidc_no_account") in values(at.info)
    with open_store(db) as store:
        [failed] = [e for e in AuditRepository(store).entries() if e.action.startswith("auth.")]
    assert (failed.action, (failed.detail or {})["reason"]) == ("auth.sign_in_failed", "no_account")


def test_the_plugins_view_refuses_a_non_administrator_and_logs_it(db: Path) -> None:
    def script() -> None:
        from nhm.auth.accounts import AccountRepository
        from nhm.ui import context
        from nhm.ui.views import plugins

        context.set_principal(AccountRepository(context.store()).principal("anna"))
        plugins.render()

    at = rerun(AppTest.from_function(script, default_timeout=60))
    assert values(at.error) == [DE("access.admin_only")]
    assert not at.title
    assert ("anna", "admin", {"right": "admin", "via": "view plugins"}) in denied(db)


def test_oidc_without_a_configured_provider_says_what_is_missing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHM_AUTH", "oidc")
    at = app()
    assert values(at.error) == [DE("signin.oidc_unconfigured")]
    assert not at.button


def test_a_coordinator_cannot_add_members_or_change_consent_past_the_page(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ring page's callbacks, called as forged clicks would: refused and logged."""
    with open_store(db) as store:
        service = RingService(store, catalog())
        ring = service.create("Ring West", PERIOD, SETUP)
        service.add_members(ring.id, [REAL.ags], SETUP)
        accounts = AccountRepository(store, FAST)
        accounts.add("carl", SETUP, password=PASSWORD)
        accounts.grant("carl", "coordinator", SETUP, ring_id=ring.id)
        carl = accounts.principal("carl")
    monkeypatch.setattr(signin, "verified_principal", lambda: carl)

    def script(ring_id: int) -> None:
        import streamlit as st

        from nhm.ui.views import ring as ring_view

        st.session_state[f"ring-add-ags:{ring_id}"] = "05314000"
        ring_view._add_clicked(ring_id)
        st.session_state["consent-key"] = True
        ring_view._consent_changed(ring_id, "05315000", "Köln", "consent-key")

    at = rerun(AppTest.from_function(script, default_timeout=60, args=(ring.id,)))
    refusal = DE("access.refused_edit", ags=REAL.ags)
    assert at.session_state["nhm_ring_flash"] == ("warning", refusal)
    with open_store(db) as store:
        assert [m.ags for m in store.rings.members(ring.id)] == [REAL.ags]
        assert not store.rings.members(ring.id)[0].consent_named
    log = denied(db)
    assert ("carl", "admin", {"right": "admin", "via": "view ringe: add members"}) in log
    assert ("carl", REAL.ags, {"right": "edit", "via": "view ringe: consent"}) in log


def test_a_period_parameter_that_is_not_a_year_is_ignored(db: Path) -> None:
    at = signed_in("anna", ags=REAL.ags, period="²")
    assert not at.exception
    assert not [c for c in values(at.sidebar.caption) if c.startswith(prefix("app.chosen"))]


def test_signing_out_leaves_nothing_of_the_user_in_the_tab(db: Path) -> None:
    at = signed_in("anna", ags=REAL.ags, period=str(PERIOD))
    at.session_state["nhm_ring_reports"] = {("x",): b"report"}
    labelled(at.sidebar.button, DE("signin.sign_out")).click()
    rerun(at)
    assert "nhm_ring_reports" not in at.session_state
    assert "nhm_selection" not in at.session_state
    assert values(at.title) == [DE("signin.title")]


def test_oidc_refuses_an_address_the_provider_marks_unverified(
    db: Path, oidc: Callable[[str | None], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        signin.st,
        "user",
        {"is_logged_in": True, "email": "olga@example.de", "email_verified": False},
    )
    monkeypatch.setattr(signin, "oidc_email", TRUE_OIDC_EMAIL)
    at = app()
    assert values(at.title) == [DE("signin.title")]
    assert DE("signin.oidc_no_account") in values(at.info)


def test_input_typed_when_the_session_ended_is_shown_again_not_refused(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """30 minutes of typing without a click: the answer cannot be saved, but it is not
    treated as a refused write, and the sign-in page repeats it so that nothing is lost."""
    first = catalog().dimensions[0]
    criterion = first.full_id(first.criteria[0])
    with open_store(db) as store:
        record = store.assessments.get(REAL.ags, PERIOD)
        assert record is not None
        version = record.response_version(criterion)
    at = on_page(signed_in("anna", ags=REAL.ags, period=str(PERIOD)), "assessment")
    later = signin.utc_now() + timedelta(minutes=31)
    monkeypatch.setattr(signin, "utc_now", lambda: later)
    at.text_area(key=f"comment:{record.id}:{criterion}:{version}").input("Ein langer Text")
    rerun(at)
    assert values(at.title) == [DE("signin.title")]
    [warning] = values(at.warning)
    assert warning.startswith(prefix("signin.unsaved")) and "Ein langer Text" in warning
    assert not [entry for entry in denied(db) if entry[0] == "anonymous"]
    with open_store(db) as store:
        saved = store.assessments.get(REAL.ags, PERIOD)
        assert saved is not None and saved.responses[criterion].comment is None


@pytest.mark.parametrize(
    ("page", "via", "refusal"),
    [
        ("admin", "view verwaltung", "admin.denied"),
        ("plugins", "view plugins", "access.admin_only"),
    ],
)
def test_a_link_to_an_admin_page_shows_its_refusal_to_others_and_logs_it(
    db: Path, page: str, via: str, refusal: str
) -> None:
    at = signed_in("anna")
    at.switch_page(f"nhm/ui/screens/{page}.py")
    rerun(at)
    assert values(at.error) == [DE(refusal)]
    assert ("anna", "admin", {"right": "admin", "via": via}) in denied(db)
