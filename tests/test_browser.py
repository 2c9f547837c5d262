"""The app in a real browser: a coordinator's journey from the start page to the results.

The module serves the app with ``nhm serve`` on a small fictional demo database and drives
Debian's Chromium through Playwright (the server and browser helpers are those of
``tests/browser_server.py``). It is skipped when Chromium (``/usr/bin/chromium``, or
``$NHM_CHROMIUM``) or the ``playwright`` package is missing; ``.ci/run`` installs Chromium.

``NHM_SCREENSHOTS=1`` also writes the screenshots of the user guide (``docs/images``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_server import (
    ROOT,
    SCREENSHOTS,
    browser_fixture,  # noqa: F401 (a fixture)
    choose_option,
    expect,
    no_exception,
    open_page_fixture,  # noqa: F401 (a fixture)
    served_app,
    settle,
    shoot,
    warm_browser_fixture,  # noqa: F401 (a fixture)
)

from nhm.catalog import load_catalog
from nhm.store import open_store

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

LAST_DEMO_PERIOD = 2025
NEW_PERIOD = LAST_DEMO_PERIOD + 1  # no assessment yet: the journey begins one
CONFLICT_PERIOD = LAST_DEMO_PERIOD + 2  # the test of two people at once begins its own
SAME_USER_PERIOD = LAST_DEMO_PERIOD + 3

# A criterion of the wizard: the bordered container that holds a "Reifegrad" radio.
CRITERION_CSS = (
    '[data-testid="stVerticalBlock"]:has(> [data-testid="stElementContainer"] '
    '[role="radiogroup"][aria-label="Reifegrad"])'
)


@dataclass(frozen=True)
class Demo:
    """The served database and the fictional municipality the journey works on."""

    url: str
    db: Path
    ags: str
    name: str
    steps: int  # the wizard's steps: one per dimension, then "Prüfen und einreichen"
    first_dimension: str
    not_applicable: int  # the number of the first dimension's first criterion allowing N/A
    # another demo municipality, submitted in every period, that no test changes
    untouched_ags: str
    untouched_name: str


# --- the server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """``nhm serve`` on a fresh demo database (30 municipalities, 2024–2025), stopped after."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "demo.duckdb"
    created = subprocess.run(
        [
            *(sys.executable, "-m", "nhm.cli", "demo-data", "--db", str(db)),
            *("--municipalities", "30", "--periods", "2", "--seed", "1"),
            *("--last-period", str(LAST_DEMO_PERIOD)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    ags, name = _municipality_to_assess(db)
    untouched_ags, untouched_name = _untouched_municipality(db, ags)
    catalog, _ = load_catalog()
    first = catalog.dimensions[0]
    not_applicable = next(n for n, c in enumerate(first.criteria, start=1) if c.na_allowed)
    assert not_applicable > 2, "the journey answers criteria 1 and 2 with levels"
    with served_app(db, folder) as server:
        yield Demo(
            url=server.url,
            db=db,
            ags=ags,
            name=name,
            steps=len(catalog.dimensions) + 1,
            first_dimension=first.title.get("de"),
            not_applicable=not_applicable,
            untouched_ags=untouched_ags,
            untouched_name=untouched_name,
        )


def _municipality_to_assess(db: Path) -> tuple[str, str]:
    """A demo municipality the search finds alone, with a submitted assessment last year."""
    with open_store(db) as store:
        for municipality in store.municipalities.list(level="gemeinde"):
            if len(store.municipalities.list(search=municipality.name)) != 1:
                continue
            summaries = store.assessments.list(ags=municipality.ags)
            if any(s.period == LAST_DEMO_PERIOD and not s.is_draft for s in summaries):
                return municipality.ags, municipality.name
    raise AssertionError("the demo data holds no municipality to assess")


def _untouched_municipality(db: Path, journey_ags: str) -> tuple[str, str]:
    """A demo municipality other than the journey's, with submitted assessments only."""
    with open_store(db) as store:
        for municipality in store.municipalities.list(level="gemeinde"):
            summaries = store.assessments.list(ags=municipality.ags)
            history = len(summaries) >= 2 and all(not s.is_draft for s in summaries)
            if municipality.ags != journey_ags and history:
                return municipality.ags, municipality.name
    raise AssertionError("the demo data holds no second municipality with a history")


# --- the wizard --------------------------------------------------------------------------------


def wizard_ready(page: Page) -> None:
    """Every criterion of the step drawn (widgets load lazily; clicking earlier can miss)."""
    expect(page.locator(CRITERION_CSS).first).to_be_visible()
    expect(page.get_by_role("combobox", name="Nachweisstatus").last).to_be_visible()
    expect(page.get_by_role("textbox", name="Kommentar").last).to_be_visible()
    settle(page)


def criterion(page: Page, number: int) -> Locator:
    heading = page.get_by_role("heading", name=re.compile(rf"^{number}\. "), level=3)
    return page.locator(CRITERION_CSS).filter(has=heading)


def one(locator: Locator) -> Locator:
    """The element, once it is alone. When an answer is saved, Streamlit draws its widgets
    anew under new keys, and for a moment the old widget may linger next to the new one:
    wait for that to pass, and assert on ``.first`` (which expect() re-resolves on retry)."""
    expect(locator).to_have_count(1)
    return locator.first


def level_option(box: Locator, level: int | str) -> Locator:
    label = "nicht anwendbar" if level == "na" else f"Stufe {level} – "
    return box.get_by_role("radio", name=re.compile(f"^{label}")).first


def choose_level(page: Page, number: int, level: int | str) -> Locator:
    """Click a level's label in a criterion, as a user does; returns the criterion."""
    box = criterion(page, number)
    label = "nicht anwendbar" if level == "na" else f"Stufe {level} – "
    one(box.get_by_role("radiogroup", name="Reifegrad")).get_by_text(
        re.compile(f"^{label}")
    ).click()
    settle(page)
    expect(level_option(box, level)).to_be_checked()
    return box


def saved(box: Locator) -> None:
    expect(box.get_by_text(re.compile(r"^Gespeichert von ")).first).to_be_visible()


def expect_answers(page: Page, served: Demo) -> None:
    """The answers the journey gave, as a new session shows them."""
    name = served.name
    wizard_ready(page)
    expect(page.get_by_role("heading", name=f"Selbstbewertung {name} {NEW_PERIOD}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^3 von \d+ Kriterien beantwortet$"))).to_be_visible()
    first = criterion(page, 1)
    expect(level_option(first, 2)).to_be_checked()
    expect(one(first.get_by_role("combobox", name="Nachweisstatus"))).to_have_value("dokumentiert")
    expect(one(first.get_by_role("textbox", name=re.compile("^Nachweis")))).to_have_value(
        "Ratsbeschluss vom 12.03.2026"
    )
    expect(level_option(criterion(page, 2), 3)).to_be_checked()
    not_applicable = criterion(page, served.not_applicable)
    expect(level_option(not_applicable, "na")).to_be_checked()
    expect(
        one(not_applicable.get_by_role("textbox", name=re.compile("^Begründung")))
    ).to_have_value("Die Gemeinde hat keine eigenen Unternehmen.")
    for number in (1, 2, served.not_applicable):
        saved(criterion(page, number))


# --- the tests ---------------------------------------------------------------------------------


def test_journey_from_start_to_results(served: Demo, open_page: Callable[[str], Page]) -> None:
    page = open_page(served.url)

    # the start page, in German
    expect(
        page.get_by_role("heading", name="Nachhaltigkeitsmanagement – Selbstbewertung")
    ).to_be_visible()
    expect(page.get_by_text("Diese Datenbank enthält fiktive Demo-Daten")).to_be_visible()
    shoot(page, "01-start.png")

    # search, choose the municipality, then the year without an assessment
    search = page.get_by_role("textbox", name="Suche nach Name oder AGS")
    search.fill(served.name)
    search.press("Enter")
    settle(page)
    choose_option(
        page,
        page.get_by_role("combobox", name="Kommune"),
        re.compile(f"^{served.name} \\({served.ags}"),
    )
    sidebar = page.get_by_test_id("stSidebar")
    expect(
        sidebar.get_by_text(f"Gewählt: {served.name} ({served.ags}), {LAST_DEMO_PERIOD}")
    ).to_be_visible()
    year = page.get_by_role("spinbutton", name="Jahr der Bewertung")
    expect(year).to_have_value(str(LAST_DEMO_PERIOD))  # a first choice opens its latest year
    year.fill(str(NEW_PERIOD))
    year.press("Enter")
    settle(page)
    expect(page.get_by_text(f"Für {NEW_PERIOD} gibt es noch keine Bewertung.")).to_be_visible()
    begin = page.get_by_role("button", name=f"Bewertung {NEW_PERIOD} beginnen")
    expect(begin).to_be_visible()
    expect(page).to_have_url(re.compile(rf"ags={served.ags}&period={NEW_PERIOD}"))
    shoot(page, "02-kommune-gewaehlt.png", page.get_by_role("heading", name="Kommune wählen"))

    # begin: the wizard's first step
    begin.click()
    expect(
        page.get_by_role("heading", name=f"Selbstbewertung {served.name} {NEW_PERIOD}")
    ).to_be_visible()
    wizard_ready(page)
    steps = page.get_by_role("radiogroup", name="Schritt")
    expect(steps.get_by_role("radio")).to_have_count(served.steps)
    expect(steps.get_by_role("radio").first).to_be_checked()
    expect(page.get_by_text(re.compile(r"^0 von \d+ Kriterien beantwortet$"))).to_be_visible()

    # answer the first two criteria; evidence and reference of the first
    first = choose_level(page, 1, 2)
    saved(first)
    choose_option(page, first.get_by_role("combobox", name="Nachweisstatus"), "dokumentiert")
    reference = one(first.get_by_role("textbox", name=re.compile("^Nachweis")))
    reference.fill("Ratsbeschluss vom 12.03.2026")
    reference.press("Enter")
    settle(page)
    saved(choose_level(page, 2, 3))
    expect(page.get_by_text(re.compile(r"^2 von \d+ Kriterien beantwortet$"))).to_be_visible()
    shoot(page, "03-bewertung.png", criterion(page, 1))

    # "nicht anwendbar" is stored only with a justification
    box = choose_level(page, served.not_applicable, "na")
    expect(box.get_by_text("gespeichert wird erst mit Begründung")).to_be_visible()
    expect(box.get_by_text(re.compile(r"^Gespeichert von "))).to_have_count(0)
    justification = one(box.get_by_role("textbox", name=re.compile("^Begründung")))
    justification.fill("Die Gemeinde hat keine eigenen Unternehmen.")
    justification.press("Control+Enter")
    settle(page)
    saved(box)
    expect(page.get_by_text(re.compile(r"^3 von \d+ Kriterien beantwortet$"))).to_be_visible()
    shoot(page, "04-nicht-anwendbar.png", box)
    no_exception(page)

    # the same answers after a reload, and in a new session (browser closed and reopened)
    address = page.url
    assert f"ags={served.ags}" in address and f"period={NEW_PERIOD}" in address
    page.reload()
    settle(page)
    expect_answers(page, served)
    page.context.close()
    page = open_page(address)
    expect_answers(page, served)

    # review and submit: the open criteria come first
    page.get_by_role("radiogroup", name="Schritt").get_by_text("Prüfen und einreichen").click()
    settle(page)
    expect(page.get_by_role("heading", name="Prüfen und einreichen", level=2)).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^\d+ Kriterien sind noch nicht beantwortet:"))
    ).to_be_visible()
    submit = page.get_by_role("button", name="Bewertung einreichen")
    expect(submit).to_be_disabled()
    expect(page.get_by_text("Trotz offener Kriterien einreichen")).to_be_visible()
    shoot(page, "05-einreichen.png")

    # the results of the draft
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Ergebnisse").click()
    settle(page)
    expect(
        page.get_by_role("heading", name=f"Ergebnisse {served.name} {NEW_PERIOD}")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/ergebnisse\?ags={served.ags}&period={NEW_PERIOD}"))
    expect(page.get_by_text("Entwurf: vorläufige Werte")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_contain_text("Gesamtindex")
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart.locator(".js-plotly-plot")).to_be_visible()
    expect(chart).to_contain_text(served.first_dimension)
    no_exception(page)

    # the submitted assessment of last year, with the median of all demo municipalities
    page.goto(f"{served.url}/ergebnisse?ags={served.ags}&period={LAST_DEMO_PERIOD}")
    settle(page)
    expect(
        page.get_by_role("heading", name=f"Ergebnisse {served.name} {LAST_DEMO_PERIOD}")
    ).to_be_visible()
    choose_option(
        page, page.get_by_role("combobox", name="Vergleichsgruppe im Diagramm"), "alle Kommunen"
    )
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart.locator(".js-plotly-plot")).to_be_visible()
    expect(chart).to_contain_text("Median der Vergleichsgruppe")
    numbers = page.get_by_test_id("stExpander").filter(has_text="Zahlen zum Diagramm")
    numbers.get_by_text("Zahlen zum Diagramm").click()
    expect(numbers.get_by_test_id("stDataFrame")).to_be_visible()
    expect(page.get_by_role("heading", name="Nächste Schritte")).to_be_visible()
    expect(page.get_by_role("button", name="Als JSON herunterladen")).to_be_visible()
    expect(page.get_by_role("button", name="Als Excel (XLSX) herunterladen")).to_be_visible()
    shoot(page, "06-ergebnisse.png", page.get_by_role("heading", level=1))
    if SCREENSHOTS:
        numbers.get_by_text("Zahlen zum Diagramm").click()  # closed again for the chart's picture
        shoot(page, "07-diagramm.png", page.get_by_text("Vergleichsgruppe im Diagramm"))


def test_language_switch_to_english_and_back(
    served: Demo, open_page: Callable[[str], Page]
) -> None:
    page = open_page(f"{served.url}/?ags={served.ags}&period={LAST_DEMO_PERIOD}")
    expect(
        page.get_by_role("heading", name="Nachhaltigkeitsmanagement – Selbstbewertung")
    ).to_be_visible()
    choose_option(page, page.get_by_role("combobox", name="Sprache"), "English")
    expect(
        page.get_by_role("heading", name="Sustainability management – self-assessment")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"Assessments of {served.name} ({served.ags})")
    ).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="Results")).to_be_visible()
    expect(page).to_have_url(re.compile("lang=en"))
    page.reload()  # the language is in the URL too
    settle(page)
    expect(
        page.get_by_role("heading", name="Sustainability management – self-assessment")
    ).to_be_visible()
    nav.get_by_role("link", name="Results").click()
    settle(page)
    expect(
        page.get_by_role("heading", name=f"Results {served.name} {LAST_DEMO_PERIOD}")
    ).to_be_visible()
    choose_option(page, page.get_by_role("combobox", name="Language"), "Deutsch")
    expect(
        page.get_by_role("heading", name=f"Ergebnisse {served.name} {LAST_DEMO_PERIOD}")
    ).to_be_visible()
    expect(page).not_to_have_url(re.compile("lang="))


def test_two_people_on_one_answer_lose_nothing(
    served: Demo, open_page: Callable[[str], Page]
) -> None:
    address = f"{served.url}/bewertung?ags={served.ags}&period={CONFLICT_PERIOD}"
    alice = open_page(address)
    alice.get_by_role("button", name=f"Bewertung {CONFLICT_PERIOD} beginnen").click()
    wizard_ready(alice)
    bob = open_page(address)
    wizard_ready(bob)

    saved(choose_level(alice, 1, 4))
    # Bob still sees the criterion unanswered and chooses another level
    one(criterion(bob, 1).get_by_role("radiogroup", name="Reifegrad")).get_by_text(
        re.compile("^Stufe 1 – ")
    ).click()
    settle(bob)
    box = criterion(bob, 1)
    warning = box.get_by_test_id("stAlertContentWarning").first
    expect(warning).to_contain_text("inzwischen geändert")
    expect(warning).to_contain_text("zuletzt von ")  # who and when, in German
    expect(warning).not_to_contain_text("meanwhile")
    expect(warning).to_contain_text("Ihre Eingabe war: Stufe 1")
    expect(level_option(box, 4)).to_be_checked()  # the stored answer is shown now
    shoot(bob, "08-inzwischen-geaendert.png", box)

    bob.reload()  # Bob's own input is not stored: the answer stays Alice's
    wizard_ready(bob)
    expect(level_option(criterion(bob, 1), 4)).to_be_checked()


def test_comment_then_level_saves_both_without_a_false_conflict(
    served: Demo, open_page: Callable[[str], Page]
) -> None:
    """Typing a comment and then at once choosing a level: leaving the field and the click
    can reach the app in one run, whose second save used to be refused as "changed
    meanwhile" although the first had stored both."""
    address = f"{served.url}/bewertung?ags={served.ags}&period={SAME_USER_PERIOD}"
    page = open_page(address)
    page.get_by_role("button", name=f"Bewertung {SAME_USER_PERIOD} beginnen").click()
    wizard_ready(page)
    saved(choose_level(page, 1, 2))
    box = criterion(page, 1)
    one(box.get_by_role("textbox", name="Kommentar")).fill("Beschluss liegt vor.")
    choose_level(page, 1, 3)  # leaves the comment field: both changes reach the same run
    page.wait_for_timeout(1_000)  # a warning would come with the run after the save
    settle(page)
    expect(box.get_by_test_id("stAlert")).to_have_count(0)
    page.reload()
    wizard_ready(page)
    box = criterion(page, 1)
    expect(level_option(box, 3)).to_be_checked()
    expect(one(box.get_by_role("textbox", name="Kommentar"))).to_have_value("Beschluss liegt vor.")


def test_benchmark_shows_the_group_and_its_charts(
    served: Demo, open_page: Callable[[str], Page]
) -> None:
    page = open_page(f"{served.url}/vergleich?ags={served.ags}&period={LAST_DEMO_PERIOD}")
    expect(
        page.get_by_role("heading", name=f"Vergleich {served.name} {LAST_DEMO_PERIOD}")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Vergleichsgruppe: alle Kommunen")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^n = \d+ Kommunen mit eingereichter Bewertung"))
    ).to_be_visible()
    box_plot = page.get_by_test_id("stPlotlyChart").first
    expect(box_plot.locator(".js-plotly-plot")).to_be_visible()
    expect(box_plot).to_contain_text(re.compile(r"Werte je Dimension – alle Kommunen \(n = \d+\)"))
    expect(box_plot).to_contain_text(f"{served.name} (eigener Wert)")
    expect(page.get_by_role("heading", name="Reifegrade je Kriterium")).to_be_visible()
    no_exception(page)
    shoot(page, "09-vergleich.png", page.get_by_role("heading", name="Vergleichsgruppe: alle"))


def test_history_shows_change_over_the_periods(
    served: Demo, open_page: Callable[[str], Page]
) -> None:
    ags, name = served.untouched_ags, served.untouched_name
    page = open_page(f"{served.url}/verlauf?ags={ags}&period={LAST_DEMO_PERIOD}")
    expect(page.get_by_role("heading", name=f"Verlauf {name}")).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".js-plotly-plot")).to_be_visible()
    expect(chart).to_contain_text(f"{name}: Werte je Dimension im Verlauf")
    expect(chart).to_contain_text(str(LAST_DEMO_PERIOD - 1))
    expect(page.get_by_role("heading", name="Was hat sich geändert?")).to_be_visible()
    no_exception(page)
    shoot(page, "10-verlauf.png", page.get_by_role("heading", name=f"Verlauf {name}"))
