"""What can go wrong in the store, as exceptions a command or page can explain to a user."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class: a message meant for the user, without a traceback."""


class DatabaseUnavailableError(StoreError):
    """The database file cannot be opened (held by another process, not a database, …)."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(message)


class DatabaseLockedError(DatabaseUnavailableError):
    """Another process holds the database file for writing."""

    def __init__(self, path: Path, holder: str | None, pid: int | None) -> None:
        self.holder = holder
        self.pid = pid
        who = f"{holder} (PID {pid})" if holder and pid else "another process"
        super().__init__(
            path,
            f"the database {path} is in use by {who}. DuckDB lets only one process write a "
            "database file: stop that process (for example a running `nhm serve` or `nhm demo`) "
            "or use another file with --db.",
        )


class SchemaTooNewError(DatabaseUnavailableError):
    """The file was written by a newer nhm."""


class NotFoundError(StoreError):
    """The requested record does not exist."""


class ConflictError(StoreError):
    """The write contradicts what is stored (e.g. a revision that already exists)."""


class StaleWriteError(ConflictError):
    """Someone else changed the record since it was read: the write is refused, not merged."""


class ReadOnlyError(ConflictError):
    """The record is frozen (a submitted assessment)."""


class InvalidDataError(StoreError, ValueError):
    """The values do not fit the catalog or the rules (e.g. N/A where it is not allowed)."""
