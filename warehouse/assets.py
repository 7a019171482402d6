"""The Airflow Asset the ingest DAG updates and the publish DAG is scheduled on.

One definition for both DAG files, so the data-aware link between them cannot drift.
"""

from __future__ import annotations

from airflow.sdk import Asset

from config import settings

WAREHOUSE = Asset(name="appearance_warehouse", uri=settings().warehouse_path.as_uri())
