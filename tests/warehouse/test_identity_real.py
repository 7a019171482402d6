"""One identity per person on real feeds: a link (href) is the strongest identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from warehouse.db import connect_reader
from warehouse.refresh import run_refresh

FEEDS = REPO / "data" / "real" / "feeds" / "podcasting20"


@pytest.fixture()
def snapshot(state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    files = [
        FEEDS / f
        for f in (
            "partytime__no-agenda.xml",
            "partytime__pc20rss.xml",
            "partytime__podverse-test-feed.xml",
        )
    ]
    return run_refresh(extra_paths=files, include_configured=False).published.snapshot


def test_adam_curry_with_and_without_trailing_slash_is_one_person(snapshot: Path) -> None:
    con = connect_reader(snapshot)
    try:
        rows = con.execute("""
            select s.speaker_id, count(distinct e.show_id), count(distinct a.episode_id)
            from speakers s join appearances a using (speaker_id) join episodes e using (episode_id)
            where s.display_name = 'Adam Curry' group by 1
        """).fetchall()
        # No Agenda tags him with "http://curry.com/", Podcasting 2.0 with "http://curry.com".
        assert len(rows) == 1
        speaker_id, shows, episodes = rows[0]
        assert shows == 2 and episodes == 14 + 6
        assert con.execute(
            "select speaker_id from speaker_hrefs where href_key = 'curry.com'"
        ).fetchall() == [(speaker_id,)]
    finally:
        con.close()


def test_brian_of_london_with_two_links_is_two_speakers_and_a_candidate_pair(
    snapshot: Path,
) -> None:
    con = connect_reader(snapshot)
    try:
        ids = [
            r[0]
            for r in con.execute(
                "select speaker_id from speakers where display_name = 'Brian of London' order by 1"
            ).fetchall()
        ]
        assert len(ids) == 2
        pairs = con.execute(
            "select speaker_a, speaker_b, reason from mart_speaker_candidates "
            "where name_a = 'Brian of London'"
        ).fetchall()
        assert pairs == [(ids[0], ids[1], "same name, different links")]
    finally:
        con.close()
