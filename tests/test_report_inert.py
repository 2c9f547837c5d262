"""Free text in the reports is text: a comment with a script, an evidence reference that looks
like a Markdown ``javascript:`` link, a justification with Markdown and a municipality (and a
ring) named with markup appear escaped in the HTML (Jinja2's autoescaping), never as an element
or a link, and with their literal characters in the PDF's text.

The reports make no link out of evidence at all (only the contents' ``#`` anchors are links),
so no URL a user typed, ``https:`` or ``javascript:``, ever becomes one."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator

import html5lib
import pytest
from hostile_text import COMPANIES, EVIDENCE, MANDATE, RING_NAME, hostile_answers

from nhm.assessment import Response
from nhm.catalog import load_catalog
from nhm.model import Catalog
from nhm.municipality import Municipality, MunicipalityKind
from nhm.plugins import PluginHost
from nhm.report import council
from nhm.report.ring_report import build_ring_report
from nhm.report.ring_report import render_html as ring_html
from nhm.rings import RingService
from nhm.store import Store, open_store

PDFTOTEXT = shutil.which("pdftotext")
ACTOR = "inert-test"
PERIOD = 2025
SCRIPT = "<script>alert('x')</script>"
COMMENT = f"{SCRIPT} & mehr"
WEB = "https://example.org/ratsbeschluss?id=1&x=2"
JUSTIFICATION = "**bold** :red[x] $x$ <b>fett</b>"
NAME = "Emsdorf <b>fett</b> [x](javascript:alert(1))"
COORDINATOR = "<img src=x onerror=alert(3)>"
LEADERSHIP_LIKE = 1  # the index of a second criterion of the first dimension (for WEB)
TOWN = Municipality(ags="05162099", name=NAME, kind=MunicipalityKind.GEMEINDE, population=14_000)


@pytest.fixture(scope="module")
def catalog_and_host() -> tuple[Catalog, PluginHost]:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NHM_PLUGIN_DIRS", raising=False)
        mp.delenv("NHM_DISABLE_PLUGINS", raising=False)
        return load_catalog()


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, catalog_and_host: tuple[Catalog, PluginHost]
) -> Iterator[Store]:
    catalog, _ = catalog_and_host
    path = tmp_path_factory.mktemp("report-inert") / "nhm.duckdb"
    dimension = catalog.dimension(MANDATE.split(".")[0])
    second = dimension.full_id(dimension.criteria[LEADERSHIP_LIKE])
    assert second not in (MANDATE, COMPANIES)
    answers = {
        **hostile_answers(COMMENT, JUSTIFICATION),
        second: Response(level=2, evidence_reference=WEB),
    }
    with open_store(path) as opened:
        opened.municipalities.save(TOWN, ACTOR)
        draft = opened.assessments.create_draft(TOWN.ags, PERIOD, catalog, ACTOR)
        for criterion_id, response in answers.items():
            draft = opened.assessments.save_response(
                draft.id, criterion_id, response, 0, catalog, ACTOR
            )
        opened.assessments.submit(draft.id, draft.version, ACTOR)
        yield opened


@pytest.fixture(scope="module")
def report(store: Store, catalog_and_host: tuple[Catalog, PluginHost]) -> council.CouncilReport:
    catalog, host = catalog_and_host
    record = store.assessments.get(TOWN.ags, PERIOD)
    assert record is not None and not record.is_draft
    return council.build_report(store, record, catalog, host)


@pytest.fixture(scope="module")
def html(report: council.CouncilReport) -> str:
    return council.render_html(report, "de")


@pytest.fixture(scope="module")
def pdf_text(report: council.CouncilReport, tmp_path_factory: pytest.TempPathFactory) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = council.render_pdf(report, "de")
    assert pdf.startswith(b"%PDF-")
    path = tmp_path_factory.mktemp("report-inert-pdf") / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [PDFTOTEXT, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())  # pdftotext breaks lines where the layout does


def links(html: str) -> list[str]:
    return re.findall(r"""\bhref\s*=\s*["']?([^"'\s>]*)""", html, flags=re.IGNORECASE)


def test_free_text_is_escaped_in_the_council_report_html(html: str) -> None:
    html5lib.HTMLParser(strict=True).parse(html)  # still one valid document
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; mehr" in html
    assert "<script" not in html.lower()
    assert "[klick](javascript:alert(1))" in html  # as text, not a link
    assert "**bold** :red[x] $x$ &lt;b&gt;fett&lt;/b&gt;" in html
    assert "Emsdorf &lt;b&gt;fett&lt;/b&gt; [x](javascript:alert(1))" in html
    assert "<b>fett</b>" not in html
    assert "https://example.org/ratsbeschluss?id=1&amp;x=2" in html


def test_no_free_text_becomes_a_link_in_the_council_report(html: str) -> None:
    found = links(html)
    assert found, "the contents' anchors are missing"
    assert all(href.startswith("#") for href in found), found  # no URL a user typed
    assert 'href="javascript:' not in html.lower()
    assert '<a href="https:' not in html


def test_free_text_keeps_its_literal_characters_in_the_pdf(pdf_text: str) -> None:
    assert SCRIPT in pdf_text
    assert f"{SCRIPT} & mehr" in pdf_text
    assert EVIDENCE in pdf_text
    assert JUSTIFICATION in pdf_text
    assert NAME in pdf_text
    assert "&lt;" not in pdf_text and "&amp;" not in pdf_text  # not escaped twice


def test_a_ring_named_with_markup_is_text_in_the_ring_report(
    store: Store, catalog_and_host: tuple[Catalog, PluginHost]
) -> None:
    catalog, _ = catalog_and_host
    ring = store.rings.create(RING_NAME, COORDINATOR, ACTOR, period=PERIOD)
    service = RingService(store, catalog)
    service.add_members(ring.id, [TOWN.ags], ACTOR, consent_named=True)
    html = ring_html(build_ring_report(service, ring.id, period=PERIOD, lang="de"))
    html5lib.HTMLParser(strict=True).parse(html)
    assert "Ring &lt;i&gt;kursiv&lt;/i&gt; [r](javascript:alert(2))" in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    assert "<i>kursiv" not in html and "<img" not in html.lower()
    assert not links(html)
