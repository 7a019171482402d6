"""The refresh run log: one row per run of a refresh step, so "what did the last runs do, and
did one fail?" is a query (and a dashboard panel), not a search through Airflow's logs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb


def _utc(value: datetime | None) -> datetime:
    value = value or datetime.now(UTC)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def record_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    step: str,
    started_at: datetime | None,
    status: str,
    summary: dict | None = None,
    snapshot: str | None = None,
    error: str | None = None,
    database: str | None = None,
) -> None:
    """Write (or, for a retried step, replace) the row of one run's step, in the working
    database or in another attached one (a snapshot being published)."""
    s = summary or {}
    table = f'"{database}".refresh_runs' if database else "refresh_runs"
    con.execute(
        f"""
        insert into {table} values ($run_id, $step, $started, $finished, $status, $sources,
            $changed, $loaded, $rejected, $reasons, $snapshot, $error)
        on conflict (run_id, step) do update set
            finished_at = excluded.finished_at, status = excluded.status,
            n_sources = excluded.n_sources, n_changed = excluded.n_changed,
            n_loaded = excluded.n_loaded, n_rejected = excluded.n_rejected,
            rejects_by_reason = excluded.rejects_by_reason, snapshot = excluded.snapshot,
            error = excluded.error
        """,
        {
            "run_id": run_id,
            "step": step,
            "started": _utc(started_at),
            "finished": _utc(None),
            "status": status,
            "sources": int(s.get("files", 0)),
            "changed": int(s.get("loaded_files", 0)) + int(s.get("unreadable_files", 0)),
            "loaded": int(s.get("loaded", 0)),
            "rejected": int(s.get("rejected", 0)),
            "reasons": json.dumps(s.get("rejects_by_reason", {}), sort_keys=True),
            "snapshot": snapshot,
            "error": error,
        },
    )
