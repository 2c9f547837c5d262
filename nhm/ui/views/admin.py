"""Verwaltung (administration): the audit log and the user accounts with their roles.

Only for admins: :func:`render` checks the right on the server side first (the navigation
hides the page from everyone else only for convenience) and logs a refused attempt as
``access.denied``. Every change goes through :class:`~nhm.auth.accounts.AccountRepository`,
which writes it together with its audit entry; an input it refuses writes nothing and is
shown naming the field, as the form labels it. An admin cannot remove or disable their own
account or take back their own admin role, so that the accounts cannot lock everybody out.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import streamlit as st

from nhm.auth import access, passwords
from nhm.auth.accounts import (
    DISPLAY_NAME_MAX,
    Account,
    AccountConflictError,
    AccountInvalidError,
    AccountNotFoundError,
    AccountRepository,
    Grant,
    Role,
    normalise_username,
)
from nhm.auth.principal import Principal
from nhm.exchange.cells import neutralise
from nhm.store import Store, StoreError
from nhm.store.audit import AuditEntry
from nhm.store.database import utc_now
from nhm.ui import context, signin, widgets
from nhm.ui.i18n import Text

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

FLASH_KEY = "nhm_admin_flash"
"""A message for the next run (shown once after the rerun that follows a change)."""
CSV_KEY = "nhm_admin_audit_csv"
"""The audit CSV made on request: (the filter it was made for, its bytes)."""

VIA = "view verwaltung"
DENIED = access.DENIED_ACTION
FAILED_SIGN_IN = "auth.sign_in_failed"
WATCHED = (DENIED, FAILED_SIGN_IN)
"""Actions the audit log highlights and offers as quick filters."""
WATCH_DAYS = 7

ACTION_FILTERS = (
    "",
    DENIED,
    FAILED_SIGN_IN,
    "auth.",
    "user.",
    "role.",
    "export.",
    "assessment.",
    "municipality.",
    "ring.",
    "target.",
    "demo.",
)
"""The action prefixes of the filter ("" = all actions)."""
DEFAULT_LIMIT = 200
MAX_LIMIT = 10_000
HIGHLIGHT = "background-color: rgba(255, 75, 75, 0.15)"

ACTION_KEY = "admin-audit-action"
ACTION_TEXT_KEY = "admin-audit-action-text"
ACTOR_KEY = "admin-audit-actor"
FROM_KEY = "admin-audit-from"
TO_KEY = "admin-audit-to"
LIMIT_KEY = "admin-audit-limit"

ADD_FIELDS = ("username", "display_name", "email", "password", "password_repeat", "no_password")
PASSWORD_FIELDS = ("password", "password_repeat")

FIELD_LABELS = {
    "username": "admin.field_username",
    "display_name": "admin.field_display_name",
    "email": "admin.field_email",
    "password": "admin.field_password",
    "password_repeat": "admin.field_password_repeat",
    "role": "admin.field_role",
    "ags": "admin.field_ags",
    "ring": "admin.field_ring",
}
"""The form label of each field an account error can name (``exc.field``)."""


def render() -> None:
    t = context.text()
    st.title(t("admin.title"))
    store = context.store()
    who = context.principal()
    try:
        access.require_admin(store, who, via=VIA)
    except access.AccessDenied:
        st.error(t("admin.denied"), icon=":material/block:")
        return
    st.write(t("admin.intro"))
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    audit_tab, accounts_tab = st.tabs([t("admin.tab_audit"), t("admin.tab_accounts")])
    with audit_tab:
        _audit(t, store, who)
    with accounts_tab:
        _accounts(t, store, who)


def _done(message: str) -> None:
    """Show ``message`` once after the rerun that shows the change."""
    st.session_state[FLASH_KEY] = message
    st.rerun()


# --- the audit log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log shows: actions starting with ``action`` ("" = all), actors whose
    name contains ``actor`` (any case), local dates ``start`` to ``end`` (both included)."""

    action: str = ""
    actor: str = ""
    start: date | None = None
    end: date | None = None
    limit: int = DEFAULT_LIMIT


def _utc(day: date) -> datetime:
    """The start of a local (German) day as the naive UTC the audit log stores."""
    moment = datetime.combine(day, time.min, tzinfo=widgets.LOCAL_ZONE)
    return moment.astimezone(UTC).replace(tzinfo=None)


def audit_entries(store: Store, chosen: AuditFilter) -> list[AuditEntry]:
    """The entries ``chosen`` selects, newest first (at most ``chosen.limit``)."""
    return store.audit.entries(
        action_prefix=chosen.action or None,
        actor_contains=chosen.actor.strip() or None,
        since=None if chosen.start is None else _utc(chosen.start),
        before=None if chosen.end is None else _utc(chosen.end + timedelta(days=1)),
        limit=chosen.limit,
    )


def recent_counts(store: Store, days: int = WATCH_DAYS) -> dict[str, int]:
    """How often each watched action happened in the last ``days`` days."""
    return store.audit.counts_since(WATCHED, utc_now() - timedelta(days=days))


def detail_text(detail: dict[str, Any] | None) -> str:
    """The details of an entry as compact JSON ("" when there are none)."""
    if not detail:
        return ""
    return json.dumps(detail, ensure_ascii=False, separators=(", ", ": "), default=str)


def _action_label(t: Text, prefix: str) -> str:
    if not prefix:
        return t("admin.audit_all_actions")
    return t(
        "admin.audit_action_option", label=t(f"admin.action.{prefix.rstrip('.')}"), prefix=prefix
    )


def _quick_filter(action: str) -> None:
    """A quick filter: only ``action`` (a button's callback, before the widgets exist)."""
    st.session_state[ACTION_KEY] = action
    st.session_state[ACTION_TEXT_KEY] = ""


def _audit(t: Text, store: Store, who: Principal) -> None:
    st.caption(t("admin.audit_intro"))
    _watch(t, store)
    chosen = _audit_filter(t)
    if chosen is None:
        return
    entries = audit_entries(store, chosen)
    if not entries:
        st.info(t("admin.audit_none"))
        return
    st.caption(t("admin.audit_count", count=len(entries)))
    if len(entries) >= chosen.limit:
        st.caption(t("admin.audit_maybe_more", limit=chosen.limit))
    _audit_table(t, entries)
    _audit_csv(t, store, who, chosen, entries)


def _watch(t: Text, store: Store) -> None:
    """The refused accesses and failed sign-ins of the last days, with a quick filter each."""
    counts = recent_counts(store)
    denied, failed, reset = st.columns(3)
    denied.metric(t("admin.audit_denied_recent", days=WATCH_DAYS), counts[DENIED])
    denied.button(
        t("admin.audit_show_denied"),
        key="admin-audit-quick-denied",
        icon=":material/block:",
        on_click=_quick_filter,
        args=(DENIED,),
    )
    failed.metric(t("admin.audit_failed_recent", days=WATCH_DAYS), counts[FAILED_SIGN_IN])
    failed.button(
        t("admin.audit_show_failed"),
        key="admin-audit-quick-failed",
        icon=":material/password:",
        on_click=_quick_filter,
        args=(FAILED_SIGN_IN,),
    )
    reset.button(
        t("admin.audit_show_all"),
        key="admin-audit-quick-all",
        icon=":material/filter_alt_off:",
        on_click=_quick_filter,
        args=("",),
    )


def _audit_filter(t: Text) -> AuditFilter | None:
    """The filter the admin chose; None (after saying why) when the dates are reversed."""
    date_format = "DD.MM.YYYY" if t.lang == "de" else "YYYY-MM-DD"
    first, second = st.columns(2)
    preset = first.selectbox(
        t("admin.audit_action"),
        options=ACTION_FILTERS,
        format_func=lambda prefix: _action_label(t, prefix),
        key=ACTION_KEY,
    )
    typed = second.text_input(
        t("admin.audit_action_text"),
        key=ACTION_TEXT_KEY,
        max_chars=100,
        help=t("admin.audit_action_text_help"),
    )
    actor_column, from_column, to_column, limit_column = st.columns([2, 1, 1, 1])
    actor = actor_column.text_input(
        t("admin.audit_actor"), key=ACTOR_KEY, max_chars=200, help=t("admin.audit_actor_help")
    )
    start = from_column.date_input(
        t("admin.audit_from"), value=None, key=FROM_KEY, format=date_format
    )
    end = to_column.date_input(t("admin.audit_to"), value=None, key=TO_KEY, format=date_format)
    limit = limit_column.number_input(
        t("admin.audit_limit"),
        min_value=1,
        max_value=MAX_LIMIT,
        value=DEFAULT_LIMIT,
        step=50,
        key=LIMIT_KEY,
    )
    if isinstance(start, date) and isinstance(end, date) and start > end:
        st.error(t("admin.audit_dates_reversed"))
        return None
    return AuditFilter(
        action=typed.strip() or str(preset or ""),
        actor=actor,
        start=start if isinstance(start, date) else None,
        end=end if isinstance(end, date) else None,
        limit=int(limit),
    )


def _audit_table(t: Text, entries: Sequence[AuditEntry]) -> None:
    import pandas as pd

    rows = [
        {
            t("admin.col_time"): widgets.local_time(entry.at, t.lang, seconds=True),
            t("admin.col_actor"): entry.actor,
            t("admin.col_action"): entry.action,
            t("admin.col_object"): f"{entry.entity} {entry.entity_key}".strip(),
            t("admin.col_details"): detail_text(entry.detail),
        }
        for entry in entries
    ]
    watched = [entry.action in WATCHED for entry in entries]
    frame = pd.DataFrame(rows)

    def highlight(row: pd.Series) -> list[str]:
        return [HIGHLIGHT if watched[int(row.name)] else ""] * len(row)

    st.dataframe(frame.style.apply(highlight, axis=1), hide_index=True, width="stretch")
    if any(watched):
        st.caption(t("admin.audit_highlight_note"))


def audit_csv(t: Text, entries: Sequence[AuditEntry]) -> bytes:
    """The entries as CSV for a spreadsheet: UTF-8 with BOM, ";" in German (as German Excel
    expects), times in UTC, no cell a spreadsheet program would run as a formula."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";" if t.lang == "de" else ",", lineterminator="\r\n")
    writer.writerow(
        [
            t("admin.csv_id"),
            t("admin.csv_time"),
            t("admin.col_actor"),
            t("admin.col_action"),
            t("admin.csv_entity"),
            t("admin.csv_key"),
            t("admin.col_details"),
        ]
    )
    for entry in entries:
        at = entry.at.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
        writer.writerow(
            [
                entry.id,
                at,
                *(
                    neutralise(text)
                    for text in (
                        entry.actor,
                        entry.action,
                        entry.entity,
                        entry.entity_key,
                        detail_text(entry.detail),
                    )
                ),
            ]
        )
    return stream.getvalue().encode("utf-8-sig")


def _audit_csv(
    t: Text, store: Store, who: Principal, chosen: AuditFilter, entries: Sequence[AuditEntry]
) -> None:
    """A button that makes the CSV of the shown entries (and logs the export), then the
    download of that file."""
    made = st.session_state.get(CSV_KEY)
    signature = (chosen, t.lang)
    if made is None or made[0] != signature:
        if not st.button(
            t("admin.csv_make"),
            key="admin-audit-csv-make",
            icon=":material/table_view:",
            help=t("admin.csv_help"),
        ):
            return
        data = audit_csv(t, entries)
        try:
            access.record_export(
                store,
                who,
                "audit_log",
                "audit_log",
                chosen.action or "*",
                {
                    "entries": len(entries),
                    "action": chosen.action or None,
                    "actor": chosen.actor.strip() or None,
                    "from": chosen.start.isoformat() if chosen.start else None,
                    "to": chosen.end.isoformat() if chosen.end else None,
                    "limit": chosen.limit,
                },
                actor=context.actor(),
            )
        except StoreError as exc:
            st.error(t("admin.csv_failed", message=widgets.inert(str(exc))))
            return
        made = (signature, data)
        st.session_state[CSV_KEY] = made
    st.download_button(
        t("admin.csv_download"),
        data=made[1],
        file_name=f"nhm-audit-{utc_now():%Y%m%d-%H%M%S}.csv",
        mime="text/csv",
        key="admin-audit-csv-download",
        icon=":material/download:",
        on_click="ignore",
    )


# --- the accounts -------------------------------------------------------------------------------


def _accounts(t: Text, store: Store, who: Principal) -> None:
    if who.is_local:
        st.info(t("admin.local_note"), icon=":material/info:")
    repository = AccountRepository(store)
    accounts = repository.list()
    rings = {ring.id: ring.name for ring in store.rings.list()}
    _account_table(t, accounts, rings)
    st.subheader(t("admin.add_heading"))
    _add_form(t, repository)
    st.subheader(t("admin.edit_heading"))
    if not accounts:
        st.caption(t("admin.edit_none"))
        return
    by_name = {account.username: account for account in accounts}
    username = st.selectbox(
        t("admin.field_account"),
        options=list(by_name),
        format_func=lambda name: _account_option(t, by_name[name]),
        key="admin-account",
    )
    if username is None:
        return
    account = by_name[username]
    own = is_own_account(who, account.username)
    if own:
        st.caption(t("admin.own_account"))
    with st.container(border=True):
        _roles(t, repository, account, rings, own)
    with st.container(border=True):
        _password_form(t, repository, account)
    with st.container(border=True):
        _status(t, repository, account, own)
    with st.container(border=True):
        _remove(t, repository, account, own)


def is_own_account(who: Principal, username: str) -> bool:
    """Whether ``username`` is the account ``who`` signed in with (the local user of
    NHM_AUTH=none signs in with no account)."""
    return not who.is_local and normalise_username(who.username) == normalise_username(username)


def grant_text(t: Text, grant: Grant, rings: dict[int, str]) -> str:
    """A role grant in the interface language, e.g. "Bearbeiten: 05315000"."""
    ring = ""
    if grant.ring_id is not None:
        name = rings.get(grant.ring_id)
        ring = t("admin.ring_option", name=name, id=grant.ring_id) if name else str(grant.ring_id)
    return t(f"admin.grant.{grant.role.value}", ags=grant.ags or "", ring=ring)


def _account_option(t: Text, account: Account) -> str:
    if account.display_name:
        return t("admin.account_option", username=account.username, name=account.display_name)
    return account.username


def _account_table(t: Text, accounts: Sequence[Account], rings: dict[int, str]) -> None:
    st.subheader(t("admin.accounts_heading"))
    if not accounts:
        st.caption(t("admin.accounts_none"))
        return
    now = utc_now()
    rows = [
        {
            t("admin.col_username"): account.username,
            t("admin.col_display_name"): account.display_name or "",
            t("admin.col_email"): account.email or "",
            t("admin.col_roles"): ", ".join(grant_text(t, g, rings) for g in account.grants)
            or t("admin.no_roles"),
            t("admin.col_password"): account.has_password,
            t("admin.col_disabled"): account.disabled,
            t("admin.col_locked_until"): widgets.local_time(account.locked_until, t.lang)
            if account.is_locked(now)
            else "–",
            t("admin.col_failed"): account.failed_sign_ins,
            t("admin.col_last_sign_in"): widgets.local_time(account.last_sign_in_at, t.lang),
            t("admin.col_created"): widgets.local_time(account.created_at, t.lang),
        }
        for account in accounts
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


# errors, in the interface language and naming the field


def field_label(t: Text, field: str) -> str:
    key = FIELD_LABELS.get(field)
    return t(key) if key else t("field.record")


def error_lines(t: Text, exc: StoreError, password: str = "", username: str = "") -> list[str]:
    """What was wrong, one line per problem, each naming the field as the form labels it."""
    if isinstance(exc, passwords.PasswordPolicyError):
        problems = _password_problems(t, password, username) or [
            widgets.inert(problem) for problem in exc.problems
        ]
        return [t("error.field", field=field_label(t, "password"), message=p) for p in problems]
    kind = {
        AccountInvalidError: "invalid",
        AccountConflictError: "conflict",
        AccountNotFoundError: "not_found",
    }.get(type(exc))
    field = str(getattr(exc, "field", "") or "")
    key = f"admin.error.{kind}.{field}"
    if kind is None or not field:
        return [t("error.store", message=widgets.inert(str(exc)))]
    message = t(key, max=DISPLAY_NAME_MAX) if t.has(key) else widgets.inert(str(exc))
    return [t("error.field", field=field_label(t, field), message=message)]


def _password_problems(t: Text, password: str, username: str) -> list[str]:
    """The password policy's problems in the interface language (see nhm.auth.passwords)."""
    problems = []
    if len(password) < passwords.MIN_LENGTH:
        problems.append(
            t("admin.error.password.short", min=passwords.MIN_LENGTH, length=len(password))
        )
    if len(password) > passwords.MAX_LENGTH:
        problems.append(t("admin.error.password.long", max=passwords.MAX_LENGTH))
    if password.isdigit():
        problems.append(t("admin.error.password.digits"))
    if username and password.strip().casefold() == username.strip().casefold():
        problems.append(t("admin.error.password.username"))
    return problems


def _show_errors(lines: Sequence[str]) -> None:
    st.error("  \n".join(lines), icon=":material/error:")


def _field_error(t: Text, field: str, key: str, **values: object) -> None:
    _show_errors([t("error.field", field=field_label(t, field), message=t(key, **values))])


def _forget(*keys: str) -> None:
    """Empty the widgets with these keys on the next run (after a change succeeded)."""
    for key in keys:
        st.session_state.pop(key, None)


# adding an account


def _add_form(t: Text, repository: AccountRepository) -> None:
    keys = {name: f"admin-add-{name}" for name in ADD_FIELDS}
    with st.form("admin-add"):
        first, second = st.columns(2)
        username = first.text_input(
            t("admin.field_username"),
            key=keys["username"],
            max_chars=64,
            help=t("admin.field_username_help"),
            autocomplete="off",
        )
        display_name = second.text_input(
            t("admin.field_display_name"), key=keys["display_name"], max_chars=DISPLAY_NAME_MAX
        )
        email = first.text_input(
            t("admin.field_email"), key=keys["email"], max_chars=254, autocomplete="off"
        )
        second.caption(t("admin.email_note"))
        password, repeat = _password_pair(t, keys, first, second, "admin.field_password")
        no_password = st.checkbox(t("admin.field_no_password"), key=keys["no_password"])
        submitted = st.form_submit_button(
            t("admin.add_submit"), type="primary", icon=":material/person_add:"
        )
    if not submitted:
        return
    if no_password and (password or repeat):
        _field_error(t, "password", "admin.error.password_unwanted")
        return
    if not no_password and password != repeat:
        _field_error(t, "password_repeat", "admin.error.password_mismatch")
        return
    try:
        account = repository.add(
            username,
            context.actor(),
            email=email,
            display_name=display_name,
            password=None if no_password else password,
        )
    except StoreError as exc:
        _show_errors(error_lines(t, exc, password, normalise_username(username)))
        return
    _forget(*keys.values())
    st.session_state["admin-account"] = account.username
    key = "admin.added_no_password" if no_password else "admin.added"
    _done(t(key, username=widgets.inert(account.username)))


# changing an account


def _roles(
    t: Text, repository: AccountRepository, account: Account, rings: dict[int, str], own: bool
) -> None:
    st.markdown(f"#### {t('admin.roles_heading')}")
    _grant(t, repository, account, rings)
    _revoke(t, repository, account, rings, own)


def _grant(t: Text, repository: AccountRepository, account: Account, rings: dict[int, str]) -> None:
    role_column, scope_column = st.columns(2)
    role = role_column.selectbox(
        t("admin.field_role"),
        options=list(Role),
        format_func=lambda value: t(f"admin.role.{Role(value).value}"),
        key="admin-grant-role",
    )
    ags: str | None = None
    ring_id: int | None = None
    if role in (Role.editor, Role.viewer):
        ags = scope_column.text_input(
            t("admin.field_ags"), key="admin-grant-ags", max_chars=8, help=t("field.ags_help")
        ).strip()
    elif role is Role.coordinator:
        if not rings:
            scope_column.caption(t("admin.no_rings"))
            return
        ring_id = scope_column.selectbox(
            t("admin.field_ring"),
            options=list(rings),
            format_func=lambda ring: t("admin.ring_option", name=rings[ring], id=ring),
            key="admin-grant-ring",
        )
    else:
        scope_column.caption(t("admin.admin_scope_note"))
    if not st.button(t("admin.grant_submit"), key="admin-grant", icon=":material/add_moderator:"):
        return
    try:
        grant = repository.grant(
            account.username, role, context.actor(), ags=ags or None, ring_id=ring_id
        )
    except StoreError as exc:
        _show_errors(error_lines(t, exc))
        return
    _forget("admin-grant-ags")
    _done(
        t(
            "admin.granted",
            username=widgets.inert(account.username),
            grant=widgets.inert(grant_text(t, grant, rings)),
        )
    )


def _revoke(
    t: Text,
    repository: AccountRepository,
    account: Account,
    rings: dict[int, str],
    own: bool,
) -> None:
    if not account.grants:
        st.caption(t("admin.no_grants", username=widgets.inert(account.username)))
        return
    grants = dict(enumerate(account.grants))
    chosen = st.selectbox(
        t("admin.field_grant"),
        options=list(grants),
        format_func=lambda index: grant_text(t, grants[index], rings),
        key=f"admin-revoke-grant:{account.username}",
    )
    if not st.button(
        t("admin.revoke_submit"), key="admin-revoke", icon=":material/remove_moderator:"
    ):
        return
    if chosen is None:
        return
    grant = grants[chosen]
    if own and grant.role is Role.admin:
        st.error(t("admin.self_revoke_admin"), icon=":material/block:")
        return
    try:
        repository.revoke(
            account.username,
            grant.role,
            context.actor(),
            ags=grant.ags,
            ring_id=grant.ring_id,
        )
    except StoreError as exc:
        _show_errors(error_lines(t, exc))
        return
    _done(
        t(
            "admin.revoked",
            username=widgets.inert(account.username),
            grant=widgets.inert(grant_text(t, grant, rings)),
        )
    )


def _password_pair(
    t: Text, keys: dict[str, str], first: DeltaGenerator, second: DeltaGenerator, label: str
) -> tuple[str, str]:
    """A password and its repetition, side by side (``label`` and ``label + "_repeat"``)."""
    fields = []
    for column, name, text in (
        (first, "password", label),
        (second, "password_repeat", f"{label}_repeat"),
    ):
        fields.append(
            column.text_input(
                t(text),
                key=keys[name],
                type="password",
                max_chars=passwords.MAX_LENGTH,
                autocomplete="new-password",
                help=t("admin.field_password_help", min=passwords.MIN_LENGTH)
                if name == "password"
                else None,
            )
        )
    return fields[0], fields[1]


def _password_form(t: Text, repository: AccountRepository, account: Account) -> None:
    st.markdown(f"#### {t('admin.password_heading')}")
    keys = {name: f"admin-password-{name}" for name in PASSWORD_FIELDS}
    with st.form("admin-password"):
        first, second = st.columns(2)
        password, repeat = _password_pair(t, keys, first, second, "admin.field_new_password")
        submitted = st.form_submit_button(t("admin.password_submit"), icon=":material/key:")
    st.caption(t("admin.password_note"))
    if not submitted:
        return
    if password != repeat:
        _field_error(t, "password_repeat", "admin.error.password_mismatch")
        return
    try:
        repository.set_password(
            account.username,
            password,
            context.actor(),
            keep_session=signin.own_session_hash(account.username),
        )
    except StoreError as exc:
        _show_errors(error_lines(t, exc, password, account.username))
        return
    _forget(*keys.values())
    _done(t("admin.password_set", username=widgets.inert(account.username)))


def _status(t: Text, repository: AccountRepository, account: Account, own: bool) -> None:
    st.markdown(f"#### {t('admin.status_heading')}")
    locked = account.is_locked()
    if account.disabled:
        st.caption(t("admin.state_disabled"))
    elif locked:
        until = widgets.local_time(account.locked_until, t.lang, seconds=True)
        st.caption(t("admin.state_locked", until=until, count=account.failed_sign_ins))
    elif account.failed_sign_ins:
        st.caption(t("admin.state_failures", count=account.failed_sign_ins))
    else:
        st.caption(t("admin.state_active"))
    unlock, toggle = st.columns(2)
    if unlock.button(
        t("admin.unlock_submit"),
        key="admin-unlock",
        icon=":material/lock_open:",
        disabled=not (locked or account.failed_sign_ins),
    ):
        _change(
            t,
            lambda: repository.unlock(account.username, context.actor()),
            "admin.unlocked",
            account,
        )
    label = "admin.enable_submit" if account.disabled else "admin.disable_submit"
    if toggle.button(t(label), key="admin-disable", icon=":material/person_off:"):
        if own and not account.disabled:
            st.error(t("admin.self_disable"), icon=":material/block:")
            return
        disable = not account.disabled
        _change(
            t,
            lambda: repository.set_disabled(account.username, disable, context.actor()),
            "admin.disabled_done" if disable else "admin.enabled_done",
            account,
        )


def _change(t: Text, change: Callable[[], None], done_key: str, account: Account) -> None:
    try:
        change()
    except StoreError as exc:
        _show_errors(error_lines(t, exc))
        return
    _done(t(done_key, username=widgets.inert(account.username)))


def _remove(t: Text, repository: AccountRepository, account: Account, own: bool) -> None:
    st.markdown(f"#### {t('admin.remove_heading')}")
    st.caption(t("admin.remove_note"))
    confirm_key = f"admin-remove-confirm:{account.username}"
    confirmed = st.checkbox(
        t("admin.remove_confirm", username=widgets.inert(account.username)), key=confirm_key
    )
    if not st.button(
        t("admin.remove_submit"),
        key="admin-remove",
        icon=":material/person_remove:",
        type="primary",
        disabled=not confirmed,
    ):
        return
    if own:
        st.error(t("admin.self_remove"), icon=":material/block:")
        return
    try:
        repository.remove(account.username, context.actor())
    except StoreError as exc:
        _show_errors(error_lines(t, exc))
        return
    _forget(confirm_key, "admin-account")
    _done(t("admin.removed", username=widgets.inert(account.username)))
