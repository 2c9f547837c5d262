"""Who uses the app: the sign-in page, the session and signing out (NHM_AUTH=accounts, oidc).

A password sign-in keeps only the user name and two times in the session, sealed with an
HMAC under a secret of this server process, so a session value that the server did not write
is ignored. The account is read again on every run: a disabled account, a removed account or
a changed role takes effect at the next click. Sessions end after 30 minutes without activity
and 12 hours after signing in (:func:`nhm.auth.signin.session_valid`).

With OIDC, Streamlit's ``st.login`` signs the user in at the provider; the e-mail address in
``st.user`` is mapped to an account, whose roles apply.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from nhm.auth import signin as core
from nhm.auth.accounts import AccountRepository
from nhm.auth.principal import Principal, local_principal
from nhm.auth.settings import AuthMode, AuthSettingsError, auth_mode
from nhm.store import audit
from nhm.store.database import utc_now
from nhm.ui import context, widgets
from nhm.ui.i18n import Text

SESSION_KEY = "nhm_session"
NOTICE_KEY = "nhm_signin_notice"
"""Why the user sees the sign-in page again (signed out, session expired), shown once."""
_SEAL_SECRET = secrets.token_bytes(32)
"""Per server process: a restart ends every session."""


@dataclass(frozen=True)
class Session:
    username: str
    started_at: datetime
    last_seen_at: datetime
    seal: str

    @staticmethod
    def begin(username: str, now: datetime) -> Session:
        return Session(username, now, now, _seal(username, now))

    def sealed(self) -> bool:
        return hmac.compare_digest(self.seal, _seal(self.username, self.started_at))


def _seal(username: str, started_at: datetime) -> str:
    message = f"{username}|{started_at.isoformat()}".encode()
    return hmac.new(_SEAL_SECRET, message, hashlib.sha256).hexdigest()


def current(mode: AuthMode) -> Principal | None:
    """The principal of this run, or None when nobody (valid) is signed in."""
    if mode is AuthMode.none:
        return local_principal()  # per run: the OS user of the server process
    if mode is AuthMode.oidc:
        return _oidc_principal()
    return _password_principal()


def verified_principal() -> Principal:
    """The principal checked afresh against the session and the database, for a write that
    runs in a widget callback (callbacks run before the app frame of their run)."""
    try:
        who = current(auth_mode())
    except AuthSettingsError:
        who = None
    return who if who is not None else context.ANONYMOUS


def _password_principal() -> Principal | None:
    session = st.session_state.get(SESSION_KEY)
    if session is None:
        return None
    if not isinstance(session, Session) or not session.sealed():
        st.session_state.pop(SESSION_KEY, None)
        return None
    now = utc_now()
    if not core.session_valid(session.started_at, session.last_seen_at, now):
        _end(session.username, "expired")
        st.session_state[NOTICE_KEY] = "signin.expired"
        return None
    account = AccountRepository(context.store()).get(session.username)
    if account is None or account.disabled:
        _end(session.username, "account_unavailable")
        st.session_state[NOTICE_KEY] = "signin.account_unavailable"
        return None
    st.session_state[SESSION_KEY] = Session(session.username, session.started_at, now, session.seal)
    return account.principal()


def _end(username: str, reason: str) -> None:
    st.session_state.pop(SESSION_KEY, None)
    context.store().write(
        lambda cursor: audit.record(
            cursor, username, "auth.sign_out", "user", username, {"reason": reason}
        )
    )


# --- OIDC ---------------------------------------------------------------------------------------

OIDC_SEEN_KEY = "nhm_oidc_seen"
"""(e-mail, when this session first saw it signed in): the sign-in is logged once."""


def oidc_email() -> str | None:
    """The e-mail address of the user signed in at the OIDC provider (None: nobody)."""
    user = st.user
    if not user.get("is_logged_in", False):
        return None
    email = user.get("email")
    return str(email) if email else ""


def _oidc_principal() -> Principal | None:
    email = oidc_email()
    if email is None:
        return None
    accounts = AccountRepository(context.store())
    account = accounts.get_by_email(email) if email else None
    seen = st.session_state.get(OIDC_SEEN_KEY)
    now = utc_now()
    if account is None or account.disabled:
        if seen is None or seen[0] != email:
            reason = "no_account" if account is None else core.RefusalReason.disabled
            accounts.record_failed_sign_in(
                account.username if account else (email or "(no e-mail)"), reason, now
            )
            st.session_state[OIDC_SEEN_KEY] = (email, now, False)
        st.session_state[NOTICE_KEY] = (
            "signin.oidc_no_account" if account is None else "signin.account_unavailable"
        )
        return None
    if seen is None or seen[0] != email or not seen[2]:
        accounts.record_sign_in(account.username, now, None)
        st.session_state[OIDC_SEEN_KEY] = (email, now, True)
    elif now - seen[1] >= core.SESSION_ABSOLUTE:
        _end(account.username, "expired")
        st.session_state.pop(OIDC_SEEN_KEY, None)
        st.logout()
    return account.principal()


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, OSError):
        return False


# --- the page -----------------------------------------------------------------------------------


def render(mode: AuthMode, t: Text) -> None:
    """The sign-in page (the only page while nobody is signed in)."""
    st.title(t("signin.title"))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(t(notice))
    if mode is AuthMode.oidc:
        _render_oidc(t)
        return
    st.write(t("signin.intro"))
    with st.form("sign-in"):
        username = st.text_input(t("signin.username"), max_chars=64, autocomplete="username")
        password = st.text_input(
            t("signin.password"), type="password", max_chars=1024, autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(t("signin.missing"))
        return
    outcome = core.authenticate(context.store(), username, password)
    if isinstance(outcome, core.Refusal):
        st.error(refusal_text(outcome, t))
        return
    st.session_state[SESSION_KEY] = Session.begin(outcome.username, utc_now())
    st.rerun()


def refusal_text(refusal: core.Refusal, t: Text) -> str:
    """The refusal for the user: unknown names and wrong passwords read the same."""
    until = (
        widgets.local_time(refusal.locked_until, t.lang, seconds=True)
        if refusal.locked_until
        else ""
    )
    if refusal.reason is core.RefusalReason.locked:
        return t("signin.locked", until=until)
    if refusal.reason is core.RefusalReason.disabled:
        return t("signin.disabled")
    if until:
        return t("signin.refused_locked", until=until)
    return t("signin.refused")


def _render_oidc(t: Text) -> None:
    st.write(t("signin.oidc_intro"))
    if not oidc_configured():
        st.error(t("signin.oidc_unconfigured"))
        return
    if oidc_email() is not None:  # signed in at the provider, but no (usable) account here
        if st.button(t("signin.sign_out"), icon=":material/logout:"):
            st.session_state.pop(OIDC_SEEN_KEY, None)
            st.logout()
        return
    if st.button(t("signin.oidc_button"), type="primary", icon=":material/login:"):
        st.login()


def sign_out_control(mode: AuthMode, who: Principal, t: Text) -> None:
    """In the sidebar: who is signed in, with which roles, and the sign-out button."""
    if mode is AuthMode.none:
        st.caption(t("app.auth_none"))
        return
    st.caption(
        t(
            "signin.signed_in_as",
            name=widgets.inert(who.display_name),
            username=widgets.inert(who.username),
        )
    )
    st.caption(roles_text(who, t))
    if st.button(t("signin.sign_out"), icon=":material/logout:", key="nhm-sign-out"):
        _end(who.username, "signed_out")
        st.session_state[NOTICE_KEY] = "signin.signed_out"
        for key in (context.SELECTION_KEY, OIDC_SEEN_KEY):
            st.session_state.pop(key, None)
        for name in (context.AGS_PARAM, context.PERIOD_PARAM):
            if name in st.query_params:
                del st.query_params[name]
        if mode is AuthMode.oidc:
            st.logout()
        st.rerun()


def roles_text(who: Principal, t: Text) -> str:
    if who.is_admin:
        return t("signin.role_admin")
    parts = []
    if who.editor_ags:
        parts.append(t("signin.role_editor", ags=", ".join(sorted(who.editor_ags))))
    if who.viewer_ags:
        parts.append(t("signin.role_viewer", ags=", ".join(sorted(who.viewer_ags))))
    if who.coordinator_rings:
        rings = ", ".join(str(ring) for ring in sorted(who.coordinator_rings))
        parts.append(t("signin.role_coordinator", rings=rings))
    return "; ".join(parts) if parts else t("signin.no_roles")
