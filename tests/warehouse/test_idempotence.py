"""Ingesting the same sources again leaves every table byte-identical."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import connect_writer
from warehouse.refresh import run_refresh

LOGS = ("refresh_log", "refresh_runs")  # run logs: every run adds its own row, by design


def export_tables(out: Path) -> dict[str, bytes]:
    """Every table as CSV bytes in a fixed order (DuckDB's own COPY, not our code)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    with connect_writer() as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database() "
                "order by 1"
            ).fetchall()
            if t not in LOGS
        ]
        for table in tables:
            target = out / f"{table}.csv"
            con.execute(f"copy (select * from {table} order by all) to '{target}' (header)")
            files[table] = target.read_bytes()
    return files


def test_three_ingests_give_byte_identical_tables(foundation_sources: Path, tmp_path: Path) -> None:
    exports = []
    for i in range(3):
        run_refresh()
        exports.append(export_tables(tmp_path / f"export-{i}"))
    assert exports[0].keys() == exports[1].keys() == exports[2].keys()
    assert len(exports[0]) >= 20
    for table in exports[0]:
        assert exports[0][table] == exports[1][table] == exports[2][table], table
    # And the data is really there.
    assert exports[0]["appearances"].count(b"\n") == 7203 + 1

