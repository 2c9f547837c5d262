"""Spreadsheet cell text that no spreadsheet program runs as a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be
taken as a formula by Excel or LibreOffice (CSV or formula injection). Following the OWASP
advice, such text is written with a leading apostrophe, which shows it as plain text;
:func:`restore` removes that apostrophe again when the file is read back.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program read a cell as a formula."""

QUOTE = "'"


def neutralise(text: str) -> str:
    """``text`` with an apostrophe in front if it starts like a formula, else unchanged."""
    return QUOTE + text if text.startswith(FORMULA_TRIGGERS) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise`: drop one leading apostrophe that precedes a formula trigger."""
    if text[:1] == QUOTE and text[1:2] in FORMULA_TRIGGERS:
        return text[1:]
    return text
