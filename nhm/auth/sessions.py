"""Sessions of signed-in users, kept in the database so that a reload, a second tab or a
bookmark stays signed in (the browser holds the token in a cookie) and signing out ends the
session everywhere.

Only the SHA-256 of a token is stored. A session is valid while it has not ended, was used
within :data:`nhm.auth.signin.SESSION_IDLE` and started within ``SESSION_ABSOLUTE``; a
session found expired is ended and logged (``auth.sign_out`` with reason ``expired``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from nhm.auth.signin import SESSION_ABSOLUTE, SESSION_IDLE, session_valid
from nhm.store import audit

if TYPE_CHECKING:
    import duckdb

    from nhm.store.database import Store

TOUCH_EVERY = timedelta(minutes=1)
"""How stale ``last_seen_at`` may get before a use writes it again (not one write per click)."""


@dataclass(frozen=True)
class SessionRecord:
    username: str
    started_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def begin(self, username: str, now: datetime) -> str:
        """A new session for ``username``; returns the token for the browser (never stored)."""
        token = secrets.token_urlsafe(32)
        self._store.write(
            lambda cursor: cursor.execute(
                "INSERT INTO user_session (token_hash, username, started_at, last_seen_at) "
                "VALUES (?, ?, ?, ?)",
                [token_hash(token), username, now, now],
            )
        )
        return token

    def get(self, token: str) -> SessionRecord | None:
        with self._store.cursor() as cursor:
            row = cursor.execute(
                "SELECT username, started_at, last_seen_at, ended_at FROM user_session "
                "WHERE token_hash = ?",
                [token_hash(token)],
            ).fetchone()
        return SessionRecord(*row) if row else None

    def use(
        self,
        token: str,
        now: datetime,
        idle: timedelta = SESSION_IDLE,
        absolute: timedelta = SESSION_ABSOLUTE,
    ) -> tuple[str | None, str | None]:
        """Check a session for one request: (user name, None) while it is valid; (None, why)
        when it is unknown, ended or – now ended and logged – expired."""
        found = self.get(token)
        if found is None:
            return None, "unknown"
        if found.ended_at is not None:
            return None, "ended"
        if not session_valid(found.started_at, found.last_seen_at, now, idle, absolute):
            self.end(token, "expired", now)
            return None, "expired"
        if now - found.last_seen_at >= TOUCH_EVERY:
            self._store.write(
                lambda cursor: cursor.execute(
                    "UPDATE user_session SET last_seen_at = ? WHERE token_hash = ?",
                    [now, token_hash(token)],
                )
            )
        return found.username, None

    def end(self, token: str, reason: str, now: datetime) -> None:
        """End a session (sign-out, expiry, account gone) and log ``auth.sign_out``."""

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            row = cursor.execute(
                "UPDATE user_session SET ended_at = ?, ended_reason = ? "
                "WHERE token_hash = ? AND ended_at IS NULL RETURNING username",
                [now, reason, token_hash(token)],
            ).fetchone()
            if row is not None:
                audit.record(cursor, row[0], "auth.sign_out", "user", row[0], {"reason": reason})

        self._store.write(unit)
