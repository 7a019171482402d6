"""dashboard/queries.py against the real published sample (and, for publishing, a small real
refresh in a temporary state directory)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import queries
from warehouse.db import NoSnapshot

LESSWRONG = "LessWrong (Curated & Popular)"
META_AGENCY = "Persona simulation is therefore a sort of meta-agency"
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
    speaker_id = queries.top_speakers(1)["speaker_id"].item()
    total = queries.speaker_profile(speaker_id)["n_appearances"]  # type: ignore[index]
    seen: list[str] = []
    for page in range(0, total // 100 + 1):
        seen += queries.speaker_appearances(speaker_id, page, 100)["episode_id"].to_list()
    assert len(seen) == len(set(seen)) == total
    expected = snapshot_con.execute(
        "select count(distinct episode_id) from appearances where speaker_id = ?", [speaker_id]
    ).fetchone()[0]  # type: ignore[index]
    assert total == expected


def test_totals_match_the_snapshot(snapshot_con: duckdb.DuckDBPyConnection) -> None:
    def one(sql: str) -> int:
        return snapshot_con.execute(sql).fetchone()[0]  # type: ignore[index]

    totals = queries.totals()
    assert totals.speakers == one("select count(*) from speakers")
    assert totals.shows == one("select count(*) from shows")
    assert totals.episodes == one("select count(*) from episodes")
    assert totals.appearances == one(
        "select count(*) from (select distinct speaker_id, episode_id from appearances)"
    )
    assert totals.appearances == one("select sum(n_appearances) from mart_speaker_stats")
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
    speakers = queries.show_speakers(lesswrong["show_id"])
    assert speakers.rows() == [(sam_marks_id, "Sam Marks", "speaker", 1)]
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
