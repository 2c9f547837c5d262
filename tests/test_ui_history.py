"""The history page (Verlauf): scores across periods with targets and the numbers behind the
chart, target vs actual with progress since the first assessment, and what changed between
two assessments."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    DE,
    EN,
    PERIOD,
    REAL,
    SETUP,
    add_municipalities,
    catalog,
    german_only_texts,
    labelled,
    open_app,
    rerun,
    use_database,
    values,
    visible_texts,
)

from nhm.assessment import Response
from nhm.history import Aspect, ChangeKind
from nhm.scoring import OVERALL_INDEX_LABEL
from nhm.store import open_store
from nhm.store.targets import TargetRepository
from nhm.ui.i18n import TEXTS

HISTORY_PAGE = "nhm/ui/screens/history.py"
ACTORS = catalog().dimension("governance_actors")
CHANGED = ACTORS.full_id(ACTORS.criteria[0])  # the one criterion that goes up in 2025


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


def levels(level: int, **other: int) -> dict[str, Response]:
    """Every criterion of the first dimension at ``level``, some (full id) at another."""
    answers = {ACTORS.full_id(c): Response(level=level) for c in ACTORS.criteria}
    return {**answers, **{cid: Response(level=value) for cid, value in other.items()}}


def assess(path: Path, period: int, answers: Mapping[str, Response], submit: bool = True) -> int:
    """An assessment of Köln for ``period``, submitted unless ``submit`` is False."""
    with open_store(path) as store:
        draft = store.assessments.create_draft(REAL.ags, period, catalog(), SETUP)
        for criterion_id, response in answers.items():
            draft = store.assessments.save_response(
                draft.id, criterion_id, response, 0, catalog(), SETUP
            )
        if submit:
            store.assessments.submit(draft.id, draft.version, SETUP)
        return draft.id


@pytest.fixture
def three_periods(db: Path) -> Path:
    """Köln: 2023 all level 1 (25 %), 2024 all level 2 (50 %), 2025 one criterion up to 3
    (53,1 %), with the target level 3 for the first dimension (target score 75 %)."""
    add_municipalities(db, REAL)
    assess(db, 2023, levels(1))
    assess(db, 2024, levels(2))
    assess(db, 2025, levels(2, **{CHANGED: 3}))
    with open_store(db) as store:
        TargetRepository(store).set(REAL.ags, ACTORS.id, 3, catalog(), SETUP)
    return db


def history(lang: str | None = None, ags: str | None = REAL.ags) -> AppTest:
    at = open_app(ags=ags, period=PERIOD if ags else None, lang=lang)
    at.switch_page(HISTORY_PAGE)
    return rerun(at)


def chart(at: AppTest) -> dict[str, Any]:
    [element] = at.get("plotly_chart")
    return json.loads(element.proto.spec)


def table(at: AppTest, *columns: str) -> list[dict[str, Any]]:
    """The rows of the one table whose first columns are these."""
    found = [
        f.value for f in at.dataframe if list(f.value.columns[: len(columns)]) == list(columns)
    ]
    assert len(found) == 1, [list(f.value.columns) for f in at.dataframe]
    return found[0].to_dict("records")


def test_the_chart_shows_every_period_with_targets_and_its_numbers(three_periods: Path) -> None:
    at = history()
    assert values(at.title) == [DE("history.title", name=REAL.name)]
    assert DE("history.scores") in values(at.subheader)

    spec = chart(at)
    assert spec["layout"]["title"]["text"] == DE("history.chart_title", name=REAL.name)
    assert spec["layout"]["separators"] == ",."
    names = [trace["name"] for trace in spec["data"]]
    actors = ACTORS.title.get("de")
    assert names[:3] == [
        OVERALL_INDEX_LABEL.get("de"),
        actors,
        DE("history.target_line", dimension=actors),
    ]
    assert names[3:] == [d.title.get("de") for d in catalog().dimensions[1:]]  # no targets
    by_name = {trace["name"]: trace for trace in spec["data"]}
    assert by_name[actors]["x"] == ["2023", "2024", "2025"]
    assert by_name[actors]["y"] == [25.0, 50.0, 53.125]
    target = by_name[DE("history.target_line", dimension=actors)]
    assert target["line"]["dash"] == "dash"
    assert target["y"] == [75.0, 75.0, 75.0]
    assert by_name[catalog().dimensions[1].title.get("de")]["y"] == [None, None, None]
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"]["format"] == "png"

    assert DE("chart.numbers") in [e.label for e in at.expander]
    numbers = table(at, DE("history.col_series"), "2023", "2024", "2025")
    assert numbers[1] == {
        DE("history.col_series"): actors,
        "2023": "25,0 %",
        "2024": "50,0 %",
        "2025": "53,1 %",
    }
    assert numbers[2]["2025"] == "75,0 %"
    assert DE("history.target_note") in values(at.caption)


def test_target_vs_actual_and_progress_since_the_first_assessment(three_periods: Path) -> None:
    at = history()
    assert DE("history.targets_heading", period=2025) in values(at.subheader)
    status = DE("status.submitted")
    caption = DE("history.targets_caption", period=2025, revision=1, status=status, first=2023)
    assert caption in values(at.caption)
    rows = table(at, DE("col.dimension"), DE("history.col_current"))
    overall, actors = rows[0], rows[1]
    assert actors == {
        DE("col.dimension"): ACTORS.title.get("de"),
        DE("history.col_current"): "53,1 %",
        DE("col.target"): "75,0 %",
        DE("history.col_gap"): "21,9 Pp.",
        DE("history.col_of_target"): "70,8 %",
        DE("history.col_first"): "25,0 %",
        DE("col.progress"): "+28,1 Pp.",
    }
    assert overall[DE("col.dimension")] == OVERALL_INDEX_LABEL.get("de")
    assert overall[DE("col.progress")] == "+28,1 Pp."  # only one dimension answered
    assert rows[2][DE("col.target")] == "–"
    assert rows[2][DE("col.progress")] == "–"


def test_what_changed_lists_changed_criteria_and_unchanged_ones_on_demand(
    three_periods: Path,
) -> None:
    at = history()
    assert DE("history.compare") in values(at.subheader)
    before = labelled(at.selectbox, DE("history.before"))
    after = labelled(at.selectbox, DE("history.after"))
    assert before.value != after.value
    submitted = DE("status.submitted")
    assert [o.rsplit(" · ", 1)[0] for o in before.options] == [
        DE("history.assessment_option", period=p, revision=1, status=submitted, date="x")[:-4]
        for p in (2025, 2024, 2023)
    ]
    assert after.format_func(after.value).startswith("2025 · ")
    assert before.format_func(before.value).startswith("2024 · ")
    total = sum(len(d.criteria) for d in catalog().dimensions)
    assert DE("history.summary", improved=1, worsened=0, changed=0, total=total) in values(
        at.markdown
    )
    columns = (DE("col.dimension"), DE("col.criterion"), DE("history.col_before"))
    [row] = table(at, *columns)
    assert row == {
        DE("col.dimension"): ACTORS.title.get("de"),
        DE("col.criterion"): ACTORS.criteria[0].title.get("de"),
        DE("history.col_before"): DE("wizard.level_short", level=2),
        DE("history.col_after"): DE("wizard.level_short", level=3),
        DE("history.col_change"): DE("history.kind.improved"),
        DE("history.col_details"): DE("history.aspect.level", before=2, after=3),
    }

    at.toggle(key="history-show-unchanged").set_value(True)
    rerun(at)
    rows = table(at, *columns)
    assert len(rows) == total
    assert rows[1][DE("history.col_change")] == DE("history.kind.unchanged")
    assert rows[-1][DE("history.col_before")] == "–"  # unanswered in both

    # the other way round, from 2025 back to 2023: everything of the first dimension is lower
    labelled(at.selectbox, DE("history.before")).select_index(0)
    labelled(at.selectbox, DE("history.after")).select_index(2)
    at.toggle(key="history-show-unchanged").set_value(False)
    rerun(at)
    rows = table(at, *columns)
    assert {r[DE("history.col_change")] for r in rows} == {DE("history.kind.worsened")}
    assert len(rows) == len(ACTORS.criteria)


def test_two_revisions_of_one_period_can_be_compared(db: Path) -> None:
    add_municipalities(db, REAL)
    assess(db, PERIOD, levels(2))
    with open_store(db) as store:
        first = store.assessments.get(REAL.ags, PERIOD)
        assert first is not None
        draft = store.assessments.start_revision(REAL.ags, PERIOD, first.version, catalog(), SETUP)
        store.assessments.save_response(
            draft.id,
            CHANGED,
            Response(level=1, comment="Ratsbeschluss aufgehoben"),
            draft.response_version(CHANGED),
            catalog(),
            SETUP,
        )
    at = history()
    # one period: the submitted revision 1 counts, the draft revision 2 waits
    assert chart(at)["data"][1]["x"] == ["2025"]
    after = labelled(at.selectbox, DE("history.after"))
    assert after.options[0].startswith(f"2025 · Revision 2 · {DE('status.draft')} · ")
    total = sum(len(d.criteria) for d in catalog().dimensions)
    assert DE("history.summary", improved=0, worsened=1, changed=0, total=total) in values(
        at.markdown
    )
    [row] = table(at, DE("col.dimension"), DE("col.criterion"))
    assert row[DE("history.col_change")] == DE("history.kind.worsened")
    assert row[DE("history.col_details")] == "; ".join(
        [DE("history.aspect.level", before=2, after=1), DE("history.aspect.comment")]
    )

    labelled(at.selectbox, DE("history.before")).select_index(0)
    rerun(at)
    assert values(at.info) == [DE("history.compare_same")]


def test_a_single_draft_is_shown_without_a_comparison(db: Path) -> None:
    add_municipalities(db, REAL)
    assess(db, PERIOD, levels(3), submit=False)
    at = history()
    assert chart(at)["data"][0]["x"] == [DE("history.period_draft", period=PERIOD)]
    assert DE("history.draft_periods", periods=str(PERIOD)) in values(at.caption)
    assert DE("history.latest_draft") in values(at.caption)
    assert DE("history.no_targets") in values(at.caption)
    assert values(at.info) == [DE("history.compare_single")]
    assert [s.label for s in at.selectbox if s.label == DE("history.before")] == []


def test_without_a_choice_or_without_assessments_the_page_says_what_to_do(db: Path) -> None:
    at = history(ags=None)
    assert values(at.title) == [DE("history.title_plain")]
    assert values(at.info) == [DE("common.choose_first")]
    assert not at.get("plotly_chart")

    add_municipalities(db, REAL)
    at = history()
    assert values(at.title) == [DE("history.title", name=REAL.name)]
    assert values(at.info) == [DE("history.none", name=REAL.name)]
    assert not at.get("plotly_chart")
    assert not at.dataframe


def test_the_page_speaks_english_after_the_switch(three_periods: Path) -> None:
    at = history()
    at.selectbox(key="lang").set_value("en")
    rerun(at)
    assert values(at.title) == [EN("history.title", name=REAL.name)]
    assert values(at.subheader) == [
        EN("history.scores"),
        EN("history.targets_heading", period=2025),
        EN("history.compare"),
    ]
    spec = chart(at)
    assert spec["layout"]["title"]["text"] == EN("history.chart_title", name=REAL.name)
    assert spec["layout"]["separators"] == ".,"
    assert spec["data"][1]["name"] == ACTORS.title.get("en")
    rows = table(at, EN("col.dimension"), EN("history.col_current"))
    assert rows[1][EN("col.progress")] == "+28.1 pp"
    shown = list(visible_texts(at))
    assert not {f for f in german_only_texts() for text in shown if f in text}


def test_every_kind_of_change_has_a_text() -> None:
    """The page composes these keys (``history.kind.*``, ``history.aspect.*``)."""
    keys = [f"history.kind.{k.value}" for k in ChangeKind] + [
        f"history.aspect.{a.value}" for a in Aspect
    ]
    assert [key for key in keys if key not in TEXTS] == []
