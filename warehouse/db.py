"""Connections to the working warehouse (one writer) and to published snapshots (readers).

DuckDB lets one process write a file, and a process holding it even read-only blocks that writer.
So writers take an exclusive file lock first (a second refresh waits or fails with a message
instead of a DuckDB lock error), and readers never open the working file at all: they open the
immutable snapshot named by the CURRENT pointer (see warehouse/publish.py).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from config import settings
from ingest.errors import PaaError

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"

# Settings that make a connection safe for ad hoc SQL: no files, no network, no extensions,
# and no way to change these settings back (measured in STACK.md).
LOCKDOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


class WarehouseBusy(PaaError):
    """Another process is writing the warehouse."""


class NoSnapshot(PaaError):
    """Nothing has been published yet."""


def schema_files() -> list[Path]:
    return sorted(SCHEMA_DIR.glob("*.sql"))


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Run every schema file in order; each statement is idempotent."""
    for path in schema_files():
        con.execute(path.read_text(encoding="utf-8"))


@contextmanager
def writer_lock(path: Path | None = None, wait_s: float = 600.0) -> Iterator[None]:
    """Exclusive lock held for the whole of a write; waits up to wait_s for the current
    holder (a refresh in Airflow, an ingest from the CLI) to finish."""
    target = (path or settings().warehouse_path).with_suffix(".lock")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "a+") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise WarehouseBusy(
                        f"another process ({holder}) is writing {target.with_suffix('.duckdb')}; "
                        "try again when its refresh has finished"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def connect_writer(
    path: Path | None = None, wait_s: float = 600.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working database, schema applied, under the writer lock."""
    target = path or settings().warehouse_path
    target.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(target, wait_s=wait_s):
        con = duckdb.connect(str(target))
        try:
            apply_schema(con)
            yield con
        finally:
            con.close()


def connect_reader(snapshot: Path) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down connection to one immutable snapshot file."""
    return duckdb.connect(str(snapshot), read_only=True, config=dict(LOCKDOWN))
