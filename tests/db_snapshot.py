"""A fingerprint of an nhm database: every table's row count and a hash of its full contents.

Two snapshots are equal only if no row was added, removed or changed in any table, so tests
can assert that a refused or interrupted import left the database exactly as it was.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from nhm.store import Store, open_store

TABLES = ("municipality", "assessment", "response", "assessment_dimension", "audit_log")
"""Tables every snapshot must contain (it covers all tables of the file)."""


def db_snapshot(store: Store) -> dict[str, tuple[int, str]]:
    """Table name -> (row count, SHA-256 of all rows in a fixed order)."""
    with store.cursor() as cursor:
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT table_name FROM duckdb_tables() "
                "WHERE database_name = current_database() ORDER BY table_name"
            ).fetchall()
        ]
        snapshot = {}
        for table in tables:
            rows = cursor.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
            snapshot[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    missing = set(TABLES) - set(snapshot)
    assert not missing, f"tables missing from the database: {missing}"
    return snapshot


def db_snapshot_of(path: Path) -> dict[str, tuple[int, str]]:
    """Open the database at ``path``, snapshot it and close it again."""
    with open_store(path) as store:
        return db_snapshot(store)


def counts(snapshot: dict[str, tuple[int, str]]) -> dict[str, int]:
    return {table: count for table, (count, _) in snapshot.items()}
