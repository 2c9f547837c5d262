"""Vergleichsringe (comparison rings): working groups of municipalities that compare results.

Each member decides whether the other members may see it by name; without that consent it
appears only anonymously inside the ring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from nhm.store import audit
from nhm.store.database import utc_now
from nhm.store.errors import ConflictError, InvalidDataError, NotFoundError

if TYPE_CHECKING:
    from nhm.store.database import Store

MIN_GROUP_SIZE_FLOOR = 3
"""Below three, a group statistic reveals individual answers (official statistics' floor)."""


@dataclass(frozen=True)
class Ring:
    id: int
    name: str
    coordinator: str
    period: int | None
    min_group_size: int
    is_demo: bool
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class RingMember:
    ring_id: int
    ags: str
    name: str | None
    consent_named: bool
    consent_at: datetime | None
    consent_by: str | None
    joined_at: datetime


_RING_COLUMNS = "id, name, coordinator, period, min_group_size, is_demo, created_at, created_by"


class RingRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create(
        self,
        name: str,
        coordinator: str,
        actor: str,
        *,
        period: int | None = None,
        min_group_size: int = 5,
        is_demo: bool = False,
    ) -> Ring:
        """Create a ring in a transaction of its own."""
        _check_ring(name, coordinator, period, min_group_size)  # before taking the write lock
        ring_id = self._store.write(
            lambda cursor: self.create_on(
                cursor,
                name,
                coordinator,
                actor,
                period=period,
                min_group_size=min_group_size,
                is_demo=is_demo,
            )
        )
        return self.require(ring_id)

    def create_on(
        self,
        cursor: duckdb.DuckDBPyConnection,
        name: str,
        coordinator: str,
        actor: str,
        *,
        period: int | None = None,
        min_group_size: int = 5,
        is_demo: bool = False,
    ) -> int:
        """Create a ring inside the caller's transaction; return its id."""
        _check_ring(name, coordinator, period, min_group_size)
        name = name.strip()
        if cursor.execute("SELECT 1 FROM ring WHERE name = ?", [name]).fetchone():
            raise ConflictError(f"a ring named {name!r} already exists")
        row = cursor.execute(
            "INSERT INTO ring (name, coordinator, period, min_group_size, is_demo, "
            "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [name, coordinator.strip(), period, min_group_size, is_demo, utc_now(), actor],
        ).fetchone()
        assert row is not None
        audit.record(
            cursor,
            actor,
            "ring.created",
            "ring",
            str(row[0]),
            {"name": name, "coordinator": coordinator, "min_group_size": min_group_size},
        )
        return int(row[0])

    def get(self, ring_id: int) -> Ring | None:
        with self._store.cursor() as cursor:
            row = cursor.execute(
                f"SELECT {_RING_COLUMNS} FROM ring WHERE id = ?", [ring_id]
            ).fetchone()
        return Ring(*row) if row else None

    def require(self, ring_id: int) -> Ring:
        ring = self.get(ring_id)
        if ring is None:
            raise NotFoundError(f"there is no ring with id {ring_id}")
        return ring

    def list(self) -> list[Ring]:
        with self._store.cursor() as cursor:
            rows = cursor.execute(f"SELECT {_RING_COLUMNS} FROM ring ORDER BY name").fetchall()
        return [Ring(*row) for row in rows]

    def add_member(
        self, ring_id: int, ags: str, actor: str, *, consent_named: bool = False
    ) -> None:
        self._store.write(
            lambda cursor: self.add_member_on(
                cursor, ring_id, ags, actor, consent_named=consent_named
            )
        )

    def add_member_on(
        self,
        cursor: duckdb.DuckDBPyConnection,
        ring_id: int,
        ags: str,
        actor: str,
        *,
        consent_named: bool = False,
    ) -> None:
        """Add a member inside the caller's transaction."""
        self._require_ring(cursor, ring_id)
        if not cursor.execute("SELECT 1 FROM municipality WHERE ags = ?", [ags]).fetchone():
            raise NotFoundError(f"no municipality with AGS {ags}")
        if cursor.execute(
            "SELECT 1 FROM ring_member WHERE ring_id = ? AND ags = ?", [ring_id, ags]
        ).fetchone():
            raise ConflictError(f"{ags} is already a member of ring {ring_id}")
        now = utc_now()
        cursor.execute(
            "INSERT INTO ring_member (ring_id, ags, consent_named, consent_at, consent_by, "
            "joined_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                ring_id,
                ags,
                consent_named,
                now if consent_named else None,
                actor if consent_named else None,
                now,
            ],
        )
        audit.record(
            cursor,
            actor,
            "ring.member_added",
            "ring",
            str(ring_id),
            {"ags": ags, "consent_named": consent_named},
        )

    def remove_member(self, ring_id: int, ags: str, actor: str) -> None:
        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            removed = cursor.execute(
                "DELETE FROM ring_member WHERE ring_id = ? AND ags = ? RETURNING ags",
                [ring_id, ags],
            ).fetchall()
            if not removed:
                raise NotFoundError(f"{ags} is not a member of ring {ring_id}")
            audit.record(cursor, actor, "ring.member_removed", "ring", str(ring_id), {"ags": ags})

        self._store.write(unit)

    def set_consent(self, ring_id: int, ags: str, consent_named: bool, actor: str) -> None:
        """Record whether a member may be shown by name to the other members of the ring."""

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            changed = cursor.execute(
                "UPDATE ring_member SET consent_named = ?, consent_at = ?, consent_by = ? "
                "WHERE ring_id = ? AND ags = ? RETURNING ags",
                [consent_named, utc_now(), actor, ring_id, ags],
            ).fetchall()
            if not changed:
                raise NotFoundError(f"{ags} is not a member of ring {ring_id}")
            audit.record(
                cursor,
                actor,
                "ring.consent_changed",
                "ring",
                str(ring_id),
                {"ags": ags, "consent_named": consent_named},
            )

        self._store.write(unit)

    def members(self, ring_id: int) -> list[RingMember]:
        with self._store.cursor() as cursor:
            rows = cursor.execute(
                "SELECT rm.ring_id, rm.ags, m.name, rm.consent_named, rm.consent_at, "
                "rm.consent_by, rm.joined_at FROM ring_member rm "
                "LEFT JOIN municipality m USING (ags) WHERE rm.ring_id = ? ORDER BY rm.ags",
                [ring_id],
            ).fetchall()
        return [RingMember(*row) for row in rows]

    def _require_ring(self, cursor: duckdb.DuckDBPyConnection, ring_id: int) -> None:
        if not cursor.execute("SELECT 1 FROM ring WHERE id = ?", [ring_id]).fetchone():
            raise NotFoundError(f"there is no ring with id {ring_id}")


def _check_ring(name: str, coordinator: str, period: int | None, min_group_size: int) -> None:
    if not name.strip():
        raise InvalidDataError("a ring needs a name")
    if not coordinator.strip():
        raise InvalidDataError("a ring needs a coordinator")
    if min_group_size < MIN_GROUP_SIZE_FLOOR:
        raise InvalidDataError(
            f"the minimum group size must be at least {MIN_GROUP_SIZE_FLOOR}, "
            f"found {min_group_size}"
        )
    if period is not None and not 1990 <= period <= 2100:
        raise InvalidDataError(f"period must be a year 1990–2100, found {period}")
