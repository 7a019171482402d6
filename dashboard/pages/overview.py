"""Overview (/): corpus totals, appearances per month, top speakers and top shows, and how fresh
the data is, with the last refresh runs (refresh_runs) and what they did or why they failed."""

from __future__ import annotations

import dash
import polars as pl
from dash import dcc, html

from dashboard import charts, ids, queries
from dashboard import components as ui
from dashboard import formatting as fmt

dash.register_page(__name__, path="/", name="Overview", title="Overview · Podcast Appearance "
                   "Analytics", order=0, nav=True)

TOP_N = 10
N_RUNS = 8


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
            _freshness(),
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


def _freshness() -> html.Section:
    """When the data was published and from which snapshot, then the last refresh runs. A
    snapshot older than the run log has no refresh_runs: the section is then the line alone."""
    published = queries.last_publish() or {}
    line = html.P(fmt.freshness(published.get("finished_at"), published.get("snapshot")),
                  id=ids.OVERVIEW_DATA_AS_OF)
    runs = queries.refresh_runs(N_RUNS)
    table = None if runs is None else _runs_table(runs)
    return ui.section("Data freshness and last refresh runs", line, table,
                      id=ids.OVERVIEW_FRESHNESS)


def _runs_table(runs: pl.DataFrame) -> html.Table | html.P:
    if runs.height == 0:
        return html.P("No refresh runs recorded yet.", className="muted", id=ids.OVERVIEW_RUNS)
    header = [html.Th("Finished (UTC)"), html.Th("Step"), html.Th("Status"),
              html.Th("Changed sources", className="num"),
              html.Th("Records loaded", className="num"),
              html.Th("Rejected", className="num"), html.Th("Details")]
    rows = []
    for r in runs.iter_rows(named=True):
        kind = fmt.run_status_kind(r["status"])
        rows.append(
            html.Tr(
                [
                    html.Td(fmt.timestamp(r["finished_at"]), className="run-finished"),
                    html.Td(r["step"], className="run-step"),
                    html.Td(ui.run_status_badge(r["status"]), className="run-status-cell"),
                    html.Td(fmt.count(r["n_changed"]), className="num"),
                    html.Td(fmt.count(r["n_loaded"]), className="num"),
                    html.Td(fmt.count(r["n_rejected"]), className="num"),
                    html.Td(_run_details(r, failed=kind == "failed"), className="run-details"),
                ],
                className=f"run-row run-row-{kind}",
            )
        )
    return html.Table(
        [html.Thead(html.Tr(header)), html.Tbody(rows)],
        className="table runs-table",
        id=ids.OVERVIEW_RUNS,
    )


def _run_details(run: dict, *, failed: bool) -> list[html.Div]:
    """For a failed run the error text; for any run with rejects, 'reason: n, reason: n'."""
    details = []
    if failed:
        details.append(html.Div(run["error"] or "no error recorded", className="run-error"))
    reasons = fmt.rejects_by_reason(run["rejects_by_reason"])
    if reasons:
        details.append(html.Div(reasons, className="run-rejects muted small"))
    return details
