"""The DuckDB file: opening it once per process, migrations, cursors and transactions.

DuckDB 2.x rules this module follows: one read-write connection per process; every caller
works on its own cursor (a shared connection refuses concurrent calls); every write unit is
one transaction; results are fetched completely before the cursor runs the next statement.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import duckdb

from nhm.store.errors import DatabaseLockedError, DatabaseUnavailableError, SchemaTooNewError

if TYPE_CHECKING:
    from nhm.store.assessments import AssessmentRepository
    from nhm.store.audit import AuditRepository
    from nhm.store.municipalities import MunicipalityRepository
    from nhm.store.rings import RingRepository

_LOCK_MESSAGE = re.compile(r"Conflicting lock is held in (?P<holder>.+?) \(PID (?P<pid>\d+)\)")
_MIGRATION_NAME = re.compile(r"^(?P<number>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")
_CONFLICT_RETRIES = 3
T = TypeVar("T")


def utc_now() -> datetime:
    """The current time as naive UTC, the form every TIMESTAMP column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def migrations() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped with nhm: (number, name, SQL), in order."""
    found = []
    for entry in resources.files("nhm.store.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match["number"]), match["name"], entry.read_text("utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1, 2, 3 … without gaps: {numbers}")
    return found


class Store:
    """An open nhm database. Create it with :func:`open_store`; share one per process."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._connection = connection
        self.path = path
        self._lock = threading.Lock()
        # One write unit at a time: DuckDB admits a single writing process, so this lock
        # orders every write to the file; concurrent units on one row would otherwise keep
        # failing with write-write conflicts (or duplicate keys) faster than retries recover.
        self._write_lock = threading.RLock()
        self._closed = False
        from nhm.store.assessments import AssessmentRepository
        from nhm.store.audit import AuditRepository
        from nhm.store.municipalities import MunicipalityRepository
        from nhm.store.rings import RingRepository

        self.municipalities: MunicipalityRepository = MunicipalityRepository(self)
        self.assessments: AssessmentRepository = AssessmentRepository(self)
        self.rings: RingRepository = RingRepository(self)
        self.audit: AuditRepository = AuditRepository(self)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one caller (thread, session or call); closed afterwards."""
        with self._lock:  # creating cursors is the only use of the shared connection
            if self._closed:
                raise DatabaseUnavailableError(self.path, f"the database {self.path} is closed")
            cursor = self._connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    @contextmanager
    def transaction(self, *, commit: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: committed on success, rolled back on any error.

        With ``commit=False`` it is always rolled back: a dry run through the real write path.
        """
        with self.cursor() as cursor:
            cursor.begin()
            try:
                yield cursor
            except BaseException:
                cursor.rollback()
                raise
            if commit:
                cursor.commit()
            else:
                cursor.rollback()

    def write(self, unit: Callable[[duckdb.DuckDBPyConnection], T], *, commit: bool = True) -> T:
        """Run ``unit(cursor)`` in a transaction, retrying when DuckDB reports a write-write
        conflict with a concurrent transaction (the unit re-reads and re-checks versions).
        Units of this store run one after another (see ``_write_lock``)."""
        with self._write_lock:
            for attempt in range(_CONFLICT_RETRIES):
                try:
                    with self.transaction(commit=commit) as cursor:
                        return unit(cursor)
                except duckdb.TransactionException:
                    if attempt == _CONFLICT_RETRIES - 1:
                        raise
        raise AssertionError("unreachable")

    def schema_version(self) -> int:
        with self.cursor() as cursor:
            row = cursor.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def checkpoint(self) -> None:
        """Write the WAL into the database file after large imports. Only an optimisation:
        when a concurrent write transaction is active, DuckDB checkpoints later by itself."""
        with self.cursor() as cursor, suppress(duckdb.TransactionException):
            cursor.execute("CHECKPOINT")

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: str | Path) -> Store:
    """Open (or create) the database at ``path`` and bring its schema up to date.

    Raises DatabaseLockedError when another process holds the file, SchemaTooNewError for a file
    from a newer nhm and DatabaseUnavailableError for anything else that is not a usable file.
    """
    path = Path(path)
    if path.is_dir():
        raise DatabaseUnavailableError(path, f"{path} is a folder, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailableError(
            path, f"cannot create the folder for the database {path}: {exc.strerror}"
        ) from None
    try:
        connection = duckdb.connect(
            str(path),
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
        )
    except duckdb.IOException as exc:
        raise _explain_open_error(path, exc) from None
    except duckdb.Error as exc:
        raise DatabaseUnavailableError(
            path, f"cannot open the database {path}: {_first_line(exc)}"
        ) from None
    try:
        connection.execute("SET TimeZone = 'UTC'")
        _migrate(connection, path)
    except BaseException:
        connection.close()
        raise
    return Store(connection, path)


def _explain_open_error(path: Path, exc: duckdb.Error) -> DatabaseUnavailableError:
    message = str(exc)
    lock = _LOCK_MESSAGE.search(message)
    if lock:
        return DatabaseLockedError(path, lock["holder"], int(lock["pid"]))
    if "not a valid DuckDB database file" in message:
        return DatabaseUnavailableError(
            path, f"{path} exists but is not an nhm database (not a DuckDB file)"
        )
    if "older" in message.lower() or "newer" in message.lower() or "version" in message.lower():
        return DatabaseUnavailableError(
            path, f"{path} was written by another DuckDB version: {_first_line(exc)}"
        )
    return DatabaseUnavailableError(path, f"cannot open the database {path}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _migrate(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Apply every migration the file does not have yet, each in its own transaction."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    row = connection.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    current = int(row[0]) if row else 0
    available = migrations()
    if current > len(available):
        raise SchemaTooNewError(
            path,
            f"the database {path} has schema version {current}, but this nhm knows only up to "
            f"{len(available)}: update nhm to open it",
        )
    for number, name, sql in available[current:]:
        connection.begin()
        try:
            connection.execute(sql)
            connection.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)", [number, name, utc_now()]
            )
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
