"""The report of a Vergleichsring: PDF (HTML template → WeasyPrint) and XLSX (openpyxl).

Both show what the ring's overview (:class:`nhm.rings.RingOverview`) shows and nothing more:
members under their labels ("Kommune A" …, names only of members who consented), the viewer's
own municipality marked when the report is made for a member, and only the reason where the
ring (or a single figure) is below the ring's minimum group size. No AGS and no name of a
member without consent is written anywhere in either file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nhm.benchmark import MIN_SIZE_FOR_EXTREMES, Statistics
from nhm.model import Catalog
from nhm.rings import MemberLevels, RingOverview, RingService

TEMPLATES = Path(__file__).resolve().parent / "templates"
LOCAL_ZONE = ZoneInfo("Europe/Berlin")
LEVELS = (0, 1, 2, 3, 4)
OWN_COLOUR = "#D55E00"  # Okabe–Ito vermilion, as in the app
MEMBER_COLOUR = "#0072B2"  # Okabe–Ito blue

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Vergleichsring „{name}“", "Benchmarking ring “{name}”"),
    "subtitle": ("Bericht zum Vergleich {period}", "Comparison report {period}"),
    "demo": (
        "DEMO – fiktive Daten, keine echten Kommunen",
        "DEMO – fictional data, not real municipalities",
    ),
    "facts": ("Angaben zum Ring", "About the ring"),
    "fact_coordinator": ("Koordination", "Coordinator"),
    "fact_period": ("Vergleichsjahr", "Year compared"),
    "fact_members": ("Mitglieder", "Members"),
    "fact_min_size": ("Mindestgruppengröße", "Minimum group size"),
    "fact_status": ("Stand der Einreichungen", "Submissions"),
    "status_line": (
        "{submitted} eingereicht, {draft} als Entwurf, {missing} fehlen",
        "{submitted} submitted, {draft} draft, {missing} missing",
    ),
    "fact_counted": ("Im Vergleich", "Compared"),
    "counted": (
        "{n} Kommunen mit eingereichter Bewertung",
        "{n} municipalities with a submitted assessment",
    ),
    "fact_view": ("Ansicht", "View"),
    "view_member": (
        "für ein Mitglied: die eigene Kommune ist hervorgehoben",
        "for a member: its own municipality is highlighted",
    ),
    "view_coordinator": (
        "Koordination: alle Mitglieder anonym bzw. mit Zustimmung namentlich",
        "coordinator: all members anonymous, or by name where they consented",
    ),
    "fact_date": ("Erstellt am", "Created on"),
    "suppressed_heading": ("Keine Zahlen", "No figures"),
    "dimensions": ("Ergebnisse je Dimension", "Results per dimension"),
    "members": ("Werte der Mitglieder", "Members' scores"),
    "members_note": (
        "Werte in Prozent der höchsten Reifegradstufe. Kommunen ohne Zustimmung zur Nennung "
        "erscheinen als „Kommune A“, „Kommune B“ … in einer Reihenfolge, die nichts über die "
        "Kommune verrät.",
        "Scores in percent of the highest maturity level. Municipalities that did not consent "
        "to be named appear as “Kommune A”, “Kommune B” … in an order that reveals nothing "
        "about them.",
    ),
    "col_member": ("Kommune", "Municipality"),
    "col_dimension": ("Dimension", "Dimension"),
    "col_n": ("n", "n"),
    "col_q1": ("1. Quartil", "1st quartile"),
    "col_median": ("Median", "Median"),
    "col_q3": ("3. Quartil", "3rd quartile"),
    "col_mean": ("Mittelwert", "Mean"),
    "col_min": ("Minimum", "Minimum"),
    "col_max": ("Maximum", "Maximum"),
    "col_score": ("Wert", "Score"),
    "col_criterion": ("Kriterium", "Criterion"),
    "col_na": ("n. a.", "n/a"),
    "own": ("eigene Kommune", "own municipality"),
    "chart_note": (
        "Punkte: die Mitglieder; Strich: Median; Band: mittlere Hälfte (1. bis 3. Quartil); "
        "orange: die eigene Kommune.",
        "Dots: the members; line: median; band: middle half (1st to 3rd quartile); orange: "
        "own municipality.",
    ),
    "criteria": ("Reifegrade je Kriterium", "Maturity levels per criterion"),
    "criteria_note": (
        "Anzahl der Mitglieder je Stufe 0–4 und „nicht anwendbar“; „–“, wo zu wenige "
        "geantwortet haben.",
        "Members per level 0–4 and “not applicable”; “–” where too few answered.",
    ),
    "dimension_suppressed": (
        "Keine Statistik für diese Dimension.",
        "No statistics for this dimension.",
    ),
    "method": ("Methode und Datenschutz", "Method and confidentiality"),
    "method_counted": (
        "Es zählen nur eingereichte Bewertungen, je Kommune die neueste eingereichte Revision "
        "des Vergleichsjahres. Entwürfe zählen nicht.",
        "Only submitted assessments count: per municipality the latest submitted revision of "
        "the year compared. Drafts do not count.",
    ),
    "method_min": (
        "Mindestgruppengröße {min}: Haben weniger als {min} Mitglieder eingereicht (oder für "
        "eine einzelne Zahl geantwortet), zeigt der Bericht keine Zahlen, nur den Grund. "
        "Minimum und Maximum erscheinen erst ab {extremes} Kommunen.",
        "Minimum group size {min}: where fewer than {min} members submitted (or answered for "
        "a single figure), the report shows no figures, only the reason. Minimum and maximum "
        "appear only from {extremes} municipalities on.",
    ),
    "method_consent": (
        "Namen erscheinen nur bei Mitgliedern, die der namentlichen Nennung zugestimmt haben; "
        "die Koordination hält die Zustimmung mit Datum und Person fest. Alle anderen sind "
        "anonym. Gemeindeschlüssel (AGS) stehen nicht im Bericht.",
        "Names appear only for members who consented to be named; the coordinator records the "
        "consent with date and person. Everyone else is anonymous. Municipality keys (AGS) are "
        "not in the report.",
    ),
    "method_scale": (
        "Skala: Stufe 0 (nicht vorhanden) bis 4 (integriert und optimierend); der Wert einer "
        "Dimension ist der gewichtete Mittelwert der Stufen in Prozent von Stufe 4.",
        "Scale: level 0 (not in place) to 4 (integrated and optimising); a dimension's score is "
        "the weighted mean of the levels in percent of level 4.",
    ),
    "sheet_summary": ("Übersicht", "Summary"),
    "sheet_method": ("Methode", "Method"),
    "levels_heading": (
        "Reifegrade der Mitglieder (Stufe 0–4, „n. a.“: nicht anwendbar, leer: nicht "
        "beantwortet, „–“: zu wenige Antworten für dieses Kriterium)",
        "Members' maturity levels (level 0–4, “n/a”: not applicable, empty: not answered, "
        "“–”: too few answers for this criterion)",
    ),
    "footer": ("Erstellt mit nhm", "Created with nhm"),
}


def text(key: str, lang: str, **values: object) -> str:
    template = TEXTS[key][0 if lang == "de" else 1]
    return template.format(**values) if values else template


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """A number as the language writes it (German 58,0; English 58.0); "–" for none."""
    if value is None:
        return "–"
    written = f"{value:,.{digits}f}"
    if lang == "de":
        written = written.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return written


@dataclass(frozen=True)
class RingReport:
    """Everything one report shows, in one language."""

    overview: RingOverview
    levels: list[MemberLevels]
    catalog: Catalog
    lang: str
    generated_at: datetime

    @property
    def suppressed(self) -> bool:
        return self.overview.suppressed is not None or not self.overview.members


def build_ring_report(
    service: RingService,
    ring_id: int,
    *,
    period: int | None = None,
    viewer: str | None = None,
    lang: str = "de",
    generated_at: datetime | None = None,
) -> RingReport:
    """The report of a ring for a period, as a member (``viewer``) or the coordinator sees it."""
    overview = service.overview(ring_id, period, viewer)
    return RingReport(
        overview=overview,
        levels=service.member_levels(overview),
        catalog=service.catalog,
        lang="en" if lang == "en" else "de",
        generated_at=generated_at or datetime.now(UTC),
    )


# --- what both formats show ------------------------------------------------------------------


def _facts(report: RingReport) -> list[tuple[str, str]]:
    o, lang = report.overview, report.lang
    counts = o.status_counts
    facts = [
        (text("fact_coordinator", lang), o.ring.coordinator),
        (text("fact_period", lang), str(o.period)),
        (text("fact_members", lang), str(o.members_total)),
        (text("fact_min_size", lang), str(o.ring.min_group_size)),
        (text("fact_status", lang), text("status_line", lang, **counts)),
    ]
    if o.group_size is not None:
        facts.append((text("fact_counted", lang), text("counted", lang, n=o.group_size)))
    facts.append(
        (
            text("fact_view", lang),
            text("view_member" if o.viewer_is_member else "view_coordinator", lang),
        )
    )
    local = report.generated_at.astimezone(LOCAL_ZONE)
    facts.append(
        (
            text("fact_date", lang),
            local.strftime("%d.%m.%Y") if lang == "de" else local.strftime("%Y-%m-%d"),
        )
    )
    return facts


def _member_label(label: str, is_self: bool, lang: str) -> str:
    return f"{label} ({text('own', lang)})" if is_self else label


def _extremes(report: RingReport) -> bool:
    return any(
        d.statistics is not None and d.statistics.minimum is not None
        for d in report.overview.dimensions
    )


def _statistics_cells(stats: Statistics | None, lang: str, extremes: bool) -> list[str]:
    values = [stats.q1, stats.median, stats.q3, stats.mean] if stats else [None, None, None, None]
    if extremes:
        values += [stats.minimum, stats.maximum] if stats else [None, None]
    return [str(stats.n) if stats else "–", *(number(v, lang) for v in values)]


def _statistics_header(lang: str, extremes: bool) -> list[str]:
    keys = ["col_n", "col_q1", "col_median", "col_q3", "col_mean"]
    if extremes:
        keys += ["col_min", "col_max"]
    return [text(k, lang) for k in keys]


def _criterion_rows(report: RingReport, dimension_id: str) -> list[dict[str, Any]]:
    lang = report.lang
    dimension = report.catalog.dimension(dimension_id)
    by_id = {c.criterion_id: c for c in report.overview.criteria}
    rows = []
    for index, criterion in enumerate(dimension.criteria, start=1):
        item = by_id.get(dimension.full_id(criterion))
        shown = item is not None and item.distribution is not None
        counts = (
            [str(item.distribution.get(level, 0)) for level in LEVELS]  # type: ignore[union-attr]
            + [str(item.not_applicable or 0)]
            if shown and item is not None
            else ["–"] * (len(LEVELS) + 1)
        )
        own = None
        if shown and item is not None and report.overview.viewer_is_member:
            own = "na" if item.own_not_applicable else item.own_level
        rows.append(
            {
                "title": f"{index}. {criterion.title.get(lang)}",
                "n": str(item.statistics.n) if item and item.statistics else "–",
                "median": number(
                    item.statistics.median if item and item.statistics else None, lang
                ),
                "counts": counts,
                "own": own,
            }
        )
    return rows


# --- PDF -------------------------------------------------------------------------------------


def _strip_svg(report: RingReport, dimension_id: str) -> str:
    """A strip of the members' scores on 0–100 % with the quartile band and the median: plain
    SVG (no text, so the PDF's text holds only the tables)."""
    item = report.overview.dimension(dimension_id)
    stats = item.statistics
    width, height, left, right = 480, 46, 10, 10
    span = width - left - right

    def x(value: float) -> float:
        return round(left + span * max(0.0, min(100.0, value)) / 100.0, 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<line x1="{left}" y1="34" x2="{width - right}" y2="34" stroke="#888" />',
    ]
    for tick in range(0, 101, 20):
        parts.append(f'<line x1="{x(tick)}" y1="31" x2="{x(tick)}" y2="37" stroke="#888" />')
    if stats is not None:
        parts.append(
            f'<rect x="{x(stats.q1)}" y="8" width="{round(x(stats.q3) - x(stats.q1), 2)}" '
            'height="20" fill="#0072B2" fill-opacity="0.15" />'
        )
        parts.append(
            f'<line x1="{x(stats.median)}" y1="4" x2="{x(stats.median)}" y2="32" '
            'stroke="#000" stroke-width="2" />'
        )
    for score in sorted(item.scores, key=lambda s: s.is_self):
        colour = OWN_COLOUR if score.is_self else MEMBER_COLOUR
        radius = 6 if score.is_self else 4
        parts.append(
            f'<circle cx="{x(score.score)}" cy="18" r="{radius}" fill="{colour}" '
            'fill-opacity="0.8" stroke="#000" stroke-width="0.5" />'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: RingReport) -> str:
    """The report as a complete HTML document (Jinja2 with autoescape on)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("ring_report.html.j2")
    lang, o = report.lang, report.overview
    extremes = _extremes(report)
    dimensions = []
    for dimension in report.catalog.dimensions:
        item = o.dimension(dimension.id)
        dimensions.append(
            {
                "title": dimension.title.get(lang),
                "statistics": _statistics_cells(item.statistics, lang, extremes),
                "shown": item.statistics is not None,
                "suppressed": item.suppressed.get(lang) if item.suppressed else None,
                "svg": _strip_svg(report, dimension.id) if item.statistics else "",
                "criteria": _criterion_rows(report, dimension.id),
            }
        )
    members = [
        {
            "label": _member_label(m.label, m.is_self, lang),
            "is_self": m.is_self,
            "scores": [number(m.scores.get(d.id), lang) for d in report.catalog.dimensions],
        }
        for m in o.members
    ]

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    return template.render(
        t=t,
        lang=lang,
        title=text("title", lang, name=o.ring.name),
        subtitle=text("subtitle", lang, period=o.period),
        demo=o.ring.is_demo or o.is_demo,
        facts=_facts(report),
        suppressed=o.suppressed.get(lang) if o.suppressed else None,
        show=not report.suppressed,
        statistics_header=_statistics_header(lang, extremes),
        dimensions=dimensions,
        dimension_titles=[d.title.get(lang) for d in report.catalog.dimensions],
        members=members,
        level_columns=[*(str(level) for level in LEVELS), text("col_na", lang)],
        method=[
            text("method_counted", lang),
            text(
                "method_min",
                lang,
                min=o.ring.min_group_size,
                extremes=MIN_SIZE_FOR_EXTREMES,
            ),
            text("method_consent", lang),
            text("method_scale", lang),
        ],
    )


def ring_report_pdf(report: RingReport) -> bytes:
    from nhm.report.pdf import html_to_pdf

    return html_to_pdf(
        render_html(report),
        title=text("title", report.lang, name=report.overview.ring.name),
    )


# --- XLSX ------------------------------------------------------------------------------------


def ring_report_xlsx(report: RingReport) -> bytes:
    """A workbook: a summary sheet, a sheet per dimension (members × criteria levels under the
    same labels) and a sheet on method and suppression."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang, o = report.lang, report.overview
    bold = Font(bold=True)
    own_fill = PatternFill("solid", fgColor="FBE3D6")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = _sheet_title(text("sheet_summary", lang), set())
    taken = {summary.title}

    def header(sheet: Any, row: int, values: list[str]) -> None:
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    summary.append([text("title", lang, name=o.ring.name)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([text("subtitle", lang, period=o.period)])
    if o.ring.is_demo or o.is_demo:
        summary.append([text("demo", lang)])
    summary.append([])
    for label, value in _facts(report):
        summary.append([label, value])
    summary.append([])
    if report.suppressed:
        summary.append([text("suppressed_heading", lang)])
        summary.append([o.suppressed.get(lang) if o.suppressed else ""])
    else:
        extremes = _extremes(report)
        summary.append([text("dimensions", lang)])
        header(
            summary,
            summary.max_row + 1,
            [text("col_dimension", lang), *_statistics_header(lang, extremes)],
        )
        for dimension in report.catalog.dimensions:
            item = o.dimension(dimension.id)
            summary.append(
                [
                    dimension.title.get(lang),
                    *_numbers(_statistics_values(item.statistics, extremes)),
                ]
            )
        summary.append([])
        summary.append([text("members", lang)])
        header(
            summary,
            summary.max_row + 1,
            [text("col_member", lang), *(d.title.get(lang) for d in report.catalog.dimensions)],
        )
        for member in o.members:
            summary.append(
                [
                    _member_label(member.label, member.is_self, lang),
                    *(_round(member.scores.get(d.id)) for d in report.catalog.dimensions),
                ]
            )
            if member.is_self:
                for cell in summary[summary.max_row]:
                    cell.fill = own_fill
                    cell.font = bold
        summary.append([text("members_note", lang)])
    summary.column_dimensions["A"].width = 34
    for column in range(2, 10):
        summary.column_dimensions[get_column_letter(column)].width = 18

    levels = {m.label: m for m in report.levels}
    for dimension in report.catalog.dimensions:
        sheet = workbook.create_sheet(_sheet_title(dimension.title.get(lang), taken))
        taken.add(sheet.title)
        item = o.dimension(dimension.id)
        sheet.append([dimension.title.get(lang)])
        sheet["A1"].font = Font(bold=True, size=13)
        if item.statistics is None or report.suppressed:
            reason = item.suppressed or o.suppressed
            sheet.append([reason.get(lang) if reason else text("dimension_suppressed", lang)])
            continue
        sheet.append([text("levels_heading", lang)])
        criteria = [
            (dimension.full_id(c), f"{i}. {c.title.get(lang)}")
            for i, c in enumerate(dimension.criteria, start=1)
        ]
        header(
            sheet,
            3,
            [text("col_member", lang), text("col_score", lang), *(title for _, title in criteria)],
        )
        shown_criteria = {c.criterion_id for c in o.criteria if c.distribution is not None}
        for member in o.members:
            answers = levels.get(member.label)
            row: list[Any] = [
                _member_label(member.label, member.is_self, lang),
                _round(member.scores.get(dimension.id)),
            ]
            for criterion_id, _ in criteria:
                if criterion_id not in shown_criteria:
                    row.append("–")  # too few answers: no member's level either
                elif answers is None:
                    row.append(None)
                elif criterion_id in answers.not_applicable:
                    row.append(text("col_na", lang))
                else:
                    row.append(answers.levels.get(criterion_id))
            sheet.append(row)
            if member.is_self:
                for cell in sheet[sheet.max_row]:
                    cell.fill = own_fill
                    cell.font = bold
        sheet.append([])
        stats_row = sheet.max_row + 1
        sheet.cell(row=stats_row, column=1, value=text("col_median", lang)).font = bold
        sheet.cell(row=stats_row, column=2, value=_round(item.statistics.median))
        by_id = {c.criterion_id: c for c in o.criteria}
        for offset, (criterion_id, _) in enumerate(criteria):
            found = by_id.get(criterion_id)
            if found is not None and found.statistics is not None:
                sheet.cell(row=stats_row, column=3 + offset, value=_round(found.statistics.median))
        sheet.column_dimensions["A"].width = 30
        sheet.column_dimensions["B"].width = 10
        for column in range(3, 3 + len(criteria)):
            sheet.column_dimensions[get_column_letter(column)].width = 22
        sheet.row_dimensions[3].height = 60
        sheet.freeze_panes = "C4"

    method = workbook.create_sheet(_sheet_title(text("sheet_method", lang), taken))
    method.append([text("method", lang)])
    method["A1"].font = Font(bold=True, size=13)
    for paragraph in (
        text("method_counted", lang),
        text("method_min", lang, min=o.ring.min_group_size, extremes=MIN_SIZE_FOR_EXTREMES),
        text("method_consent", lang),
        text("method_scale", lang),
    ):
        method.append([paragraph])
    reasons = []
    if o.suppressed is not None:
        reasons.append(o.suppressed.get(lang))
    for dimension in report.catalog.dimensions:
        item = o.dimension(dimension.id)
        if item.suppressed is not None and o.suppressed is None:
            reasons.append(f"{dimension.title.get(lang)}: {item.suppressed.get(lang)}")
    if reasons:
        method.append([])
        method.append([text("suppressed_heading", lang)])
        for reason in reasons:
            method.append([reason])
    method.column_dimensions["A"].width = 120
    for row in method.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    workbook.properties.title = text("title", lang, name=o.ring.name)
    workbook.properties.creator = "nhm"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _statistics_values(stats: Statistics | None, extremes: bool) -> list[float | int | None]:
    if stats is None:
        return [None] * (7 if extremes else 5)
    values: list[float | int | None] = [stats.n, stats.q1, stats.median, stats.q3, stats.mean]
    if extremes:
        values += [stats.minimum, stats.maximum]
    return values


def _numbers(values: list[float | int | None]) -> list[float | int | str]:
    return ["–" if v is None else (v if isinstance(v, int) else round(v, 1)) for v in values]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = _SHEET_FORBIDDEN.sub("-", title).strip("'") or "Sheet"
    candidate = base[:31]
    number_ = 2
    while candidate in taken:
        suffix = f" ({number_})"
        candidate = base[: 31 - len(suffix)] + suffix
        number_ += 1
    return candidate
