"""The Dash app: a shell (header with navigation and data freshness) around the pages in
dashboard/pages, served from the published snapshot only (see dashboard/queries.py).

create_app() builds a fresh app and loads no data: every page reads the snapshot when it is
requested, so a new publish is visible on the next page view, without a restart. For a WSGI
runner, `dashboard.app:server` is the Flask server of a default app built on first access.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import dash
from dash import dcc, html

from dashboard import api, ids
from dashboard.callbacks import register_callbacks

TITLE = "Podcast Appearance Analytics"
PACKAGE_DIR = Path(__file__).resolve().parent
FRESHNESS_REFRESH_MS = 60_000


def create_app() -> dash.Dash:
    """A new app instance (pages imported, callbacks registered, no data read)."""
    app = dash.Dash(
        "dashboard",  # the package: pages import as dashboard.pages.*, assets from dashboard/
        use_pages=True,
        pages_folder=str(PACKAGE_DIR / "pages"),
        assets_folder=str(PACKAGE_DIR / "assets"),
        title=TITLE,
        update_title=None,
        # Page layouts are functions of the URL; without this Dash would call every layout with
        # no arguments on the first request to build a validation layout (and query for it).
        suppress_callback_exceptions=True,
    )
    app.layout = _shell()
    register_callbacks(app)
    api.register(app.server)
    return app


def _nav_links() -> list[dcc.Link]:
    pages = sorted(
        (p for p in dash.page_registry.values() if p.get("nav")),
        key=lambda p: p.get("order", 99),
    )
    return [
        dcc.Link(p["name"], href=p["relative_path"], className="nav-link") for p in pages
    ]


def _shell() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Interval(id=ids.FRESHNESS_TICK, interval=FRESHNESS_REFRESH_MS),
            html.Header(
                html.Div(
                    [
                        dcc.Link(TITLE, href=dash.get_relative_path("/"), className="brand"),
                        html.Nav(_nav_links(), id=ids.NAV, className="nav"),
                        html.Span("", id=ids.FRESHNESS, className="freshness"),
                    ],
                    className="bar",
                ),
                className="app-header",
            ),
            html.Main(dash.page_container, className="content"),
            html.Footer(
                "Counts come from the last published snapshot. An appearance is one speaker in "
                "one episode; quotes are counted separately.",
                className="app-footer muted small",
            ),
        ],
        className="app",
    )


@functools.cache
def _default_app() -> dash.Dash:
    return create_app()


def __getattr__(name: str) -> Any:
    """`server` (for gunicorn/waitress: dashboard.app:server) is built lazily, so importing
    this module for create_app() does not build an app as a side effect."""
    if name == "server":
        return _default_app().server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
