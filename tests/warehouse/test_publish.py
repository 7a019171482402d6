"""Snapshots: readers see whole refreshes only, and never block the writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEED_PAGE
from warehouse.db import NoSnapshot, connect_reader, connect_writer
from warehouse.publish import current_snapshot, publish
from warehouse.refresh import run_refresh


def test_no_snapshot_is_a_clear_error(state_dir: Path) -> None:
    with pytest.raises(NoSnapshot, match="no published data yet"):
        current_snapshot()


def test_reader_open_during_refresh_and_publish(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    first = run_refresh(extra_paths=[SEED_PAGE], include_configured=False).published.snapshot
    reader = connect_reader(current_snapshot())
    # The writer can open, load and publish while the reader holds the old snapshot open.
    extra = tmp_path / "more.csv"
    extra.write_text("show,episode,speaker,quote\nS,E1,Ana,hello\n")
    second = run_refresh(extra_paths=[extra], include_configured=False).published.snapshot
    assert second != first and current_snapshot() == second
    assert reader.execute("select count(*) from speakers").fetchone() == (1,)
    with connect_reader(second) as fresh:
        assert fresh.execute("select count(*) from speakers").fetchone() == (2,)
    reader.close()


def test_old_snapshots_are_pruned_but_an_open_reader_keeps_reading(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAA_SOURCES", str(tmp_path / "none.toml"))
    monkeypatch.setenv("PAA_KEEP_SNAPSHOTS", "2")
    run_refresh(extra_paths=[SEED_PAGE], include_configured=False)
    reader = connect_reader(current_snapshot())
    for _ in range(3):
        run_refresh(include_configured=False)
    snaps = sorted((state_dir / "warehouse" / "snapshots").glob("snap-*.duckdb"))
    assert len(snaps) == 2
    assert current_snapshot() == snaps[-1]
    # Its file is unlinked, but the reader that had it open still answers.
    assert reader.execute("select count(*) from segments").fetchone() == (20,)
    reader.close()


def test_snapshot_holds_views_and_marts(state_dir: Path) -> None:
    with connect_writer() as con:
        published = publish(
            con,
            refresh_id="t",
            started_at=__import__("datetime").datetime(2026, 1, 1),
            n_sources=0,
            n_loaded=0,
            n_rejected=0,
        )
    con = connect_reader(Path(str(published.snapshot)))
    names = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    assert {"v_appearances", "v_quotes", "mart_speaker_stats", "refresh_log"} <= names
