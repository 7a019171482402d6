"""A changed feed updates its episodes in place; other sources never erase what it said."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.db import connect_reader
from warehouse.refresh import run_refresh

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test Show</title>
<item><title>{title}</title><guid>ep-1</guid><pubDate>{date}</pubDate>
<itunes:episode xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">7</itunes:episode>
</item></channel></rss>
"""


def test_changed_item_updates_in_place(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    feed = tmp_path / "feed.xml"
    feed.write_text(FEED.format(title="Draft title", date="Mon, 01 Jan 2024 10:00:00 GMT"))
    run_refresh(extra_paths=[feed], include_configured=False)
    feed.write_text(FEED.format(title="Final title", date="Tue, 02 Jan 2024 10:00:00 GMT"))
    run_refresh(extra_paths=[feed], include_configured=False)
    # A transcript-like record for the same episode (by number) carries no title.
    records = tmp_path / "quotes.csv"
    records.write_text("show,episode_number,speaker,quote\nTest Show,7,Ana Lima,Hello\n")
    snap = run_refresh(extra_paths=[records], include_configured=False).published.snapshot
    con = connect_reader(snap)
    try:
        assert con.execute(
            "select title, published_at::date::varchar, episode_number from episodes"
        ).fetchall() == [("Final title", "2024-01-02", "7")]
        assert con.execute("select count(*) from segments").fetchone() == (1,)
    finally:
        con.close()
