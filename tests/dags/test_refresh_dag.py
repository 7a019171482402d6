"""The refresh DAG: it parses cleanly, is configured as documented, and a real run lands data.

The run uses dag.test() in-process against the session's temporary AIRFLOW_HOME (a migrated
SQLite metadata DB) and a fresh warehouse; the assertions read what landed in DuckDB.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from warehouse.db import connect_reader

pytestmark = pytest.mark.airflow


@pytest.fixture(scope="module")
def airflow_db() -> None:
    from airflow.utils import db

    db.initdb()


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO / "dags"))


def test_dag_files_import_without_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert "refresh_appearances" in dagbag.dag_ids


def test_list_import_errors_cli_reports_none(airflow_db) -> None:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "airflow"), "dags", "list-import-errors", "--local"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dag_is_scheduled_single_writer_with_retries(dagbag) -> None:
    dag = dagbag.get_dag("refresh_appearances")
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert [t.task_id for t in dag.topological_sort()] == [
        "discover",
        "ingest",
        "transform",
        "publish",
    ]
    for t in dag.tasks:
        assert t.retries == 2


def test_dag_run_lands_sample_in_duckdb(airflow_db, dagbag, foundation_sources: Path) -> None:
    state_dir = foundation_sources
    from airflow.utils.state import DagRunState

    dag = dagbag.get_dag("refresh_appearances")
    run = dag.test()
    assert run.state == DagRunState.SUCCESS

    pointer = state_dir / "warehouse" / "snapshots" / "CURRENT"
    snapshot = pointer.parent / pointer.read_text().strip()
    con = connect_reader(Path(str(snapshot)))
    try:
        files = con.execute(
            "select source_name, n_loaded, n_rejected from source_files order by source_name"
        ).fetchall()
        assert files == [
            ("daily_show_guests", 2663, 30),
            ("jupiter_broadcasting", 4563, 0),
            ("seed_speaker_pages", 20, 0),
            ("this_american_life", 259, 0),
        ]
        (sam,) = con.execute(
            "select n_appearances, n_quotes from mart_speaker_stats "
            "where display_name = 'Sam Marks'"
        ).fetchall()
        assert sam == (1, 20)
        (log,) = con.execute("select refresh_id, n_sources, n_loaded from refresh_log").fetchall()
        assert log[0] == run.run_id and log[1] == 4 and log[2] == 7505
    finally:
        con.close()

    # A second run finds nothing new: no file is ingested twice, counts are unchanged.
    run2 = dag.test()
    assert run2.state == DagRunState.SUCCESS
    snapshot2 = pointer.parent / pointer.read_text().strip()
    assert snapshot2 != snapshot
    con = connect_reader(Path(str(snapshot2)))
    try:
        assert con.execute("select count(*) from source_files").fetchone() == (4,)
        assert con.execute("select count(*) from appearances").fetchone() == (7203,)
        assert con.execute(
            "select n_sources from refresh_log where refresh_id = ?", [run2.run_id]
        ).fetchone() == (0,)
    finally:
        con.close()
