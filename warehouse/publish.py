"""Publication of immutable snapshots, and how readers find the current one.

A refresh writes the working file; publishing copies the whole database into a new snapshot
file, then replaces the CURRENT pointer with os.replace (atomic on POSIX). Readers open the file
CURRENT names, read-only. So a reader sees the old snapshot or the new one, never half of a
refresh, and never holds a lock on the working file. Old snapshots are unlinked once more than
`keep` newer ones exist: a reader that still has one open keeps reading it (POSIX keeps an
unlinked file alive until its last descriptor closes), so removal never breaks a reader.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from config import settings
from warehouse.db import NoSnapshot

SNAPSHOT_GLOB = "snap-*.duckdb"


@dataclass(frozen=True)
class Published:
    snapshot: Path
    refresh_id: str
    finished_at: datetime


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def publish(
    con: duckdb.DuckDBPyConnection,
    *,
    refresh_id: str,
    started_at: datetime,
    n_sources: int,
    n_loaded: int,
    n_rejected: int,
    snapshot_dir: Path | None = None,
    keep: int | None = None,
    log_rows: Callable[[str, str], None] | None = None,
) -> Published:
    """Copy the working database to a new snapshot and point CURRENT at it.

    The publication's own log rows (refresh_log, and whatever `log_rows(database, name)`
    writes, e.g. the run log) go into the snapshot before the flip and into the working
    database only after it: a publish killed half-way leaves no row claiming a snapshot that
    readers never got, and the next publish simply makes a new one."""
    cfg = settings()
    directory = snapshot_dir or cfg.snapshot_dir
    directory.mkdir(parents=True, exist_ok=True)
    finished = datetime.now(UTC).replace(tzinfo=None)
    name = f"snap-{finished:%Y%m%dT%H%M%S%f}.duckdb"
    row = [
        refresh_id,
        started_at.replace(tzinfo=None),
        finished,
        n_sources,
        n_loaded,
        n_rejected,
        name,
    ]

    def log(database: str) -> None:
        con.execute(
            f"""
            insert into "{database}".refresh_log values (?, ?, ?, ?, ?, ?, ?)
            on conflict (refresh_id) do update set
                finished_at = excluded.finished_at, n_sources = excluded.n_sources,
                n_loaded = excluded.n_loaded, n_rejected = excluded.n_rejected,
                snapshot = excluded.snapshot
            """,
            row,
        )
        if log_rows is not None:
            log_rows(database, name)

    con.execute("checkpoint")
    tmp = directory / (name + ".tmp")
    tmp.unlink(missing_ok=True)
    source_db = con.execute("select current_database()").fetchone()[0]  # type: ignore[index]
    con.execute(f"attach '{tmp}' as publish_target")
    try:
        con.execute(f'copy from database "{source_db}" to publish_target')
        log("publish_target")
    finally:
        con.execute("detach publish_target")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    final = directory / name
    os.replace(tmp, final)
    _write_atomic(directory / "CURRENT", name + "\n")
    log(source_db)
    con.execute("checkpoint")
    prune(directory, keep or cfg.keep_snapshots)
    return Published(final, refresh_id, finished)


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` snapshots (never the current one) and stale temp files."""
    current = read_pointer(directory)
    snaps = sorted(directory.glob(SNAPSHOT_GLOB))
    removed = []
    for path in snaps[: max(0, len(snaps) - keep)]:
        if path.name != current:
            path.unlink(missing_ok=True)
            removed.append(path)
    for tmp in directory.glob("snap-*.duckdb.tmp"):
        tmp.unlink(missing_ok=True)
    return removed


def read_pointer(directory: Path) -> str | None:
    try:
        name = (directory / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def current_snapshot(directory: Path | None = None) -> Path:
    """The published snapshot readers should open."""
    directory = directory or settings().snapshot_dir
    name = read_pointer(directory)
    if name is None:
        raise NoSnapshot(
            f"no published data yet in {directory}; run `make run` or "
            "`python -m paa refresh` to load and publish the sources"
        )
    return directory / name
