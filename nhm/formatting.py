"""Numbers as German and English readers write them, shared by the app and the reports so
that a report shows every figure exactly as the app does."""

from __future__ import annotations


def number(value: float, lang: str, digits: int = 1) -> str:
    """German: 1.234,5; English: 1,234.5."""
    text = f"{value:,.{digits}f}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(value: float | None, lang: str, digits: int = 1) -> str:
    """ "42,9 %"; "–" for no value."""
    return "–" if value is None else f"{number(value, lang, digits)} %"


def signed(value: float | None, lang: str) -> str:
    """A change in percentage points with its sign: "+6,2 Pp.", "±0,0 Pp.", "−1,5 Pp."."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("±" if value == 0 else "−")
    return f"{sign}{number(abs(value), lang)} {'Pp.' if lang == 'de' else 'pp'}"
