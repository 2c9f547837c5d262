"""Signing in, in a real browser (``NHM_AUTH=accounts``): the sign-in page, a municipality's
editor who sees only her own municipality, refusals of another one's data and signing out.

The module serves the app with ``nhm serve`` on a small database of its own (Köln and Bonn, a
draft each; accounts "root" and "anna", the editor of Köln) and drives Debian's Chromium
through Playwright with the helpers of ``tests/browser_server.py``, as ``test_browser.py``
does; it is skipped the same way when Chromium or the ``playwright`` package is missing.
``NHM_SCREENSHOTS=1`` also writes the screenshot of the sign-in page for the user guide
(``docs/images/11-anmeldung.png``).

The server holds the DuckDB file while it runs (another process cannot open it, not even
read-only), so the audit log is read by the last test, after it has stopped the server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_server import (
    TIMEOUT_MS,
    Server,
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

from nhm.assessment import Response
from nhm.auth.accounts import AccountRepository
from nhm.catalog import load_catalog
from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import open_store
from nhm.store.audit import AuditRepository
from nhm.ui.i18n import Text

if TYPE_CHECKING:
    from playwright.sync_api import Page

DE = Text("de")
SETUP = "test-setup"
PERIOD = 2025
PASSWORD = "ein-langes-Passwort-1"
KOELN = Municipality(
    ags="05315000", name="Köln", kind=MunicipalityKind.KREISFREIE_STADT, population=1_000_000
)
BONN = Municipality(
    ags="05314000", name="Bonn", kind=MunicipalityKind.KREISFREIE_STADT, population=330_000
)
SECRET_COMMENT = "Nur fuer Bonn bestimmt"
BONN_PAGES = ("ergebnisse", "bewertung")


# --- the server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``nhm serve`` with ``NHM_AUTH=accounts`` on Köln and Bonn, stopped after the module."""
    folder = tmp_path_factory.mktemp("browser-signin")
    db = folder / "signin.duckdb"
    _set_up(db)
    with served_app(db, folder, auth="accounts") as server:
        yield server


def _set_up(db: Path) -> None:
    """Köln and Bonn with a draft each (Bonn's answer with a comment only Bonn may read);
    "root" administers, "anna" edits Köln."""
    catalog, _ = load_catalog()
    first = catalog.dimensions[0]
    criterion = first.full_id(first.criteria[0])
    with open_store(db) as store:
        for municipality, response in (
            (KOELN, Response(level=2)),
            (BONN, Response(level=3, comment=SECRET_COMMENT)),
        ):
            store.municipalities.save(municipality, SETUP)
            draft = store.assessments.create_draft(municipality.ags, PERIOD, catalog, SETUP)
            store.assessments.save_response(draft.id, criterion, response, 0, catalog, SETUP)
        accounts = AccountRepository(store)  # the real password hasher, as the server uses
        accounts.add("root", SETUP, password=PASSWORD)
        accounts.grant("root", "admin", SETUP)
        accounts.add("anna", SETUP, display_name="Anna", password=PASSWORD)
        accounts.grant("anna", "editor", SETUP, ags=KOELN.ags)


# --- helpers -----------------------------------------------------------------------------------


def expect_sign_in_only(page: Page) -> None:
    """The sign-in form and nothing of the app's data: no municipality, no sign-out."""
    expect(page.get_by_role("heading", name=DE("signin.title"), level=1)).to_be_visible()
    expect(page.get_by_role("textbox", name=DE("signin.username"))).to_be_visible()
    expect(page.get_by_role("textbox", name=DE("signin.password"))).to_be_visible()
    expect(page.get_by_role("button", name=DE("signin.submit"))).to_be_visible()
    expect(page.get_by_role("button", name=DE("signin.sign_out"))).to_have_count(0)
    app = page.get_by_test_id("stApp")
    for text in (KOELN.name, BONN.name, KOELN.ags, BONN.ags, SECRET_COMMENT, "Angemeldet"):
        expect(app).not_to_contain_text(text)


def expect_no_navigation(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """No page of the app to go to: no navigation, no link but Streamlit's "skip to main
    content" and the title's anchor."""
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0, timeout=timeout)
    expect(page.locator('a[href]:not([href^="#"])')).to_have_count(0, timeout=timeout)


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.get_by_role("textbox", name=DE("signin.username")).fill(username)
    page.get_by_role("textbox", name=DE("signin.password")).fill(password)
    page.get_by_role("button", name=DE("signin.submit")).click()
    settle(page)


def expect_signed_in_as_anna(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(
        sidebar.get_by_text(DE("signin.signed_in_as", name="Anna", username="anna"))
    ).to_be_visible()
    role = DE("signin.role_editor", ags=f"{KOELN.name} ({KOELN.ags})")
    expect(sidebar.get_by_text(role)).to_be_visible()
    expect(sidebar.get_by_role("button", name=DE("signin.sign_out"))).to_be_visible()
    expect(page.get_by_role("heading", name=DE("signin.title"), level=1)).to_have_count(0)


def sign_out(page: Page) -> None:
    page.get_by_test_id("stSidebar").get_by_role("button", name=DE("signin.sign_out")).click()
    settle(page)
    expect(page.get_by_text(DE("signin.signed_out"))).to_be_visible()


def expect_nothing_of_bonn(page: Page) -> None:
    """The refusal (which repeats the AGS asked for) and nothing else of Bonn."""
    refusal = DE("access.refused_municipality", ags=BONN.ags)
    expect(page.get_by_text(refusal)).to_be_visible()
    app = page.get_by_test_id("stApp")
    expect(app).not_to_contain_text(BONN.name)
    expect(app).not_to_contain_text(SECRET_COMMENT)
    expect(app.get_by_text(BONN.ags)).to_have_count(1)  # in the refusal only
    expect(page).not_to_have_url(re.compile(BONN.ags))


# --- the tests ---------------------------------------------------------------------------------


def test_only_the_sign_in_form_shows_before_signing_in(
    served: Server, open_page: Callable[[str], Page]
) -> None:
    for path in ("", *(f"{page}?ags={BONN.ags}&period={PERIOD}" for page in BONN_PAGES)):
        page = open_page(f"{served.url}/{path}")
        expect_sign_in_only(page)
        expect_no_navigation(page)


def test_a_wrong_password_is_refused_then_anna_signs_in_and_sees_only_koeln(
    served: Server, open_page: Callable[[str], Page]
) -> None:
    page = open_page(served.url)
    expect_sign_in_only(page)
    shoot(page, "11-anmeldung.png")

    sign_in(page, "anna", "falsches-Passwort-1")
    expect(page.get_by_text(DE("signin.refused"))).to_be_visible()
    expect_sign_in_only(page)

    sign_in(page, "anna")
    expect_signed_in_as_anna(page)
    expect(page.get_by_role("heading", name=DE("start.title"), level=1)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link")).not_to_have_count(0)
    select = page.get_by_role("combobox", name=DE("start.municipality"))
    select.click()
    options = page.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text(f"{KOELN.name} ({KOELN.ags}")
    page.keyboard.press("Escape")
    app = page.get_by_test_id("stApp")
    expect(app).not_to_contain_text(BONN.name)
    expect(app).not_to_contain_text(BONN.ags)
    choose_option(page, select, re.compile(f"^{KOELN.name} \\({KOELN.ags}"))
    expect(
        page.get_by_test_id("stSidebar").get_by_text(
            DE("app.chosen", name=KOELN.name, ags=KOELN.ags, period=PERIOD)
        )
    ).to_be_visible()


def test_signing_out_returns_to_the_sign_in_page_and_a_reload_stays_signed_out(
    served: Server, open_page: Callable[[str], Page]
) -> None:
    page = open_page(f"{served.url}/?ags={KOELN.ags}&period={PERIOD}")
    sign_in(page, "anna")
    expect_signed_in_as_anna(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(KOELN.name)  # the choice
    sign_out(page)
    expect_sign_in_only(page)
    expect(page).not_to_have_url(re.compile("ags="))
    page.reload()
    settle(page)
    expect_sign_in_only(page)
    expect_no_navigation(page)
    expect(page.get_by_text(DE("signin.signed_out"))).to_have_count(0)  # shown once


def test_after_signing_out_no_navigation_of_the_app_remains(
    served: Server, open_page: Callable[[str], Page]
) -> None:
    page = open_page(served.url)
    sign_in(page, "anna")
    expect_signed_in_as_anna(page)
    sign_out(page)
    expect_no_navigation(page)


def test_a_deep_link_leads_to_its_page_after_signing_in(
    served: Server, open_page: Callable[[str], Page]
) -> None:
    page = open_page(f"{served.url}/ergebnisse?ags={KOELN.ags}&period={PERIOD}")
    sign_in(page, "anna")
    expect_signed_in_as_anna(page)
    expect(page).to_have_url(re.compile(rf"/ergebnisse\?ags={KOELN.ags}&period={PERIOD}$"))


def test_a_reload_and_a_second_tab_stay_signed_in_until_signing_out(
    served: Server, open_page: Callable[[str], Page]
) -> None:
    """The session cookie: a reload or another tab needs no new sign-in; signing out in one
    tab ends the session in the other at its next click."""
    page = open_page(f"{served.url}/?ags={KOELN.ags}&period={PERIOD}")
    sign_in(page, "anna", "falsches-Passwort-1")
    username = page.get_by_role("textbox", name=DE("signin.username"))
    expect(username).to_have_value("anna")  # the name stays, the refused password does not
    expect(page.get_by_role("textbox", name=DE("signin.password"))).to_have_value("")
    sign_in(page, "anna")
    expect_signed_in_as_anna(page)
    page.reload()
    settle(page)
    expect_signed_in_as_anna(page)
    second = page.context.new_page()
    second.goto(f"{served.url}/ergebnisse?ags={KOELN.ags}&period={PERIOD}")
    settle(second)
    expect_signed_in_as_anna(second)
    sign_out(page)
    second.get_by_test_id("stSidebarNav").get_by_role("link", name=DE("nav.start")).click()
    settle(second)
    expect_sign_in_only(second)
    second.close()


def test_anna_is_refused_bonn_by_url_and_every_refusal_is_logged(
    served: Server, open_page: Callable[[str], Page]
) -> None:
    """The last test of the module: it stops the server to read the audit log."""
    for path in BONN_PAGES:
        page = open_page(f"{served.url}/{path}?ags={BONN.ags}&period={PERIOD}")
        expect_sign_in_only(page)
        sign_in(page, "anna")  # the run after signing in reads the URL's choice
        expect_signed_in_as_anna(page)
        expect_nothing_of_bonn(page)
        no_exception(page)

    served.stop()
    with open_store(served.db) as store:
        entries = AuditRepository(store).entries(action_prefix="access.denied")
    refusals = [(e.actor, e.entity_key, e.detail) for e in entries]
    expected = ("anna", BONN.ags, {"right": "read", "via": "query parameter"})
    assert refusals == [expected] * len(BONN_PAGES)
