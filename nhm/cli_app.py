"""``nhm serve`` and the serving part of ``nhm demo``: the Streamlit app on a database.

The app runs in a Streamlit server process of its own; the database path reaches it through
``NHM_DB``. The server holds the DuckDB file while it runs (one writing process per file), so
other ``nhm`` commands on the same file wait until it is stopped.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from nhm.cli_data import DbOption, fail, opened_store
from nhm.store.location import DB_ENV, resolve_db_path

ENTRY_SCRIPT = Path(__file__).resolve().parent / "ui" / "entry.py"
DEFAULT_PORT = 8501

PortOption = Annotated[
    int, typer.Option("--port", help="Port of the app on this computer (1024–65535).")
]
AddressOption = Annotated[
    str,
    typer.Option(
        "--address",
        help="Address to listen on: localhost (only this computer) or 0.0.0.0 (the network; "
        "there is no sign-in yet, so only on a trusted network).",
    ),
]


def check_port(port: int, address: str) -> None:
    """Refuse a port out of range or already taken, naming it (before starting a server)."""
    if not 1024 <= port <= 65535:
        raise fail(f"--port: expected a number 1024–65535, found {port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1" if address == "localhost" else address, port))
        except OSError as exc:
            raise fail(
                f"--port: port {port} is not free ({exc.strerror}); choose another with --port"
            ) from None


def check_auth_mode() -> None:
    """Refuse to serve when NHM_AUTH asks for sign-in: the app cannot ask for it yet, and
    serving it open would give everyone every right the setting was meant to restrict."""
    from nhm.auth.settings import AuthMode, AuthSettingsError, auth_mode

    try:
        mode = auth_mode()
    except AuthSettingsError as exc:
        raise fail(str(exc)) from None
    if mode is not AuthMode.none:
        raise fail(
            f"NHM_AUTH={mode.value}: the app cannot ask for sign-in yet (accounts and roles "
            "exist for the command line, see docs/accounts.md); unset NHM_AUTH to serve the "
            "app for a single local user"
        )


def run_app(db: Path, port: int, address: str = "localhost") -> None:
    """Serve the app on ``db`` until interrupted (Ctrl+C)."""
    check_auth_mode()
    check_port(port, address)
    host = "localhost" if address in {"localhost", "127.0.0.1"} else address
    typer.echo(f"nhm app on {db}")
    typer.echo(f"Open http://{host}:{port} in your browser (stop with Ctrl+C).")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ENTRY_SCRIPT),
        f"--server.port={port}",
        f"--server.address={address}",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--theme.base=light",
        "--client.toolbarMode=viewer",  # no "Deploy" button or developer menu for users
    ]
    environment = {**os.environ, DB_ENV: str(db)}
    server = subprocess.Popen(command, env=environment)

    def stop(signum: int, _frame: object) -> None:
        # a service manager or `kill` stops nhm: stop Streamlit too, or it keeps the port
        # and the database lock
        server.send_signal(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        returncode = server.wait()
    except KeyboardInterrupt:  # Ctrl+C reaches Streamlit too (same process group)
        server.wait()
        return
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if returncode not in (0, -2, -15, 130, 143):
        raise typer.Exit(returncode)


def serve_command(
    db: DbOption = None,
    port: PortOption = DEFAULT_PORT,
    address: AddressOption = "localhost",
) -> None:
    """Serve the app on a database (default $NHM_DB, else nhm.duckdb in your data folder)."""
    check_auth_mode()  # before the database is created or migrated
    path = resolve_db_path(db)
    with opened_store(path):  # create and migrate it now, so errors show here, not in a browser
        pass
    run_app(path, port, address)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
