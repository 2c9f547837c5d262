"""Start: choose the municipality and period and see the state of its assessments."""

from __future__ import annotations

from datetime import date

import streamlit as st
from pydantic import ValidationError

from nhm.auth import access
from nhm.municipality import Municipality, MunicipalityKind, is_demo_ags
from nhm.store import StoreError
from nhm.store.assessments import AssessmentSummary
from nhm.ui import context, widgets
from nhm.ui.i18n import Text

SEARCH_LIMIT = 50
RECENT_DRAFTS = 5

FLASH_KEY = "nhm_start_flash"
"""A message for the next run (shown once after the rerun that follows a change)."""


def render() -> None:
    t = context.text()
    st.title(t("start.title"))
    st.write(t("start.intro"))
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    store = context.store()
    who = context.principal()
    if who.readable_ags is None and store.municipalities.count() == 0:
        st.info(t("start.empty_directory"))
    elif who.readable_ags is not None and not who.readable_ags:
        _nothing_to_choose(t)
    _continue_drafts(t)
    if who.is_admin:  # adding to the directory is for administrators
        left, right = st.columns([3, 2], gap="large")
        with left:
            _search(t)
        with right:
            _add_by_hand(t)
    else:
        _search(t)
    chosen = context.selection()
    if chosen is None:
        return
    st.divider()
    _assessments_of(t, chosen)


def _nothing_to_choose(t: Text) -> None:
    """An account without a municipality: the rings it coordinates, or whom to ask."""
    who = context.principal()
    rings = [context.store().rings.get(ring_id) for ring_id in sorted(who.coordinator_rings)]
    names = ", ".join(widgets.inert(ring.name) for ring in rings if ring is not None)
    if not names:
        st.info(t("access.no_municipalities"))
        return
    st.info(t("access.coordinator_only", rings=names), icon=":material/hub:")
    st.page_link(widgets.page("ring"), label=t("ring.nav"), icon=":material/hub:")


def _continue_drafts(t: Text) -> None:
    """Drafts edited most recently: one click continues where the work stopped."""
    who = context.principal()
    drafts = context.store().assessments.recent_drafts(
        RECENT_DRAFTS,
        only=None if who.is_admin else who.editor_ags,  # the ones to work on
    )
    if not drafts:
        return
    names = context.store().municipalities.names([s.ags for s in drafts])
    st.subheader(t("start.continue"))
    for summary in drafts:
        label = t(
            "start.continue_item",
            name=widgets.inert(names.get(summary.ags, summary.ags)),
            ags=summary.ags,
            period=summary.period,
            answered=summary.answered,
            updated=widgets.local_time(summary.updated_at),
        )
        if st.button(label, key=f"continue-{summary.id}", icon=":material/edit_note:"):
            context.choose(summary.ags, summary.period)
            st.switch_page(widgets.page("assessment"))


def _search(t: Text) -> None:
    st.subheader(t("start.choose"))
    query = st.text_input(t("start.search"), placeholder=t("start.search_hint"), key="start-search")
    chosen = context.selection()
    store = context.store()
    matches = store.municipalities.list(
        search=query.strip() or None, limit=SEARCH_LIMIT, only=context.principal().readable_ags
    )
    if chosen is not None and all(m.ags != chosen.municipality.ags for m in matches):
        matches.insert(0, chosen.municipality)
    if not matches:
        if query.strip():  # an empty directory is explained above; no search, no "no match"
            st.warning(t("start.no_match", query=widgets.inert(query)))
        return
    if len(matches) >= SEARCH_LIMIT:
        st.caption(t("start.more_matches", limit=SEARCH_LIMIT))
    by_ags = {m.ags: m for m in matches}
    current = chosen.municipality.ags if chosen is not None else None
    options = list(by_ags)
    ags = st.selectbox(
        t("start.municipality"),
        options=options,
        index=options.index(current) if current in by_ags else None,
        format_func=lambda a: widgets.municipality_label(by_ags[a], t),
        placeholder=t("start.municipality_placeholder"),
        key=f"start-municipality-{query}",
    )
    default_period = chosen.period if chosen is not None else date.today().year
    period = st.number_input(
        t("start.period"),
        min_value=1990,
        max_value=2100,
        value=default_period,
        step=1,
        help=t("start.period_help"),
        key=f"start-period-{current}-{default_period}",
    )
    if ags is None or chosen is None:
        if ags is not None:  # a first choice: open its latest year
            latest = store.assessments.latest_period(ags)
            context.choose(ags, latest if latest is not None else date.today().year)
            st.rerun()
        return
    if ags != current:  # another municipality: its latest year
        latest = store.assessments.latest_period(ags)
        context.choose(ags, latest if latest is not None else int(period))
        st.rerun()
    elif int(period) != chosen.period:
        context.choose(ags, int(period))
        st.rerun()


def _add_by_hand(t: Text) -> None:
    with st.expander(t("start.add_title"), icon=":material/add_location:"):
        st.caption(t("start.add_help"))
        with st.form("add-municipality", clear_on_submit=False):
            # room for "03 499 010" as printed in directories; spaces are removed below
            ags = st.text_input(t("field.ags"), max_chars=12, help=t("field.ags_help"))
            name = st.text_input(t("field.name"), max_chars=200)
            kinds = list(MunicipalityKind)
            kind = st.selectbox(
                t("field.kind"),
                options=kinds,
                index=kinds.index(MunicipalityKind.GEMEINDE),
                format_func=lambda k: k.label[t.lang],
            )
            population = st.number_input(
                t("field.population"), min_value=0, max_value=10_000_000, value=None, step=1
            )
            submitted = st.form_submit_button(t("start.add_button"))
        if submitted:
            _save_municipality(t, "".join(ags.split()), name, kind, population)


def _save_municipality(
    t: Text, ags: str, name: str, kind: MunicipalityKind, population: int | None
) -> None:
    store = context.store()
    try:
        access.require_admin(store, context.principal(), via="view start: add municipality")
    except access.AccessDenied:
        st.error(t("access.admin_only"))
        return
    if store.municipalities.get(ags) is not None:
        st.error(t("start.add_exists", ags=widgets.inert(ags)))
        return
    try:
        municipality = Municipality(
            ags=ags,
            name=name,
            kind=kind,
            population=None if population is None else int(population),
            is_demo=is_demo_ags(ags),
        )
        store.municipalities.save(municipality, context.actor())
    except ValidationError as exc:
        for line in widgets.validation_lines(exc, t):
            st.error(line)
        return
    except StoreError as exc:
        st.error(t("error.store", message=widgets.inert(str(exc))))
        return
    st.session_state[FLASH_KEY] = t(
        "start.added",
        name=widgets.inert(municipality.name),
        ags=municipality.ags,
        land=municipality.land_name,
    )
    context.choose(municipality.ags, date.today().year)
    st.rerun()  # the search list and the sidebar show the new municipality


def _assessments_of(t: Text, chosen: context.Selection) -> None:
    municipality = chosen.municipality
    st.subheader(
        t("start.state_title", name=widgets.inert(municipality.name), ags=municipality.ags)
    )
    st.caption(widgets.municipality_facts(municipality, t))
    store = context.store()
    summaries = store.assessments.list(ags=municipality.ags)
    total = sum(len(d.criteria) for d in context.catalog().dimensions)
    if summaries:
        st.dataframe(
            [_summary_row(t, s, total) for s in reversed(summaries)],
            hide_index=True,
            width="stretch",
        )
    this_period = [s for s in summaries if s.period == chosen.period]
    latest = this_period[-1] if this_period else None
    may_edit = context.principal().can_edit(municipality.ags)
    if latest is None:
        st.info(t("start.none_for_period", period=chosen.period))
        if not may_edit:
            st.caption(t("access.begin_needs_editor"))
        if may_edit and st.button(
            t("start.begin", period=chosen.period), type="primary", icon=":material/play_arrow:"
        ):
            _begin(t, municipality.ags, chosen.period)
        return
    status = t(f"status.{latest.status.value}")
    st.write(
        t(
            "start.current",
            period=chosen.period,
            revision=latest.revision,
            status=status,
            answered=latest.answered,
            total=total,
        )
    )
    left, right = st.columns(2)
    if not latest.is_draft:
        label = t("start.view_submitted")
    else:
        label = t("start.open_draft") if may_edit else t("start.view_draft")
    if left.button(label, type="primary", icon=":material/edit_note:"):
        st.switch_page(widgets.page("assessment"))
    if right.button(t("start.open_results"), icon=":material/insights:"):
        st.switch_page(widgets.page("results"))


def _summary_row(t: Text, summary: AssessmentSummary, total: int) -> dict[str, object]:
    return {
        t("col.period"): summary.period,
        t("col.revision"): summary.revision,
        t("col.status"): t(f"status.{summary.status.value}"),
        t("col.answered"): f"{summary.answered} / {total}",
        t("col.updated"): widgets.local_time(summary.updated_at),
        t("col.updated_by"): summary.updated_by,
    }


def _begin(t: Text, ags: str, period: int) -> None:
    try:
        access.require_edit(context.store(), context.principal(), ags, via="view start: begin")
        context.store().assessments.create_draft(ags, period, context.catalog(), context.actor())
    except access.AccessDenied:
        st.error(t("access.refused_edit", ags=ags))
        return
    except StoreError as exc:
        st.error(t("error.store", message=widgets.inert(str(exc))))
        return
    st.switch_page(widgets.page("assessment"))
