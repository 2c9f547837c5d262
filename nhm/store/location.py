"""Where the database file lives: ``--db``, else ``NHM_DB``, else the per-user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_ENV = "NHM_DB"
DEFAULT_FILE_NAME = "nhm.duckdb"


def default_db_path() -> Path:
    """The per-user database (e.g. ~/.local/share/nhm/nhm.duckdb on Linux)."""
    return Path(platformdirs.user_data_dir("nhm", appauthor=False)) / DEFAULT_FILE_NAME


def resolve_db_path(explicit: str | Path | None = None) -> Path:
    """The database path to use: an explicit path wins over ``NHM_DB`` over the default."""
    if explicit not in (None, ""):
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()
