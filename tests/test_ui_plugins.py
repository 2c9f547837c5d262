"""The plugins view and the pages plugins add (Streamlit AppTest on a database of its own).

Plugins come from a drop-in folder of each test (``NHM_PLUGIN_DIRS``). The app loads plugins
once per process (``st.cache_resource``); the autouse fixture below drops that cache before
and after every test, so each test loads the plugins of its own environment and no fixture
plugin is left for the other UI tests, whatever the order.

Opening a plugin page: ``AppTest.switch_page`` only reaches file pages, and plugin pages are
callables. So the tests run the app through :func:`app_with_page_switch`, which runs the app
as ``app.py`` does and then, when a test asks for it through the session state, calls
``st.switch_page`` with the url path of the plugin page (Streamlit identifies a page by its
url path) – what a click in the navigation does. The next ``at.run()`` stays on that page,
like any page.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner
from ui_fixtures import DE, EN, german_only_texts, use_database, values, visible_texts

from nhm.catalog import load_catalog
from nhm.plugins import ENV_DISABLE, ENV_PLUGIN_DIRS, PluginSource, PluginStatus
from nhm.ui import context, plugin_pages
from nhm.ui.i18n import TEXTS
from nhm.ui.views import plugins as plugins_view

ROOT = Path(__file__).resolve().parent.parent
PLUGINS_PAGE = str(ROOT / "nhm" / "ui" / "screens" / "plugins.py")
START_PAGE = str(ROOT / "nhm" / "ui" / "screens" / "start.py")
OPEN_PAGE = "test-open-plugin-page"

MAP_PAGES = """
    import nhm


    def _map():
        import streamlit as st

        st.header("Karteninhalt")
        st.write("Hitzeinseln der Innenstadt")


    def _table():
        import streamlit as st

        st.header("Tabelleninhalt")


    def _broken():
        import streamlit as st

        st.write("Vor dem Fehler gezeichnet")
        raise RuntimeError("Kartendienst nicht erreichbar")


    @nhm.hookimpl
    def nhm_register_pages(register):
        title = nhm.LocalizedText
        register(nhm.PluginPage(title(de="Karte", en="Map"), _map, "karte", ":material/map:"))
        register(nhm.PluginPage(title(de="Tabelle", en="Table"), _table, "tabelle"))
        register(nhm.PluginPage(title(de="Kaputt", en="Broken"), _broken, "kaputt"))
        register(nhm.PluginPage(title(de="Leerzeichen"), _map, "Mit Leerzeichen"))
        register(nhm.PluginPage(title(de="Besetzt"), _map, "plugins"))
        register(nhm.PluginPage(title(de="Symbol"), _map, "symbol", icon="kein Symbol"))
"""

SECOND_PAGES = """
    import nhm


    def _other():
        import streamlit as st

        st.header("Anderer Inhalt")


    @nhm.hookimpl
    def nhm_register_pages(register):
        register(nhm.PluginPage(nhm.LocalizedText(de="Noch eine Karte"), _other, "karte"))
        register(nhm.PluginPage(nhm.LocalizedText(de="Bericht"), _other, "bericht"))
"""

BROKEN_IMPORT = """
    import nhm

    raise ImportError("the package nirgendwo is not installed")
"""

BROKEN_HOOK = """
    import nhm


    @nhm.hookimpl
    def nhm_register_dimensions(register):
        raise ValueError("the dimension service answered 503")
"""


def app_with_page_switch() -> None:
    """The app as ``app.py`` runs it; then a switch to the plugin page a test asked for."""
    import streamlit as st

    from nhm.ui.app import main

    main()
    target = st.session_state.pop("test-open-plugin-page", None)
    if target is not None:
        # st.switch_page clears the query and drops widget values such as the language
        # selectbox, which a click in the navigation keeps; the query (lang, ags, period)
        # brings them back, as a reload would
        query = st.query_params.to_dict()
        st.switch_page(st.Page(lambda: None, title=target, url_path=target), query_params=query)


def _drop_plugin_cache() -> None:
    context._plugin_pages.clear()
    context._catalog.clear()


@pytest.fixture(autouse=True)
def fresh_plugins() -> Iterator[None]:
    """Plugins loaded anew for each test, from its own environment, and none left behind."""
    _drop_plugin_cache()
    modules = set(sys.modules)
    yield
    _drop_plugin_cache()
    for name in set(sys.modules) - modules:
        if name.startswith("nhm_dropin_"):
            del sys.modules[name]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


@pytest.fixture
def plugin_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty drop-in folder the app loads plugins from."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    monkeypatch.setenv(ENV_PLUGIN_DIRS, str(folder))
    return folder


PAGES = [("Karte", "/karte"), ("Tabelle", "/tabelle"), ("Kaputt", "/kaputt"), ("Symbol", "/symbol")]
"""The usable pages of MAP_PAGES (title, address); "symbol" has the default icon."""


def line_of(path: Path, start: str) -> int:
    """The number of the first line of a file that starts with ``start`` (indented or not)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(start))


def add_plugin(folder: Path, name: str, code: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return path


@pytest.fixture
def navigation(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, list[tuple[str, str]]]]:
    """What the app gives ``st.navigation`` in each run: (title, url path) per section."""
    seen: list[dict[str, list[tuple[str, str]]]] = []
    original = streamlit.navigation

    def spy(pages: Any, *args: Any, **kwargs: Any) -> Any:
        sections = pages if isinstance(pages, dict) else {"": pages}
        seen.append(
            {name: [(p.title, p.url_path) for p in items] for name, items in sections.items()}
        )
        return original(pages, *args, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", spy)
    return seen


def open_app(lang: str | None = None) -> AppTest:
    at = AppTest.from_function(app_with_page_switch, default_timeout=60)
    if lang is not None:
        at.query_params["lang"] = lang
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_plugins_view(lang: str | None = None) -> AppTest:
    at = open_app(lang)
    return run(at.switch_page(PLUGINS_PAGE))


def open_plugin_page(at: AppTest, url_path: str) -> AppTest:
    at.session_state[OPEN_PAGE] = url_path
    return run(at)


def plugin_table(at: AppTest, t: Any = DE) -> dict[str, dict[str, str]]:
    """The installed plugins table: one row per plugin, by name."""
    [frame] = [f.value for f in at.dataframe if t("plugins.col_status") in f.value.columns]
    return {row[t("plugins.col_name")]: row for row in frame.to_dict("records")}


def pages_table(at: AppTest) -> list[dict[str, str]]:
    [frame] = [f.value for f in at.dataframe if DE("plugins.col_page") in f.value.columns]
    return frame.to_dict("records")


def codes(at: AppTest) -> list[str]:
    return [str(c.value) for c in at.code]


def test_the_plugins_view_lists_the_built_in_plugins_with_version_and_dimensions(
    db: Path,
) -> None:
    catalog, host = load_catalog()
    at = open_plugins_view()
    assert values(at.title) == [DE("plugins.title")]

    rows = plugin_table(at)
    assert list(rows) == [record.name for record in host.records]
    assert len(rows) >= 5
    for record in host.records:
        row = rows[record.name]
        assert record.builtin and record.version
        assert row[DE("plugins.col_version")] == record.version
        assert row[DE("plugins.col_distribution")] == record.distribution
        assert row[DE("plugins.col_source")] == DE("plugins.source_entry_point")
        assert row[DE("plugins.col_origin")] == DE("plugins.builtin")
        assert row[DE("plugins.col_status")] == DE("plugins.status_ok")
        assert row[DE("plugins.col_hooks")] == "nhm_register_dimensions"
        assert row[DE("plugins.col_location")] == record.location
        assert row[DE("plugins.col_dimensions")] == ", ".join(
            f"{catalog.dimension(d).title.get('de')} ({d})" for d in record.dimensions
        )
    assert rows["governance_actors"][DE("plugins.col_dimensions")] == (
        "Steuerungsakteure (governance_actors)"
    )
    total = len(host.records)
    assert DE("plugins.summary", total=total, ok=total, failed=0, disabled=0) in values(at.caption)
    assert DE("plugins.no_errors") in values(at.success)
    assert not at.error
    assert DE("plugins.pages_none") in values(at.caption)
    assert DE("plugins.howto_no_folders", env=ENV_PLUGIN_DIRS) in values(at.caption)
    assert "\n".join(plugins_view.package_commands()) in codes(at)
    assert plugins_view.folder_command() in codes(at)


def test_broken_plugins_are_listed_with_stage_and_message_and_the_rest_keeps_working(
    db: Path, plugin_folder: Path
) -> None:
    importing = add_plugin(plugin_folder, "broken_import", BROKEN_IMPORT)
    hooking = add_plugin(plugin_folder, "broken_hook", BROKEN_HOOK)
    at = open_plugins_view()

    rows = plugin_table(at)
    for name, path in (("broken_import", importing), ("broken_hook", hooking)):
        assert rows[name][DE("plugins.col_status")] == DE("plugins.status_error")
        assert rows[name][DE("plugins.col_source")] == DE("plugins.source_folder")
        assert rows[name][DE("plugins.col_origin")] == DE("plugins.third_party")
        assert rows[name][DE("plugins.col_version")] == "–"
        assert rows[name][DE("plugins.col_location")] == str(path)
    assert rows["broken_hook"][DE("plugins.col_hooks")] == "nhm_register_dimensions"
    assert rows["governance_actors"][DE("plugins.col_status")] == DE("plugins.status_ok")

    source = DE("plugins.source_folder")
    assert values(at.error) == [
        DE("plugins.failed", name="broken_hook", source=source, location=hooking, count=1),
        DE("plugins.failed", name="broken_import", source=source, location=importing, count=1),
    ]
    assert DE("plugins.errors_intro") in values(at.markdown)
    stage = f"**{DE('plugins.error_stage')}:**"
    assert f"{stage} `nhm_register_dimensions`" in values(at.markdown)
    assert f"{stage} `import`" in values(at.markdown)
    shown = codes(at)
    where = f"{hooking}:{line_of(hooking, 'raise')}"
    assert f"ValueError: the dimension service answered 503 (at {where})" in shown
    where = f"{importing}:{line_of(importing, 'raise')}"
    assert f"ImportError: the package nirgendwo is not installed (at {where})" in shown
    assert DE("plugins.howto_folders_now", env=ENV_PLUGIN_DIRS, folders=str(plugin_folder)) in (
        values(at.caption)
    )

    start = run(at.switch_page(START_PAGE))  # the rest of the app is unaffected
    assert values(start.title) == [DE("start.title")]


def test_disabled_plugins_are_listed_with_how_they_were_disabled(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DISABLE, "nhm-procurement, no_such_plugin")
    at = open_plugins_view()

    row = plugin_table(at)["procurement"]
    assert row[DE("plugins.col_status")] == DE("plugins.status_disabled")
    assert row[DE("plugins.col_dimensions")] == "–"
    assert row[DE("plugins.col_hooks")] == "–"
    assert DE(
        "plugins.disabled_by",
        name="procurement",
        location=row[DE("plugins.col_location")],
        env=ENV_DISABLE,
        matched="nhm-procurement",
    ) in values(at.info)
    assert values(at.warning) == [
        DE("plugins.unmatched_disabled", env=ENV_DISABLE, name="no_such_plugin")
    ]
    assert DE("plugins.no_errors") in values(at.success)


def test_plugin_pages_appear_under_the_plugins_section_and_render(
    db: Path, plugin_folder: Path, navigation: list[dict[str, list[tuple[str, str]]]]
) -> None:
    add_plugin(plugin_folder, "stadtkarte", MAP_PAGES)
    at = open_app()
    assert values(at.title) == [DE("start.title")]  # the start page as before

    sections = navigation[-1]
    plugin_section = DE("nav.plugin_section", plugin="stadtkarte")
    assert list(sections) == [
        DE("nav.section_nhm"),
        DE("nav.plugin_section", plugin="stadtkarte"),
    ]
    own = [url for _, url in sections[DE("nav.section_nhm")]]
    assert own == [
        "",
        "bewertung",
        "ergebnisse",
        "vergleich",
        "ringe",
        "verlauf",
        "plugins",
        "verwaltung",
    ]
    assert {"start", *own[1:]} <= plugin_pages.RESERVED_PATHS  # no plugin page can take one
    assert [(title, f"/{url}") for title, url in sections[plugin_section]] == PAGES

    # several callable pages, each reached by its own url path
    open_plugin_page(at, "karte")
    assert values(at.header) == ["Karteninhalt"]
    assert "Hitzeinseln der Innenstadt" in values(at.markdown)
    assert not at.title  # only the plugin's page was drawn
    open_plugin_page(at, "tabelle")
    assert values(at.header) == ["Tabelleninhalt"]
    run(at)  # a rerun stays on the plugin page
    assert values(at.header) == ["Tabelleninhalt"]

    run(at.switch_page(PLUGINS_PAGE))
    assert pages_table(at) == [
        {
            DE("plugins.col_plugin"): "stadtkarte",
            DE("plugins.col_page"): title,
            DE("plugins.col_address"): url,
        }
        for title, url in PAGES
    ]
    assert plugin_table(at)["stadtkarte"][DE("plugins.col_hooks")] == "nhm_register_pages"


def test_a_failing_plugin_page_shows_its_error_there_and_on_the_plugins_view(
    db: Path, plugin_folder: Path
) -> None:
    path = add_plugin(plugin_folder, "stadtkarte", MAP_PAGES)
    at = open_app()
    message = f"RuntimeError: Kartendienst nicht erreichbar (at {path}:{line_of(path, 'raise')})"

    open_plugin_page(at, "kaputt")
    assert "Vor dem Fehler gezeichnet" in values(at.markdown)
    assert values(at.error) == [DE("plugin_page.failed", plugin="stadtkarte", message=message)]
    [link] = at.get("page_link")
    assert link.proto.label == DE("plugins.open_view")

    run(at.switch_page(START_PAGE))  # the rest of the app keeps working
    assert values(at.title) == [DE("start.title")]
    open_plugin_page(at, "karte")
    assert values(at.header) == ["Karteninhalt"]

    run(at.switch_page(PLUGINS_PAGE))
    assert plugin_table(at)["stadtkarte"][DE("plugins.col_status")] == DE("plugins.status_error")
    assert "**Schritt:** `page kaputt`" in values(at.markdown)
    assert message in codes(at)


def test_unusable_url_paths_and_icons_are_left_out_and_reported(
    db: Path, plugin_folder: Path, navigation: list[dict[str, list[tuple[str, str]]]]
) -> None:
    add_plugin(plugin_folder, "stadtkarte", MAP_PAGES)
    add_plugin(plugin_folder, "zweite", SECOND_PAGES)
    at = open_plugins_view()

    assert navigation[-1][DE("nav.plugin_section", plugin="zweite")] == [("Bericht", "bericht")]
    assert [
        (title, f"/{url}")
        for title, url in navigation[-1][DE("nav.plugin_section", plugin="stadtkarte")]
    ] == PAGES
    assert [(row["Plugin"], row["Adresse"]) for row in pages_table(at)] == [
        *(("stadtkarte", url) for _, url in PAGES),
        ("zweite", "/bericht"),
    ]
    rows = plugin_table(at)
    assert rows["stadtkarte"][DE("plugins.col_status")] == DE("plugins.status_error")
    assert rows["zweite"][DE("plugins.col_status")] == DE("plugins.status_error")
    shown = "\n".join(codes(at))
    assert "url_path 'Mit Leerzeichen' is not usable" in shown
    assert "url_path 'plugins' is already used by nhm or another plugin's page" in shown
    assert "url_path 'karte' is already used by nhm or another plugin's page" in shown
    assert "icon 'kein Symbol' of page 'symbol' is not usable (StreamlitAPIException" in shown
    assert values(at.markdown).count("**Schritt:** `nhm_register_pages`") == 4


def test_the_plugins_view_in_english(
    db: Path, plugin_folder: Path, navigation: list[dict[str, list[tuple[str, str]]]]
) -> None:
    add_plugin(plugin_folder, "stadtkarte", MAP_PAGES)
    add_plugin(plugin_folder, "broken_hook", BROKEN_HOOK)
    catalog, _ = load_catalog(plugin_dirs=[])
    at = open_plugins_view("en")

    assert values(at.title) == [EN("plugins.title")]
    rows = plugin_table(at, EN)
    actors = catalog.dimension("governance_actors").title.get("en")
    assert actors != catalog.dimension("governance_actors").title.get("de")
    assert rows["governance_actors"][EN("plugins.col_dimensions")] == (
        f"{actors} (governance_actors)"
    )
    assert rows["governance_actors"][EN("plugins.col_source")] == EN("plugins.source_entry_point")
    assert rows["governance_actors"][EN("plugins.col_origin")] == EN("plugins.builtin")
    assert rows["broken_hook"][EN("plugins.col_status")] == EN("plugins.status_error")
    assert rows["stadtkarte"][EN("plugins.col_origin")] == EN("plugins.third_party")
    assert f"**{EN('plugins.error_stage')}:** `nhm_register_dimensions`" in values(at.markdown)
    assert navigation[-1][EN("nav.plugin_section", plugin="stadtkarte")][0] == ("Map", "karte")
    shown = list(visible_texts(at))
    assert EN("plugins.howto_title") in shown
    leaks = {f for f in german_only_texts() for text in shown if f in text}
    assert not leaks, leaks

    open_plugin_page(at, "kaputt")
    assert values(at.error)[0].startswith(EN("plugin_page.failed", plugin="stadtkarte", message=""))


@pytest.mark.parametrize(
    ("prefix", "names"),
    [
        ("plugins.source_", [source.name.lower() for source in PluginSource]),
        ("plugins.status_", [status.value for status in PluginStatus]),
    ],
)
def test_every_plugin_source_and_status_has_a_text(prefix: str, names: list[str]) -> None:
    assert [name for name in names if f"{prefix}{name}" not in TEXTS] == []


def test_the_commands_the_view_shows_create_and_check_a_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nhm.cli import app

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    new, check, install, listing = plugins_view.package_commands()
    for command in (new, check):
        result = runner.invoke(app, command.split()[1:])
        assert result.exit_code == 0, result.output
    folder = install.split()[-1]
    assert (tmp_path / folder / "pyproject.toml").is_file()
    assert listing == "nhm plugins"
    assert plugins_view.folder_command().startswith(f"{ENV_PLUGIN_DIRS}=")
