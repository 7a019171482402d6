"""Speaker page (/speaker/<speaker_id>), modelled on the scraped speaker page in the seed data:
name, role, our appearance and quote counts, appearances over time, and every episode with the
speaker's quotes in it.

Our count (distinct episodes in the warehouse) and a source page's claimed total (source_claims)
are shown apart and labelled, because they measure different things: the seed page claims 891
appearances while the quotes it actually lists come from one episode.

Each listed episode says how we know the speaker was in it (feed person tag, transcript, ...).
Episodes known only because the speaker's name is in an episode title are listed, marked low
confidence, and left out of the counts (the header says how many there are). Pairs that the
identity rules think may be one person are linked both ways and sent to the Review page: the
page never merges them itself.
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
    # With no counted appearance there is no date to be unknown: say so rather than "unknown".
    no_date = fmt.UNKNOWN_DATE if profile["n_appearances"] else "none counted"
    return html.Div(
        [
            html.Header(
                [
                    html.H1(profile["display_name"], id=ids.SPEAKER_NAME),
                    html.Div(fmt.roles(profile["roles"]), className="role-badge"),
                ],
                className="page-header",
            ),
            _href(profile["href"]),
            _candidates(sid),
            ui.stat_row(
                ui.stat(fmt.count(profile["n_appearances"]),
                        "total appearance" + ("" if profile["n_appearances"] == 1 else "s"),
                        id="speaker-appearances"),
                ui.stat(fmt.count(profile["n_quotes"]),
                        "quote" + ("" if profile["n_quotes"] == 1 else "s"), id="speaker-quotes"),
                ui.stat(fmt.count(profile["n_shows"]),
                        "show" + ("" if profile["n_shows"] == 1 else "s"), id="speaker-shows"),
                ui.stat(fmt.day(profile["first_appearance"], no_date), "first appearance",
                        id="speaker-first"),
                ui.stat(fmt.day(profile["last_appearance"], no_date), "last appearance",
                        id="speaker-last"),
                id=ids.SPEAKER_STATS,
            ),
            _title_note(profile["n_title_appearances"]),
            html.P(
                "Appearances are the distinct episodes this speaker is in, in the data we hold; "
                "quotes are counted separately.",
                className="muted small",
            ),
            _claim(claims, profile["n_appearances"]),
            _chart(sid, profile["n_title_appearances"]),
            ui.section(
                "Podcast Appearances",
                ui.pager(
                    ids.SPEAKER_EPISODES, subject=sid, n_items=profile["n_listed"],
                    page_size=lists.SPEAKER_PAGE_SIZE, noun="episode",
                    first_page=lists.speaker_episodes(sid, 1),
                ),
            ),
        ]
    )


def _href(url: str | None) -> html.P | None:
    """The page a source linked this person to (podcast:person href), if it is a safe link."""
    link = ui.external_link(url, id=ids.SPEAKER_HREF)
    if link is None:
        return None
    return html.P([html.Span("Link given by the source: ", className="muted"), link],
                  className="speaker-href small")


def _candidates(speaker_id: str) -> html.P | None:
    """'Possibly the same person as: X (reason)', one link per candidate pair. Merging is the
    reader's decision, so this only points at the other speaker and at the Review page."""
    pairs = queries.speaker_candidates(speaker_id)
    if pairs.height == 0:
        return None
    parts: list = [html.Strong("Possibly the same person as: ")]
    for i, pair in enumerate(pairs.iter_rows(named=True)):
        if i:
            parts.append("; ")
        parts += [ui.speaker_link(pair["other_id"], pair["other_name"]),
                  html.Span(f" ({pair['reason']})", className="muted")]
    parts += [" · ", dcc.Link("Review", href=dash.get_relative_path("/candidates")),
              html.Span(" (nothing is merged automatically)", className="muted")]
    return html.P(parts, id=ids.SPEAKER_CANDIDATES, className="candidates-line")


def _title_note(n_title: int | None) -> html.P | None:
    """Episodes known only from episode titles are weak evidence: said, never added in."""
    if not n_title:
        return None
    return html.P(
        f"+{fmt.count(n_title)} from episode titles (low confidence, not counted)",
        id=ids.SPEAKER_TITLE_NOTE,
        className="low-confidence small",
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


def _chart(speaker_id: str, n_title: int | None) -> html.Section:
    monthly = queries.speaker_monthly(speaker_id)
    empty = monthly.height == 0
    figure = charts.monthly_bars(
        monthly["month_start"].to_list(), monthly["n_appearances"].to_list(),
        y_title="Episodes", hover_label="Appearances",
        empty_note="no counted dated appearances" if n_title else "no dated appearances",
    )
    if empty and n_title:
        note = "No counted dated appearances to place on a timeline."
    elif empty:
        note = (
            "No dated appearances: none of this speaker's episodes has a publication date, so "
            "there is nothing to place on a timeline."
        )
    else:
        note = "Distinct episodes per month of the episode's publication date."
    if n_title:  # the monthly mart leaves them out, like every count: say why they are missing
        note += " Episodes known only from episode titles are not charted."
    return ui.section(
        "Appearances Over Time",
        dcc.Graph(id=ids.SPEAKER_CHART, figure=figure,
                  config=charts.graph_config(figure)),
        html.P(note, id=ids.SPEAKER_CHART_NOTE, className="muted small"),
    )
