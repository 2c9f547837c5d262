"""The app's languages and its structure: switching to English, the translation catalog, no
literal UI text in the views and no Streamlit outside ``nhm/ui``."""

from __future__ import annotations

import ast
import os
import string
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import streamlit
from ui_fixtures import (
    DE,
    EN,
    PERIOD,
    REAL,
    ROOT,
    add_municipalities,
    answer,
    german_only_texts,
    labelled,
    open_app,
    rerun,
    use_database,
    values,
    visible_texts,
)

from nhm.assessment import AssessmentStatus, EvidenceStatus, Response
from nhm.contributions import RecommendationReason
from nhm.ui import widgets
from nhm.ui.i18n import LANGUAGES, TEXTS, Text
from nhm.ui.views.results import PEER_GROUPS

UI = ROOT / "nhm" / "ui"
UI_FILES = sorted(p for p in UI.rglob("*.py") if p.name != "i18n.py")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


@pytest.fixture
def draft(db: Path) -> int:
    draft = add_municipalities(db, REAL, drafts=[REAL.ags])[REAL.ags]
    answer(db, draft, "governance_actors.council_mandate", Response(level=2))
    return draft


@pytest.fixture
def page_titles(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The titles of the pages the app gives ``st.navigation``, one list per run."""
    seen: list[list[str]] = []
    navigation = streamlit.navigation

    def spy(pages: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append([page.title for page in pages])
        return navigation(pages, *args, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", spy)
    return seen


def assert_no_german(texts: Iterator[str]) -> None:
    shown = list(texts)
    assert shown, "nothing visible"
    leaks = {f for f in german_only_texts() for text in shown if f in text}
    assert not leaks, leaks


# --- switching the language ---------------------------------------------------------------------


NAV_KEYS = ("start", "assessment", "results", "benchmark", "ring", "history", "plugins", "admin")


def nav_title(t: Text, key: str) -> str:
    """The navigation title of a page (the ring page's text lives under ``ring.``)."""
    return t("ring.nav") if key == "ring" else t(f"nav.{key}")


def test_switching_to_english_translates_title_navigation_and_texts(
    db: Path, draft: int, page_titles: list[list[str]]
) -> None:
    at = open_app(ags=REAL.ags, period=PERIOD)
    assert values(at.title) == [DE("start.title")]
    assert page_titles[-1] == [nav_title(DE, key) for key in NAV_KEYS]

    at.selectbox(key="lang").set_value("en")
    rerun(at)
    assert values(at.title) == [EN("start.title")]
    assert EN("start.title") != DE("start.title")
    assert page_titles[-1] == [nav_title(EN, key) for key in NAV_KEYS]
    assert labelled(at.sidebar.selectbox, EN("app.language")).value == "en"
    assert at.query_params["lang"] == "en"
    assert EN("app.database", path=widgets.inert(str(db))) in values(at.sidebar.caption)
    assert EN("start.state_title", name=REAL.name, ags=REAL.ags) in values(at.subheader)
    assert_no_german(visible_texts(at))

    at.switch_page("nhm/ui/screens/assessment.py")
    rerun(at)
    assert values(at.title) == [EN("wizard.title", name=REAL.name, period=PERIOD)]
    assert at.radio(key="wizard-step").options[-1] == EN("wizard.submit_step")
    assert_no_german(visible_texts(at))

    at.switch_page("nhm/ui/screens/results.py")
    rerun(at)
    assert values(at.title) == [EN("results.title", name=REAL.name, period=PERIOD)]
    assert EN("results.draft_note") in values(at.warning)
    assert at.metric[0].value == "50.0 %"  # one answer at level 2 of 4, English decimal point
    assert_no_german(visible_texts(at))

    at.selectbox(key="lang").set_value("de")
    rerun(at)
    assert values(at.title) == [DE("results.title", name=REAL.name, period=PERIOD)]
    assert "lang" not in at.query_params
    assert page_titles[-1][1] == DE("nav.assessment")


def test_the_language_survives_a_reload(db: Path, draft: int) -> None:
    at = open_app("assessment", ags=REAL.ags, period=PERIOD, lang="en")
    assert values(at.title) == [EN("wizard.title", name=REAL.name, period=PERIOD)]
    assert at.selectbox(key="lang").value == "en"
    assert at.radio(key=f"level:{draft}:governance_actors.coordination_capacity:0").label == (
        EN("wizard.level")
    )


def test_the_german_check_finds_german_text() -> None:
    """The leak check itself: it must catch a German text on an English page."""
    assert german_only_texts()
    with pytest.raises(AssertionError):
        assert_no_german(iter(["Fine", DE("start.intro")]))


# --- the translation catalog --------------------------------------------------------------------


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_has_german_and_english_with_the_same_placeholders(key: str) -> None:
    de, en = TEXTS[key]
    assert de.strip(), f"{key}: German text is empty"
    assert en.strip(), f"{key}: English text is empty"
    assert _placeholders(de) == _placeholders(en), key
    values_ = dict.fromkeys(_placeholders(de), "x")
    assert Text("de")(key, **values_)
    assert Text("en")(key, **values_)


def test_an_unknown_key_or_language_is_not_silently_ignored() -> None:
    with pytest.raises(KeyError, match="no UI text"):
        DE("no.such.key")
    assert Text("fr").lang == "de"  # unknown languages fall back to German
    assert set(LANGUAGES) == {"de", "en"}


def _text_calls(tree: ast.AST) -> Iterator[ast.Call]:
    """Calls of the translation function: ``t(...)`` and ``t.has(...)``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        if (isinstance(func, ast.Name) and func.id == "t") or (
            isinstance(func, ast.Attribute)
            and func.attr == "has"
            and isinstance(func.value, ast.Name)
            and func.value.id == "t"
        ):
            yield node


def _used_keys() -> tuple[set[str], set[str]]:
    """Literal keys and the constant prefixes of f-string keys used in ``nhm/ui``."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in UI_FILES:
        for call in _text_calls(ast.parse(path.read_text("utf-8"))):
            key = call.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
            elif isinstance(key, ast.JoinedStr):
                first = key.values[0]
                assert isinstance(first, ast.Constant), f"{path}: key without a prefix"
                prefixes.add(str(first.value))
    return keys, prefixes


def test_every_key_the_ui_uses_is_in_the_catalog() -> None:
    keys, prefixes = _used_keys()
    assert len(keys) > 100, "the scan found too few keys"
    assert prefixes >= {"status.", "evidence.", "reason.", "group."}
    assert sorted(keys - set(TEXTS)) == []
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in TEXTS), prefix


@pytest.mark.parametrize(
    ("prefix", "names"),
    [
        ("status.", [s.value for s in AssessmentStatus]),
        ("evidence.", [s.value for s in EvidenceStatus]),
        ("reason.", [r.value for r in RecommendationReason]),
        ("group.", list(PEER_GROUPS)),
    ],
)
def test_every_value_of_a_composed_key_has_a_text(prefix: str, names: list[str]) -> None:
    assert [name for name in names if f"{prefix}{name}" not in TEXTS] == []


def test_field_labels_of_validation_messages_are_translated() -> None:
    """Validation errors name the field as the form labels it (see widgets.validation_lines)."""
    from pydantic import ValidationError

    from nhm.municipality import Municipality, MunicipalityKind

    with pytest.raises(ValidationError) as caught:
        Municipality(ags="12", name="X", kind=MunicipalityKind.GEMEINDE)
    assert widgets.validation_lines(caught.value, EN)[0].startswith(f"{EN('field.ags')}: ")


# --- no literal UI text in the views ------------------------------------------------------------

TEXT_ARGUMENTS = ("label", "help", "placeholder", "text", "body", "value")
# Streamlit calls whose first argument is not UI text (a key, a page or a path).
NOT_TEXT_FIRST = {"form", "Page", "switch_page", "page_link", "set_page_config", "columns"}
STREAMLIT_ELEMENTS = {
    "title",
    "header",
    "subheader",
    "write",
    "markdown",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "exception",
    "metric",
    "button",
    "download_button",
    "form_submit_button",
    "link_button",
    "page_link",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "select_slider",
    "slider",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "file_uploader",
    "expander",
    "popover",
    "tabs",
    "progress",
    "spinner",
    "status",
    "Page",
}


def _literal_text(node: ast.expr) -> str:
    """The literal characters of a string or f-string expression ("" for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    return ""


def _is_text(literal: str) -> bool:
    return any(c.isalpha() for c in literal) and not literal.startswith(":material/")


def _streamlit_receivers(tree: ast.AST) -> set[str]:
    """Names that stand for Streamlit in a module: ``st`` and objects made by ``st.*`` calls
    (columns, containers, expanders: ``left, right = st.columns(2)``)."""
    names = {"st"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.value.id != "st":
                    continue
                for target in node.targets:
                    elements = target.elts if isinstance(target, ast.Tuple) else [target]
                    names.update(e.id for e in elements if isinstance(e, ast.Name))
    return names


def literal_ui_texts(source: str) -> list[str]:
    """Literal UI texts passed to Streamlit calls in ``source``, as "line: text"."""
    tree = ast.parse(source)
    receivers = _streamlit_receivers(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        func = node.func
        if not (isinstance(func.value, ast.Name) and func.value.id in receivers):
            continue
        if func.attr not in STREAMLIT_ELEMENTS and func.value.id == "st":
            continue
        candidates = [kw.value for kw in node.keywords if kw.arg in TEXT_ARGUMENTS]
        if node.args and func.attr not in NOT_TEXT_FIRST:
            candidates.append(node.args[0])
        for candidate in candidates:
            literal = _literal_text(candidate)
            if _is_text(literal):
                found.append(f"{node.lineno}: {literal}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        'import streamlit as st\nst.title("Ergebnisse")',
        'import streamlit as st\nst.button(label="Speichern", key="save")',
        'import streamlit as st\nst.markdown(f"Jahr {year}")',
        'import streamlit as st\nleft, right = st.columns(2)\nleft.button("Weiter")',
        'import streamlit as st\nst.text_input(t("x"), placeholder="z. B. Köln")',
    ],
)
def test_the_literal_text_check_finds_literal_text(source: str) -> None:
    assert literal_ui_texts(source)


@pytest.mark.parametrize(
    "source",
    [
        'import streamlit as st\nst.title(t("start.title"))',
        'import streamlit as st\nst.button(t("x"), key="save-button", icon=":material/add:")',
        'import streamlit as st\nst.markdown(f"- **{title}**: {text}")',
        'import streamlit as st\nst.form("add-municipality")',
        'import streamlit as st\nst.title("")',
    ],
)
def test_the_literal_text_check_accepts_translated_text(source: str) -> None:
    assert literal_ui_texts(source) == []


@pytest.mark.parametrize(
    "path",
    [*sorted((UI / "views").glob("*.py")), UI / "app.py", UI / "widgets.py"],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_literal_ui_text_in_the_views(path: Path) -> None:
    assert literal_ui_texts(path.read_text("utf-8")) == []


# --- Streamlit stays in nhm/ui ------------------------------------------------------------------


def _imports_streamlit(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "streamlit" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            return True
        if (
            isinstance(node, ast.Call)
            and _call_name(node) in {"import_module", "__import__"}
            and node.args
            and _literal_text(node.args[0]).split(".")[0] == "streamlit"
        ):
            return True
    return False


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def test_only_the_ui_imports_streamlit() -> None:
    outside = [
        p
        for p in [*sorted((ROOT / "nhm").rglob("*.py")), *sorted((ROOT / "plugins").rglob("*.py"))]
        if UI not in p.parents and ".venv" not in p.parts
    ]
    assert len(outside) > 20
    importing = [
        p.relative_to(ROOT).as_posix()
        for p in outside
        if _imports_streamlit(ast.parse(p.read_text("utf-8")))
    ]
    assert importing == []
    # the check sees imports where they are
    assert _imports_streamlit(ast.parse((UI / "context.py").read_text("utf-8")))
    assert _imports_streamlit(ast.parse("import importlib\nimportlib.import_module('streamlit')"))
    assert not _imports_streamlit(ast.parse((ROOT / "app.py").read_text("utf-8")))


# --- formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_", "de", "en"),
    [
        (lambda t: t.number(1234.5), "1.234,5", "1,234.5"),
        (lambda t: t.percent(50), "50,0 %", "50.0 %"),
        (lambda t: t.percent(None), "–", "–"),
        (lambda t: t.signed(-2.5), "−2,5 Pp.", "−2.5 pp"),
    ],
)
def test_numbers_follow_the_language(format_: Callable[[Text], str], de: str, en: str) -> None:
    assert (format_(DE), format_(EN)) == (de, en)


def test_stored_times_are_shown_in_german_local_time_whatever_the_server_zone() -> None:
    """The store keeps naive UTC (TIMESTAMP columns); answers come back with tzinfo=UTC."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        assert widgets.local_time(datetime(2025, 1, 15, 12, 0)) == "15.01.2025 13:00"
        assert widgets.local_time(datetime(2025, 7, 15, 12, 0, tzinfo=UTC)) == "15.07.2025 14:00"
        assert widgets.local_time(None) == "–"
        assert widgets.local_time(datetime(2025, 1, 15, 12, 0), "en") == "2025-01-15 13:00"
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
