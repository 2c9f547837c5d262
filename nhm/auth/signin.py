"""Signing in with user name and password, lock-out after repeated failures, session expiry.

Lock-out: after 5 consecutive failed sign-ins an account is locked for 30 seconds; every
further failure (after the lock has ended) locks it twice as long, up to 15 minutes. A sign-in
during a lock-out is refused without checking the password. A success resets the count.

Unknown user names cost the same time as known ones: the password is verified against a dummy
hash with the same parameters. Every attempt is audited (``auth.sign_in``,
``auth.sign_in_failed`` with the reason, ``auth.locked``), never with the password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from argon2 import PasswordHasher

from nhm.auth import passwords
from nhm.auth.accounts import USERNAME_PATTERN, AccountRepository, normalise_username
from nhm.auth.principal import Principal
from nhm.store.database import utc_now

if TYPE_CHECKING:
    from nhm.store.database import Store

FAILURES_BEFORE_LOCK = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(minutes=15)
SESSION_IDLE = timedelta(minutes=30)
SESSION_ABSOLUTE = timedelta(hours=12)
INVALID_NAME = "(invalid user name)"
"""Logged instead of input that cannot be a user name (it may be a mistyped password)."""


class RefusalReason(StrEnum):
    unknown_user = "unknown_user"
    wrong_password = "wrong_password"
    no_password = "no_password"  # an OIDC account
    disabled = "disabled"
    locked = "locked"


@dataclass(frozen=True)
class Refusal:
    """A refused sign-in. ``message`` is for the user: it does not tell unknown user names,
    wrong passwords and password-less accounts apart."""

    reason: RefusalReason
    locked_until: datetime | None = None

    @property
    def message(self) -> str:
        if self.reason is RefusalReason.locked and self.locked_until is not None:
            return (
                "Too many failed sign-ins: this account is locked until "
                f"{self.locked_until:%Y-%m-%d %H:%M:%S} UTC."
            )
        if self.reason is RefusalReason.disabled:
            return "This account is disabled. Ask an administrator."
        if self.locked_until is not None:
            return (
                "The user name or the password is wrong. Too many failed sign-ins: the account "
                f"is locked until {self.locked_until:%Y-%m-%d %H:%M:%S} UTC."
            )
        return "The user name or the password is wrong."


def lock_duration(failures: int) -> timedelta | None:
    """How long the account is locked after ``failures`` consecutive failures (None: not)."""
    if failures < FAILURES_BEFORE_LOCK:
        return None
    doublings = failures - FAILURES_BEFORE_LOCK
    if doublings >= 16:  # far past the cap; avoids huge numbers
        return LONGEST_LOCK
    return min(FIRST_LOCK * 2**doublings, LONGEST_LOCK)


def authenticate(
    store: Store,
    username: str,
    password: str,
    now: datetime | None = None,
    *,
    hasher: PasswordHasher | None = None,
) -> Principal | Refusal:
    """Check a sign-in with user name and password; the principal, or why it was refused.

    ``now`` (naive UTC) decides lock-outs; tests inject it. ``hasher`` defaults to production.
    """
    now = now or utc_now()
    accounts = AccountRepository(store, hasher)
    name = normalise_username(username)
    valid_name = USERNAME_PATTERN.fullmatch(name) is not None
    found = accounts.credentials(name) if valid_name else None
    if found is not None and found[0].is_locked(now):
        until = found[0].locked_until
        accounts.record_failed_sign_in(
            name, RefusalReason.locked, now, detail={"locked_until": until}
        )
        return Refusal(RefusalReason.locked, until)
    password_hash = found[1] if found is not None else None
    matches = passwords.verify_password(
        password_hash or passwords.dummy_hash(accounts.hasher), password, accounts.hasher
    )
    if found is None:
        accounts.record_failed_sign_in(
            name if valid_name else INVALID_NAME, RefusalReason.unknown_user, now
        )
        return Refusal(RefusalReason.unknown_user)
    account = found[0]
    if password_hash is None:
        accounts.record_failed_sign_in(name, RefusalReason.no_password, now)
        return Refusal(RefusalReason.no_password)
    if not matches:
        _, until = accounts.record_failed_sign_in(
            name, RefusalReason.wrong_password, now, lock_for=lock_duration
        )
        return Refusal(RefusalReason.wrong_password, until)
    if account.disabled:
        accounts.record_failed_sign_in(name, RefusalReason.disabled, now)
        return Refusal(RefusalReason.disabled)
    rehashed = None
    if passwords.needs_rehash(password_hash, accounts.hasher):
        rehashed = passwords.hash_password(password, accounts.hasher)
    accounts.record_sign_in(name, now, rehashed)
    return account.principal()


def session_valid(
    started_at: datetime,
    last_seen_at: datetime,
    now: datetime,
    idle: timedelta = SESSION_IDLE,
    absolute: timedelta = SESSION_ABSOLUTE,
) -> bool:
    """Whether a session may go on: seen within ``idle`` and started within ``absolute``."""
    return now - last_seen_at < idle and now - started_at < absolute
