"""/api/status: what the dashboard is serving, as JSON, for monitoring and for checking that
readers always see one whole snapshot (the totals of the core tables and of the marts come
from one query on one snapshot, so they must agree)."""

from __future__ import annotations

from flask import Flask, jsonify

from dashboard import queries
from ingest.errors import PaaError

STATUS_SQL = """
select
    (select snapshot from refresh_log order by finished_at desc limit 1) as snapshot,
    (select max(finished_at) from refresh_log) as data_as_of,
    (select count(*) from (select distinct speaker_id, episode_id from appearances
                           where source <> 'title')) as appearances,
    (select coalesce(sum(n_appearances), 0)::bigint from mart_speaker_stats) as mart_appearances,
    (select count(*) from segments) as quotes,
    (select coalesce(sum(n_quotes), 0)::bigint from mart_speaker_stats) as mart_quotes,
    (select count(*) from source_files) as source_files
"""


def status() -> dict:
    frame = queries.query(STATUS_SQL)
    row = frame.row(0, named=True)
    row["data_as_of"] = row["data_as_of"].isoformat() if row["data_as_of"] else None
    return row


def register(server: Flask) -> None:
    def view():
        try:
            return jsonify(status())
        except PaaError as exc:  # nothing published yet: say so, no traceback
            return jsonify({"error": str(exc)}), 503

    server.add_url_rule("/api/status", "paa_status", view)
