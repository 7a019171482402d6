"""Alias rules at load time, and re-resolution of stored rows when the file changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from warehouse.db import connect_reader
from warehouse.refresh import run_refresh

CRD3 = REPO / "data" / "real" / "transcripts" / "crd3_json" / "crd3_cleaned_C1E069.json"
SOURCES = """
[[source]]
name = "crd3"
path = "{path}"
format = "diarized_json"
default_show = "Critical Role"
default_role = "speaker"
filename_pattern = 'C(?P<episode_season>\\d+)E(?P<episode_number>\\d+)\\.json$'
"""


def speakers(snapshot: Path) -> dict[str, int]:
    con = connect_reader(snapshot)
    try:
        return dict(
            con.execute(
                "select display_name, n_quotes from mart_speaker_stats order by 1"
            ).fetchall()
        )
    finally:
        con.close()


def test_alias_change_re_resolves_stored_rows(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES.format(path=CRD3))
    aliases = tmp_path / "aliases.toml"
    monkeypatch.setenv("PAA_SOURCES", str(sources))
    monkeypatch.setenv("PAA_ALIASES", str(aliases))

    before = speakers(run_refresh().published.snapshot)
    assert before["MATT"] == 369  # CRD3 C1E069: 369 turns by MATT

    aliases.write_text(
        '[[same_person]]\nname = "Matthew Mercer"\naliases = ["MATT"]\nshow = "Critical Role"\n'
    )
    after = run_refresh()
    assert {f.status for f in after.files} == {"loaded"}  # the stored file loaded again
    now = speakers(after.published.snapshot)
    assert "MATT" not in now and now["Matthew Mercer"] == 369
    assert sum(now.values()) == sum(before.values())  # nothing lost

    aliases.unlink()  # back to no rules: MATT is MATT again
    assert speakers(run_refresh().published.snapshot) == before
