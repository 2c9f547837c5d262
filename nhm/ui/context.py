"""What every view shares: the database, the catalog, the language and the current choice of
municipality and period (kept in the URL, so a reload or a bookmark returns to it)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from nhm.auth import access
from nhm.auth.principal import Principal
from nhm.model import Catalog
from nhm.municipality import Municipality
from nhm.plugins import PluginHost
from nhm.store import Store, open_store
from nhm.store.location import resolve_db_path
from nhm.ui import plugin_pages
from nhm.ui.i18n import LANGUAGES, Text

LANG_KEY = "lang"
AGS_PARAM = "ags"
PERIOD_PARAM = "period"
SELECTION_KEY = "nhm_selection"
LANG_MEMORY_KEY = "nhm_lang"  # the language outside the widget: st.switch_page drops that
PRINCIPAL_KEY = "nhm_principal"
"""The signed-in principal of this run; the app frame overwrites it at the start of every run,
so a value put there by anything else never counts."""
REFUSAL_KEY = "nhm_refusal"
"""A refusal to show once on the next run (the AGS that was refused)."""

ANONYMOUS = Principal(username="anonymous", display_name="anonymous")
"""Nobody signed in: no rights at all."""


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return open_store(path)


@st.cache_resource(show_spinner=False)
def _catalog() -> tuple[Catalog, PluginHost]:
    from nhm.catalog import load_catalog

    return load_catalog()


@st.cache_resource(show_spinner=False)
def _plugin_pages() -> list[plugin_pages.RegisteredPage]:
    return plugin_pages.collect(_catalog()[1])


def registered_plugin_pages() -> list[plugin_pages.RegisteredPage]:
    """The plugins' pages, collected once per process (like the catalog)."""
    return _plugin_pages()


def db_path() -> Path:
    """The database the app serves: ``$NHM_DB`` (set by ``nhm serve`` and ``nhm demo``)."""
    return resolve_db_path(None)


def store() -> Store:
    """The process-wide store of the served database (one DuckDB connection per process)."""
    return _store(str(db_path()))


def catalog() -> Catalog:
    return _catalog()[0]


def plugin_host() -> PluginHost:
    return _catalog()[1]


def principal() -> Principal:
    """Who uses the app in this run (set by the app frame; nobody signed in: no rights)."""
    found = st.session_state.get(PRINCIPAL_KEY)
    return found if isinstance(found, Principal) else ANONYMOUS


def set_principal(value: Principal) -> None:
    st.session_state[PRINCIPAL_KEY] = value


def actor() -> str:
    """Who changes data, for the audit log: the account's user name, or for the single local
    user (``NHM_AUTH=none``) the operating-system user marked "(App)"."""
    who = principal()
    return f"{who.username} (App)" if who.is_local else access.actor_name(who)


def lang() -> str:
    """The interface language: German unless the user switched."""
    value = st.session_state.get(LANG_KEY, "de")
    return value if value in LANGUAGES else "de"


def text() -> Text:
    """The translation catalog in the current language."""
    return Text(lang())


@dataclass(frozen=True)
class Selection:
    """The municipality and period the views work on."""

    municipality: Municipality
    period: int


def sync_language() -> None:
    """Keep the interface language across pages (st.switch_page drops the widget's state)
    and in the URL when it is not German. Called first in every run by the app."""
    if LANG_KEY not in st.session_state:
        remembered = st.session_state.get(LANG_MEMORY_KEY, st.query_params.get(LANG_KEY))
        if remembered in LANGUAGES:
            st.session_state[LANG_KEY] = remembered
    st.session_state[LANG_MEMORY_KEY] = st.session_state.get(LANG_KEY, "de")
    if st.session_state.get(LANG_KEY, "de") != "de":
        st.query_params[LANG_KEY] = st.session_state[LANG_KEY]
    elif LANG_KEY in st.query_params:
        del st.query_params[LANG_KEY]


def sync_selection() -> None:
    """Keep the choice in the session (it survives moving between pages) and in the URL (it
    survives a reload, a new tab or a bookmark). Called once per run by the app."""
    if SELECTION_KEY not in st.session_state:
        ags = st.query_params.get(AGS_PARAM)
        period = st.query_params.get(PERIOD_PARAM, "")
        if ags and re.fullmatch(r"[0-9]{4}", period) and _readable(ags, "query parameter"):
            st.session_state[SELECTION_KEY] = (ags, int(period))
    chosen = st.session_state.get(SELECTION_KEY)
    if chosen is not None and _readable(chosen[0], "session state"):
        st.query_params[AGS_PARAM] = chosen[0]
        st.query_params[PERIOD_PARAM] = str(chosen[1])


def selection() -> Selection | None:
    """The chosen municipality and period; None when nothing (valid, readable) is chosen."""
    chosen = st.session_state.get(SELECTION_KEY)
    if chosen is None:
        return None
    ags, period = chosen
    if not _readable(ags, "session state"):
        return None
    if not 1990 <= period <= 2100:
        return None
    municipality = store().municipalities.get(ags)
    if municipality is None:
        return None
    return Selection(municipality, period)


def choose(ags: str, period: int) -> bool:
    """Make a municipality and period the current choice (False: refused and logged)."""
    if not _readable(ags, "choice"):
        return False
    st.session_state[SELECTION_KEY] = (ags, period)
    st.query_params[AGS_PARAM] = ags
    st.query_params[PERIOD_PARAM] = str(period)
    return True


def _readable(ags: str, via: str) -> bool:
    """Whether the principal may read ``ags``. If not, the attempt is logged, the choice and
    the URL parameters are dropped and the refusal is shown once (see :func:`take_refusal`)."""
    who = principal()
    if who.can_read(ags):
        return True
    with contextlib.suppress(access.AccessDenied):  # logged; the refusal is shown once
        access.require_read(store(), who, ags, via)
    st.session_state.pop(SELECTION_KEY, None)
    for name in (AGS_PARAM, PERIOD_PARAM):
        if name in st.query_params:
            del st.query_params[name]
    st.session_state[REFUSAL_KEY] = ags
    return False


def take_refusal() -> str | None:
    """The AGS of a refused choice since the last call (shown once by the app frame)."""
    return st.session_state.pop(REFUSAL_KEY, None)


def has_demo_data() -> bool:
    with store().cursor() as cursor:
        row = cursor.execute("SELECT count(*) FROM municipality WHERE is_demo").fetchone()
    return bool(row and row[0])
