"""Vergleichsringe ("Ringe"): the coordinator's page.

Choose or create a ring; manage its members (consent to be named, submission status); import
the members' files, many at once, each on its own; see the ring's overview (the members'
scores per dimension under their labels, the median, the level distribution per criterion);
download the ring's report as PDF or XLSX. Everything shown about the members' results comes
from :mod:`nhm.rings`: anonymous labels unless a member consented, no figures below the ring's
minimum group size. The municipality chosen on the start page is highlighted when it is a
member; otherwise the page shows the coordinator's anonymous view.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

import plotly.graph_objects as go
import streamlit as st

from nhm.auth import access
from nhm.auth.principal import Principal
from nhm.benchmark import MIN_SIZE_FOR_EXTREMES, PluginScores
from nhm.rings import (
    CriterionOverview,
    FileOutcome,
    MemberError,
    MemberStatus,
    ProgressCallback,
    Rejection,
    RingError,
    RingOverview,
    RingService,
)
from nhm.store import StoreError
from nhm.store.rings import MIN_GROUP_SIZE_FLOOR, Ring
from nhm.structured_file import FieldError
from nhm.ui import charts, context, signin, widgets
from nhm.ui.i18n import Text

RING_KEY = "ring-chosen"
PENDING_KEY = "nhm_ring_pending"  # a ring to choose on the next run (after creating it)
FLASH_KEY = "nhm_ring_flash"  # (kind, message) for the next run
RESULTS_KEY = "nhm_ring_import_results"  # (ring id, outcomes) of the last import
UPLOAD_NONCE_KEY = "nhm_ring_upload_nonce"  # a new uploader (emptied) after each import
REPORTS_KEY = "nhm_ring_reports"  # (ring, period, viewer, language, format) -> bytes
SEARCH_LIMIT = 50
UPLOAD_TYPES = ["json", "yaml", "yml", "xlsx"]
LEVELS = (0, 1, 2, 3, 4)
OWN_COLOUR = charts.OWN_COLOUR  # the own municipality, as on the benchmark page
MEMBER_COLOUR = charts.OKABE_ITO[0]  # blue
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACTIONS = {
    "created": "ring.action_created",
    "replaced draft": "ring.action_replaced",
    "unchanged": "ring.action_unchanged",
}


class Upload(Protocol):
    """What the import needs of an uploaded file (Streamlit's UploadedFile has both)."""

    name: str

    def getvalue(self) -> bytes: ...


def render() -> None:
    t = context.text()
    st.title(t("ring.title"))
    st.caption(t("ring.intro"))
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        (st.success if flash[0] == "success" else st.warning)(flash[1])
    service = _service()
    who = context.principal()
    rings = visible_rings(service, who)
    ring = _choose(t, rings)
    if who.is_admin:  # creating a ring is for administrators; they grant its coordinator
        _create_form(t, service, expanded=not rings)
    if ring is None:
        st.info(t("ring.none") if who.is_admin else t("ring.none_visible"))
        return
    st.divider()
    _heading(t, ring)
    period = _period(t, service, ring)
    statuses = service.status(ring.id, period)
    if not who.can_coordinate(ring.id):
        _member_view(t, ring, period, statuses)
        return
    members, files, overview, report = st.tabs(
        [t("ring.tab_members"), t("ring.tab_import"), t("ring.tab_overview"), t("ring.tab_report")]
    )
    viewer = _viewer(statuses)
    with members:
        _members(t, service, ring, period, statuses)
        if context.principal().is_admin:  # membership opens a member's data to imports
            _add_members(t, ring, statuses)
        else:
            st.caption(t("ring.members_by_admin"))
    with files:
        _import(t, ring, period)
    with overview:
        _overview(t, ring, period, viewer)
    with report:
        _report(t, ring, period, viewer)


def visible_rings(service: RingService, who: Principal) -> list[Ring]:
    """The rings a user sees: all (administrator), the rings they coordinate, and the rings
    one of their municipalities belongs to (statistics only)."""
    rings = service.list()
    readable = who.readable_ags
    if readable is None:
        return rings
    return [
        ring
        for ring in rings
        if who.can_coordinate(ring.id)
        or any(member.ags in readable for member in service.members(ring.id))
    ]


def _member_view(t: Text, ring: Ring, period: int, statuses: list[MemberStatus]) -> None:
    """A member's reader sees the anonymous overview and report, with their municipality
    highlighted; managing the ring is the coordinator's."""
    st.caption(t("ring.member_view"))
    readable = context.principal().readable_ags or frozenset()
    viewer = _viewer(statuses) or next(
        (status.ags for status in statuses if status.ags in readable), None
    )
    own = [status for status in statuses if context.principal().can_edit(status.ags)]
    if own:  # a member's editor records its consent to be named
        _consent_toggles(t, ring, own)
    overview, report = st.tabs([t("ring.tab_overview"), t("ring.tab_report")])
    with overview:
        _overview(t, ring, period, viewer)
    with report:
        _report(t, ring, period, viewer)


def _allowed(check: Callable[[Principal], None], refusal: str) -> bool:
    """A server-side check with the principal verified afresh (these run in callbacks and
    button handlers); a refusal, logged by the check, is shown on the next run. False without
    a log when the session has ended: the sign-in page follows."""
    who = signin.verified_principal()
    if who is None:
        return False
    try:
        check(who)
    except access.AccessDenied:
        st.session_state[FLASH_KEY] = ("warning", refusal)
        return False
    return True


def _may_change_member(t: Text, ags: str, via: str) -> bool:
    """Consent is the member's decision: its editor or an administrator records it."""
    return _allowed(
        lambda who: access.require_edit(context.store(), who, ags, via=f"view ringe: {via}"),
        t("access.refused_edit", ags=ags),
    )


def _may_administer(t: Text, via: str) -> bool:
    """Membership is for administrators: a member's data can be imported by the coordinator."""
    return _allowed(
        lambda who: access.require_admin(context.store(), who, via=f"view ringe: {via}"),
        t("access.admin_only"),
    )


def _may_coordinate(t: Text, ring_id: int, via: str) -> bool:
    """The server-side check before a change to a ring (logged when refused)."""
    return _allowed(
        lambda who: access.require_coordinate(
            context.store(), who, ring_id, via=f"view ringe: {via}"
        ),
        t("access.refused_ring"),
    )


def _service() -> RingService:
    catalog = context.catalog()
    return RingService(
        context.store(), catalog, PluginScores.from_host(context.plugin_host(), catalog)
    )


# --- choosing and creating -------------------------------------------------------------------


def _choose(t: Text, rings: list[Ring]) -> Ring | None:
    if not rings:
        return None
    by_id = {r.id: r for r in rings}
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending in by_id:
        st.session_state[RING_KEY] = pending
    elif st.session_state.get(RING_KEY) not in by_id:
        st.session_state[RING_KEY] = rings[0].id
    ring_id = st.selectbox(
        t("ring.choose"),
        options=list(by_id),
        format_func=lambda i: _ring_label(t, by_id[i]),
        key=RING_KEY,
    )
    return by_id.get(ring_id)


def _ring_label(t: Text, ring: Ring) -> str:
    demo = f" · {t('common.demo_tag')}" if ring.is_demo else ""
    return t("ring.option", name=ring.name, period=ring.period or "–") + demo


def _create_form(t: Text, service: RingService, expanded: bool) -> None:
    with st.expander(t("ring.create_heading"), expanded=expanded, icon=":material/add_circle:"):
        st.caption(t("ring.create_help", floor=MIN_GROUP_SIZE_FLOOR))
        with st.form("ring-create", clear_on_submit=False):
            name = st.text_input(t("ring.field_name"), max_chars=200, key="ring-create-name")
            period = st.number_input(
                t("ring.field_period"),
                min_value=1990,
                max_value=2100,
                value=date.today().year,
                step=1,
                key="ring-create-period",
            )
            min_size = st.number_input(
                t("ring.field_min_size"),
                min_value=MIN_GROUP_SIZE_FLOOR,
                max_value=100,
                value=5,
                step=1,
                help=t("ring.field_min_size_help", floor=MIN_GROUP_SIZE_FLOOR),
                key="ring-create-min",
            )
            coordinator = st.text_input(
                t("ring.field_coordinator"),
                max_chars=200,
                help=t("ring.field_coordinator_help"),
                key="ring-create-coordinator",
            )
            submitted = st.form_submit_button(t("ring.create_button"))
        if submitted:
            _create(t, service, name, int(period), int(min_size), coordinator)


def _create(
    t: Text, service: RingService, name: str, period: int, min_size: int, coordinator: str
) -> None:
    name = name.strip()
    try:
        access.require_admin(context.store(), context.principal(), via="view ringe: create")
    except access.AccessDenied:
        st.error(t("access.admin_only"))
        return
    if not name:
        st.error(t("ring.create_no_name"))
        return
    if any(r.name.casefold() == name.casefold() for r in service.list()):
        st.error(t("ring.create_exists", name=widgets.inert(name)))
        return
    try:
        ring = service.create(
            name,
            period,
            context.actor(),
            min_group_size=min_size,
            coordinator=coordinator.strip() or None,
        )
    except (RingError, StoreError) as exc:
        st.error(t("error.store", message=widgets.inert(str(exc))))
        return
    st.session_state[PENDING_KEY] = ring.id
    st.session_state[FLASH_KEY] = ("success", t("ring.created", name=widgets.inert(ring.name)))
    st.rerun()


def _heading(t: Text, ring: Ring) -> None:
    st.subheader(widgets.inert(ring.name))
    facts = t(
        "ring.facts",
        coordinator=widgets.inert(ring.coordinator),
        period=ring.period or "–",
        min=ring.min_group_size,
    )
    if ring.is_demo:
        facts += f" · {t('common.demo_tag')}"
    st.caption(facts)


def _period(t: Text, service: RingService, ring: Ring) -> int:
    """The year compared: the ring's, or another year a member has an assessment for."""
    members = {m.ags for m in service.members(ring.id)}
    years = {s.period for s in context.store().assessments.list() if s.ags in members}
    default = ring.period or (max(years) if years else date.today().year)
    options = sorted(years | {default}, reverse=True)
    column, _ = st.columns([1, 3])
    return int(
        column.selectbox(
            t("ring.period"),
            options=options,
            index=options.index(default),
            key=f"ring-period:{ring.id}",
            help=t("ring.period_help"),
        )
    )


def _viewer(statuses: list[MemberStatus]) -> str | None:
    """The municipality chosen on the start page, when it is a member (else the coordinator's
    view, with no own municipality)."""
    chosen = context.selection()
    if chosen is None:
        return None
    ags = chosen.municipality.ags
    return ags if any(s.ags == ags for s in statuses) else None


# --- members ---------------------------------------------------------------------------------


def _members(
    t: Text, service: RingService, ring: Ring, period: int, statuses: list[MemberStatus]
) -> None:
    if not statuses:
        st.info(t("ring.no_members" if context.principal().is_admin else "ring.no_members_ask"))
        return
    counts = {status: sum(1 for s in statuses if s.status.value == status) for status in _STATUS}
    st.caption(
        t(
            "ring.status_summary",
            total=len(statuses),
            period=period,
            submitted=counts["submitted"],
            draft=counts["draft"],
            missing=counts["missing"],
        )
    )
    rows = [
        {
            t("ring.col_name"): s.name,
            t("ring.col_ags"): s.ags,
            t("ring.col_status"): t(f"ring.status_{s.status.value}"),
            t("ring.col_revision"): str(s.revision) if s.revision else "–",
            t("ring.col_named"): t("ring.named_yes") if s.consent_named else t("ring.named_no"),
            t("ring.col_consent_by"): s.consent_by or "–",
            t("ring.col_consent_at"): widgets.local_time(s.consent_at),
        }
        for s in statuses
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    _consent_toggles(t, ring, statuses)
    if not context.principal().is_admin:
        return
    with st.expander(t("ring.remove_heading"), icon=":material/person_remove:"):
        by_ags = {s.ags: s for s in statuses}
        ags = st.selectbox(
            t("ring.remove_choose"),
            options=list(by_ags),
            format_func=lambda a: f"{by_ags[a].name} ({a})",
            key=f"ring-remove-choice:{ring.id}",
        )
        if st.button(t("ring.remove_button"), key=f"ring-remove:{ring.id}") and ags:
            if not _may_administer(t, "remove member"):
                st.rerun()
            try:
                service.remove_member(ring.id, ags, context.actor())
            except (RingError, StoreError) as exc:
                st.error(t("error.store", message=widgets.inert(str(exc))))
                return
            st.session_state[FLASH_KEY] = (
                "success",
                t("ring.removed", name=widgets.inert(by_ags[ags].name), ags=ags),
            )
            st.rerun()


_STATUS = ("submitted", "draft", "missing")


def _consent_toggles(t: Text, ring: Ring, statuses: list[MemberStatus]) -> None:
    """One toggle per member; only its editor (or an administrator) may change it."""
    who = context.principal()
    st.markdown(f"**{t('ring.consent_heading')}**")
    st.caption(t("ring.consent_help"))
    if not all(who.can_edit(member.ags) for member in statuses):
        st.caption(t("ring.consent_by_member"))
    columns = st.columns(2)
    for index, member in enumerate(statuses):
        key = _consent_key(ring.id, member)
        columns[index % 2].toggle(
            t("ring.consent_toggle", name=widgets.inert(member.name), ags=member.ags),
            value=member.consent_named,
            key=key,
            on_change=_consent_changed,
            args=(ring.id, member.ags, member.name, key),
            disabled=not who.can_edit(member.ags),
        )


def _consent_key(ring_id: int, member: MemberStatus) -> str:
    """A key per recorded consent: after a change (here or elsewhere) the toggle starts anew
    from the stored value."""
    stamp = member.consent_at.isoformat() if member.consent_at else "-"
    return f"ring-consent:{ring_id}:{member.ags}:{int(member.consent_named)}:{stamp}"


def _consent_changed(ring_id: int, ags: str, name: str, key: str) -> None:
    t = context.text()
    consent = bool(st.session_state[key])
    if not _may_change_member(t, ags, "consent"):
        return
    try:
        _service().set_consent(ring_id, ags, consent, context.actor())
    except (RingError, StoreError) as exc:
        st.session_state[FLASH_KEY] = (
            "warning",
            t("error.store", message=widgets.inert(str(exc))),
        )
        return
    message = "ring.consent_given" if consent else "ring.consent_withdrawn"
    st.session_state[FLASH_KEY] = ("success", t(message, name=widgets.inert(name), ags=ags))


def _add_members(t: Text, ring: Ring, statuses: list[MemberStatus]) -> None:
    st.markdown(f"**{t('ring.add_heading')}**")
    members = {s.ags for s in statuses}
    query = st.text_input(
        t("ring.search"), placeholder=t("ring.search_hint"), key=f"ring-search:{ring.id}"
    )
    found = []
    if query.strip():
        found = [
            m
            for m in context.store().municipalities.list(search=query.strip(), limit=SEARCH_LIMIT)
            if m.ags not in members
        ]
        if not found:
            st.caption(t("ring.search_none", query=widgets.inert(query.strip())))
    by_ags = {m.ags: m for m in found}
    chosen_key = f"ring-add-found:{ring.id}"
    kept = [a for a in st.session_state.get(chosen_key, []) if a in by_ags]
    st.multiselect(
        t("ring.search_results"),
        options=list(by_ags),
        default=kept,
        format_func=lambda a: widgets.municipality_label(by_ags[a], t),
        key=chosen_key,
    )
    st.text_area(t("ring.add_ags"), help=t("ring.add_ags_help"), key=f"ring-add-ags:{ring.id}")
    st.checkbox(t("ring.add_consent"), key=f"ring-add-consent:{ring.id}")
    st.button(
        t("ring.add_button"),
        key=f"ring-add:{ring.id}",
        on_click=_add_clicked,
        args=(ring.id,),
        icon=":material/group_add:",
    )
    problem = st.session_state.pop(f"ring-add-problem:{ring.id}", None)
    for line in problem or []:
        st.error(line)


def _add_clicked(ring_id: int) -> None:
    """Add the municipalities found and the AGS typed; on success empty both fields."""
    t = context.text()
    found_key, typed_key = f"ring-add-found:{ring_id}", f"ring-add-ags:{ring_id}"
    typed = [a for a in re.split(r"[\s,;]+", st.session_state.get(typed_key, "")) if a]
    values = list(dict.fromkeys([*st.session_state.get(found_key, []), *typed]))
    consent = bool(st.session_state.get(f"ring-add-consent:{ring_id}", False))
    if not values:
        st.session_state[f"ring-add-problem:{ring_id}"] = [t("ring.add_nothing")]
        return
    if not _may_administer(t, "add members"):
        return
    try:
        added = _service().add_members(ring_id, values, context.actor(), consent_named=consent)
    except MemberError as exc:
        st.session_state[f"ring-add-problem:{ring_id}"] = member_problems(t, exc)
        return
    except (RingError, StoreError) as exc:
        st.session_state[f"ring-add-problem:{ring_id}"] = [
            t("error.store", message=widgets.inert(str(exc)))
        ]
        return
    st.session_state[found_key] = []
    st.session_state[typed_key] = ""
    st.session_state[FLASH_KEY] = ("success", t("ring.added", count=len(added)))


def member_problems(t: Text, exc: MemberError) -> list[str]:
    """The reasons members could not be added, in the page's language (Markdown: the values
    as typed are escaped)."""
    lines = []
    if exc.malformed:
        lines.append(t("ring.add_malformed", values=widgets.inert(", ".join(exc.malformed))))
    if exc.unknown:
        lines.append(t("ring.add_unknown", values=widgets.inert(", ".join(exc.unknown))))
    if exc.already:
        lines.append(t("ring.add_already", values=widgets.inert(", ".join(exc.already))))
    if exc.twice:
        lines.append(t("ring.add_twice", values=widgets.inert(", ".join(exc.twice))))
    return lines


# --- files -----------------------------------------------------------------------------------


def _import(t: Text, ring: Ring, period: int) -> None:
    st.caption(t("ring.import_help", period=period))
    nonce = st.session_state.get(UPLOAD_NONCE_KEY, 0)
    uploads = st.file_uploader(
        t("ring.upload"),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"ring-upload:{ring.id}:{nonce}",
        help=t("ring.upload_help"),
    )
    if st.button(
        t("ring.import_button"),
        key=f"ring-import:{ring.id}",
        disabled=not uploads,
        icon=":material/upload_file:",
    ):
        if not _may_coordinate(t, ring.id, "import"):
            st.rerun()
        bar = st.progress(0.0, text=t("ring.importing", done=0, total=len(uploads)))

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(done / total, text=t("ring.importing", done=done, total=total))

        outcomes = import_uploads(
            _service(), ring.id, uploads, context.actor(), period=period, progress=progress
        )
        st.session_state[RESULTS_KEY] = (ring.id, outcomes)
        st.session_state[UPLOAD_NONCE_KEY] = nonce + 1
        st.rerun()
    last = st.session_state.get(RESULTS_KEY)
    if last is not None and last[0] == ring.id:
        show_results(t, last[1])


def import_uploads(
    service: RingService,
    ring_id: int,
    uploads: Sequence[Upload],
    actor: str,
    *,
    period: int | None = None,
    progress: ProgressCallback | None = None,
) -> list[FileOutcome]:
    """Write the uploaded files to a temporary folder (under their own names, so the importer
    knows their kind) and import each on its own; the folder is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="nhm-ring-") as folder:
        paths = []
        names = []
        for index, upload in enumerate(uploads):
            name = Path(upload.name).name or f"file-{index + 1}"
            safe = re.sub(r"[^\w.\-]", "_", name)
            path = Path(folder) / f"{index + 1:03d}-{safe}"
            path.write_bytes(upload.getvalue())
            paths.append(path)
            names.append(name)
        return service.import_files(
            ring_id, paths, actor, names=names, period=period, progress=progress
        )


def result_lines(t: Text, outcomes: Sequence[FileOutcome]) -> list[tuple[bool, str]]:
    """A line per file, in the page's language: (imported, text). The lines are Markdown: the
    file's name and whatever the file's content put into a message are escaped."""
    lines = []
    for outcome in outcomes:
        if outcome.imported:
            action = outcome.action or ""
            lines.append(
                (
                    True,
                    t(
                        "ring.imported_line",
                        name=widgets.inert(outcome.name),
                        assessment=widgets.inert(outcome.key or ""),
                        action=t(ACTIONS[action]) if action in ACTIONS else action,
                    ),
                )
            )
            continue
        rejection = outcome.rejection or Rejection.INVALID
        lines.append(
            (
                False,
                t(
                    f"ring.rejected_{rejection.value}",
                    name=widgets.inert(outcome.name),
                    ags=widgets.inert(outcome.ags or "–"),
                    period=outcome.period or "–",
                    expected=outcome.expected_period or "–",
                    other=widgets.inert(outcome.other or "–"),
                    details="; ".join(_error_text(t, e) for e in outcome.errors) or "–",
                ),
            )
        )
    return lines


def _error_text(t: Text, error: FieldError) -> str:
    parts = []
    if error.cell:
        parts.append(t("ring.error_cell", cell=error.cell))
    elif error.line:
        parts.append(t("ring.error_line", line=error.line))
    if error.field:
        parts.append(widgets.inert(error.field))
    parts.append(widgets.inert(error.message))  # may quote the file's content
    return ": ".join(parts)


def show_results(t: Text, outcomes: Sequence[FileOutcome]) -> None:
    imported = sum(1 for o in outcomes if o.imported)
    rejected = len(outcomes) - imported
    st.markdown(
        f"**{t('ring.import_summary', imported=imported, rejected=rejected, total=len(outcomes))}**"
    )
    if rejected and imported:
        st.caption(t("ring.import_partial"))
    for ok, line in result_lines(t, outcomes):
        if ok:
            st.success(line, icon=":material/check_circle:")
        else:
            st.error(line, icon=":material/block:")


# --- the overview ----------------------------------------------------------------------------


def _overview(t: Text, ring: Ring, period: int, viewer: str | None) -> None:
    if viewer is not None:
        name = context.store().municipalities.names([viewer]).get(viewer, viewer)
        st.caption(t("ring.view_member", name=widgets.inert(name)))
    elif context.principal().readable_ags is None:  # may choose any member on the start page
        st.caption(t("ring.view_coordinator"))
    else:
        st.caption(t("ring.view_coordinator_only"))
    try:
        overview = _cached_overview(
            str(context.db_path()),
            str(context.store().assessments.peer_data_version()),
            _ring_key(ring),
            ring.id,
            period,
            viewer,
        )
    except (RingError, StoreError) as exc:
        st.warning(t("error.store", message=widgets.inert(str(exc))))
        return
    if overview.suppressed is not None or overview.group_size is None:
        reason = overview.suppressed.get(t.lang) if overview.suppressed else ""
        st.info(t("ring.suppressed", reason=reason), icon=":material/lock:")
        return
    st.caption(t("ring.group_size", n=overview.group_size, period=period))
    _strip(t, overview, ring)
    _members_table(t, overview)
    _criteria(t, overview, ring)


def _ring_key(ring: Ring) -> str:
    """What the overview depends on beyond the assessments: the ring itself, its members and
    their consent (``peer_data_version`` covers neither)."""
    members = context.store().rings.members(ring.id)
    consent = ",".join(
        f"{m.ags}:{int(m.consent_named)}:{m.consent_at.isoformat() if m.consent_at else ''}"
        for m in members
    )
    return f"{ring.id}:{ring.name}:{ring.min_group_size}:{consent}"


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_overview(
    path: str, version: str, ring_key: str, ring_id: int, period: int, viewer: str | None
) -> RingOverview:
    return _service().overview(ring_id, period, viewer)


def _own_label(t: Text, label: str, is_self: bool) -> str:
    return t("ring.own_label", label=label) if is_self else label


def _strip(t: Text, overview: RingOverview, ring: Ring) -> None:
    """Per dimension a dot for each member and a line at the median; the own dot stands out."""
    st.subheader(t("ring.dimensions"))
    catalog = context.catalog()
    titles = [d.title.get(t.lang) for d in catalog.dimensions]
    figure = go.Figure()
    count = max(len(overview.members), 1)
    for own in (False, True):
        xs: list[float] = []
        ys: list[float] = []
        texts: list[str] = []
        for index, dimension in enumerate(catalog.dimensions):
            item = overview.dimension(dimension.id)
            for position, score in enumerate(item.scores):
                if score.is_self != own:
                    continue
                offset = 0.0 if own else (position / count - 0.5) * 0.5
                xs.append(index + offset)
                ys.append(score.score)
                texts.append(
                    f"{_own_label(t, widgets.chart_text(score.label), score.is_self)}: "
                    f"{t.percent(score.score)}"
                )
        if not xs:
            continue
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=t("ring.own_marker") if own else t("ring.members_marker"),
                marker={
                    "symbol": "diamond" if own else "circle",
                    "size": 15 if own else 10,
                    "color": OWN_COLOUR if own else MEMBER_COLOUR,
                    "opacity": 1.0 if own else 0.75,
                    "line": {"color": "#000000", "width": 1.5 if own else 0.5},
                },
                text=texts,
                hovertemplate="%{text}<extra></extra>",
            )
        )
    medians_x: list[float | None] = []
    medians_y: list[float | None] = []
    for index, dimension in enumerate(catalog.dimensions):
        stats = overview.dimension(dimension.id).statistics
        if stats is None:
            continue
        medians_x += [index - 0.35, index + 0.35, None]
        medians_y += [stats.median, stats.median, None]
    if medians_x:
        figure.add_trace(
            go.Scatter(
                x=medians_x,
                y=medians_y,
                mode="lines",
                name=t("ring.median_marker"),
                line={"color": charts.BLACK, "width": 3},
                hoverinfo="skip",
            )
        )
    figure.update_layout(
        title={
            "text": t(
                "ring.strip_title", name=widgets.chart_text(ring.name), period=overview.period
            )
        },
        xaxis={
            "tickvals": list(range(len(titles))),
            "ticktext": titles,
            "range": [-0.6, len(titles) - 0.4],
        },
        yaxis={"range": [-3, 103], "ticksuffix": " %", "title": {"text": t("col.score")}},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 60, "r": 30, "t": 70, "b": 40},
        separators=",." if t.lang == "de" else ".,",
        height=480,
    )
    st.plotly_chart(
        figure,
        width="stretch",
        config=charts.image_config(f"nhm-ring-{ring.id}-{overview.period}-dimensionen"),
    )
    st.caption(t("ring.strip_note"))
    extremes = any(
        d.statistics is not None and d.statistics.minimum is not None for d in overview.dimensions
    )
    rows = []
    for dimension in catalog.dimensions:
        row = {
            t("col.dimension"): dimension.title.get(t.lang),
            **widgets.statistics_cells(t, overview.dimension(dimension.id).statistics, extremes),
        }
        if overview.viewer_is_member:
            row[t("benchmark.col_own")] = t.percent(overview.dimension(dimension.id).own_score)
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    if not extremes:
        st.caption(t("ring.extremes_note", min=MIN_SIZE_FOR_EXTREMES))


def _members_table(t: Text, overview: RingOverview) -> None:
    st.subheader(t("ring.members_scores"))
    catalog = context.catalog()
    rows = []
    for member in overview.members:
        row = {t("ring.col_member"): _own_label(t, member.label, member.is_self)}
        for dimension in catalog.dimensions:
            row[dimension.title.get(t.lang)] = t.percent(member.scores.get(dimension.id))
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(t("ring.labels_note"))


def _criteria(t: Text, overview: RingOverview, ring: Ring) -> None:
    st.subheader(t("ring.criteria"))
    catalog = context.catalog()
    dimensions = {d.id: d for d in catalog.dimensions}
    dimension_id = st.selectbox(
        t("benchmark.dimension"),
        options=list(dimensions),
        format_func=lambda i: dimensions[i].title.get(t.lang),
        key=f"ring-dimension:{ring.id}",
    )
    dimension = dimensions[dimension_id]
    by_id = {c.criterion_id: c for c in overview.criteria}
    items = [
        (f"{i}. {c.title.get(t.lang)}", by_id.get(dimension.full_id(c)))
        for i, c in enumerate(dimension.criteria, start=1)
    ]
    columns = [t("wizard.level_short", level=level) for level in LEVELS]
    columns.append(t("benchmark.na_short"))
    shares: list[list[float | None]] = []
    texts: list[list[str]] = []
    table = []
    for label, item in items:
        counts = _counts(item)
        total = sum(counts) if counts else 0
        row: dict[str, str] = {
            t("col.criterion"): label,
            t("benchmark.col_n"): t.number(item.statistics.n, 0)
            if item is not None and item.statistics is not None
            else "–",
        }
        if counts is None or not total:
            shares.append([None] * len(columns))
            texts.append(["–"] * len(columns))
            row.update(dict.fromkeys(columns, "–"))
        else:
            shares.append([100.0 * c / total for c in counts])
            texts.append([t.number(c, 0) for c in counts])
            row.update(
                {
                    column: f"{t.number(c, 0)} ({t.percent(100.0 * c / total, 0)})"
                    for column, c in zip(columns, counts, strict=True)
                }
            )
        if overview.viewer_is_member:
            own = "–"
            if item is not None and item.own_not_applicable:
                own = columns[-1]
            elif item is not None and item.own_level is not None:
                own = str(item.own_level)
            row[t("benchmark.col_own_level")] = own
        table.append(row)
    rows = [label for label, _ in items]
    own_cells: list[tuple[str, str]] = []
    if overview.viewer_is_member:
        for label, item in items:
            if item is None or item.distribution is None:
                continue
            if item.own_not_applicable:
                own_cells.append((columns[-1], label))
            elif item.own_level is not None:
                own_cells.append((columns[item.own_level], label))
    figure = charts.level_heatmap(
        rows, columns, shares, texts, t("benchmark.share"), own_cells, t("ring.own_level_marker")
    )
    figure.update_layout(
        title={
            "text": t(
                "ring.heatmap_title",
                dimension=dimension.title.get(t.lang),
                n=overview.group_size or 0,
            )
        },
        xaxis={"side": "top", "type": "category", "categoryarray": columns},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        legend={"orientation": "h", "y": -0.05},
        margin={"l": 20, "r": 20, "t": 110, "b": 40},
        separators=",." if t.lang == "de" else ".,",
        height=160 + 48 * len(rows),
    )
    st.plotly_chart(
        figure,
        width="stretch",
        config=charts.image_config(f"nhm-ring-{ring.id}-{overview.period}-{dimension.id}"),
    )
    st.caption(t("ring.heatmap_note"))
    with st.expander(t("chart.numbers"), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch")


def _counts(item: CriterionOverview | None) -> list[int] | None:
    if item is None or item.distribution is None:
        return None
    return [item.distribution.get(level, 0) for level in LEVELS] + [item.not_applicable or 0]


# --- the report ------------------------------------------------------------------------------


def _report(t: Text, ring: Ring, period: int, viewer: str | None) -> None:
    st.caption(t("ring.report_help"))
    st.caption(t("ring.view_member_report") if viewer else t("ring.view_coordinator_report"))
    reports: dict[tuple[object, ...], bytes] = st.session_state.setdefault(REPORTS_KEY, {})
    version = str(context.store().assessments.peer_data_version()) + _ring_key(ring)
    columns = st.columns(2)
    for column, fmt in zip(columns, ("pdf", "xlsx"), strict=True):
        key = (ring.id, period, viewer, t.lang, fmt, version)
        with column:
            if key not in reports and st.button(
                t(f"ring.make_{fmt}"),
                key=f"ring-make-{fmt}:{ring.id}",
                icon=":material/description:",
            ):
                with st.spinner(t("ring.making")):
                    try:
                        reports[key] = _exported_report(ring, period, viewer, t.lang, fmt)
                    except access.AccessDenied:
                        st.error(t("access.refused_ring"))
                    except (RingError, StoreError, RuntimeError) as exc:
                        st.error(t("ring.report_failed", message=widgets.inert(str(exc))))
            if key in reports:
                st.download_button(
                    t(f"ring.download_{fmt}"),
                    data=reports[key],
                    file_name=report_file_name(ring, period, fmt),
                    mime=MIME[fmt],
                    key=f"ring-download-{fmt}:{ring.id}",
                    icon=":material/download:",
                )


def _exported_report(ring: Ring, period: int, viewer: str | None, lang: str, fmt: str) -> bytes:
    """The ring report for the coordinator, or for a member's reader seen from their own
    municipality (``viewer``); checked and logged as an export."""
    store, who = context.store(), context.principal()
    if viewer is None:
        access.require_coordinate(store, who, ring.id, via=f"view ringe: report {fmt}")
    else:
        access.require_read(store, who, viewer, via=f"view ringe: report {fmt}")
    data = build_report(ring.id, period, viewer, lang, fmt)
    detail = {"period": period, "viewer": viewer, "bytes": len(data), "via": "app"}
    kind = f"ring_report_{fmt}"
    access.record_export(store, who, kind, "ring", str(ring.id), detail, actor=context.actor())
    return data


def build_report(ring_id: int, period: int, viewer: str | None, lang: str, fmt: str) -> bytes:
    from nhm.report.ring_report import build_ring_report, ring_report_pdf, ring_report_xlsx

    report = build_ring_report(_service(), ring_id, period=period, viewer=viewer, lang=lang)
    return ring_report_pdf(report) if fmt == "pdf" else ring_report_xlsx(report)


def report_file_name(ring: Ring, period: int, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", ring.name.lower()).strip("-") or f"ring-{ring.id}"
    return f"nhm-vergleichsring-{slug}-{period}.{fmt}"
