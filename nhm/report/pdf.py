"""HTML to PDF with WeasyPrint: real text (searchable, readable by screen readers), tagged."""

from __future__ import annotations

import logging


class ReportError(RuntimeError):
    """A report that cannot be produced (no data, or the PDF engine failed)."""


def html_to_pdf(html: str, *, base_url: str | None = None, title: str | None = None) -> bytes:
    """Render a complete HTML document (with its own print CSS) as a tagged PDF.

    WeasyPrint is imported here, not at module level: it loads Pango through cffi, which the
    rest of nhm (and every command that never writes a PDF) does not need."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango missing: WeasyPrint cannot load its system libraries
        raise ReportError(
            "PDF output needs the Pango library (Debian: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0): {exc}"
        ) from exc
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=base_url)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=None, uncompressed_pdf=False)
    if not pdf:
        raise ReportError(f"the PDF engine returned nothing for {title or 'the report'}")
    return bytes(pdf)
