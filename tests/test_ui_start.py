"""The app's start page and frame: choosing a municipality, starting an assessment, adding a
municipality by hand, and the demo banner (Streamlit AppTest on a database of its own)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    ACTOR,
    DE,
    DEMO,
    DEMO_VILLAGE,
    EN,
    PERIOD,
    REAL,
    add_municipalities,
    answer,
    labelled,
    open_app,
    rerun,
    stored,
    stored_municipalities,
    total_criteria,
    use_database,
    values,
)

from nhm.assessment import AssessmentStatus, Response
from nhm.municipality import Municipality, MunicipalityKind
from nhm.ui.widgets import inert, municipality_label

SELECTION = "nhm_selection"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


@pytest.fixture
def directory(db: Path) -> Path:
    """Köln (real), Musterstadt and Kleinmusterdorf (demo); Musterstadt has a 2025 draft."""
    draft = add_municipalities(db, REAL, DEMO, DEMO_VILLAGE, drafts=[DEMO.ags])[DEMO.ags]
    answer(db, draft, "governance_actors.council_mandate", Response(level=2))
    return db


def test_empty_database_shows_the_german_start_page_and_the_empty_directory_hint(
    db: Path,
) -> None:
    at = open_app()
    assert values(at.title) == [DE("start.title")]
    assert values(at.info) == [DE("start.empty_directory")]
    assert not at.warning  # no "no municipality matches “”" before anything was searched
    assert not at.error
    assert SELECTION not in at.session_state
    assert labelled(at.sidebar.selectbox, DE("app.language")).value == "de"
    assert DE("app.database", path=inert(str(db))) in values(at.sidebar.caption)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("köln", [REAL]),
        ("MUSTER", [DEMO_VILLAGE, DEMO]),  # by name, case-insensitive, ordered by AGS
        ("0519", [DEMO]),  # by AGS prefix
        ("0531500", [REAL]),
    ],
)
def test_search_finds_municipalities_by_name_and_ags_prefix(
    directory: Path, query: str, expected: list[Municipality]
) -> None:
    at = open_app()
    at.text_input(key="start-search").input(query)
    rerun(at)
    found = at.selectbox(key=f"start-municipality-{query}")
    assert found.options == [municipality_label(m, DE) for m in expected]
    assert found.value is None  # nothing chosen yet
    assert not at.warning


def test_search_without_match_says_so(directory: Path) -> None:
    at = open_app()
    at.text_input(key="start-search").input("Atlantis")
    rerun(at)
    assert values(at.warning) == [DE("start.no_match", query="Atlantis")]
    assert not [s for s in at.selectbox if s.key and s.key.startswith("start-municipality")]


def test_choosing_a_municipality_sets_the_selection_and_shows_its_assessments(
    directory: Path,
) -> None:
    at = open_app()
    at.text_input(key="start-search").input("0519")
    rerun(at)
    at.selectbox(key="start-municipality-0519").set_value(DEMO.ags)
    rerun(at)

    # the latest year with an assessment is chosen, in the session and in the URL
    assert at.session_state[SELECTION] == (DEMO.ags, PERIOD)
    assert at.query_params["ags"] == DEMO.ags
    assert at.query_params["period"] == str(PERIOD)
    assert DE("start.state_title", name=DEMO.name, ags=DEMO.ags) in values(at.subheader)
    current = DE(
        "start.current",
        period=PERIOD,
        revision=1,
        status=DE("status.draft"),
        answered=1,
        total=total_criteria(),
    )
    assert current in values(at.markdown)
    table = at.dataframe[0].value
    assert table[DE("col.status")].tolist() == [DE("status.draft")]
    assert table[DE("col.answered")].tolist() == [f"1 / {total_criteria()}"]
    assert labelled(at.button, DE("start.open_draft"))
    assert DE("app.chosen", name=DEMO.name, ags=DEMO.ags, period=PERIOD) in values(
        at.sidebar.caption
    )


def test_changing_the_year_keeps_the_municipality(directory: Path) -> None:
    at = open_app(ags=DEMO.ags, period=PERIOD)
    labelled(at.number_input, DE("start.period")).set_value(2023)
    rerun(at)
    assert at.session_state[SELECTION] == (DEMO.ags, 2023)
    assert DE("start.none_for_period", period=2023) in values(at.info)
    assert labelled(at.button, DE("start.begin", period=2023))


def test_begin_creates_a_draft_and_opens_the_wizard(directory: Path) -> None:
    at = open_app(ags=REAL.ags, period=2024)
    assert DE("start.none_for_period", period=2024) in values(at.info)
    assert stored(directory, REAL.ags, 2024) is None

    labelled(at.button, DE("start.begin", period=2024)).click()
    rerun(at)

    record = stored(directory, REAL.ags, 2024)
    assert record is not None
    assert (record.revision, record.status, record.created_by) == (
        1,
        AssessmentStatus.DRAFT,
        ACTOR,
    )
    assert record.responses == {}
    assert values(at.title) == [DE("wizard.title", name=REAL.name, period=2024)]


def test_continue_opens_the_most_recent_draft(directory: Path) -> None:
    at = open_app()
    assert DE("start.continue") in values(at.subheader)
    draft = stored(directory, DEMO.ags)
    assert draft is not None
    at.button(key=f"continue-{draft.id}").click()
    rerun(at)
    assert at.session_state[SELECTION] == (DEMO.ags, PERIOD)
    assert values(at.title) == [DE("wizard.title", name=DEMO.name, period=PERIOD)]


def test_english_stays_english_when_a_button_opens_another_page(directory: Path) -> None:
    """st.switch_page drops the language widget's state; the app keeps the choice."""
    at = open_app()
    at.selectbox(key="lang").set_value("en")
    rerun(at)
    draft = stored(directory, DEMO.ags)
    assert draft is not None
    at.button(key=f"continue-{draft.id}").click()
    rerun(at)
    assert values(at.title) == [EN("wizard.title", name=DEMO.name, period=PERIOD)]
    assert at.selectbox(key="lang").value == "en"


def _fill_add_form(
    at: AppTest, ags: str, name: str, kind: MunicipalityKind, population: int | None
) -> AppTest:
    labelled(at.text_input, DE("field.ags")).input(ags)
    labelled(at.text_input, DE("field.name")).input(name)
    labelled(at.selectbox, DE("field.kind")).set_value(kind)
    if population is not None:
        labelled(at.number_input, DE("field.population")).set_value(population)
    labelled(at.button, DE("start.add_button")).click()
    return rerun(at)


def test_adding_a_municipality_with_an_invalid_ags_names_the_field_and_writes_nothing(
    db: Path,
) -> None:
    at = open_app()
    _fill_add_form(at, "1234", "Irgendwo", MunicipalityKind.GEMEINDE, None)
    errors = values(at.error)
    assert errors == [
        DE(
            "error.field",
            field=DE("field.ags"),
            message=DE("validation.string_pattern_mismatch.ags"),
        )
    ]
    assert not at.success
    assert stored_municipalities(db) == []
    assert SELECTION not in at.session_state


def test_an_empty_name_is_refused_in_german(db: Path) -> None:
    at = open_app()
    _fill_add_form(at, REAL.ags, "", REAL.kind, None)
    assert values(at.error) == [
        DE("error.field", field=DE("field.name"), message=DE("validation.string_too_short"))
    ]
    assert stored_municipalities(db) == []


def test_adding_a_municipality_by_hand_saves_and_chooses_it(db: Path) -> None:
    expected = Municipality(
        ags=REAL.ags, name=REAL.name, kind=REAL.kind, population=REAL.population
    )
    at = open_app()
    _fill_add_form(at, REAL.ags, REAL.name, REAL.kind, REAL.population)
    assert not at.error
    assert values(at.success) == [
        DE("start.added", name=REAL.name, ags=REAL.ags, land=expected.land_name)
    ]
    [saved] = stored_municipalities(db)
    assert (saved.ags, saved.name, saved.kind, saved.population, saved.is_demo) == (
        REAL.ags,
        REAL.name,
        REAL.kind,
        REAL.population,
        False,
    )
    assert at.session_state[SELECTION] == (REAL.ags, date.today().year)
    assert DE("start.state_title", name=REAL.name, ags=REAL.ags) in values(at.subheader)

    # the same AGS a second time is refused and changes nothing
    _fill_add_form(at, REAL.ags, "Doppelt", REAL.kind, None)
    assert values(at.error) == [DE("start.add_exists", ags=REAL.ags)]
    assert [m.name for m in stored_municipalities(db)] == [REAL.name]


def test_an_ags_with_99_is_added_as_a_demo_municipality(db: Path) -> None:
    at = open_app()
    spaced = f"{DEMO_VILLAGE.ags[:2]} {DEMO_VILLAGE.ags[2:5]} {DEMO_VILLAGE.ags[5:]}"
    _fill_add_form(at, spaced, DEMO_VILLAGE.name, DEMO_VILLAGE.kind, None)  # as printed
    assert not at.error
    [saved] = stored_municipalities(db)
    assert saved.ags == DEMO_VILLAGE.ags
    assert saved.is_demo
    assert at.session_state[SELECTION] == (DEMO_VILLAGE.ags, date.today().year)
    # adding reruns the page, so the banner marks the demo choice at once
    assert values(at.warning) == [DE("app.demo_selected")]
    assert values(rerun(at).warning) == [DE("app.demo_selected")]
    assert not at.success  # the "added" message is shown once


# --- the demo banner ----------------------------------------------------------------------------


def test_demo_banner_warns_when_a_demo_municipality_is_chosen(directory: Path) -> None:
    for page in ("start", "assessment", "results"):
        at = open_app(page, ags=DEMO.ags, period=PERIOD)
        assert values(at.warning).count(DE("app.demo_selected")) == 1, page
        assert at.warning[0].value == DE("app.demo_selected")  # above the page
        assert at.warning[0].icon == ":material/science:"
        assert DE("app.demo_database") not in values(at.info)


def test_demo_database_info_when_a_real_municipality_is_chosen_in_a_demo_database(
    directory: Path,
) -> None:
    at = open_app(ags=REAL.ags, period=PERIOD)
    assert DE("app.demo_database") in values(at.info)
    assert DE("app.demo_selected") not in values(at.warning)
    without_choice = open_app()
    assert DE("app.demo_database") in values(without_choice.info)


def test_no_demo_banner_on_a_database_with_real_data_only(db: Path) -> None:
    add_municipalities(db, REAL, drafts=[REAL.ags])
    for page in ("start", "assessment", "results"):
        at = open_app(page, ags=REAL.ags, period=PERIOD)
        shown = values(at.info) + values(at.warning)
        assert DE("app.demo_database") not in shown, page
        assert DE("app.demo_selected") not in shown, page
        assert DE("common.demo_tag") not in " ".join(str(v) for v in values(at.caption))


def test_an_unknown_sign_in_mode_is_named(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHM_AUTH", "ldap")
    at = open_app()
    [error] = values(at.error)
    assert "NHM_AUTH" in error and "'ldap'" in error
    assert not at.title
