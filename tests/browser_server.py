"""Helpers for the tests of the app in a real browser (``tests/test_browser*.py``).

``served_app`` runs ``nhm serve`` on a database of the test's own; the fixtures ``browser``,
``warm_browser`` and ``open_page`` drive Debian's Chromium through Playwright. A test module
uses a fixture by importing its function (``from browser_server import open_page_fixture``,
``# noqa: F401``: pytest knows it by its ``name``, so a test's argument ``open_page`` does not
shadow the import) and defines a module-scoped fixture ``served`` with the server's ``url``.

Importing this module skips the importing test module when Chromium (``/usr/bin/chromium``,
or ``$NHM_CHROMIUM``) or the ``playwright`` package is missing; ``.ci/run`` installs Chromium.
``NHM_SCREENSHOTS=1`` makes ``shoot`` write the screenshots of the user guide (``docs/images``).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

CHROMIUM = Path(os.environ.get("NHM_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (install it with apt, as .ci/run does, or set NHM_CHROMIUM)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is missing (a dev dependency: uv sync)"
)
expect = sync_api.expect

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
SCREENSHOTS = os.environ.get("NHM_SCREENSHOTS") == "1"
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 20_000
SERVER_START_S = 60


# --- the server --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """A running ``nhm serve``: its address, database and log, and a way to stop it early
    (the server holds the DuckDB file while it runs: no other process can open it)."""

    url: str
    db: Path
    log: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """Stop the server and its Streamlit child; nothing happens when it has stopped."""
        _stop(self.process)


class HasUrl(Protocol):
    """What ``warm_browser`` needs of a module's ``served`` fixture."""

    @property
    def url(self) -> str: ...


def server_environment(db: Path, auth: str | None = None) -> dict[str, str]:
    """This process's environment for ``nhm serve`` on ``db``, with ``NHM_AUTH=auth``; without
    a mode ``NHM_AUTH`` is removed, so that a setting of the developer's shell cannot change
    what the tests see."""
    environment = {k: v for k, v in os.environ.items() if k != "NHM_AUTH"}
    environment.update(
        {
            "NHM_DB": str(db),
            "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
    )
    if auth is not None:
        environment["NHM_AUTH"] = auth
    return environment


@contextmanager
def served_app(db: Path, folder: Path, auth: str | None = None) -> Iterator[Server]:
    """``nhm serve`` on ``db`` at a free port (``NHM_AUTH=auth``, see ``server_environment``),
    healthy when the block begins and stopped when it ends. Its output goes to
    ``folder/server.log``, which must hold no traceback when the block ends without an error."""
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "nhm.cli", "serve", "--db", str(db), "--port", str(port)],
            cwd=ROOT,
            env=server_environment(db, auth),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the Streamlit child stops with it
        )
    server = Server(url=f"http://localhost:{port}", db=db, log=log, process=process)
    try:
        _wait_until_healthy(process, server.url, log)
        yield server
    finally:
        server.stop()
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, f"the server logged an error:\n{text}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(server: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"nhm serve stopped with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"nhm serve was not healthy after {SERVER_START_S} s:\n{log.read_text()}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Browser]:
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module", name="warm_browser")
def warm_browser_fixture(served: HasUrl, browser: Browser) -> Browser:
    """The browser after a first visit of the start page. Streamlit shows a "Page not found"
    dialog over the right page when the first session of a server opens a page other than the
    start page by its URL (streamlit/streamlit#9992); users meet that after ``nhm serve`` with
    a bookmark, the tests open pages by URL in any order."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(served.url)
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()
    return browser


def new_page(browser: Browser, url: str, errors: list[str] | None = None) -> Page:
    """The URL in a new browser context (a new session, as after closing the browser), in
    German, once Streamlit's run has finished; JavaScript errors go to ``errors``."""
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    settle(page)
    return page


@pytest.fixture(name="open_page")
def open_page_fixture(warm_browser: Browser) -> Iterator[Callable[[str], Page]]:
    """``open_page(url)``: the URL in a new browser context (see ``new_page``); at the end no
    page may have shown a Streamlit exception, a dialog or a JavaScript error."""
    pages: list[Page] = []
    errors: list[str] = []

    def open_(url: str) -> Page:
        page = new_page(warm_browser, url, errors)
        pages.append(page)
        return page

    yield open_
    try:
        for page in pages:
            if not page.is_closed():
                no_exception(page)
                expect(page.get_by_role("dialog")).to_have_count(0)
        assert not errors, f"JavaScript errors in the page: {errors}"
    finally:
        for page in pages:
            page.context.close()


# --- the page ----------------------------------------------------------------------------------


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the run an interaction started (runs are async)."""
    page.wait_for_timeout(200)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]'
        '[data-test-connection-state="CONNECTED"]',
        state="attached",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_selector(
        '[data-testid="stElementContainer"][data-stale="true"]',
        state="detached",
        timeout=TIMEOUT_MS,
    )


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def shoot(page: Page, name: str, top: Locator | None = None) -> None:
    """A screenshot for the user guide, only with NHM_SCREENSHOTS=1 (CI leaves docs alone)."""
    if not SCREENSHOTS:
        return
    if top is not None:
        top.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.locator('[data-testid="stMain"]').evaluate("main => main.scrollBy(0, -70)")
    settle(page)
    page.wait_for_timeout(500)  # fonts, charts and animations
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=IMAGES / name)


def choose_option(page: Page, combobox: Locator, option: str | re.Pattern[str]) -> None:
    """Pick an option of a selectbox (the list closes when the page scrolls: scroll first)."""
    combobox.scroll_into_view_if_needed()
    page.wait_for_timeout(100)
    combobox.click()
    page.get_by_role("option", name=option).click()
    settle(page)
