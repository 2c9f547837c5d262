"""Free text is shown as text, never as HTML, a Markdown link or a script (issue 9).

Streamlit renders Markdown in headings, messages, captions, widget labels and tooltips; the app
escapes every user-provided value it puts there (``nhm.ui.widgets.inert``). The element values
``AppTest`` reports are the Markdown sources, so they must hold the escaped text (``\\<script\\>``)
and never the raw markup. Table cells, option texts and the values of text fields are not
Markdown: they show the raw text unchanged. Charts (Plotly reads a few HTML tags) get the text
with ``<``, ``>`` and ``&`` as entities.

The app runs without sign-in (``NHM_AUTH`` unset: the local user with every right)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_text import COMPANIES, EVIDENCE, MANDATE, RING_NAME, hostile_answers
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    DE,
    SETUP,
    catalog,
    field_key,
    labelled,
    level_key,
    open_app,
    rerun,
    use_database,
    values,
)

from nhm.assessment import Response
from nhm.municipality import Municipality, MunicipalityKind
from nhm.rings import FileOutcome, Rejection, RingService
from nhm.store import open_store
from nhm.structured_file import FieldError
from nhm.ui.views import ring as ring_view
from nhm.ui.widgets import chart_text, inert, municipality_label

PERIOD = 2025
EARLIER = 2024
COMMENT = "<script>alert('x')</script>"
OLD_EVIDENCE = "Beschluss <i>alt</i>"
JUSTIFICATION = "**bold** :red[x] $x$"
NAME = "Emsdorf <b>fett</b> [x](javascript:alert(1))"
WRITER = "<i>Import</i> [w](javascript:alert(4))"  # answered_by can come from an imported file
COORDINATOR = "<img src=x onerror=alert(3)> **Leitung**"
TOWN = Municipality(ags="05162099", name=NAME, kind=MunicipalityKind.GEMEINDE, population=14_000)
ACTORS = catalog().dimension("governance_actors")
OTHER = next(
    ACTORS.full_id(c) for c in ACTORS.criteria if ACTORS.full_id(c) not in (MANDATE, COMPANIES)
)
PAGES = {
    "history": "nhm/ui/screens/history.py",
    "ring": "nhm/ui/screens/ring.py",
    "benchmark": "nhm/ui/screens/benchmark.py",
}
RAW = ("<script", "<b>", "<i>", "<img", "](javascript", "javascript:", "**bold**", ":red[", "$x$")
"""What must never reach Markdown as it is: each would become markup, a link or a formula."""


def unescaped(raw: str, text: str) -> bool:
    """Whether ``raw`` occurs in the Markdown ``text`` without a backslash before it (the
    escaped ``\\<script`` still contains ``<script``, but Markdown shows it as text)."""
    return re.search(r"(?<!\\)" + re.escape(raw), text) is not None


@dataclass(frozen=True)
class Seeded:
    path: Path
    draft: int  # the 2025 draft with the markup answers
    ring: int
    min_group_size: int
    versions: dict[str, int]  # the draft's answers: criterion id → version


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    """A municipality named with markup: 2024 submitted, a 2025 draft answered (by a writer
    named with markup) with a script comment, a javascript: evidence link and a justification
    in Markdown; a ring named with markup that the municipality is a member of."""
    monkeypatch.delenv("NHM_AUTH", raising=False)
    path = use_database(monkeypatch, tmp_path / "nhm.duckdb")
    with open_store(path) as store:
        store.municipalities.save(TOWN, SETUP)
        earlier = store.assessments.create_draft(TOWN.ags, EARLIER, catalog(), SETUP)
        earlier = store.assessments.save_response(
            earlier.id,
            MANDATE,
            Response(level=1, evidence_reference=OLD_EVIDENCE),
            0,
            catalog(),
            SETUP,
        )
        store.assessments.submit(earlier.id, earlier.version, SETUP)
        draft = store.assessments.create_draft(TOWN.ags, PERIOD, catalog(), WRITER)
        answers = hostile_answers(COMMENT, JUSTIFICATION)
        for criterion_id, response in answers.items():
            draft = store.assessments.save_response(
                draft.id, criterion_id, response, 0, catalog(), WRITER
            )
        ring = store.rings.create(RING_NAME, COORDINATOR, SETUP, period=PERIOD)
        RingService(store, catalog()).add_members(ring.id, [TOWN.ags], SETUP)
        versions = {c: draft.response_version(c) for c in answers}
    return Seeded(path, draft.id, ring.id, ring.min_group_size, versions)


def page(name: str) -> AppTest:
    """A page with the municipality and 2025 chosen (as from a bookmark)."""
    if name in ("start", "assessment", "results"):
        return open_app(name, ags=TOWN.ags, period=PERIOD)
    at = open_app(ags=TOWN.ags, period=PERIOD)
    at.switch_page(PAGES[name])
    return rerun(at)


def markdown_texts(at: AppTest) -> Iterator[str]:
    """Everything Streamlit renders as Markdown: headings, texts, messages, captions (the
    sidebar's too), widget labels, radio options, tab labels and tooltips."""
    for kind in ("title", "header", "subheader", "markdown", "caption"):
        yield from (str(v) for v in values(getattr(at, kind)))
    yield from (str(v) for v in values(at.sidebar.caption))
    for kind in ("info", "warning", "error", "success", "toast"):
        yield from (str(v) for v in values(at.get(kind)))
    for kind in (
        "button",
        "checkbox",
        "toggle",
        "text_input",
        "text_area",
        "number_input",
        "selectbox",
        "multiselect",
        "radio",
    ):
        for element in getattr(at, kind):
            yield element.label
            yield element.help or ""
    for radio in at.radio:
        yield from (str(option) for option in radio.options)
    for kind in ("expander", "tabs"):
        yield from (element.label for element in getattr(at, kind))


def assert_inert(at: AppTest) -> None:
    for text in markdown_texts(at):
        for raw in RAW:
            assert not unescaped(raw, text), f"{raw!r} reaches Markdown in {text!r}"


def cells(at: AppTest) -> list[str]:
    return [str(cell) for frame in at.dataframe for row in frame.value.values for cell in row]


def chart_titles(at: AppTest) -> list[str]:
    titles = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        titles.append(str(spec["layout"].get("title", {}).get("text", "")))
        titles += [str(trace.get("name", "")) for trace in spec["data"]]
    return titles


# --- the wizard ---------------------------------------------------------------------------------


def test_the_wizard_escapes_names_and_shows_the_typed_texts_raw_in_the_fields(
    seeded: Seeded,
) -> None:
    at = page("assessment")
    assert values(at.title) == [DE("wizard.title", name=inert(NAME), period=PERIOD)]
    assert r"Emsdorf \<b\>fett\</b\> \[x\]\(javascript\:alert\(1\)\)" in values(at.title)[0]
    assert any(inert(WRITER) in caption for caption in values(at.caption))  # draft, saved by
    assert any(inert(NAME) in caption for caption in values(at.sidebar.caption))
    versions = seeded.versions
    comment = at.text_area(key=field_key("comment", seeded.draft, MANDATE, versions[MANDATE]))
    assert comment.value == COMMENT
    reference = at.text_input(key=field_key("reference", seeded.draft, MANDATE, versions[MANDATE]))
    assert reference.value == EVIDENCE
    key = field_key("justification", seeded.draft, COMPANIES, versions[COMPANIES])
    assert at.text_area(key=key).value == JUSTIFICATION
    assert_inert(at)


def test_a_conflict_repeats_the_typed_input_escaped(seeded: Seeded) -> None:
    at = page("assessment")
    # meanwhile another tab answers the same criterion
    with open_store(seeded.path) as store:
        store.assessments.save_response(
            seeded.draft, OTHER, Response(level=3), 0, catalog(), WRITER
        )
    mine = "<script>alert('mine')</script> [m](javascript:alert(5))"
    at.text_area(key=field_key("comment", seeded.draft, OTHER, 0)).input(mine)
    at.text_input(key=field_key("reference", seeded.draft, OTHER, 0)).input(EVIDENCE)
    at.radio(key=level_key(seeded.draft, OTHER, 0)).set_value(1)
    rerun(at)
    [warning] = values(at.warning)
    assert f"„{inert(mine)}“" in warning
    assert inert(EVIDENCE) in warning
    assert inert(WRITER) in warning  # who changed it meanwhile
    assert_inert(at)


# --- results and history ------------------------------------------------------------------------


def test_results_escape_the_title_and_show_the_answers_raw_in_their_table(
    seeded: Seeded,
) -> None:
    at = page("results")
    assert values(at.title) == [DE("results.title", name=inert(NAME), period=PERIOD)]
    shown = cells(at)
    assert COMMENT in shown
    assert EVIDENCE in shown
    assert f"{DE('wizard.not_applicable')}: {JUSTIFICATION}" in shown
    assert_inert(at)


def test_history_escapes_the_name_and_lists_what_changed_raw(seeded: Seeded) -> None:
    at = page("history")
    assert values(at.title) == [DE("history.title", name=inert(NAME))]
    details = DE("history.aspect.evidence_reference", before=OLD_EVIDENCE, after=EVIDENCE)
    assert any(details in cell for cell in cells(at)), cells(at)
    titles = chart_titles(at)
    assert DE("history.chart_title", name=chart_text(NAME)) in titles
    assert not any("<b>" in title for title in titles)
    assert_inert(at)


# --- the start page -----------------------------------------------------------------------------


def test_the_start_page_escapes_the_name_and_a_search_without_match(seeded: Seeded) -> None:
    at = page("start")
    assert DE("start.state_title", name=inert(NAME), ags=TOWN.ags) in values(at.subheader)
    assert DE("app.chosen", name=inert(NAME), ags=TOWN.ags, period=PERIOD) in values(
        at.sidebar.caption
    )
    continues = [b.label for b in at.button if b.key and b.key.startswith("continue-")]
    assert continues and all(label.startswith(inert(NAME)) for label in continues)
    # options of a select box are plain text: the name as it is
    assert municipality_label(TOWN, DE) in at.selectbox(key="start-municipality-").options
    assert_inert(at)

    at = open_app()  # nothing chosen: a search can find nothing
    query = "<script>alert(1)</script>"
    at.text_input(key="start-search").input(query)
    rerun(at)
    assert at.text_input(key="start-search").value == query
    assert values(at.warning) == [DE("start.no_match", query=inert(query))]
    assert_inert(at)


def test_a_municipality_added_with_markup_in_its_name_is_announced_escaped(
    seeded: Seeded,
) -> None:
    at = open_app()
    name = "<b>Neu</b> [n](javascript:alert(6)) :red[x]"
    labelled(at.text_input, DE("field.ags")).input("05162098")
    labelled(at.text_input, DE("field.name")).input(name)
    labelled(at.button, DE("start.add_button")).click()
    rerun(at)
    with open_store(seeded.path) as store:
        added = store.municipalities.get("05162098")
    assert added is not None and added.name == name
    [success] = values(at.success)
    assert success.startswith(inert(name))
    assert_inert(at)


# --- rings and the benchmark --------------------------------------------------------------------


def test_the_ring_page_escapes_the_ring_coordinator_and_member_names(seeded: Seeded) -> None:
    at = page("ring")
    assert inert(RING_NAME) in values(at.subheader)
    facts = DE(
        "ring.facts", coordinator=inert(COORDINATOR), period=PERIOD, min=seeded.min_group_size
    )
    assert facts in values(at.caption)
    assert DE("ring.view_member", name=inert(NAME)) in values(at.caption)
    toggle = labelled(at.toggle, DE("ring.consent_toggle", name=inert(NAME), ags=TOWN.ags))
    assert toggle.value is False
    choice = at.selectbox(key=ring_view.RING_KEY)
    assert DE("ring.option", name=RING_NAME, period=PERIOD) in choice.options  # plain text
    assert NAME in cells(at)  # the members table: plain text
    assert_inert(at)

    at.text_area(key=f"ring-add-ags:{seeded.ring}").set_value("<b>1</b>")
    labelled(at.button, DE("ring.add_button")).click()
    rerun(at)
    assert values(at.error) == [DE("ring.add_malformed", values=inert("<b>1</b>"))]
    assert_inert(at)

    at.text_input(key="ring-create-name").set_value(RING_NAME)
    labelled(at.button, DE("ring.create_button")).click()
    rerun(at)
    assert DE("ring.create_exists", name=inert(RING_NAME)) in values(at.error)
    assert_inert(at)


def test_import_results_escape_file_names_and_what_the_file_said() -> None:
    name = "<script>x</script>.json"
    error = FieldError(
        file=Path(name), line=3, field="[f](javascript:alert(7))", message="<b>kaputt</b>"
    )
    outcomes = [
        FileOutcome(name=name, path=Path(name), rejection=Rejection.INVALID, errors=(error,)),
        FileOutcome(name="**fett**.json", path=Path("b.json"), key="05162099/2025/r1"),
    ]
    lines = ring_view.result_lines(DE, outcomes)
    assert lines[0] == (
        False,
        DE(
            "ring.rejected_invalid",
            name=inert(name),
            details=": ".join(
                [DE("ring.error_line", line=3), inert(error.field), inert(error.message)]
            ),
        ),
    )
    assert lines[1][1].startswith(inert("**fett**.json"))
    for _, line in lines:
        assert not any(unescaped(raw, line) for raw in (*RAW, "**fett**"))


def test_the_benchmark_escapes_the_name_and_a_ring_in_the_group(seeded: Seeded) -> None:
    at = page("benchmark")
    assert values(at.title)[0] == DE("benchmark.title", name=inert(NAME), period=PERIOD)
    select = labelled(at.selectbox, DE("benchmark.ring"))
    assert RING_NAME in select.options  # plain text
    assert select.help == DE("benchmark.ring_help", name=inert(NAME))
    select.set_value(seeded.ring)
    rerun(at)
    shown = values(at.info) + values(at.warning) + values(at.subheader)
    assert any(inert(RING_NAME) in text for text in shown), shown
    assert_inert(at)
