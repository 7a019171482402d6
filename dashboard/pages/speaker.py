"""Speaker page (/speaker/<speaker_id>), modelled on the scraped speaker page in the seed data:
name, role, our appearance and quote counts, appearances over time, and every episode with the
speaker's quotes in it.

Our count (distinct episodes in the warehouse) and a source page's claimed total (source_claims)
are shown apart and labelled, because they measure different things: the seed page claims 891
appearances while the quotes it actually lists come from one episode.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard import charts, ids, lists, queries
from dashboard import components as ui
from dashboard import formatting as fmt
from ingest.errors import PaaError


def title(speaker_id: str | None = None, **_: Any) -> str:
    """Browser tab title: the speaker's name when we can look it up cheaply."""
    try:
        profile = queries.speaker_profile(speaker_id) if speaker_id else None
    except PaaError:
        profile = None
    name = profile["display_name"] if profile else "Speaker"
    return f"{name} · Podcast Appearance Analytics"


dash.register_page(__name__, path_template="/speaker/<speaker_id>", name="Speaker", title=title)


@ui.guard
def layout(speaker_id: str | None = None, **_query: object) -> html.Div:
    profile = queries.speaker_profile(speaker_id) if speaker_id else None
    if profile is None:
        return ui.notice(
            f"No speaker with id “{speaker_id or ''}”",
            "The link may be old, or the speaker may have been merged into another one.",
            dcc.Link("Search all speakers", href=dash.get_relative_path("/speakers")),
        )
    sid = profile["speaker_id"]
    claims = queries.speaker_claims(sid)
    return html.Div(
        [
            html.Header(
                [
                    html.H1(profile["display_name"], id=ids.SPEAKER_NAME),
                    html.Div(fmt.roles(profile["roles"]), className="role-badge"),
                ],
                className="page-header",
            ),
            ui.stat_row(
                ui.stat(fmt.count(profile["n_appearances"]),
                        "total appearance" + ("" if profile["n_appearances"] == 1 else "s"),
                        id="speaker-appearances"),
                ui.stat(fmt.count(profile["n_quotes"]),
                        "quote" + ("" if profile["n_quotes"] == 1 else "s"), id="speaker-quotes"),
                ui.stat(fmt.count(profile["n_shows"]),
                        "show" + ("" if profile["n_shows"] == 1 else "s"), id="speaker-shows"),
                ui.stat(fmt.day(profile["first_appearance"]), "first appearance",
                        id="speaker-first"),
                ui.stat(fmt.day(profile["last_appearance"]), "last appearance",
                        id="speaker-last"),
                id=ids.SPEAKER_STATS,
            ),
            html.P(
                "Appearances are the distinct episodes this speaker is in, in the data we hold; "
                "quotes are counted separately.",
                className="muted small",
            ),
            _claim(claims, profile["n_appearances"]),
            _chart(sid),
            ui.section(
                "Podcast Appearances",
                ui.pager(
                    ids.SPEAKER_EPISODES, subject=sid, n_items=profile["n_appearances"],
                    page_size=lists.SPEAKER_PAGE_SIZE, noun="episode",
                    first_page=lists.speaker_episodes(sid, 1),
                ),
            ),
        ]
    )


def _claim(claims: dict[str, str], ours: int) -> html.Div | None:
    claimed = claims.get("total_appearances")
    if claimed is None:
        return None
    return html.Div(
        [
            html.Strong("Source claim: "),
            f"the source page claimed {claimed} total appearances. ",
            html.Span(
                "That is the page's own figure, not ours: we count "
                f"{fmt.plural(ours, 'appearance')} (distinct episodes) in the data we hold.",
                className="muted",
            ),
        ],
        id=ids.SPEAKER_CLAIM,
        className="claim",
    )


def _chart(speaker_id: str) -> html.Section:
    monthly = queries.speaker_monthly(speaker_id)
    empty = monthly.height == 0
    figure = charts.monthly_bars(
        monthly["month_start"].to_list(), monthly["n_appearances"].to_list(),
        y_title="Episodes", hover_label="Appearances", empty_note="no dated appearances",
    )
    note = (
        "No dated appearances: none of this speaker's episodes has a publication date, so "
        "there is nothing to place on a timeline."
        if empty
        else "Distinct episodes per month of the episode's publication date."
    )
    return ui.section(
        "Appearances Over Time",
        dcc.Graph(id=ids.SPEAKER_CHART, figure=figure,
                  config=charts.graph_config(figure)),
        html.P(note, id=ids.SPEAKER_CHART_NOTE, className="muted small"),
    )
