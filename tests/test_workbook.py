"""The XLSX questionnaire/export, reading it back, hostile files, and the CSV export."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from nhm.catalog import load_catalog
from nhm.exchange import workbook as workbook_module
from nhm.exchange.assessment_file import (
    FORMAT,
    AssessmentFile,
    AssessmentFileError,
    MunicipalityRef,
    ResponseEntry,
    catalog_errors,
    document_data,
    parse_assessment,
)
from nhm.exchange.cells import neutralise, restore
from nhm.exchange.csv_export import write_csv
from nhm.exchange.workbook import read_workbook, write_workbook
from nhm.model import Catalog

NA_CRITERION = "governance_actors.municipal_companies"
SHEETS = {
    "de": ["Anleitung", "Kommune", "Bewertung", "Auswahllisten"],
    "en": ["Instructions", "Municipality", "Assessment", "Choices"],
}
FIRST_ROW = 4  # first criterion row on the assessment sheet


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded, _ = load_catalog()
    return loaded


def criterion_ids(catalog: Catalog) -> list[str]:
    return [dimension.full_id(criterion) for dimension, criterion in catalog.iter_criteria()]


def row_of(catalog: Catalog, full_id: str) -> int:
    return FIRST_ROW + criterion_ids(catalog).index(full_id)


def demo_document(catalog: Catalog) -> AssessmentFile:
    return AssessmentFile(
        format=FORMAT,
        municipality=MunicipalityRef(
            ags="09099001",
            name="Musterstadt",
            kind="stadt",
            population=23_456,
            population_date="2024-12-31",
        ),
        period=2025,
        revision=2,
        status="submitted",
        demo=True,
        dimension_versions=catalog.versions(),
        responses=[
            ResponseEntry(
                criterion="governance_actors.council_mandate",
                level=3,
                evidence_status="documented",
                evidence_reference="Ratsbeschluss 2021/123",
                comment='=HYPERLINK("http://evil")',
                answered_by="@kaemmerei",
                answered_at=datetime(2025, 3, 1, 10, 15, 5, 123456, tzinfo=UTC),
            ),
            ResponseEntry(
                criterion=NA_CRITERION,
                not_applicable=True,
                justification="-keine Beteiligungen",
                comment="+1\nzweite Zeile",
            ),
            ResponseEntry(
                criterion="procurement.binding_policy",
                level=0,
                evidence_status="externally_verified",
                comment="-5 Punkte",
                justification="  mit Leerzeichen  ",
            ),
            ResponseEntry(criterion="budgeting.sdg_tagging", level=4, comment="@SUM(A1)"),
        ],
    )


# --- cells.py ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+2", "+49 2323", "-x", "@user", "\tx", "\rx"])
def test_neutralise_quotes_formula_starts(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["", "plain", "'quoted", "3 – text", " =x"])
def test_neutralise_leaves_other_text(text: str) -> None:
    assert neutralise(text) == text
    assert restore(text) == text


def test_restore_removes_exactly_one_quote() -> None:
    assert restore("''=x") == "''=x"
    assert restore("'=x") == "=x"
    assert restore("'") == "'"


# --- the questionnaire ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
def test_questionnaire_layout(tmp_path: Path, catalog: Catalog, lang: str) -> None:
    path = tmp_path / f"fragebogen-{lang}.xlsx"
    write_workbook(path, catalog, lang=lang)
    book = openpyxl.load_workbook(path)
    instructions, municipality, assessment, choices = SHEETS[lang]
    assert book.sheetnames == SHEETS[lang]
    assert book[choices].sheet_state == "hidden"
    assert "nhm import" in " ".join(str(c.value) for c in book[instructions]["A"])

    ws = book[assessment]
    assert ws.freeze_panes == f"A{FIRST_ROW}"
    assert ws.cell(FIRST_ROW - 1, 1).font.b
    ids = [ws.cell(row, 1).value for row in range(FIRST_ROW, ws.max_row + 1)]
    assert ids == criterion_ids(catalog)
    assert len(ids) == 44
    first = next(catalog.iter_criteria())[1]
    assert ws.cell(FIRST_ROW, 3).value == first.title.get(lang)
    assert ws.cell(FIRST_ROW, 13).value == first.levels[0].get(lang)  # descriptor columns M–Q
    assert ws.cell(FIRST_ROW, 5).value is None  # level left to fill in

    validations = ws.data_validations.dataValidation
    level_rows = {}
    for validation in validations:
        if str(validation.sqref).startswith("E"):
            level_rows[int(str(validation.sqref)[1:])] = validation.formula1
    assert sorted(level_rows) == list(range(FIRST_ROW, FIRST_ROW + 44))
    formula = level_rows[FIRST_ROW]
    assert formula == f"'{choices}'!$B$2:$F$2"
    listed = [choices_cell.value for choices_cell in book[choices][2][1:6]]
    assert listed[3].startswith("3 – ")
    assert listed[3].endswith(" ".join(first.levels[3].get(lang).split())[-20:])

    assert book[choices]["J2"].value == ("Ja" if lang == "de" else "Yes")
    yes_no = [v for v in validations if "$J$" in v.formula1]
    assert [str(v.sqref) for v in yes_no] == [f"F{row_of(catalog, NA_CRITERION)}"]
    assert ws[f"F{FIRST_ROW}"].fill.fgColor.rgb.endswith("D9D9D9")  # N/A not allowed: grey
    evidence = next(v for v in validations if "$K$" in v.formula1)
    assert str(evidence.sqref) == f"H{FIRST_ROW}:H{FIRST_ROW + 43}"
    labels = [book[choices].cell(row, 11).value for row in (2, 3, 4)]
    expected = (
        ["Selbstauskunft", "Dokumentiert", "Extern geprüft"]
        if lang == "de"
        else ["Self-declared", "Documented", "Externally verified"]
    )
    assert labels == expected

    sheet = book[municipality]
    values = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(1, 30)}
    assert "nhm-assessment/1" in values.values()
    assert sheet["B5"].value is None  # AGS to fill in
    assert sheet["B5"].number_format == "@"
    assert len(sheet.data_validations.dataValidation) == 3  # kind, status, demo


def _choice(book: Any, choices: str, catalog: Catalog, full_id: str, level: int) -> str:
    row = 2 + criterion_ids(catalog).index(full_id)
    return book[choices].cell(row, 2 + level).value


def test_fill_in_questionnaire_and_read_it(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "fragebogen.xlsx"
    write_workbook(path, catalog, lang="de")
    book = openpyxl.load_workbook(path)
    municipality = book["Kommune"]
    municipality["B5"] = 5916000  # Excel dropped the leading zero
    municipality["B6"] = "Herne"
    municipality["B7"] = "Kreisfreie Stadt"
    municipality["B10"] = "2025"
    ws = book["Bewertung"]
    mandate = row_of(catalog, "governance_actors.council_mandate")
    ws[f"E{mandate}"] = _choice(book, "Auswahllisten", catalog, ws[f"A{mandate}"].value, 3)
    ws[f"H{mandate}"] = "Dokumentiert"
    ws[f"J{mandate}"] = '=HYPERLINK("http://evil")'
    ws[f"J{mandate}"].data_type = "s"  # typed as text, not a formula
    ws[f"E{mandate + 1}"] = 2
    ws[f"H{mandate + 1}"] = "Extern geprüft"
    ws[f"E{mandate + 2}"] = 4.0
    ws[f"E{mandate + 3}"] = "1"
    companies = row_of(catalog, NA_CRITERION)
    ws[f"F{companies}"] = "Ja"
    ws[f"G{companies}"] = "Die Gemeinde hat keine Beteiligungen."
    ws[f"H{companies + 1}"] = "Selbstauskunft"  # an evidence status alone is no answer
    ws[f"F{companies + 2}"] = "Nein"  # neither is N/A = no
    ws["R3"] = "Eigene Spalte"  # unknown extra columns are ignored
    ws[f"R{mandate}"] = "irgendwas"
    book.save(path)

    parsed = read_workbook(path)
    document = parse_assessment(parsed)
    assert catalog_errors(parsed, document, catalog) == []
    assert document.municipality.ags == "05916000"
    assert document.municipality.kind == "kreisfreie_stadt"
    assert document.period == 2025
    assert document.demo is False
    responses = document_data(document)["responses"]
    assert responses == [
        {
            "criterion": "governance_actors.council_mandate",
            "level": 3,
            "evidence_status": "documented",
            "comment": '=HYPERLINK("http://evil")',
        },
        {
            "criterion": "governance_actors.administrative_leadership",
            "level": 2,
            "evidence_status": "externally_verified",
        },
        {
            "criterion": "governance_actors.coordination_capacity",
            "level": 4,
            "evidence_status": "self_declared",
        },
        {
            "criterion": "governance_actors.departmental_focal_points",
            "level": 1,
            "evidence_status": "self_declared",
        },
        {
            "criterion": NA_CRITERION,
            "not_applicable": True,
            "justification": "Die Gemeinde hat keine Beteiligungen.",
            "evidence_status": "self_declared",
        },
    ]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_export_round_trip(tmp_path: Path, catalog: Catalog, lang: str) -> None:
    document = demo_document(catalog)
    path = tmp_path / f"export-{lang}.xlsx"
    write_workbook(path, catalog, lang=lang, document=document)

    assert document_data(parse_assessment(read_workbook(path))) == document_data(document)

    book = openpyxl.load_workbook(path)
    _, municipality, assessment, _ = SHEETS[lang]
    demo_note = "DEMO – fiktive Daten" if lang == "de" else "DEMO – fictional data"
    assert book[municipality]["A2"].value == demo_note
    assert book[assessment]["A2"].value == demo_note
    ws = book[assessment]
    comments = {ws.cell(row, 1).value: ws.cell(row, 10) for row in range(FIRST_ROW, ws.max_row + 1)}
    for entry in document.responses:
        cell = comments[entry.criterion]
        assert cell.value == "'" + entry.comment
        assert cell.data_type == "s"
    justification = ws.cell(row_of(catalog, NA_CRITERION), 7)
    assert justification.value == "'-keine Beteiligungen"
    assert ws.cell(row_of(catalog, NA_CRITERION), 6).value == ("Ja" if lang == "de" else "Yes")
    level = ws.cell(row_of(catalog, "governance_actors.council_mandate"), 5).value
    assert level.startswith("3 – ")
    all_cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in all_cells)


def test_export_keeps_answers_to_unknown_criteria(tmp_path: Path, catalog: Catalog) -> None:
    document = demo_document(catalog).model_copy(
        update={"responses": [ResponseEntry(criterion="other.thing", level=2)]}
    )
    path = tmp_path / "export.xlsx"
    write_workbook(path, catalog, document=document)
    assert document_data(parse_assessment(read_workbook(path))) == document_data(document)


def test_questionnaire_for_a_document_without_responses(tmp_path: Path, catalog: Catalog) -> None:
    document = demo_document(catalog).model_copy(update={"responses": []})
    path = tmp_path / "questionnaire.xlsx"
    write_workbook(path, catalog, document=document)
    assert document_data(parse_assessment(read_workbook(path))) == document_data(document)


# --- errors name cells ---------------------------------------------------------------------------


def _questionnaire(tmp_path: Path, catalog: Catalog, **cells: Any) -> Path:
    """A German questionnaire with a valid municipality and ``cells`` (``Bewertung_E4=…``)."""
    path = tmp_path / "fragebogen.xlsx"
    write_workbook(path, catalog)
    book = openpyxl.load_workbook(path)
    book["Kommune"]["B5"] = "05916000"
    book["Kommune"]["B6"] = "Herne"
    book["Kommune"]["B10"] = 2025
    for name, value in cells.items():
        sheet, coordinate = name.split("_")
        book[sheet][coordinate] = value
    book.save(path)
    return path


def _errors(path: Path) -> AssessmentFileError:
    with pytest.raises(AssessmentFileError) as info:
        parse_assessment(read_workbook(path))
    return info.value


def test_level_out_of_range_names_the_cell(tmp_path: Path, catalog: Catalog) -> None:
    error = _errors(_questionnaire(tmp_path, catalog, Bewertung_E7="7"))
    assert [e.cell for e in error.errors] == ["Bewertung!E7"]
    assert "Bewertung!E7" in str(error)
    assert "less than or equal to 4" in str(error)


def test_level_that_is_no_number(tmp_path: Path, catalog: Catalog) -> None:
    error = _errors(_questionnaire(tmp_path, catalog, Bewertung_E5="drei"))
    assert error.errors[0].cell == "Bewertung!E5"
    assert "valid integer" in error.errors[0].message


def test_comment_without_level_needs_a_level(tmp_path: Path, catalog: Catalog) -> None:
    error = _errors(_questionnaire(tmp_path, catalog, Bewertung_J6="Noch offen"))
    assert error.errors[0].cell == "Bewertung!E6"
    assert "needs a level" in error.errors[0].message


def test_missing_ags_names_its_cell(tmp_path: Path, catalog: Catalog) -> None:
    error = _errors(_questionnaire(tmp_path, catalog, Kommune_B5=None))
    assert [(e.cell, e.message) for e in error.errors] == [
        ("Kommune!B5", "required key 'ags' is missing")
    ]


def test_bad_ags_number_is_reported(tmp_path: Path, catalog: Catalog) -> None:
    error = _errors(_questionnaire(tmp_path, catalog, Kommune_B5=123))
    assert error.errors[0].cell == "Kommune!B5"
    assert "'123'" in error.errors[0].message


def test_unknown_format_names_its_cell(tmp_path: Path, catalog: Catalog) -> None:
    error = _errors(_questionnaire(tmp_path, catalog, Kommune_B4="nhm-assessment/2"))
    assert error.errors[0].cell == "Kommune!B4"
    assert "newer nhm" in error.errors[0].message


def test_not_applicable_where_not_allowed(tmp_path: Path, catalog: Catalog) -> None:
    path = _questionnaire(tmp_path, catalog, Bewertung_F4="x", Bewertung_G4="passt nicht")
    parsed = read_workbook(path)
    errors = catalog_errors(parsed, parse_assessment(parsed), catalog)
    assert [e.cell for e in errors] == ["Bewertung!F4"]


def test_bad_evidence_and_yes_no_values(tmp_path: Path, catalog: Catalog) -> None:
    path = _questionnaire(
        tmp_path, catalog, Bewertung_E4=2, Bewertung_H4="vielleicht", Kommune_B13="kaum"
    )
    cells = {e.cell for e in _errors(path).errors}
    assert cells == {"Bewertung!H4", "Kommune!B13"}


# --- hostile and broken files --------------------------------------------------------------------


def _refused(path: Path, text: str) -> None:
    with pytest.raises(AssessmentFileError) as info:
        read_workbook(path)
    assert str(path) in str(info.value)
    assert text in str(info.value)


def test_text_file_renamed(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("AGS;Name\n05916000;Herne\n", encoding="utf-8")
    _refused(path, "not an Excel workbook (.xlsx)")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    _refused(path, "empty")


def test_old_xls_or_encrypted_file(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    _refused(path, ".xls")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    _refused(tmp_path / "missing.xlsx", "not found")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    _refused(folder, "folder")


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_module, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    _refused(path, "at most 100 are allowed")


def test_zip_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_module, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 2_000_000)
    assert path.stat().st_size < 10_000
    _refused(path, "ZIP bomb")


def test_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(path, "not an Excel workbook (.xlsx)")


def test_damaged_workbook_parts(tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    _refused(path, "not a readable Excel workbook")


def test_truncated_zip(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "cut.xlsx"
    write_workbook(path, catalog)
    path.write_bytes(path.read_bytes()[:2000])
    _refused(path, "the ZIP archive is damaged")


def test_zip_with_content_types_but_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "document.xlsx"
    types = '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("xl/other.xml", "<x/>")
    _refused(path, "not a readable Excel workbook")


def test_workbook_without_expected_sheets(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Tabelle1"
    book.create_sheet("Kommune")
    book.save(path)
    _refused(path, "expected the sheets 'Kommune' and 'Bewertung'")
    _refused(path, "found 'Tabelle1', 'Kommune'")


def test_assessment_sheet_without_header(tmp_path: Path) -> None:
    path = tmp_path / "noheader.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Municipality"
    book.create_sheet("Assessment")["A1"] = "something"
    book.save(path)
    _refused(path, "no header row")


def test_workbook_any_suffix(tmp_path: Path, catalog: Catalog) -> None:
    """The export writes to a temporary name first; reading does not depend on the suffix."""
    path = tmp_path / "export.xlsx.partial"
    write_workbook(path, catalog, document=demo_document(catalog))
    assert parse_assessment(read_workbook(path)).period == 2025


def test_unsupported_language(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="language"):
        write_workbook(tmp_path / "x.xlsx", catalog, lang="fr")


# --- CSV -----------------------------------------------------------------------------------------


def _read_csv(path: Path, delimiter: str) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize(("lang", "delimiter"), [("de", ";"), ("en", ",")])
def test_csv_export(tmp_path: Path, catalog: Catalog, lang: str, delimiter: str) -> None:
    path = tmp_path / "export.csv"
    document = demo_document(catalog)
    write_csv(path, document, catalog, lang=lang, delimiter=delimiter)
    assert b"\r\n" in path.read_bytes()
    header, *rows = _read_csv(path, delimiter)
    assert len(header) == 18
    assert header[0] == "AGS"
    assert header[8] == ("Kriterium" if lang == "de" else "Criterion")
    assert len(rows) == 44
    assert [row[7] for row in rows] == criterion_ids(catalog)
    by_id = {row[7]: dict(zip(header, row, strict=True)) for row in rows}
    mandate = list(by_id["governance_actors.council_mandate"].values())
    assert mandate[:6] == [
        "09099001",
        "Musterstadt",
        "2025",
        "2",
        "Eingereicht" if lang == "de" else "Submitted",
        "governance_actors",
    ]
    assert mandate[9] == "3"
    descriptor = catalog.criterion("governance_actors.council_mandate").levels[3].get(lang)
    assert mandate[10] == descriptor
    assert mandate[13] == ("Dokumentiert" if lang == "de" else "Documented")
    assert mandate[15] == '\'=HYPERLINK("http://evil")'
    assert mandate[16] == "'@kaemmerei"
    companies = list(by_id[NA_CRITERION].values())
    assert companies[9] == ""
    assert companies[11] == ("Ja" if lang == "de" else "Yes")
    assert companies[12] == "'-keine Beteiligungen"
    assert companies[15] == "'+1\nzweite Zeile"
    unanswered = list(by_id["governance_actors.staff_qualification"].values())
    assert unanswered[9:] == [""] * 9


def test_csv_rejects_bad_delimiter(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="delimiter"):
        write_csv(tmp_path / "x.csv", demo_document(catalog), catalog, delimiter="\t")
    assert not (tmp_path / "x.csv").exists()
