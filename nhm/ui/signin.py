"""Who uses the app: the sign-in page, the session and signing out (NHM_AUTH=accounts, oidc).

A password sign-in starts a session in the database (:mod:`nhm.auth.sessions`); the browser
keeps its random token in a cookie, so a reload, a second tab or a bookmark stays signed in,
and the Streamlit session keeps the token too. Every run checks the session in the database
(signing out in one tab ends it in all) and reads the account again: a disabled or removed
account or a changed role takes effect at the next click. Sessions end after 30 minutes
without activity and 12 hours after signing in.

With OIDC, Streamlit's ``st.login`` signs the user in at the provider (its own cookie keeps
the sign-in); the e-mail address in ``st.user`` is mapped to an account, whose roles apply.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import streamlit as st

from nhm.auth import signin as core
from nhm.auth.accounts import AccountRepository
from nhm.auth.principal import Principal, local_principal
from nhm.auth.sessions import SessionRepository, token_hash
from nhm.auth.settings import AuthMode, AuthSettingsError, auth_mode
from nhm.store import audit
from nhm.store.database import utc_now
from nhm.ui import context, widgets
from nhm.ui.i18n import Text

if TYPE_CHECKING:
    from nhm.store import Store

SESSION_KEY = "nhm_session"
"""The session token of this Streamlit session (checked against the database every run)."""
NOTICE_KEY = "nhm_signin_notice"
"""Why the user sees the sign-in page again (signed out, session expired), shown once."""
COOKIE = "nhm_session"
UNSAVED_KEY = "nhm_unsaved_input"
"""Input typed when the session ended (see :func:`keep_unsaved`)."""
REFUSED_KEY = "nhm_signin_refused"
"""Why the last attempt was refused, shown above the (emptied) form."""
ATTEMPT_KEY = "nhm_signin_attempt"
"""Counts sign-in attempts; the password field is new after each one."""
CLEAR_COOKIE_KEY = "nhm_clear_cookie"
"""The token of the session this tab ended: its cookie must go, too (but no newer one)."""
COOKIE_MAX_AGE = int(core.SESSION_ABSOLUTE.total_seconds())


def current(mode: AuthMode) -> Principal | None:
    """The principal of this run, or None when nobody (valid) is signed in."""
    if mode is AuthMode.none:
        return local_principal()  # per run: the OS user of the server process
    if mode is AuthMode.oidc:
        return _oidc_principal()
    return _password_principal()


def verified_principal() -> Principal | None:
    """The principal checked afresh against the session and the database, for a write that
    runs in a widget callback (callbacks run before the app frame of their run); None when
    nobody is signed in any more (the run that follows shows the sign-in page)."""
    try:
        return current(auth_mode())
    except AuthSettingsError:
        return None


def own_session_hash(username: str) -> str | None:
    """The token hash of this tab's session when it is ``username``'s (to keep it while the
    user changes their own password); None otherwise."""
    token = st.session_state.get(SESSION_KEY)
    if not isinstance(token, str) or context.principal().username != username:
        return None
    return token_hash(token)


def keep_unsaved(text: str) -> None:
    """Input that could not be saved because the session ended: the sign-in page shows it,
    and the first page after signing in shows it once more."""
    st.session_state[UNSAVED_KEY] = text


def show_unsaved(t: Text, *, once: bool) -> None:
    text = st.session_state.pop(UNSAVED_KEY, None) if once else st.session_state.get(UNSAVED_KEY)
    if text:
        st.warning(t("signin.unsaved", input=text), icon=":material/content_paste:")


def principal_later() -> Callable[[], Principal]:
    """The signed-in principal, checked again when called later – outside the script run, as
    a download's data is made on the click: the session must still be valid, the account
    enabled, and the roles are read afresh."""
    store, mode = context.store(), auth_mode()
    token = st.session_state.get(SESSION_KEY)
    username = context.principal().username

    def again() -> Principal:
        if mode is AuthMode.none:
            return local_principal()
        if mode is AuthMode.accounts:
            who = _session_principal(store, token, utc_now())[0] if isinstance(token, str) else None
        else:
            account = AccountRepository(store).get(username)
            who = account.principal() if account is not None and not account.disabled else None
        return who if who is not None else context.ANONYMOUS

    return again


def _session_principal(store: Store, token: str, now: datetime) -> tuple[Principal | None, str]:
    """The principal of a password session, or None and why not: the session is unknown,
    ended or expired, or its account was disabled or removed (then the session ends too)."""
    sessions = SessionRepository(store)
    username, why = sessions.use(token, now)
    if username is None:
        return None, why or "unknown"
    account = AccountRepository(store).get(username)
    if account is None or account.disabled:
        sessions.end(token, "account_unavailable", now)
        return None, "account_unavailable"
    return account.principal(), ""


def _password_principal() -> Principal | None:
    token = st.session_state.get(SESSION_KEY)
    held = isinstance(token, str)  # this tab was signed in (not just a cookie it brought)
    if not isinstance(token, str):
        token = cookie_token()  # a reload, another tab, a bookmark
        if token is None:
            return None
    who, why = _session_principal(context.store(), token, utc_now())
    if who is None:
        st.session_state.pop(SESSION_KEY, None)
        notices = {"expired": "signin.expired", "account_unavailable": "signin.account_unavailable"}
        notice = notices.get(why, "signin.session_ended" if held else None)
        if notice:
            st.session_state[NOTICE_KEY] = notice
        return None
    st.session_state[SESSION_KEY] = token
    return who


def cookie_token() -> str | None:
    """The session token the browser sent with this Streamlit session's first request."""
    token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) and token else None


def keep_cookie(mode: AuthMode, signed_in: bool) -> None:
    """Write the session cookie while signed in, delete it otherwise (NHM_AUTH=accounts).

    Streamlit cannot set cookies from the server, so a tiny script does it in the browser;
    the token is URL-safe base64 and needs no quoting. Repeated on every run until the
    browser sends the cookie back (a run cut short by a rerun cannot lose it)."""
    if mode is not AuthMode.accounts:
        return
    token = st.session_state.get(SESSION_KEY) if signed_in else None
    attributes = '; Path=/; SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "")'
    if isinstance(token, str):
        if token == cookie_token():  # the browser sent it: nothing to write
            return
        script = f'document.cookie = "{COOKIE}={token}; Max-Age={COOKIE_MAX_AGE}{attributes};'
    else:
        # delete only the cookie this tab knows: another tab may have signed in anew since
        old = st.session_state.get(CLEAR_COOKIE_KEY) or cookie_token()
        if not isinstance(old, str):
            return
        script = (
            f'if (document.cookie.split("; ").includes("{COOKIE}={old}")) '
            f'document.cookie = "{COOKIE}=; Max-Age=0{attributes};'
        )
    with st.sidebar:
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def _end(reason: str) -> None:
    """End this browser's password session (logged as ``auth.sign_out``)."""
    token = st.session_state.pop(SESSION_KEY, None)
    if isinstance(token, str):
        st.session_state[CLEAR_COOKIE_KEY] = token
        SessionRepository(context.store()).end(token, reason, utc_now())


def _log_sign_out(username: str, reason: str) -> None:
    """An OIDC session ended (the provider's cookie is Streamlit's to remove)."""
    context.store().write(
        lambda cursor: audit.record(
            cursor, username, "auth.sign_out", "user", username, {"reason": reason}
        )
    )


# --- OIDC ---------------------------------------------------------------------------------------

OIDC_SEEN_KEY = "nhm_oidc_seen"
"""(e-mail, when this session first saw it signed in): the sign-in is logged once."""


def oidc_email() -> str | None:
    """The e-mail address of the user signed in at the OIDC provider (None: nobody signed in;
    "": no address, or one the provider marks as unverified – no account matches it)."""
    user = st.user
    if not user.get("is_logged_in", False):
        return None
    email = user.get("email")
    if user.get("email_verified") is False:  # the provider says the address is unconfirmed
        return ""
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
        _log_sign_out(account.username, "expired")
        st.session_state.pop(OIDC_SEEN_KEY, None)
        st.session_state[NOTICE_KEY] = "signin.expired"
        st.logout()
        return None
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
    show_unsaved(t, once=False)
    if mode is AuthMode.oidc:
        _render_oidc(t)
        return
    st.write(t("signin.intro"))
    refused = st.session_state.pop(REFUSED_KEY, None)
    if refused:
        st.error(refused)
    attempt = st.session_state.get(ATTEMPT_KEY, 0)
    with st.form("sign-in"):
        username = st.text_input(t("signin.username"), max_chars=64, autocomplete="username")
        password = st.text_input(  # a new field after each attempt: no password stays
            t("signin.password"),
            type="password",
            max_chars=1024,
            autocomplete="current-password",
            key=f"signin-password-{attempt}",
        )
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if not submitted:
        return
    st.session_state[ATTEMPT_KEY] = attempt + 1
    if not username.strip() or not password:
        st.session_state[REFUSED_KEY] = t("signin.missing")
        st.rerun()
    outcome = core.authenticate(context.store(), username, password)
    if isinstance(outcome, core.Refusal):
        st.session_state[REFUSED_KEY] = refusal_text(outcome, t)
        st.rerun()
    st.session_state[SESSION_KEY] = SessionRepository(context.store()).begin(
        outcome.username, utc_now()
    )
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
    if who.display_name and who.display_name != who.username:
        signed_in = t(
            "signin.signed_in_as",
            name=widgets.inert(who.display_name),
            username=widgets.inert(who.username),
        )
    else:
        signed_in = t("signin.signed_in_as_plain", username=widgets.inert(who.username))
    st.caption(signed_in)
    st.caption(roles_text(who, t))
    if st.button(t("signin.sign_out"), icon=":material/logout:", key="nhm-sign-out"):
        if mode is AuthMode.oidc:
            _log_sign_out(who.username, "signed_out")
        else:
            _end("signed_out")
        # nothing of this user stays in the tab for the next one: choices, widget values,
        # reports made, messages – only the language
        keep = {context.LANG_KEY, context.LANG_MEMORY_KEY, CLEAR_COOKIE_KEY}
        for key in [key for key in st.session_state if key not in keep]:
            del st.session_state[key]
        st.session_state[NOTICE_KEY] = "signin.signed_out"
        for name in (context.AGS_PARAM, context.PERIOD_PARAM):
            if name in st.query_params:
                del st.query_params[name]
        if mode is AuthMode.oidc:
            st.logout()
        st.rerun()


def _places(ags_values: frozenset[str]) -> str:
    """The municipalities of a role, e.g. "Köln (05315000), Bonn (05314000)"."""
    names = context.store().municipalities.names(sorted(ags_values))
    return ", ".join(
        f"{widgets.inert(names[ags])} ({ags})" if ags in names else ags
        for ags in sorted(ags_values)
    )


def roles_text(who: Principal, t: Text) -> str:
    if who.is_admin:
        return t("signin.role_admin")
    parts = []
    if who.editor_ags:
        parts.append(t("signin.role_editor", ags=_places(who.editor_ags)))
    if who.viewer_ags:
        parts.append(t("signin.role_viewer", ags=_places(who.viewer_ags)))
    if who.coordinator_rings:
        found = [context.store().rings.get(ring_id) for ring_id in sorted(who.coordinator_rings)]
        rings = ", ".join(widgets.inert(ring.name) for ring in found if ring is not None)
        parts.append(t("signin.role_coordinator", rings=rings))
    return "; ".join(parts) if parts else t("signin.no_roles")
