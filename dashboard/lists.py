"""The paginated lists on the speaker and show pages, rendered one page at a time.

Shared by the page layouts (which render page 1 up front) and the pager callbacks (which render
the others), so both produce exactly the same markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dash import html

from dashboard import components as ui
from dashboard import formatting as fmt
from dashboard import queries

SPEAKER_PAGE_SIZE = 10
SHOW_PAGE_SIZE = 10


def speaker_episodes(speaker_id: str, page: int) -> list[html.Article]:
    """One page (1-based) of a speaker's episodes, each with the speaker's quotes in it."""
    episodes = queries.speaker_appearances(speaker_id, page - 1, SPEAKER_PAGE_SIZE)
    if episodes.height == 0:
        return [html.P("No appearances on this page.", className="muted")]
    quotes = queries.speaker_quotes(speaker_id, episodes["episode_id"].to_list())
    by_episode = quotes.partition_by("episode_id", as_dict=True, maintain_order=True)
    items = []
    for ep in episodes.iter_rows(named=True):
        ep_quotes = by_episode.get((ep["episode_id"],))
        items.append(
            html.Article(
                [
                    html.Div(ui.show_link(ep["show_id"], ep["show_title"]),
                             className="episode-show"),
                    html.H3(fmt.episode_title(ep["episode_title"], ep["published_at"]),
                            className="episode-title"),
                    html.Div(
                        [
                            html.Span(fmt.day(ep["published_at"]), className="episode-date"),
                            html.Span(" · "),
                            html.Span(fmt.roles(ep["roles"]), className="episode-role"),
                            html.Span(" · "),
                            html.Span(fmt.plural(0 if ep_quotes is None else ep_quotes.height,
                                                 "quote")),
                        ],
                        className="episode-meta muted",
                    ),
                    _evidence(ep["sources"], ep["title_only"]),
                    _quote_list(ep_quotes.iter_rows(named=True) if ep_quotes is not None else []),
                ],
                className="episode episode-low-confidence" if ep["title_only"] else "episode",
            )
        )
    return items


def _evidence(sources: list[str] | None, title_only: bool) -> html.Div:
    """How we know the speaker was in this episode: one badge per source. An episode known only
    from its title says, in words, that it is not counted, so the list and the totals above it
    visibly agree."""
    ranked = sorted(sources or [None], key=_confidence_rank)
    children: list = [html.Span("Known from: ", className="muted"),
                      *[ui.source_badge(s) for s in ranked]]
    if title_only:
        children.append(html.Span(" not counted in the totals", className="muted"))
    return html.Div(children, className="episode-evidence small")


def _quote_list(rows: Iterable[dict[str, Any]]) -> html.Ol | None:
    items = []
    for q in rows:
        at = fmt.offset(q["start_ms"])
        prefix = [html.Span(at, className="quote-time")] if at else []
        section = [html.Span(q["section"], className="quote-section")] if q["section"] else []
        items.append(html.Li([*prefix, *section, html.Q(q["text"], className="quote-text")],
                             className="quote"))
    return html.Ol(items, className="quotes") if items else None


def show_episodes(show_id: str, page: int) -> list[html.Article]:
    """One page (1-based) of a show's episodes, each with who appeared in it."""
    episodes = queries.show_episodes(show_id, page - 1, SHOW_PAGE_SIZE)
    if episodes.height == 0:
        return [html.P("No episodes on this page.", className="muted")]
    people = queries.episode_speakers(episodes["episode_id"].to_list())
    by_episode = people.partition_by("episode_id", as_dict=True, maintain_order=True)
    items = []
    for ep in episodes.iter_rows(named=True):
        speakers = by_episode.get((ep["episode_id"],))
        links: list = []
        for person in speakers.iter_rows(named=True) if speakers is not None else []:
            if links:
                links.append(", ")
            links.append(_episode_speaker(person))
        number = f"#{ep['episode_number']} · " if ep["episode_number"] else ""
        items.append(
            html.Article(
                [
                    html.H3(fmt.episode_title(ep["episode_title"], ep["published_at"]),
                            className="episode-title"),
                    html.Div(number + fmt.day(ep["published_at"]), className="episode-meta muted"),
                    html.Div(links or [html.Span("No speakers recorded.", className="muted")],
                             className="episode-speakers"),
                ],
                className="episode",
            )
        )
    return items


def _episode_speaker(person: dict[str, Any]) -> html.Span:
    """'Name (guest)'; someone known in this episode only from its title also gets the amber
    low-confidence badge the speaker page uses."""
    children: list = [ui.speaker_link(person["speaker_id"], person["display_name"]),
                      html.Span(f" ({fmt.roles(person['roles']).lower()})", className="muted")]
    if person["title_only"]:
        children += [" ", ui.source_badge(fmt.TITLE_SOURCE)]
        return html.Span(children, className="episode-speaker episode-speaker-low-confidence")
    return html.Span(children, className="episode-speaker")


def _confidence_rank(source: str | None) -> int:
    """Strongest evidence first (the order of fmt.SOURCE_LABELS), unknown sources last."""
    order = list(fmt.SOURCE_LABELS)
    return order.index(source) if source in order else len(order)
