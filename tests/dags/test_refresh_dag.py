"""The refresh DAGs: they parse cleanly, are configured as documented, and real runs land data.

Runs use dag.test() in-process against the session's temporary AIRFLOW_HOME (a migrated SQLite
metadata DB) and a fresh warehouse; the assertions read what landed in DuckDB. dag.test() runs
one DAG; the Asset that links them is checked on the DAG objects, and the publish DAG is then
run as the scheduler would after an ingest that changed something.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import REPO
from warehouse.db import connect_reader, connect_writer

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
    assert set(dagbag.dag_ids) == {"ingest_appearances", "publish_appearances"}


def test_list_import_errors_cli_reports_none(airflow_db) -> None:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "airflow"), "dags", "list-import-errors", "--local"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dags_single_writer_retries_failure_callback_and_asset_link(dagbag) -> None:
    ingest = dagbag.get_dag("ingest_appearances")
    publish = dagbag.get_dag("publish_appearances")
    for dag in (ingest, publish):
        assert dag.max_active_runs == 1 and dag.catchup is False
        for t in dag.tasks:
            assert t.retries == 2
            assert t.on_failure_callback
    assert [t.task_id for t in ingest.topological_sort()] == [
        "discover",
        "ingest",
        "anything_new",
        "announce",
    ]
    # The ingest DAG's last task updates the Asset the publish DAG is scheduled on.
    (outlet,) = ingest.get_task("announce").outlets
    assert outlet.name == "appearance_warehouse"
    scheduled_on = [a.name for a in publish.timetable.asset_condition.objects]
    assert scheduled_on == ["appearance_warehouse"]


def rows(snapshot: Path, sql: str) -> list[tuple]:
    con = connect_reader(snapshot)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_ingest_then_publish_land_the_sample(airflow_db, dagbag, foundation_sources: Path) -> None:
    from airflow.utils.state import DagRunState, TaskInstanceState

    ingest = dagbag.get_dag("ingest_appearances")
    publish = dagbag.get_dag("publish_appearances")

    first = ingest.test()
    assert first.state == DagRunState.SUCCESS
    states = {ti.task_id: ti.state for ti in first.get_task_instances()}
    assert states["announce"] == TaskInstanceState.SUCCESS  # something new: the Asset updates

    run = publish.test()
    assert run.state == DagRunState.SUCCESS
    pointer = foundation_sources / "warehouse" / "snapshots" / "CURRENT"
    snapshot = pointer.parent / pointer.read_text().strip()
    assert rows(
        snapshot, "select source_name, n_loaded, n_rejected from source_files order by source_name"
    ) == [
        ("daily_show_guests", 2663, 30),
        ("jupiter_broadcasting", 4563, 0),
        ("seed_speaker_pages", 20, 0),
        ("this_american_life", 259, 0),
    ]
    assert rows(
        snapshot,
        "select n_appearances, n_quotes from mart_speaker_stats where display_name = 'Sam Marks'",
    ) == [(1, 20)]
    log = rows(
        snapshot,
        "select step, status, n_changed, n_loaded, n_rejected, "
        "rejects_by_reason from refresh_runs order by finished_at",
    )
    assert [r[:5] for r in log] == [
        ("ingest", "success", 4, 7505, 30),
        ("publish", "success", 4, 7505, 30),
    ]
    assert json.loads(log[0][5]) == {"not a guest appearance": 27, "not a person": 3}

    # Nothing new: the ingest run ends at the short-circuit, the Asset is not updated.
    again = ingest.test()
    assert again.state == DagRunState.SUCCESS
    states = {ti.task_id: ti.state for ti in again.get_task_instances()}
    assert states["anything_new"] == TaskInstanceState.SUCCESS
    assert states["announce"] == TaskInstanceState.SKIPPED
    with connect_writer() as con:
        assert con.execute("select count(*) from source_files").fetchone() == (4,)
        assert con.execute(
            "select status, n_changed from refresh_runs where run_id = ?", [again.run_id]
        ).fetchall() == [("nothing new", 0)]


def test_failure_callback_records_what_failed(foundation_sources: Path) -> None:
    from warehouse.refresh import record_failure

    context = {
        "task_instance": SimpleNamespace(
            task_id="ingest", task=SimpleNamespace(dag_id="ingest_appearances")
        ),
        "dag_run": SimpleNamespace(run_id="manual__x", start_date=None),
        "exception": ValueError("sources.toml: not valid TOML"),
    }
    record_failure(context)
    with connect_writer() as con:
        assert con.execute("select step, status, error from refresh_runs").fetchall() == [
            (
                "ingest_appearances.ingest",
                "failed",
                "ingest: ValueError: sources.toml: not valid TOML",
            )
        ]
