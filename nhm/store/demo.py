"""Fictional demo data in the database: how much there is, and removing all of it at once.

Demo data is what is flagged ``is_demo`` (municipalities, assessments, rings) plus everything
that hangs on a demo municipality. Real data is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from nhm.store import audit

_DEMO_AGS = "SELECT ags FROM municipality WHERE is_demo"
_DEMO_ASSESSMENTS = f"SELECT id FROM assessment WHERE is_demo OR ags IN ({_DEMO_AGS})"


def demo_counts(cursor: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many demo municipalities, demo assessment revisions and demo rings are stored."""
    return {
        "municipalities": _count(cursor, "SELECT count(*) FROM municipality WHERE is_demo"),
        "assessments": _count(cursor, "SELECT count(*) FROM assessment WHERE is_demo"),
        "rings": _count(cursor, "SELECT count(*) FROM ring WHERE is_demo"),
    }


@dataclass(frozen=True)
class DemoExample:
    """A demo municipality and period worth showing in examples."""

    ags: str
    name: str
    period: int
    ring_id: int | None  # a demo ring it belongs to


def demo_example(cursor: duckdb.DuckDBPyConnection) -> DemoExample | None:
    """A demo municipality whose latest revision in the latest demo period is submitted,
    preferably a member of a demo ring; None without demo assessments."""
    rows = cursor.execute(
        "WITH latest AS (SELECT ags, period, status FROM assessment WHERE is_demo "
        "QUALIFY revision = max(revision) OVER (PARTITION BY ags, period)), "
        "demo_members AS (SELECT rm.ags, min(r.id) AS ring_id FROM ring_member rm "
        "JOIN ring r ON r.id = rm.ring_id WHERE r.is_demo GROUP BY rm.ags) "
        "SELECT l.ags, m.name, l.period, dm.ring_id FROM latest l "
        "JOIN municipality m USING (ags) LEFT JOIN demo_members dm USING (ags) "
        "WHERE l.status = 'submitted' "
        "AND l.period = (SELECT max(period) FROM assessment WHERE is_demo) "
        "ORDER BY dm.ring_id IS NULL, m.is_county, l.ags LIMIT 1"
    ).fetchall()
    return DemoExample(*rows[0]) if rows else None


def delete_demo_data(cursor: duckdb.DuckDBPyConnection, actor: str) -> dict[str, int]:
    """Delete all demo data inside the caller's transaction; return the rows deleted per table.

    Removes the assessments of demo municipalities with their responses and dimension
    versions, demo rings with their members (and memberships of demo municipalities in other
    rings), the targets of demo municipalities (where the schema has targets) and the demo
    municipalities themselves, and records one audit entry."""
    deleted: dict[str, int] = {}
    for table in ("response", "assessment_dimension"):
        deleted[table] = _count(
            cursor, f"DELETE FROM {table} WHERE assessment_id IN ({_DEMO_ASSESSMENTS})"
        )
    deleted["assessment"] = _count(
        cursor, f"DELETE FROM assessment WHERE id IN ({_DEMO_ASSESSMENTS})"
    )
    deleted["ring_member"] = _count(
        cursor,
        "DELETE FROM ring_member WHERE ring_id IN (SELECT id FROM ring WHERE is_demo) "
        f"OR ags IN ({_DEMO_AGS})",
    )
    deleted["ring"] = _count(cursor, "DELETE FROM ring WHERE is_demo")
    if _has_column(cursor, "target", "ags"):  # schema 2 and later
        deleted["target"] = _count(cursor, f"DELETE FROM target WHERE ags IN ({_DEMO_AGS})")
    deleted["municipality"] = _count(cursor, "DELETE FROM municipality WHERE is_demo")
    audit.record(cursor, actor, "demo.deleted", "demo", "*", deleted)
    return deleted


def _count(cursor: duckdb.DuckDBPyConnection, sql: str) -> int:
    """The single number ``sql`` returns (a DELETE returns the number of rows deleted).

    Fetched completely: a half-read result blocks the cursor for the next statement."""
    rows = cursor.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0


def _has_column(cursor: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(
        _count(
            cursor,
            "SELECT count(*) FROM information_schema.columns "
            f"WHERE table_schema = current_schema() AND table_name = '{table}' "
            f"AND column_name = '{column}'",
        )
    )
