"""Page layouts rendered in-process (no browser): what each page says in the edge cases that are
cheap to reach here: nothing published, unknown ids, untrusted text, formatting."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import dash
import duckdb
import pytest
from dash import html

from dashboard import components as ui
from dashboard import formatting as fmt
from dashboard import ids, queries
from dashboard.app import create_app
from tests.dashboard.helpers import (
    FIRST_PAGE_TITLE_ONLY_SQL,
    LAST_PUBLISH_SQL,
    LAST_RUNS_SQL,
    add_run,
    episode_evidence,
    find,
    show_id,
    text_of,
    title_only_guests,
)


@pytest.fixture(scope="module")
def app() -> dash.Dash:
    return create_app()


def page(app: dash.Dash, name: str) -> ModuleType:
    """A page module as Dash imported it for `app`."""
    return sys.modules[f"dashboard.pages.{name}"]


def test_nav_lists_the_four_pages_in_order(app: dash.Dash) -> None:
    nav = find(app.layout, ids.NAV)
    assert nav is not None
    assert [link.children for link in nav.children] == ["Overview", "Speakers", "Shows", "Review"]
    assert [link.href for link in nav.children] == ["/", "/speakers", "/shows", "/candidates"]


def test_server_is_a_flask_app_for_wsgi_runners() -> None:
    import dashboard.app as module

    assert callable(module.server.wsgi_app)


@pytest.mark.parametrize("name", ["overview", "speakers", "shows", "candidates"])
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
    for name, grid_id in (
        ("speakers", ids.SPEAKER_GRID),
        ("shows", ids.SHOW_GRID),
        ("candidates", ids.CANDIDATE_GRID),
    ):
        grid = find(page(app, name).layout(), grid_id)
        renderers = {c.get("cellRenderer") for c in grid.columnDefs} - {None}
        assert renderers <= {"SpeakerLink", "ShowLink"}
        assert "dangerously_allow_html" not in repr(grid.columnDefs)


def test_speaker_layout_marks_title_only_episodes(
    app: dash.Dash, mixed_evidence_id: str, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    n_counted, n_title = episode_evidence(snapshot_con, mixed_evidence_id)
    layout = page(app, "speaker").layout(speaker_id=mixed_evidence_id)
    assert text_of(find(layout, ids.SPEAKER_TITLE_NOTE)) == (
        f"+{n_title} from episode titles (low confidence, not counted)"
    )
    assert text_of(find(layout, "speaker-appearances")).startswith(f"{n_counted} total")
    assert find(layout, ids.SPEAKER_EPISODES.subject).data["n_items"] == n_counted + n_title
    assert "Episodes known only from episode titles are not charted" in text_of(
        find(layout, ids.SPEAKER_CHART_NOTE)
    )


def test_speaker_known_only_from_titles(
    app: dash.Dash, title_only_id: str, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    _, n_title = episode_evidence(snapshot_con, title_only_id)
    layout = page(app, "speaker").layout(speaker_id=title_only_id)
    stats = text_of(find(layout, ids.SPEAKER_STATS))
    assert "0 total appearances" in stats and "none counted" in stats
    assert f"+{n_title} from episode titles" in text_of(find(layout, ids.SPEAKER_TITLE_NOTE))
    items = text_of(find(layout, ids.SPEAKER_EPISODES.items))
    assert "episode title — low confidence" in items and "not counted in the totals" in items
    note = text_of(find(layout, ids.SPEAKER_CHART_NOTE))
    assert "No counted dated appearances" in note
    assert "none of this speaker's episodes has a publication date" not in note


def test_speaker_without_title_appearances_or_candidates(app: dash.Dash, sam_marks_id: str) -> None:
    layout = page(app, "speaker").layout(speaker_id=sam_marks_id)
    assert find(layout, ids.SPEAKER_TITLE_NOTE) is None
    assert find(layout, ids.SPEAKER_CANDIDATES) is None
    assert find(layout, ids.SPEAKER_HREF) is None  # the seed page gives no link
    assert "speaker page" in text_of(find(layout, ids.SPEAKER_EPISODES.items))


def test_speaker_href_is_a_nofollow_external_link(app: dash.Dash, adam_curry_id: str) -> None:
    link = find(page(app, "speaker").layout(speaker_id=adam_curry_id), ids.SPEAKER_HREF)
    assert link is not None
    assert (link.href, link.children) == ("http://curry.com/", "http://curry.com/")
    assert link.rel == "nofollow noopener"


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "/speaker/x",
        "//evil.example/x",
        "http://",
        "https://exa mple.com",
        "ftp://example.com/",
        "http://[::1",
    ],
)
def test_unsafe_hrefs_are_not_links(url: str | None) -> None:
    assert fmt.safe_href(url) is None
    assert ui.external_link(url) is None


def test_safe_hrefs_pass_unchanged() -> None:
    for url in (
        "http://curry.com/",
        "https://gist.github.com/brianoflondon/",
        "HTTPS://Example.com/a?b=c#d",
    ):
        assert fmt.safe_href(url) == url


def test_source_badges() -> None:
    assert fmt.source_label("feed") == "feed person tag"
    assert fmt.source_label("page_export") == "speaker page"
    assert fmt.source_label("record_file") == "record file"
    assert fmt.source_label("transcript") == "transcript"
    assert fmt.source_label("title") == "episode title — low confidence"
    assert fmt.source_label("new_thing") == "new thing"  # a later source still shows
    assert ui.source_badge("title").className == "source-badge source-title"
    # the class comes from a fixed set, never from the raw value
    assert ui.source_badge('x" onclick="y').className == "source-badge source-other"


def test_show_layout_keeps_title_only_guests_apart(
    app: dash.Dash, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    """On Being: counts stay the mart's (0 guests), a note says how many guests titles name,
    they are listed in their own marked grid (not the counted one), and the episode list
    badges each of them."""
    sid = show_id(snapshot_con, "APM: On Being")
    n_title_guests = title_only_guests(snapshot_con, sid)
    assert n_title_guests > 1
    layout = page(app, "show").layout(show_id=sid)
    assert "0 guests" in text_of(find(layout, ids.SHOW_STATS))
    assert text_of(find(layout, ids.SHOW_TITLE_ONLY_NOTE)) == (
        f"+{n_title_guests:,} guests named only in episode titles (not counted)"
    )
    assert find(layout, ids.SHOW_SPEAKER_GRID) is None  # nobody counted
    section = find(layout, ids.SHOW_TITLE_ONLY)
    assert section.className == "card card-low-confidence"
    assert text_of(section).startswith("Named only in episode titles (low confidence, not counted)")
    grid = find(layout, ids.SHOW_TITLE_ONLY_GRID)
    assert len([r for r in grid.rowData if r["role"] == "Guest"]) == n_title_guests
    assert {r["evidence"] for r in grid.rowData} == {fmt.TITLE_ONLY_EVIDENCE}
    assert all(r["n_episodes"] == 0 and r["n_title_episodes"] > 0 for r in grid.rowData)

    items = find(layout, ids.SHOW_EPISODES.items).children
    title_badge = ui.source_badge("title").className
    badges = [n for n in _walk(items) if getattr(n, "className", None) == title_badge]
    expected = snapshot_con.execute(FIRST_PAGE_TITLE_ONLY_SQL, [sid, 10]).fetchall()
    assert len(badges) == len(expected) > 0
    assert {text_of(b) for b in badges} == {fmt.source_label("title")}


def test_show_layout_without_title_only_people(
    app: dash.Dash, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    sid = show_id(snapshot_con, "The Daily Show")
    assert title_only_guests(snapshot_con, sid) == 0
    layout = page(app, "show").layout(show_id=sid)
    assert find(layout, ids.SHOW_TITLE_ONLY_NOTE) is None
    assert find(layout, ids.SHOW_TITLE_ONLY) is None
    grid = find(layout, ids.SHOW_SPEAKER_GRID)
    assert grid.rowData and all(r["n_title_episodes"] == 0 for r in grid.rowData)
    assert "episode title — low confidence" not in text_of(find(layout, ids.SHOW_EPISODES.items))


def _walk(node: object) -> list:
    """Every component in a layout tree, depth first."""
    if isinstance(node, list | tuple):
        return [n for child in node for n in _walk(child)]
    if hasattr(node, "children") and not isinstance(node, str):
        return [node, *_walk(node.children)]
    return []


def test_review_page(app: dash.Dash, snapshot_con: duckdb.DuckDBPyConnection) -> None:
    layout = page(app, "candidates").layout()
    text = text_of(layout)
    assert "Nothing is merged automatically" in text
    assert "alias file (see README, Identity)" in text
    grid = find(layout, ids.CANDIDATE_GRID)
    row = snapshot_con.execute("select count(*) from mart_speaker_candidates").fetchone()
    assert row is not None
    n = row[0]
    assert len(grid.rowData) == n
    assert len({row["row_id"] for row in grid.rowData}) == n
    assert text_of(find(layout, ids.CANDIDATE_COUNT)) == fmt.plural(n, "pair")


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


SEED_PAGE = Path(__file__).resolve().parents[2] / "data/sample/seed/speaker-page-sam-marks.txt"


def test_overview_freshness_and_runs(
    app: dash.Dash, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    finished, snapshot = snapshot_con.execute(LAST_PUBLISH_SQL).fetchone()  # type: ignore[misc]
    expected = snapshot_con.execute(LAST_RUNS_SQL, [8]).fetchall()
    layout = page(app, "overview").layout()
    section = find(layout, ids.OVERVIEW_FRESHNESS)
    assert text_of(section).startswith("Data freshness and last refresh runs")
    assert text_of(find(section, ids.OVERVIEW_DATA_AS_OF)) == (
        f"Data as of {finished:%Y-%m-%d %H:%M} UTC (snapshot {snapshot})"
    )
    rows = [n for n in _walk(find(section, ids.OVERVIEW_RUNS)) if isinstance(n, html.Tr)][1:]
    assert len(rows) == len(expected) >= 1
    latest = expected[0]
    cells = [text_of(td) for td in rows[0].children]
    assert cells[:6] == [
        f"{latest[3]:%Y-%m-%d %H:%M}", latest[1], latest[4],
        f"{latest[6]:,}", f"{latest[7]:,}", f"{latest[8]:,}",
    ]
    assert cells[6] == fmt.rejects_by_reason(latest[9])


def test_overview_marks_failed_and_idle_runs(app: dash.Dash, state_dir: Path) -> None:
    """A failed run: red badge and its error, as text; 'nothing new': a grey badge."""
    from warehouse.refresh import run_refresh

    result = run_refresh(refresh_id="marks", extra_paths=[SEED_PAGE], include_configured=False)
    queries.close()
    now = datetime.now(UTC).replace(tzinfo=None)
    with duckdb.connect(str(result.published.snapshot)) as con:
        add_run(con, "idle", step="ingest", status="nothing new",
                finished_at=now + timedelta(minutes=1))
        add_run(con, "broken", step="publish", status="failed",
                finished_at=now + timedelta(minutes=2), rejects_by_reason=None,
                error="publish: ValueError: <b>bad</b> row")
    table = find(page(app, "overview").layout(), ids.OVERVIEW_RUNS)
    rows = [n for n in _walk(table) if isinstance(n, html.Tr)][1:]
    assert [r.className for r in rows] == [
        "run-row run-row-failed", "run-row run-row-nothing-new", "run-row run-row-success",
    ]
    badges = [n for n in _walk(table) if "run-status " in str(getattr(n, "className", ""))]
    assert [(b.children, b.className) for b in badges] == [
        ("failed", "run-status run-status-failed"),
        ("nothing new", "run-status run-status-nothing-new"),
        ("success", "run-status run-status-success"),
    ]
    errors = [n for n in _walk(table) if getattr(n, "className", None) == "run-error"]
    assert [e.children for e in errors] == ["publish: ValueError: <b>bad</b> row"]
    queries.close()


def test_overview_on_a_snapshot_without_refresh_runs(app: dash.Dash, state_dir: Path) -> None:
    """Older snapshots have no refresh_runs: the section is the freshness line alone."""
    from warehouse.refresh import run_refresh

    result = run_refresh(refresh_id="no-runs", extra_paths=[SEED_PAGE], include_configured=False)
    queries.close()
    with duckdb.connect(str(result.published.snapshot)) as con:
        con.execute("drop table refresh_runs")
    section = find(page(app, "overview").layout(), ids.OVERVIEW_FRESHNESS)
    assert section is not None and find(section, ids.OVERVIEW_RUNS) is None
    stamp = f"{result.published.finished_at:%Y-%m-%d %H:%M}"
    assert text_of(find(section, ids.OVERVIEW_DATA_AS_OF)) == (
        f"Data as of {stamp} UTC (snapshot {result.published.snapshot.name})"
    )
    queries.close()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (None, ""),
        ("{}", ""),
        ('{"not a person": 3, "empty podcast:person": 2, "not a guest appearance": 27}',
         "not a guest appearance: 27, not a person: 3, empty podcast:person: 2"),
        ('{"b": 1200, "a": 1200}', "a: 1,200, b: 1,200"),
        ('{"odd": "many"}', "odd: many"),
        ("not json", "not json"),
        ("[1, 2]", "[1, 2]"),
    ],
)
def test_rejects_by_reason(text: str | None, shown: str) -> None:
    assert fmt.rejects_by_reason(text) == shown


def test_run_status_badges_use_fixed_classes() -> None:
    assert ui.run_status_badge("failed").className == "run-status run-status-failed"
    assert ui.run_status_badge("nothing new").className == "run-status run-status-nothing-new"
    assert ui.run_status_badge('x" onclick="y').className == "run-status run-status-other"
    assert ui.run_status_badge(None).children == "unknown"
    assert fmt.freshness(None, None) == "Data as of: never refreshed"
