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
