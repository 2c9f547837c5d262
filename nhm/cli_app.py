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
from typing import TYPE_CHECKING, Annotated

import typer

from nhm.auth.settings import AuthMode, AuthSettingsError, auth_mode
from nhm.cli_data import DbOption, fail, opened_store
from nhm.store.location import DB_ENV, resolve_db_path

if TYPE_CHECKING:
    from nhm.auth.accounts import Account
    from nhm.store import Store

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
        "then set NHM_AUTH=accounts or oidc so that users must sign in, and put a TLS proxy "
        "in front).",
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


def check_auth_mode() -> AuthMode:
    """The sign-in mode from NHM_AUTH; an unknown value stops before anything is written."""
    try:
        return auth_mode()
    except AuthSettingsError as exc:
        raise fail(str(exc)) from None


def check_demo_auth() -> None:
    """``nhm demo`` serves a single local user: a demo database has no accounts to sign in
    with, so a sign-in mode in the environment stops it at once, saying how to try one."""
    mode = check_auth_mode()
    if mode is not AuthMode.none:
        raise fail(
            f"NHM_AUTH={mode.value}: nhm demo runs without sign-in. Unset NHM_AUTH, or try "
            "sign-in on demo data: `nhm demo --setup-only`, add an administrator to the demo "
            "database with `nhm users add … --db <demo database>` and `nhm users grant … "
            f"--role admin --db <demo database>`, then `NHM_AUTH={mode.value} nhm serve --db "
            "<demo database>` (see docs/accounts.md)"
        )


def check_accounts_ready(store: Store, mode: AuthMode) -> None:
    """With sign-in on, refuse to serve an app nobody can sign in to: there must be an
    administrator who can (a password for NHM_AUTH=accounts, an e-mail address for oidc)."""
    if mode is AuthMode.none:
        return
    from nhm.auth.accounts import AccountRepository, Role

    def usable(account: Account) -> bool:
        can_sign_in = account.has_password if mode is AuthMode.accounts else bool(account.email)
        return can_sign_in and not account.disabled

    admins = [
        account
        for account in AccountRepository(store).list()
        if usable(account) and any(grant.role is Role.admin for grant in account.grants)
    ]
    if not admins:
        how = "a password" if mode is AuthMode.accounts else "an e-mail address"
        raise fail(
            f"NHM_AUTH={mode.value}: no enabled administrator account with {how}, so nobody "
            "could sign in and manage the app. Add one first, e.g. "
            "`nhm users add admin --email you@example.org` and "
            "`nhm users grant admin --role admin` (see docs/accounts.md)"
        )


def run_app(db: Path, port: int, address: str = "localhost") -> None:
    """Serve the app on ``db`` until interrupted (Ctrl+C)."""
    mode = check_auth_mode()
    with opened_store(db) as store:  # closed again before Streamlit opens the file
        check_accounts_ready(store, mode)
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
