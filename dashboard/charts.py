"""Plotly figures for the monthly charts (overview, speaker, show).

Figures are built with graph_objects from plain lists so they do not depend on pandas, and
share one look. An empty series still yields a figure (with a note on it), so the chart element
is always on the page and a reader sees why it is empty instead of a missing chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

ACCENT = "#4f46e5"
MONTH_BAR_MS = 25 * 24 * 3600 * 1000  # a bar spans most of its month, however sparse the series
EMPTY_HEIGHT = 180


def _add_months(day: date, n: int) -> date:
    month = day.month - 1 + n
    return date(day.year + month // 12, month % 12 + 1, 1)


def monthly_bars(
    months: Sequence[date],
    values: Sequence[int],
    *,
    y_title: str,
    empty_note: str,
    hover_label: str | None = None,
) -> go.Figure:
    """Bars per calendar month; `empty_note` is drawn on the plot when there is no data."""
    label = hover_label or y_title
    figure = go.Figure(
        go.Bar(
            x=list(months),
            y=list(values),
            marker_color=ACCENT,
            width=[MONTH_BAR_MS] * len(months),
            xperiod="M1",
            xperiodalignment="start",
            hovertemplate=f"%{{x|%b %Y}}<br>{label}: %{{y:,}}<extra></extra>",
        )
    )
    figure.update_layout(
        template="plotly_white",
        height=300,
        margin={"l": 48, "r": 16, "t": 16, "b": 40},
        bargap=0.1,
        yaxis={"title": y_title, "rangemode": "tozero", "tickformat": ",d"},
        xaxis={"type": "date"},
        showlegend=False,
    )
    if months and (max(months) - min(months)).days < 366:
        # A short series: month ticks and a month of margin, so one or two bars keep their
        # width and the axis does not fall back to day ticks.
        first, last = min(months), max(months)
        figure.update_xaxes(
            dtick="M1",
            tickformat="%b %Y",
            range=[_add_months(first, -1).isoformat(), _add_months(last, 2).isoformat()],
        )
    if values and max(values) <= 5:
        figure.update_yaxes(dtick=1)  # counts: no 0.2-step ticks for small numbers
    if not months:
        figure.update_layout(height=EMPTY_HEIGHT)
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        figure.add_annotation(
            text=empty_note,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font={"size": 15, "color": "#6b7280"},
        )
    return figure


def graph_config(figure: go.Figure) -> dict:
    """dcc.Graph config: no Plotly logo; no toolbar on an empty chart (nothing to zoom)."""
    has_data = any(len(trace.x or ()) for trace in figure.data)
    return {"displaylogo": False, "displayModeBar": "hover" if has_data else False}
