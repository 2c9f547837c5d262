"""Zielniveaus (target levels): the maturity level 0–4 a municipality aims for, per dimension
or per criterion. Scoring takes them as a mapping scope -> level, where a criterion's own
target overrides its dimension's.

Targets belong to the municipality, not to an assessment period. A target whose scope has left
the catalog (its plugin was removed) is kept and listed, so nothing is lost if the plugin comes
back; scoring ignores it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb

from nhm.assessment import NO_CONTROL_CHARACTERS
from nhm.model import Catalog
from nhm.store import audit
from nhm.store.database import utc_now
from nhm.store.errors import InvalidDataError, NotFoundError

if TYPE_CHECKING:
    from nhm.store.database import Store

MAX_NOTE_LENGTH = 1_000
AUDIT_ENTITY = "target"
"""Audit entries of targets use this entity with the AGS as key; the detail names the scope."""


@dataclass(frozen=True)
class TargetEntry:
    scope: str
    level: int
    note: str | None
    set_at: datetime
    set_by: str


def target_scopes(catalog: Catalog) -> list[str]:
    """Every valid scope in catalog order: each dimension id, then its criteria's full ids."""
    scopes: list[str] = []
    for dimension in catalog.dimensions:
        scopes.append(dimension.id)
        scopes.extend(dimension.full_id(criterion) for criterion in dimension.criteria)
    return scopes


def close_scopes(scope: str, catalog: Catalog, limit: int = 3) -> list[str]:
    """Scopes of the catalog that ``scope`` may have been meant as (typos, a missing or wrong
    dimension in front of a criterion id)."""
    scopes = target_scopes(catalog)
    short = scope.rpartition(".")[2]
    same_criterion = [s for s in scopes if "." in s and s.partition(".")[2] == short]
    similar = difflib.get_close_matches(scope, scopes, n=limit, cutoff=0.6)
    return list(dict.fromkeys([*same_criterion, *similar]))[:limit]


def check_scope(scope: str, catalog: Catalog) -> None:
    """Raise InvalidDataError unless ``scope`` is a dimension id or full criterion id."""
    if scope in target_scopes(catalog):
        return
    message = (
        f"unknown target scope {scope!r}: not a dimension id or a full criterion id "
        "(dimension.criterion) of the catalog"
    )
    suggestions = close_scopes(scope, catalog)
    if suggestions:
        message += f"; did you mean {', '.join(map(repr, suggestions))}?"
    raise InvalidDataError(message)


def check_level(level: object) -> int:
    """The level as a plain int; InvalidDataError unless it is a whole number 0–4 (a bool is
    refused although Python counts it as an int)."""
    if isinstance(level, bool) or not isinstance(level, int):
        raise InvalidDataError(f"a target level must be a whole number 0–4, found {level!r}")
    if not 0 <= level <= 4:
        raise InvalidDataError(f"a target level must be 0–4, found {level}")
    return int(level)


def check_note(note: str | None) -> str | None:
    """The note without surrounding blanks (None if empty); InvalidDataError if it is too long
    or holds control characters other than line breaks and tabs."""
    if note is None:
        return None
    note = note.strip()
    if not note:
        return None
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidDataError(
            f"a note may have at most {MAX_NOTE_LENGTH:,} characters, found {len(note):,}"
        )
    if not re.fullmatch(NO_CONTROL_CHARACTERS, note):
        raise InvalidDataError("a note may not contain control characters")
    return note


class TargetRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def set(
        self,
        ags: str,
        scope: str,
        level: int,
        catalog: Catalog,
        actor: str,
        note: str | None = None,
    ) -> TargetEntry:
        """Set (or replace) the target of ``ags`` for ``scope``; audited with the previous one."""
        level = check_level(level)
        check_scope(scope, catalog)
        note = check_note(note)

        def unit(cursor: duckdb.DuckDBPyConnection) -> TargetEntry:
            _require_municipality(cursor, ags)
            previous = cursor.execute(
                "SELECT level, note FROM target WHERE ags = ? AND scope = ?", [ags, scope]
            ).fetchone()
            entry = TargetEntry(scope, level, note, utc_now(), actor)
            cursor.execute(
                "INSERT INTO target (ags, scope, level, note, set_at, set_by) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ags, scope) DO UPDATE SET "
                "level = excluded.level, note = excluded.note, set_at = excluded.set_at, "
                "set_by = excluded.set_by",
                [ags, scope, level, note, entry.set_at, actor],
            )
            detail = {
                "scope": scope,
                "level": level,
                "note": note,
                "previous": _value(previous),
            }
            audit.record(cursor, actor, "target.set", AUDIT_ENTITY, ags, detail)
            return entry

        return self._store.write(unit)

    def clear(self, ags: str, scope: str | None, actor: str) -> int:
        """Remove the target of ``scope`` (all targets of ``ags`` if None); returns how many
        were removed. The scope is not checked against the catalog, so targets of a removed
        plugin can be cleared too."""

        def unit(cursor: duckdb.DuckDBPyConnection) -> int:
            _require_municipality(cursor, ags)
            sql = "DELETE FROM target WHERE ags = ?"
            params = [ags]
            if scope is not None:
                sql += " AND scope = ?"
                params.append(scope)
            removed = cursor.execute(f"{sql} RETURNING scope, level, note", params).fetchall()
            audit.record_many(
                cursor,
                actor,
                AUDIT_ENTITY,
                [
                    ("target.cleared", ags, {"scope": row[0], "previous": _value(row[1:])})
                    for row in sorted(removed)
                ],
            )
            return len(removed)

        return self._store.write(unit)

    def for_municipality(self, ags: str) -> dict[str, int]:
        """Scope -> level, the form scoring takes (scopes unknown to the catalog included)."""
        return {entry.scope: entry.level for entry in self.entries(ags)}

    def entries(self, ags: str) -> list[TargetEntry]:
        """Every target of ``ags`` ordered by scope, including scopes the catalog lacks."""
        with self._store.cursor() as cursor:
            rows = cursor.execute(
                "SELECT scope, level, note, set_at, set_by FROM target WHERE ags = ? "
                "ORDER BY scope",
                [ags],
            ).fetchall()
        return [TargetEntry(*row) for row in rows]


def _require_municipality(cursor: duckdb.DuckDBPyConnection, ags: str) -> None:
    if not cursor.execute("SELECT 1 FROM municipality WHERE ags = ?", [ags]).fetchone():
        raise NotFoundError(
            f"no municipality with AGS {ags}: import the official directory "
            "(`nhm municipalities import FILE`) or add it (`nhm municipalities add`)"
        )


def _value(row: tuple[Any, ...] | None) -> dict[str, Any] | None:
    """A stored (level, note) as the audit log keeps it."""
    return None if row is None else {"level": row[0], "note": row[1]}
