"""Shows (/shows): every show with its size, in a sortable, filterable grid."""

from __future__ import annotations

import dash
from dash import html

from dashboard import components as ui
from dashboard import formatting as fmt
from dashboard import ids, queries
from dashboard.grids import show_columns, show_rows

dash.register_page(__name__, path="/shows", name="Shows",
                   title="Shows · Podcast Appearance Analytics", order=2, nav=True)


@ui.guard
def layout(**_query: object) -> html.Div:
    frame = queries.show_list()
    return html.Div(
        [
            html.H1("Shows"),
            html.P(fmt.plural(frame.height, "show"), className="muted"),
            ui.grid(ids.SHOW_GRID, show_columns(), show_rows(frame), row_id="show_id",
                    page_size=25),
        ]
    )
