"""Benchmark ("Vergleich"): the municipality's position in a peer group of its choice.

Per dimension a box plot of the group (built from its quartiles: no single peer's value is ever
drawn) with the municipality's own score marked, per criterion a heat map of the levels the
group chose, each with its numbers as a table. Groups below the minimum size, and narrow
groups that would reveal a few municipalities by difference with a broader one, show only the
reason (see :mod:`nhm.benchmark`).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from nhm.benchmark import (
    MIN_SIZE_FOR_EXTREMES,
    BenchmarkError,
    BenchmarkResult,
    BenchmarkService,
    CriterionBenchmark,
    DimensionBenchmark,
    PeerGroupSpec,
    PluginScores,
    Statistics,
)
from nhm.model import Dimension
from nhm.municipality import Municipality
from nhm.store import StoreError
from nhm.store.assessments import AssessmentSummary
from nhm.store.rings import Ring
from nhm.ui import charts, context, widgets
from nhm.ui.i18n import Text

LEVELS = (0, 1, 2, 3, 4)
OWN_COLOUR = charts.OWN_COLOUR
GROUP_COLOUR = charts.OKABE_ITO[0]  # blue: the peer group
DIFFERENCING = "differencing"


def render() -> None:
    t = context.text()
    chosen = context.selection()
    if chosen is None:
        st.title(t("benchmark.title_plain"))
        st.info(t("common.choose_first"))
        st.page_link(widgets.page("start"), label=t("nav.start"), icon=":material/home:")
        return
    municipality = chosen.municipality
    store = context.store()
    summaries = store.assessments.list(ags=municipality.ags)
    periods = sorted({s.period for s in summaries}, reverse=True)
    if not periods:
        name = widgets.inert(municipality.name)
        st.title(t("benchmark.title", name=name, period=chosen.period))
        st.info(t("benchmark.no_assessment", name=name))
        st.page_link(
            widgets.page("assessment"), label=t("nav.assessment"), icon=":material/edit_note:"
        )
        return
    heading = st.empty()  # the title names the year chosen below it
    st.caption(t("benchmark.intro"))
    period = _period(t, municipality, chosen.period, periods)
    heading.title(t("benchmark.title", name=widgets.inert(municipality.name), period=period))
    spec, ring = _peer_group(t, municipality)
    own = _own_assessment([s for s in summaries if s.period == period])
    try:
        result = _benchmark(
            str(store.path),
            str(store.assessments.peer_data_version()),
            (own.id, own.version) if own else None,
            municipality.ags,
            period,
            str(spec),
            _ring_key(ring),
        )
    except (BenchmarkError, StoreError) as exc:
        st.warning(t("benchmark.error", reason=widgets.inert(str(exc))))
        return
    group = result.group.label.get(t.lang)  # names a chosen ring: free text
    shown = widgets.inert(group)
    if result.refusal == DIFFERENCING:
        reason = widgets.inert(result.suppressed.get(t.lang)) if result.suppressed else ""
        st.warning(t("benchmark.refused", group=shown, reason=reason), icon=":material/block:")
        return
    if result.suppressed is not None or result.group_size is None:
        reason = widgets.inert(result.suppressed.get(t.lang)) if result.suppressed else ""
        st.info(t("benchmark.suppressed", group=shown, reason=reason), icon=":material/lock:")
        return
    n = t.number(result.group_size, 0)
    st.subheader(t("benchmark.group", group=shown))
    st.caption(t("benchmark.group_size", n=n, period=period))
    if result.own_status == "draft":
        st.caption(t("benchmark.own_draft"))
    elif result.own_status is None:
        st.caption(t("benchmark.own_none", name=widgets.inert(municipality.name), period=period))
    st.caption(t("benchmark.percentile_note"))
    filename = f"nhm-vergleich-{municipality.ags}-{period}-{str(spec).replace('+', '-')}"
    _dimensions(t, municipality, result, group, n, filename.replace(":", "-"))
    _criteria(t, municipality, result, group, n, filename.replace(":", "-"))


# --- the choice ----------------------------------------------------------------------------


def _period(t: Text, municipality: Municipality, chosen: int, periods: list[int]) -> int:
    """The year to compare: one the municipality has an assessment for; choosing another
    makes it the app's current choice (as on the start page)."""
    key = f"benchmark-period:{municipality.ags}:{chosen}"

    def changed() -> None:
        context.choose(municipality.ags, int(st.session_state[key]))

    column, _ = st.columns([1, 3])
    return int(
        column.selectbox(
            t("benchmark.period"),
            options=periods,
            index=periods.index(chosen) if chosen in periods else 0,
            key=key,
            on_change=changed,
            help=t("benchmark.period_help"),
        )
    )


def _peer_group(t: Text, municipality: Municipality) -> tuple[PeerGroupSpec, Ring | None]:
    """Checkboxes for the properties the peers share; none checked is all municipalities."""
    st.markdown(f"**{t('benchmark.group_heading')}**")
    st.caption(t("benchmark.group_help", name=widgets.inert(municipality.name)))
    rings = _rings_of(municipality.ags)
    columns = st.columns(4 if rings else 3)
    kind = t("benchmark.kind_county" if municipality.kind.is_county else "benchmark.kind_towns")
    size_class = columns[0].checkbox(
        t("benchmark.by_size_class", size_class=municipality.size_class)
        if municipality.size_class
        else t("benchmark.by_size_class_unknown"),
        key="benchmark-size_class",
        disabled=municipality.size_class is None,
        help=t("benchmark.size_class_help", kind=kind),
    )
    same_kind = columns[1].checkbox(
        t("benchmark.by_kind", kind=kind),
        key="benchmark-kind",
        help=t("benchmark.kind_help"),
        disabled=size_class,  # the size class already holds only the same kind
    )
    land = columns[2].checkbox(
        t("benchmark.by_land", land=municipality.land_name), key="benchmark-land"
    )
    ring: Ring | None = None
    if rings:
        by_id = {r.id: r for r in rings}
        ring_id = columns[3].selectbox(
            t("benchmark.ring"),
            options=[None, *by_id],
            format_func=lambda i: t("benchmark.no_ring") if i is None else by_id[i].name,
            key=f"benchmark-ring:{municipality.ags}",
            help=t("benchmark.ring_help", name=widgets.inert(municipality.name)),
        )
        ring = by_id.get(ring_id) if ring_id is not None else None
    spec = PeerGroupSpec(
        size_class=size_class and municipality.size_class is not None,
        kind=same_kind and not size_class,  # a size class already implies the kind
        land=land,
        ring_id=ring.id if ring else None,
    )
    return spec, ring


def _rings_of(ags: str) -> list[Ring]:
    """The rings the municipality is a member of: a ring is compared only among its members."""
    rings = context.store().rings
    return [r for r in rings.list() if any(m.ags == ags for m in rings.members(r.id))]


def _ring_key(ring: Ring | None) -> str:
    """What the cached result depends on beyond the peer data version: a ring's members and
    minimum group size (``peer_data_version`` does not cover ring memberships)."""
    if ring is None:
        return ""
    members = ",".join(m.ags for m in context.store().rings.members(ring.id))
    return f"{ring.id}:{ring.min_group_size}:{members}"


def _own_assessment(revisions: list[AssessmentSummary]) -> AssessmentSummary | None:
    """The revision the benchmark shows as the municipality's own: the latest submitted one,
    else the latest draft (as ``nhm.benchmark`` chooses it)."""
    if not revisions:
        return None
    return max(revisions, key=lambda s: (not s.is_draft, s.revision))


@st.cache_data(show_spinner=False, max_entries=256)
def _benchmark(
    path: str,
    version: str,
    own: tuple[int, int] | None,
    ags: str,
    period: int,
    spec: str,
    ring: str,
) -> BenchmarkResult:
    """The benchmark, cached per database, version of the peers' data, own assessment (its id
    and version change with every saved answer), municipality, period, group and ring
    membership. On a national database a benchmark takes about a second: too long for every
    rerun of the page."""
    catalog = context.catalog()
    service = BenchmarkService(
        context.store(), catalog, PluginScores.from_host(context.plugin_host(), catalog)
    )
    return service.benchmark(ags, period, PeerGroupSpec.parse(spec))


# --- dimensions ----------------------------------------------------------------------------


def _dimensions(
    t: Text, municipality: Municipality, result: BenchmarkResult, group: str, n: str, name: str
) -> None:
    st.subheader(t("benchmark.dimensions"))
    catalog = context.catalog()
    items = [(d, result.dimension(d.id)) for d in catalog.dimensions]
    title = t("benchmark.box_title", group=widgets.chart_text(group), n=n)
    figure = _box_plot(t, municipality, items, title)
    st.plotly_chart(figure, width="stretch", config=_config(f"{name}-dimensionen"))
    st.caption(t("benchmark.box_note", min=MIN_SIZE_FOR_EXTREMES))
    extremes = any(b.statistics and b.statistics.minimum is not None for _, b in items)
    rows = []
    for dimension, item in items:
        row = {
            t("col.dimension"): dimension.title.get(t.lang),
            **widgets.statistics_cells(t, item.statistics, extremes),
        }
        row[t("benchmark.col_own")] = t.percent(item.own_score)
        row[t("benchmark.col_rank")] = t.percent(item.percentile_rank, 0)
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    hidden = [d.title.get(t.lang) for d, b in items if b.statistics is None]
    if hidden:
        st.caption(t("benchmark.dimensions_suppressed", dimensions=", ".join(hidden)))


def _box_plot(
    t: Text,
    municipality: Municipality,
    items: list[tuple[Dimension, DimensionBenchmark]],
    title: str,
) -> go.Figure:
    """One box per dimension from the group's quartiles; whiskers reach minimum and maximum
    only where they are shown (from MIN_SIZE_FOR_EXTREMES members), else the box's edges."""
    categories = [d.title.get(t.lang) for d, _ in items]
    shown = [(d.title.get(t.lang), b.statistics) for d, b in items if b.statistics is not None]
    figure = go.Figure()
    if shown:
        x = [title_ for title_, _ in shown]
        stats = [s for _, s in shown]
        figure.add_trace(
            go.Box(
                x=x,
                q1=[s.q1 for s in stats],
                median=[s.median for s in stats],
                q3=[s.q3 for s in stats],
                mean=[s.mean for s in stats],
                lowerfence=[s.minimum if s.minimum is not None else s.q1 for s in stats],
                upperfence=[s.maximum if s.maximum is not None else s.q3 for s in stats],
                boxpoints=False,
                name=t("benchmark.box_legend"),
                marker={"color": GROUP_COLOUR},
                line={"color": GROUP_COLOUR},
                fillcolor="rgba(0, 114, 178, 0.25)",
                hoverinfo="skip",
            )
        )
        # the numbers on hover, in the page's language (the box's own hover is English)
        figure.add_trace(
            go.Scatter(
                x=x,
                y=[s.median for s in stats],
                mode="markers",
                marker={"opacity": 0, "size": 1},
                showlegend=False,
                text=[_hover(t, s) for s in stats],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    own = [(d.title.get(t.lang), b.own_score) for d, b in items if b.own_score is not None]
    if own:
        figure.add_trace(
            go.Scatter(
                x=[c for c, _ in own],
                y=[v for _, v in own],
                mode="markers",
                name=t("benchmark.own_marker", name=widgets.chart_text(municipality.name)),
                marker={
                    "symbol": "diamond",
                    "size": 15,
                    "color": OWN_COLOUR,
                    "line": {"color": "#000000", "width": 1.5},
                },
                text=[t.percent(v) for _, v in own],
                hovertemplate="%{text}<extra>" + widgets.chart_text(municipality.name) + "</extra>",
            )
        )
    figure.update_layout(
        title={"text": title},
        xaxis={"categoryorder": "array", "categoryarray": categories, "type": "category"},
        yaxis={"range": [-2, 102], "ticksuffix": " %", "title": {"text": t("col.score")}},
        legend={"orientation": "h", "y": -0.2},
        hovermode="x",
        margin={"l": 60, "r": 30, "t": 70, "b": 40},
        separators=_separators(t),
        height=480,
    )
    return figure


def _hover(t: Text, stats: Statistics) -> str:
    lines = [
        f"{t('benchmark.col_n')}: {t.number(stats.n, 0)}",
        f"{t('benchmark.col_q3')}: {t.percent(stats.q3)}",
        f"{t('benchmark.col_median')}: {t.percent(stats.median)}",
        f"{t('benchmark.col_q1')}: {t.percent(stats.q1)}",
        f"{t('benchmark.col_mean')}: {t.percent(stats.mean)}",
    ]
    if stats.minimum is not None and stats.maximum is not None:
        lines.insert(1, f"{t('benchmark.col_max')}: {t.percent(stats.maximum)}")
        lines.append(f"{t('benchmark.col_min')}: {t.percent(stats.minimum)}")
    return "<br>".join(lines)


# --- criteria ------------------------------------------------------------------------------


def _criteria(
    t: Text, municipality: Municipality, result: BenchmarkResult, group: str, n: str, name: str
) -> None:
    st.subheader(t("benchmark.criteria"))
    catalog = context.catalog()
    dimensions = {d.id: d for d in catalog.dimensions}
    dimension_id = st.selectbox(
        t("benchmark.dimension"),
        options=list(dimensions),
        format_func=lambda i: dimensions[i].title.get(t.lang),
        key="benchmark-dimension",
    )
    dimension = dimensions[dimension_id]
    by_id = {c.criterion_id: c for c in result.criteria}
    items = [
        (f"{i}. {c.title.get(t.lang)}", by_id.get(dimension.full_id(c)))
        for i, c in enumerate(dimension.criteria, start=1)
    ]
    title = t(
        "benchmark.heatmap_title",
        dimension=dimension.title.get(t.lang),
        group=widgets.chart_text(group),
        n=n,
    )
    figure = _heat_map(t, municipality, items, title)
    st.plotly_chart(figure, width="stretch", config=_config(f"{name}-{dimension.id}"))
    st.caption(t("benchmark.heatmap_note"))
    with st.expander(t("chart.numbers"), expanded=False):
        st.dataframe(_criterion_rows(t, items), hide_index=True, width="stretch")


def _cells(item: CriterionBenchmark | None) -> list[int] | None:
    """Counts per column (levels 0–4, then not applicable); None where suppressed."""
    if item is None or item.distribution is None:
        return None
    return [item.distribution.get(level, 0) for level in LEVELS] + [item.not_applicable or 0]


def _columns(t: Text) -> list[str]:
    return [t("wizard.level_short", level=level) for level in LEVELS] + [t("benchmark.na_short")]


def _heat_map(
    t: Text,
    municipality: Municipality,
    items: list[tuple[str, CriterionBenchmark | None]],
    title: str,
) -> go.Figure:
    """Rows: criteria; columns: levels 0–4 and not applicable; colour: the share of the group
    (of those who answered) in the cell, text: the share and the count."""
    columns = _columns(t)
    rows = [label for label, _ in items]
    shares: list[list[float | None]] = []
    texts: list[list[str]] = []
    for _, item in items:
        counts = _cells(item)
        total = sum(counts) if counts else 0
        if counts is None or not total:
            shares.append([None] * len(columns))
            texts.append(["–"] * len(columns))
            continue
        row_shares = [100.0 * count / total for count in counts]
        shares.append(list(row_shares))
        texts.append(
            [
                f"{t.percent(share, 0)}<br>({t.number(count, 0)})"
                for share, count in zip(row_shares, counts, strict=True)
            ]
        )
    own_cells: list[tuple[str, str]] = []
    for label, item in items:
        if item is None:
            continue
        if item.own_not_applicable:
            own_cells.append((columns[-1], label))
        elif item.own_level is not None:
            own_cells.append((columns[item.own_level], label))
    figure = charts.level_heatmap(
        rows,
        columns,
        shares,
        texts,
        t("benchmark.share"),
        own_cells,
        t("benchmark.own_level_marker", name=widgets.chart_text(municipality.name)),
    )
    figure.update_layout(
        title={"text": title},
        xaxis={"side": "top", "type": "category", "categoryarray": columns},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        legend={"orientation": "h", "y": -0.05},
        margin={"l": 20, "r": 20, "t": 110, "b": 40},
        separators=_separators(t),
        height=160 + 48 * len(rows),
    )
    return figure


def _criterion_rows(
    t: Text, items: list[tuple[str, CriterionBenchmark | None]]
) -> list[dict[str, str]]:
    columns = _columns(t)
    rows = []
    for label, item in items:
        counts = _cells(item)
        total = sum(counts) if counts else 0
        row = {
            t("col.criterion"): label,
            t("benchmark.col_n"): t.number(item.statistics.n, 0)
            if item is not None and item.statistics is not None
            else "–",
        }
        for index, column in enumerate(columns):
            if counts is None or not total:
                row[column] = "–"
            else:
                share = t.percent(100.0 * counts[index] / total, 0)
                row[column] = f"{t.number(counts[index], 0)} ({share})"
        own = "–"
        if item is not None and item.own_not_applicable:
            own = columns[-1]
        elif item is not None and item.own_level is not None:
            own = str(item.own_level)
        row[t("benchmark.col_own_level")] = own
        row[t("benchmark.col_rank")] = t.percent(
            item.percentile_rank if item is not None else None, 0
        )
        rows.append(row)
    return rows


# --- shared --------------------------------------------------------------------------------


def _config(filename: str) -> dict[str, Any]:
    """Plotly's toolbar without its logo, with a PNG download of the chart."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def _separators(t: Text) -> str:
    """Decimal and thousands separators of the page's language (German: 1.234,5)."""
    return ",." if t.lang == "de" else ".,"
