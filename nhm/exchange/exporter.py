"""Exporting a stored assessment as JSON, YAML, CSV or XLSX."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from nhm.exchange.assessment_file import AssessmentFile, build_document, dump_json, dump_yaml
from nhm.model import Catalog
from nhm.store import NotFoundError, Store


class ExportFormat(StrEnum):
    json = "json"
    yaml = "yaml"
    csv = "csv"
    xlsx = "xlsx"


def stored_document(
    store: Store, catalog: Catalog, ags: str, period: int, revision: int | None = None
) -> AssessmentFile:
    """The exchange document of a stored revision (the latest if ``revision`` is None)."""
    municipality = store.municipalities.require(ags)
    record = store.assessments.get(ags, period, revision)
    if record is None:
        which = f"revision {revision} of " if revision is not None else ""
        raise NotFoundError(f"there is no {which}assessment of {ags} for {period}")
    return build_document(municipality, record.to_assessment(), catalog, is_demo=record.is_demo)


def write_document(
    path: Path,
    document: AssessmentFile,
    catalog: Catalog,
    export_format: ExportFormat,
    *,
    lang: str = "de",
    delimiter: str = ",",
) -> None:
    """Write ``document`` in ``export_format``; the file appears complete or not at all."""
    temporary = path.with_name(f".{path.name}.partial")
    try:
        if export_format is ExportFormat.json:
            temporary.write_text(dump_json(document), encoding="utf-8")
        elif export_format is ExportFormat.yaml:
            temporary.write_text(dump_yaml(document), encoding="utf-8")
        elif export_format is ExportFormat.csv:
            from nhm.exchange.csv_export import write_csv

            write_csv(temporary, document, catalog, lang=lang, delimiter=delimiter)
        else:
            from nhm.exchange.workbook import write_workbook

            write_workbook(temporary, catalog, lang=lang, document=document)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
