"""Free text in a real browser (issue 9): a municipality named with a script, HTML, a Markdown
``javascript:`` link, a Streamlit colour directive and a formula, and an answer whose comment is
a script and whose evidence is such a link. The wizard and the results page show every
character as typed, and the DOM holds no script with the alert and no ``javascript:`` link.

One ``nhm serve`` on a small database of its own; the helpers (Chromium, the server's start
and stop, waiting for a run to finish) are those of ``test_browser.py``, which also decides
when this module is skipped (no Chromium or no playwright package)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from test_browser import (
    CHROMIUM,
    ROOT,
    TIMEOUT_MS,
    VIEWPORT,
    _free_port,
    _stop,
    _wait_until_healthy,
    expect,
    no_exception,
    settle,
    sync_api,
)

from nhm.assessment import EvidenceStatus, Response
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
EVIDENCE = "[klick](javascript:alert(1))"
JUSTIFICATION = "**bold** :red[x] $x$"
TOWN = Municipality(ags="05162099", name=NAME, kind=MunicipalityKind.GEMEINDE, population=14_000)
MANDATE = "governance_actors.council_mandate"  # criterion 1 of the first dimension
COMPANIES = "governance_actors.municipal_companies"  # may be not applicable


@dataclass(frozen=True)
class Served:
    url: str
    browser: Browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``nhm serve`` (no sign-in) on a database with the one municipality and its 2025 draft,
    and Chromium after a first visit of the start page (see ``test_browser.warm_browser``)."""
    folder = tmp_path_factory.mktemp("browser-inert")
    db = folder / "inert.duckdb"
    catalog, _ = load_catalog()
    with open_store(db) as store:
        store.municipalities.save(TOWN, "inert-test")
        draft = store.assessments.create_draft(TOWN.ags, PERIOD, catalog, "inert-test")
        answers = {
            MANDATE: Response(
                level=3,
                evidence_status=EvidenceStatus.DOCUMENTED,
                evidence_reference=EVIDENCE,
                comment=COMMENT,
            ),
            COMPANIES: Response(not_applicable=True, justification=JUSTIFICATION),
        }
        for criterion_id, response in answers.items():
            store.assessments.save_response(draft.id, criterion_id, response, 0, catalog, "t")
    port = _free_port()
    log = folder / "server.log"
    environment = {
        **{k: v for k, v in os.environ.items() if k != "NHM_AUTH"},
        "NHM_DB": str(db),
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "nhm.cli", "serve", "--db", str(db), "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://localhost:{port}"
        _wait_until_healthy(server, url, log)
        expect.set_options(timeout=TIMEOUT_MS)
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            try:
                warm = browser.new_context()
                page = warm.new_page()
                page.goto(url)
                settle(page)
                warm.close()
                yield Served(url, browser)
            finally:
                browser.close()
    finally:
        _stop(server)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, f"the server logged an error:\n{text}"


def open_page(served: Served, path: str) -> Page:
    context = served.browser.new_context(viewport=VIEWPORT, locale="de-DE")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{served.url}/{path}?ags={TOWN.ags}&period={PERIOD}")
    settle(page)
    return page


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


def test_the_wizard_and_the_results_show_free_text_as_typed(served: Served) -> None:
    page = open_page(served, "bewertung")
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

    page = open_page(served, "ergebnisse")
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text(DE("results.title", name=NAME, period=PERIOD))
    expect(page.get_by_text("<script>alert('n')</script>").first).to_be_visible()
    assert_no_markup(page)
    page.context.close()
