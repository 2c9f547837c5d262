"""Plotly figures of the app, with colour-blind-safe colours (Okabe–Ito) and German labels."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
DASHES = ("solid", "dash", "dot")


@dataclass(frozen=True)
class Series:
    """One line of a chart: a name and a value per category (None where there is none)."""

    name: str
    values: list[float | None]


def radar(categories: list[str], series: list[Series], title: str) -> go.Figure:
    """Dimension scores (0–100) as a radar chart; each series closes its polygon."""
    figure = go.Figure()
    for index, item in enumerate(series):
        values = list(item.values)  # None (not scored, suppressed) leaves a gap, not a 0
        figure.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*categories, categories[0]],
                name=item.name,
                mode="lines+markers",
                connectgaps=False,
                line={
                    "color": OKABE_ITO[index % len(OKABE_ITO)],
                    "dash": DASHES[index % len(DASHES)],
                    "width": 2,
                },
                fill="toself" if index == 0 else None,
                opacity=0.85,
                hovertemplate="%{theta}: %{r:.1f}<extra>" + item.name + "</extra>",
            )
        )
    figure.update_layout(
        title={"text": title},
        polar={"radialaxis": {"range": [0, 100], "ticksuffix": " %"}},
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 60, "r": 60, "t": 60, "b": 40},
        separators=",.",
        height=480,
    )
    return figure


BLACK = "#000000"  # Okabe–Ito's eighth colour, for the line that sums the others up


@dataclass(frozen=True)
class TrendLine:
    """One line of a trend chart: a value per period (None leaves a gap).

    ``color`` indexes the Okabe–Ito colours (None: black and wider, for the overall index);
    a ``target`` line is dashed with open markers, in the colour of the line it belongs to
    (``group``: both are shown and hidden together from the legend)."""

    name: str
    values: list[float | None]
    color: int | None = None
    target: bool = False
    group: str | None = None


def trend(
    periods: list[str], lines: list[TrendLine], title: str, separators: str = ",."
) -> go.Figure:
    """Scores (0–100) across periods, one line each, periods as categories in their order."""
    figure = go.Figure()
    for line in lines:
        color = BLACK if line.color is None else OKABE_ITO[line.color % len(OKABE_ITO)]
        figure.add_trace(
            go.Scatter(
                x=periods,
                y=list(line.values),
                name=line.name,
                mode="lines+markers",
                connectgaps=False,
                legendgroup=line.group,
                line={
                    "color": color,
                    "dash": "dash" if line.target else "solid",
                    "width": 3 if line.color is None and not line.target else 2,
                },
                marker={
                    "symbol": "diamond-open" if line.target else "circle",
                    "size": 9 if line.target else 7,
                },
                hovertemplate="%{x}: %{y:.1f} %<extra>" + line.name + "</extra>",
            )
        )
    figure.update_layout(
        title={"text": title},
        xaxis={"type": "category"},
        # a little room beyond 0 and 100, so markers there are not cut in half
        yaxis={"range": [-3, 103], "tickvals": [0, 20, 40, 60, 80, 100], "ticksuffix": " %"},
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 60, "r": 30, "t": 60, "b": 40},
        separators=separators,
        height=480,
    )
    return figure


def image_config(filename: str) -> dict[str, object]:
    """Plotly's modebar config: no logo, and the camera button saves a sharp PNG with a file
    name that says what it shows (the browser decides whether it can download)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in filename).strip("-")
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": safe or "nhm-chart", "scale": 2},
    }


OWN_COLOUR = OKABE_ITO[5]  # vermilion: the municipality itself, wherever it is marked
HEAT_SCALE = [[0.0, "#F7FBFF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]  # one hue, light → dark
WHITE_TEXT_FROM = 65.0  # share (%) from which a cell of HEAT_SCALE is dark enough for white


def level_heatmap(
    rows: list[str],
    columns: list[str],
    shares: list[list[float | None]],
    texts: list[list[str]],
    share_title: str,
    own_cells: list[tuple[str, str]],
    own_name: str,
) -> go.Figure:
    """Criteria (rows) × levels (columns): the share of the group at each level, the cell's
    text written on it (white on dark cells), and the municipality's own cells (column, row)
    outlined. The caller sets the title and layout."""
    figure = go.Figure(
        go.Heatmap(
            z=shares,
            x=columns,
            y=rows,
            text=texts,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            colorscale=HEAT_SCALE,
            zmin=0,
            zmax=100,
            xgap=2,
            ygap=2,
            colorbar={"ticksuffix": " %", "title": {"text": share_title}},
        )
    )
    for row, row_shares, row_texts in zip(rows, shares, texts, strict=True):
        for column, share, text in zip(columns, row_shares, row_texts, strict=True):
            figure.add_annotation(
                x=column,
                y=row,
                text=text,
                showarrow=False,
                font={"color": "#FFFFFF" if (share or 0) >= WHITE_TEXT_FROM else "#1A1A1A"},
            )
    if own_cells:
        figure.add_trace(
            go.Scatter(
                x=[column for column, _ in own_cells],
                y=[row for _, row in own_cells],
                mode="markers",
                name=own_name,
                marker={
                    "symbol": "square-open",
                    "size": 34,
                    "color": OWN_COLOUR,
                    "line": {"color": OWN_COLOUR, "width": 3},
                },
                hovertemplate="%{y}: %{x}<extra></extra>",
            )
        )
    return figure
