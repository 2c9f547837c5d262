"""User accounts and their role grants in the database.

Every change is written to the audit log inside its own transaction (``user.added``,
``user.removed``, ``user.password_set``, ``user.disabled``, ``user.enabled``, ``user.unlocked``,
``role.granted``, ``role.revoked``; sign-ins: see :mod:`nhm.auth.signin`). Passwords and
hashes never reach the audit log, and :class:`Account` does not carry the hash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import duckdb
from argon2 import PasswordHasher

from nhm.auth import passwords
from nhm.auth.principal import Principal
from nhm.store import audit
from nhm.store.database import utc_now
from nhm.store.errors import ConflictError, InvalidDataError, NotFoundError

if TYPE_CHECKING:
    from nhm.store.database import Store

USERNAME_PATTERN = re.compile(r"[a-z0-9._@-]{3,64}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
AGS_PATTERN = re.compile(r"[0-9]{8}")
DISPLAY_NAME_MAX = 200


class Role(StrEnum):
    admin = "admin"
    editor = "editor"
    viewer = "viewer"
    coordinator = "coordinator"


ROLE_NAMES = ", ".join(role.value for role in Role)


class AccountInvalidError(InvalidDataError):
    """Input refused; ``field`` names what was wrong (username, email, display_name, role,
    ags, ring)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class AccountConflictError(ConflictError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class AccountNotFoundError(NotFoundError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Grant:
    role: Role
    ags: str | None
    ring_id: int | None
    granted_at: datetime
    granted_by: str

    def describe(self) -> str:
        return describe_grant(self.role, self.ags, self.ring_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role.value,
            "ags": self.ags,
            "ring_id": self.ring_id,
            "granted_at": self.granted_at.isoformat(timespec="seconds") + "Z",
            "granted_by": self.granted_by,
        }


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    email: str | None
    display_name: str | None
    has_password: bool
    disabled: bool
    failed_sign_ins: int
    locked_until: datetime | None
    last_sign_in_at: datetime | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    grants: tuple[Grant, ...] = ()

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utc_now())

    def principal(self) -> Principal:
        def scope(role: Role) -> frozenset[str]:
            return frozenset(g.ags for g in self.grants if g.role is role and g.ags)

        return Principal(
            username=self.username,
            display_name=self.display_name or self.username,
            is_admin=any(g.role is Role.admin for g in self.grants),
            editor_ags=scope(Role.editor),
            viewer_ags=scope(Role.viewer),
            coordinator_rings=frozenset(
                g.ring_id
                for g in self.grants
                if g.role is Role.coordinator and g.ring_id is not None
            ),
        )


def describe_grant(role: Role, ags: str | None, ring_id: int | None) -> str:
    """E.g. "editor of 05315000", "coordinator of ring 3", "admin"."""
    if role is Role.coordinator:
        return f"coordinator of ring {ring_id}"
    if ags is not None:
        return f"{role.value} of {ags}"
    return role.value


_ACCOUNT_COLUMNS = (
    "id, username, email, display_name, password_hash IS NOT NULL, disabled, failed_sign_ins, "
    "locked_until, last_sign_in_at, created_at, created_by, updated_at"
)


# --- checking input ---------------------------------------------------------------------------


def normalise_username(text: str) -> str:
    return text.strip().lower()


def check_username(text: str) -> str:
    """The user name in its stored form (lower case); refused unless 3–64 of a-z 0-9 . _ @ -."""
    username = normalise_username(text)
    if not USERNAME_PATTERN.fullmatch(username):
        raise AccountInvalidError(
            f"a user name has 3–64 characters of a–z, 0–9 and . _ @ -, found {text!r}",
            "username",
        )
    return username


def check_email(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    email = text.strip().lower()
    if len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
        raise AccountInvalidError(f"not an e-mail address: {text!r}", "email")
    return email


def check_display_name(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    name = " ".join(text.split())
    if len(name) > DISPLAY_NAME_MAX:
        raise AccountInvalidError(
            f"a display name has at most {DISPLAY_NAME_MAX} characters", "display_name"
        )
    return name


def check_role(text: str | Role) -> Role:
    try:
        return Role(str(text).strip().lower())
    except ValueError:
        raise AccountInvalidError(
            f"expected one of {ROLE_NAMES}, found {str(text)!r}", "role"
        ) from None


def check_grant_scope(role: Role, ags: str | None, ring_id: int | None) -> None:
    """Editor and viewer need an AGS, coordinator a ring, admin neither (form only)."""
    if role in (Role.editor, Role.viewer):
        if ags is None:
            raise AccountInvalidError(f"the role {role} needs the AGS of a municipality", "ags")
        if ring_id is not None:
            raise AccountInvalidError(f"the role {role} is not for a ring", "ring")
        if not AGS_PATTERN.fullmatch(ags):
            raise AccountInvalidError(
                f"expected the 8-digit AGS with leading zeros, found {ags!r}", "ags"
            )
    elif role is Role.coordinator:
        if ring_id is None:
            raise AccountInvalidError("the role coordinator needs a ring", "ring")
        if ags is not None:
            raise AccountInvalidError("the role coordinator is not for a municipality", "ags")
    elif ags is not None or ring_id is not None:
        raise AccountInvalidError(
            "the role admin holds for everything: give neither a municipality nor a ring",
            "ags" if ags is not None else "ring",
        )


def _end_sessions(
    cursor: duckdb.DuckDBPyConnection, username: str, reason: str, keep: str | None = None
) -> None:
    """End the app sessions of ``username`` (see nhm.auth.sessions) in the caller's
    transaction, each logged as ``auth.sign_out``: after a new password, a removal or a
    disabling, no old session lives on – not even for a new account that later gets the same
    user name. ``keep`` is the token hash of a session to spare (the one setting the
    password)."""
    ended = cursor.execute(
        "UPDATE user_session SET ended_at = ?, ended_reason = ? "
        "WHERE username = ? AND ended_at IS NULL AND token_hash IS DISTINCT FROM ? "
        "RETURNING token_hash",
        [utc_now(), reason, username, keep],
    ).fetchall()
    for _ in ended:
        audit.record(cursor, username, "auth.sign_out", "user", username, {"reason": reason})


def _checked_grant(
    username: str, role: str | Role, ags: str | None, ring_id: int | None
) -> tuple[str, Role, str | None]:
    """A grant's input for grant and revoke: the user name as stored, the role, the AGS."""
    chosen = check_role(role)
    ags = ags.strip() if ags is not None else None
    check_grant_scope(chosen, ags, ring_id)
    return normalise_username(username), chosen, ags


# --- the repository ---------------------------------------------------------------------------


class AccountRepository:
    """Accounts and grants on a store. ``hasher`` defaults to production argon2id."""

    def __init__(self, store: Store, hasher: PasswordHasher | None = None) -> None:
        self._store = store
        self.hasher = hasher or passwords.default_hasher()

    # reading

    def get(self, username: str) -> Account | None:
        return self._one("username = ?", normalise_username(username))

    def get_by_email(self, email: str) -> Account | None:
        return self._one("email = ?", email.strip().lower())

    def require(self, username: str) -> Account:
        account = self.get(username)
        if account is None:
            raise AccountNotFoundError(f"there is no user {username!r}", "username")
        return account

    def list(self) -> list[Account]:
        with self._store.cursor() as cursor:
            rows = cursor.execute(
                f"SELECT {_ACCOUNT_COLUMNS} FROM user_account ORDER BY username"
            ).fetchall()
            grants = self._grants(cursor, None)
        return [Account(*row, grants=tuple(grants.get(row[0], []))) for row in rows]

    def principal(self, username: str) -> Principal:
        return self.require(username).principal()

    def _one(self, where: str, value: str) -> Account | None:
        with self._store.cursor() as cursor:
            row = cursor.execute(
                f"SELECT {_ACCOUNT_COLUMNS} FROM user_account WHERE {where}", [value]
            ).fetchone()
            if row is None:
                return None
            grants = self._grants(cursor, row[0])
        return Account(*row, grants=tuple(grants.get(row[0], [])))

    @staticmethod
    def _grants(cursor: duckdb.DuckDBPyConnection, user_id: int | None) -> dict[int, list[Grant]]:
        rows = cursor.execute(
            "SELECT user_id, role, ags, ring_id, granted_at, granted_by FROM user_grant "
            "WHERE ? IS NULL OR user_id = ? "
            "ORDER BY user_id, role, ags NULLS FIRST, ring_id NULLS FIRST",
            [user_id, user_id],
        ).fetchall()
        found: dict[int, list[Grant]] = {}
        for user, role, ags, ring_id, at, by in rows:
            found.setdefault(user, []).append(Grant(Role(role), ags, ring_id, at, by))
        return found

    # changing accounts

    def add(
        self,
        username: str,
        actor: str,
        *,
        email: str | None = None,
        display_name: str | None = None,
        password: str | None = None,
    ) -> Account:
        """Add an account; without a password it can sign in only through OIDC."""
        name = check_username(username)
        mail = check_email(email)
        shown = check_display_name(display_name)
        password_hash = None
        if password is not None:
            passwords.check_password_policy(password, name)
            password_hash = passwords.hash_password(password, self.hasher)  # outside the lock

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            if cursor.execute("SELECT 1 FROM user_account WHERE username = ?", [name]).fetchone():
                raise AccountConflictError(f"the user {name!r} already exists", "username")
            if (
                mail
                and cursor.execute("SELECT 1 FROM user_account WHERE email = ?", [mail]).fetchone()
            ):
                raise AccountConflictError(f"another user has the e-mail address {mail}", "email")
            now = utc_now()
            cursor.execute(
                "INSERT INTO user_account (username, email, display_name, password_hash, "
                "created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [name, mail, shown, password_hash, now, actor, now],
            )
            audit.record(
                cursor,
                actor,
                "user.added",
                "user",
                name,
                {"email": mail, "display_name": shown, "password": password_hash is not None},
            )

        self._store.write(unit)
        return self.require(name)

    def remove(self, username: str, actor: str) -> None:
        """Remove an account and all its grants."""
        name = normalise_username(username)

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            user_id = self._user_id(cursor, name)
            grants = cursor.execute(
                "DELETE FROM user_grant WHERE user_id = ? RETURNING role, ags, ring_id", [user_id]
            ).fetchall()
            cursor.execute("DELETE FROM user_account WHERE id = ?", [user_id])
            _end_sessions(cursor, name, "account_removed")
            audit.record(
                cursor,
                actor,
                "user.removed",
                "user",
                name,
                {"grants": [describe_grant(Role(r), a, g) for r, a, g in grants]},
            )

        self._store.write(unit)

    def set_password(
        self, username: str, password: str, actor: str, *, keep_session: str | None = None
    ) -> None:
        """Set a new password; every session of the account ends, except ``keep_session`` (the
        token hash of the session of a user setting their own password)."""
        name = normalise_username(username)
        passwords.check_password_policy(password, name)
        self.require(name)  # before the slow hash
        password_hash = passwords.hash_password(password, self.hasher)

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            self._update(cursor, name, "password_hash = ?", [password_hash])
            _end_sessions(cursor, name, "password_changed", keep_session)
            audit.record(cursor, actor, "user.password_set", "user", name)

        self._store.write(unit)

    def set_disabled(self, username: str, disabled: bool, actor: str) -> None:
        """Disable an account (it cannot sign in; grants stay) or enable it again."""
        name = normalise_username(username)

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            self._update(cursor, name, "disabled = ?", [disabled])
            if disabled:
                _end_sessions(cursor, name, "account_disabled")
            action = "user.disabled" if disabled else "user.enabled"
            audit.record(cursor, actor, action, "user", name)

        self._store.write(unit)

    def disable(self, username: str, actor: str) -> None:
        self.set_disabled(username, True, actor)

    def unlock(self, username: str, actor: str) -> None:
        """End a lock-out and forget the failed sign-ins."""
        name = normalise_username(username)

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            self._update(cursor, name, "failed_sign_ins = 0, locked_until = NULL", [])
            audit.record(cursor, actor, "user.unlocked", "user", name)

        self._store.write(unit)

    # grants

    def grant(
        self,
        username: str,
        role: str | Role,
        actor: str,
        *,
        ags: str | None = None,
        ring_id: int | None = None,
    ) -> Grant:
        """Grant a role: the AGS must be in the municipality directory, the ring must exist."""
        name, chosen, ags = _checked_grant(username, role, ags, ring_id)

        def unit(cursor: duckdb.DuckDBPyConnection) -> Grant:
            user_id = self._user_id(cursor, name)
            if (
                ags is not None
                and not cursor.execute("SELECT 1 FROM municipality WHERE ags = ?", [ags]).fetchone()
            ):
                raise AccountNotFoundError(
                    f"no municipality with AGS {ags} in the directory", "ags"
                )
            if (
                ring_id is not None
                and not cursor.execute("SELECT 1 FROM ring WHERE id = ?", [ring_id]).fetchone()
            ):
                raise AccountNotFoundError(f"there is no ring with id {ring_id}", "ring")
            if self._has_grant(cursor, user_id, chosen, ags, ring_id):
                what = describe_grant(chosen, ags, ring_id)
                raise AccountConflictError(f"{name} is already {what}", "role")
            now = utc_now()
            cursor.execute(
                "INSERT INTO user_grant (user_id, role, ags, ring_id, granted_at, granted_by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [user_id, chosen.value, ags, ring_id, now, actor],
            )
            audit.record(
                cursor,
                actor,
                "role.granted",
                "user",
                name,
                {"role": chosen.value, "ags": ags, "ring_id": ring_id},
            )
            return Grant(chosen, ags, ring_id, now, actor)

        return self._store.write(unit)

    def revoke(
        self,
        username: str,
        role: str | Role,
        actor: str,
        *,
        ags: str | None = None,
        ring_id: int | None = None,
    ) -> None:
        name, chosen, ags = _checked_grant(username, role, ags, ring_id)

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            user_id = self._user_id(cursor, name)
            if not self._has_grant(cursor, user_id, chosen, ags, ring_id):
                what = describe_grant(chosen, ags, ring_id)
                raise AccountNotFoundError(f"{name} is not {what}", "role")
            cursor.execute(
                "DELETE FROM user_grant WHERE user_id = ? AND role = ? "
                "AND ags IS NOT DISTINCT FROM ? AND ring_id IS NOT DISTINCT FROM ?",
                [user_id, chosen.value, ags, ring_id],
            )
            audit.record(
                cursor,
                actor,
                "role.revoked",
                "user",
                name,
                {"role": chosen.value, "ags": ags, "ring_id": ring_id},
            )

        self._store.write(unit)

    # sign-in bookkeeping (used by nhm.auth.signin)

    def credentials(self, username: str) -> tuple[Account, str | None] | None:
        """The account and its password hash, for checking a sign-in only."""
        account = self.get(username)
        if account is None:
            return None
        with self._store.cursor() as cursor:
            row = cursor.execute(
                "SELECT password_hash FROM user_account WHERE id = ?", [account.id]
            ).fetchone()
        return (account, row[0]) if row else None

    def record_sign_in(self, username: str, now: datetime, new_hash: str | None) -> None:
        """A successful sign-in: reset the failures, note the time, store a rehashed password."""
        name = normalise_username(username)

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            self._update(
                cursor,
                name,
                "failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = ?"
                + (", password_hash = ?" if new_hash else ""),
                [now, *([new_hash] if new_hash else [])],
                touch=False,
            )
            detail = {"rehashed": True} if new_hash else None
            audit.record(cursor, name, "auth.sign_in", "user", name, detail)

        self._store.write(unit)

    def record_failed_sign_in(
        self,
        username: str,
        reason: str,
        now: datetime,
        lock_for: Callable[[int], timedelta | None] | None = None,
        detail: dict[str, Any] | None = None,
    ) -> tuple[int, datetime | None]:
        """Audit a refused sign-in. With ``lock_for`` (a wrong password of an existing account)
        the failure is counted and, if ``lock_for(failures)`` says so, the account locked.
        Returns (consecutive failures, locked until)."""
        name = normalise_username(username)[:64]
        detail = detail or {}

        def unit(cursor: duckdb.DuckDBPyConnection) -> tuple[int, datetime | None]:
            failures, until = 0, None
            if lock_for is not None:
                row = cursor.execute(
                    "UPDATE user_account SET failed_sign_ins = failed_sign_ins + 1 "
                    "WHERE username = ? RETURNING failed_sign_ins",
                    [name],
                ).fetchone()
                failures = int(row[0]) if row else 0
                duration = lock_for(failures) if row else None
                if duration is not None:
                    until = now + duration
                    cursor.execute(
                        "UPDATE user_account SET locked_until = ? WHERE username = ?",
                        [until, name],
                    )
            audit.record(
                cursor,
                name,
                "auth.sign_in_failed",
                "user",
                name,
                {"reason": str(reason), **({"failures": failures} if failures else {}), **detail},
            )
            if until is not None:
                seconds = int((until - now).total_seconds())
                audit.record(
                    cursor,
                    name,
                    "auth.locked",
                    "user",
                    name,
                    {"failures": failures, "locked_until": until, "seconds": seconds},
                )
            return failures, until

        return self._store.write(unit)

    # helpers

    @staticmethod
    def _user_id(cursor: duckdb.DuckDBPyConnection, name: str) -> int:
        row = cursor.execute("SELECT id FROM user_account WHERE username = ?", [name]).fetchone()
        if row is None:
            raise AccountNotFoundError(f"there is no user {name!r}", "username")
        return int(row[0])

    @staticmethod
    def _has_grant(
        cursor: duckdb.DuckDBPyConnection,
        user_id: int,
        role: Role,
        ags: str | None,
        ring_id: int | None,
    ) -> bool:
        return (
            cursor.execute(
                "SELECT 1 FROM user_grant WHERE user_id = ? AND role = ? "
                "AND ags IS NOT DISTINCT FROM ? AND ring_id IS NOT DISTINCT FROM ?",
                [user_id, role.value, ags, ring_id],
            ).fetchone()
            is not None
        )

    def _update(
        self,
        cursor: duckdb.DuckDBPyConnection,
        name: str,
        assignments: str,
        params: list[Any],
        *,
        touch: bool = True,
    ) -> None:
        extra = ", updated_at = ?" if touch else ""
        row = cursor.execute(
            f"UPDATE user_account SET {assignments}{extra} WHERE username = ? RETURNING id",
            [*params, *([utc_now()] if touch else []), name],
        ).fetchone()
        if row is None:
            raise AccountNotFoundError(f"there is no user {name!r}", "username")
