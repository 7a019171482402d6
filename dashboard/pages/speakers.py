"""Speakers (/speakers): search by name or alias, and a sortable, filterable grid.

`?q=` deep-links a search: the layout receives it as a keyword and renders the filtered rows,
so a shared link shows the same list without waiting for a callback.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import components as ui
from dashboard import formatting as fmt
from dashboard import ids, queries
from dashboard.grids import speaker_columns, speaker_rows

dash.register_page(__name__, path="/speakers", name="Speakers",
                   title="Speakers · Podcast Appearance Analytics", order=1, nav=True)


def first_value(value: object) -> str:
    """A query-string value as one string (Dash passes a list when ?q= is repeated)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


@ui.guard
def layout(q: object = None, **_query: object) -> html.Div:
    text = first_value(q)
    frame = queries.search_speakers(text)
    return html.Div(
        [
            html.H1("Speakers"),
            html.Div(
                [
                    html.Label("Search", htmlFor=ids.SPEAKER_SEARCH, className="search-label"),
                    dcc.Input(
                        id=ids.SPEAKER_SEARCH, type="search", value=text, debounce=0.3,
                        placeholder="name or alias…", className="search", autoComplete="off",
                    ),
                    html.Span(fmt.found(frame.height), id=ids.SPEAKER_COUNT,
                              className="muted"),
                ],
                className="search-row",
            ),
            ui.loading(
                ui.grid(ids.SPEAKER_GRID, speaker_columns(), speaker_rows(frame),
                        row_id="speaker_id", page_size=25)
            ),
        ]
    )
