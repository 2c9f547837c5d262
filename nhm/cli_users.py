"""``nhm users`` (accounts and their roles) and ``nhm audit`` (the audit log).

The accounts are used when the app runs with NHM_AUTH=accounts or oidc; see docs/accounts.md.
Passwords are read from a hidden prompt (twice) or, with --password-stdin, from the first
line of standard input – never from the command line, where other users could see them.

With --as USER every command here needs an admin account (the audit log then names it as the
actor); without it the local user acts, with every right.

Exit codes as for the other data commands: 0 done, 1 invalid input or refused (nothing
written), 2 the database cannot be used.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

import typer

from nhm.auth.access import Right
from nhm.auth.principal import Principal
from nhm.cli_data import (
    AsOption,
    DbOption,
    JsonOption,
    acting_principal,
    actor_of,
    fail,
    opened_store,
    require,
)
from nhm.store import Store, StoreError

users_app = typer.Typer(
    help="User accounts and roles (for NHM_AUTH=accounts or oidc): add, list, grant, revoke, "
    "set-password, unlock, disable, enable, remove.",
    no_args_is_help=True,
)

UsernameArgument = Annotated[
    str, typer.Argument(help="User name (3–64 of a–z 0–9 . _ @ -).", show_default=False)
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]
RoleOption = Annotated[
    str,
    typer.Option(
        "--role", metavar="admin|editor|viewer|coordinator", help="The role.", show_default=False
    ),
]
AgsOption = Annotated[
    str | None,
    typer.Option("--ags", help="8-digit AGS of the municipality (editor, viewer)."),
]
RingOption = Annotated[
    str | None, typer.Option("--ring", help="The ring, by id or name (coordinator).")
]

_OPTIONS = {
    "username": "USERNAME",
    "email": "--email",
    "display_name": "--name",
    "role": "--role",
    "ags": "--ags",
    "ring": "--ring",
}


def _refuse(exc: StoreError, password_source: str = "password") -> typer.Exit:
    """A store error as "error: OPTION: message", naming the argument that was wrong."""
    from nhm.auth.passwords import PasswordPolicyError

    if isinstance(exc, PasswordPolicyError):
        return fail(f"{password_source}: {exc}")
    option = _OPTIONS.get(getattr(exc, "field", ""), "")
    return fail(f"{option}: {exc}" if option else str(exc))


def _read_password(from_stdin: bool) -> tuple[str, str]:
    """The new password and how to name its source in an error message."""
    if from_stdin:
        line = typer.get_text_stream("stdin").readline().rstrip("\r\n")
        if not line:
            raise fail("--password-stdin: standard input holds no password")
        return line, "--password-stdin"
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password, "password"


def _check_username(username: str) -> str:
    from nhm.auth.accounts import check_username

    try:
        return check_username(username)
    except StoreError as exc:
        raise _refuse(exc) from None


def _ring_id(store: Store, text: str | None) -> int | None:
    if text is None:
        return None
    value = text.strip()
    if value.isdigit():
        return int(value)
    for ring in store.rings.list():
        if ring.name.casefold() == value.casefold():
            return ring.id
    raise fail(f"--ring: there is no ring with id or name {text!r} (see `nhm ring list`)")


def _admin(store: Store, as_user: str | None, command: str) -> Principal:
    """The acting principal, once it is known to be an admin (else refused and logged)."""
    who = acting_principal(store, as_user)
    require(store, who, Right.admin, f"nhm {command}")
    return who


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _account_json(account: Any, now: datetime) -> dict[str, Any]:
    return {
        "username": account.username,
        "display_name": account.display_name,
        "email": account.email,
        "password": account.has_password,
        "disabled": account.disabled,
        "locked_until": _time(account.locked_until) if account.is_locked(now) else None,
        "failed_sign_ins": account.failed_sign_ins,
        "last_sign_in_at": _time(account.last_sign_in_at),
        "created_at": _time(account.created_at),
        "created_by": account.created_by,
        "grants": [grant.to_dict() for grant in account.grants],
    }


# --- commands ---------------------------------------------------------------------------------


@users_app.command("add")
def add_command(
    username: UsernameArgument,
    email: Annotated[str | None, typer.Option("--email", help="E-mail address.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    password_stdin: PasswordStdinOption = False,
    no_password: Annotated[
        bool,
        typer.Option("--no-password", help="No password: the user signs in through OIDC only."),
    ] = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add a user account (it has no role until one is granted)."""
    from nhm.auth.accounts import AccountRepository, check_display_name, check_email

    if password_stdin and no_password:
        raise fail("give either --password-stdin or --no-password, not both")
    username = _check_username(username)
    try:
        check_email(email)
        check_display_name(name)
    except StoreError as exc:
        raise _refuse(exc) from None
    with opened_store(db) as store:
        who = _admin(store, as_user, "users add")  # before asking for a password
        password, source = (None, "password") if no_password else _read_password(password_stdin)
        try:
            account = AccountRepository(store).add(
                username, actor_of(who), email=email, display_name=name, password=password
            )
        except StoreError as exc:
            raise _refuse(exc, source) from None
    typer.echo(f"added user {account.username}" + (" (no password)" if no_password else ""))
    typer.echo(f"next: nhm users grant {account.username} --role ROLE [--ags AGS]", err=True)


@users_app.command("list")
def list_command(
    as_json: JsonOption = False, as_user: AsOption = None, db: DbOption = None
) -> None:
    """List the user accounts with their roles (never their password hashes)."""
    from nhm.auth.accounts import AccountRepository
    from nhm.store.database import utc_now

    now = utc_now()
    with opened_store(db) as store:
        _admin(store, as_user, "users list")
        accounts = AccountRepository(store).list()
    if as_json:
        data = [_account_json(a, now) for a in accounts]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not accounts:
        typer.echo("No user accounts. Add one with: nhm users add USERNAME")
        return
    for a in accounts:
        state = []
        if a.disabled:
            state.append("disabled")
        if a.is_locked(now):
            state.append(f"locked until {_time(a.locked_until)}")
        if not a.has_password:
            state.append("no password")
        shown = f" ({a.display_name})" if a.display_name else ""
        email = f" <{a.email}>" if a.email else ""
        flags = f"  [{', '.join(state)}]" if state else ""
        roles = ", ".join(g.describe() for g in a.grants) or "no roles"
        last = _time(a.last_sign_in_at) or "never"
        typer.echo(f"{a.username}{shown}{email}: {roles}; last sign-in {last}{flags}")


@users_app.command("remove")
def remove_command(
    username: UsernameArgument, as_user: AsOption = None, db: DbOption = None
) -> None:
    """Remove a user account and all its roles (the audit log keeps its history)."""
    from nhm.auth.accounts import AccountRepository

    username = _check_username(username)
    with opened_store(db) as store:
        who = _admin(store, as_user, "users remove")
        try:
            AccountRepository(store).remove(username, actor_of(who))
        except StoreError as exc:
            raise _refuse(exc) from None
    typer.echo(f"removed user {username}")


@users_app.command("set-password")
def set_password_command(
    username: UsernameArgument,
    password_stdin: PasswordStdinOption = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Set a user's password (the lock-out stays; end it with `nhm users unlock`)."""
    from nhm.auth.accounts import AccountRepository

    username = _check_username(username)
    with opened_store(db) as store:
        who = _admin(store, as_user, "users set-password")
        accounts = AccountRepository(store)
        try:
            accounts.require(username)  # before asking for a password
        except StoreError as exc:
            raise _refuse(exc) from None
        password, source = _read_password(password_stdin)
        try:
            accounts.set_password(username, password, actor_of(who))
        except StoreError as exc:
            raise _refuse(exc, source) from None
    typer.echo(f"set the password of {username}")


def _grant_arguments(
    store: Store, ags: str | None, ring: str | None
) -> tuple[str | None, int | None]:
    return (ags.strip() if ags is not None else None), _ring_id(store, ring)


@users_app.command("grant")
def grant_command(
    username: UsernameArgument,
    role: RoleOption,
    ags: AgsOption = None,
    ring: RingOption = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Grant a role: editor or viewer of a municipality (--ags), coordinator of a ring
    (--ring), or admin."""
    _change_grant(username, role, ags, ring, as_user, db, revoke=False)


@users_app.command("revoke")
def revoke_command(
    username: UsernameArgument,
    role: RoleOption,
    ags: AgsOption = None,
    ring: RingOption = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Take back a role granted with the same --role, --ags and --ring."""
    _change_grant(username, role, ags, ring, as_user, db, revoke=True)


def _change_grant(
    username: str,
    role: str,
    ags: str | None,
    ring: str | None,
    as_user: str | None,
    db: Any,
    *,
    revoke: bool,
) -> None:
    from nhm.auth.accounts import AccountRepository, check_role, describe_grant

    username = _check_username(username)
    try:
        chosen = check_role(role)
    except StoreError as exc:
        raise _refuse(exc) from None
    with opened_store(db) as store:
        who = _admin(store, as_user, f"users {'revoke' if revoke else 'grant'}")
        ags_value, ring_id = _grant_arguments(store, ags, ring)
        accounts = AccountRepository(store)
        change = accounts.revoke if revoke else accounts.grant
        try:
            change(username, chosen, actor_of(who), ags=ags_value, ring_id=ring_id)
        except StoreError as exc:
            raise _refuse(exc) from None
    what = describe_grant(chosen, ags_value, ring_id)
    typer.echo(f"{username} is no longer {what}" if revoke else f"{username} is now {what}")


def _simple(username: str, as_user: str | None, db: Any, action: str) -> None:
    from nhm.auth.accounts import AccountRepository

    username = _check_username(username)
    with opened_store(db) as store:
        actor = actor_of(_admin(store, as_user, f"users {action}"))
        accounts = AccountRepository(store)
        try:
            if action == "unlock":
                accounts.unlock(username, actor)
            else:
                accounts.set_disabled(username, action == "disable", actor)
        except StoreError as exc:
            raise _refuse(exc) from None


@users_app.command("unlock")
def unlock_command(
    username: UsernameArgument, as_user: AsOption = None, db: DbOption = None
) -> None:
    """End a user's lock-out after failed sign-ins and reset the count."""
    _simple(username, as_user, db, "unlock")
    typer.echo(f"unlocked {_check_username(username)}")


@users_app.command("disable")
def disable_command(
    username: UsernameArgument, as_user: AsOption = None, db: DbOption = None
) -> None:
    """Disable a user account: it cannot sign in; its roles are kept."""
    _simple(username, as_user, db, "disable")
    typer.echo(f"disabled {_check_username(username)}")


@users_app.command("enable")
def enable_command(
    username: UsernameArgument, as_user: AsOption = None, db: DbOption = None
) -> None:
    """Enable a disabled user account again."""
    _simple(username, as_user, db, "enable")
    typer.echo(f"enabled {_check_username(username)}")


def audit_command(
    limit: Annotated[int, typer.Option("--limit", help="Show at most N entries.")] = 50,
    action: Annotated[
        str | None,
        typer.Option("--action", help="Only actions starting with this, e.g. user. or auth."),
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Only entries by this actor.")
    ] = None,
    as_json: JsonOption = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Show the audit log, newest first: who changed what and when, and sign-ins.

    With --as, the account must be an admin."""
    if limit < 1:
        raise fail(f"--limit: expected a whole number of at least 1, found {limit}")
    with opened_store(db) as store:
        _admin(store, as_user, "audit")
        entries = store.audit.entries(action_prefix=action, actor=actor, limit=limit)
    if as_json:
        data = [
            {
                "id": e.id,
                "at": _time(e.at),
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity,
                "entity_key": e.entity_key,
                "detail": e.detail,
            }
            for e in entries
        ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not entries:
        typer.echo("No audit entries" + (" match." if action or actor else "."))
        return
    for e in entries:
        detail = f"  {json.dumps(e.detail, ensure_ascii=False)}" if e.detail else ""
        typer.echo(f"{_time(e.at)}  {e.actor}  {e.action}  {e.entity} {e.entity_key}{detail}")


def register(app: typer.Typer) -> None:
    """Add ``nhm users`` and ``nhm audit`` to the ``nhm`` command."""
    app.add_typer(users_app, name="users")
    app.command("audit")(audit_command)
