"""kill -9 at many points of a refresh: readers keep a complete snapshot, the working database
stays consistent, and the next refresh ends with the same tables as an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FOUNDATION_SOURCES, REPO
from warehouse.db import connect_reader, connect_writer
from warehouse.publish import read_pointer
from warehouse.refresh import run_refresh

LOGS = ("refresh_log", "refresh_runs")
CLOCK_COLUMNS = ("ingested_at", "fetched_at")  # when it happened differs between two runs


def export(state: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[tuple]]:
    monkeypatch.setenv("PAA_STATE_DIR", str(state))
    with connect_writer() as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database() "
                "order by 1"
            ).fetchall()
            if t not in LOGS
        ]
        out = {}
        for t in tables:
            cols = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where table_name = ? "
                    "and database_name = current_database() order by column_index",
                    [t],
                ).fetchall()
                if c not in CLOCK_COLUMNS
            ]
            out[t] = con.execute(f"select {', '.join(cols)} from {t} order by all").fetchall()
        return out


def check_served_snapshot(state: Path) -> None:
    """Whatever CURRENT names is a whole refresh: its marts agree with its core tables."""
    directory = state / "warehouse" / "snapshots"
    name = read_pointer(directory)
    if name is None:
        return
    con = connect_reader(directory / name)
    try:
        assert con.execute(
            "select count(*) from refresh_log where snapshot = ?", [name]
        ).fetchone() == (1,)
        marts = con.execute(
            "select coalesce(sum(n_appearances), 0) from mart_speaker_stats"
        ).fetchone()
        core = con.execute("""select count(*) from (select distinct speaker_id, episode_id
                              from appearances where source <> 'title')""").fetchone()
        assert marts == core
    finally:
        con.close()


def check_working_database(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every recorded file has its rows, and no row belongs to an unrecorded file: a file's
    load is all or nothing."""
    monkeypatch.setenv("PAA_STATE_DIR", str(state))
    with connect_writer() as con:
        orphans = con.execute("""
            select count(*) from appearances
            where source_id not in (select source_id from source_files)
        """).fetchone()
        assert orphans == (0,)
        missing = con.execute("""
            select count(*) from source_files f where n_loaded > 0 and not exists
                (select 1 from episodes e where e.source_id = f.source_id)
              and not exists (select 1 from appearances a where a.source_id = f.source_id)
        """).fetchone()
        assert missing == (0,)
        # The log names only snapshots readers got: the newest row is the served snapshot,
        # even when a publish was killed after copying and before flipping CURRENT.
        newest = con.execute(
            "select snapshot from refresh_log order by finished_at desc limit 1"
        ).fetchone()
    served = read_pointer(state / "warehouse" / "snapshots")
    assert (newest[0] if newest else None) == served


def refresh_process(state: Path) -> subprocess.Popen:
    env = dict(os.environ, PAA_STATE_DIR=str(state), PAA_SOURCES=str(FOUNDATION_SOURCES))
    return subprocess.Popen(
        [sys.executable, "-m", "paa", "refresh"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_kill_9_anywhere_then_recover(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAA_SOURCES", str(FOUNDATION_SOURCES))
    reference = tmp_path / "reference"
    monkeypatch.setenv("PAA_STATE_DIR", str(reference))
    run_refresh()
    expected = export(reference, monkeypatch)

    # How long a whole refresh takes here, start-up included, so the kills below fall at the
    # same points of the work on a fast machine or a slow one.
    start = time.monotonic()
    assert refresh_process(tmp_path / "timing").wait(timeout=300) == 0
    duration = time.monotonic() - start

    killed = 0
    # Before, during and after loading, during the transform, the snapshot copy and the flip.
    for i, fraction in enumerate([0.15, 0.3, 0.45, 0.6, 0.7, 0.8, 0.88, 0.95]):
        state = tmp_path / f"crashed-{i}"
        proc = refresh_process(state)
        time.sleep(duration * fraction)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
        check_served_snapshot(state)
        check_working_database(state, monkeypatch)
        # The next refresh completes the work: same tables as an uninterrupted run.
        monkeypatch.setenv("PAA_STATE_DIR", str(state))
        run_refresh()
        check_served_snapshot(state)
        check_working_database(state, monkeypatch)
        assert export(state, monkeypatch) == expected, f"after a kill at {fraction:.0%}"
    assert killed >= 6  # the kills really interrupted runs
