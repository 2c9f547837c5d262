"""Pages that plugins add through ``nhm_register_pages``: checked once, shown under a section
of their own in the navigation, and drawn so that a failing page cannot take the app down."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from nhm.contributions import PluginPage
from nhm.model import LocalizedText
from nhm.plugins import PluginHost, describe_exception
from nhm.ui import widgets
from nhm.ui.i18n import Text

HOOK = "nhm_register_pages"
URL_PATH = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
RESERVED_PATHS = frozenset(
    {
        "start",
        "bewertung",
        "ergebnisse",
        "vergleich",
        "ringe",
        "verlauf",
        "plugins",
        "verwaltung",
        "oauth2callback",
        "auth",
        "static",
        "healthz",
    }
)
"""The url paths of nhm's own pages (see ``nhm.ui.app``) and the ones Streamlit serves."""
DEFAULT_ICON = ":material/extension:"


@dataclass(frozen=True)
class RegisteredPage:
    plugin: str  # the plugin's name: the navigation section
    page: PluginPage


def collect(host: PluginHost) -> list[RegisteredPage]:
    """The usable pages of every plugin; a page with an unusable ``url_path`` (not a lower-case
    slug, taken by nhm or by an earlier page) is left out and recorded as the plugin's error."""
    found: list[RegisteredPage] = []
    taken = set(RESERVED_PATHS)
    for plugin, page in host.collect(HOOK, PluginPage):
        problem = _problem(page, taken)
        if problem:
            host.add_error(plugin, HOOK, problem)
            continue
        taken.add(page.url_path)
        found.append(RegisteredPage(plugin, page))
    return found


def _problem(page: PluginPage, taken: set[str]) -> str | None:
    if not isinstance(page.url_path, str) or not URL_PATH.match(page.url_path):
        return (
            f"url_path {page.url_path!r} is not usable: expected lower-case letters, digits "
            "and hyphens (at most 63), starting with a letter or digit; this page was not added"
        )
    if page.url_path in taken:
        return (
            f"url_path {page.url_path!r} is already used by nhm or another plugin's page; "
            "this page was not added"
        )
    if not callable(page.render):
        return f"render of page {page.url_path!r} is not callable; this page was not added"
    return None


def page_title(page: PluginPage, t: Text) -> str:
    """The page's title in the UI language (its url path where it has none)."""
    title = page.title
    text = title.get(t.lang) if isinstance(title, LocalizedText) else str(title or "")
    return text.strip() or page.url_path


def sections(pages: list[RegisteredPage], host: PluginHost, t: Text) -> dict[str, list[st.Page]]:
    """Navigation sections: one per plugin, titled with the plugin's name. An icon Streamlit
    refuses is recorded as the plugin's error and the page gets the default icon."""
    by_plugin: dict[str, list[st.Page]] = {}
    for item in pages:
        icon = item.page.icon or DEFAULT_ICON
        try:
            page = _page(item, host, t, icon)
        except Exception as exc:
            host.add_error(
                item.plugin,
                HOOK,
                f"icon {icon!r} of page {item.page.url_path!r} is not usable "
                f"({type(exc).__name__}: {exc}); the page has the default icon",
            )
            page = _page(item, host, t, DEFAULT_ICON)
        by_plugin.setdefault(t("nav.plugin_section", plugin=item.plugin), []).append(page)
    return by_plugin


def _page(item: RegisteredPage, host: PluginHost, t: Text, icon: str) -> st.Page:
    return st.Page(
        _guarded(item, host, t),
        title=page_title(item.page, t),
        icon=icon,
        url_path=item.page.url_path,
    )


def _guarded(item: RegisteredPage, host: PluginHost, t: Text) -> Callable[[], None]:
    """The page's render function; what it raises is shown on the page and kept with the
    plugin (the plugins view lists it), so the rest of the app keeps working."""

    def render() -> None:
        try:
            item.page.render()
        except (Exception, SystemExit) as exc:  # st.rerun()/st.stop() pass through
            message = describe_exception(exc)
            host.add_error(item.plugin, f"page {item.page.url_path}", message)
            st.error(t("plugin_page.failed", plugin=item.plugin, message=message))
            st.page_link(widgets.page("plugins"), label=t("plugins.open_view"))

    # st.Page identifies a page by its url_path (unique, see collect); the function's name
    # is what Streamlit falls back to without one, so every page gets a name of its own
    render.__name__ = f"plugin_page_{item.page.url_path.replace('-', '_')}"
    return render
