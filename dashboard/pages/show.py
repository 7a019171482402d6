"""Show page (/show/<show_id>): size, hosts and guests with their counts on this show,
episodes per month, and every episode with who appeared in it."""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import dcc, html

from dashboard import charts, ids, lists, queries
from dashboard import components as ui
from dashboard import formatting as fmt
from dashboard.grids import show_speaker_columns, show_speaker_rows
from ingest.errors import PaaError


def title(show_id: str | None = None, **_: Any) -> str:
    try:
        profile = queries.show_profile(show_id) if show_id else None
    except PaaError:
        profile = None
    name = profile["title"] if profile else "Show"
    return f"{name} · Podcast Appearance Analytics"


dash.register_page(__name__, path_template="/show/<show_id>", name="Show", title=title)


@ui.guard
def layout(show_id: str | None = None, **_query: object) -> html.Div:
    profile = queries.show_profile(show_id) if show_id else None
    if profile is None:
        return ui.notice(
            f"No show with id “{show_id or ''}”",
            "The link may be old.",
            dcc.Link("See all shows", href=dash.get_relative_path("/shows")),
        )
    sid = profile["show_id"]
    speakers = queries.show_speakers(sid)
    hosts = speakers.filter(role="host")
    return html.Div(
        [
            html.H1(profile["title"], id=ids.SHOW_TITLE),
            ui.stat_row(
                ui.stat(fmt.count(profile["n_episodes"]), "episodes"),
                ui.stat(fmt.count(profile["n_speakers"]), "speakers"),
                ui.stat(fmt.count(profile["n_hosts"]), "hosts"),
                ui.stat(fmt.count(profile["n_guests"]), "guests"),
                ui.stat(fmt.count(profile["n_appearances"]), "appearances"),
                ui.stat(fmt.count(profile["n_quotes"]), "quotes"),
                ui.stat(fmt.day(profile["first_episode"]), "first episode"),
                ui.stat(fmt.day(profile["last_episode"]), "last episode"),
                id=ids.SHOW_STATS,
            ),
            _hosts_line(hosts),
            _chart(sid),
            ui.section(
                "Hosts and guests",
                html.P("Episodes of this show each speaker appears in, by role.",
                       className="muted small"),
                ui.grid(ids.SHOW_SPEAKER_GRID, show_speaker_columns(),
                        show_speaker_rows(speakers), row_id="row_id", page_size=20),
            ),
            ui.section(
                "Episodes",
                ui.pager(
                    ids.SHOW_EPISODES, subject=sid, n_items=profile["n_episodes"],
                    page_size=lists.SHOW_PAGE_SIZE, noun="episode",
                    first_page=lists.show_episodes(sid, 1),
                ),
            ),
        ]
    )


def _hosts_line(hosts: pl.DataFrame) -> html.P:
    if hosts.height == 0:
        return html.P("No hosts recorded for this show.", className="muted")
    parts: list = ["Hosted by "]
    for i, row in enumerate(hosts.iter_rows(named=True)):
        if i:
            parts.append(", ")
        parts += [ui.speaker_link(row["speaker_id"], row["display_name"]),
                  f" ({fmt.plural(row['n_episodes'], 'episode')})"]
    return html.P(parts, className="hosts")


def _chart(show_id: str) -> html.Section:
    monthly = queries.show_monthly(show_id)
    figure = charts.monthly_bars(
        monthly["month_start"].to_list(), monthly["n_episodes"].to_list(),
        y_title="Episodes", empty_note="no dated episodes",
    )
    return ui.section(
        "Episodes per month",
        dcc.Graph(id=ids.SHOW_CHART, figure=figure,
                  config=charts.graph_config(figure)),
    )
