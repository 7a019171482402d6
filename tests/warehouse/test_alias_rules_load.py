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


def test_different_people_with_one_name_stay_two(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    aliases = tmp_path / "aliases.toml"
    monkeypatch.setenv("PAA_ALIASES", str(aliases))
    records = tmp_path / "apps.csv"
    records.write_text(
        "show,episode,speaker,role\n"
        "Comic Book Talk,Ep 1,Chris Evans,guest\n"  # the actor
        "Breakfast Radio,Ep 9,Chris Evans,host\n"  # the broadcaster
    )
    merged = run_refresh(extra_paths=[records], include_configured=False).published.snapshot
    con = connect_reader(merged)
    try:  # without a rule, one spelling is one person
        assert con.execute("select count(*) from speakers").fetchone() == (1,)
    finally:
        con.close()
    aliases.write_text('[[different_people]]\nname = "Chris Evans"\n')
    apart = run_refresh(include_configured=False).published.snapshot
    con = connect_reader(apart)
    try:
        rows = con.execute("""
            select s.display_name, sh.title from speakers s join appearances a using (speaker_id)
            join episodes e using (episode_id) join shows sh on sh.show_id = e.show_id
            order by 2
        """).fetchall()
        assert rows == [("Chris Evans", "Breakfast Radio"), ("Chris Evans", "Comic Book Talk")]
        assert con.execute("select count(distinct speaker_id) from appearances").fetchone() == (2,)
    finally:
        con.close()
