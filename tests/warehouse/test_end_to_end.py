"""Files -> core tables -> marts -> published snapshot, in a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED_PAGE
from warehouse.db import connect_reader, connect_writer
from warehouse.refresh import run_refresh


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


@pytest.fixture()
def seed_only(state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A refresh of just the seed page (no configured sources)."""
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    return run_refresh(extra_paths=[SEED_PAGE], include_configured=False).published.snapshot


def test_seed_page_lands_as_one_speaker_one_appearance_twenty_quotes(seed_only: Path) -> None:
    con = connect_reader(Path(str(seed_only)))
    assert rows(con, "select display_name from speakers") == [("Sam Marks",)]
    assert rows(con, "select title from shows") == [("LessWrong (Curated & Popular)",)]
    assert rows(con, "select title, published_at from episodes") == [
        ('"The persona selection model" by Sam Marks', None)
    ]
    assert rows(con, "select role, source from appearances") == [("speaker", "page_export")]
    assert rows(con, "select count(*) from segments") == [(20,)]
    # Quotes keep the page's order, which their seq records.
    texts = [t for (t,) in rows(con, "select text from segments order by seq")]
    assert texts[0].startswith("Because of this, deep learning likely has an inductive bias")
    assert texts[-1].startswith("In our analogy, personas in the pre-trained LLM")
    assert rows(con, "select n_appearances, n_quotes, n_shows from mart_speaker_stats") == [
        (1, 20, 1)
    ]
    # The page's own total is kept as its claim, not as our count.
    assert rows(con, "select claim, value from source_claims") == [("total_appearances", "891")]
    assert rows(con, "select n_records, n_loaded, n_rejected from source_files") == [(20, 20, 0)]


def test_whole_sample_counts_and_integrity(foundation_sources: Path) -> None:
    con = connect_reader(run_refresh().published.snapshot)
    counts = dict(
        rows(
            con,
            """
        select 'speakers', count(*) from speakers union all select 'shows', count(*) from shows
        union all select 'episodes', count(*) from episodes
        union all select 'appearances', count(*) from appearances
        union all select 'segments', count(*) from segments
        union all select 'rejects', count(*) from rejects
    """,
        )
    )
    assert counts["shows"] == 11  # 8 Jupiter Broadcasting shows + TAL + Daily Show + LessWrong
    assert counts["segments"] == 20 + 258  # seed quotes + TAL paragraphs with text
    assert counts["rejects"] == 30
    # Every foreign key resolves (DuckDB does not enforce them, so we check).
    for child, key, parent in [
        ("episodes", "show_id", "shows"),
        ("appearances", "speaker_id", "speakers"),
        ("appearances", "episode_id", "episodes"),
        ("segments", "speaker_id", "speakers"),
        ("segments", "episode_id", "episodes"),
        ("speaker_aliases", "speaker_id", "speakers"),
    ]:
        orphans = rows(
            con, f"select count(*) from {child} where {key} not in (select {key} from {parent})"
        )
        assert orphans == [(0,)], (child, key)
    # Appearances are distinct episodes, never quote counts: Ira Glass speaks in many paragraphs
    # of one TAL episode and was a Daily Show guest once (2000-12-11), so 2 appearances.
    (ira,) = rows(
        con,
        "select n_appearances, n_quotes, n_shows from mart_speaker_stats "
        "where display_name = 'Ira Glass'",
    )
    assert ira[0] == 2 and ira[1] > 2 and ira[2] == 2
    # The marts agree with the core tables.
    assert rows(con, "select sum(n_appearances) from mart_speaker_stats") == rows(
        con, "select count(*) from (select distinct speaker_id, episode_id from appearances)"
    )
    assert rows(con, "select sum(n_quotes) from mart_show_stats") == [(counts["segments"],)]
    assert rows(con, "select sum(n_episodes) from mart_show_stats") == [(counts["episodes"],)]


def export_all(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    tables = [
        r[0]
        for r in rows(
            con,
            # The run logs grow by design: every run adds its row.
            "select table_name from duckdb_tables() "
            "where table_name not in ('refresh_log', 'refresh_runs') order by 1",
        )
    ]
    out = {}
    for t in tables:
        cols = [
            c
            for (c,) in rows(
                con,
                "select column_name from duckdb_columns() "
                "where table_name = ? and column_name <> 'ingested_at'",
                [t],
            )
        ]
        out[t] = rows(con, f"select {', '.join(cols)} from {t} order by all")
    return out


def test_loading_the_same_files_again_changes_nothing(foundation_sources: Path) -> None:
    first = run_refresh()
    with connect_writer() as con:
        before = export_all(con)
    again = run_refresh(extra_paths=[SEED_PAGE])  # also re-offer a file directly
    assert {f.status for f in again.files} == {"unchanged"}
    with connect_writer() as con:
        assert export_all(con) == before
    assert first.n_loaded == 7505 and again.n_loaded == 0


def test_changed_file_merges_on_natural_keys(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    f = tmp_path / "apps.csv"
    f.write_text("show,episode,published,speaker,role\nS,E1,2024-01-01,Ana Lima,host\n")
    run_refresh(extra_paths=[f], include_configured=False)
    # Same record again plus a new one, differently spelled speaker key ("ana  LIMA").
    f.write_text(
        "show,episode,published,speaker,role\nS,E1,2024-01-01,Ana Lima,host\n"
        "S,E2,2024-01-08,ana  LIMA,host\n"
    )
    result = run_refresh(extra_paths=[f], include_configured=False)
    con = connect_reader(Path(str(result.published.snapshot)))
    assert rows(con, "select count(*) from speakers") == [(1,)]
    assert rows(con, "select count(*) from appearances") == [(2,)]
    assert rows(con, "select count(*) from source_files") == [(2,)]


def test_unreadable_file_is_one_reject_and_the_run_goes_on(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    bad = tmp_path / "notes.txt"
    bad.write_text("this is not a speaker page\n")
    result = run_refresh(extra_paths=[bad, SEED_PAGE], include_configured=False)
    assert [f.status for f in result.files] == ["unreadable", "loaded"]
    con = connect_reader(Path(str(result.published.snapshot)))
    (reason,) = rows(con, "select reason from rejects")
    assert reason[0].startswith("unreadable file: not a speaker page export")
    assert rows(con, "select count(*) from segments") == [(20,)]
