"""People directories as identity evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.people import parse_directory
from ingest.sources import parse_source
from tests.conftest import REPO
from warehouse.db import connect_reader
from warehouse.refresh import run_refresh

JB_PEOPLE = REPO / "data" / "real" / "tabular" / "jupiterbroadcasting" / "jb_people.csv"
SOURCE = {
    "name": "people",
    "format": "people",
    "columns": {"speaker": "title", "speaker_alias": "username"},
}


def test_real_directory_pairs() -> None:
    directory = parse_directory(JB_PEOPLE.read_bytes(), parse_source(SOURCE, REPO))
    assert directory.n_rows == 166  # PROVENANCE: 166 people files that parsed
    assert directory.accepted == 166 and directory.rejects.height == 0
    assert ("Chris Fisher", "chris") in directory.pairs
    # A pair is only kept when the two names are different spellings.
    assert all(a.lower() != b.lower() for a, b in directory.pairs)


def test_a_username_in_records_resolves_to_the_person(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = tmp_path / "people.csv"
    people.write_text("title,username\nChris Fisher,chris\nAna Lima,\n")
    records = tmp_path / "apps.csv"
    records.write_text(
        "show,episode,speaker,role\nLUP,Ep 1,Chris Fisher,host\nLUP,Ep 2,chris,host\n"
    )
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nname = "people"\npath = "{people}"\nformat = "people"\n'
        '[source.columns]\nspeaker = "title"\nspeaker_alias = "username"\n\n'
        f'[[source]]\nname = "apps"\npath = "{records}"\n'
    )
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "sources.toml"))
    result = run_refresh()
    by_name = {f.source_name: f for f in result.files}
    assert (by_name["people"].n_loaded, by_name["people"].n_rejected) == (1, 1)  # Ana: no alias
    con = connect_reader(result.published.snapshot)
    try:
        assert con.execute(
            "select display_name, n_appearances from mart_speaker_stats"
        ).fetchall() == [("Chris Fisher", 2)]
    finally:
        con.close()
