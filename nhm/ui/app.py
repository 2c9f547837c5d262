"""The app's frame: page settings, language switch, demo banner and the navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from nhm.ui import context, plugin_pages
from nhm.ui.i18n import LANGUAGES

PAGES_DIR = Path(__file__).resolve().parent / "screens"


def _pages(t: context.Text) -> list[st.Page]:
    return [
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
        st.Page(
            PAGES_DIR / "plugins.py",
            title=t("nav.plugins"),
            icon=":material/extension:",
            url_path="plugins",
        ),
    ]


def _navigation(t: context.Text) -> list[st.Page] | dict[str, list[st.Page]]:
    """nhm's pages, then one section per plugin that registers pages (no section headings
    when no plugin does)."""
    registered = context.registered_plugin_pages()
    if not registered:
        return _pages(t)
    return {
        t("nav.section_nhm"): _pages(t),
        **plugin_pages.sections(registered, context.plugin_host(), t),
    }


def main() -> None:
    """Run one pass of the app (Streamlit calls this on every interaction)."""
    st.set_page_config(page_title="nhm", page_icon=":material/eco:", layout="wide")
    if not _single_user_mode():
        return
    context.sync_selection()
    t = context.text()
    with st.sidebar:
        st.selectbox(
            t("app.language"),
            options=list(LANGUAGES),
            format_func=lambda code: LANGUAGES[code],
            key=context.LANG_KEY,
        )
    page = st.navigation(_navigation(t))
    _sidebar_status(t)
    _demo_banner(t)
    page.run()


def _single_user_mode() -> bool:
    """The app serves only NHM_AUTH=none for now (sign-in is not wired yet); under any other
    setting it shows why and nothing else, rather than serve everyone every right."""
    from nhm.auth.settings import AuthMode, AuthSettingsError, auth_mode

    t = context.text()
    try:
        mode = auth_mode()
    except AuthSettingsError as exc:
        st.error(t("app.auth_invalid", message=str(exc)))
        return False
    if mode is not AuthMode.none:
        st.error(t("app.auth_unavailable", mode=mode.value))
        return False
    return True


def _sidebar_status(t: context.Text) -> None:
    chosen = context.selection()
    with st.sidebar:
        if chosen is not None:
            st.caption(
                t(
                    "app.chosen",
                    name=chosen.municipality.name,
                    ags=chosen.municipality.ags,
                    period=chosen.period,
                )
            )
        st.caption(t("app.database", path=str(context.db_path())))
        st.caption(t("app.auth_none"))


def _demo_banner(t: context.Text) -> None:
    chosen = context.selection()
    if chosen is not None and chosen.municipality.is_demo:
        st.warning(t("app.demo_selected"), icon=":material/science:")
    elif context.has_demo_data():
        st.info(t("app.demo_database"), icon=":material/science:")
