"""Helpers for the tests of the Streamlit app (``tests/test_ui_*.py``).

The app runs in Streamlit's ``AppTest`` in this process, on a database file of its own per
test (``NHM_DB``). Data is set up and checked through the store API, the way another tab or
the CLI would see it. The app keeps one store per database path (``st.cache_resource``); the
test's own ``open_store`` on the same path shares DuckDB's database instance in this process.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from nhm.assessment import AssessmentStatus, Response
from nhm.catalog import load_catalog
from nhm.demo_data import DemoSpec, generate, write_demo_data
from nhm.model import Catalog
from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import open_store
from nhm.store.assessments import AssessmentRecord
from nhm.ui.i18n import TEXTS, Text

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES = {
    "start": "nhm/ui/screens/start.py",
    "assessment": "nhm/ui/screens/assessment.py",
    "results": "nhm/ui/screens/results.py",
}
DE = Text("de")
EN = Text("en")
USER = "ui-tester"
ACTOR = f"{USER} (App)"
"""What ``nhm.ui.context.actor()`` records for the user the tests run as."""
SETUP = "test-setup"
"""The actor of data written by the tests themselves."""
PERIOD = 2025

REAL = Municipality(
    ags="05315000",
    name="Köln",
    kind=MunicipalityKind.KREISFREIE_STADT,
    population=1_000_000,
)
DEMO = Municipality(
    ags="05199000",
    name="Musterstadt",
    kind=MunicipalityKind.KREISFREIE_STADT,
    population=120_000,
    is_demo=True,
)
DEMO_VILLAGE = Municipality(
    ags="03399021",
    name="Kleinmusterdorf",
    kind=MunicipalityKind.GEMEINDE,
    population=1_500,
    is_demo=True,
)


@cache
def catalog() -> Catalog:
    return load_catalog()[0]


def total_criteria() -> int:
    return sum(len(d.criteria) for d in catalog().dimensions)


def use_database(monkeypatch: pytest.MonkeyPatch, path: Path) -> Path:
    """Serve ``path`` to the app and run as a known user (the actor of the app's writes)."""
    monkeypatch.setenv("NHM_DB", str(path))
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # getpass.getuser() reads these
        monkeypatch.setenv(name, USER)
    return path


# --- data through the store API ---------------------------------------------------------------


def add_municipalities(
    path: Path, *municipalities: Municipality, drafts: Iterable[str] = ()
) -> dict[str, int]:
    """Save municipalities and start a draft for ``PERIOD`` of each AGS in ``drafts``; returns
    the drafts' ids by AGS."""
    with open_store(path) as store:
        for municipality in municipalities:
            store.municipalities.save(municipality, SETUP)
        return {
            ags: store.assessments.create_draft(ags, PERIOD, catalog(), SETUP).id for ags in drafts
        }


def answer_all(path: Path, assessment_id: int, answers: Mapping[str, Response]) -> dict[str, int]:
    """Save answers as another user (or tab) would; returns their new versions."""
    with open_store(path) as store:
        for criterion_id, response in answers.items():
            version = store.assessments.get_by_id(assessment_id).response_version(criterion_id)
            record = store.assessments.save_response(
                assessment_id, criterion_id, response, version, catalog(), SETUP
            )
    return {criterion_id: record.response_version(criterion_id) for criterion_id in answers}


def answer(path: Path, assessment_id: int, criterion_id: str, response: Response) -> int:
    """Save one answer as another user (or tab) would; returns its new version."""
    return answer_all(path, assessment_id, {criterion_id: response})[criterion_id]


def stored(
    path: Path, ags: str, period: int = PERIOD, revision: int | None = None
) -> AssessmentRecord | None:
    with open_store(path) as store:
        return store.assessments.get(ags, period, revision)


def submitted(path: Path) -> tuple[list[Municipality], Counter[tuple[str | None, bool]]]:
    """Municipalities with a submitted ``PERIOD`` assessment, and the sizes of their size
    classes (size class, is a county)."""
    with open_store(path) as store:
        municipalities = {m.ags: m for m in store.municipalities.list()}
        ags = {
            s.ags
            for s in store.assessments.list(period=PERIOD)
            if s.status is AssessmentStatus.SUBMITTED
        }
    members = [municipalities[a] for a in sorted(ags)]
    return members, Counter((m.size_class, m.kind.is_county) for m in members)


def stored_municipalities(path: Path) -> list[Municipality]:
    with open_store(path) as store:
        return store.municipalities.list()


def write_demo_template(folder: Path) -> Path:
    """A small fictional data set (20 municipalities, 2025, submitted assessments)."""
    path = folder / "demo-template.duckdb"
    data = generate(DemoSpec(municipalities=20, periods=1, seed=1), catalog())
    with open_store(path) as store:
        write_demo_data(store, data, SETUP)
    return path


def copy_database(template: Path, target: Path) -> Path:
    """A copy of a closed database file (with its WAL, if DuckDB left one)."""
    shutil.copyfile(template, target)
    wal = template.with_name(template.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    return target


# --- the app ----------------------------------------------------------------------------------


def open_app(
    page: str = "start",
    *,
    ags: str | None = None,
    period: int | None = None,
    lang: str | None = None,
) -> AppTest:
    """A new session (as after a reload) on ``page``, with the choice given in the URL."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    if ags is not None:
        at.query_params["ags"] = ags
    if period is not None:
        at.query_params["period"] = str(period)
    if lang is not None:
        at.query_params["lang"] = lang
    at.run()
    if page != "start":
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    """Run after a widget change and fail on any exception in the app."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def values(elements: Iterable[Any]) -> list[Any]:
    return [element.value for element in elements]


def labelled(elements: Iterable[Any], label: str) -> Any:
    """The one element with this label."""
    found = [element for element in elements if element.label == label]
    assert len(found) == 1, f"{len(found)} elements labelled {label!r}"
    return found[0]


def level_key(assessment_id: int, criterion_id: str, version: int) -> str:
    return f"level:{assessment_id}:{criterion_id}:{version}"


def field_key(name: str, assessment_id: int, criterion_id: str, version: int) -> str:
    return f"{name}:{assessment_id}:{criterion_id}:{version}"


def visible_texts(at: AppTest) -> Iterator[str]:
    """Every text a user reads: headings, messages, labels, options and table cells."""
    for kind in ("title", "header", "subheader", "markdown", "caption"):
        yield from (str(v) for v in values(getattr(at, kind)))
    for kind in ("info", "warning", "error", "success"):
        yield from (str(v) for v in values(getattr(at, kind)))
    for kind in ("button", "checkbox", "text_input", "text_area", "number_input", "expander"):
        yield from (e.label for e in getattr(at, kind))
    for kind in ("radio", "selectbox"):
        for element in getattr(at, kind):
            yield element.label
            yield from element.options
    for metric in at.metric:
        yield metric.label
    for frame in at.dataframe:
        yield from (str(c) for c in frame.value.columns)
        for row in frame.value.itertuples(index=False):
            yield from (str(cell) for cell in row)


def german_only_texts() -> list[str]:
    """Fixed German UI texts (up to the first placeholder) that English never shows."""
    english = " ".join(en for _, en in TEXTS.values())
    fragments = []
    for de, en in TEXTS.values():
        fragment = de.split("{", 1)[0].strip()
        if de != en and len(fragment) >= 8 and fragment not in english:
            fragments.append(fragment)
    return fragments
