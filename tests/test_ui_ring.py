"""The Vergleichsringe page: creating a ring, members and consent, the overview with
anonymous labels, the report download, English, and the per-file upload handler (which
``AppTest`` cannot drive through ``st.file_uploader``: it is called with in-memory files)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from ui_fixtures import (
    ACTOR,
    DE,
    EN,
    PERIOD,
    REAL,
    SETUP,
    add_municipalities,
    catalog,
    copy_database,
    german_only_texts,
    labelled,
    open_app,
    rerun,
    use_database,
    values,
    visible_texts,
    write_demo_template,
)

from nhm.benchmark import suppression_reason
from nhm.demo_data import MUSTERREGION_RING, RING_COORDINATOR
from nhm.exchange.assessment_file import dump_json
from nhm.exchange.exporter import stored_document
from nhm.municipality import Municipality, MunicipalityKind
from nhm.rings import RingService, SubmissionStatus
from nhm.store import open_store
from nhm.ui.views import ring as ring_view
from nhm.ui.widgets import inert

PAGE = "nhm/ui/screens/ring.py"
BONN = Municipality(
    ags="05314000", name="Bonn", kind=MunicipalityKind.KREISFREIE_STADT, population=330_000
)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_database(monkeypatch, tmp_path / "nhm.duckdb")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_template(tmp_path_factory.mktemp("ring-demo"))


@pytest.fixture
def demo_db(demo_template: Path, db: Path) -> Path:
    return copy_database(demo_template, db)


@dataclass(frozen=True)
class DemoRing:
    id: int
    named: dict[str, str]  # consenting members: AGS → name
    hidden: dict[str, str]  # the others
    viewer: str  # a member without consent, with a submitted assessment


@pytest.fixture
def demo_ring(demo_db: Path) -> DemoRing:
    with open_store(demo_db) as store:
        ring = next(r for r in store.rings.list() if r.name == MUSTERREGION_RING)
        members = store.rings.members(ring.id)
        statuses = RingService(store, catalog()).status(ring.id)
    submitted = {s.ags for s in statuses if s.status is SubmissionStatus.SUBMITTED}
    hidden = {m.ags: m.name or m.ags for m in members if not m.consent_named}
    return DemoRing(
        id=ring.id,
        named={m.ags: m.name or m.ags for m in members if m.consent_named},
        hidden=hidden,
        viewer=next(a for a in sorted(hidden) if a in submitted),
    )


def ring_page(ags: str | None = None, lang: str | None = None) -> AppTest:
    at = open_app(ags=ags, period=PERIOD if ags else None, lang=lang)
    at.switch_page(PAGE)
    return rerun(at)


def overview_texts(at: AppTest) -> list[str]:
    """What the overview shows about members: its tables and the charts' hover texts."""
    texts: list[str] = []
    for frame in at.dataframe:
        if list(frame.value.columns[:1]) in ([DE("ring.col_member")], [EN("ring.col_member")]):
            texts += [str(cell) for row in frame.value.itertuples(index=False) for cell in row]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec["data"]:
            texts += [str(t) for t in trace.get("text") or []]
    return texts


def member_table(at: AppTest, lang: Any = DE) -> list[dict[str, Any]]:
    [frame] = [f for f in at.dataframe if list(f.value.columns[:1]) == [lang("ring.col_member")]]
    return frame.value.to_dict("records")


# --- creating a ring and its members -------------------------------------------------------


def test_create_a_ring_with_the_form(db: Path) -> None:
    add_municipalities(db, REAL)
    at = ring_page()
    assert values(at.title) == [DE("ring.title")]
    assert DE("ring.none") in values(at.info)
    at.text_input(key="ring-create-name").set_value("Ring Rheinland")
    at.number_input(key="ring-create-period").set_value(2025)
    at.number_input(key="ring-create-min").set_value(6)
    labelled(at.button, DE("ring.create_button")).click()
    rerun(at)
    assert DE("ring.created", name="Ring Rheinland") in values(at.success)
    assert "Ring Rheinland" in values(at.subheader)
    assert at.selectbox(key=ring_view.RING_KEY).value is not None
    with open_store(db) as store:
        [ring] = store.rings.list()
    assert (ring.name, ring.period, ring.min_group_size, ring.coordinator) == (
        "Ring Rheinland",
        2025,
        6,
        ACTOR,
    )
    assert DE("ring.no_members") in values(at.info)

    at.text_input(key="ring-create-name").set_value(" ring rheinland ")
    labelled(at.button, DE("ring.create_button")).click()
    rerun(at)
    assert DE("ring.create_exists", name="ring rheinland") in values(at.error)
    at.text_input(key="ring-create-name").set_value("  ")
    labelled(at.button, DE("ring.create_button")).click()
    rerun(at)
    assert DE("ring.create_no_name") in values(at.error)
    with open_store(db) as store:
        assert len(store.rings.list()) == 1


def test_add_members_by_search_and_ags_then_toggle_consent(db: Path) -> None:
    add_municipalities(db, REAL, BONN)
    with open_store(db) as store:
        ring = store.rings.create("Ring Rheinland", "Koordination", SETUP, period=PERIOD)
    at = ring_page()
    at.text_input(key=f"ring-search:{ring.id}").set_value("Köl")
    rerun(at)
    found = at.multiselect(key=f"ring-add-found:{ring.id}")
    assert found.options == [f"{REAL.name} ({REAL.ags}) · Kreisfreie Stadt · Nordrhein-Westfalen"]
    found.set_value([REAL.ags])
    at.text_area(key=f"ring-add-ags:{ring.id}").set_value("123, 09999999")
    labelled(at.button, DE("ring.add_button")).click()
    rerun(at)
    assert values(at.error) == [
        DE("ring.add_malformed", values="123"),
        DE("ring.add_unknown", values="09999999"),
    ]
    with open_store(db) as store:
        assert store.rings.members(ring.id) == []  # all or none

    at.text_area(key=f"ring-add-ags:{ring.id}").set_value(BONN.ags)
    labelled(at.button, DE("ring.add_button")).click()
    rerun(at)
    assert DE("ring.added", count=2) in values(at.success)
    assert at.text_area(key=f"ring-add-ags:{ring.id}").value == ""
    with open_store(db) as store:
        members = {m.ags: m for m in store.rings.members(ring.id)}
    assert set(members) == {REAL.ags, BONN.ags}
    assert not any(m.consent_named for m in members.values())
    # two members: below the minimum of five, the overview gives only the reason
    assert DE("ring.suppressed", reason=suppression_reason(5).de) in values(at.info)
    rows = {r[DE("ring.col_ags")]: r for r in table(at, DE("ring.col_name"))}
    assert rows[REAL.ags][DE("ring.col_status")] == DE("ring.status_missing")
    assert rows[REAL.ags][DE("ring.col_named")] == DE("ring.named_no")

    labelled(at.toggle, DE("ring.consent_toggle", name=REAL.name, ags=REAL.ags)).set_value(True)
    rerun(at)
    assert DE("ring.consent_given", name=REAL.name, ags=REAL.ags) in values(at.success)
    with open_store(db) as store:
        member = next(m for m in store.rings.members(ring.id) if m.ags == REAL.ags)
    assert member.consent_named and member.consent_by == ACTOR and member.consent_at
    rows = {r[DE("ring.col_ags")]: r for r in table(at, DE("ring.col_name"))}
    assert rows[REAL.ags][DE("ring.col_named")] == DE("ring.named_yes")
    assert rows[REAL.ags][DE("ring.col_consent_by")] == ACTOR
    toggle = labelled(at.toggle, DE("ring.consent_toggle", name=REAL.name, ags=REAL.ags))
    assert toggle.value is True
    toggle.set_value(False)
    rerun(at)
    assert DE("ring.consent_withdrawn", name=REAL.name, ags=REAL.ags) in values(at.success)
    with open_store(db) as store:
        assert not next(m for m in store.rings.members(ring.id) if m.ags == REAL.ags).consent_named


def table(at: AppTest, first_column: str) -> list[dict[str, Any]]:
    [frame] = [f for f in at.dataframe if list(f.value.columns[:1]) == [first_column]]
    return frame.value.to_dict("records")


# --- the overview --------------------------------------------------------------------------


def test_the_overview_shows_anonymous_labels_and_names_only_with_consent(
    demo_db: Path, demo_ring: DemoRing
) -> None:
    at = ring_page()
    assert at.selectbox(key=ring_view.RING_KEY).value == demo_ring.id
    assert DE("ring.view_coordinator") in values(at.caption)
    with open_store(demo_db) as store:
        want = RingService(store, catalog()).overview(demo_ring.id)
    rows = member_table(at)
    assert [r[DE("ring.col_member")] for r in rows] == [m.label for m in want.members]
    labels = [r[DE("ring.col_member")] for r in rows]
    named = [label for label in labels if not label.startswith("Kommune ")]
    assert set(named) <= set(demo_ring.named.values()) and named
    assert any(label.startswith("Kommune ") for label in labels)
    shown = " ".join(overview_texts(at))
    for ags, name in demo_ring.hidden.items():
        assert name not in shown and ags not in shown
    first = catalog().dimensions[0]
    assert rows[0][first.title.de] == DE.percent(want.members[0].scores[first.id])
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    names = [trace.get("name") for trace in charts[0]["data"]]
    assert names == [DE("ring.members_marker"), DE("ring.median_marker")]
    assert json.loads(at.get("plotly_chart")[0].proto.config)["displaylogo"] is False

    # a member chosen on the start page sees its own label highlighted
    at = ring_page(ags=demo_ring.viewer)
    assert DE("ring.view_member", name=demo_ring.hidden[demo_ring.viewer]) in values(at.caption)
    labels = [r[DE("ring.col_member")] for r in member_table(at)]
    own = [label for label in labels if label.endswith(DE("ring.own_label", label=""))]
    assert len(own) == 1 and own[0].startswith("Kommune ")
    names = [t.get("name") for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert DE("ring.own_marker") in names


def test_report_download_and_english(demo_db: Path, demo_ring: DemoRing) -> None:
    at = ring_page(lang="en")
    assert values(at.title) == [EN("ring.title")]
    assert [tab.label for tab in at.tabs] == [
        EN("ring.tab_members"),
        EN("ring.tab_import"),
        EN("ring.tab_overview"),
        EN("ring.tab_report"),
    ]
    assert member_table(at, EN)
    # the demo ring's name and coordinator are data (German), not texts of the page
    data = tuple(x for d in (MUSTERREGION_RING, RING_COORDINATOR) for x in (inert(d), d))
    shown = [_without(text, data) for text in visible_texts(at)]
    leaks = {f for f in german_only_texts() for text in shown if f in text}
    assert not leaks, leaks
    labelled(at.button, EN("ring.make_xlsx")).click()
    rerun(at)
    [download] = [b for b in at.get("download_button") if b.proto.label == EN("ring.download_xlsx")]
    assert download.proto.label == EN("ring.download_xlsx")


def _without(text: str, parts: tuple[str, ...]) -> str:
    for part in parts:
        text = text.replace(part, "")
    return text


# --- the upload handler --------------------------------------------------------------------


@dataclass(frozen=True)
class MemoryFile:
    """An upload as Streamlit hands it over: a name and the bytes."""

    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


@pytest.fixture
def uploads(demo_db: Path, demo_ring: DemoRing) -> Iterator[tuple[list[MemoryFile], str]]:
    """A submitted member's file (already stored), a draft member's file marked submitted,
    a broken file, one of a municipality outside the ring and one for another year."""
    with open_store(demo_db) as store:
        statuses = RingService(store, catalog()).status(demo_ring.id)
        members = {s.ags for s in statuses}
        submitted = next(s.ags for s in statuses if s.status is SubmissionStatus.SUBMITTED)
        draft = next(s.ags for s in statuses if s.status is SubmissionStatus.DRAFT)
        outsider = next(
            m.ags for m in store.municipalities.list() if m.is_demo and m.ags not in members
        )

        def exported(ags: str, **changes: Any) -> bytes:
            data = json.loads(dump_json(stored_document(store, catalog(), ags, PERIOD)))
            data.update(changes)
            return json.dumps(data, ensure_ascii=False).encode()

        files = [
            MemoryFile("mitglied.json", exported(submitted)),
            MemoryFile("entwurf fertig.json", exported(draft, status="submitted")),
            MemoryFile("kaputt.json", b'{"format": "nhm-assessment/1", "period": "x"}'),
            MemoryFile("fremd.json", exported(outsider)),
            MemoryFile("vorjahr.json", exported(submitted, period=PERIOD - 1)),
        ]
    yield files, draft


def test_the_upload_handler_imports_each_file_on_its_own(
    demo_db: Path, demo_ring: DemoRing, uploads: tuple[list[MemoryFile], str]
) -> None:
    files, draft = uploads
    seen: list[tuple[int, int, str]] = []
    with open_store(demo_db) as store:
        service = RingService(store, catalog())
        outcomes = ring_view.import_uploads(
            service,
            demo_ring.id,
            files,
            ACTOR,
            period=PERIOD,
            progress=lambda *args: seen.append(args),
        )
        status = {s.ags: s.status for s in service.status(demo_ring.id)}
    assert seen == [(i, 5, f.name) for i, f in enumerate(files, start=1)]
    assert [o.imported for o in outcomes] == [True, True, False, False, False]
    assert status[draft] is SubmissionStatus.SUBMITTED
    lines = ring_view.result_lines(DE, outcomes)  # Markdown: file names escaped
    assert lines[0] == (
        True,
        DE(
            "ring.imported_line",
            name=inert("mitglied.json"),
            assessment=outcomes[0].key,
            action=DE("ring.action_unchanged"),
        ),
    )
    assert lines[1][1].endswith(f"({DE('ring.action_replaced')})")
    assert lines[2][1].startswith(r"kaputt\.json: abgewiesen – die Datei ist fehlerhaft: Zeile 1")
    assert "municipality" in lines[2][1]
    assert lines[3] == (
        False,
        DE("ring.rejected_not_member", name=inert("fremd.json"), ags=outcomes[3].ags),
    )
    assert lines[4][1] == DE(
        "ring.rejected_wrong_period", name=inert("vorjahr.json"), period=PERIOD - 1, expected=PERIOD
    )
    english = ring_view.result_lines(EN, outcomes)
    assert english[4][1] == (
        rf"vorjahr\.json: rejected – the file is for {PERIOD - 1}, the ring compares {PERIOD}"
    )
    assert english[2][1].startswith(r"kaputt\.json: rejected – the file is invalid: line 1")
