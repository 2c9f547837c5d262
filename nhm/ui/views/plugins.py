"""Plugins: what the plugin host loaded, what each plugin contributes, what failed and why,
which pages plugins add, and how to add a plugin.

Everything shown comes from the process-wide plugin host (``nhm plugins`` shows the same);
errors that happen later (a hook that raises while scoring, a plugin page that fails) are
recorded on the host too and appear here on the next run.
"""

from __future__ import annotations

import os
from collections import Counter

import streamlit as st

from nhm.auth import access
from nhm.model import Catalog
from nhm.plugins import (
    ENTRY_POINT_GROUP,
    ENV_DISABLE,
    ENV_PLUGIN_DIRS,
    PluginHost,
    PluginRecord,
    PluginStatus,
    normalize_name,
    split_env_list,
)
from nhm.ui import context, plugin_pages
from nhm.ui.i18n import Text

DOCS = "docs/plugins.md"
EXAMPLE_PLUGIN = "climate_adaptation"
"""The plugin name the how-to uses (the one of docs/plugins.md)."""

STATUS_ICONS = {
    PluginStatus.OK: ":material/check_circle:",
    PluginStatus.ERROR: ":material/error:",
    PluginStatus.DISABLED: ":material/block:",
}


def render() -> None:
    t = context.text()
    try:  # where plugins are installed is for administrators (the navigation hides the page)
        access.require_admin(context.store(), context.principal(), via="view plugins")
    except access.AccessDenied:
        st.error(t("access.admin_only"))
        return
    host = context.plugin_host()
    registered = context.registered_plugin_pages()  # checking the pages records their errors
    st.title(t("plugins.title"))
    st.write(t("plugins.intro"))
    _overview(t, host, context.catalog())
    _errors(t, host)
    _disabled(t, host)
    _pages(t, registered)
    _how_to_add(t)


def status_text(t: Text, record: PluginRecord) -> str:
    return t(f"plugins.status_{record.status.value}")


def source_text(t: Text, record: PluginRecord) -> str:
    return t(f"plugins.source_{record.source.name.lower()}")


def dimension_text(t: Text, catalog: Catalog, dimension_id: str) -> str:
    """A dimension's title in the UI language, with its id."""
    try:
        title = catalog.dimension(dimension_id).title.get(t.lang)
    except KeyError:
        return dimension_id
    return f"{title} ({dimension_id})"


def _overview(t: Text, host: PluginHost, catalog: Catalog) -> None:
    st.subheader(t("plugins.installed"))
    records = host.records
    if not records:
        st.warning(t("plugins.none"))
        return
    counts = Counter(record.status for record in records)
    st.caption(
        t(
            "plugins.summary",
            total=len(records),
            ok=counts[PluginStatus.OK],
            failed=counts[PluginStatus.ERROR],
            disabled=counts[PluginStatus.DISABLED],
        )
    )
    rows = [
        {
            t("plugins.col_name"): record.name,
            t("plugins.col_version"): record.version or "–",
            t("plugins.col_distribution"): record.distribution or "–",
            t("plugins.col_source"): source_text(t, record),
            t("plugins.col_origin"): t(
                "plugins.builtin" if record.builtin else "plugins.third_party"
            ),
            t("plugins.col_status"): status_text(t, record),
            t("plugins.col_dimensions"): ", ".join(
                dimension_text(t, catalog, d) for d in record.dimensions
            )
            or "–",
            t("plugins.col_hooks"): ", ".join(record.hooks) or "–",
            t("plugins.col_location"): record.location,
        }
        for record in records
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def _errors(t: Text, host: PluginHost) -> None:
    """One block per plugin with errors: each error's stage, message and details, as the
    plugin's author needs them to fix it."""
    st.subheader(t("plugins.errors_title"))
    failing = [record for record in host.records if record.errors]
    if not failing:
        st.success(t("plugins.no_errors"), icon=STATUS_ICONS[PluginStatus.OK])
        return
    st.write(t("plugins.errors_intro"))
    for record in failing:
        with st.container(border=True):
            st.error(
                t(
                    "plugins.failed",
                    name=record.name,
                    source=source_text(t, record),
                    location=record.location,
                    count=len(record.errors),
                ),
                icon=STATUS_ICONS[PluginStatus.ERROR],
            )
            for error in record.errors:
                st.markdown(f"**{t('plugins.error_stage')}:** `{error.stage}`")
                st.code("\n".join([error.message, *error.details]), language=None, wrap_lines=True)


def _disabled(t: Text, host: PluginHost) -> None:
    """Plugins switched off with ``NHM_DISABLE_PLUGINS``, and names there that match none."""
    disabled = [record for record in host.records if record.disabled]
    if not disabled and not host.unmatched_disabled:
        return
    st.subheader(t("plugins.disabled_title"))
    listed = split_env_list(os.environ.get(ENV_DISABLE), ",")
    for record in disabled:
        keys = {normalize_name(record.name), normalize_name(record.distribution)}
        matched = [name for name in listed if normalize_name(name) in keys]
        if matched:
            text = t(
                "plugins.disabled_by",
                name=record.name,
                location=record.location,
                env=ENV_DISABLE,
                matched=", ".join(matched),
            )
        else:
            text = t("plugins.disabled", name=record.name, location=record.location)
        st.info(text, icon=STATUS_ICONS[PluginStatus.DISABLED])
    for name in host.unmatched_disabled:
        st.warning(t("plugins.unmatched_disabled", env=ENV_DISABLE, name=name))


def _pages(t: Text, registered: list[plugin_pages.RegisteredPage]) -> None:
    st.subheader(t("plugins.pages_title"))
    if not registered:
        st.caption(t("plugins.pages_none"))
        return
    st.dataframe(
        [
            {
                t("plugins.col_plugin"): item.plugin,
                t("plugins.col_page"): plugin_pages.page_title(item.page, t),
                t("plugins.col_address"): f"/{item.page.url_path}",
            }
            for item in registered
        ],
        hide_index=True,
        width="stretch",
    )
    st.caption(t("plugins.pages_note"))


def _how_to_add(t: Text) -> None:
    st.subheader(t("plugins.howto_title"))
    st.write(t("plugins.howto_docs", doc=DOCS))
    st.write(t("plugins.howto_package", group=ENTRY_POINT_GROUP))
    st.code("\n".join(package_commands()), language="bash")
    st.write(t("plugins.howto_folder", env=ENV_PLUGIN_DIRS, separator=os.pathsep))
    st.code(folder_command(), language="bash")
    folders = split_env_list(os.environ.get(ENV_PLUGIN_DIRS), os.pathsep)
    if folders:
        st.caption(t("plugins.howto_folders_now", env=ENV_PLUGIN_DIRS, folders=", ".join(folders)))
    else:
        st.caption(t("plugins.howto_no_folders", env=ENV_PLUGIN_DIRS))
    st.write(t("plugins.howto_disable", env=ENV_DISABLE))
    st.info(t("plugins.howto_restart"), icon=":material/restart_alt:")


def package_commands(name: str = EXAMPLE_PLUGIN) -> list[str]:
    """Create a plugin package with ``nhm plugin new``, check it and install it."""
    folder = "nhm-" + name.replace("_", "-")  # the folder `nhm plugin new` creates
    return [
        f"nhm plugin new {name}",
        f"nhm check-plugin {folder}",
        f"pip install ./{folder}",
        "nhm plugins",
    ]


def folder_command(folder: str = "~/nhm-plugins") -> str:
    """Serve the app with the plugins of a drop-in folder."""
    return f"{ENV_PLUGIN_DIRS}={folder} nhm serve"
