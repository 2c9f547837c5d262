"""Texts and numbers as German and English readers write them, shared by the app and the
reports so that a report shows every figure exactly as the app does."""

from __future__ import annotations

from collections.abc import Mapping


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


class Texts:
    """A two-language catalog (key → (German, English)) in one language, with its number
    formats: ``t("key", **values)``. The app and the reports each subclass it with their own
    catalog."""

    kind = "text"  # what a missing key is called in the error

    def __init__(self, lang: str, texts: Mapping[str, tuple[str, str]]) -> None:
        self.lang = "en" if lang == "en" else "de"
        self._index = 0 if self.lang == "de" else 1
        self._texts = texts

    def __call__(self, key: str, **values: object) -> str:
        try:
            template = self._texts[key][self._index]
        except KeyError:
            raise KeyError(f"no {self.kind} {key!r}") from None
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        return key in self._texts

    def number(self, value: float, digits: int = 1) -> str:
        """A number as the language writes it (German: 1.234,5)."""
        return number(value, self.lang, digits)

    def percent(self, value: float | None, digits: int = 1) -> str:
        return percent(value, self.lang, digits)

    def signed(self, value: float | None) -> str:
        """A change in percentage points, with its sign."""
        return signed(value, self.lang)
