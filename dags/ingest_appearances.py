"""Airflow DAG: ingest new podcast appearance sources into the working warehouse.

Kept thin on purpose: the DAG processor parses this file often, so it imports only Airflow and
the tiny config module; every task imports the real code when it runs.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from config import settings
from warehouse.assets import WAREHOUSE


def _record_failure(context) -> None:
    from warehouse.refresh import record_failure

    record_failure(context)


DEFAULT_ARGS = {
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
    "on_failure_callback": _record_failure,
}


@dag(
    dag_id="ingest_appearances",
    schedule=settings().refresh_schedule,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # DuckDB allows one writer: never two ingests at once
    max_active_tasks=1,
    default_args=DEFAULT_ARGS,
    tags=["appearances", "refresh"],
    doc_md=__doc__,
)
def ingest_appearances():
    """Discover sources whose content is new (files by content hash, feed URLs by conditional
    GET), ingest them, and - only if something changed - update the warehouse Asset, which
    schedules `publish_appearances`. A run with nothing new ends there, cheaply.
    """

    @task
    def discover() -> list[dict]:
        from warehouse.refresh import step_discover

        return step_discover()

    @task
    def ingest(pending: list[dict], run_id=None, dag_run=None) -> dict:
        from warehouse.refresh import step_ingest

        start = dag_run.start_date if dag_run else None
        summary = step_ingest(pending, now=start, run_id=run_id, started_at=start)
        print(
            f"{summary['loaded_files']} file(s) loaded, {summary['unreadable_files']} unreadable, "
            f"{summary['unreachable_urls']} unreachable; {summary['loaded']} record(s) loaded, "
            f"{summary['rejected']} rejected {summary['rejects_by_reason']}"
        )
        summary.pop("file_results", None)
        return summary

    @task.short_circuit
    def anything_new(summary: dict) -> bool:
        return bool(summary.get("changed"))

    @task(outlets=[WAREHOUSE])
    def announce(summary: dict) -> dict:
        """Its success is the Asset event that schedules the publish DAG."""
        return {k: summary[k] for k in ("loaded_files", "loaded", "rejected")}

    summary = ingest(discover())
    anything_new(summary) >> announce(summary)


ingest_appearances()
