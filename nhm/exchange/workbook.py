"""The assessment as an Excel workbook (.xlsx): a questionnaire to fill in, and the export.

One layout serves both: a blank questionnaire (no document) and a filled-in assessment.

- ``Anleitung`` / ``Instructions``: how to fill in, the scale, the N/A rule, how to import.
- ``Kommune`` / ``Municipality``: label/value rows (format, AGS, name, kind, population,
  population date, year, revision, status, demo), then the dimension versions.
- ``Bewertung`` / ``Assessment``: title (row 1), note (row 2), headers (row 3), then one row
  per criterion in catalog order: id, dimension, criterion, question, level, N/A,
  justification, evidence status, evidence reference, comment, answered by, answered at and
  the five level descriptors 0–4.
- ``Auswahllisten`` / ``Choices`` (hidden): the dropdown lists, one row of level choices per
  criterion.

Reading accepts either language, names the cell of every value (``Bewertung!E7``) so that
validation errors point to it, and refuses oversized, damaged or hostile files with an
:class:`~nhm.exchange.assessment_file.AssessmentFileError` instead of a traceback.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nhm.assessment import AssessmentStatus, EvidenceStatus, Response
from nhm.exchange.assessment_file import FORMAT, AssessmentFile, AssessmentFileError, ResponseEntry
from nhm.exchange.cells import neutralise, restore
from nhm.model import LEVEL_LABELS, Catalog, Criterion, Dimension, MaturityLevel
from nhm.municipality import KIND_LABELS, MunicipalityKind
from nhm.structured_file import FieldError, ParsedFile

MAX_FILE_BYTES = 10_000_000
"""Larger workbooks are refused (a questionnaire has about 60 kB)."""
MAX_UNCOMPRESSED_BYTES = 100_000_000
"""Unpacked size limit of all ZIP members together: refuses ZIP bombs before openpyxl runs."""
MAX_ZIP_MEMBERS = 5_000
MAX_SHEET_ROWS = 5_000
"""Rows read per sheet; a sheet with content below this row is refused."""
MAX_SHEET_COLUMNS = 64
HEADER_SEARCH_ROWS = 20
"""The assessment sheet's header row is looked for in its first rows."""

LANGS = ("de", "en")

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "sheet_instructions": "Anleitung",
        "sheet_municipality": "Kommune",
        "sheet_assessment": "Bewertung",
        "sheet_choices": "Auswahllisten",
        "demo": "DEMO – fiktive Daten",
        "yes": "Ja",
        "no": "Nein",
        "municipality_title": "Kommune und Bewertungszeitraum",
        "municipality_hint": "Bitte die gelb markierten Felder ausfüllen.",
        "assessment_title": "Selbstbewertung Nachhaltigkeitsmanagement",
        "assessment_hint": (
            "Eine Zeile je Kriterium: Reifegrad 0–4 wählen (die Stufen stehen rechts) oder, "
            "wo möglich, „Nicht zutreffend“ mit Begründung. Leere Zeilen gelten als nicht "
            "beantwortet."
        ),
        "col_item": "Angabe",
        "col_value": "Wert",
        "col_note": "Hinweis",
        "row_format": "Dateiformat",
        "row_ags": "Amtlicher Gemeindeschlüssel (AGS)",
        "row_name": "Name der Kommune",
        "row_kind": "Art der Kommune",
        "row_population": "Einwohnerzahl",
        "row_population_date": "Stand der Einwohnerzahl",
        "row_period": "Bewertungsjahr",
        "row_revision": "Revision",
        "row_status": "Status",
        "row_demo": "Demodaten",
        "row_dimension_versions": "Dimensionsversionen",
        "note_format": "nicht ändern",
        "note_ags": "8 Ziffern, z. B. 05916000 (Pflicht)",
        "note_name": "Pflicht",
        "note_kind": "nur nötig, wenn die Kommune in nhm noch nicht angelegt ist",
        "note_population": "optional",
        "note_population_date": "optional, JJJJ-MM-TT",
        "note_period": "Jahr, z. B. 2025 (Pflicht)",
        "note_revision": "leer lassen: nhm vergibt beim Import die nächste Revision",
        "note_status": "Entwurf oder Eingereicht (leer: Entwurf)",
        "note_demo": "nur „Ja“ für fiktive Kommunen (AGS-Stellen 4–5 = 99)",
        "col_version": "Version",
        "col_dimension_title": "Titel",
        "col_criterion": "Kriterium-ID",
        "col_dimension": "Dimension",
        "col_title": "Kriterium",
        "col_question": "Frage",
        "col_level": "Reifegrad (0–4)",
        "col_not_applicable": "Nicht zutreffend",
        "col_justification": "Begründung",
        "col_evidence_status": "Nachweisstatus",
        "col_evidence_reference": "Nachweis (Dokument, Fundstelle)",
        "col_comment": "Kommentar",
        "col_answered_by": "Beantwortet von",
        "col_answered_at": "Beantwortet am (UTC)",
        "col_level_n": "Stufe {level}",
        "status_draft": "Entwurf",
        "status_submitted": "Eingereicht",
        "evidence_self_declared": "Selbstauskunft",
        "evidence_documented": "Dokumentiert",
        "evidence_externally_verified": "Extern geprüft",
        "choices_kind": "Art der Kommune",
        "choices_status": "Status",
        "choices_yes_no": "Ja/Nein",
        "choices_evidence": "Nachweisstatus",
        "level_error_title": "Reifegrad",
        "level_error": "Bitte eine Stufe 0–4 aus der Liste wählen.",
        "list_error_title": "Auswahl",
        "list_error": "Bitte einen Wert aus der Liste wählen.",
    },
    "en": {
        "sheet_instructions": "Instructions",
        "sheet_municipality": "Municipality",
        "sheet_assessment": "Assessment",
        "sheet_choices": "Choices",
        "demo": "DEMO – fictional data",
        "yes": "Yes",
        "no": "No",
        "municipality_title": "Municipality and period",
        "municipality_hint": "Please fill in the yellow fields.",
        "assessment_title": "Sustainability management self-assessment",
        "assessment_hint": (
            "One row per criterion: choose a level 0–4 (the levels are described on the "
            "right) or, where allowed, “Not applicable” with a justification. Empty rows "
            "count as not answered."
        ),
        "col_item": "Item",
        "col_value": "Value",
        "col_note": "Note",
        "row_format": "File format",
        "row_ags": "Official municipality key (AGS)",
        "row_name": "Name of the municipality",
        "row_kind": "Kind of municipality",
        "row_population": "Population",
        "row_population_date": "Population as of",
        "row_period": "Year assessed",
        "row_revision": "Revision",
        "row_status": "Status",
        "row_demo": "Demo data",
        "row_dimension_versions": "Dimension versions",
        "note_format": "do not change",
        "note_ags": "8 digits, e.g. 05916000 (required)",
        "note_name": "required",
        "note_kind": "only needed if the municipality is not yet known to nhm",
        "note_population": "optional",
        "note_population_date": "optional, YYYY-MM-DD",
        "note_period": "year, e.g. 2025 (required)",
        "note_revision": "leave empty: the import picks the next revision",
        "note_status": "Draft or Submitted (empty: Draft)",
        "note_demo": "“Yes” only for fictional municipalities (AGS digits 4–5 = 99)",
        "col_version": "Version",
        "col_dimension_title": "Title",
        "col_criterion": "Criterion ID",
        "col_dimension": "Dimension",
        "col_title": "Criterion",
        "col_question": "Question",
        "col_level": "Level (0–4)",
        "col_not_applicable": "Not applicable",
        "col_justification": "Justification",
        "col_evidence_status": "Evidence status",
        "col_evidence_reference": "Evidence (document, reference)",
        "col_comment": "Comment",
        "col_answered_by": "Answered by",
        "col_answered_at": "Answered at (UTC)",
        "col_level_n": "Level {level}",
        "status_draft": "Draft",
        "status_submitted": "Submitted",
        "evidence_self_declared": "Self-declared",
        "evidence_documented": "Documented",
        "evidence_externally_verified": "Externally verified",
        "choices_kind": "Kind of municipality",
        "choices_status": "Status",
        "choices_yes_no": "Yes/No",
        "choices_evidence": "Evidence status",
        "level_error_title": "Level",
        "level_error": "Please choose a level 0–4 from the list.",
        "list_error_title": "Choice",
        "list_error": "Please choose a value from the list.",
    },
}

INSTRUCTIONS: dict[str, list[tuple[str, str]]] = {
    "de": [
        ("title", "Selbstbewertung Nachhaltigkeitsmanagement – Fragebogen"),
        ("heading", "So füllen Sie den Fragebogen aus"),
        (
            "text",
            "1. Blatt „Kommune“: Amtlichen Gemeindeschlüssel (AGS, 8 Ziffern), Namen der "
            "Kommune und Bewertungsjahr eintragen; die Art der Kommune wählen.",
        ),
        (
            "text",
            "2. Blatt „Bewertung“: Für jedes Kriterium (eine Zeile) in der Spalte "
            "„Reifegrad (0–4)“ die Stufe wählen, die Ihre Kommune vollständig erreicht. Was "
            "jede Stufe bedeutet, steht rechts in den Spalten „Stufe 0“ bis „Stufe 4“.",
        ),
        (
            "text",
            "3. Nachweisstatus wählen (Selbstauskunft, Dokumentiert, Extern geprüft) und den "
            "Nachweis nennen: Ratsbeschluss, Dienstanweisung, Bericht, Fundstelle oder Link. "
            "Kommentar, „Beantwortet von“ und „Beantwortet am“ sind freiwillig.",
        ),
        (
            "text",
            "Zeilen ohne Antwort gelten als nicht beantwortet. Bitte weder Blattnamen noch "
            "die Kriterium-IDs in Spalte A ändern.",
        ),
        ("heading", "Die Reifegradskala"),
        *[("text", f"{int(level)} – {LEVEL_LABELS[level].de}") for level in MaturityLevel],
        ("heading", "Nicht zutreffend"),
        (
            "text",
            "„Nicht zutreffend“ ist nur bei Kriterien möglich, die in der Spalte „Nicht "
            "zutreffend“ ein Auswahlfeld haben (bei den übrigen ist die Zelle grau). Wer „Ja“ "
            "wählt, lässt den Reifegrad leer und begründet es in der Spalte „Begründung“.",
        ),
        ("heading", "Einlesen in nhm"),
        (
            "text",
            "Den ausgefüllten Fragebogen lesen Sie mit „nhm import DATEI.xlsx“ ein. nhm prüft "
            "zuerst die ganze Datei und nennt bei Fehlern die Zelle, z. B. Bewertung!E7.",
        ),
        (
            "text",
            "Text, der mit =, +, -, @ beginnt, steht mit einem vorangestellten Apostroph (') "
            "in der Datei, damit kein Tabellenprogramm ihn als Formel ausführt; beim Einlesen "
            "wird der Apostroph entfernt.",
        ),
    ],
    "en": [
        ("title", "Sustainability management self-assessment – questionnaire"),
        ("heading", "How to fill in the questionnaire"),
        (
            "text",
            "1. Sheet “Municipality”: enter the official municipality key (AGS, 8 digits), the "
            "name of the municipality and the year assessed; choose the kind of municipality.",
        ),
        (
            "text",
            "2. Sheet “Assessment”: for each criterion (one row), choose in the column "
            "“Level (0–4)” the level your municipality fully reaches. What each level means "
            "is written on the right, in the columns “Level 0” to “Level 4”.",
        ),
        (
            "text",
            "3. Choose the evidence status (Self-declared, Documented, Externally verified) and "
            "name the evidence: council decision, internal directive, report, reference or "
            "link. Comment, “Answered by” and “Answered at” are optional.",
        ),
        (
            "text",
            "Rows without an answer count as not answered. Please do not change the sheet "
            "names or the criterion IDs in column A.",
        ),
        ("heading", "The maturity scale"),
        *[("text", f"{int(level)} – {LEVEL_LABELS[level].get('en')}") for level in MaturityLevel],
        ("heading", "Not applicable"),
        (
            "text",
            "“Not applicable” is only possible for criteria that have a dropdown in the column "
            "“Not applicable” (for all others the cell is grey). Whoever chooses “Yes” leaves "
            "the level empty and gives the reason in the column “Justification”.",
        ),
        ("heading", "Importing into nhm"),
        (
            "text",
            "Import the completed questionnaire with “nhm import FILE.xlsx”. nhm checks the "
            "whole file first and names the cell of every error, e.g. Assessment!E7.",
        ),
        (
            "text",
            "Text starting with =, +, -, @ is stored with a leading apostrophe (') so that no "
            "spreadsheet program runs it as a formula; the import removes the apostrophe.",
        ),
    ],
}

MUNICIPALITY_FIELDS = (
    "format",
    "ags",
    "name",
    "kind",
    "population",
    "population_date",
    "period",
    "revision",
    "status",
    "demo",
)
ASSESSMENT_COLUMNS = (
    "criterion",
    "dimension",
    "title",
    "question",
    *Response.model_fields,  # the answer columns, in Response's order
    *(f"level_{level}" for level in range(5)),
)
COLUMN_WIDTHS = {
    "criterion": 34,
    "dimension": 22,
    "title": 30,
    "question": 50,
    "level": 30,
    "not_applicable": 14,
    "justification": 36,
    "evidence_status": 18,
    "evidence_reference": 30,
    "comment": 36,
    "answered_by": 18,
    "answered_at": 22,
}
DESCRIPTOR_WIDTH = 42
TEXT_FIELDS = ("justification", "evidence_reference", "comment", "answered_by")
"""Response fields read as free text; with a level, N/A or answered_at they make a row count."""

ASSESSMENT_TITLE_ROW = 1
ASSESSMENT_NOTE_ROW = 2
ASSESSMENT_HEADER_ROW = 3
MUNICIPALITY_HEADER_ROW = 3

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_DEMO = Font(bold=True, color="C00000", size=12)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_GREY_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _texts(lang: str) -> dict[str, str]:
    if lang not in TEXTS:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGS)}")
    return TEXTS[lang]


def _evidence_label(status: EvidenceStatus, lang: str) -> str:
    return TEXTS[lang][f"evidence_{status.value}"]


def _status_label(status: AssessmentStatus, lang: str) -> str:
    return TEXTS[lang][f"status_{status.value}"]


def level_choice(criterion: Criterion, level: int, lang: str) -> str:
    """The dropdown entry of ``level``: ``"3 – <descriptor>"`` on one line."""
    descriptor = " ".join(criterion.levels[level].get(lang).split())
    return f"{level} – {descriptor}"


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """One assessment row: a catalog criterion, or an answer to a criterion not in it."""

    full_id: str
    dimension: Dimension | None
    criterion: Criterion | None
    entry: ResponseEntry | None


def _rows(catalog: Catalog, document: AssessmentFile | None) -> list[_Row]:
    answers = {entry.criterion: entry for entry in document.responses} if document else {}
    rows = []
    for dimension, criterion in catalog.iter_criteria():
        full_id = dimension.full_id(criterion)
        rows.append(_Row(full_id, dimension, criterion, answers.pop(full_id, None)))
    rows.extend(_Row(full_id, None, None, entry) for full_id, entry in answers.items())
    return rows


def _safe_text(text: str) -> str:
    """Text a cell can hold that no spreadsheet runs as a formula.

    Control characters a cell cannot hold are dropped, and line breaks become ``\n``: XML
    turns a carriage return into a line feed anyway, which would hide the formula quote of a
    text starting with one.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return neutralise(text)


def _put(
    ws: Worksheet,
    row: int,
    column: int,
    value: str | int | None,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    wrap: bool = True,
) -> Cell:
    """Write one cell; text always goes through :func:`neutralise` and stays a string."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _safe_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = _WRAP
    return cell


def _list_validation(formula: str, title: str, message: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title,
        error=message,
    )


def _range(ws: Worksheet, first: str, last: str) -> str:
    return f"{quote_sheetname(ws.title)}!{first}:{last}"


def write_workbook(
    path: Path,
    catalog: Catalog,
    *,
    lang: str = "de",
    document: AssessmentFile | None = None,
) -> None:
    """Write the questionnaire (no document, or one without responses) or an assessment."""
    t = _texts(lang)
    rows = _rows(catalog, document)
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = t["sheet_instructions"]
    municipality = workbook.create_sheet(t["sheet_municipality"])
    assessment = workbook.create_sheet(t["sheet_assessment"])
    choices = workbook.create_sheet(t["sheet_choices"])
    choices.sheet_state = "hidden"

    lists = _write_choices(choices, rows, lang)
    _write_instructions(instructions, lang)
    _write_municipality(municipality, catalog, document, lang, lists)
    _write_assessment(assessment, rows, document, lang, lists)
    workbook.active = 0
    workbook.save(path)


def _write_choices(ws: Worksheet, rows: list[_Row], lang: str) -> dict[str, str]:
    """Fill the hidden choices sheet; return list name -> range (``level:<id>`` per row)."""
    t = TEXTS[lang]
    headers = [
        t["col_criterion"],
        *(t["col_level_n"].format(level=level) for level in range(5)),
        "",
        t["choices_kind"],
        t["choices_status"],
        t["choices_yes_no"],
        t["choices_evidence"],
    ]
    for column, header in enumerate(headers, start=1):
        _put(ws, 1, column, header, font=_BOLD, wrap=False)
    lists: dict[str, str] = {}
    line = 2
    for row in rows:
        if row.criterion is None:
            continue
        _put(ws, line, 1, row.full_id, wrap=False)
        for level in range(5):
            _put(ws, line, 2 + level, level_choice(row.criterion, level, lang), wrap=False)
        lists[f"level:{row.full_id}"] = _range(ws, f"$B${line}", f"$F${line}")
        line += 1
    fixed = {
        "kind": [kind.label[lang] for kind in MunicipalityKind],
        "status": [_status_label(status, lang) for status in AssessmentStatus],
        "yes_no": [t["yes"], t["no"]],
        "evidence": [_evidence_label(status, lang) for status in EvidenceStatus],
    }
    for column, (name, values) in enumerate(fixed.items(), start=8):
        letter = get_column_letter(column)
        for offset, value in enumerate(values):
            _put(ws, 2 + offset, column, value, wrap=False)
        lists[name] = _range(ws, f"${letter}$2", f"${letter}${1 + len(values)}")
    ws.column_dimensions["A"].width = 40
    return lists


def _write_instructions(ws: Worksheet, lang: str) -> None:
    ws.column_dimensions["A"].width = 110
    line = 1
    for kind, text in INSTRUCTIONS[lang]:
        if kind == "heading" and line > 1:
            line += 1  # blank line before a heading
        font = _TITLE if kind == "title" else _BOLD if kind == "heading" else None
        _put(ws, line, 1, text, font=font)
        line += 1


def _write_municipality(
    ws: Worksheet,
    catalog: Catalog,
    document: AssessmentFile | None,
    lang: str,
    lists: dict[str, str],
) -> None:
    t = TEXTS[lang]
    _put(ws, 1, 1, t["municipality_title"], font=_TITLE, wrap=False)
    if document is not None and document.demo:
        _put(ws, 2, 1, t["demo"], font=_DEMO, wrap=False)
    else:
        _put(ws, 2, 1, t["municipality_hint"], wrap=False)
    header = MUNICIPALITY_HEADER_ROW
    for column, key in enumerate(("col_item", "col_value", "col_note"), start=1):
        _put(ws, header, column, t[key], font=_BOLD, fill=_HEADER_FILL)
    values = _municipality_values(document, lang)
    validations = {
        "kind": lists["kind"],
        "status": lists["status"],
        "demo": lists["yes_no"],
    }
    line = header
    for key in MUNICIPALITY_FIELDS:
        line += 1
        _put(ws, line, 1, t[f"row_{key}"], font=_BOLD)
        fill = _GREY_FILL if key == "format" else _INPUT_FILL
        cell = _put(ws, line, 2, values.get(key), fill=fill)
        if key == "ags":
            cell.number_format = "@"  # keeps the leading zero when typed in Excel
        _put(ws, line, 3, t[f"note_{key}"])
        if key in validations:
            validation = _list_validation(validations[key], t["list_error_title"], t["list_error"])
            ws.add_data_validation(validation)
            validation.add(cell)
    line += 2
    for column, key in enumerate(
        ("row_dimension_versions", "col_version", "col_dimension_title"), start=1
    ):
        _put(ws, line, column, t[key], font=_BOLD, fill=_HEADER_FILL)
    versions = document.dimension_versions if document is not None else catalog.versions()
    titles = {dimension.id: dimension.title.get(lang) for dimension in catalog.dimensions}
    for dimension_id, version in versions.items():
        line += 1
        _put(ws, line, 1, dimension_id)
        _put(ws, line, 2, version, fill=_GREY_FILL)
        _put(ws, line, 3, titles.get(dimension_id, ""))
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 60
    ws.freeze_panes = ws.cell(row=header + 1, column=1)


def _municipality_values(document: AssessmentFile | None, lang: str) -> dict[str, str | int]:
    values: dict[str, str | int] = {"format": FORMAT}
    if document is None:
        return values
    ref = document.municipality
    values.update(ags=ref.ags, name=ref.name, period=document.period)
    if ref.kind is not None:
        values["kind"] = ref.kind.label[lang]
    if ref.population is not None:
        values["population"] = ref.population
    if ref.population_date is not None:
        values["population_date"] = ref.population_date.isoformat()
    if document.revision is not None:
        values["revision"] = document.revision
    values["status"] = _status_label(document.status, lang)
    values["demo"] = TEXTS[lang]["yes" if document.demo else "no"]
    return values


def _write_assessment(
    ws: Worksheet,
    rows: list[_Row],
    document: AssessmentFile | None,
    lang: str,
    lists: dict[str, str],
) -> None:
    t = TEXTS[lang]
    title = t["assessment_title"]
    if document is not None:
        ref = document.municipality
        title += f" – {ref.name} ({ref.ags}), {document.period}"
    _put(ws, ASSESSMENT_TITLE_ROW, 1, title, font=_TITLE, wrap=False)
    if document is not None and document.demo:
        _put(ws, ASSESSMENT_NOTE_ROW, 1, t["demo"], font=_DEMO, wrap=False)
    else:
        _put(ws, ASSESSMENT_NOTE_ROW, 1, t["assessment_hint"], wrap=False)
    header = ASSESSMENT_HEADER_ROW
    column_of = {key: index for index, key in enumerate(ASSESSMENT_COLUMNS, start=1)}
    for key, column in column_of.items():
        label = (
            t["col_level_n"].format(level=key[-1]) if key.startswith("level_") else t[f"col_{key}"]
        )
        _put(ws, header, column, label, font=_BOLD, fill=_HEADER_FILL)
        width = COLUMN_WIDTHS.get(key, DESCRIPTOR_WIDTH)
        ws.column_dimensions[get_column_letter(column)].width = width

    not_applicable = _list_validation(lists["yes_no"], t["list_error_title"], t["list_error"])
    evidence = _list_validation(lists["evidence"], t["list_error_title"], t["list_error"])
    ws.add_data_validation(not_applicable)
    ws.add_data_validation(evidence)
    line = header
    for row in rows:
        line += 1
        values = _row_values(row, lang)
        for key, column in column_of.items():
            fill = _INPUT_FILL if key in _INPUT_COLUMNS else None
            if key == "not_applicable" and row.criterion is not None:
                fill = _INPUT_FILL if row.criterion.na_allowed else _GREY_FILL
            _put(ws, line, column, values.get(key), fill=fill)
        if row.criterion is not None:
            level = _list_validation(
                lists[f"level:{row.full_id}"], t["level_error_title"], t["level_error"]
            )
            ws.add_data_validation(level)
            level.add(ws.cell(row=line, column=column_of["level"]))
            if row.criterion.na_allowed:
                not_applicable.add(ws.cell(row=line, column=column_of["not_applicable"]))
    evidence_column = get_column_letter(column_of["evidence_status"])
    evidence.add(f"{evidence_column}{header + 1}:{evidence_column}{max(line, header + 1)}")
    last = get_column_letter(len(ASSESSMENT_COLUMNS))
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.auto_filter.ref = f"A{header}:{last}{max(line, header + 1)}"


_INPUT_COLUMNS = frozenset(Response.model_fields)  # the answer columns, named as Response's


def _row_values(row: _Row, lang: str) -> dict[str, str | int | None]:
    values: dict[str, str | int | None] = {"criterion": row.full_id}
    criterion = row.criterion
    if criterion is not None and row.dimension is not None:
        values.update(
            dimension=row.dimension.title.get(lang),
            title=criterion.title.get(lang),
            question=criterion.question.get(lang),
        )
        for level in range(5):
            values[f"level_{level}"] = criterion.levels[level].get(lang)
    entry = row.entry
    if entry is None:
        return values
    if entry.level is not None:
        values["level"] = (
            level_choice(criterion, entry.level, lang) if criterion is not None else entry.level
        )
    if entry.not_applicable:
        values["not_applicable"] = TEXTS[lang]["yes"]
    values["evidence_status"] = _evidence_label(entry.evidence_status, lang)
    for key in TEXT_FIELDS:
        values[key] = getattr(entry, key)
    if entry.answered_at is not None:
        values["answered_at"] = entry.answered_at.isoformat()
    return values


# --- reading ---------------------------------------------------------------------------------


def _normalise(label: object) -> str:
    return " ".join(str(label).split()).casefold().rstrip(":*").strip()


def _lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {_normalise(text): value for text, value in pairs}


_MUNICIPALITY_SHEETS = {_normalise(TEXTS[lang]["sheet_municipality"]) for lang in LANGS}
_ASSESSMENT_SHEETS = {_normalise(TEXTS[lang]["sheet_assessment"]) for lang in LANGS}
_ROW_KEYS = _lookup(
    [(TEXTS[lang][f"row_{key}"], key) for lang in LANGS for key in MUNICIPALITY_FIELDS]
    + [(key, key) for key in MUNICIPALITY_FIELDS]
    + [("AGS", "ags")]
)
_VERSIONS_LABELS = {
    _normalise(label)
    for label in (*(TEXTS[lang]["row_dimension_versions"] for lang in LANGS), "dimension_versions")
}
_READ_COLUMNS = ("criterion", *Response.model_fields)
_COLUMN_KEYS = _lookup(
    [(TEXTS[lang][f"col_{key}"], key) for lang in LANGS for key in _READ_COLUMNS]
    + [(key, key) for key in _READ_COLUMNS]
    + [("Reifegrad", "level"), ("Level", "level")]
)
_KINDS = _lookup(
    [(labels[lang], kind.value) for kind, labels in KIND_LABELS.items() for lang in LANGS]
    + [(kind.value, kind.value) for kind in MunicipalityKind]
)
_STATUSES = _lookup(
    [(_status_label(status, lang), status.value) for status in AssessmentStatus for lang in LANGS]
    + [(status.value, status.value) for status in AssessmentStatus]
)
_EVIDENCE = _lookup(
    [(_evidence_label(status, lang), status.value) for status in EvidenceStatus for lang in LANGS]
    + [(status.value, status.value) for status in EvidenceStatus]
)
_TRUE = frozenset({"ja", "j", "yes", "y", "x", "true", "wahr", "1"})
_FALSE = frozenset({"nein", "n", "no", "false", "falsch", "0"})
_INTEGER = re.compile(r"\s*(\d+)(?:[.,]0+)?\s*", re.ASCII)
_LEVEL = re.compile(r"\s*(\d+)(?:[.,]0+)?\s*(?:[–—-].*)?", re.ASCII | re.DOTALL)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _fail(path: Path, message: str, cell: str | None = None) -> AssessmentFileError:
    return AssessmentFileError(path, [FieldError(path, None, "", message, cell)])


def read_workbook(path: Path) -> ParsedFile:
    """Read an assessment workbook into data shaped like an assessment file, with cells.

    Validate the result with :func:`~nhm.exchange.assessment_file.parse_assessment`.
    """
    _check_container(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror or exc}") from None
    with stream, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds of errors for damaged files
            raise _unreadable(path, exc) from None
        try:
            return _read_document(path, workbook)
        except AssessmentFileError:
            raise
        except Exception as exc:  # sheets are parsed lazily, while their rows are read
            raise _unreadable(path, exc) from None
        finally:
            workbook.close()


def _unreadable(path: Path, exc: Exception) -> AssessmentFileError:
    reason = f"{type(exc).__name__}: {exc}"
    if len(reason) > 200:
        reason = reason[:199] + "…"
    return _fail(
        path, f"not a readable Excel workbook (.xlsx); it is damaged or not a workbook ({reason})"
    )


def _check_container(path: Path) -> None:
    """Refuse folders, missing, empty, oversized, non-ZIP and ZIP-bomb files before openpyxl."""
    try:
        if path.is_dir():
            raise _fail(path, "is a folder, not a file")
        size = path.stat().st_size
        if size == 0:
            raise _fail(path, "the file is empty; not an Excel workbook (.xlsx)")
        if size > MAX_FILE_BYTES:
            raise _fail(
                path, f"the file has {size:,} bytes; at most {MAX_FILE_BYTES:,} are allowed"
            )
        with path.open("rb") as stream:
            magic = stream.read(8)
        if magic.startswith(_OLE_MAGIC):
            raise _fail(
                path,
                "not an Excel workbook (.xlsx): an old Excel .xls file or a password-protected "
                "workbook; save it in Excel as .xlsx without a password",
            )
        if not magic.startswith(_ZIP_MAGIC):
            raise _fail(path, "not an Excel workbook (.xlsx)")
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise _fail(
                    path, f"not an Excel workbook (.xlsx): the archive has {len(members):,} parts"
                )
            unpacked = sum(member.file_size for member in members)
            if unpacked > MAX_UNCOMPRESSED_BYTES:
                raise _fail(
                    path,
                    f"refused: unpacked, the workbook would have {unpacked:,} bytes; at most "
                    f"{MAX_UNCOMPRESSED_BYTES:,} are allowed (a ZIP bomb?)",
                )
            names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise _fail(path, "not an Excel workbook (.xlsx): a ZIP archive of something else")
    except FileNotFoundError:
        raise _fail(path, "file not found") from None
    except zipfile.BadZipFile:
        raise _fail(path, "not an Excel workbook (.xlsx): the ZIP archive is damaged") from None
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror or exc}") from None


def _read_document(path: Path, workbook: Any) -> ParsedFile:
    sheets = {_normalise(name): name for name in workbook.sheetnames}
    municipality_name = next((sheets[n] for n in sheets if n in _MUNICIPALITY_SHEETS), None)
    assessment_name = next((sheets[n] for n in sheets if n in _ASSESSMENT_SHEETS), None)
    if municipality_name is None or assessment_name is None:
        de, en = TEXTS["de"], TEXTS["en"]
        found = ", ".join(repr(name) for name in workbook.sheetnames) or "none"
        raise _fail(
            path,
            "not an nhm assessment workbook: expected the sheets "
            f"{de['sheet_municipality']!r} and {de['sheet_assessment']!r} (or "
            f"{en['sheet_municipality']!r} and {en['sheet_assessment']!r}); found {found}",
        )
    data: dict[str, Any] = {}
    cells: dict[tuple[Any, ...], str] = {}
    _read_municipality(path, workbook[municipality_name], data, cells)
    data["responses"] = _read_assessment(path, workbook[assessment_name], cells)
    return ParsedFile(path=path, data=data, cells=cells)


def _sheet_rows(path: Path, ws: Any, columns: int) -> list[tuple[Any, ...]]:
    """The values of the sheet's rows (row 1 first), each padded to ``columns`` values."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # do not trust the size the file claims
    rows: list[tuple[Any, ...]] = []
    for values in ws.iter_rows(
        min_row=1, max_row=MAX_SHEET_ROWS + 1, max_col=columns, values_only=True
    ):
        if len(rows) == MAX_SHEET_ROWS:
            if any(not _is_empty(value) for value in values):
                raise _fail(
                    path,
                    f"sheet {ws.title!r} has more than {MAX_SHEET_ROWS:,} rows",
                    f"{ws.title}!A{MAX_SHEET_ROWS + 1}",
                )
            break
        padded = tuple(values) + (None,) * (columns - len(values))
        rows.append(padded[:columns])
    return rows


def _read_municipality(
    path: Path, ws: Any, data: dict[str, Any], cells: dict[tuple[Any, ...], str]
) -> None:
    title = ws.title
    found: dict[str, Any] = {}
    where: dict[str, str] = {}
    versions: dict[str, Any] = {}
    in_versions = False
    for number, (label, value, *_) in enumerate(_sheet_rows(path, ws, 3), start=1):
        if _is_empty(label):
            continue
        if in_versions:
            dimension_id = _text(label)
            if dimension_id and not _is_empty(value):
                versions[dimension_id.strip()] = _version(value)
                cells[("dimension_versions", dimension_id.strip())] = f"{title}!B{number}"
            continue
        key = _normalise(label)
        if key in _VERSIONS_LABELS:
            in_versions = True
            cells[("dimension_versions",)] = f"{title}!A{number}"
            continue
        field = _ROW_KEYS.get(key)
        if field is not None and field not in where:
            found[field] = value
            where[field] = f"{title}!B{number}"

    def put(target: dict[str, Any], field: str, value: Any, loc: tuple[Any, ...]) -> None:
        if field in where:
            cells[loc] = where[field]
        if value is not None:
            target[field] = value

    fmt = found.get("format")
    put(data, "format", restore(fmt.strip()) if isinstance(fmt, str) else fmt, ("format",))
    municipality: dict[str, Any] = {}
    put(municipality, "ags", _ags(found.get("ags")), ("municipality", "ags"))
    put(municipality, "name", _text(found.get("name")), ("municipality", "name"))
    put(municipality, "kind", _choice(found.get("kind"), _KINDS), ("municipality", "kind"))
    population = _integer(found.get("population"))
    put(municipality, "population", population, ("municipality", "population"))
    population_date = _date(found.get("population_date"))
    put(municipality, "population_date", population_date, ("municipality", "population_date"))
    data["municipality"] = municipality
    put(data, "period", _integer(found.get("period")), ("period",))
    put(data, "revision", _integer(found.get("revision")), ("revision",))
    put(data, "status", _choice(found.get("status"), _STATUSES), ("status",))
    put(data, "demo", _boolean(found.get("demo")), ("demo",))
    if versions:
        data["dimension_versions"] = versions

    # Errors about a missing key, and checks across fields, are reported at the parent.
    sheet_start = f"{title}!A1"
    missing_top = [f for f in ("format", "period") if f not in data and f in where]
    cells[()] = where[missing_top[0]] if missing_top else where.get("demo", sheet_start)
    missing = [f for f in ("ags", "name") if f not in municipality and f in where]
    cells[("municipality",)] = where[missing[0]] if missing else where.get("ags", sheet_start)


def _read_assessment(
    path: Path, ws: Any, cells: dict[tuple[Any, ...], str]
) -> list[dict[str, Any]]:
    title = ws.title
    rows = _sheet_rows(path, ws, MAX_SHEET_COLUMNS)
    header_row, columns = _find_header(rows[:HEADER_SEARCH_ROWS])
    if header_row is None or "level" not in columns:
        expected = " / ".join(
            repr(TEXTS[lang][f"col_{key}"]) for key in ("criterion", "level") for lang in LANGS
        )
        raise _fail(
            path,
            f"sheet {title!r}: no header row with the columns {expected} in its first "
            f"{HEADER_SEARCH_ROWS} rows",
            f"{title}!A1",
        )
    cells[("responses",)] = f"{title}!A{header_row}"
    letters = {key: get_column_letter(column + 1) for key, column in columns.items()}
    responses: list[dict[str, Any]] = []
    for number, values in enumerate(rows[header_row:], start=header_row + 1):
        raw = {key: values[column] for key, column in columns.items()}
        entry = _response(raw)
        if entry is None:
            continue
        index = len(responses)
        cells[("responses", index)] = f"{title}!{letters['level']}{number}"
        for key, letter in letters.items():
            cells[("responses", index, key)] = f"{title}!{letter}{number}"
        responses.append(entry)
    return responses


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int | None, dict[str, int]]:
    """The (1-based) header row and field -> column index (0-based)."""
    for number, values in enumerate(rows, start=1):
        columns: dict[str, int] = {}
        for index, value in enumerate(values):
            if isinstance(value, str):
                key = _COLUMN_KEYS.get(_normalise(value))
                if key is not None and key not in columns:
                    columns[key] = index
        if "criterion" in columns:
            return number, columns
    return None, {}


def _response(raw: dict[str, Any]) -> dict[str, Any] | None:
    """One response as data, or None for an unanswered row."""
    entry: dict[str, Any] = {}
    criterion = _text(raw.get("criterion"))
    if criterion is not None:
        entry["criterion"] = criterion.strip()
    answered = False
    if not _is_empty(raw.get("level")):
        entry["level"] = _level(raw["level"])
        answered = True
    not_applicable = _boolean(raw.get("not_applicable"))
    if not_applicable is not None and not_applicable is not False:
        entry["not_applicable"] = not_applicable
        answered = True
    for key in TEXT_FIELDS:
        text = _text(raw.get(key))
        if text is not None:
            entry[key] = text
            answered = True
    answered_at = _datetime(raw.get("answered_at"))
    if answered_at is not None:
        entry["answered_at"] = answered_at
        answered = True
    if not answered:
        return None  # an evidence status alone does not make an answer
    evidence = _choice(raw.get("evidence_status"), _EVIDENCE)
    if evidence is not None:
        entry["evidence_status"] = evidence
    return entry


# --- cell values -----------------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    """Free text as written (formula quote removed); None for an empty cell."""
    if _is_empty(value):
        return None
    if isinstance(value, str):
        return restore(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _number(value: Any, pattern: re.Pattern[str]) -> Any:
    """An int from a number or digit text; anything else unchanged, for validation to report."""
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return str(value).upper()  # TRUE/FALSE is no number (pydantic would take it as 1/0)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        match = pattern.fullmatch(value)
        return int(match[1]) if match else restore(value.strip())
    return value


def _integer(value: Any) -> Any:
    return _number(value, _INTEGER)


def _level(value: Any) -> Any:
    """3, 3.0, "3" and "3 – <descriptor>" all give 3."""
    return _number(value, _LEVEL)


def _ags(value: Any) -> Any:
    if _is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        return text.zfill(8) if len(text) == 7 else text  # Excel drops the leading zero
    if isinstance(value, str):
        return restore(value.strip())
    return value


def _choice(value: Any, choices: dict[str, str]) -> Any:
    """The code of a label or code from ``choices``; anything else unchanged."""
    if _is_empty(value):
        return None
    if isinstance(value, str):
        return choices.get(_normalise(value), restore(value.strip()))
    return value


def _boolean(value: Any) -> Any:
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = _normalise(value)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        return restore(value.strip())
    return value


def _date(value: Any) -> Any:
    if _is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def _datetime(value: Any) -> Any:
    if _is_empty(value):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        return restore(value.strip())
    return value


def _version(value: Any) -> Any:
    text = _text(value)
    return text.strip() if text is not None else None
