"""dashboard/queries.py against the real published sample (and, for publishing, a small real
refresh in a temporary state directory)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard import queries
from tests.dashboard.helpers import (
    LAST_PUBLISH_SQL,
    LAST_RUNS_SQL,
    add_run,
    episode_evidence,
    show_id,
    title_only_guests,
)
from warehouse.db import NoSnapshot

LESSWRONG = "LessWrong (Curated & Popular)"
META_AGENCY = "Persona simulation is therefore a sort of meta-agency"
ON_BEING = "APM: On Being"  # its guests are known only from episode titles
SEED_PAGE = Path(__file__).resolve().parents[2] / "data/sample/seed/speaker-page-sam-marks.txt"


@pytest.fixture(autouse=True)
def _published(published_sample: Path) -> None:
    """Every test here reads the session's published sample unless it swaps state dirs."""


def test_sam_marks_profile_is_our_count_not_the_pages_claim(sam_marks_id: str) -> None:
    profile = queries.speaker_profile(sam_marks_id)
    assert profile is not None
    assert profile["display_name"] == "Sam Marks"
    assert profile["n_appearances"] == 1  # distinct episodes we hold
    assert profile["n_quotes"] == 20
    assert profile["n_shows"] == 1
    assert profile["first_appearance"] is None  # the seed page gives no dates
    assert queries.speaker_claims(sam_marks_id) == {"total_appearances": "891"}


def test_sam_marks_appearances_and_quotes(sam_marks_id: str) -> None:
    episodes = queries.speaker_appearances(sam_marks_id)
    assert episodes.height == 1
    episode = episodes.row(0, named=True)
    assert episode["show_title"] == LESSWRONG
    assert episode["published_at"] is None
    assert "persona selection model" in episode["episode_title"]

    quotes = queries.speaker_quotes(sam_marks_id, [episode["episode_id"]])
    assert quotes.height == 20
    texts = quotes["text"].to_list()
    # No start times on the page: quotes keep the page's own order.
    assert texts[0].startswith("Because of this, deep learning likely has an inductive bias")
    assert texts[1].startswith("First, observe that persona modeling")
    assert texts[-1].startswith("In our analogy, personas in the pre-trained LLM")
    assert any(t.startswith(META_AGENCY) for t in texts)
    assert queries.speaker_monthly(sam_marks_id).height == 0


def test_quotes_follow_start_time(ira_glass_id: str) -> None:
    episodes = queries.speaker_appearances(ira_glass_id)
    quotes = queries.speaker_quotes(ira_glass_id, episodes["episode_id"].to_list())
    assert quotes.height == 39
    for _, group in quotes.group_by("episode_id"):
        starts = [s for s in group["start_ms"].to_list() if s is not None]
        assert starts == sorted(starts)


def test_appearance_pages_cover_every_episode_once(snapshot_con: duckdb.DuckDBPyConnection) -> None:
    """The list pages over every episode the speaker is in (title-only ones too): n_listed."""
    speaker_id = queries.top_speakers(1)["speaker_id"].item()
    total = queries.speaker_profile(speaker_id)["n_listed"]  # type: ignore[index]
    seen: list[str] = []
    for page in range(0, total // 100 + 1):
        seen += queries.speaker_appearances(speaker_id, page, 100)["episode_id"].to_list()
    assert len(seen) == len(set(seen)) == total
    expected = snapshot_con.execute(
        "select count(distinct episode_id) from appearances where speaker_id = ?", [speaker_id]
    ).fetchone()[0]  # type: ignore[index]
    assert total == expected


def test_title_only_episodes_are_listed_marked_and_not_counted(
    mixed_evidence_id: str, snapshot_con: duckdb.DuckDBPyConnection
) -> None:
    n_counted, n_title = episode_evidence(snapshot_con, mixed_evidence_id)
    assert n_counted > 0 and n_title > 0
    profile = queries.speaker_profile(mixed_evidence_id)
    assert profile is not None
    assert profile["n_appearances"] == n_counted
    assert profile["n_title_appearances"] == n_title
    assert profile["n_listed"] == n_counted + n_title

    listed = queries.speaker_appearances(mixed_evidence_id, 0, n_counted + n_title + 1)
    assert listed.height == n_counted + n_title
    assert listed["title_only"].sum() == n_title
    for row in listed.iter_rows(named=True):
        assert row["sources"] == sorted(set(row["sources"]))
        # title-only <=> 'title' is the only source of that episode
        assert row["title_only"] == (row["sources"] == ["title"])


def test_sources_say_how_each_appearance_is_known(adam_curry_id: str) -> None:
    listed = queries.speaker_appearances(adam_curry_id, 0, 100)
    assert listed.height > 0
    assert {s for row in listed["sources"].to_list() for s in row} == {"feed"}
    assert not listed["title_only"].any()
    assert queries.speaker_profile(adam_curry_id)["href"] == "http://curry.com/"  # type: ignore[index]


def test_a_snapshot_without_n_title_appearances_reads_as_zero(
    state_dir: Path, sam_marks_id: str
) -> None:
    """A snapshot published before the mart had n_title_appearances (the dashboard may be newer
    than the last refresh) still serves the speaker page: the column reads as 0."""
    from warehouse.refresh import run_refresh

    result = run_refresh(refresh_id="old-mart", extra_paths=[SEED_PAGE], include_configured=False)
    queries.close()  # nothing of this snapshot open before we change it
    with duckdb.connect(str(result.published.snapshot)) as con:
        con.execute("alter table mart_speaker_stats drop column if exists n_title_appearances")
    assert not queries.has_column("mart_speaker_stats", "n_title_appearances")
    assert queries.has_column("mart_speaker_stats", "n_appearances")
    profile = queries.speaker_profile(sam_marks_id)
    assert profile is not None
    assert profile["n_title_appearances"] == 0 and profile["n_appearances"] == 1
    queries.close()


def test_totals_match_the_snapshot(snapshot_con: duckdb.DuckDBPyConnection) -> None:
    def one(sql: str) -> int:
        return snapshot_con.execute(sql).fetchone()[0]  # type: ignore[index]

    totals = queries.totals()
    assert totals.speakers == one("select count(*) from speakers")
    assert totals.shows == one("select count(*) from shows")
    assert totals.episodes == one("select count(*) from episodes")
    # Pairs known only from an episode title are not counted, here as in the marts.
    assert totals.appearances == one(
        "select count(*) from (select distinct speaker_id, episode_id from appearances "
        "where source <> 'title')"
    )
    assert totals.appearances == one("select sum(n_appearances) from mart_speaker_stats")
    assert totals.appearances == one("select sum(n_appearances) from mart_show_stats")
    assert totals.quotes == one("select count(*) from segments")


def test_appearances_per_month_sums_the_show_mart(snapshot_con: duckdb.DuckDBPyConnection) -> None:
    monthly = queries.appearances_per_month()
    months = monthly["month_start"].to_list()
    assert months == sorted(months) and len(months) == len(set(months))
    expected = snapshot_con.execute("select sum(n_appearances) from mart_show_monthly").fetchone()
    assert monthly["n_appearances"].sum() == expected[0]  # type: ignore[index]


def test_top_lists_are_ranked() -> None:
    speakers = queries.top_speakers(5)["n_appearances"].to_list()
    shows = queries.top_shows(5)["n_appearances"].to_list()
    assert len(speakers) == 5 and speakers == sorted(speakers, reverse=True)
    assert len(shows) == 5 and shows == sorted(shows, reverse=True)


def test_search_is_case_insensitive_substring(ira_glass_id: str) -> None:
    for text in ("Ira Glass", "ira glass", "  IRA GL  "):
        assert ira_glass_id in queries.search_speakers(text)["speaker_id"].to_list()
    assert queries.search_speakers("").height == queries.search_speakers(None).height
    assert queries.search_speakers("").height == queries.totals().speakers


@pytest.mark.parametrize("text", ["%", "_", "' or 1=1 --", "Ira%Glass", "\\"])
def test_search_input_is_data_not_sql(text: str) -> None:
    """No LIKE wildcards, no injection: every hit literally contains the text (the sample
    really has names with '_', e.g. 'JDM_WAAAT')."""
    names = queries.search_speakers(text)["display_name"].to_list()
    assert all(text.lower() in name.lower() for name in names)
    assert len(names) < queries.totals().speakers


def test_unknown_ids_are_none_not_errors() -> None:
    assert queries.speaker_profile("no-such-speaker") is None
    assert queries.show_profile("no-such-show") is None
    assert queries.speaker_appearances("no-such-speaker").height == 0
    assert queries.speaker_claims("no-such-speaker") == {}


def test_show_queries(sam_marks_id: str) -> None:
    shows = queries.show_list()
    lesswrong = shows.filter(title=LESSWRONG).row(0, named=True)
    profile = queries.show_profile(lesswrong["show_id"])
    assert profile is not None and profile["n_episodes"] == 1 and profile["n_quotes"] == 20
    assert profile["n_title_guests"] == 0
    speakers = queries.show_speakers(lesswrong["show_id"])
    assert speakers.columns == [
        "speaker_id",
        "display_name",
        "role",
        "n_episodes",
        "n_title_episodes",
        "title_only",
    ]
    assert speakers.rows() == [(sam_marks_id, "Sam Marks", "speaker", 1, 0, False)]
    assert queries.show_monthly(lesswrong["show_id"]).height == 0


def test_show_episode_pages_and_their_speakers() -> None:
    show = queries.show_list().sort("n_episodes", descending=True).row(0, named=True)
    first = queries.show_episodes(show["show_id"], 0, 10)
    second = queries.show_episodes(show["show_id"], 1, 10)
    assert first.height == second.height == 10
    assert not set(first["episode_id"]) & set(second["episode_id"])
    dates = first["published_at"].to_list() + second["published_at"].to_list()
    assert dates == sorted(dates, reverse=True)
    people = queries.episode_speakers(first["episode_id"].to_list())
    assert set(people["episode_id"]) <= set(first["episode_id"])
    assert people.height >= 1


def test_on_being_counts_leave_out_title_only_guests(
    snapshot_con: duckdb.DuckDBPyConnection,
) -> None:
    """On Being's guests are all known only from episode titles: the header counts (the mart's)
    leave them out, n_title_guests says how many there are, and the speaker rows and episode
    lists keep every one of them, marked title_only. Expected values come from appearances."""
    sid = show_id(snapshot_con, ON_BEING)

    def one(sql: str) -> int:
        return snapshot_con.execute(sql, [sid]).fetchone()[0]  # type: ignore[index]

    on_show = "from appearances a join episodes e using (episode_id) where e.show_id = ?"
    n_counted = one(f"select count(*) {on_show} and a.source <> 'title'")
    n_title_rows = one(f"select count(*) {on_show} and a.source = 'title'")
    n_title_guests = title_only_guests(snapshot_con, sid)
    assert n_counted == 0 and n_title_rows > 0 and n_title_guests > 0

    profile = queries.show_profile(sid)
    assert profile is not None
    assert profile["n_episodes"] == one("select count(*) from episodes where show_id = ?")
    assert (
        profile["n_speakers"],
        profile["n_hosts"],
        profile["n_guests"],
        profile["n_appearances"],
    ) == (0, 0, 0, 0)
    mart = snapshot_con.execute(
        "select n_speakers, n_hosts, n_guests, n_appearances from mart_show_stats "
        "where show_id = ?",
        [sid],
    ).fetchone()
    assert mart == (0, 0, 0, 0)
    assert profile["n_title_guests"] == n_title_guests

    speakers = queries.show_speakers(sid)
    assert speakers["title_only"].all() and speakers["n_episodes"].sum() == 0
    assert speakers.filter(role="guest").height == n_title_guests
    expected = {
        (speaker, role): n
        for speaker, role, n in snapshot_con.execute(
            f"select a.speaker_id, a.role, count(distinct a.episode_id) {on_show} "
            "and a.source = 'title' group by a.speaker_id, a.role",
            [sid],
        ).fetchall()
    }
    assert {
        (r["speaker_id"], r["role"]): r["n_title_episodes"] for r in speakers.iter_rows(named=True)
    } == expected

    episode_ids = [
        e
        for (e,) in snapshot_con.execute(
            "select episode_id from episodes where show_id = ?", [sid]
        ).fetchall()
    ]
    people = queries.episode_speakers(episode_ids)
    n_pairs = one(f"select count(*) from (select distinct a.speaker_id, a.episode_id {on_show})")
    assert people.height == n_pairs and people["title_only"].all()


def test_show_speaker_rows_agree_with_the_mart(snapshot_con: duckdb.DuckDBPyConnection) -> None:
    """On every show, the counted rows of show_speakers are the mart's hosts and guests, and
    the title-only guest rows are n_title_guests; counted and title-only never share a row."""
    mart = snapshot_con.execute(
        "select show_id, n_speakers, n_hosts, n_guests from mart_show_stats"
    ).fetchall()
    mixed = 0
    for sid, n_speakers, n_hosts, n_guests in mart:
        rows = queries.show_speakers(sid)
        counted = rows.filter(~pl.col("title_only"))
        title = rows.filter(pl.col("title_only"))
        assert (counted["n_episodes"] > 0).all() and (title["n_episodes"] == 0).all()
        assert (title["n_title_episodes"] > 0).all()
        assert counted["speaker_id"].n_unique() == n_speakers
        assert counted.filter(role="host").height == n_hosts
        assert counted.filter(role="guest").height == n_guests
        n_title_guests = title.filter(role="guest").height
        assert n_title_guests == title_only_guests(snapshot_con, sid)
        assert queries.show_profile(sid)["n_title_guests"] == n_title_guests  # type: ignore[index]
        mixed += bool(counted.height and title.height)
    assert mixed > 0  # the sample has shows with both (e.g. Critical Role, Launched)


def test_reader_follows_each_publish_and_closes_the_old_one(state_dir: Path) -> None:
    """A fresh state dir: nothing published -> NoSnapshot; each publish is picked up by the
    next query, and the replaced connection is closed (no restart, no stale reader)."""
    from warehouse.refresh import run_refresh

    with pytest.raises(NoSnapshot):
        queries.totals()

    first = run_refresh(refresh_id="dash-1", extra_paths=[SEED_PAGE], include_configured=False)
    assert queries.data_as_of() == first.published.finished_at
    assert queries.snapshot_name() == first.published.snapshot.name
    assert queries.totals().quotes == 20
    old = queries._current
    assert old is not None

    second = run_refresh(refresh_id="dash-2", extra_paths=[SEED_PAGE], include_configured=False)
    assert queries.data_as_of() == second.published.finished_at > first.published.finished_at
    assert queries.snapshot_name() == second.published.snapshot.name
    with pytest.raises(duckdb.ConnectionException):
        old.con.execute("select 1")


def test_candidates_query(snapshot_con: duckdb.DuckDBPyConnection) -> None:
    """Every stored pair, strongest first, with both names; the two 'Brian of London'
    speakers (two different podcast:person links) and the Priestly/Priestley spelling pair."""
    frame = queries.candidates()
    assert frame.columns == [
        "speaker_a",
        "name_a",
        "speaker_b",
        "name_b",
        "score",
        "reason",
        "shared_shows",
    ]
    expected = snapshot_con.execute("select count(*) from mart_speaker_candidates").fetchone()
    assert frame.height == expected[0]  # type: ignore[index]
    scores = frame["score"].to_list()
    assert scores == sorted(scores, reverse=True)
    assert all(a < b for a, b in zip(frame["speaker_a"], frame["speaker_b"], strict=True))

    brians = frame.filter(name_a="Brian of London", name_b="Brian of London")
    assert brians.height == 1
    brian = brians.row(0, named=True)
    assert brian["reason"] == "same name, different links" and brian["score"] == 100.0
    hrefs = snapshot_con.execute(
        "select href from speakers where speaker_id in (?, ?)",
        [brian["speaker_a"], brian["speaker_b"]],
    ).fetchall()
    assert len({h for (h,) in hrefs}) == 2  # kept apart because their links differ

    names = {frozenset((r["name_a"], r["name_b"])) for r in frame.iter_rows(named=True)}
    assert frozenset(("Jason Priestly", "Jason Priestley")) in names


def test_speaker_candidates_name_the_other_side() -> None:
    pair = queries.candidates().filter(name_a="Brian of London").row(0, named=True)
    for me, other in (
        (pair["speaker_a"], pair["speaker_b"]),
        (pair["speaker_b"], pair["speaker_a"]),
    ):
        mine = queries.speaker_candidates(me)
        assert other in mine["other_id"].to_list()
        assert me not in mine["other_id"].to_list()
    assert queries.speaker_candidates("no-such-speaker").height == 0


def test_refresh_runs_match_the_snapshot(snapshot_con: duckdb.DuckDBPyConnection) -> None:
    """The Overview's run table is the snapshot's refresh_runs, latest finished first, at most
    the requested number of rows; the freshness line is refresh_log's last publish."""
    runs = queries.refresh_runs(8)
    assert runs is not None
    expected = snapshot_con.execute(LAST_RUNS_SQL, [8]).pl()
    assert runs.height >= 1
    assert runs.equals(expected), (runs, expected)
    finished = runs["finished_at"].to_list()
    assert finished == sorted(finished, reverse=True)
    assert set(runs["status"]) <= {"success", "nothing new", "failed"}
    assert queries.refresh_runs(0).height == 0  # type: ignore[union-attr]

    published = queries.last_publish()
    row = snapshot_con.execute(LAST_PUBLISH_SQL).fetchone()
    assert published is not None and row is not None
    assert (published["finished_at"], published["snapshot"]) == row
    assert published["finished_at"] == queries.data_as_of()
    assert published["snapshot"] == queries.snapshot_name()  # the file the dashboard reads


def test_refresh_runs_keep_the_last_ones_in_order(state_dir: Path) -> None:
    """More runs than the table shows, with a failed one last: the limit is a bound parameter,
    the newest rows come back in order, and a failed row keeps its error."""
    from warehouse.refresh import run_refresh

    result = run_refresh(refresh_id="runs", extra_paths=[SEED_PAGE], include_configured=False)
    queries.close()
    base = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=1)
    with duckdb.connect(str(result.published.snapshot)) as con:
        for i in range(10):
            add_run(con, f"run-{i:02d}", step="ingest", status="nothing new",
                    finished_at=base + timedelta(minutes=i))
        add_run(con, "run-failed", step="publish", status="failed",
                finished_at=base + timedelta(hours=1), error="publish: OSError: disk full")
    runs = queries.refresh_runs(8)
    assert runs is not None
    newest = ["run-failed"] + [f"run-{i:02d}" for i in range(9, 2, -1)]
    assert runs["run_id"].to_list() == newest
    assert runs.row(0, named=True)["error"] == "publish: OSError: disk full"
    assert queries.refresh_runs(100).height == 12  # type: ignore[union-attr]  # with the refresh
    queries.close()


def test_a_snapshot_without_refresh_runs_has_no_run_table(state_dir: Path) -> None:
    """Snapshots published before the run log existed stay readable: no runs (None), and the
    freshness line still has its time and snapshot."""
    from warehouse.refresh import run_refresh

    result = run_refresh(refresh_id="old-log", extra_paths=[SEED_PAGE], include_configured=False)
    queries.close()
    with duckdb.connect(str(result.published.snapshot)) as con:
        con.execute("drop table refresh_runs")
    assert queries.refresh_runs() is None
    published = queries.last_publish()
    assert published is not None
    assert published["snapshot"] == result.published.snapshot.name
    assert published["finished_at"] == result.published.finished_at
    queries.close()
