"""Page layouts rendered in-process (no browser): what each page says in the edge cases that are
cheap to reach here: nothing published, unknown ids, untrusted text, formatting."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import dash
import pytest

from dashboard import formatting as fmt
from dashboard import ids
from dashboard.app import create_app
from tests.dashboard.helpers import find, text_of


@pytest.fixture(scope="module")
def app() -> dash.Dash:
    return create_app()


def page(app: dash.Dash, name: str) -> ModuleType:
    """A page module as Dash imported it for `app`."""
    return sys.modules[f"dashboard.pages.{name}"]


def test_nav_lists_the_three_pages_in_order(app: dash.Dash) -> None:
    nav = find(app.layout, ids.NAV)
    assert nav is not None
    assert [link.children for link in nav.children] == ["Overview", "Speakers", "Shows"]
    assert [link.href for link in nav.children] == ["/", "/speakers", "/shows"]


def test_server_is_a_flask_app_for_wsgi_runners() -> None:
    import dashboard.app as module

    assert callable(module.server.wsgi_app)


@pytest.mark.parametrize("name", ["overview", "speakers", "shows"])
def test_pages_without_a_snapshot_explain_instead_of_failing(
    app: dash.Dash, state_dir: Path, name: str
) -> None:
    text = text_of(page(app, name).layout())
    assert "No data published yet" in text
    assert "paa refresh" in text


def test_speaker_and_show_pages_without_a_snapshot(app: dash.Dash, state_dir: Path) -> None:
    assert "No data published yet" in text_of(page(app, "speaker").layout(speaker_id="x"))
    assert "No data published yet" in text_of(page(app, "show").layout(show_id="x"))


def test_unknown_speaker_and_show(app: dash.Dash, published_sample: Path) -> None:
    text = text_of(page(app, "speaker").layout(speaker_id="nobody-000000"))
    assert "No speaker with id “nobody-000000”" in text
    assert "No show with id “nope”" in text_of(page(app, "show").layout(show_id="nope"))


def test_speaker_layout_shows_counts_claim_and_empty_chart_note(
    app: dash.Dash, sam_marks_id: str
) -> None:
    layout = page(app, "speaker").layout(speaker_id=sam_marks_id)
    assert text_of(find(layout, ids.SPEAKER_NAME)) == "Sam Marks"
    stats = text_of(find(layout, ids.SPEAKER_STATS))
    assert "1 total appearance" in stats and "20 quotes" in stats and "date unknown" in stats
    assert "claimed 891 total appearances" in text_of(find(layout, ids.SPEAKER_CLAIM))
    assert find(layout, ids.SPEAKER_CHART) is not None
    assert "No dated appearances" in text_of(find(layout, ids.SPEAKER_CHART_NOTE))
    assert "Persona simulation is therefore a sort of meta-agency" in text_of(layout)


def test_speaker_without_claim_has_no_claim_box(app: dash.Dash, ira_glass_id: str) -> None:
    layout = page(app, "speaker").layout(speaker_id=ira_glass_id)
    assert find(layout, ids.SPEAKER_CLAIM) is None
    assert "Distinct episodes per month" in text_of(find(layout, ids.SPEAKER_CHART_NOTE))


def test_speakers_query_string_prefilters(app: dash.Dash, published_sample: Path) -> None:
    layout = page(app, "speakers").layout(q="ira glass")
    grid = find(layout, ids.SPEAKER_GRID)
    assert [row["display_name"] for row in grid.rowData] == ["Ira Glass"]
    assert find(layout, ids.SPEAKER_SEARCH).value == "ira glass"
    # a repeated ?q= arrives as a list; the first one wins
    assert page(app, "speakers").layout(q=["ira glass", "x"]) is not None


def test_link_cells_use_safe_renderers(app: dash.Dash, published_sample: Path) -> None:
    """Names are user data: grid links go through the React renderers, never markdown/HTML."""
    for name, grid_id in (("speakers", ids.SPEAKER_GRID), ("shows", ids.SHOW_GRID)):
        grid = find(page(app, name).layout(), grid_id)
        renderers = {c.get("cellRenderer") for c in grid.columnDefs} - {None}
        assert renderers <= {"SpeakerLink", "ShowLink"}
        assert "dangerously_allow_html" not in repr(grid.columnDefs)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "0:00"), (0, "0:00"), (754_000, "12:34"), (3_723_000, "1:02:03")],
)
def test_offsets(value: int | None, text: str) -> None:
    assert fmt.offset(value) == (None if value is None else text)


def test_formatting() -> None:
    assert fmt.plural(1, "quote") == "1 quote"
    assert fmt.plural(1873, "appearance") == "1,873 appearances"
    assert fmt.roles("guest, host") == "Guest, Host"
    assert fmt.roles(None) == "Speaker"
    assert fmt.day(None) == "date unknown"
    assert fmt.speaker_path("a/b c") == "/speaker/a%2Fb%20c"
