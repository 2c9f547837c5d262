"""The audit log: who changed what and when. Entries are written inside the transaction of the
change they describe, so a change without its entry (or the reverse) cannot happen."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb

from nhm.store.database import utc_now

if TYPE_CHECKING:
    from nhm.store.database import Store


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    detail: dict[str, Any] | None


def record(
    cursor: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry on ``cursor`` (inside the caller's transaction)."""
    cursor.execute(
        "INSERT INTO audit_log (occurred_at, actor, action, entity, entity_key, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            utc_now(),
            actor,
            action,
            entity,
            entity_key,
            None if detail is None else json.dumps(detail, ensure_ascii=False, default=str),
        ],
    )


class AuditRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def entries(
        self,
        entity: str | None = None,
        entity_key: str | None = None,
        action_prefix: str | None = None,
        limit: int = 1000,
        actor: str | None = None,
        *,
        actor_contains: str | None = None,
        since: datetime | None = None,
        before: datetime | None = None,
    ) -> list[AuditEntry]:
        """The newest entries first, optionally for one entity (and key), kind of action,
        actor (exactly, or containing a text in any case) and time span (naive UTC, ``since``
        included, ``before`` not)."""
        where, params = ["true"], []
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if entity_key is not None:
            where.append("entity_key = ?")
            params.append(entity_key)
        if action_prefix is not None:
            where.append("starts_with(action, ?)")
            params.append(action_prefix)
        if actor is not None:
            where.append("actor = ?")
            params.append(actor)
        if actor_contains:
            where.append("contains(lower(actor), lower(?))")
            params.append(actor_contains)
        if since is not None:
            where.append("occurred_at >= ?")
            params.append(since)
        if before is not None:
            where.append("occurred_at < ?")
            params.append(before)
        with self._store.cursor() as cursor:
            rows = cursor.execute(
                "SELECT id, occurred_at, actor, action, entity, entity_key, detail FROM audit_log "
                f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
                [*params, limit],
            ).fetchall()
        return [
            AuditEntry(
                id=row[0],
                at=row[1],
                actor=row[2],
                action=row[3],
                entity=row[4],
                entity_key=row[5],
                detail=json.loads(row[6]) if row[6] is not None else None,
            )
            for row in rows
        ]

    def counts_since(self, actions: Sequence[str], since: datetime) -> dict[str, int]:
        """How often each of ``actions`` was logged since ``since`` (naive UTC)."""
        with self._store.cursor() as cursor:
            rows = cursor.execute(
                "SELECT action, count(*) FROM audit_log WHERE occurred_at >= ? "
                "AND list_contains(?, action) GROUP BY action",
                [since, list(actions)],
            ).fetchall()
        found = dict.fromkeys(actions, 0)
        found.update({action: int(count) for action, count in rows})
        return found


def record_many(
    cursor: duckdb.DuckDBPyConnection,
    actor: str,
    entity: str,
    rows: list[tuple[str, str, dict[str, Any] | None]],
) -> None:
    """Append many entries (action, entity key, detail) at once, e.g. for an import."""
    if not rows:
        return
    now = utc_now()
    cursor.execute(
        "INSERT INTO audit_log (occurred_at, actor, action, entity, entity_key, detail) "
        "SELECT ?, ?, unnest(?), ?, unnest(?), unnest(?)::JSON",
        [
            now,
            actor,
            [r[0] for r in rows],
            entity,
            [r[1] for r in rows],
            [
                None if r[2] is None else json.dumps(r[2], ensure_ascii=False, default=str)
                for r in rows
            ],
        ],
    )
