"""Importing assessment files: validate every file first, then write all of them or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nhm.exchange.assessment_file import (
    AssessmentFile,
    AssessmentFileError,
    catalog_errors,
    complete_versions,
    parse_assessment,
    read_assessment_data,
)
from nhm.model import Catalog
from nhm.municipality import Municipality
from nhm.store import Store
from nhm.store.assessments import ImportedAssessment, ImportOutcome
from nhm.structured_file import STRUCTURED_SUFFIXES, FieldError, ParsedFile

IMPORT_SUFFIXES = (*STRUCTURED_SUFFIXES, ".xlsx")


@dataclass(frozen=True)
class FileResult:
    path: Path
    key: str  # AGS/period/revision
    action: str  # created, replaced draft, unchanged


@dataclass
class ImportReport:
    dry_run: bool
    results: list[FileResult] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files_with_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def read_exchange_file(path: Path) -> ParsedFile:
    """Parse a .json, .yaml/.yml or .xlsx assessment file (not yet validated)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from nhm.exchange.workbook import read_workbook

        return read_workbook(path)
    if suffix in STRUCTURED_SUFFIXES:
        return read_assessment_data(path)
    raise AssessmentFileError(
        path,
        [
            FieldError(
                path,
                None,
                "",
                f"expected an assessment file ending in {', '.join(IMPORT_SUFFIXES)}, "
                f"found {suffix or 'no extension'!r}",
            )
        ],
    )


def load_assessment_file(path: Path, catalog: Catalog) -> AssessmentFile:
    """Read and validate one file against the format and the catalog."""
    parsed = read_exchange_file(path)
    document = parse_assessment(parsed)
    errors = catalog_errors(parsed, document, catalog)
    if errors:
        raise AssessmentFileError(path, errors)
    return complete_versions(document, catalog)


def import_assessment_files(
    store: Store,
    paths: Sequence[Path],
    catalog: Catalog,
    actor: str,
    *,
    dry_run: bool = False,
    authorize: Callable[[list[str]], None] | None = None,
) -> ImportReport:
    """Validate all files; if every one is valid, write them in one transaction.

    If any file is invalid, nothing is written and the report lists every error of every file.
    A dry run takes the same path and rolls the transaction back at the end. ``authorize`` is
    called with the AGS of every readable file (sorted, once each) before the database is
    read or written; it raises to refuse the whole import.
    """
    report = ImportReport(dry_run=dry_run)
    documents: list[tuple[Path, AssessmentFile]] = []
    for path in paths:
        try:
            documents.append((path, load_assessment_file(path, catalog)))
        except AssessmentFileError as exc:
            report.errors.extend(exc.errors)
            report.files_with_errors += 1
    documents = _refuse_duplicates(documents, report)
    if authorize is not None:
        authorize(sorted({doc.municipality.ags for _, doc in documents}))
    known = store.municipalities.existing([doc.municipality.ags for _, doc in documents])
    new_municipalities: dict[str, Municipality] = {}
    items: list[tuple[Path, ImportedAssessment]] = []
    for path, doc in documents:
        ags = doc.municipality.ags
        if ags not in known and ags not in new_municipalities:
            try:
                new_municipalities[ags] = doc.to_municipality()
            except ValueError as exc:
                _file_error(report, path, "municipality", _plain(exc, ags))
                continue
        items.append(
            (
                path,
                ImportedAssessment(
                    assessment=doc.to_assessment(),
                    revision=doc.revision,
                    is_demo=doc.demo,
                    source=path.name,
                ),
            )
        )
    problems = store.assessments.import_problems([item for _, item in items])
    for (path, _), problem in zip(items, problems, strict=True):
        if problem:
            _file_error(report, path, "", problem)
    if not report.ok:
        return report

    def write(cursor: object) -> list[ImportOutcome]:
        store.municipalities.save_on(
            cursor,  # type: ignore[arg-type]
            list(new_municipalities.values()),
            actor,
            "created_from_file",
        )
        return store.assessments.write_imported(
            cursor,  # type: ignore[arg-type]
            [item for _, item in items],
            actor,
        )

    outcomes = store.write(write, commit=not dry_run)
    report.results = [
        FileResult(path, outcome.key, outcome.action)
        for (path, _), outcome in zip(items, outcomes, strict=True)
    ]
    if new_municipalities:
        report.warnings.append(
            f"{len(new_municipalities)} municipality(ies) not in the database were added from "
            f"the files: {', '.join(sorted(new_municipalities))}"
        )
    return report


def _refuse_duplicates(
    documents: list[tuple[Path, AssessmentFile]], report: ImportReport
) -> list[tuple[Path, AssessmentFile]]:
    first: dict[tuple[str, int], Path] = {}
    kept = []
    for path, doc in documents:
        key = (doc.municipality.ags, doc.period)
        if key in first:
            _file_error(
                report,
                path,
                "",
                f"{key[0]}/{key[1]} is also in {first[key]}: import one file per municipality "
                "and period at a time",
            )
            continue
        first[key] = path
        kept.append((path, doc))
    return kept


def _file_error(report: ImportReport, path: Path, field_name: str, message: str) -> None:
    report.errors.append(FieldError(path, None, field_name, message))
    report.files_with_errors += 1


def _plain(exc: ValueError, ags: str) -> str:
    text = str(exc)
    if "validation error" in text:  # a pydantic error: keep only the messages
        lines = [line.strip() for line in text.splitlines()[1:] if line.startswith("  ")]
        text = "; ".join(line for line in lines if not line.startswith("For further"))
    return f"cannot add municipality {ags}: {text}"
