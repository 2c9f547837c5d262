"""Assessments, their revisions and responses.

Lifecycle: a draft is edited response by response; submitting freezes it; changing a submitted
assessment starts a new draft revision that copies its answers; older revisions stay as history.

Every write names the version it was based on. A response carries its own version (0 before
the first answer), the assessment a version that grows with every write to it. A write whose
version is no longer current fails with StaleWriteError instead of overwriting what another
person (or another tab) saved meanwhile.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import duckdb

from nhm.assessment import Assessment, AssessmentStatus, EvidenceStatus, Response
from nhm.model import Catalog
from nhm.store import audit
from nhm.store.database import utc_now
from nhm.store.errors import (
    ConflictError,
    InvalidDataError,
    NotFoundError,
    ReadOnlyError,
    StaleWriteError,
)

if TYPE_CHECKING:
    from nhm.store.database import Store

_ASSESSMENT_COLUMNS = (
    "id, ags, period, revision, status, version, is_demo, created_at, created_by, "
    "updated_at, updated_by, submitted_at, submitted_by"
)
_RESPONSE_FIELDS = tuple(Response.model_fields)  # column names = Response field names
_RESPONSE_COLUMNS = ", ".join(_RESPONSE_FIELDS)


@dataclass(frozen=True)
class AssessmentSummary:
    """One revision without its responses, with counts for lists."""

    id: int
    ags: str
    period: int
    revision: int
    status: AssessmentStatus
    version: int
    is_demo: bool
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    submitted_at: datetime | None
    submitted_by: str | None
    answered: int = 0
    not_applicable: int = 0

    @property
    def key(self) -> str:
        """Human-readable key used in the audit log: AGS/period/revision."""
        return f"{self.ags}/{self.period}/r{self.revision}"

    @property
    def is_draft(self) -> bool:
        return self.status is AssessmentStatus.DRAFT


@dataclass(frozen=True)
class AssessmentRecord(AssessmentSummary):
    """One stored revision with everything in it."""

    dimension_versions: dict[str, str] = field(default_factory=dict)
    responses: dict[str, Response] = field(default_factory=dict)
    response_versions: dict[str, int] = field(default_factory=dict)

    def response_version(self, criterion_id: str) -> int:
        """The version to send with the next write of this response (0 if unanswered)."""
        return self.response_versions.get(criterion_id, 0)

    def to_assessment(self) -> Assessment:
        return Assessment(
            ags=self.ags,
            period=self.period,
            revision=self.revision,
            status=self.status,
            responses=dict(self.responses),
            dimension_versions=dict(self.dimension_versions),
        )


@dataclass(frozen=True)
class ImportedAssessment:
    """One validated assessment to write as part of an import."""

    assessment: Assessment
    revision: int | None  # as the file gives it; None lets the store choose the next one
    is_demo: bool
    source: str


@dataclass(frozen=True)
class ImportOutcome:
    key: str
    action: str  # "created", "replaced draft", "unchanged"


def response_to_row(response: Response) -> list[Any]:
    return [
        response.level,
        response.not_applicable,
        response.justification,
        response.evidence_status.value,
        response.evidence_reference,
        response.comment,
        response.answered_by,
        None if response.answered_at is None else response.answered_at.replace(tzinfo=None),
    ]


def _response_from_row(values: Sequence[Any]) -> Response:
    data = dict(zip(_RESPONSE_FIELDS, values, strict=True))
    data["evidence_status"] = EvidenceStatus(data["evidence_status"])
    if data["answered_at"] is not None:  # stored as naive UTC
        data["answered_at"] = data["answered_at"].replace(tzinfo=UTC)
    return Response.model_construct(**data)  # stored rows were validated when written


def _summary_from_row(row: Sequence[Any], answered: int = 0, na: int = 0) -> AssessmentSummary:
    return AssessmentSummary(
        id=row[0],
        ags=row[1],
        period=row[2],
        revision=row[3],
        status=AssessmentStatus(row[4]),
        version=row[5],
        is_demo=row[6],
        created_at=row[7],
        created_by=row[8],
        updated_at=row[9],
        updated_by=row[10],
        submitted_at=row[11],
        submitted_by=row[12],
        answered=answered,
        not_applicable=na,
    )


def validate_response(catalog: Catalog, criterion_id: str, response: Response) -> str:
    """Check one response against the catalog; return its dimension id."""
    try:
        criterion = catalog.criterion(criterion_id)
    except KeyError:
        raise InvalidDataError(
            f"unknown criterion {criterion_id!r}: no installed dimension defines it"
        ) from None
    try:
        response.check_against(criterion)
    except ValueError as exc:
        raise InvalidDataError(f"{criterion_id}: {exc}") from None
    return criterion_id.split(".", 1)[0]


class AssessmentRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- reading -------------------------------------------------------------------------

    def get(self, ags: str, period: int, revision: int | None = None) -> AssessmentRecord | None:
        """One revision (the latest if ``revision`` is None) with its responses."""
        with self._store.cursor() as cursor:
            if revision is None:
                row = cursor.execute(
                    f"SELECT {_ASSESSMENT_COLUMNS} FROM assessment WHERE ags = ? AND period = ? "
                    "ORDER BY revision DESC LIMIT 1",
                    [ags, period],
                ).fetchone()
            else:
                row = cursor.execute(
                    f"SELECT {_ASSESSMENT_COLUMNS} FROM assessment "
                    "WHERE ags = ? AND period = ? AND revision = ?",
                    [ags, period, revision],
                ).fetchone()
            return self._load(cursor, row) if row else None

    def get_by_id(self, assessment_id: int) -> AssessmentRecord:
        with self._store.cursor() as cursor:
            row = cursor.execute(
                f"SELECT {_ASSESSMENT_COLUMNS} FROM assessment WHERE id = ?", [assessment_id]
            ).fetchone()
            if not row:
                raise NotFoundError(f"assessment {assessment_id} does not exist")
            return self._load(cursor, row)

    def _load(self, cursor: duckdb.DuckDBPyConnection, row: Sequence[Any]) -> AssessmentRecord:
        assessment_id = row[0]
        responses_rows = cursor.execute(
            f"SELECT criterion_id, version, {_RESPONSE_COLUMNS} FROM response "
            "WHERE assessment_id = ? ORDER BY criterion_id",
            [assessment_id],
        ).fetchall()
        versions_rows = cursor.execute(
            "SELECT dimension_id, dimension_version FROM assessment_dimension "
            "WHERE assessment_id = ? ORDER BY dimension_id",
            [assessment_id],
        ).fetchall()
        responses = {r[0]: _response_from_row(r[2:]) for r in responses_rows}
        summary = _summary_from_row(
            row,
            answered=len(responses),
            na=sum(1 for r in responses.values() if r.not_applicable),
        )
        return AssessmentRecord(
            **summary.__dict__,
            dimension_versions=dict(versions_rows),
            responses=responses,
            response_versions={r[0]: r[1] for r in responses_rows},
        )

    def list(
        self,
        *,
        ags: str | None = None,
        period: int | None = None,
        latest_only: bool = False,
    ) -> list[AssessmentSummary]:
        """Revisions ordered by AGS, period and revision, with answer counts."""
        where, params = ["true"], []
        if ags is not None:
            where.append("a.ags = ?")
            params.append(ags)
        if period is not None:
            where.append("a.period = ?")
            params.append(period)
        if latest_only:
            where.append(
                "a.revision = (SELECT max(revision) FROM assessment l "
                "WHERE l.ags = a.ags AND l.period = a.period)"
            )
        columns = ", ".join(f"a.{c.strip()}" for c in _ASSESSMENT_COLUMNS.split(","))
        sql = (
            f"SELECT {columns}, count(r.criterion_id), count(r.criterion_id) FILTER "
            "(WHERE r.not_applicable) FROM assessment a "
            "LEFT JOIN response r ON r.assessment_id = a.id "
            f"WHERE {' AND '.join(where)} GROUP BY ALL ORDER BY a.ags, a.period, a.revision"
        )
        with self._store.cursor() as cursor:
            rows = cursor.execute(sql, params).fetchall()
        return [_summary_from_row(row[:13], row[13], row[14]) for row in rows]

    def recent_drafts(
        self, limit: int = 5, only: Collection[str] | None = None
    ) -> list[AssessmentSummary]:
        """The drafts changed most recently (the latest revision of each is a draft), of the
        AGS in ``only`` when given."""
        columns = ", ".join(f"a.{c.strip()}" for c in _ASSESSMENT_COLUMNS.split(","))
        sql = (
            f"SELECT {columns}, (SELECT count(*) FROM response r WHERE r.assessment_id = a.id), "
            "(SELECT count(*) FROM response r WHERE r.assessment_id = a.id AND r.not_applicable) "
            "FROM assessment a WHERE a.status = 'draft' "
            "AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], a.ags)) "
            "ORDER BY a.updated_at DESC, a.id DESC LIMIT ?"
        )
        scope = None if only is None else sorted(only)
        with self._store.cursor() as cursor:
            rows = cursor.execute(sql, [scope, scope, limit]).fetchall()
        return [_summary_from_row(row[:13], row[13], row[14]) for row in rows]

    def peer_data_version(self) -> tuple[int, datetime | None, int, datetime | None]:
        """A value that changes whenever peer-group statistics can change, for caches of them.

        Submitted revisions never change: submitting one or importing one as submitted stamps
        ``submitted_at`` now, deleting one lowers the count. Municipalities decide the peer
        groups (size class, kind, Land) and every save stamps ``updated_at``. Drafts and
        answers to them leave it alone. Ring memberships are not covered."""
        with self._store.cursor() as cursor:
            row = cursor.execute(
                "SELECT (SELECT count(*) FROM assessment WHERE status = 'submitted'), "
                "(SELECT max(submitted_at) FROM assessment), "
                "(SELECT count(*) FROM municipality), (SELECT max(updated_at) FROM municipality)"
            ).fetchone()
        assert row is not None
        return (int(row[0]), row[1], int(row[2]), row[3])

    def latest_period(self, ags: str) -> int | None:
        """The latest period the municipality has an assessment for."""
        with self._store.cursor() as cursor:
            row = cursor.execute(
                "SELECT max(period) FROM assessment WHERE ags = ?", [ags]
            ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    # --- lifecycle -----------------------------------------------------------------------

    def create_draft(self, ags: str, period: int, catalog: Catalog, actor: str) -> AssessmentRecord:
        """Start revision 1 of a municipality's assessment for a period (a demo assessment
        exactly when the municipality is a fictional demo one)."""

        def unit(cursor: duckdb.DuckDBPyConnection) -> int:
            is_demo = self._require_municipality(cursor, ags)
            existing = cursor.execute(
                "SELECT max(revision) FROM assessment WHERE ags = ? AND period = ?", [ags, period]
            ).fetchone()
            if existing and existing[0] is not None:
                raise ConflictError(
                    f"an assessment of {ags} for {period} already exists (revision "
                    f"{existing[0]}): open it, or start a new revision of a submitted one"
                )
            assessment_id = self._insert(cursor, ags, period, 1, "draft", actor, is_demo)
            self._record_versions(cursor, assessment_id, catalog.versions())
            audit.record(
                cursor, actor, "assessment.created", "assessment", f"{ags}/{period}/r1", None
            )
            return assessment_id

        return self.get_by_id(self._store.write(unit))

    def save_response(
        self,
        assessment_id: int,
        criterion_id: str,
        response: Response,
        expected_version: int,
        catalog: Catalog,
        actor: str,
    ) -> AssessmentRecord:
        """Save one answer of a draft; ``expected_version`` is the response version it was
        based on (0 for a first answer). Returns the assessment as stored afterwards."""
        dimension_id = validate_response(catalog, criterion_id, response)
        stamped = response.model_copy(
            update={"answered_by": actor, "answered_at": datetime.now(UTC)}
        )

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            summary = self._writable(cursor, assessment_id)
            before = _stored_response(cursor, assessment_id, criterion_id)
            current = before[0] if before else 0
            if current != expected_version:
                raise _stale(criterion_id, before)
            # The answer takes the assessment's new version: that counter only grows, so a
            # version can never come back after an answer was cleared or replaced (no ABA).
            new_version = self._touch(cursor, assessment_id, actor)
            cursor.execute(
                f"INSERT INTO response (assessment_id, criterion_id, dimension_id, "
                f"{_RESPONSE_COLUMNS}, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (assessment_id, criterion_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in (*_RESPONSE_FIELDS, "version")),
                [assessment_id, criterion_id, dimension_id, *response_to_row(stamped), new_version],
            )
            version = catalog.dimension(dimension_id).version
            self._record_versions(cursor, assessment_id, {dimension_id: version})
            audit.record(
                cursor,
                actor,
                "response.saved",
                "assessment",
                summary.key,
                {
                    "criterion": criterion_id,
                    "before": _response_json(before[1:]) if before else None,
                    "after": stamped.model_dump(mode="json", exclude_none=True),
                },
            )

        self._store.write(unit)
        return self.get_by_id(assessment_id)

    def clear_response(
        self, assessment_id: int, criterion_id: str, expected_version: int, actor: str
    ) -> AssessmentRecord:
        """Remove one answer from a draft (it becomes unanswered again)."""

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            summary = self._writable(cursor, assessment_id)
            before = _stored_response(cursor, assessment_id, criterion_id)
            if before is None:
                return
            if before[0] != expected_version:
                raise _stale(criterion_id, before)
            cursor.execute(
                "DELETE FROM response WHERE assessment_id = ? AND criterion_id = ?",
                [assessment_id, criterion_id],
            )
            self._touch(cursor, assessment_id, actor)
            audit.record(
                cursor,
                actor,
                "response.cleared",
                "assessment",
                summary.key,
                {"criterion": criterion_id, "before": _response_json(before[1:])},
            )

        self._store.write(unit)
        return self.get_by_id(assessment_id)

    def submit(self, assessment_id: int, expected_version: int, actor: str) -> AssessmentRecord:
        """Freeze a draft. ``expected_version`` is the assessment version the user reviewed."""

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            summary = self._writable(cursor, assessment_id)
            if summary.version != expected_version:
                raise StaleWriteError(
                    f"assessment {summary.key} was changed meanwhile (by {summary.updated_by} "
                    f"at {summary.updated_at:%Y-%m-%d %H:%M} UTC): review the current answers "
                    "and submit again"
                )
            now = utc_now()
            cursor.execute(
                "UPDATE assessment SET status = 'submitted', submitted_at = ?, submitted_by = ?, "
                "version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
                [now, actor, now, actor, assessment_id],
            )
            audit.record(cursor, actor, "assessment.submitted", "assessment", summary.key, None)

        self._store.write(unit)
        return self.get_by_id(assessment_id)

    def start_revision(
        self, ags: str, period: int, expected_version: int, catalog: Catalog, actor: str
    ) -> AssessmentRecord:
        """Open a new draft revision of a submitted assessment, with its answers copied.

        ``expected_version`` is the version of the submitted revision the user looked at.
        """

        def unit(cursor: duckdb.DuckDBPyConnection) -> int:
            row = cursor.execute(
                f"SELECT {_ASSESSMENT_COLUMNS} FROM assessment WHERE ags = ? AND period = ? "
                "ORDER BY revision DESC LIMIT 1",
                [ags, period],
            ).fetchone()
            if row is None:
                raise NotFoundError(f"there is no assessment of {ags} for {period} yet")
            latest = _summary_from_row(row)
            if latest.is_draft:
                raise ConflictError(
                    f"revision {latest.revision} of {ags}/{period} is still a draft: edit it "
                    "instead of starting another revision"
                )
            if latest.version != expected_version:
                raise StaleWriteError(
                    f"assessment {latest.key} was changed meanwhile: reload and try again"
                )
            revision = latest.revision + 1
            new_id = self._insert(cursor, ags, period, revision, "draft", actor, latest.is_demo)
            cursor.execute(
                f"INSERT INTO response SELECT ? AS assessment_id, criterion_id, dimension_id, "
                f"{_RESPONSE_COLUMNS}, 1 AS version FROM response WHERE assessment_id = ?",
                [new_id, latest.id],
            )
            cursor.execute(
                "INSERT INTO assessment_dimension SELECT ?, dimension_id, dimension_version "
                "FROM assessment_dimension WHERE assessment_id = ?",
                [new_id, latest.id],
            )
            self._record_versions(cursor, new_id, catalog.versions(), overwrite=True)
            audit.record(
                cursor,
                actor,
                "assessment.revision_started",
                "assessment",
                f"{ags}/{period}/r{revision}",
                {"from_revision": latest.revision},
            )
            return new_id

        return self.get_by_id(self._store.write(unit))

    # --- bulk import ---------------------------------------------------------------------

    def import_problems(self, items: Sequence[ImportedAssessment]) -> list[str | None]:
        """For each item, why it cannot be imported (or None). Reads only; run before writing."""
        problems: list[str | None] = []
        with self._store.cursor() as cursor:
            latest = self._latest_for(cursor, items)
            for item in items:
                current = latest.get((item.assessment.ags, item.assessment.period))
                if self._stored_older(cursor, current, item) is not None:
                    problems.append(None)  # a re-import of an earlier revision: unchanged
                else:
                    problems.append(_import_conflict(current, item))
        return problems

    def _stored_older(
        self,
        cursor: duckdb.DuckDBPyConnection,
        latest: AssessmentRecord | None,
        item: ImportedAssessment,
    ) -> AssessmentRecord | None:
        """The stored older revision the file names, if it is identical to the file."""
        if latest is None or item.revision is None or item.revision >= latest.revision:
            return None
        row = cursor.execute(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessment "
            "WHERE ags = ? AND period = ? AND revision = ?",
            [item.assessment.ags, item.assessment.period, item.revision],
        ).fetchone()
        if row is None:
            return None
        older = self._load(cursor, row)
        return older if _same_content(older, item) else None

    def write_imported(
        self, cursor: duckdb.DuckDBPyConnection, items: Sequence[ImportedAssessment], actor: str
    ) -> list[ImportOutcome]:
        """Write validated assessments inside the caller's transaction, in bulk.

        A file without a revision (or with the next number) becomes a new revision; a file for
        the revision of an existing draft replaces that draft's answers; a file identical to the
        latest stored revision changes nothing. Anything else raises ConflictError. Every
        (AGS, period) may appear only once per call.
        """
        latest = self._latest_for(cursor, items)
        outcomes: list[ImportOutcome] = []
        to_create: list[tuple[ImportedAssessment, int]] = []
        to_replace: list[tuple[ImportedAssessment, AssessmentRecord]] = []
        for item in items:
            a = item.assessment
            current = latest.get((a.ags, a.period))
            older = self._stored_older(cursor, current, item)
            if older is not None:  # a re-import of an earlier revision
                outcomes.append(ImportOutcome(older.key, "unchanged"))
                continue
            problem = _import_conflict(current, item)
            if problem:
                raise ConflictError(problem)
            revision = _target_revision(current, item.revision)
            key = f"{a.ags}/{a.period}/r{revision}"
            if current is not None and _same_content(current, item):
                outcomes.append(ImportOutcome(current.key, "unchanged"))
            elif current is not None and current.is_draft:
                to_replace.append((item, current))
                outcomes.append(ImportOutcome(key, "replaced draft"))
            else:
                to_create.append((item, revision))
                outcomes.append(ImportOutcome(key, "created"))
        ids = self._insert_many(cursor, to_create, actor)
        replaced_ids = [current.id for _, current in to_replace]
        if replaced_ids:
            for table in ("response", "assessment_dimension"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE list_contains(?, assessment_id)", [replaced_ids]
                )
            cursor.execute(
                "UPDATE assessment SET version = version + 1, updated_at = ?, updated_by = ?, "
                "status = 'draft' WHERE list_contains(?, id)",
                [utc_now(), actor, replaced_ids],
            )
        written = [(item, ids[i]) for i, (item, _) in enumerate(to_create)]
        written += [(item, current.id) for item, current in to_replace]
        submitted = [aid for item, aid in written if item.assessment.status.value == "submitted"]
        if submitted:
            now = utc_now()
            cursor.execute(
                "UPDATE assessment SET status = 'submitted', submitted_at = ?, submitted_by = ? "
                "WHERE list_contains(?, id)",
                [now, actor, submitted],
            )
        audit_rows: list[tuple[str, str, dict[str, Any] | None]] = []
        for (item, revision), _ in zip(to_create, ids, strict=True):
            a = item.assessment
            audit_rows.append(
                ("assessment.imported", f"{a.ags}/{a.period}/r{revision}", {"source": item.source})
            )
        for item, current in to_replace:
            audit_rows.append(
                (
                    "assessment.draft_replaced",
                    current.key,
                    {
                        "source": item.source,
                        "before": {
                            k: r.model_dump(mode="json", exclude_none=True)
                            for k, r in current.responses.items()
                        },
                    },
                )
            )
        audit.record_many(cursor, actor, "assessment", audit_rows)
        _append_responses(
            cursor,
            [
                (aid, cid, r)
                for item, aid in written
                for cid, r in item.assessment.responses.items()
            ],
        )
        _append_versions(
            cursor,
            [
                (aid, d, v)
                for item, aid in written
                for d, v in item.assessment.dimension_versions.items()
            ],
        )
        return outcomes

    def _latest_for(
        self, cursor: duckdb.DuckDBPyConnection, items: Sequence[ImportedAssessment]
    ) -> dict[tuple[str, int], AssessmentRecord]:
        """The latest stored revision, with responses, of every (AGS, period) in ``items``."""
        if not items:
            return {}
        rows = cursor.execute(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessment a "
            "JOIN (SELECT unnest(?) AS ags, unnest(?) AS period) wanted USING (ags, period) "
            "QUALIFY revision = max(revision) OVER (PARTITION BY ags, period)",
            [[i.assessment.ags for i in items], [i.assessment.period for i in items]],
        ).fetchall()
        if not rows:
            return {}
        ids = [row[0] for row in rows]
        response_rows = cursor.execute(
            f"SELECT assessment_id, criterion_id, version, {_RESPONSE_COLUMNS} FROM response "
            "WHERE list_contains(?, assessment_id) ORDER BY assessment_id, criterion_id",
            [ids],
        ).fetchall()
        version_rows = cursor.execute(
            "SELECT assessment_id, dimension_id, dimension_version FROM assessment_dimension "
            "WHERE list_contains(?, assessment_id)",
            [ids],
        ).fetchall()
        responses: dict[int, dict[str, Response]] = {i: {} for i in ids}
        response_versions: dict[int, dict[str, int]] = {i: {} for i in ids}
        for r in response_rows:
            responses[r[0]][r[1]] = _response_from_row(r[3:])
            response_versions[r[0]][r[1]] = r[2]
        dimension_versions: dict[int, dict[str, str]] = {i: {} for i in ids}
        for assessment_id, dimension_id, version in version_rows:
            dimension_versions[assessment_id][dimension_id] = version
        result = {}
        for row in rows:
            answers = responses[row[0]]
            summary = _summary_from_row(
                row, len(answers), sum(1 for r in answers.values() if r.not_applicable)
            )
            result[(summary.ags, summary.period)] = AssessmentRecord(
                **summary.__dict__,
                dimension_versions=dimension_versions[row[0]],
                responses=answers,
                response_versions=response_versions[row[0]],
            )
        return result

    def _insert_many(
        self,
        cursor: duckdb.DuckDBPyConnection,
        rows: Sequence[tuple[ImportedAssessment, int]],
        actor: str,
    ) -> list[int]:
        if not rows:
            return []
        now = utc_now()
        inserted = cursor.execute(
            "INSERT INTO assessment (ags, period, revision, status, is_demo, created_at, "
            "created_by, updated_at, updated_by) "
            "SELECT unnest(?), unnest(?), unnest(?), 'draft', unnest(?), ?, ?, ?, ? "
            "RETURNING id, ags, period",
            [
                [item.assessment.ags for item, _ in rows],
                [item.assessment.period for item, _ in rows],
                [revision for _, revision in rows],
                [item.is_demo for item, _ in rows],
                now,
                actor,
                now,
                actor,
            ],
        ).fetchall()
        by_key = {(r[1], r[2]): r[0] for r in inserted}
        return [by_key[(item.assessment.ags, item.assessment.period)] for item, _ in rows]

    # --- helpers -------------------------------------------------------------------------

    def _require_municipality(self, cursor: duckdb.DuckDBPyConnection, ags: str) -> bool:
        """Raise NotFoundError for an unknown AGS; return whether it is a demo municipality."""
        row = cursor.execute("SELECT is_demo FROM municipality WHERE ags = ?", [ags]).fetchone()
        if row:
            return bool(row[0])
        raise NotFoundError(
            f"no municipality with AGS {ags}: import the official directory or add it first"
        )

    def _insert(
        self,
        cursor: duckdb.DuckDBPyConnection,
        ags: str,
        period: int,
        revision: int,
        status: str,
        actor: str,
        is_demo: bool,
    ) -> int:
        now = utc_now()
        row = cursor.execute(
            "INSERT INTO assessment (ags, period, revision, status, is_demo, created_at, "
            "created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [ags, period, revision, status, is_demo, now, actor, now, actor],
        ).fetchone()
        assert row is not None
        return int(row[0])

    def _writable(self, cursor: duckdb.DuckDBPyConnection, assessment_id: int) -> AssessmentSummary:
        row = cursor.execute(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessment WHERE id = ?", [assessment_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"assessment {assessment_id} does not exist")
        summary = _summary_from_row(row)
        if not summary.is_draft:
            submitted = (
                f" on {summary.submitted_at:%Y-%m-%d} by {summary.submitted_by}"
                if summary.submitted_at
                else ""
            )
            raise ReadOnlyError(
                f"assessment {summary.key} was submitted{submitted} and is read-only: start a "
                "new revision to change it"
            )
        return summary

    def _touch(self, cursor: duckdb.DuckDBPyConnection, assessment_id: int, actor: str) -> int:
        """Count one more write to the assessment; return its new version."""
        row = cursor.execute(
            "UPDATE assessment SET version = version + 1, updated_at = ?, updated_by = ? "
            "WHERE id = ? RETURNING version",
            [utc_now(), actor, assessment_id],
        ).fetchone()
        assert row is not None
        return int(row[0])

    def _record_versions(
        self,
        cursor: duckdb.DuckDBPyConnection,
        assessment_id: int,
        versions: dict[str, str],
        *,
        overwrite: bool = False,
    ) -> None:
        if not versions:
            return
        conflict = (
            "DO UPDATE SET dimension_version = excluded.dimension_version"
            if overwrite
            else "DO NOTHING"
        )
        cursor.execute(
            "INSERT INTO assessment_dimension SELECT ?, unnest(?), unnest(?) "
            f"ON CONFLICT (assessment_id, dimension_id) {conflict}",
            [assessment_id, list(versions), list(versions.values())],
        )


def _stored_response(
    cursor: duckdb.DuckDBPyConnection, assessment_id: int, criterion_id: str
) -> tuple[Any, ...] | None:
    """(version, *response columns) of one stored answer, or None if unanswered."""
    return cursor.execute(
        f"SELECT version, {_RESPONSE_COLUMNS} FROM response "
        "WHERE assessment_id = ? AND criterion_id = ?",
        [assessment_id, criterion_id],
    ).fetchone()


def _stale(criterion_id: str, before: Sequence[Any] | None) -> StaleWriteError:
    if before is None:
        return StaleWriteError(
            f"{criterion_id} was changed meanwhile (its answer was removed): reload to see the "
            "current state; your input was not saved"
        )
    who = before[7] or "someone"  # answered_by
    when = f" at {before[8]:%Y-%m-%d %H:%M} UTC" if before[8] else ""
    return StaleWriteError(
        f"{criterion_id} was changed meanwhile by {who}{when}: reload to see the current "
        "answer; your input was not saved"
    )


def _response_json(values: Sequence[Any]) -> dict[str, Any]:
    return _response_from_row(values).model_dump(mode="json", exclude_none=True)


def _target_revision(latest: AssessmentRecord | None, requested: int | None) -> int:
    """The revision an imported file lands in: the file's own, else the natural next one."""
    if requested is not None:
        return requested
    if latest is None:
        return 1
    return latest.revision if latest.is_draft else latest.revision + 1


def _same_content(latest: AssessmentRecord, item: ImportedAssessment) -> bool:
    """True if the file holds exactly what the latest revision holds (a repeated import).

    A file without a revision number matches the latest revision whatever its number."""
    return (
        (item.revision is None or item.revision == latest.revision)
        and latest.status is item.assessment.status
        and _rows(latest.responses) == _rows(item.assessment.responses)
        and latest.dimension_versions == item.assessment.dimension_versions
    )


def _rows(responses: dict[str, Response]) -> dict[str, list[Any]]:
    """Responses as stored values, so a subclass instance compares equal to a stored one."""
    return {criterion_id: response_to_row(r) for criterion_id, r in responses.items()}


def _import_conflict(latest: AssessmentRecord | None, item: ImportedAssessment) -> str | None:
    """Why ``item`` cannot be imported on top of ``latest``, or None."""
    if latest is None or _same_content(latest, item):
        return None
    target = _target_revision(latest, item.revision)
    where = f"{item.assessment.ags}/{item.assessment.period}"
    if target == latest.revision:
        if latest.is_draft:
            return None  # the file replaces the draft's answers (the old ones stay in the audit)
        return (
            f"revision {target} of {where} is already stored as submitted, with other answers; "
            "remove `revision` from the file to import it as a new revision"
        )
    if target < latest.revision:
        return (
            f"revision {target} of {where} is older than the stored revision {latest.revision}; "
            "remove `revision` from the file to import it as a new revision"
        )
    if latest.is_draft:
        return (
            f"revision {latest.revision} of {where} is a draft in progress; submit it before "
            f"importing revision {target}, or import the file into that draft (revision "
            f"{latest.revision})"
        )
    return None


def _append_responses(
    cursor: duckdb.DuckDBPyConnection, rows: Sequence[tuple[int, str, Response]]
) -> None:
    if not rows:
        return
    import pyarrow as pa

    responses = [response for _, _, response in rows]
    values = list(zip(*(response_to_row(response) for response in responses), strict=True))
    columns: dict[str, list[Any]] = {
        "assessment_id": [row[0] for row in rows],
        "criterion_id": [row[1] for row in rows],
        "dimension_id": [row[1].split(".", 1)[0] for row in rows],
        **{name: list(column) for name, column in zip(_RESPONSE_FIELDS, values, strict=True)},
    }
    table = pa.table(
        {
            "assessment_id": pa.array(columns["assessment_id"], pa.int32()),
            "criterion_id": pa.array(columns["criterion_id"], pa.string()),
            "dimension_id": pa.array(columns["dimension_id"], pa.string()),
            "level": pa.array(columns["level"], pa.int8()),
            "not_applicable": pa.array(columns["not_applicable"], pa.bool_()),
            "justification": pa.array(columns["justification"], pa.string()),
            "evidence_status": pa.array(columns["evidence_status"], pa.string()),
            "evidence_reference": pa.array(columns["evidence_reference"], pa.string()),
            "comment": pa.array(columns["comment"], pa.string()),
            "answered_by": pa.array(columns["answered_by"], pa.string()),
            "answered_at": pa.array(columns["answered_at"], pa.timestamp("us")),
        }
    )
    cursor.register("incoming_responses", table)
    try:
        cursor.execute(
            # each answer takes its assessment's current version (see save_response)
            f"INSERT INTO response (assessment_id, criterion_id, dimension_id, "
            f"{_RESPONSE_COLUMNS}, version) SELECT i.assessment_id, i.criterion_id, "
            f"i.dimension_id, {', '.join('i.' + c for c in _RESPONSE_FIELDS)}, a.version "
            "FROM incoming_responses i JOIN assessment a ON a.id = i.assessment_id"
        )
    finally:
        cursor.unregister("incoming_responses")


def _append_versions(
    cursor: duckdb.DuckDBPyConnection, rows: Sequence[tuple[int, str, str]]
) -> None:
    if not rows:
        return
    cursor.execute(
        "INSERT INTO assessment_dimension SELECT unnest(?), unnest(?), unnest(?)",
        [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
    )


def load_responses(
    cursor: duckdb.DuckDBPyConnection, assessment_ids: Sequence[int], dimension_ids: Iterable[str]
) -> dict[int, dict[str, dict[str, Response]]]:
    """Assessment id → dimension id → short criterion id → response, for some dimensions."""
    rows = cursor.execute(
        f"SELECT assessment_id, dimension_id, criterion_id, {_RESPONSE_COLUMNS} FROM response "
        "WHERE list_contains(?, assessment_id) AND list_contains(?, dimension_id)",
        [list(assessment_ids), list(dimension_ids)],
    ).fetchall()
    found: dict[int, dict[str, dict[str, Response]]] = {}
    for row in rows:
        short_id = row[2].split(".", 1)[1]
        found.setdefault(row[0], {}).setdefault(row[1], {})[short_id] = _response_from_row(row[3:])
    return found
