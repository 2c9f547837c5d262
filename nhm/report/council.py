"""The council report (*Ratsbericht*) of one municipality and period, as HTML or PDF.

The numbers come from the code the app uses: :func:`nhm.results.evaluate_record` (scores,
gated levels, coverage, targets, next steps, findings), :mod:`nhm.history` (scores per
period) and :class:`nhm.benchmark.BenchmarkService` (peer statistics, suppressed for small and
differencing groups), and are written as the app writes them (:class:`ReportText`). The HTML
comes from Jinja2 templates with autoescaping on, so free text (comments, evidence,
justifications) is always text; charts are inline SVG. :func:`render_pdf` turns the same HTML
into a tagged PDF with :func:`nhm.report.pdf.html_to_pdf`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from nhm import __version__
from nhm.assessment import Response
from nhm.benchmark import (
    DEFAULT_MIN_GROUP_SIZE,
    BenchmarkError,
    BenchmarkResult,
    BenchmarkService,
    PeerGroupSpec,
    PluginScores,
)
from nhm.contributions import RecommendationReason
from nhm.evaluation import Evaluation
from nhm.history import History, build_history, counting_revisions
from nhm.model import LEVEL_LABELS, Catalog, Dimension, LocalizedText, MaturityLevel
from nhm.municipality import Municipality
from nhm.plugins import PluginHost
from nhm.report import charts
from nhm.report.texts import ReportText
from nhm.scoring import applicable_levels, band, criterion_targets

if TYPE_CHECKING:
    from nhm.store import Store
    from nhm.store.assessments import AssessmentRecord

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_GROUP = "size_class"


@dataclass(frozen=True)
class BenchmarkPart:
    """The peer comparison: a result, or why there is none (``error``)."""

    group: str
    result: BenchmarkResult | None
    error: LocalizedText | None
    counting: bool  # the report's revision is the one the benchmark counts as the own one


@dataclass(frozen=True)
class CouncilReport:
    """Everything the report shows, language-neutral; :func:`render_html` writes it out."""

    municipality: Municipality
    record: AssessmentRecord
    catalog: Catalog
    evaluation: Evaluation
    targets: dict[str, int]
    history: History
    benchmark: BenchmarkPart
    report_date: date

    @property
    def is_draft(self) -> bool:
        return self.record.is_draft

    @property
    def is_demo(self) -> bool:
        return self.municipality.is_demo or self.record.is_demo


def counting_record(store: Store, ags: str, period: int) -> AssessmentRecord | None:
    """The revision that counts for a period: the latest submitted one, else the draft."""
    chosen = counting_revisions(store.assessments.list(ags=ags, period=period))
    return store.assessments.get_by_id(chosen[-1].id) if chosen else None


def build_report(
    store: Store,
    record: AssessmentRecord,
    catalog: Catalog,
    host: PluginHost | None = None,
    *,
    group: str = DEFAULT_GROUP,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    report_date: date | None = None,
) -> CouncilReport:
    """Collect the report of one stored revision (any revision, as the app shows it).

    ``group`` is the peer group of the comparison (``nhm benchmark --group`` syntax); a group
    that cannot be formed (no population for the size class, not a ring member …) becomes
    the comparison's stated reason instead of an error."""
    from nhm.results import evaluate_record, municipality_targets

    municipality = store.municipalities.require(record.ags)
    evaluation = evaluate_record(store, record, catalog, host)
    targets = municipality_targets(store, record.ags)
    earlier = counting_revisions(
        s for s in store.assessments.list(ags=record.ags) if s.period < record.period
    )
    records = [store.assessments.get_by_id(s.id) for s in earlier] + [record]
    history = build_history(records, catalog, host, targets)
    return CouncilReport(
        municipality=municipality,
        record=record,
        catalog=catalog,
        evaluation=evaluation,
        targets=targets,
        history=history,
        benchmark=_benchmark(store, catalog, host, municipality, record, group, min_group_size),
        report_date=report_date or date.today(),
    )


def _benchmark(
    store: Store,
    catalog: Catalog,
    host: PluginHost | None,
    municipality: Municipality,
    record: AssessmentRecord,
    group: str,
    min_group_size: int,
) -> BenchmarkPart:
    from nhm.store import NotFoundError

    def failed(reason: LocalizedText) -> BenchmarkPart:
        return BenchmarkPart(group, None, reason, False)

    try:
        spec = PeerGroupSpec.parse(group)
    except BenchmarkError as exc:
        return failed(LocalizedText(de=str(exc)))
    if spec.size_class and municipality.size_class is None:
        return failed(
            LocalizedText(
                de=ReportText("de")("benchmark_no_size_class", name=municipality.name),
                en=ReportText("en")("benchmark_no_size_class", name=municipality.name),
            )
        )
    try:
        plugin_scores = PluginScores.from_host(host, catalog) if host is not None else None
        service = BenchmarkService(store, catalog, plugin_scores, min_group_size)
        result = service.benchmark(record.ags, record.period, spec)
    except (BenchmarkError, NotFoundError) as exc:
        return failed(LocalizedText(de=str(exc)))
    counting = counting_record(store, record.ags, record.period)
    return BenchmarkPart(group, result, None, counting is not None and counting.id == record.id)


# --- rendering -------------------------------------------------------------------------------


def render_html(report: CouncilReport, lang: str = "de") -> str:
    """The report as one self-contained HTML document (inline CSS and SVG)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("council.html.j2")
    return template.render(**_context(report, ReportText(lang)))


def render_pdf(report: CouncilReport, lang: str = "de") -> bytes:
    """The report as a tagged PDF (PDF/UA-1), A4, with page numbers."""
    from nhm.report.pdf import html_to_pdf

    t = ReportText(lang)
    title = t("document_title", name=report.municipality.name, period=report.record.period)
    return html_to_pdf(render_html(report, lang), title=title)


def file_stem(record: AssessmentRecord) -> str:
    """The file name (without suffix) the app and the docs suggest."""
    return f"nhm-ratsbericht-{record.ags}-{record.period}-r{record.revision}"


def css_string(text: str) -> str:
    """``text`` as a CSS string in which every character but ASCII letters, digits and
    spaces is a hex escape: nothing in it can end the string or the style sheet."""
    escaped = "".join(
        c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x} " for c in text
    )
    return f'"{escaped}"'


def _context(report: CouncilReport, t: ReportText) -> dict[str, Any]:
    municipality, record = report.municipality, report.record
    header = f"{municipality.name} · {record.period}"
    return {
        "t": t,
        "lang": t.lang,
        "title": t("document_title", name=municipality.name, period=record.period),
        "page_css": _page_css(report, t, header),
        "is_draft": report.is_draft,
        "is_demo": report.is_demo,
        "name": municipality.name,
        "period": record.period,
        "cover_facts": _cover_facts(report, t),
        "summary": _summary(report, t),
        "dimensions": [_dimension(report, d, t) for d in report.catalog.dimensions],
        "benchmark": _benchmark_view(report, t),
        "development": _development(report, t),
        "method": _method(report, t),
    }


def _page_css(report: CouncilReport, t: ReportText, header: str) -> Markup:
    """The page margin boxes: header, draft and demo marks, "Seite X von Y"."""
    draft = css_string(t("draft_mark")) if report.is_draft else "none"
    demo = css_string(t("demo_mark")) if report.is_demo else "none"
    page = (
        f"{css_string(t('page_word') + ' ')} counter(page) "
        f"{css_string(' ' + t('of_word') + ' ')} counter(pages)"
    )
    css = (
        f"@page {{ @top-left {{ content: {css_string(header)}; }} "
        f"@top-right {{ content: {draft}; }} "
        f"@bottom-left {{ content: {demo}; }} "
        f"@bottom-right {{ content: {page}; }} }}"
    )
    return Markup(css)  # only hex-escaped strings and fixed CSS: no markup possible


def _cover_facts(report: CouncilReport, t: ReportText) -> list[tuple[str, str]]:
    municipality, record = report.municipality, report.record
    facts = [
        (t("fact_ags"), municipality.ags),
        (t("fact_land"), municipality.land_name),
        (t("fact_kind"), municipality.kind.label[t.lang]),
    ]
    if municipality.population is not None:
        facts.append((t("fact_population"), t.number(municipality.population, 0)))
    if municipality.size_class is not None:
        facts.append((t("fact_size_class"), municipality.size_class))
    facts.append((t("fact_period"), str(record.period)))
    if record.is_draft:
        status = t("status_draft", date=t.date(record.updated_at), revision=record.revision)
    else:
        status = t(
            "status_submitted",
            date=t.date(record.submitted_at or record.updated_at),
            revision=record.revision,
        )
    facts.append((t("fact_status"), status))
    facts.append((t("fact_report_date"), t.date(report.report_date)))
    return facts


def _band(score: float | None, t: ReportText) -> str:
    label = band(score)
    return label.get(t.lang) if label is not None else "–"


def _summary(report: CouncilReport, t: ReportText) -> dict[str, Any]:
    evaluation, catalog = report.evaluation, report.catalog
    overall = evaluation.scores.overall
    dimensions = catalog.dimensions
    rows = []
    for dimension in dimensions:
        score = evaluation.score(dimension.id)
        progress = evaluation.progress.get(dimension.id)
        rows.append(
            {
                "anchor": _anchor(dimension),
                "title": dimension.title.get(t.lang),
                "score": t.percent(score.score),
                "band": _band(score.score, t),
                "gated": "–" if score.gated_level is None else str(score.gated_level),
                "coverage": t.percent(100 * score.coverage, 0),
                "answered": f"{score.answered} / {score.criteria}",
                "target": t.percent(progress.target_score) if progress else "–",
            }
        )
    has_targets = any(p.has_targets for p in evaluation.progress.values())
    titles = [d.title.get(t.lang) for d in dimensions]
    scores = [evaluation.score(d.id).score for d in dimensions]
    targets = [
        evaluation.progress[d.id].target_score if d.id in evaluation.progress else None
        for d in dimensions
    ]
    caption = t("chart_scores_targets" if has_targets else "chart_scores")
    description = f"{caption}: " + "; ".join(
        f"{title} {t.percent(score)}" for title, score in zip(titles, scores, strict=True)
    )
    known = {d.full_id(c) for d, c in catalog.iter_criteria()}
    general_findings = [  # findings of no criterion, or of one the catalog lacks (a plugin's)
        f.message.get(t.lang)
        if not f.criterion_id
        else f"{f.criterion_id}: {f.message.get(t.lang)}"
        for f in evaluation.findings
        if f.criterion_id not in known
    ]
    return {
        "intro": t(
            "summary_intro",
            name=report.municipality.name,
            period=report.record.period,
            criteria=sum(len(d.criteria) for d in dimensions),
            dimensions=len(dimensions),
        ),
        "overall_label": overall.label.get(t.lang),
        "overall": t.percent(overall.value),
        "has_overall": overall.value is not None,
        "band": _band(overall.value, t),
        "left_out": ", ".join(catalog.dimension(d).title.get(t.lang) for d in overall.left_out),
        "rows": rows,
        "has_targets": has_targets,
        "chart": charts.dimension_scores(titles, scores, targets, t, "summary", description)
        if dimensions
        else None,
        "caption": caption,
        "findings": general_findings,
    }


def _anchor(dimension: Dimension) -> str:
    return f"dimension-{dimension.id}"


def _dimension(report: CouncilReport, dimension: Dimension, t: ReportText) -> dict[str, Any]:
    evaluation = report.evaluation
    score = evaluation.score(dimension.id)
    progress = evaluation.progress.get(dimension.id)
    responses = evaluation.assessment.responses_for(dimension.id)
    wanted = criterion_targets(dimension, report.targets)
    facts = [
        (t("fact_score"), f"{t.percent(score.score)} ({_band(score.score, t)})"),
        (
            t("fact_gated"),
            "–"
            if score.gated_level is None
            else t(
                "gated_value",
                level=score.gated_level,
                label=LEVEL_LABELS[MaturityLevel(score.gated_level)].get(t.lang),
            ),
        ),
        (
            t("fact_coverage"),
            t(
                "coverage_value",
                percent=t.percent(100 * score.coverage, 0),
                answered=score.answered,
                criteria=score.criteria,
                na=score.not_applicable,
            ),
        ),
    ]
    if progress is not None and progress.has_targets:
        facts.append((t("fact_target"), t.percent(progress.target_score)))
    if score.scorer != "nhm":
        facts.append((t("fact_scorer"), score.scorer))
    findings: dict[str, list[str]] = {}
    for finding in evaluation.findings:
        if finding.criterion_id and finding.criterion_id.startswith(f"{dimension.id}."):
            short = finding.criterion_id.split(".", 1)[1]
            findings.setdefault(short, []).append(finding.message.get(t.lang))
    criteria = [
        _criterion(dimension, c.id, responses.get(c.id), wanted.get(c.id), findings, t)
        for c in dimension.criteria
    ]
    labels = [c["title"] for c in criteria]
    levels = [c["level"] for c in criteria]
    notes = [c["short"] for c in criteria]
    targets = [wanted.get(c.id) for c in dimension.criteria]
    caption = t("chart_levels_targets" if wanted else "chart_levels")
    description = f"{caption}: " + "; ".join(
        f"{label} {note}" for label, note in zip(labels, notes, strict=True)
    )
    gated = score.gated_level
    weakest = (
        [
            criterion.title.get(t.lang)
            for criterion, level in applicable_levels(dimension, responses)
            if level == gated
        ]
        if gated is not None and gated < MaturityLevel.OPTIMISING
        else []
    )
    return {
        "anchor": _anchor(dimension),
        "title": dimension.title.get(t.lang),
        "description": dimension.description.get(t.lang),
        "facts": facts,
        "chart": charts.criterion_levels(
            labels, levels, notes, targets, t, f"dim-{dimension.id}", description
        ),
        "caption": caption,
        "criteria": criteria,
        "gated": gated,
        "weakest": weakest,
        "steps": _steps(evaluation, dimension, t),
    }


def _criterion(
    dimension: Dimension,
    criterion_id: str,
    response: Response | None,
    target: int | None,
    findings: dict[str, list[str]],
    t: ReportText,
) -> dict[str, Any]:
    criterion = dimension.criterion(criterion_id)
    entry: dict[str, Any] = {
        "title": criterion.title.get(t.lang),
        "question": criterion.question.get(t.lang),
        "level": None,
        "answer": t("unanswered"),
        "short": t("unanswered_short"),
        "descriptor": None,
        "justification": None,
        "evidence_status": None,
        "evidence_reference": None,
        "comment": None,
        "target": None if target is None else str(target),
        "findings": findings.get(criterion_id, []),
    }
    if response is None:
        return entry
    if response.not_applicable:
        entry.update(
            answer=t("not_applicable"),
            short=t("not_applicable_short"),
            justification=response.justification,
        )
    elif response.level is not None:
        entry.update(
            level=response.level,
            answer=t(
                "level_answer",
                level=response.level,
                label=LEVEL_LABELS[MaturityLevel(response.level)].get(t.lang),
            ),
            short=str(response.level),
            descriptor=criterion.level(response.level).get(t.lang),
        )
    entry.update(
        evidence_status=t(f"evidence_{response.evidence_status.value}"),
        evidence_reference=(response.evidence_reference or "").strip() or None,
        comment=(response.comment or "").strip() or None,
    )
    return entry


def _steps(evaluation: Evaluation, dimension: Dimension, t: ReportText) -> list[dict[str, str]]:
    steps = []
    for step in evaluation.recommendations.get(dimension.id, []):
        title = dimension.title.get(t.lang)
        if step.criterion_id is not None:
            try:
                title = dimension.criterion(step.criterion_id).title.get(t.lang)
            except KeyError:
                title = step.criterion_id
        if step.reason is RecommendationReason.PLUGIN:
            why = t("reason_plugin", source=step.source or "")
        else:
            why = t(f"reason_{step.reason.value}")
        if step.next_level is not None:
            current = "–" if step.current_level is None else step.current_level
            why += ", " + t("step_levels", current=current, next=step.next_level)
        steps.append({"title": title, "why": why, "text": step.text.get(t.lang)})
    return steps


def _benchmark_view(report: CouncilReport, t: ReportText) -> dict[str, Any]:
    part = report.benchmark
    view: dict[str, Any] = {
        "error": part.error.get(t.lang) if part.error is not None else None,
        "group": None,
        "suppressed": None,
        "size": None,
        "rows": [],
        "chart": None,
        "caption": t("benchmark_chart"),
        "notes": [],
        "is_demo": report.is_demo,
    }
    result = part.result
    if result is None:
        return view
    view["group"] = result.group.label.get(t.lang)
    if result.suppressed is not None:
        view["suppressed"] = result.suppressed.get(t.lang)
        return view
    view["size"] = t("benchmark_size", n=result.group_size, period=report.record.period)
    labels, boxes, own = [], [], []
    for dimension in report.catalog.dimensions:
        item = next((d for d in result.dimensions if d.dimension_id == dimension.id), None)
        score = report.evaluation.score(dimension.id).score
        stats = item.statistics if item is not None else None
        row: dict[str, Any] = {"title": dimension.title.get(t.lang), "own": t.percent(score)}
        if stats is None:
            reason = item.suppressed if item is not None else None
            row["reason"] = reason.get(t.lang) if reason is not None else "–"
        else:
            rank = item.percentile_rank if item is not None and part.counting else None
            row.update(
                reason=None,
                q1=t.percent(stats.q1),
                median=t.percent(stats.median),
                q3=t.percent(stats.q3),
                rank=t.percent(rank, 0),
                n=str(stats.n),
            )
            labels.append(dimension.title.get(t.lang))
            boxes.append((stats.q1, stats.median, stats.q3))
            own.append(score)
        view["rows"].append(row)
    if labels:
        description = f"{t('benchmark_chart')}: " + "; ".join(
            f"{label}: {t('col_own')} {t.percent(value)}, {t('col_q1')} {t.percent(box[0])}, "
            f"{t('col_median')} {t.percent(box[1])}, {t('col_q3')} {t.percent(box[2])}"
            for label, box, value in zip(labels, boxes, own, strict=True)
        )
        view["chart"] = charts.peer_boxes(labels, boxes, own, t, "peers", description)
    view["notes"].append(t("percentile_note"))
    if result.own_status == "draft":
        view["notes"].append(t("benchmark_own_draft"))
    elif not part.counting:
        view["notes"].append(t("benchmark_no_rank", revision=report.record.revision))
    return view


def _development(report: CouncilReport, t: ReportText) -> dict[str, Any]:
    history = report.history
    points = history.points
    view: dict[str, Any] = {"single": None, "intro": None, "periods": [], "rows": []}
    if len(points) < 2:
        view["single"] = t("development_single", period=report.record.period)
        return view
    periods = [t("period_draft", period=p.period) if p.is_draft else str(p.period) for p in points]
    baseline = history.baseline
    comparable = baseline is not None and baseline.period < points[-1].period
    first = baseline.period if baseline is not None and comparable else None
    view["intro"] = (
        t("development_intro", first=first)
        if first is not None
        else t("development_intro_no_baseline")
    )
    view["periods"] = periods
    view["change_header"] = t("col_change", first=first) if first is not None else None
    lines = []
    for index, dimension in enumerate(report.catalog.dimensions):
        values = [p.score(dimension.id) for p in points]
        lines.append(charts.Line(dimension.title.get(t.lang), values, index))
        view["rows"].append(
            {
                "title": dimension.title.get(t.lang),
                "values": [t.percent(v) for v in values],
                "change": t.signed(history.progress(dimension.id).change),
            }
        )
    overall = [p.overall for p in points]
    lines.append(charts.Line(t("overall_short"), overall, None))
    view["rows"].append(
        {
            "title": t("overall_short"),
            "values": [t.percent(v) for v in overall],
            "change": t.signed(history.progress().change),
        }
    )
    description = f"{t('development_chart')}: " + "; ".join(
        f"{line.name}: "
        + ", ".join(f"{p} {t.percent(v)}" for p, v in zip(periods, line.values, strict=True))
        for line in lines
    )
    view["chart"] = charts.trend(periods, lines, t, "trend", description)
    view["caption"] = t("development_chart")
    return view


def _method(report: CouncilReport, t: ReportText) -> dict[str, Any]:
    record = report.record
    result = report.benchmark.result
    minimum = result.group.min_group_size if result is not None else DEFAULT_MIN_GROUP_SIZE
    status = t("status_word_draft" if record.is_draft else "status_word_submitted")
    stamp = record.updated_at if record.is_draft else (record.submitted_at or record.updated_at)
    return {
        "levels": [(int(level), label.get(t.lang)) for level, label in LEVEL_LABELS.items()],
        "paragraphs": [
            t("method_score"),
            t("method_na"),
            t("method_gated"),
            t("method_bands"),
            t("method_overall", label=report.evaluation.scores.overall.label.get(t.lang)),
            t("method_steps"),
            t("method_benchmark", min=minimum),
        ],
        "source": t(
            "method_source_text",
            name=report.municipality.name,
            period=record.period,
            revision=record.revision,
            date=t.date(stamp),
            status=status,
        ),
        "generated": t("method_generated", date=t.date(report.report_date), version=__version__),
    }
