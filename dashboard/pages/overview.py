"""Overview (/): corpus totals, appearances per month, top speakers and top shows."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import charts, ids, queries
from dashboard import components as ui
from dashboard import formatting as fmt

dash.register_page(__name__, path="/", name="Overview", title="Overview · Podcast Appearance "
                   "Analytics", order=0, nav=True)

TOP_N = 10


@ui.guard
def layout(**_query: object) -> html.Div:
    totals = queries.totals()
    monthly = queries.appearances_per_month()
    figure = charts.monthly_bars(
        monthly["month_start"].to_list(), monthly["n_appearances"].to_list(),
        y_title="Appearances", empty_note="no dated appearances yet",
    )
    return html.Div(
        [
            html.H1("Overview"),
            ui.stat_row(
                ui.stat(fmt.count(totals.speakers), "speakers", id="total-speakers"),
                ui.stat(fmt.count(totals.shows), "shows", id="total-shows"),
                ui.stat(fmt.count(totals.episodes), "episodes", id="total-episodes"),
                ui.stat(fmt.count(totals.appearances), "appearances", id="total-appearances"),
                ui.stat(fmt.count(totals.quotes), "quotes", id="total-quotes"),
                id=ids.OVERVIEW_TOTALS,
            ),
            html.P(
                "An appearance is one speaker in one episode, whatever their role; quotes are "
                "what they said, counted separately.",
                className="muted small",
            ),
            ui.section(
                "Appearances per month",
                dcc.Graph(id=ids.OVERVIEW_CHART, figure=figure,
                  config=charts.graph_config(figure)),
                html.P("Episodes without a publication date are not in this chart.",
                       className="muted small"),
            ),
            html.Div(
                [
                    ui.section("Top speakers", _top_speakers(), id=ids.OVERVIEW_TOP_SPEAKERS),
                    ui.section("Top shows", _top_shows(), id=ids.OVERVIEW_TOP_SHOWS),
                ],
                className="two-columns",
            ),
        ]
    )


def _table(header: list[str], rows: list[list]) -> html.Table:
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in header])),
            html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
        ],
        className="table",
    )


def _top_speakers() -> html.Table:
    frame = queries.top_speakers(TOP_N)
    return _table(
        ["Speaker", "Appearances", "Shows", "Quotes"],
        [
            [ui.speaker_link(r["speaker_id"], r["display_name"]), fmt.count(r["n_appearances"]),
             fmt.count(r["n_shows"]), fmt.count(r["n_quotes"])]
            for r in frame.iter_rows(named=True)
        ],
    )


def _top_shows() -> html.Table:
    frame = queries.top_shows(TOP_N)
    return _table(
        ["Show", "Episodes", "Speakers", "Appearances"],
        [
            [ui.show_link(r["show_id"], r["title"]), fmt.count(r["n_episodes"]),
             fmt.count(r["n_speakers"]), fmt.count(r["n_appearances"])]
            for r in frame.iter_rows(named=True)
        ],
    )
