"""Reusable pieces of layout: notices, stat tiles, internal links, grids and pagers.

Untrusted text (speaker names, titles, quotes) only ever goes in as component children or
grid cell values; Dash and React escape those. Nothing here uses dangerously_allow_html, and grid
links use the safe renderers in assets/dashAgGridComponentFunctions.js, not HTML strings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec

import dash_ag_grid as dag
from dash import dcc, get_relative_path, html
from dash.development.base_component import Component

from dashboard import formatting as fmt
from dashboard.ids import PagerIds
from warehouse.db import NoSnapshot

P = ParamSpec("P")


def notice(title: str, *detail: Any, kind: str = "info") -> html.Div:
    """A friendly message box (no data yet, unknown id, page not found)."""
    return html.Div(
        [html.H2(title), *[html.P(d) for d in detail]],
        className=f"notice notice-{kind}",
        role="status",
    )


def no_snapshot(exc: NoSnapshot) -> html.Div:
    return notice(
        "No data published yet",
        "The dashboard shows the last published snapshot of the warehouse, and none has been "
        "published yet.",
        html.Small(str(exc), className="muted"),
        kind="warning",
    )


def guard(layout: Callable[P, Any]) -> Callable[P, Any]:
    """Wrap a page layout so 'nothing published yet' shows a message, not a traceback."""

    @functools.wraps(layout)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return layout(*args, **kwargs)
        except NoSnapshot as exc:
            return no_snapshot(exc)

    return wrapper


def stat(value: str, label: str, *, id: str | None = None) -> html.Div:
    """A number (or a date) with its label underneath, e.g. '1,873' / 'appearances'."""
    props = {"id": id} if id else {}
    numeric = value.replace(",", "").isdigit()
    value_class = "stat-value" if numeric else "stat-value stat-value-text"
    return html.Div(
        [html.Div(value, className=value_class), html.Div(label, className="stat-label")],
        className="stat",
        **props,
    )


def stat_row(*stats: Component, id: str | None = None) -> html.Div:
    props = {"id": id} if id else {}
    return html.Div(list(stats), className="stat-row", **props)


def speaker_link(speaker_id: str, name: str) -> dcc.Link:
    return dcc.Link(name, href=get_relative_path(fmt.speaker_path(speaker_id)))


def show_link(show_id: str, title: str) -> dcc.Link:
    return dcc.Link(title, href=get_relative_path(fmt.show_path(show_id)))


def source_badge(source: str | None) -> html.Span:
    """A small label saying how an appearance is known (feed person tag, transcript, ...).
    The class is picked from a fixed set, never built from the raw value, so a new source
    cannot inject a class name; title-only evidence gets its own warning style."""
    known = source in fmt.SOURCE_LABELS
    kind = source if known else "other"
    return html.Span(fmt.source_label(source), className=f"source-badge source-{kind}")


def run_status_badge(status: str | None) -> html.Span:
    """A refresh run's status (refresh_runs.status): red for failed, grey for nothing new.
    As with source badges, the class comes from a fixed set, never from the raw value."""
    kind = fmt.run_status_kind(status)
    return html.Span(status or "unknown", className=f"run-status run-status-{kind}")


def external_link(url: str | None, *, id: str | None = None) -> html.A | None:
    """A link to a page outside the app (a speaker's href), or None when the URL is not a plain
    http(s) link. rel=nofollow because the URL comes from a feed, not from us (no endorsement);
    noopener so the opened page gets no handle on this one."""
    href = fmt.safe_href(url)
    if href is None:
        return None
    props = {"id": id} if id else {}
    return html.A(href, href=href, rel="nofollow noopener", target="_blank",
                  className="external-link", **props)


def section(title: str, *children: Any, id: str | None = None,
            extra_class: str | None = None) -> html.Section:
    props = {"id": id} if id else {}
    class_name = f"card {extra_class}" if extra_class else "card"
    return html.Section([html.H2(title), *children], className=class_name, **props)


def loading(child: Any) -> dcc.Loading:
    """Spinner around a callback output; shown only when an update takes a moment."""
    return dcc.Loading(child, type="default", delay_show=250)


def link_column(field: str, header: str, renderer: str, base: str, *, id_field: str,
                **extra: Any) -> dict:
    """An AG Grid column whose cells are internal links: text from `field`, href from `base`
    plus the row's `id_field` (the renderer builds a React <a>, so the text is never parsed as
    HTML)."""
    return {
        "field": field,
        "headerName": header,
        "cellRenderer": renderer,
        "cellRendererParams": {"base": get_relative_path(base), "idField": id_field},
        "filter": "agTextColumnFilter",
        "minWidth": 220,
        "flex": 2,
        **extra,
    }


def number_column(field: str, header: str, **extra: Any) -> dict:
    return {
        "field": field,
        "headerName": header,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "flex": 1,
        "minWidth": 110,
        **extra,
    }


def grid(
    id: str,
    columns: Sequence[dict],
    rows: list[dict],
    *,
    row_id: str,
    page_size: int = 20,
) -> dag.AgGrid:
    """A sortable, filterable, paginated grid with the project's defaults; it grows to fit its
    page of rows (no inner scrollbar, no empty space under a short list)."""
    return dag.AgGrid(
        id=id,
        columnDefs=list(columns),
        rowData=rows,
        getRowId=f"params.data.{row_id}",
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "floatingFilter": True,
            "flex": 1,
            "minWidth": 110,
        },
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": page_size,
            "paginationPageSizeSelector": [page_size, 50, 100],
            "animateRows": False,
            "suppressCellFocus": True,
            "domLayout": "autoHeight",
        },
        style={"width": "100%"},
        className="ag-theme-quartz",
    )


def n_pages(n_items: int, page_size: int) -> int:
    return max(1, -(-int(n_items) // page_size))


def page_label(page: int, page_size: int, n_items: int, noun: str) -> str:
    """'Episodes 11–20 of 1,873' (or '1 episode' when everything fits on one page)."""
    if n_items <= page_size:
        return fmt.plural(n_items, noun)
    first = (page - 1) * page_size + 1
    last = min(page * page_size, n_items)
    return f"{noun.capitalize()}s {first:,}–{last:,} of {n_items:,}"


def pager(
    pager_ids: PagerIds,
    *,
    subject: str,
    n_items: int,
    page_size: int,
    first_page: Any,
    noun: str,
) -> html.Div:
    """A list with Previous/Next buttons and a page box; page 1 is rendered with the layout so
    the first view needs no round trip, later pages come from the pager callbacks."""
    pages = n_pages(n_items, page_size)
    hidden = {"display": "none"} if pages <= 1 else {}
    controls = html.Div(
        [
            html.Button("‹ Previous", id=pager_ids.prev, n_clicks=0, disabled=True,
                        className="pager-button"),
            html.Label(
                [
                    "Page ",
                    dcc.Input(id=pager_ids.page, type="number", min=1, max=pages, step=1,
                              value=1, debounce=True, className="pager-input"),
                    f" of {pages}",
                ],
                className="pager-page",
            ),
            html.Button("Next ›", id=pager_ids.next, n_clicks=0, disabled=pages <= 1,
                        className="pager-button"),
        ],
        className="pager-controls",
        style=hidden,
    )
    label = html.Span(page_label(1, page_size, n_items, noun), id=pager_ids.label,
                      className="pager-label muted")
    return html.Div(
        [
            dcc.Store(id=pager_ids.subject,
                      data={"id": subject, "n_items": int(n_items), "page_size": page_size,
                            "noun": noun}),
            html.Div([controls, label], className="pager"),
            loading(html.Div(first_page, id=pager_ids.items, className="pager-items")),
        ]
    )
