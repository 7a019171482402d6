"""The page Dash's router shows for any path no page claims. Dash finds it by its module name
(not_found_404), so it needs no path of its own."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import components as ui

dash.register_page(
    __name__, name="Not found", title="Page not found · Podcast Appearance Analytics"
)


def layout(**_query: object) -> html.Div:
    return ui.notice(
        "Page not found",
        "There is no page at this address.",
        html.Span([
            dcc.Link("Overview", href=dash.get_relative_path("/")), " · ",
            dcc.Link("Speakers", href=dash.get_relative_path("/speakers")), " · ",
            dcc.Link("Shows", href=dash.get_relative_path("/shows")), " · ",
            dcc.Link("Review", href=dash.get_relative_path("/candidates")),
        ]),
        kind="warning",
    )
