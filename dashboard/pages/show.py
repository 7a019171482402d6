"""Show page (/show/<show_id>): size, hosts and guests with their counts on this show,
episodes per month, and every episode with who appeared in it.

As everywhere, appearances known only because a name is in an episode title are low confidence
and not counted: the header keeps the mart's counts and says how many guests were left out,
the hosts/guests grid counts them in a column of their own, people known on the show only from
titles get a separate, marked grid, and the episode list badges them.
"""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import dcc, html

from dashboard import charts, ids, lists, queries
from dashboard import components as ui
from dashboard import formatting as fmt
from dashboard.grids import show_speaker_columns, show_speaker_rows, show_title_speaker_columns
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
    counted = speakers.filter(~pl.col("title_only"))
    title_only = speakers.filter(pl.col("title_only"))
    hosts = counted.filter(role="host")
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
            _title_note(profile["n_title_guests"]),
            _hosts_line(hosts),
            _chart(sid),
            _speaker_grid(counted, title_only.height),
            _title_only_grid(title_only),
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


def _title_note(n_title_guests: int | None) -> html.P | None:
    """Guests named only in episode titles are weak evidence: said next to the counts, never
    added to them."""
    if not n_title_guests:
        return None
    return html.P(
        f"+{fmt.plural(n_title_guests, 'guest')} named only in episode titles (not counted)",
        id=ids.SHOW_TITLE_ONLY_NOTE,
        className="low-confidence small",
    )


def _speaker_grid(counted: pl.DataFrame, n_title_only: int) -> html.Section:
    """Counted hosts and guests; a speaker's title-only episodes are a column of their own."""
    intro = html.P(
        "Episodes of this show each speaker appears in, by role. Episodes that name the "
        "speaker only in their title are low confidence and not counted: they are in "
        "“Named in titles only”.",
        className="muted small",
    )
    if counted.height:
        body: Any = ui.grid(ids.SHOW_SPEAKER_GRID, show_speaker_columns(),
                            show_speaker_rows(counted), row_id="row_id", page_size=20)
    elif n_title_only:
        body = html.P("No counted hosts or guests: everyone we know of on this show is named "
                      "only in episode titles (listed below).", className="muted")
    else:
        body = html.P("No hosts or guests recorded for this show.", className="muted")
    return ui.section("Hosts and guests", intro, body)


def _title_only_grid(title_only: pl.DataFrame) -> html.Section | None:
    """People known on this show (in that role) only from episode titles: listed, marked, and
    kept out of the grid above and of every count."""
    if title_only.height == 0:
        return None
    return ui.section(
        "Named only in episode titles (low confidence, not counted)",
        html.P(
            "A name in an episode title is weak evidence that the person was on the episode, "
            "so these are not in the counts above.",
            className="muted small",
        ),
        ui.grid(ids.SHOW_TITLE_ONLY_GRID, show_title_speaker_columns(),
                show_speaker_rows(title_only), row_id="row_id", page_size=20),
        id=ids.SHOW_TITLE_ONLY,
        extra_class="card-low-confidence",
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
