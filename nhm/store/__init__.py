"""The store: an embedded DuckDB file, its migrations and the repositories that write it."""

from nhm.store.database import Store, open_store
from nhm.store.errors import (
    ConflictError,
    DatabaseLockedError,
    DatabaseUnavailableError,
    InvalidDataError,
    NotFoundError,
    ReadOnlyError,
    StaleWriteError,
    StoreError,
)
from nhm.store.location import resolve_db_path

__all__ = [
    "ConflictError",
    "DatabaseLockedError",
    "DatabaseUnavailableError",
    "InvalidDataError",
    "NotFoundError",
    "ReadOnlyError",
    "StaleWriteError",
    "Store",
    "StoreError",
    "open_store",
    "resolve_db_path",
]
