"""One episode across sources: a later source joins the episode an earlier one stored, by key,
guid or episode number, but never merges two episodes whose guids differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.db import connect_reader
from warehouse.refresh import run_refresh


@pytest.fixture()
def load(state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))

    def _load(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text)
        return run_refresh(extra_paths=[path], include_configured=False).published.snapshot

    return _load


def test_number_joins_guid_episode_but_different_guids_stay_apart(load) -> None:
    load(
        "feed.csv",
        "show,episode,episode_guid,episode_number,speaker,role\nS,Pilot,G1,7,Ana Lima,host\n",
    )
    # A transcript-like file that only knows the episode number ("007").
    load("transcript.csv", "show,episode_number,speaker,quote\nS,007,Bo Chen,hello there\n")
    # Another item with the same number but its own guid is another episode.
    snap = load(
        "other.csv", "show,episode,episode_guid,episode_number,speaker\nS,Rerun,G2,7,Cy Diaz\n"
    )
    con = connect_reader(snap)
    try:
        episodes = con.execute(
            "select guid, episode_number, title from episodes order by all"
        ).fetchall()
        assert episodes == [("G1", "7", "Pilot"), ("G2", "7", "Rerun")]
        who = con.execute("""
            select e.guid, sp.display_name from appearances a
            join episodes e using (episode_id) join speakers sp using (speaker_id) order by all
        """).fetchall()
        assert who == [("G1", "Ana Lima"), ("G1", "Bo Chen"), ("G2", "Cy Diaz")]
        assert con.execute("select count(*) from segments").fetchone() == (1,)
    finally:
        con.close()


def test_ambiguous_number_makes_a_new_episode(load) -> None:
    load(
        "a.csv", "show,episode,episode_guid,episode_number,speaker\nS,One,G1,3,Ana\nS,Two,G2,3,Bo\n"
    )
    snap = load("b.csv", "show,episode_number,speaker\nS,3,Cy\n")
    con = connect_reader(snap)
    try:
        assert con.execute("select count(*) from episodes").fetchone() == (3,)
    finally:
        con.close()
