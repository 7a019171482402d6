"""Guests named in episode titles land as their own low-confidence source, never counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from warehouse.db import connect_reader
from warehouse.refresh import run_refresh

LAUNCHED = REPO / "data" / "real" / "feeds" / "podcasting20" / "partytime__launched.xml"


def test_title_guests_are_shown_apart_from_counted_appearances(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    snap = run_refresh(extra_paths=[LAUNCHED], include_configured=False).published.snapshot
    con = connect_reader(snap)
    try:
        # "32: Overcast - Marco Arment": only the title names him.
        marco = con.execute("""
            select a.source, a.role, m.n_appearances, m.n_title_appearances
            from speakers s join appearances a using (speaker_id)
            join mart_speaker_stats m using (speaker_id) where s.display_name = 'Marco Arment'
        """).fetchall()
        assert marco == [("title", "guest", 0, 1)]
        # The host is tagged with podcast:person in every item and is never a title guest.
        host = con.execute("""
            select m.n_appearances, m.n_title_appearances, m.roles from mart_speaker_stats m
            where display_name = 'Charlie Chapman'
        """).fetchall()
        assert host == [(36, 0, "host")]
        counted = con.execute("select sum(n_appearances) from mart_show_stats").fetchone()
        assert counted == (36,)  # title guests are not in the show's counts either
    finally:
        con.close()
