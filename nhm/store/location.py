"""Where the database file lives: ``--db``, else ``NHM_DB``, else the per-user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_ENV = "NHM_DB"
DEFAULT_FILE_NAME = "nhm.duckdb"
DEMO_FILE_NAME = "nhm-demo.duckdb"


def user_data_folder() -> Path:
    """The per-user data folder (e.g. ~/.local/share/nhm on Linux)."""
    return Path(platformdirs.user_data_dir("nhm", appauthor=False))


def default_db_path() -> Path:
    """The per-user database (e.g. ~/.local/share/nhm/nhm.duckdb on Linux)."""
    return user_data_folder() / DEFAULT_FILE_NAME


def demo_db_path() -> Path:
    """The demo database of ``nhm demo``, beside the per-user database. Kept apart from it (and
    not moved by ``NHM_DB``), so fictional data never lands in a real database by accident."""
    return user_data_folder() / DEMO_FILE_NAME


def resolve_db_path(explicit: str | Path | None = None) -> Path:
    """The database path to use: an explicit path wins over ``NHM_DB`` over the default."""
    if explicit not in (None, ""):
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()
