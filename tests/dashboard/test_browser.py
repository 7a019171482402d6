"""The dashboard in headless Chromium (dash_duo), on the real published sample.

Assertions are on what a reader sees: visible text, links that navigate, a rendered chart.
"""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from dashboard import queries
from dashboard.app import create_app
from tests.dashboard.helpers import (
    FIRST_PAGE_TITLE_ONLY_SQL,
    LAST_PUBLISH_SQL,
    LAST_RUNS_SQL,
    add_run,
    episode_evidence,
    show_id,
    title_only_guests,
)

pytestmark = pytest.mark.browser

META_AGENCY = "Persona simulation is therefore a sort of meta-agency"


def free_port() -> int:
    """A port nobody holds: not 8050 (so the tests run beside `make run`), and a new one per
    test, so a server still closing from the previous test cannot make this one fail."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def duo(dash_duo, published_sample: Path):  # type: ignore[no-untyped-def]
    """dash_duo serving a fresh app on the published sample."""
    dash_duo.start_server(create_app(), port=free_port())
    return dash_duo


def open_page(duo, path: str) -> None:  # type: ignore[no-untyped-def]
    duo.wait_for_page(url=duo.server_url + path)
    duo.wait_for_contains_text("#app-freshness", "Data as of")


def count(duo, selector: str) -> int:  # type: ignore[no-untyped-def]
    """How many elements match, without selenium's implicit wait for ones that never come."""
    return duo.driver.execute_script(f"return document.querySelectorAll({selector!r}).length")


def assert_no_browser_errors(duo) -> None:  # type: ignore[no-untyped-def]
    assert duo.get_logs() == [], duo.get_logs()


def test_speaker_page_sam_marks(duo, sam_marks_id: str) -> None:  # type: ignore[no-untyped-def]
    open_page(duo, f"/speaker/{sam_marks_id}")
    duo.wait_for_text_to_equal("#speaker-name", "Sam Marks")
    assert duo.find_element("#speaker-appearances .stat-value").text == "1"
    assert duo.find_element("#speaker-appearances .stat-label").text == "total appearance"
    assert duo.find_element("#speaker-quotes .stat-value").text == "20"
    assert duo.find_element("#speaker-shows .stat-value").text == "1"
    assert "Speaker" in duo.find_element(".role-badge").text
    claim = duo.find_element("#speaker-claim").text
    assert "the source page claimed 891 total appearances" in claim
    duo.wait_for_element("#speaker-chart .js-plotly-plot")
    assert "No dated appearances" in duo.find_element("#speaker-chart-note").text
    items = duo.find_element("#speaker-episodes-items")
    assert "LessWrong (Curated & Popular)" in items.text
    assert "The persona selection model" in items.text
    assert "date unknown" in items.text
    assert META_AGENCY in items.text
    assert len(duo.find_elements("#speaker-episodes-items .quote")) == 20
    assert_no_browser_errors(duo)


def shown_texts(duo, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The visible text of every element matching `selector`, in document order."""
    return duo.driver.execute_script(
        f"return Array.from(document.querySelectorAll({selector!r}), e => e.innerText.trim())"
    )


def test_speaker_page_adam_curry_feed_evidence(  # type: ignore[no-untyped-def]
    duo, adam_curry_id: str, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    """Known from the No Agenda and Podcasting 2.0 feeds' podcast:person tags: each episode
    says so, the person's link is a safe external link, and his shows are the feeds' shows."""
    expected_shows = {
        title
        for (title,) in snapshot_con.execute(
            "select distinct sh.title from appearances a join episodes e using (episode_id) "
            "join shows sh on sh.show_id = e.show_id where a.speaker_id = ?",
            [adam_curry_id],
        ).fetchall()
    }
    assert expected_shows == {"No Agenda", "Podcasting 2.0"}
    n_counted, n_title = episode_evidence(snapshot_con, adam_curry_id)

    open_page(duo, f"/speaker/{adam_curry_id}")
    duo.wait_for_text_to_equal("#speaker-name", "Adam Curry")
    assert duo.find_element("#speaker-appearances .stat-value").text == f"{n_counted:,}"
    assert duo.find_element("#speaker-shows .stat-value").text == "2"
    assert count(duo, "#speaker-title-note") == (1 if n_title else 0)
    link = duo.find_element("a#speaker-href")
    assert link.text == "http://curry.com/"
    assert link.get_attribute("href") == "http://curry.com/"
    assert link.get_attribute("rel") == "nofollow noopener"

    shows: set[str] = set()
    pages = -(-(n_counted + n_title) // 10)
    for page in range(1, pages + 1):
        if page > 1:
            duo.find_element("#speaker-episodes-next").click()
            first = (page - 1) * 10 + 1
            duo.wait_for_contains_text("#speaker-episodes-label", f"Episodes {first}–")
        n_episodes = count(duo, "#speaker-episodes-items .episode")
        badges = shown_texts(duo, "#speaker-episodes-items .source-badge")
        assert badges == ["feed person tag"] * n_episodes  # one feed badge per episode
        shows |= set(shown_texts(duo, "#speaker-episodes-items .episode-show a"))
    assert shows == expected_shows  # exact titles: "Animated No Agenda" is another show
    assert count(duo, "#speaker-episodes-items .episode-low-confidence") == 0
    assert_no_browser_errors(duo)


GRID_ROWS = "#candidate-grid .ag-center-cols-container .ag-row"


def test_review_page_lists_candidate_pairs(duo) -> None:  # type: ignore[no-untyped-def]
    open_page(duo, "/candidates")
    duo.wait_for_contains_text("h1", "Review")
    assert "Nothing is merged automatically" in duo.find_element(".review-explanation").text
    assert "alias file (see README, Identity)" in duo.find_element(".review-explanation").text
    assert count(duo, "a.nav-link[href='/candidates']") == 1
    duo.wait_for_element("#candidate-grid .ag-row a.grid-link")

    rows = duo.driver.execute_script(
        f"""
        return Array.from(document.querySelectorAll({GRID_ROWS!r}),
          r => Object.fromEntries(Array.from(r.querySelectorAll('.ag-cell'),
            c => [c.getAttribute('col-id'), c.innerText.trim()])));
        """
    )
    assert len(rows) == min(len(queries.candidates()), 25)  # page 1 of the grid
    brians = [r for r in rows if r["name_a"] == r["name_b"] == "Brian of London"]
    assert len(brians) == 1
    assert brians[0]["reason"] == "same name, different links"
    pairs = {frozenset((r["name_a"], r["name_b"])) for r in rows}
    assert frozenset(("Jason Priestly", "Jason Priestley")) in pairs

    # the two Brian links go to two different speaker pages, each pointing back at the other
    hrefs = duo.driver.execute_script(
        f"""
        const row = Array.from(document.querySelectorAll({GRID_ROWS!r}))
          .find(r => r.innerText.includes('same name, different links'));
        return Array.from(row.querySelectorAll('a.grid-link'), a => a.getAttribute('href'));
        """
    )
    assert len(set(hrefs)) == 2 and all(h.startswith("/speaker/brian-of-london") for h in hrefs)
    duo.find_element(f"#candidate-grid a.grid-link[href='{hrefs[1]}']").click()
    duo.wait_for_text_to_equal("#speaker-name", "Brian of London")
    assert duo.driver.current_url.endswith(hrefs[1])
    duo.wait_for_contains_text("#speaker-candidates", "Possibly the same person as:")
    back = duo.find_element(f"#speaker-candidates a[href='{hrefs[0]}']")
    assert back.text == "Brian of London"
    assert "same name, different links" in duo.find_element("#speaker-candidates").text
    assert duo.find_element("a#speaker-href").get_attribute("rel") == "nofollow noopener"
    assert_no_browser_errors(duo)


def test_overview_totals_and_monthly_chart(  # type: ignore[no-untyped-def]
    duo, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    open_page(duo, "/")
    expected = {
        "total-speakers": "select count(*) from speakers",
        "total-shows": "select count(*) from shows",
        "total-episodes": "select count(*) from episodes",
        # pairs known only from an episode title are not counted (as in the marts)
        "total-appearances": "select count(*) from (select distinct speaker_id, episode_id "
        "from appearances where source <> 'title')",
        "total-quotes": "select count(*) from segments",
    }
    for element_id, sql in expected.items():
        n = snapshot_con.execute(sql).fetchone()[0]  # type: ignore[index]
        duo.wait_for_text_to_equal(f"#{element_id} .stat-value", f"{n:,}")
    duo.wait_for_element("#overview-chart .js-plotly-plot .bars .point")
    top = duo.find_element("#overview-top-speakers").text
    assert queries.top_speakers(1)["display_name"].item() in top
    assert "The Daily Show" in duo.find_element("#overview-top-shows").text
    assert_no_browser_errors(duo)


def test_speakers_search_finds_ira_glass_and_links_to_him(  # type: ignore[no-untyped-def]
    duo, ira_glass_id: str
) -> None:
    open_page(duo, "/speakers?q=sam%20marks")  # ?q= deep-links a search
    duo.wait_for_text_to_equal("#speaker-count", "1 speaker found")
    duo.wait_for_text_to_equal("#speaker-grid a.grid-link", "Sam Marks")

    search = duo.find_element("#speaker-search")
    duo.clear_input(search)
    search.send_keys("Ira Glass")
    duo.wait_for_text_to_equal("#speaker-count", "1 speaker found")
    duo.wait_for_text_to_equal("#speaker-grid a.grid-link", "Ira Glass")
    duo.find_element("#speaker-grid a.grid-link").click()

    duo.wait_for_text_to_equal("#speaker-name", "Ira Glass")
    assert duo.driver.current_url.endswith(f"/speaker/{ira_glass_id}")
    assert duo.find_element("#speaker-quotes .stat-value").text == "39"
    duo.wait_for_element("#speaker-chart .js-plotly-plot .bars .point")
    assert_no_browser_errors(duo)


def test_unknown_path_shows_not_found_page(duo) -> None:  # type: ignore[no-untyped-def]
    open_page(duo, "/no/such/page")
    duo.wait_for_contains_text(".notice", "Page not found")
    assert "Data as of" in duo.find_element("#app-freshness").text


def test_unknown_speaker_is_a_friendly_message(duo) -> None:  # type: ignore[no-untyped-def]
    open_page(duo, "/speaker/nobody-000000")
    duo.wait_for_contains_text(".notice", "No speaker with id “nobody-000000”")
    assert "Search all speakers" in duo.find_element(".notice").text
    assert_no_browser_errors(duo)


def test_episode_pager_moves_through_pages(  # type: ignore[no-untyped-def]
    duo, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    top = queries.top_speakers(1).row(0, named=True)
    # the list pages over every episode the speaker is in, title-only ones included
    n_counted, n_title = episode_evidence(snapshot_con, top["speaker_id"])
    total = f"{n_counted + n_title:,}"
    open_page(duo, f"/speaker/{top['speaker_id']}")
    duo.wait_for_text_to_equal("#speaker-episodes-label", f"Episodes 1–10 of {total}")
    first = duo.find_element("#speaker-episodes-items .episode-title").text
    duo.find_element("#speaker-episodes-next").click()
    duo.wait_for_text_to_equal("#speaker-episodes-label", f"Episodes 11–20 of {total}")
    assert duo.find_element("#speaker-episodes-page").get_attribute("value") == "2"
    assert duo.find_element("#speaker-episodes-items .episode-title").text != first
    assert len(duo.find_elements("#speaker-episodes-items .episode")) == 10
    duo.find_element("#speaker-episodes-prev").click()
    duo.wait_for_text_to_equal("#speaker-episodes-label", f"Episodes 1–10 of {total}")
    duo.wait_for_text_to_equal("#speaker-episodes-items .episode-title", first)


def test_shows_grid_links_to_show_page(duo) -> None:  # type: ignore[no-untyped-def]
    open_page(duo, "/shows")
    duo.wait_for_text_to_equal("#show-grid a.grid-link", "The Daily Show")
    duo.find_element("#show-grid a.grid-link").click()
    duo.wait_for_text_to_equal("#show-title", "The Daily Show")
    duo.wait_for_element("#show-chart .js-plotly-plot .bars .point")
    duo.wait_for_element("#show-speaker-grid a.grid-link")
    assert duo.find_element("#show-episodes-label").text == "Episodes 1–10 of 2,610"
    assert "Episode of 2015-08-05" in duo.find_element("#show-episodes-items").text
    assert_no_browser_errors(duo)


def test_show_page_on_being_marks_title_only_guests(  # type: ignore[no-untyped-def]
    duo, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    """On Being's guests are named only in episode titles: the header keeps the mart's counts
    with a note beside them, the guests are listed apart, and each one in the episode list
    carries the amber low-confidence badge."""
    sid = show_id(snapshot_con, "APM: On Being")
    n_guests, n_appearances = snapshot_con.execute(
        "select n_guests, n_appearances from mart_show_stats where show_id = ?", [sid]
    ).fetchone()  # type: ignore[misc]
    n_title_guests = title_only_guests(snapshot_con, sid)
    first_page = sorted(
        n for (n,) in snapshot_con.execute(FIRST_PAGE_TITLE_ONLY_SQL, [sid, 10]).fetchall()
    )
    assert n_title_guests > 0 and first_page

    open_page(duo, f"/show/{sid}")
    duo.wait_for_text_to_equal("#show-title", "APM: On Being")
    duo.wait_for_text_to_equal(
        "#show-title-only-note",
        f"+{n_title_guests:,} guests named only in episode titles (not counted)",
    )
    stats = shown_texts(duo, "#show-stats .stat")
    assert f"{n_guests:,}\nguests" in stats and f"{n_appearances:,}\nappearances" in stats
    assert count(duo, "#show-speaker-grid") == 0
    assert (
        "Named only in episode titles (low confidence, not counted)"
        in duo.find_element("#show-title-only h2").text
    )
    duo.wait_for_element("#show-title-only-grid a.grid-link")
    assert "from titles — low confidence" in shown_texts(
        duo, "#show-title-only-grid .ag-cell.low-confidence-cell"
    )

    badge = duo.find_element("#show-episodes-items .source-badge.source-title")
    assert badge.text == "episode title — low confidence"
    assert badge.value_of_css_property("color") == "rgba(154, 52, 18, 1)"  # amber, as on speakers
    marked = shown_texts(duo, "#show-episodes-items .episode-speaker-low-confidence > a")
    assert sorted(marked) == first_page
    assert count(duo, "#show-episodes-items .source-badge.source-title") == len(first_page)
    assert_no_browser_errors(duo)


HOSTILE_CSV = (
    "show,episode,published,speaker,role,quote\n"
    '"<b>Bold Show</b>","<i>Ep 1</i>",2024-01-05,'
    '"<img src=x onerror=""window.__pwned=1"">Eve",guest,'
    '"<script>window.__pwned=2</script>hello"\n'
)


def test_untrusted_text_is_shown_as_text(dash_duo, state_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Names, titles and quotes from sources are displayed literally, never run as HTML."""
    from warehouse.refresh import run_refresh

    records = tmp_path / "hostile.csv"
    records.write_text(HOSTILE_CSV, encoding="utf-8")
    run_refresh(refresh_id="hostile", extra_paths=[records], include_configured=False)
    speaker = queries.search_speakers("eve").row(0, named=True)

    dash_duo.start_server(create_app(), port=free_port())
    open_page(dash_duo, f"/speaker/{speaker['speaker_id']}")
    dash_duo.wait_for_contains_text("#speaker-name", "<img")
    injected = "#speaker-name img, #speaker-episodes-items img, #speaker-episodes-items script"
    assert count(dash_duo, injected) == 0
    items = dash_duo.find_element("#speaker-episodes-items").text
    assert "<b>Bold Show</b>" in items and "<script>" in items
    open_page(dash_duo, "/speakers?q=eve")
    dash_duo.wait_for_contains_text("#speaker-grid a.grid-link", "<img")
    assert count(dash_duo, "#speaker-grid img") == 0
    assert dash_duo.driver.execute_script("return window.__pwned === undefined")


def test_freshness_follows_a_new_publish_without_restart(  # type: ignore[no-untyped-def]
    dash_duo, state_dir: Path
) -> None:
    from warehouse.refresh import run_refresh

    seed = Path(__file__).resolve().parents[2] / "data/sample/seed/speaker-page-sam-marks.txt"
    first = run_refresh(refresh_id="fresh-1", extra_paths=[seed], include_configured=False)
    dash_duo.start_server(create_app(), port=free_port())
    open_page(dash_duo, "/")
    stamp = f"{first.published.finished_at:%Y-%m-%d %H:%M} UTC"
    dash_duo.wait_for_text_to_equal("#app-freshness", f"Data as of {stamp}")
    dash_duo.wait_for_text_to_equal("#total-quotes .stat-value", "20")

    second = run_refresh(refresh_id="fresh-2", extra_paths=[seed], include_configured=False)
    dash_duo.find_element("a.nav-link[href='/speakers']").click()
    stamp = f"{second.published.finished_at:%Y-%m-%d %H:%M} UTC"
    dash_duo.wait_for_text_to_equal("#app-freshness", f"Data as of {stamp}")
    dash_duo.wait_for_text_to_equal("#speaker-count", "1 speaker found")  # read after the flip
    assert queries.snapshot_name() == second.published.snapshot.name


RUN_ROWS = "#overview-runs tbody tr"


def test_overview_shows_freshness_and_the_latest_run(  # type: ignore[no-untyped-def]
    duo, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    finished, snapshot = snapshot_con.execute(LAST_PUBLISH_SQL).fetchone()  # type: ignore[misc]
    runs = snapshot_con.execute(LAST_RUNS_SQL, [8]).fetchall()
    assert runs, "the published sample has no refresh_runs row"
    latest = runs[0]

    open_page(duo, "/")
    duo.wait_for_contains_text("#overview-freshness h2", "Data freshness and last refresh runs")
    duo.wait_for_text_to_equal(
        "#overview-data-as-of",
        f"Data as of {finished:%Y-%m-%d %H:%M} UTC (snapshot {snapshot})",
    )
    assert count(duo, RUN_ROWS) == len(runs)
    first = f"{RUN_ROWS}:first-child"
    assert duo.find_element(f"{first} .run-status").text == latest[4]
    assert duo.find_element(f"{first} .run-step").text == latest[1]
    assert duo.find_element(f"{first} .run-finished").text == f"{latest[3]:%Y-%m-%d %H:%M}"
    numbers = shown_texts(duo, f"{first} td.num")
    assert numbers == [f"{latest[6]:,}", f"{latest[7]:,}", f"{latest[8]:,}"]
    details = duo.find_element(f"{first} .run-details").text
    for reason, n in json.loads(latest[9] or "{}").items():
        assert f"{reason}: {n:,}" in details
    assert_no_browser_errors(duo)


def test_overview_failed_run_is_red_with_its_error(  # type: ignore[no-untyped-def]
    dash_duo, state_dir: Path
) -> None:
    from warehouse.refresh import run_refresh

    seed = Path(__file__).resolve().parents[2] / "data/sample/seed/speaker-page-sam-marks.txt"
    result = run_refresh(refresh_id="red", extra_paths=[seed], include_configured=False)
    queries.close()
    now = datetime.now(UTC).replace(tzinfo=None)
    with duckdb.connect(str(result.published.snapshot)) as con:
        add_run(
            con, "idle", step="ingest", status="nothing new", finished_at=now + timedelta(minutes=1)
        )
        add_run(
            con,
            "broken",
            step="publish",
            status="failed",
            finished_at=now + timedelta(minutes=2),
            error="publish: OSError: <img src=x onerror=window.__pwned=1> disk full",
        )

    dash_duo.start_server(create_app(), port=free_port())
    open_page(dash_duo, "/")
    dash_duo.wait_for_text_to_equal(f"{RUN_ROWS}:first-child .run-status", "failed")
    badge = dash_duo.find_element(f"{RUN_ROWS}:first-child .run-status")
    assert badge.value_of_css_property("color") == "rgba(185, 28, 28, 1)"  # red
    error = dash_duo.find_element(f"{RUN_ROWS}:first-child .run-error").text
    assert error == "publish: OSError: <img src=x onerror=window.__pwned=1> disk full"
    assert count(dash_duo, "#overview-runs img") == 0
    grey = dash_duo.find_element(f"{RUN_ROWS}:nth-child(2) .run-status")
    assert grey.text == "nothing new"
    assert grey.value_of_css_property("color") == "rgba(75, 85, 99, 1)"  # grey
    assert count(dash_duo, f"{RUN_ROWS}:nth-child(2) .run-error") == 0
    assert dash_duo.driver.execute_script("return window.__pwned === undefined")
    queries.close()
