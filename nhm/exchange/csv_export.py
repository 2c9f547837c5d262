"""An assessment as CSV: one row per catalog criterion, for spreadsheets and statistics tools.

UTF-8 with BOM (so Excel detects the encoding), a header row in German or English, and every
text cell passed through :func:`~nhm.exchange.cells.neutralise` so that no spreadsheet program
runs it as a formula. Use ``delimiter=";"`` for German Excel.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nhm.assessment import AssessmentStatus, EvidenceStatus
from nhm.exchange.assessment_file import AssessmentFile, ResponseEntry
from nhm.exchange.cells import neutralise
from nhm.model import Catalog, Criterion, Dimension

DELIMITERS = (",", ";")

COLUMNS = (
    "ags",
    "municipality",
    "period",
    "revision",
    "status",
    "dimension_id",
    "dimension",
    "criterion_id",
    "criterion",
    "level",
    "level_descriptor",
    "not_applicable",
    "justification",
    "evidence_status",
    "evidence_reference",
    "comment",
    "answered_by",
    "answered_at",
)

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "ags": "AGS",
        "municipality": "Kommune",
        "period": "Bewertungsjahr",
        "revision": "Revision",
        "status": "Status",
        "dimension_id": "Dimension-ID",
        "dimension": "Dimension",
        "criterion_id": "Kriterium-ID",
        "criterion": "Kriterium",
        "level": "Reifegrad",
        "level_descriptor": "Beschreibung des Reifegrads",
        "not_applicable": "Nicht zutreffend",
        "justification": "Begründung",
        "evidence_status": "Nachweisstatus",
        "evidence_reference": "Nachweis",
        "comment": "Kommentar",
        "answered_by": "Beantwortet von",
        "answered_at": "Beantwortet am (UTC)",
        "yes": "Ja",
        "no": "Nein",
        "status_draft": "Entwurf",
        "status_submitted": "Eingereicht",
        "evidence_self_declared": "Selbstauskunft",
        "evidence_documented": "Dokumentiert",
        "evidence_externally_verified": "Extern geprüft",
    },
    "en": {
        "ags": "AGS",
        "municipality": "Municipality",
        "period": "Year assessed",
        "revision": "Revision",
        "status": "Status",
        "dimension_id": "Dimension ID",
        "dimension": "Dimension",
        "criterion_id": "Criterion ID",
        "criterion": "Criterion",
        "level": "Level",
        "level_descriptor": "Level descriptor",
        "not_applicable": "Not applicable",
        "justification": "Justification",
        "evidence_status": "Evidence status",
        "evidence_reference": "Evidence reference",
        "comment": "Comment",
        "answered_by": "Answered by",
        "answered_at": "Answered at (UTC)",
        "yes": "Yes",
        "no": "No",
        "status_draft": "Draft",
        "status_submitted": "Submitted",
        "evidence_self_declared": "Self-declared",
        "evidence_documented": "Documented",
        "evidence_externally_verified": "Externally verified",
    },
}


def write_csv(
    path: Path,
    document: AssessmentFile,
    catalog: Catalog,
    *,
    lang: str = "de",
    delimiter: str = ",",
) -> None:
    """Write ``document`` as CSV, one row per catalog criterion (unanswered ones left empty).

    Answers to criteria the catalog does not know follow at the end, so nothing is lost.
    """
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be ',' or ';', found {delimiter!r}")
    if lang not in LABELS:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LABELS)}")
    labels = LABELS[lang]
    answers = {entry.criterion: entry for entry in document.responses}
    rows = []
    for dimension, criterion in catalog.iter_criteria():
        full_id = dimension.full_id(criterion)
        rows.append(_row(document, dimension, criterion, full_id, answers.pop(full_id, None), lang))
    for full_id, entry in answers.items():
        rows.append(_row(document, None, None, full_id, entry, lang))
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(
            stream, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
        )
        writer.writerow([neutralise(labels[column]) for column in COLUMNS])
        writer.writerows([_cell(row.get(column)) for column in COLUMNS] for row in rows)


def _cell(value: str | int | None) -> str | int:
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value


def _row(
    document: AssessmentFile,
    dimension: Dimension | None,
    criterion: Criterion | None,
    full_id: str,
    entry: ResponseEntry | None,
    lang: str,
) -> dict[str, str | int | None]:
    labels = LABELS[lang]
    status: AssessmentStatus = document.status
    row: dict[str, str | int | None] = {
        "ags": document.municipality.ags,
        "municipality": document.municipality.name,
        "period": document.period,
        "revision": document.revision,
        "status": labels[f"status_{status.value}"],
        "dimension_id": full_id.split(".", 1)[0],
        "criterion_id": full_id,
    }
    if dimension is not None and criterion is not None:
        row["dimension"] = dimension.title.get(lang)
        row["criterion"] = criterion.title.get(lang)
    if entry is None:
        return row
    if entry.level is not None:
        row["level"] = entry.level
        if criterion is not None:
            row["level_descriptor"] = criterion.levels[entry.level].get(lang)
    row["not_applicable"] = labels["yes" if entry.not_applicable else "no"]
    evidence: EvidenceStatus = entry.evidence_status
    row["evidence_status"] = labels[f"evidence_{evidence.value}"]
    row["justification"] = entry.justification
    row["evidence_reference"] = entry.evidence_reference
    row["comment"] = entry.comment
    row["answered_by"] = entry.answered_by
    if entry.answered_at is not None:
        row["answered_at"] = entry.answered_at.isoformat()
    return row
