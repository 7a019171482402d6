"""Read-only ad hoc SQL against the published snapshot, for the CLI and the dashboard.

The connection is read-only with external access, extension loading and configuration changes
locked (the settings that held in STACK.md's measurements). On top of that: one statement per
request, a time limit enforced by interrupting the query from a timer thread, and a row cap.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from config import settings
from ingest.errors import PaaError
from warehouse.db import connect_reader
from warehouse.publish import current_snapshot


class QueryError(PaaError):
    """The query was refused or failed; the message is safe to show to the user."""


@dataclass(frozen=True)
class QueryResult:
    frame: pl.DataFrame
    truncated: bool  # more rows existed than the cap
    snapshot: str


def single_statement(sql: str) -> str:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"SQL syntax error: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise QueryError(f"send exactly one SQL statement; found {len(statements)}")
    return sql


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def run_query(
    sql: str,
    *,
    snapshot: Path | None = None,
    timeout_s: float | None = None,
    row_cap: int | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> QueryResult:
    cfg = settings()
    timeout_s = cfg.sql_timeout_s if timeout_s is None else timeout_s
    row_cap = cfg.sql_row_cap if row_cap is None else row_cap
    single_statement(sql)
    path = snapshot or current_snapshot()
    own = con is None
    connection = con or connect_reader(path)
    cursor = connection.cursor()
    timer = threading.Timer(timeout_s, cursor.interrupt)
    timer.start()
    try:
        result = cursor.execute(sql)
        if result.description is None:
            frame = pl.DataFrame()
            truncated = False
        else:
            columns = [d[0] for d in result.description]
            rows = result.fetchmany(row_cap + 1)
            truncated = len(rows) > row_cap
            rows = rows[:row_cap]
            frame = pl.DataFrame(
                rows, schema=_unique(columns), orient="row", infer_schema_length=None
            )
    except duckdb.InterruptException:
        raise QueryError(f"query stopped: it ran longer than the {timeout_s:g} s limit") from None
    except duckdb.Error as exc:
        raise QueryError(_first_line(exc)) from None
    finally:
        timer.cancel()
        cursor.close()
        if own:
            connection.close()
    return QueryResult(frame, truncated, path.name)


def _unique(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        n = seen.get(c, 0)
        seen[c] = n + 1
        out.append(c if n == 0 else f"{c}_{n}")
    return out
