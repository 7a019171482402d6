"""Airflow DAG: refresh the appearance warehouse from the configured sources.

Kept thin on purpose: the DAG processor parses this file often, so it imports only Airflow and
the tiny config module; every task imports the real code when it runs.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from config import settings

DEFAULT_ARGS = {
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
}


@dag(
    dag_id="refresh_appearances",
    schedule=settings().refresh_schedule,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # DuckDB allows one writer: never two refreshes at once
    max_active_tasks=1,
    default_args=DEFAULT_ARGS,
    tags=["appearances", "refresh"],
    doc_md=__doc__,
)
def refresh_appearances():
    """Discover new source files, ingest them, rebuild the marts, publish a snapshot.

    Source files are listed in sources.toml; a file whose content hash is already in
    `source_files` is skipped, so a run with nothing new only rebuilds and republishes.
    Readers (dashboard, SQL) switch to the new snapshot when `publish` finishes.
    """

    @task
    def discover() -> list[dict]:
        from warehouse.refresh import step_discover

        return step_discover()

    @task
    def ingest(pending: list[dict], dag_run=None) -> dict:
        from warehouse.refresh import step_ingest

        summary = step_ingest(pending, now=dag_run.start_date if dag_run else None)
        print(
            f"{summary['loaded_files']} file(s) loaded, {summary['unreadable_files']} unreadable; "
            f"{summary['loaded']} record(s) loaded, {summary['rejected']} rejected "
            f"{summary['rejects_by_reason']}"
        )
        return summary

    @task
    def transform(summary: dict) -> dict:
        from warehouse.refresh import step_transform

        return step_transform()

    @task
    def publish(summary: dict, marts: dict, run_id=None, dag_run=None) -> dict:
        from warehouse.refresh import step_publish

        return step_publish(run_id, dag_run.start_date, summary)

    summary = ingest(discover())
    publish(summary, transform(summary))


refresh_appearances()
