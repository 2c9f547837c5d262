"""The app's frame: page settings, language switch, demo banner and the navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from nhm.auth.principal import Principal
from nhm.auth.settings import AuthMode, AuthSettingsError, auth_mode
from nhm.ui import context, plugin_pages, signin, widgets
from nhm.ui.i18n import LANGUAGES

PAGES_DIR = Path(__file__).resolve().parent / "screens"


def _pages(t: context.Text, admin: bool) -> list[st.Page]:
    pages = [
        st.Page(
            PAGES_DIR / "start.py",
            title=t("nav.start"),
            icon=":material/home:",
            default=True,  # served at "/": a default page has no address of its own
        ),
        st.Page(
            PAGES_DIR / "assessment.py",
            title=t("nav.assessment"),
            icon=":material/edit_note:",
            url_path="bewertung",
        ),
        st.Page(
            PAGES_DIR / "results.py",
            title=t("nav.results"),
            icon=":material/insights:",
            url_path="ergebnisse",
        ),
        st.Page(
            PAGES_DIR / "benchmark.py",
            title=t("nav.benchmark"),
            icon=":material/leaderboard:",
            url_path="vergleich",
        ),
        st.Page(
            PAGES_DIR / "ring.py",
            title=t("ring.nav"),
            icon=":material/hub:",
            url_path="ringe",
        ),
        st.Page(
            PAGES_DIR / "history.py",
            title=t("nav.history"),
            icon=":material/timeline:",
            url_path="verlauf",
        ),
    ]
    # what is installed where, and the users and the audit log: listed for administrators;
    # registered for everyone, so a link to them shows their own refusal (logged), not
    # Streamlit's English "page not found"
    visibility = "visible" if admin else "hidden"
    pages += [
        st.Page(
            PAGES_DIR / "plugins.py",
            title=t("nav.plugins"),
            icon=":material/extension:",
            url_path="plugins",
            visibility=visibility,
        ),
        st.Page(
            PAGES_DIR / "admin.py",
            title=t("nav.admin"),
            icon=":material/admin_panel_settings:",
            url_path="verwaltung",
            visibility=visibility,
        ),
    ]
    return pages


def _navigation(t: context.Text, admin: bool) -> list[st.Page] | dict[str, list[st.Page]]:
    """nhm's pages, then one section per plugin that registers pages (no section headings
    when no plugin does)."""
    registered = context.registered_plugin_pages()
    if not registered:
        return _pages(t, admin)
    return {
        t("nav.section_nhm"): _pages(t, admin),
        **plugin_pages.sections(registered, context.plugin_host(), t),
    }


def main() -> None:
    """Run one pass of the app (Streamlit calls this on every interaction)."""
    st.set_page_config(page_title="nhm", page_icon=":material/eco:", layout="wide")
    context.sync_language()
    t = context.text()
    mode = _auth_mode(t)
    if mode is None:
        return
    with st.sidebar:
        st.selectbox(
            t("app.language"),
            options=list(LANGUAGES),
            format_func=lambda code: LANGUAGES[code],
            key=context.LANG_KEY,
        )
    who = signin.current(mode)
    if who is None:
        context.set_principal(context.ANONYMOUS)
        # every page registered but none shown or run: the address asked for (a deep link)
        # is kept and opens after signing in, and no page of a previous user stays listed
        st.navigation(_navigation(t, admin=True), position="hidden")
        signin.keep_cookie(mode, signed_in=False)
        signin.render(mode, t)
        return
    context.set_principal(who)
    signin.keep_cookie(mode, signed_in=True)
    context.sync_selection()
    page = st.navigation(_navigation(t, admin=who.is_admin))
    _sidebar_status(t, mode, who)
    signin.show_unsaved(t, once=True)
    _refusal(t)
    _demo_banner(t)
    page.run()


def _auth_mode(t: context.Text) -> AuthMode | None:
    """The sign-in mode; None (after saying why) when NHM_AUTH holds an unknown value."""
    try:
        return auth_mode()
    except AuthSettingsError as exc:
        st.error(t("app.auth_invalid", message=str(exc)))
        return None


def _sidebar_status(t: context.Text, mode: AuthMode, who: Principal) -> None:
    chosen = context.selection()
    with st.sidebar:
        if chosen is not None:
            st.caption(
                t(
                    "app.chosen",
                    name=widgets.inert(chosen.municipality.name),
                    ags=chosen.municipality.ags,
                    period=chosen.period,
                )
            )
        if who.is_admin:
            st.caption(t("app.database", path=widgets.inert(str(context.db_path()))))
        signin.sign_out_control(mode, who, t)


def _refusal(t: context.Text) -> None:
    refused = context.take_refusal()
    if refused is not None:
        st.error(
            t("access.refused_municipality", ags=widgets.inert(refused)), icon=":material/block:"
        )


def _demo_banner(t: context.Text) -> None:
    chosen = context.selection()
    if chosen is not None and chosen.municipality.is_demo:
        st.warning(t("app.demo_selected"), icon=":material/science:")
    elif context.has_demo_data():
        st.info(t("app.demo_database"), icon=":material/science:")
