"""Free text in a real browser (issue 9): a municipality named with a script, HTML, a Markdown
``javascript:`` link, a Streamlit colour directive and a formula, and an answer whose comment is
a script and whose evidence is such a link. The wizard and the results page show every
character as typed, and the DOM holds no script with the alert and no ``javascript:`` link.

One ``nhm serve`` on a small database of its own; the helpers (Chromium, the server's start
and stop, waiting for a run to finish) are those of ``browser_server.py``, which also decides
when this module is skipped (no Chromium or no playwright package)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from browser_server import (
    Server,
    browser_fixture,  # noqa: F401 (a fixture)
    expect,
    new_page,
    no_exception,
    served_app,
    warm_browser_fixture,  # noqa: F401 (a fixture)
)
from hostile_text import EVIDENCE, hostile_answers

from nhm.catalog import load_catalog
from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import open_store
from nhm.ui.i18n import Text

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

DE = Text("de")
PERIOD = 2025
NAME = "Emsdorf <script>alert('n')</script> <b>fett</b> [x](javascript:alert(1)) :red[rot] $x$"
COMMENT = "<script>alert('x')</script>"
JUSTIFICATION = "**bold** :red[x] $x$"
TOWN = Municipality(ags="05162099", name=NAME, kind=MunicipalityKind.GEMEINDE, population=14_000)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``nhm serve`` (no sign-in) on a database with the one municipality and its 2025 draft."""
    folder = tmp_path_factory.mktemp("browser-inert")
    db = folder / "inert.duckdb"
    catalog, _ = load_catalog()
    with open_store(db) as store:
        store.municipalities.save(TOWN, "inert-test")
        draft = store.assessments.create_draft(TOWN.ags, PERIOD, catalog, "inert-test")
        answers = hostile_answers(COMMENT, JUSTIFICATION)
        for criterion_id, response in answers.items():
            store.assessments.save_response(draft.id, criterion_id, response, 0, catalog, "t")
    with served_app(db, folder) as server:
        yield server


def open_page(browser: Browser, served: Server, path: str) -> Page:
    return new_page(browser, f"{served.url}/{path}?ags={TOWN.ags}&period={PERIOD}")


def assert_no_markup(page: Page) -> None:
    """No script element with the alert, no javascript: link, no bold, colour or formula made
    from the free text."""
    scripts = page.evaluate(
        "() => [...document.querySelectorAll('script')]"
        ".filter(s => s.textContent.includes('alert')).length"
    )
    assert scripts == 0
    expect(page.locator('a[href^="javascript:" i]')).to_have_count(0)
    main = page.get_by_test_id("stMain")
    expect(main.locator("b", has_text="fett")).to_have_count(0)
    expect(main.locator(".katex")).to_have_count(0)
    no_exception(page)


def test_the_wizard_and_the_results_show_free_text_as_typed(
    served: Server, warm_browser: Browser
) -> None:
    page = open_page(warm_browser, served, "bewertung")
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text(DE("wizard.title", name=NAME, period=PERIOD))
    expect(page.get_by_text("<script>alert('n')</script>").first).to_be_visible()
    chosen = DE("app.chosen", name=NAME, ags=TOWN.ags, period=PERIOD)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(chosen)
    comment = page.get_by_role("textbox", name=DE("wizard.comment")).first
    expect(comment).to_have_value(COMMENT)
    reference = page.get_by_role("textbox", name=DE("wizard.reference")).first
    expect(reference).to_have_value(EVIDENCE)
    justification = page.get_by_role("textbox", name=DE("wizard.justification"))
    expect(justification).to_have_value(JUSTIFICATION)
    assert_no_markup(page)
    page.context.close()

    page = open_page(warm_browser, served, "ergebnisse")
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text(DE("results.title", name=NAME, period=PERIOD))
    expect(page.get_by_text("<script>alert('n')</script>").first).to_be_visible()
    assert_no_markup(page)
    page.context.close()
