"""History (Verlauf): a municipality's scores across periods with its targets, where it stands
against them and what it gained since the first assessment, and what changed between any two
of its assessments.

Only the chosen municipality's assessments are read (a few small queries per run), so the page
costs the same in a national database as in a small one; nothing is cached."""

from __future__ import annotations

import streamlit as st

from nhm.assessment import Response
from nhm.history import (
    Aspect,
    Comparison,
    CriterionChange,
    History,
    PeriodPoint,
    compare,
    load_history,
)
from nhm.model import Catalog
from nhm.municipality import Municipality
from nhm.store.assessments import AssessmentSummary
from nhm.ui import charts, context, widgets
from nhm.ui.i18n import Text

REFERENCE_CHARACTERS = 60
"""Evidence references are shortened to this in the table of changes."""


def render() -> None:
    t = context.text()
    chosen = context.selection()
    if chosen is None:
        st.title(t("history.title_plain"))
        st.info(t("common.choose_first"))
        st.page_link(widgets.page("start"), label=t("nav.start"), icon=":material/home:")
        return
    municipality = chosen.municipality
    st.title(t("history.title", name=widgets.inert(municipality.name)))
    store = context.store()
    summaries = store.assessments.list(ags=municipality.ags)
    if not summaries:
        st.info(t("history.none", name=widgets.inert(municipality.name)))
        st.page_link(widgets.page("start"), label=t("nav.start"), icon=":material/home:")
        return
    catalog = context.catalog()
    history = load_history(store, municipality.ags, catalog, context.plugin_host(), summaries)
    st.caption(t("history.counting_note"))
    _chart(t, municipality, history, catalog)
    _targets(t, history, catalog)
    _changes(t, municipality, summaries, catalog)


# --- (a) scores across periods ------------------------------------------------------------------


def _period_label(t: Text, point: PeriodPoint) -> str:
    return t("history.period_draft", period=point.period) if point.is_draft else str(point.period)


def _chart(t: Text, municipality: Municipality, history: History, catalog: Catalog) -> None:
    st.subheader(t("history.scores"))
    points = history.points
    periods = [_period_label(t, p) for p in points]
    overall_label = points[0].scores.overall.label.get(t.lang)
    lines = [charts.TrendLine(overall_label, [p.overall for p in points], group="overall")]
    for index, dimension in enumerate(catalog.dimensions):
        title = dimension.title.get(t.lang)
        lines.append(
            charts.TrendLine(
                title, [p.score(dimension.id) for p in points], color=index, group=dimension.id
            )
        )
        targets = [p.target_score(dimension.id) for p in points]
        if any(v is not None for v in targets):
            lines.append(
                charts.TrendLine(
                    t("history.target_line", dimension=title),
                    targets,
                    color=index,
                    target=True,
                    group=dimension.id,
                )
            )
    figure = charts.trend(
        periods,
        lines,
        t("history.chart_title", name=widgets.chart_text(municipality.name)),
        separators=",." if t.lang == "de" else ".,",
    )
    st.plotly_chart(
        figure,
        width="stretch",
        config={
            "displaylogo": False,
            "toImageButtonOptions": {
                "format": "png",
                "filename": f"nhm-verlauf-{municipality.ags}",
                "scale": 2,
            },
        },
    )
    drafts = [str(p.period) for p in points if p.is_draft]
    if drafts:
        st.caption(t("history.draft_periods", periods=", ".join(drafts)))
    if history.has_targets:
        st.caption(t("history.target_note"))
    with st.expander(t("chart.numbers"), expanded=False):
        st.dataframe(
            [
                {
                    t("history.col_series"): line.name,
                    **{
                        period: t.percent(value)
                        for period, value in zip(periods, line.values, strict=True)
                    },
                }
                for line in lines
            ],
            hide_index=True,
            width="stretch",
        )


# --- (b) targets and progress -------------------------------------------------------------------


def _targets(t: Text, history: History, catalog: Catalog) -> None:
    latest, baseline = history.latest, history.baseline
    assert latest is not None
    st.subheader(t("history.targets_heading", period=latest.period))
    status = t(f"status.{latest.status.value}")
    if baseline is not None and baseline.period < latest.period:
        st.caption(
            t(
                "history.targets_caption",
                period=latest.period,
                revision=latest.revision,
                status=status,
                first=baseline.period,
            )
        )
    else:
        st.caption(
            t(
                "history.targets_caption_no_baseline",
                period=latest.period,
                revision=latest.revision,
                status=status,
            )
        )
    if latest.is_draft:
        st.caption(t("history.latest_draft"))
    overall = history.progress(None)
    rows = [
        {
            t("col.dimension"): latest.scores.overall.label.get(t.lang),
            t("history.col_current"): t.percent(latest.overall),
            t("col.target"): "–",
            t("history.col_gap"): "–",
            t("history.col_of_target"): "–",
            t("history.col_first"): t.percent(overall.baseline),
            t("col.progress"): t.signed(overall.change),
        }
    ]
    for dimension in catalog.dimensions:
        target = latest.targets.get(dimension.id)
        progress = history.progress(dimension.id)
        has_target = target is not None and target.has_targets
        rows.append(
            {
                t("col.dimension"): dimension.title.get(t.lang),
                t("history.col_current"): t.percent(latest.score(dimension.id)),
                t("col.target"): t.percent(target.target_score) if has_target else "–",
                t("history.col_gap"): _points(t, target.gap if target else None),
                t("history.col_of_target"): t.percent(target.percent_of_target if target else None),
                t("history.col_first"): t.percent(progress.baseline),
                t("col.progress"): t.signed(progress.change),
            }
        )
    st.dataframe(rows, hide_index=True, width="stretch")
    if not history.targets:
        st.caption(t("history.no_targets"))


def _points(t: Text, value: float | None) -> str:
    """A distance in percentage points, without a sign."""
    return "–" if value is None else t("history.points", value=t.number(value))


# --- (c) what changed ---------------------------------------------------------------------------


def _changes(
    t: Text, municipality: Municipality, summaries: list[AssessmentSummary], catalog: Catalog
) -> None:
    st.subheader(t("history.compare"))
    if len(summaries) < 2:
        st.info(t("history.compare_single"))
        return
    by_id = {s.id: s for s in summaries}
    newest_first = [s.id for s in reversed(summaries)]  # ordered by period and revision

    def label(assessment_id: int) -> str:
        summary = by_id[assessment_id]
        return t(
            "history.assessment_option",
            period=summary.period,
            revision=summary.revision,
            status=t(f"status.{summary.status.value}"),
            date=widgets.local_time(summary.submitted_at or summary.updated_at).split(" ")[0],
        )

    left, right = st.columns(2)
    before_id = left.selectbox(
        t("history.before"),
        options=newest_first,
        index=1,
        format_func=label,
        key=f"history-before:{municipality.ags}",
    )
    after_id = right.selectbox(
        t("history.after"),
        options=newest_first,
        index=0,
        format_func=label,
        key=f"history-after:{municipality.ags}",
    )
    if before_id == after_id:
        st.info(t("history.compare_same"))
        return
    store = context.store()
    before = store.assessments.get_by_id(before_id)
    after = store.assessments.get_by_id(after_id)
    comparison = compare(before.to_assessment(), after.to_assessment(), catalog)
    _summary_line(t, comparison)
    show_all = st.toggle(t("history.show_unchanged"), key="history-show-unchanged")
    changes = comparison.changes if show_all else comparison.changed
    if not changes:
        st.caption(t("history.no_changes"))
        return
    st.dataframe(
        [_change_row(t, catalog, change) for change in changes],
        hide_index=True,
        width="stretch",
    )


def _summary_line(t: Text, comparison: Comparison) -> None:
    st.markdown(
        t(
            "history.summary",
            improved=comparison.improved,
            worsened=comparison.worsened,
            changed=comparison.otherwise_changed,
            total=len(comparison.changes),
        )
    )


def _change_row(t: Text, catalog: Catalog, change: CriterionChange) -> dict[str, str]:
    try:
        dimension = catalog.dimension(change.dimension_id).title.get(t.lang)
    except KeyError:  # a dimension no installed plugin provides any more
        dimension = change.dimension_id
    return {
        t("col.dimension"): dimension,
        t("col.criterion"): widgets.criterion_title(catalog, change.criterion_id, t.lang),
        t("history.col_before"): _answer(t, change.before),
        t("history.col_after"): _answer(t, change.after),
        t("history.col_change"): t(f"history.kind.{change.kind.value}"),
        t("history.col_details"): "; ".join(_aspect(t, change, a) for a in change.aspects),
    }


def _answer(t: Text, response: Response | None) -> str:
    if response is None:
        return "–"
    if response.not_applicable:
        return t("wizard.not_applicable")
    return t("wizard.level_short", level=response.level)


def _aspect(t: Text, change: CriterionChange, aspect: Aspect) -> str:
    before, after = change.before, change.after
    if aspect is Aspect.LEVEL:
        return t("history.aspect.level", before=change.level_before, after=change.level_after)
    if aspect is Aspect.EVIDENCE_STATUS and before is not None and after is not None:
        return t(
            "history.aspect.evidence_status",
            before=t(f"evidence.{before.evidence_status.value}"),
            after=t(f"evidence.{after.evidence_status.value}"),
        )
    if aspect is Aspect.EVIDENCE_REFERENCE and before is not None and after is not None:
        return t(
            "history.aspect.evidence_reference",
            before=_short(before.evidence_reference),
            after=_short(after.evidence_reference),
        )
    return t(f"history.aspect.{aspect.value}")


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    if not text:
        return "–"
    if len(text) <= REFERENCE_CHARACTERS:
        return text
    return text[: REFERENCE_CHARACTERS - 1] + "…"
