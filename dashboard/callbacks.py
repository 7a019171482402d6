"""The app's callbacks, registered on one Dash instance by create_app().

Callbacks are thin: they read inputs, call a query or a list renderer, and return components.
They are registered with app.callback (not the global dash.callback) so that creating a second
app in the same process (the tests do) never registers a callback twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
from dash import Input, Output, State, ctx, no_update

from dashboard import components as ui
from dashboard import formatting as fmt
from dashboard import ids, lists, queries
from dashboard.grids import speaker_rows
from dashboard.ids import PagerIds
from warehouse.db import NoSnapshot


def register_callbacks(app: dash.Dash) -> None:
    _register_freshness(app)
    _register_speaker_search(app)
    _register_pager(app, ids.SPEAKER_EPISODES, lists.speaker_episodes)
    _register_pager(app, ids.SHOW_EPISODES, lists.show_episodes)


def _register_freshness(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.FRESHNESS, "children"),
        Input(ids.URL, "pathname"),
        Input(ids.FRESHNESS_TICK, "n_intervals"),
    )
    def freshness(_pathname: str | None, _ticks: int | None) -> str:
        """Re-read on every navigation and once a minute, so a new publish shows up without
        restarting the server."""
        try:
            return fmt.data_as_of(queries.data_as_of())
        except NoSnapshot:
            return "No data published yet"


def _register_speaker_search(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.SPEAKER_GRID, "rowData"),
        Output(ids.SPEAKER_COUNT, "children"),
        Input(ids.SPEAKER_SEARCH, "value"),
        prevent_initial_call=True,
    )
    def search(text: str | None) -> tuple[Any, str]:
        try:
            frame = queries.search_speakers(text)
        except NoSnapshot:
            return [], "No data published yet"
        return speaker_rows(frame), fmt.found(frame.height)


def _register_pager(app: dash.Dash, pager: PagerIds, render: Callable[[str, int], Any]) -> None:
    @app.callback(
        Output(pager.page, "value"),
        Input(pager.prev, "n_clicks"),
        Input(pager.next, "n_clicks"),
        State(pager.page, "value"),
        State(pager.subject, "data"),
        prevent_initial_call=True,
    )
    def step(_prev: int, _next: int, page: Any, subject: dict) -> Any:
        pages = ui.n_pages(subject["n_items"], subject["page_size"])
        current = _clamp(page, pages)
        if ctx.triggered_id == pager.prev:
            return max(1, current - 1)
        if ctx.triggered_id == pager.next:
            return min(pages, current + 1)
        return no_update

    @app.callback(
        Output(pager.items, "children"),
        Output(pager.label, "children"),
        Output(pager.prev, "disabled"),
        Output(pager.next, "disabled"),
        Input(pager.page, "value"),
        State(pager.subject, "data"),
        prevent_initial_call=True,
    )
    def show_page(page: Any, subject: dict) -> tuple[Any, str, bool, bool]:
        pages = ui.n_pages(subject["n_items"], subject["page_size"])
        current = _clamp(page, pages)
        try:
            items = render(subject["id"], current)
        except NoSnapshot as exc:
            items = ui.no_snapshot(exc)
        label = ui.page_label(current, subject["page_size"], subject["n_items"], subject["noun"])
        return items, label, current <= 1, current >= pages


def _clamp(page: Any, pages: int) -> int:
    """The page box may hold anything a user typed (or nothing); keep it within 1..pages."""
    try:
        value = int(page)
    except (TypeError, ValueError):
        value = 1
    return min(max(value, 1), pages)
