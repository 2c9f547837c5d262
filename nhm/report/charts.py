"""The council report's charts as inline SVG: matplotlib with text kept as text.

Every chart is an ``<svg role="img">`` with a ``<title>`` and an ``aria-label`` holding its
numbers, so screen readers and the PDF's text layer read it; the report prints the same
numbers in a table next to it. Text stays text (``svg.fonttype = "none"``), mathtext is off
(a "$" in a title is just a dollar sign), colours are Okabe–Ito (safe for colour-blind
readers) and axis labels use the report's number format (German decimal commas). Ids inside
each SVG carry a prefix of their own, so several charts live in one HTML document.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from nhm.report.texts import ReportText

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
BLACK = "#000000"
GRID = "#BBBBBB"
WIDTH = 6.6  # inches: the text width of an A4 page with 2 cm margins, less a little
LABEL_WIDTH = 34  # characters per line of a category label
MAX_HEIGHT = 9.0  # inches: a chart never needs more than one A4 page

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "nhm-report",  # the same chart gives the same SVG
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "legend.frameon": False,
}
_STYLE = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", re.DOTALL)
_REFERENCE = re.compile(r'(?:url\(#|href="#)([^)"]+)')
_ID = re.compile(r'\sid="([^"]*)"')


@dataclass(frozen=True)
class Line:
    """One line of a trend chart; ``color`` indexes the Okabe–Ito colours (None: black)."""

    name: str
    values: list[float | None]
    color: int | None = None


def _figure(height: float):  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), layout="constrained")


def _wrap(label: str, width: int = LABEL_WIDTH, lines: int = 3) -> str:
    return "\n".join(textwrap.wrap(label, width, max_lines=lines, placeholder=" …")) or label


def to_svg(figure: object, prefix: str, description: str) -> Markup:
    """``figure`` as an inline ``<svg>``: no XML prolog, ids prefixed, labelled for readers."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(  # type: ignore[attr-defined]
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = buffer.getvalue()
    svg = _STYLE.sub("", svg[svg.index("<svg") :])
    referenced = set(_REFERENCE.findall(svg))

    def rename(match: re.Match[str]) -> str:
        value = match.group(1)
        return f' id="{prefix}-{value}"' if value in referenced else ""

    svg = _ID.sub(rename, svg)
    svg = _REFERENCE.sub(lambda m: m.group(0).replace("#", f"#{prefix}-", 1), svg)
    label = escape(description)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    start = svg.index(">", svg.index("<svg")) + 1
    svg = f"{svg[:start]}<title>{label}</title>{svg[start:]}"
    return Markup(svg.strip())  # matplotlib escapes its text; the label is escaped above


def _percent_axis(axis: object, t: ReportText) -> None:
    from matplotlib.ticker import FixedLocator, FuncFormatter

    axis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))  # type: ignore[attr-defined]
    axis.set_major_formatter(FuncFormatter(lambda v, _: t.percent(v, 0)))  # type: ignore[attr-defined]


def dimension_scores(
    labels: Sequence[str],
    scores: Sequence[float | None],
    targets: Sequence[float | None],
    t: ReportText,
    prefix: str,
    description: str,
) -> Markup:
    """Horizontal bars of the dimension scores (0–100), targets as diamonds."""
    with _context():
        figure = _figure(min(0.45 * len(labels) + 0.9, MAX_HEIGHT))
        axes = figure.add_subplot()
        rows = list(range(len(labels)))[::-1]
        values = [s if s is not None else 0.0 for s in scores]
        axes.barh(rows, values, color=OKABE_ITO[0], height=0.6, label=t("chart_own"))
        for row, score in zip(rows, scores, strict=True):
            axes.text(
                (score or 0.0) + 1.5,
                row,
                t.percent(score),
                va="center",
                fontsize=8,
                color=BLACK,
            )
        if _target_diamonds(axes, targets, rows, 30, t("chart_target")):
            axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8)
        for band in (50, 75):
            axes.axvline(band, color=GRID, linewidth=0.8, linestyle=":", zorder=0)
        axes.set_yticks(rows, [_wrap(label) for label in labels])
        axes.set_xlim(0, 112)
        _percent_axis(axes.xaxis, t)
        return to_svg(figure, prefix, description)


def _target_diamonds(
    axes: Any, targets: Sequence[float | None], rows: Sequence[int], size: int, label: str = ""
) -> bool:
    """The targets as diamonds on their rows; whether there was any."""
    points = [(v, r) for v, r in zip(targets, rows, strict=True) if v is not None]
    if points:
        axes.scatter(
            [v for v, _ in points],
            [r for _, r in points],
            marker="D",
            s=size,
            color=OKABE_ITO[1],
            edgecolors=BLACK,
            linewidths=0.5,
            zorder=3,
            **({"label": label} if label else {}),
        )
    return bool(points)


def criterion_levels(
    labels: Sequence[str],
    levels: Sequence[int | None],
    notes: Sequence[str],
    targets: Sequence[int | None],
    t: ReportText,
    prefix: str,
    description: str,
) -> Markup:
    """Horizontal bars of the criteria's levels (0–4); ``notes`` label criteria without a
    level ("n. a.", "offen"), target levels are diamonds."""
    from matplotlib.ticker import FixedLocator

    with _context():
        figure = _figure(min(0.32 * len(labels) + 0.8, MAX_HEIGHT))
        axes = figure.add_subplot()
        rows = list(range(len(labels)))[::-1]
        axes.barh(rows, [lv or 0 for lv in levels], color=OKABE_ITO[0], height=0.6)
        for row, level, note in zip(rows, levels, notes, strict=True):
            if level is None:
                axes.text(0.05, row, note, va="center", fontsize=8, color="#444444")
        _target_diamonds(axes, targets, rows, 26)
        lines = 3 if len(labels) <= 20 else 1  # many criteria: one line each, to fit a page
        axes.set_yticks(rows, [_wrap(label, 44, lines) for label in labels])
        axes.set_xlim(0, 4.2)
        axes.xaxis.set_major_locator(FixedLocator([0, 1, 2, 3, 4]))
        axes.set_xlabel(t("chart_level_axis"))
        axes.grid(axis="x", color=GRID, linewidth=0.6, linestyle=":")
        axes.set_axisbelow(True)
        return to_svg(figure, prefix, description)


def peer_boxes(
    labels: Sequence[str],
    quartiles: Sequence[tuple[float, float, float] | None],
    own: Sequence[float | None],
    t: ReportText,
    prefix: str,
    description: str,
) -> Markup:
    """Per dimension the peer group's middle half (box), median (line) and own score (dot)."""
    from matplotlib.patches import Rectangle

    with _context():
        figure = _figure(min(0.45 * len(labels) + 1.0, MAX_HEIGHT))
        axes = figure.add_subplot()
        rows = list(range(len(labels)))[::-1]
        for row, box in zip(rows, quartiles, strict=True):
            if box is None:
                continue
            q1, median, q3 = box
            axes.add_patch(
                Rectangle(
                    (q1, row - 0.3),
                    q3 - q1,
                    0.6,
                    facecolor="#CCE3F1",
                    edgecolor=OKABE_ITO[0],
                    linewidth=0.8,
                )
            )
            axes.plot([median, median], [row - 0.3, row + 0.3], color=OKABE_ITO[0], linewidth=2)
        points = [(v, r) for v, r in zip(own, rows, strict=True) if v is not None]
        axes.scatter(
            [v for v, _ in points],
            [r for _, r in points],
            s=36,
            color=OKABE_ITO[5],
            edgecolors=BLACK,
            linewidths=0.5,
            zorder=3,
            label=t("chart_own"),
        )
        axes.plot([], [], color=OKABE_ITO[0], linewidth=2, label=t("benchmark_median"))
        axes.add_patch(
            Rectangle(
                (0, 0),
                0,
                0,
                facecolor="#CCE3F1",
                edgecolor=OKABE_ITO[0],
                label=t("benchmark_group_legend"),
            )
        )
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8)
        axes.set_yticks(rows, [_wrap(label) for label in labels])
        axes.set_ylim(-0.7, len(labels) - 0.3)
        axes.set_xlim(0, 100)
        _percent_axis(axes.xaxis, t)
        axes.grid(axis="x", color=GRID, linewidth=0.6, linestyle=":")
        axes.set_axisbelow(True)
        return to_svg(figure, prefix, description)


def trend(
    periods: Sequence[str], lines: Sequence[Line], t: ReportText, prefix: str, description: str
) -> Markup:
    """Scores (0–100) across periods, one line each; the black line is the overall index."""
    with _context():
        figure = _figure(3.4)
        axes = figure.add_subplot()
        positions = list(range(len(periods)))
        markers = ("o", "s", "^", "v", "D", "P", "X")
        for index, line in enumerate(lines):
            color = BLACK if line.color is None else OKABE_ITO[line.color % len(OKABE_ITO)]
            values = [float("nan") if v is None else v for v in line.values]
            axes.plot(
                positions,
                values,
                color=color,
                linewidth=2.4 if line.color is None else 1.5,
                marker=markers[index % len(markers)],
                markersize=4.5,
                label=_wrap(line.name, 30),
            )
        axes.set_xticks(positions, list(periods))
        axes.set_xlim(-0.3, len(periods) - 0.7)
        axes.set_ylim(-3, 103)
        _percent_axis(axes.yaxis, t)
        axes.grid(axis="y", color=GRID, linewidth=0.6, linestyle=":")
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5)
        return to_svg(figure, prefix, description)


def _context():  # type: ignore[no-untyped-def]
    import matplotlib

    return matplotlib.rc_context(_RC)
