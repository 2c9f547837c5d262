"""Checking a principal's rights before reading or changing data, and logging every refusal.

The app and the CLI (``--as USER``) call these checks on the server side before they read or
write anything of a municipality or a ring; what the screen offers is only a convenience on
top. A refusal raises :class:`AccessDenied` and appends ``access.denied`` to the audit log with
what was tried and by which route (``via``: a view, a query parameter, a CLI command, …).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from nhm.auth.principal import Principal
from nhm.store import audit
from nhm.store.errors import StoreError

if TYPE_CHECKING:
    import duckdb

    from nhm.store.database import Store

DENIED_ACTION = "access.denied"


class Right(StrEnum):
    read = "read"
    edit = "edit"
    coordinate = "coordinate"
    admin = "admin"


class AccessDenied(StoreError):  # noqa: N818 - reads as what happened
    """The principal may not do this; already logged as ``access.denied``."""

    def __init__(self, message: str, right: Right, target: str) -> None:
        super().__init__(message)
        self.right = right
        self.target = target


def actor_name(principal: Principal) -> str:
    """How the principal appears in the audit log."""
    return principal.username


def log_denied(
    store: Store,
    principal: Principal,
    right: Right,
    entity: str,
    key: str,
    via: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one ``access.denied`` entry (in its own transaction)."""

    def unit(cursor: duckdb.DuckDBPyConnection) -> None:
        audit.record(
            cursor,
            actor_name(principal),
            DENIED_ACTION,
            entity,
            key,
            {"right": right.value, "via": via, **(detail or {})},
        )

    store.write(unit)


def _refuse(
    store: Store, principal: Principal, right: Right, entity: str, key: str, via: str
) -> AccessDenied:
    log_denied(store, principal, right, entity, key, via)
    what = {
        Right.read: f"read the data of municipality {key}",
        Right.edit: f"change the data of municipality {key}",
        Right.coordinate: f"run ring {key}",
        Right.admin: "administer nhm",
    }[right]
    return AccessDenied(f"{principal.username} may not {what}", right, key)


def require_read(store: Store, principal: Principal, ags: str, via: str) -> None:
    if not principal.can_read(ags):
        raise _refuse(store, principal, Right.read, "municipality", ags, via)


def require_edit(store: Store, principal: Principal, ags: str, via: str) -> None:
    if not principal.can_edit(ags):
        raise _refuse(store, principal, Right.edit, "municipality", ags, via)


def require_coordinate(store: Store, principal: Principal, ring_id: int, via: str) -> None:
    if not principal.can_coordinate(ring_id):
        raise _refuse(store, principal, Right.coordinate, "ring", str(ring_id), via)


def require_admin(store: Store, principal: Principal, via: str) -> None:
    if not principal.is_admin:
        raise _refuse(store, principal, Right.admin, "nhm", "admin", via)


def record_export(
    store: Store,
    principal: Principal,
    kind: str,
    entity: str,
    key: str,
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> None:
    """Log that data left nhm (``export.<kind>``: a download, a report, an export file).
    ``actor`` overrides how the principal is named (the app's local user is "… (App)")."""

    def unit(cursor: duckdb.DuckDBPyConnection) -> None:
        who = actor or actor_name(principal)
        audit.record(cursor, who, f"export.{kind}", entity, key, detail)

    store.write(unit)
