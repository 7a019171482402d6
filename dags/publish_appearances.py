"""Airflow DAG: rebuild the marts and publish a new snapshot for readers.

Scheduled on the warehouse Asset (data-aware scheduling): it runs after an ingest run that
loaded something, never on a timer, so readers get new data soon after it lands and no work is
done when nothing changed.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from warehouse.assets import WAREHOUSE


def _record_failure(context) -> None:
    from warehouse.refresh import record_failure

    record_failure(context)


@dag(
    dag_id="publish_appearances",
    schedule=[WAREHOUSE],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # one writer
    max_active_tasks=1,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
        "on_failure_callback": _record_failure,
    },
    tags=["appearances", "refresh"],
    doc_md=__doc__,
)
def publish_appearances():
    """Rebuild every mart from the core tables, then publish a snapshot (CURRENT flips
    atomically; readers switch on their next query)."""

    @task
    def transform() -> dict:
        from warehouse.refresh import step_transform

        return step_transform()

    @task
    def publish(marts: dict, run_id=None, dag_run=None) -> dict:
        from warehouse.refresh import step_publish

        return step_publish(run_id, dag_run.start_date)

    publish(transform())


publish_appearances()
