"""The self-assessment wizard: answers saved at once and kept across sessions, "not
applicable" with its justification, writes based on an outdated answer, clearing, the steps,
submitting and new revisions (Streamlit AppTest on a database of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    ACTOR,
    DE,
    PERIOD,
    REAL,
    SETUP,
    add_municipalities,
    answer,
    answer_all,
    catalog,
    field_key,
    labelled,
    level_key,
    open_app,
    rerun,
    stored,
    total_criteria,
    use_database,
    values,
)

from nhm.assessment import AssessmentStatus, EvidenceStatus, Response
from nhm.store import open_store
from nhm.ui.i18n import TEXTS
from nhm.ui.widgets import inert, local_time

MANDATE = "governance_actors.council_mandate"
LEADERSHIP = "governance_actors.administrative_leadership"
FIRST = catalog().dimensions[0]
NA_CRITERION = next(FIRST.full_id(c) for c in FIRST.criteria if c.na_allowed)  # on step 1


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


@pytest.fixture
def draft(db: Path) -> int:
    """Köln with an empty 2025 draft; returns the draft's id."""
    return add_municipalities(db, REAL, drafts=[REAL.ags])[REAL.ags]


def wizard() -> AppTest:
    return open_app("assessment", ags=REAL.ags, period=PERIOD)


def version(db: Path, criterion_id: str) -> int:
    record = stored(db, REAL.ags)
    assert record is not None
    return record.response_version(criterion_id)


def response(db: Path, criterion_id: str) -> Response | None:
    record = stored(db, REAL.ags)
    assert record is not None
    return record.responses.get(criterion_id)


def test_wizard_shows_the_first_dimension_with_unanswered_criteria(db: Path, draft: int) -> None:
    at = wizard()
    assert values(at.title) == [DE("wizard.title", name=REAL.name, period=PERIOD)]
    steps = at.radio(key="wizard-step")
    assert steps.value == FIRST.id
    assert len(steps.options) == len(catalog().dimensions) + 1
    assert steps.options[0] == f"{FIRST.title.get('de')} (0/{len(FIRST.criteria)})"
    assert steps.options[-1] == DE("wizard.submit_step")
    assert values(at.header) == [FIRST.title.get("de")]
    levels = [r for r in at.radio if r.key.startswith(f"level:{draft}:")]
    assert len(levels) == len(FIRST.criteria)
    assert all(r.value is None for r in levels)
    mandate = at.radio(key=level_key(draft, MANDATE, 0))
    assert len(mandate.options) == 5  # levels 0–4, no "not applicable" for this criterion
    assert mandate.options[2] == DE(
        "wizard.level_option",
        level=2,
        descriptor=catalog().criterion(MANDATE).level(2).get("de"),
    )


def test_an_answer_is_saved_with_its_actor_and_is_still_there_in_a_new_session(
    db: Path, draft: int
) -> None:
    at = wizard()
    at.radio(key=level_key(draft, MANDATE, 0)).set_value(3)
    rerun(at)

    saved = response(db, MANDATE)
    assert saved is not None
    assert (saved.level, saved.not_applicable, saved.answered_by) == (3, False, ACTOR)
    assert saved.evidence_status is EvidenceStatus.SELF_DECLARED
    current = version(db, MANDATE)
    assert current > 0
    assert at.radio(key=level_key(draft, MANDATE, current)).value == 3
    assert at.radio(key="wizard-step").options[0].endswith(f"(1/{len(FIRST.criteria)})")

    again = wizard()  # a reload: a new session on the same database, choice from the URL
    assert again.radio(key=level_key(draft, MANDATE, current)).value == 3
    saved_by = DE("wizard.saved_by", by=inert(ACTOR), at="")  # Markdown: the name escaped
    assert any(c.startswith(saved_by) for c in values(again.caption))
    assert again.radio(key=level_key(draft, LEADERSHIP, 0)).value is None


def test_not_applicable_is_saved_only_with_a_justification(db: Path, draft: int) -> None:
    at = wizard()
    at.radio(key=level_key(draft, NA_CRITERION, 0)).set_value("na")
    rerun(at)
    assert DE("wizard.justification_needed") in values(at.info)
    assert response(db, NA_CRITERION) is None
    justification = at.text_area(key=field_key("justification", draft, NA_CRITERION, 0))
    assert justification.value == ""

    # another field of the answer changes while the justification is still empty
    at.selectbox(key=field_key("evidence", draft, NA_CRITERION, 0)).set_value(
        EvidenceStatus.DOCUMENTED
    )
    rerun(at)
    assert values(at.error) == [DE("wizard.justification_required")]
    assert response(db, NA_CRITERION) is None

    at.text_area(key=field_key("justification", draft, NA_CRITERION, 0)).input("   ")
    rerun(at)
    assert values(at.error) == [DE("wizard.justification_required")]
    assert response(db, NA_CRITERION) is None

    at.text_area(key=field_key("justification", draft, NA_CRITERION, 0)).input(
        "  Die Stadt hat keine Beteiligungen.  "
    )
    rerun(at)
    assert not at.error
    saved = response(db, NA_CRITERION)
    assert saved is not None
    assert (saved.not_applicable, saved.level, saved.justification) == (
        True,
        None,
        "Die Stadt hat keine Beteiligungen.",
    )
    assert saved.evidence_status is EvidenceStatus.DOCUMENTED
    current = version(db, NA_CRITERION)
    assert at.radio(key=level_key(draft, NA_CRITERION, current)).value == "na"
    assert (
        at.text_area(key=field_key("justification", draft, NA_CRITERION, current)).value
        == "Die Stadt hat keine Beteiligungen."
    )


def test_a_write_based_on_an_outdated_answer_keeps_the_stored_one_and_repeats_the_input(
    db: Path, draft: int
) -> None:
    at = wizard()
    assert at.radio(key=level_key(draft, MANDATE, 0)).value is None
    # meanwhile another tab answers the same criterion
    theirs = answer(db, draft, MANDATE, Response(level=3, comment="aus dem anderen Tab"))

    at.radio(key=level_key(draft, MANDATE, 0)).set_value(1)
    rerun(at)

    saved = response(db, MANDATE)
    assert saved is not None
    assert (saved.level, saved.comment, saved.answered_by) == (3, "aus dem anderen Tab", SETUP)
    assert version(db, MANDATE) == theirs
    [warning] = values(at.warning)
    template = TEXTS["wizard.stale"][0]
    before, after = template.split("{message}")
    mine = " · ".join([DE("wizard.level_short", level=1), DE("evidence.self_declared")])
    assert warning.startswith(before)
    assert warning.endswith(after.format(mine=mine))
    assert "changed meanwhile" not in warning  # not the store's English log line
    # the stored answer is shown now
    assert at.radio(key=level_key(draft, MANDATE, theirs)).value == 3
    assert at.text_area(key=field_key("comment", draft, MANDATE, theirs)).value == (
        "aus dem anderen Tab"
    )


def test_evidence_and_comment_are_saved_together_with_the_level(db: Path, draft: int) -> None:
    at = wizard()
    at.text_input(key=field_key("reference", draft, MANDATE, 0)).input("Ratsbeschluss 12/2024")
    rerun(at)
    assert values(at.info) == [DE("wizard.choose_level_first")]
    assert response(db, MANDATE) is None

    at.text_area(key=field_key("comment", draft, MANDATE, 0)).input("Beschluss liegt vor")
    at.selectbox(key=field_key("evidence", draft, MANDATE, 0)).set_value(EvidenceStatus.DOCUMENTED)
    rerun(at)
    assert response(db, MANDATE) is None

    at.radio(key=level_key(draft, MANDATE, 0)).set_value(2)
    rerun(at)
    saved = response(db, MANDATE)
    assert saved is not None
    assert (saved.level, saved.evidence_status, saved.evidence_reference, saved.comment) == (
        2,
        EvidenceStatus.DOCUMENTED,
        "Ratsbeschluss 12/2024",
        "Beschluss liegt vor",
    )
    current = version(db, MANDATE)
    assert at.text_input(key=field_key("reference", draft, MANDATE, current)).value == (
        "Ratsbeschluss 12/2024"
    )

    # a later change of one field keeps the others
    at.text_area(key=field_key("comment", draft, MANDATE, current)).input("geändert")
    rerun(at)
    saved = response(db, MANDATE)
    assert saved is not None
    assert (saved.level, saved.evidence_reference, saved.comment) == (
        2,
        "Ratsbeschluss 12/2024",
        "geändert",
    )
    assert not at.warning


def test_several_fields_of_one_answer_changed_in_one_run_save_once_without_a_conflict(
    db: Path, draft: int
) -> None:
    """The browser may send a typed comment and a level click in one rerun: both callbacks
    run on the same answer version, and the second must not report the first as a conflict."""
    at = wizard()
    at.text_area(key=field_key("comment", draft, MANDATE, 0)).input("Mein Kommentar")
    at.radio(key=level_key(draft, MANDATE, 0)).set_value(2)
    rerun(at)
    assert not at.warning
    assert not at.error
    saved = response(db, MANDATE)
    assert saved is not None
    assert (saved.level, saved.comment) == (2, "Mein Kommentar")


def test_clear_removes_the_answer(db: Path, draft: int) -> None:
    answer(db, draft, MANDATE, Response(level=4))
    current = version(db, MANDATE)
    at = wizard()
    assert at.radio(key=level_key(draft, MANDATE, current)).value == 4
    clear = at.button(key=f"clear:{level_key(draft, MANDATE, current)}")
    assert clear.label == DE("wizard.clear")
    clear.click()
    rerun(at)
    assert response(db, MANDATE) is None
    assert at.radio(key=level_key(draft, MANDATE, 0)).value is None
    assert not [b for b in at.button if b.key and b.key.startswith("clear:")]


def test_next_and_back_move_between_the_steps(db: Path, draft: int) -> None:
    dimensions = catalog().dimensions
    at = wizard()
    assert not [b for b in at.button if b.key == "wizard-back"]
    assert at.button(key="wizard-next").label == DE("wizard.next")
    at.button(key="wizard-next").click()
    rerun(at)
    assert at.radio(key="wizard-step").value == dimensions[1].id
    assert values(at.header) == [dimensions[1].title.get("de")]
    assert at.button(key="wizard-back").label == DE("wizard.back")
    at.button(key="wizard-back").click()
    rerun(at)
    assert at.radio(key="wizard-step").value == dimensions[0].id
    assert values(at.header) == [dimensions[0].title.get("de")]

    for _ in dimensions:
        at.button(key="wizard-next").click()
        rerun(at)
    assert at.radio(key="wizard-step").value == "__submit__"
    assert values(at.header) == [DE("wizard.submit_title")]
    assert not [b for b in at.button if b.key == "wizard-next"]


def test_submit_lists_the_gaps_and_needs_a_confirmation(db: Path, draft: int) -> None:
    answer(db, draft, MANDATE, Response(level=2))
    at = wizard()
    at.radio(key="wizard-step").set_value("__submit__")
    rerun(at)

    missing = total_criteria() - 1
    assert DE("wizard.gaps", count=missing) in values(at.warning)
    gaps = [m for m in values(at.markdown) if m.startswith("- ")]
    assert len(gaps) == missing
    leadership = catalog().criterion(LEADERSHIP).title.get("de")
    assert f"- {FIRST.title.get('de')}: {leadership}" in gaps
    mandate = catalog().criterion(MANDATE).title.get("de")
    assert f"- {FIRST.title.get('de')}: {mandate}" not in gaps

    submit = at.button(key=f"submit:{draft}")
    assert submit.label == DE("wizard.submit")
    assert submit.disabled
    gaps_ok = at.checkbox(key=f"gaps-ok:{draft}")
    assert gaps_ok.label == DE("wizard.submit_with_gaps")
    gaps_ok.check()
    rerun(at)
    assert not at.button(key=f"submit:{draft}").disabled
    record = stored(db, REAL.ags)
    assert record is not None
    assert record.status is AssessmentStatus.DRAFT  # ticking alone submits nothing

    at.button(key=f"submit:{draft}").click()
    rerun(at)
    record = stored(db, REAL.ags)
    assert record is not None
    assert (record.status, record.submitted_by) == (AssessmentStatus.SUBMITTED, ACTOR)
    assert values(at.success) == [DE("wizard.submitted")]
    assert values(at.info) == [
        DE("wizard.read_only", revision=1, at=local_time(record.submitted_at), by=inert(ACTOR))
    ]
    assert not [r for r in at.radio if r.key.startswith("level:")]
    assert not at.text_area
    assert labelled(at.button, DE("wizard.new_revision")).key == "new-revision"


def test_a_complete_assessment_submits_without_confirmation(db: Path, draft: int) -> None:
    answer_all(db, draft, {d.full_id(c): Response(level=1) for d, c in catalog().iter_criteria()})
    at = wizard()
    at.radio(key="wizard-step").set_value("__submit__")
    rerun(at)
    assert DE("wizard.complete") in values(at.success)
    assert not at.checkbox
    assert not at.button(key=f"submit:{draft}").disabled


def test_a_new_revision_copies_the_answers_of_the_submitted_one(db: Path, draft: int) -> None:
    answer(db, draft, MANDATE, Response(level=3, comment="bleibt"))
    with_gaps = stored(db, REAL.ags)
    assert with_gaps is not None
    with open_store(db) as store:
        store.assessments.submit(draft, with_gaps.version, SETUP)

    at = wizard()
    assert not [r for r in at.radio if r.key.startswith("level:")]
    at.button(key="new-revision").click()
    rerun(at)

    revision = stored(db, REAL.ags)
    assert revision is not None
    assert (revision.revision, revision.status) == (2, AssessmentStatus.DRAFT)
    copied = revision.responses[MANDATE]
    assert (copied.level, copied.comment) == (3, "bleibt")
    first = stored(db, REAL.ags, revision=1)
    assert first is not None
    assert first.status is AssessmentStatus.SUBMITTED
    assert values(at.success) == [DE("wizard.revision_started", revision=2)]
    # the wizard edits the new revision now, with the copied answer
    assert (
        at.radio(key=level_key(revision.id, MANDATE, revision.response_version(MANDATE))).value == 3
    )


def test_wizard_without_a_choice_asks_to_choose_first(db: Path) -> None:
    at = open_app("assessment")
    assert values(at.title) == [DE("wizard.title_plain")]
    assert values(at.info) == [DE("common.choose_first")]
    assert not at.radio


def test_wizard_for_a_year_without_assessment_offers_to_begin(db: Path, draft: int) -> None:
    at = open_app("assessment", ags=REAL.ags, period=2019)
    assert values(at.info) == [DE("start.none_for_period", period=2019)]
    labelled(at.button, DE("start.begin", period=2019)).click()
    rerun(at)
    record = stored(db, REAL.ags, 2019)
    assert record is not None
    assert record.created_by == ACTOR
    assert at.radio(key="wizard-step").value == FIRST.id
