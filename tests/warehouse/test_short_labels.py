"""One-word transcript labels resolve to the one full-named person of the same show."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.db import connect_reader
from warehouse.refresh import run_refresh

SOURCES = """
[[source]]
name = "tx"
path = "*.md"
format = "markdown"
default_role = "speaker"
filename_pattern = '^(?P<show>[a-z]+)-(?P<episode_number>\\d+)\\.md$'
[source.show_names]
jsparty = "JS Party"
gotime = "Go Time"
"""


def test_short_labels(state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sources.toml").write_text(SOURCES)
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "sources.toml"))
    (tmp_path / "jsparty-1.md").write_text(
        "**Jerod Santo:** Welcome to JS Party.\n\n**Adam Smith:** Hi.\n\n"
        "**Adam Stacoviak:** Hello.\n\n**Jerod:** So, Adam...\n\n**Adam:** Which one?\n"
    )
    (tmp_path / "gotime-1.md").write_text("**Jerod:** A different Jerod, on another show.\n")
    snap = run_refresh().published.snapshot
    con = connect_reader(snap)
    try:
        who = dict(
            con.execute("""
            select s.display_name, count(*) from segments g join speakers s using (speaker_id)
            group by 1 order by 1
        """).fetchall()
        )
        # "Jerod" on JS Party is Jerod Santo (one candidate); "Adam" has two, so stays "Adam";
        # "Jerod" on Go Time has no candidate on that show, so stays "Jerod".
        assert who == {
            "Adam": 1,
            "Adam Smith": 1,
            "Adam Stacoviak": 1,
            "Jerod": 1,
            "Jerod Santo": 2,
        }
        assert con.execute(
            "select label_key, full_key, rule from speaker_label_resolutions"
        ).fetchall() == [("jerod", "jerod santo", "one person of the show has this first name")]
    finally:
        con.close()
