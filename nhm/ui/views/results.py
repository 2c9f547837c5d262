"""Results: scores, gated levels, coverage, a radar chart, answers and next steps."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import streamlit as st

from nhm.auth import access
from nhm.benchmark import (
    BenchmarkError,
    BenchmarkResult,
    BenchmarkService,
    PeerGroupSpec,
    PluginScores,
)
from nhm.contributions import RecommendationReason
from nhm.evaluation import Evaluation
from nhm.exchange.assessment_file import build_document, dump_json
from nhm.model import Dimension
from nhm.scoring import band
from nhm.store import StoreError
from nhm.store.assessments import AssessmentRecord
from nhm.ui import charts, context, signin, widgets
from nhm.ui.i18n import Text

PEER_GROUPS = ("size_class", "kind", "land", "all")


def render() -> None:
    t = context.text()
    chosen = context.selection()
    if chosen is None:
        st.title(t("results.title_plain"))
        st.info(t("common.choose_first"))
        st.page_link(widgets.page("start"), label=t("nav.start"), icon=":material/home:")
        return
    municipality = chosen.municipality
    st.title(t("results.title", name=widgets.inert(municipality.name), period=chosen.period))
    store = context.store()
    revisions = store.assessments.list(ags=municipality.ags, period=chosen.period)
    if not revisions:
        st.info(t("results.none", period=chosen.period))
        st.page_link(
            widgets.page("assessment"), label=t("nav.assessment"), icon=":material/edit_note:"
        )
        return
    numbers = [s.revision for s in revisions]
    revision = st.selectbox(
        t("results.revision"),
        options=list(reversed(numbers)),
        format_func=lambda r: t(
            "results.revision_option",
            revision=r,
            status=t(f"status.{revisions[numbers.index(r)].status.value}"),
        ),
        key=f"results-revision:{municipality.ags}:{chosen.period}",
    )
    record = store.assessments.get(municipality.ags, chosen.period, revision)
    if record is None:  # removed meanwhile
        st.rerun()
        return
    if record.is_draft:
        st.warning(t("results.draft_note"))
    from nhm.results import evaluate_record

    evaluation = evaluate_record(store, record, context.catalog(), context.plugin_host())
    _summary(t, evaluation)
    peers = _peer_medians(t, record)
    _chart(t, evaluation, peers)
    _next_steps(t, evaluation)
    _findings(t, evaluation)
    _answers(t, record)
    _downloads(t, record)


def _summary(t: Text, evaluation: Evaluation) -> None:
    overall = evaluation.scores.overall
    label = band(overall.value)
    st.metric(overall.label.get(t.lang), t.percent(overall.value), help=t("results.overall_help"))
    if label is not None:
        st.caption(t("results.band", band=label.get(t.lang)))
    if overall.left_out:
        st.caption(
            t(
                "results.left_out",
                dimensions=", ".join(
                    context.catalog().dimension(d).title.get(t.lang) for d in overall.left_out
                ),
            )
        )
    rows = []
    for dimension in context.catalog().dimensions:
        score = evaluation.scores.dimensions[dimension.id]
        progress = evaluation.progress.get(dimension.id)
        dimension_band = band(score.score)
        rows.append(
            {
                t("col.dimension"): dimension.title.get(t.lang),
                t("col.score"): t.percent(score.score),
                t("col.band"): dimension_band.get(t.lang) if dimension_band else "–",
                t("col.gated"): "–" if score.gated_level is None else str(score.gated_level),
                t("col.coverage"): t.percent(100 * score.coverage, 0),
                t("col.answered"): f"{score.answered} / {score.criteria}",
                t("col.target"): t.percent(progress.target_score) if progress else "–",
                t("col.progress"): t.signed(progress.progress) if progress else "–",
            }
        )
    st.subheader(t("results.dimensions"))
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(t("results.scale_note"))


def _peer_medians(t: Text, record: AssessmentRecord) -> BenchmarkResult | None:
    """The peer group's medians for the chart, where the group is large enough."""
    group = st.selectbox(
        t("results.peer_group"),
        options=PEER_GROUPS,
        format_func=lambda g: t(f"group.{g}"),
        key="results-peer-group",
    )
    store = context.store()
    try:
        version = str(store.assessments.peer_data_version())
        result = _peer_statistics(str(store.path), version, record.ags, record.period, group)
    except (BenchmarkError, StoreError) as exc:
        st.caption(t("results.no_peers", reason=widgets.inert(str(exc))))
        return None
    if result.suppressed is not None:
        st.caption(
            t(
                "results.peers_suppressed",
                group=result.group.label.get(t.lang),
                reason=result.suppressed.get(t.lang),
            )
        )
        return None
    st.caption(t("results.peers", group=result.group.label.get(t.lang), n=result.group_size))
    return result


@st.cache_data(show_spinner=False, max_entries=256)
def _peer_statistics(path: str, version: str, ags: str, period: int, group: str) -> BenchmarkResult:
    """The benchmark's peer statistics (what the chart shows), cached per database and
    version of the peers' data (``AssessmentRepository.peer_data_version``): the queries
    take time in proportion to the peer group, thousands of municipalities in a national
    database, too much for every rerun of the page. The municipality's own scores, ranks and
    criterion statistics are left out: its draft can change them without a new version."""
    catalog = context.catalog()
    service = BenchmarkService(
        context.store(), catalog, PluginScores.from_host(context.plugin_host(), catalog)
    )
    result = service.benchmark(ags, period, PeerGroupSpec.parse(group))
    return replace(
        result,
        own_status=None,
        dimensions=[replace(d, own_score=None, percentile_rank=None) for d in result.dimensions],
        criteria=[],
        trends={},
        members=[],
    )


def _chart(t: Text, evaluation: Evaluation, peers: BenchmarkResult | None) -> None:
    catalog = context.catalog()
    dimensions = catalog.dimensions
    categories = [d.title.get(t.lang) for d in dimensions]
    series = [
        charts.Series(
            t("chart.own"), [evaluation.scores.dimensions[d.id].score for d in dimensions]
        )
    ]
    targets = [
        evaluation.progress[d.id].target_score if d.id in evaluation.progress else None
        for d in dimensions
    ]
    if any(v is not None for v in targets):
        series.append(charts.Series(t("chart.target"), targets))
    if peers is not None:
        medians = []
        for d in dimensions:
            stats = peers.dimension(d.id).statistics if _has(peers, d.id) else None
            medians.append(stats.median if stats is not None else None)
        series.append(charts.Series(t("chart.peer_median", n=peers.group_size), medians))
    st.plotly_chart(
        charts.radar(categories, series, t("chart.radar_title")),
        width="stretch",
        config=charts.image_config(
            f"nhm-{evaluation.assessment.ags}-{evaluation.assessment.period}-dimensions"
        ),
    )
    with st.expander(t("chart.numbers"), expanded=False):
        st.dataframe(
            [
                {
                    t("col.dimension"): category,
                    **{item.name: t.percent(item.values[i]) for item in series},
                }
                for i, category in enumerate(categories)
            ],
            hide_index=True,
            width="stretch",
        )


def _has(result: BenchmarkResult, dimension_id: str) -> bool:
    return any(d.dimension_id == dimension_id for d in result.dimensions)


def _next_steps(t: Text, evaluation: Evaluation) -> None:
    st.subheader(t("results.next_steps"))
    catalog = context.catalog()
    shown = False
    for dimension in catalog.dimensions:
        steps = evaluation.recommendations.get(dimension.id, [])
        if not steps:
            continue
        shown = True
        st.markdown(f"**{dimension.title.get(t.lang)}**")
        for step in steps:
            title = _criterion_title(t, dimension, step.criterion_id)
            why = t(f"reason.{step.reason.value}")
            if step.reason is RecommendationReason.PLUGIN and step.source:
                why = t("reason.plugin_named", source=step.source)
            levels = ""
            if step.next_level is not None:
                levels = t(
                    "results.step_levels",
                    current="–" if step.current_level is None else step.current_level,
                    next=step.next_level,
                )
            st.markdown(f"- **{title}** ({why}{levels}): {step.text.get(t.lang)}")
    if not shown:
        answered = any(s.answered for s in evaluation.scores.dimensions.values())
        st.caption(t("results.no_steps" if answered else "results.no_steps_unanswered"))


def _criterion_title(t: Text, dimension: Dimension, criterion_id: str | None) -> str:
    """A step's criterion (its short id in the dimension); a plugin's unknown id as it is."""
    if criterion_id is None:
        return dimension.title.get(t.lang)
    try:
        return dimension.criterion(criterion_id).title.get(t.lang)
    except KeyError:
        return criterion_id


def _findings(t: Text, evaluation: Evaluation) -> None:
    if not evaluation.findings:
        return
    st.subheader(t("wizard.findings"))
    catalog = context.catalog()
    for finding in evaluation.findings:
        where = ""
        if finding.criterion_id:
            where = widgets.criterion_title(catalog, finding.criterion_id, t.lang) + ": "
        st.markdown(f"- {where}{finding.message.get(t.lang)}")


def _answers(t: Text, record: AssessmentRecord) -> None:
    st.subheader(t("results.answers"))
    for dimension in context.catalog().dimensions:
        with st.expander(dimension.title.get(t.lang)):
            st.dataframe(
                widgets.answer_rows(t, dimension, record.responses),
                hide_index=True,
                width="stretch",
            )


def _downloads(t: Text, record: AssessmentRecord) -> None:
    st.subheader(t("results.downloads"))
    catalog = context.catalog()
    municipality = context.store().municipalities.require(record.ags)
    document = build_document(municipality, record.to_assessment(), catalog, is_demo=record.is_demo)
    stem = f"nhm-{record.ags}-{record.period}-r{record.revision}"
    exported = _exporter(record)

    def as_json() -> bytes:
        return exported("json", lambda: dump_json(document).encode("utf-8"))

    left, right = st.columns(2)
    left.download_button(
        t("results.download_json"),
        data=as_json,
        file_name=f"{stem}.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        t("results.download_xlsx"),
        data=lambda: exported("xlsx", lambda: _workbook(document, t.lang)),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
    )
    _report_downloads(t, record)


def _report_downloads(t: Text, record: AssessmentRecord) -> None:
    """The council report of the shown revision, compared with the peer group chosen above.

    Both files are made only when clicked (deferred data), never on a rerun; the callables
    run outside the script run, so they get the store, catalog and plugins from here."""
    from nhm.report.council import file_stem

    group = str(st.session_state.get("results-peer-group", PEER_GROUPS[0]))
    store, catalog, host = context.store(), context.catalog(), context.plugin_host()
    stem = file_stem(record)
    exported = _exporter(record)

    def report(kind: str) -> bytes:
        from nhm.report import council

        def build() -> bytes:
            built = council.build_report(store, record, catalog, host, group=group)
            if kind == "pdf":
                return council.render_pdf(built, t.lang)
            return council.render_html(built, t.lang).encode("utf-8")

        return exported(f"report_{kind}", build)

    left, right = st.columns(2)
    left.download_button(
        t("report.download_pdf"),
        data=lambda: report("pdf"),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        help=t("report.download_help"),
        on_click="ignore",
    )
    right.download_button(
        t("report.download_html"),
        data=lambda: report("html"),
        file_name=f"{stem}.html",
        mime="text/html",
        icon=":material/description:",
        help=t("report.download_help"),
        on_click="ignore",
    )


def _exporter(record: AssessmentRecord) -> Callable[[str, Callable[[], bytes]], bytes]:
    """Wrap a download's builder: check the right to read once more when the file is made
    (a click, outside the script run) and log the export with the user."""
    store, principal_now = context.store(), signin.principal_later()
    key = f"{record.ags}/{record.period}"
    actor = context.actor()  # as the app's changes are logged

    def exported(kind: str, build: Callable[[], bytes]) -> bytes:
        who = principal_now()  # the click may come long after the page was drawn
        access.require_read(store, who, record.ags, via=f"download {kind}")
        data = build()
        detail = {"revision": record.revision, "bytes": len(data), "via": "app"}
        access.record_export(store, who, kind, "assessment", key, detail, actor=actor)
        return data

    return exported


def _workbook(document: object, lang: str) -> bytes:
    from nhm.exchange.workbook import write_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        write_workbook(path, context.catalog(), lang=lang, document=document)  # type: ignore[arg-type]
        return path.read_bytes()
