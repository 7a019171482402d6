"""Measure the two serving designs of DESIGN.md "Refresh and serving" on one synthetic corpus.

(a) snapshot files: one writer keeps a working DuckDB file; publishing copies the whole database
    into a new snapshot file (COPY FROM DATABASE), fsyncs it and flips a CURRENT pointer with
    os.replace; readers open the snapshot read-only (mirrors warehouse/publish.py).
(b) DuckLake with a SQLite catalog over Parquet files: the writer commits a refresh as one
    DuckLake snapshot; readers attach the lake READ_ONLY and always see a committed snapshot.

The choice turns on three things the design doc names: what a refresh costs (a rewrites every
byte on each publish, b writes only what is new), what a page costs a reader (a reads DuckDB's
own format, b reads Parquet through a catalog), and whether readers stay correct and unblocked
while the writer works. So the script times exactly those, in separate processes where the
real service would use separate processes, and writes every figure to
bench/results/serving_design.json.

    .venv/bin/python bench/serving_design.py               # 1,000,000 quotes
    .venv/bin/python bench/serving_design.py --quotes 50000  # smoke run, well under a minute

Everything is written under a TemporaryDirectory (about 1.5 GB at 1M quotes); extensions are
LOADed by absolute path from their PyPI packages, never INSTALLed, so the run is offline.
"""

from __future__ import annotations

import argparse
import binascii
import hashlib
import importlib.util
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa

REPO = Path(__file__).resolve().parents[1]
SCHEMA_DIR = REPO / "warehouse" / "schema"
RESULTS = REPO / "bench" / "results" / "serving_design.json"

CORE_TABLES = ("shows", "episodes", "speakers", "appearances", "segments")
MARTS = ("mart_speaker_stats", "mart_speaker_monthly")
DESIGN_A = "a_snapshot_files"
DESIGN_B = "b_ducklake_sqlite"

# The reader lockdown the service uses (warehouse/db.py LOCKDOWN); measured with it on, since
# it is what production readers pay.
LOCKDOWN: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}

# --------------------------------------------------------------------------------------------
# SQL: marts (recomputed whole, as the refresh does) and the dashboard's speaker page / search.
# The mart SQL follows transforms/speakers.py: an appearance is a distinct (speaker, episode).

MART_SQL = {
    "mart_speaker_stats": """
        with speaker_episodes as (select distinct speaker_id, episode_id from appearances),
        per_episode as (
            select se.speaker_id, e.show_id, e.published_at
            from speaker_episodes se left join episodes e using (episode_id)),
        counts as (
            select speaker_id, count(*) as n_appearances, count(distinct show_id) as n_shows,
                   min(published_at) as first_appearance, max(published_at) as last_appearance
            from per_episode group by speaker_id),
        roles as (
            select speaker_id,
                   array_to_string(list_sort(list_distinct(list(role))), ', ') as roles
            from appearances group by speaker_id),
        quotes as (select speaker_id, count(*) as n_quotes from segments group by speaker_id),
        final as (
            select s.speaker_id, s.display_name,
                   coalesce(c.n_appearances, 0) as n_appearances,
                   coalesce(q.n_quotes, 0) as n_quotes,
                   coalesce(c.n_shows, 0) as n_shows,
                   r.roles, c.first_appearance, c.last_appearance
            from speakers s
            left join counts c using (speaker_id)
            left join quotes q using (speaker_id)
            left join roles r using (speaker_id))
        select * from final
    """,
    "mart_speaker_monthly": """
        with dated as (
            select episode_id, cast(date_trunc('month', published_at) as date) as month_start
            from episodes where published_at is not null),
        apps as (
            select se.speaker_id, d.month_start, count(*) as n_appearances
            from (select distinct speaker_id, episode_id from appearances) se
            join dated d using (episode_id) group by all),
        quotes as (
            select s.speaker_id, d.month_start, count(*) as n_quotes
            from segments s join dated d using (episode_id) group by all),
        final as (
            select speaker_id, month_start,
                   coalesce(a.n_appearances, 0) as n_appearances,
                   coalesce(q.n_quotes, 0) as n_quotes
            from apps a full join quotes q using (speaker_id, month_start))
        select * from final
    """,
}

# The four reads of dashboard/pages/speaker.py, as in dashboard/queries.py.
SQL_PROFILE = """
    select s.speaker_id, s.display_name, s.href,
           coalesce(m.n_appearances, 0) as n_appearances, coalesce(m.n_quotes, 0) as n_quotes,
           coalesce(m.n_shows, 0) as n_shows, m.roles, m.first_appearance, m.last_appearance
    from speakers s left join mart_speaker_stats m using (speaker_id)
    where s.speaker_id = ?
"""
SQL_MONTHLY = """
    select month_start, n_appearances, n_quotes from mart_speaker_monthly
    where speaker_id = ? order by month_start
"""
SQL_APPEARANCES = """
    select e.episode_id, e.title as episode_title, e.published_at,
           e.show_id, sh.title as show_title,
           array_to_string(list_sort(list_distinct(list(a.role))), ', ') as roles
    from appearances a
    join episodes e using (episode_id)
    join shows sh on sh.show_id = e.show_id
    where a.speaker_id = ?
    group by e.episode_id, e.title, e.published_at, e.show_id, sh.title
    order by e.published_at desc nulls last, e.title nulls last, e.episode_id
    limit 10 offset 0
"""
SQL_QUOTES = """
    select episode_id, segment_id, start_ms, section, text from segments
    where speaker_id = ? and list_contains(?::varchar[], episode_id)
    order by episode_id, start_ms nulls last, text, segment_id
"""
SQL_SEARCH = """
    select segment_id, speaker_id, episode_id, start_ms, text from segments
    where text ilike ? limit 50
"""
SQL_SEARCH_COUNT = "select count(*) as n from segments where text ilike ?"
# One statement, so one snapshot: equal numbers mean the reader saw a whole refresh or none.
SQL_CONSISTENT = """
    select (select count(*) from segments) as n_segments,
           (select sum(n_quotes) from mart_speaker_stats) as n_mart_quotes
"""


# --------------------------------------------------------------------------------------------
# Paths and connections


@dataclass(frozen=True)
class Paths:
    """Where one run keeps its files; passed to child processes, so plain paths only."""

    root: Path

    @property
    def inputs(self) -> Path:
        return self.root / "input"

    @property
    def working(self) -> Path:
        return self.root / "a" / "working.duckdb"

    @property
    def snapshots(self) -> Path:
        return self.root / "a" / "snapshots"

    @property
    def lake(self) -> Path:
        return self.root / "b"

    @property
    def catalog(self) -> Path:
        return self.lake / "catalog.sqlite"

    @property
    def lake_data(self) -> Path:
        return self.lake / "data"


def extension_path(package: str, name: str) -> Path:
    """The .duckdb_extension file a PyPI extension package ships for this duckdb version."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{package} is not installed in this venv")
    base = Path(next(iter(spec.submodule_search_locations)))
    path = base / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.exists():
        raise SystemExit(f"missing {path}")
    return path


def load_lake_extensions(con: duckdb.DuckDBPyConnection) -> None:
    """LOAD by path (offline); INSTALL would need the network."""
    con.execute(f"load '{extension_path('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
    con.execute(f"load '{extension_path('duckdb_extension_ducklake', 'ducklake')}'")


def open_lake_writer(paths: Paths) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
    con.execute("set enable_progress_bar = false")  # children share the log
    load_lake_extensions(con)
    con.execute(
        f"attach 'ducklake:sqlite:{paths.catalog}' as lake (data_path '{paths.lake_data}/')"
    )
    con.execute("use lake")
    return con


def read_pointer(snapshots: Path) -> str:
    return (snapshots / "CURRENT").read_text(encoding="utf-8").strip()


def open_reader(design: str, paths: Paths) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A dashboard-like reader: read-only and locked down. Returns (connection, what it opened)."""
    if design == DESIGN_A:
        name = read_pointer(paths.snapshots)
        con = duckdb.connect(str(paths.snapshots / name), read_only=True, config=dict(LOCKDOWN))
        return con, name
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    load_lake_extensions(con)
    con.execute(f"attach 'ducklake:sqlite:{paths.catalog}' as lake (read_only)")
    con.execute("use lake")
    # STACK.md: allowed_directories must be set after start, then the rest of the lockdown.
    con.execute(f"set allowed_directories=['{paths.lake}/']")
    con.execute("set enable_external_access=false")
    con.execute("set lock_configuration=true")
    return con, "lake"


def lake_snapshot_id(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("select id from lake.current_snapshot()").fetchone()
    assert row is not None
    return int(row[0])


# --------------------------------------------------------------------------------------------
# Synthetic corpus (numpy + polars, seeded). Ids are random hex of the service's id shapes.

BASE_DAY = datetime(2015, 1, 5)  # a Monday; ~10 years of weekly episodes follow
SEARCH_PAIRS = 16


def hex_strings(rng: np.random.Generator, n: int, nbytes: int) -> np.ndarray:
    """n random lowercase hex strings of 2*nbytes characters, without a Python loop."""
    raw = binascii.hexlify(rng.bytes(n * nbytes))
    return np.frombuffer(raw, dtype=f"S{2 * nbytes}").astype(f"U{2 * nbytes}")


def make_vocabulary(rng: np.random.Generator, size: int = 2000) -> list[str]:
    """Pronounceable pseudo-words of 2-9 letters, so ILIKE patterns behave like on prose
    (short words also match inside longer ones)."""
    consonants = list("bcdfghjklmnprstvwz")
    vowels = list("aeiou")
    words: set[str] = set()
    while len(words) < size:
        n_syll = int(rng.integers(1, 5))
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(n_syll))
        if rng.random() < 0.3:
            word += rng.choice(consonants)
        words.add(word)
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


def zipf_weights(n: int, exponent: float, offset: float) -> np.ndarray:
    weights = 1.0 / np.power(np.arange(n) + offset, exponent)
    return weights / weights.sum()


@dataclass
class Batch:
    """Rows for the five core tables: the initial corpus or one refresh's new data."""

    shows: pl.DataFrame
    episodes: pl.DataFrame
    speakers: pl.DataFrame
    appearances: pl.DataFrame
    segments: pl.DataFrame

    def tables(self) -> dict[str, pl.DataFrame]:
        return {name: getattr(self, name) for name in CORE_TABLES}


def make_shows(
    rng: np.random.Generator, start: int, n: int, source_ids: np.ndarray
) -> pl.DataFrame:
    ids = hex_strings(rng, n, 3)
    num = np.arange(start, start + n)
    return pl.DataFrame({"num": num, "h": ids}).select(
        pl.format("show-{}-{}", "num", "h").alias("show_id"),
        pl.format("https://feeds.example.com/{}-{}.xml", "h", "num").alias("show_key"),
        pl.format("Show {}", "num").alias("title"),
        pl.format("https://feeds.example.com/{}-{}.xml", "h", "num").alias("feed_url"),
        pl.lit(None, pl.String).alias("podcast_guid"),
        pl.Series("source_id", rng.choice(source_ids, n)),
    )


def make_speakers(
    rng: np.random.Generator, start: int, n: int, source_ids: np.ndarray
) -> pl.DataFrame:
    ids = hex_strings(rng, n, 3)
    num = np.arange(start, start + n)
    return pl.DataFrame({"num": num, "h": ids}).select(
        pl.format("speaker-{}-{}", "num", "h").alias("speaker_id"),
        pl.format("Speaker {}", "num").alias("display_name"),
        pl.format("https://people.example.com/{}", "h").alias("href"),
        pl.lit(None, pl.String).alias("image"),
        pl.Series("source_id", rng.choice(source_ids, n)),
    )


def make_episodes(
    rng: np.random.Generator,
    n: int,
    show_ids: np.ndarray,
    weeks: tuple[int, int],
    source_ids: np.ndarray,
) -> pl.DataFrame:
    """Weekly-dated episodes spread over shows; 1% undated, as some sources give no date."""
    week = rng.integers(weeks[0], weeks[1], n)
    minutes = week.astype(np.int64) * 7 * 24 * 60 + rng.integers(0, 7 * 24 * 60, n)
    published = np.datetime64(BASE_DAY, "m") + minutes.astype("timedelta64[m]")
    frame = pl.DataFrame(
        {
            "h": hex_strings(rng, n, 8),
            "show_id": rng.choice(show_ids, n),
            "published_at": published.astype("datetime64[us]"),
            "number": rng.integers(1, 999, n),
            "undated": rng.random(n) < 0.01,
            "source_id": rng.choice(source_ids, n),
        }
    )
    return frame.select(
        pl.format("ep-{}", "h").alias("episode_id"),
        "show_id",
        pl.col("h").alias("episode_key"),
        pl.format("Episode {}", "number").alias("title"),
        pl.col("h").alias("guid"),
        pl.col("number").cast(pl.String).alias("episode_number"),
        pl.format("https://episodes.example.com/{}", "h").alias("url"),
        pl.when(pl.col("undated"))
        .then(None)
        .otherwise(pl.col("published_at"))
        .alias("published_at"),
        "source_id",
    )


def make_appearances(
    rng: np.random.Generator,
    episodes: pl.DataFrame,
    speaker_ids: np.ndarray,
    popularity: np.ndarray,
    source_ids: np.ndarray,
) -> pl.DataFrame:
    """About 2.5 distinct speakers per episode, drawn by Zipf-ish popularity; the first listed
    is the host."""
    per_episode = np.minimum(1 + rng.poisson(1.6, episodes.height), 8)
    episode_idx = np.repeat(np.arange(episodes.height), per_episode)
    speaker_idx = rng.choice(len(speaker_ids), episode_idx.size, p=popularity)
    frame = (
        pl.DataFrame(
            {
                "episode_id": episodes["episode_id"].to_numpy()[episode_idx],
                "speaker_id": speaker_ids[speaker_idx],
                "source_id": rng.choice(source_ids, episode_idx.size),
                "line": rng.integers(1, 400, episode_idx.size),
            }
        )
        .unique(subset=["speaker_id", "episode_id"], maintain_order=True)
        .with_columns(pl.int_range(pl.len()).over("episode_id").alias("pos"))
    )
    return frame.select(
        "speaker_id",
        "episode_id",
        pl.when(pl.col("pos") == 0).then(pl.lit("host")).otherwise(pl.lit("guest")).alias("role"),
        pl.lit("transcript").alias("source"),
        "source_id",
        pl.format("line {}", "line").alias("locator"),
    )


def make_segments(
    rng: np.random.Generator,
    n: int,
    appearances: pl.DataFrame,
    vocabulary: pa.Array,
    word_weights: np.ndarray,
    source_ids: np.ndarray,
) -> pl.DataFrame:
    """n quotes of 12-28 words (about 20), each said by one appearance's speaker in its
    episode, stored in episode then time order as transcripts arrive."""
    pick = rng.integers(0, appearances.height, n)
    lengths = rng.integers(12, 29, n)
    word_idx = rng.choice(len(vocabulary), int(lengths.sum()), p=word_weights)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    words = pa.ListArray.from_arrays(pa.array(offsets), vocabulary.take(pa.array(word_idx)))
    text = pl.Series("text", pl.from_arrow(words)).list.join(" ")
    start_ms = rng.integers(0, 3_600_000, n)
    sections = pl.Series([None, None, None, "Act One", "Act Two", "Prologue"], dtype=pl.String)
    frame = pl.DataFrame(
        {
            "segment_id": hex_strings(rng, n, 16),
            "episode_id": appearances["episode_id"].to_numpy()[pick],
            "speaker_id": appearances["speaker_id"].to_numpy()[pick],
            "start_ms": start_ms,
            "end_ms": start_ms + rng.integers(2_000, 30_000, n),
            "section": sections.gather(rng.integers(0, sections.len(), n)),
            "text": text,
            "source_id": rng.choice(source_ids, n),
            "line": rng.integers(1, 5000, n),
        }
    ).sort("episode_id", "start_ms")
    frame = frame.with_columns(pl.int_range(pl.len()).over("episode_id").alias("seq"))
    # text_hash is md5(text) in the service; DuckDB computes it in one vectorised pass.
    hashed = duckdb.sql("select md5(text) as text_hash from frame").pl()
    return frame.with_columns(hashed["text_hash"]).select(
        "segment_id",
        "episode_id",
        "speaker_id",
        "start_ms",
        "end_ms",
        "section",
        "seq",
        "text",
        "text_hash",
        "source_id",
        pl.format("line {}", "line").alias("locator"),
    )


def generate(n_quotes: int, seed: int) -> tuple[Batch, list[Batch], list[str]]:
    """The initial corpus, two 1% refresh batches (new episodes in the weeks after the corpus,
    with their appearances and quotes, plus 1% new speakers), and search patterns."""
    rng = np.random.default_rng(seed)
    n_shows = max(n_quotes // 500, 10)
    n_episodes = max(n_quotes // 10, 100)
    n_speakers = max(n_quotes // 50, 50)
    source_ids = hex_strings(rng, 200, 32)
    vocab_list = make_vocabulary(rng)
    vocabulary = pa.array(vocab_list)
    word_weights = zipf_weights(len(vocab_list), 1.0, 2.0)

    shows = make_shows(rng, 0, n_shows, source_ids)
    speakers = make_speakers(rng, 0, n_speakers, source_ids)
    popularity = zipf_weights(n_speakers, 1.05, 3.0)
    weeks = 52 * 10
    episodes = make_episodes(rng, n_episodes, shows["show_id"].to_numpy(), (0, weeks), source_ids)
    appearances = make_appearances(
        rng, episodes, speakers["speaker_id"].to_numpy(), popularity, source_ids
    )
    segments = make_segments(rng, n_quotes, appearances, vocabulary, word_weights, source_ids)
    base = Batch(shows, episodes, speakers, appearances, segments)

    deltas: list[Batch] = []
    all_speakers = speakers
    for k in range(2):
        new_speakers = make_speakers(
            rng, all_speakers.height, max(n_speakers // 100, 1), source_ids
        )
        all_speakers = pl.concat([all_speakers, new_speakers])
        pop = zipf_weights(all_speakers.height, 1.05, 3.0)
        new_episodes = make_episodes(
            rng,
            max(n_episodes // 100, 1),
            shows["show_id"].to_numpy(),
            (weeks + 4 * k, weeks + 4 * (k + 1)),
            source_ids,
        )
        new_appearances = make_appearances(
            rng, new_episodes, all_speakers["speaker_id"].to_numpy(), pop, source_ids
        )
        new_segments = make_segments(
            rng, max(n_quotes // 100, 1), new_appearances, vocabulary, word_weights, source_ids
        )
        deltas.append(
            Batch(shows.clear(), new_episodes, new_speakers, new_appearances, new_segments)
        )

    # Mid-frequency word pairs: frequent enough to match, rare enough that LIMIT 50 still scans.
    patterns = [
        f"%{vocab_list[int(i)]}%{vocab_list[int(j)]}%"
        for i, j in zip(
            rng.integers(30, 300, SEARCH_PAIRS), rng.integers(30, 300, SEARCH_PAIRS), strict=True
        )
    ]
    return base, deltas, patterns


# DuckDB type -> (Polars type, value used for a NOT NULL column the generator does not know).
FILL: dict[str, tuple[Any, Any]] = {
    "BIGINT": (pl.Int64, 0),
    "INTEGER": (pl.Int32, 0),
    "DOUBLE": (pl.Float64, 0.0),
    "BOOLEAN": (pl.Boolean, False),
    "VARCHAR": (pl.String, ""),
    "DATE": (pl.Date, date(1970, 1, 1)),
    "TIMESTAMP": (pl.Datetime("us"), datetime(1970, 1, 1)),
}


def schema_columns(schema_sql: list[str]) -> dict[str, list[tuple[str, str, bool]]]:
    """table -> [(column, DuckDB type, nullable)] as the schema files define them now."""
    scratch = duckdb.connect()
    for sql in schema_sql:
        scratch.execute(sql)
    rows = scratch.execute(
        """
        select table_name, column_name, data_type, is_nullable
        from duckdb_columns() where database_name = 'memory' and not internal
          and table_name in (select table_name from duckdb_tables())
        order by table_name, column_index
        """
    ).fetchall()
    scratch.close()
    tables: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, dtype, nullable in rows:
        tables.setdefault(table, []).append((column, dtype, bool(nullable)))
    return tables


def write_batch(
    batch: Batch, folder: Path, columns: dict[str, list[tuple[str, str, bool]]]
) -> list[str]:
    """Write each table as Parquet. The schema is being edited while this benchmark exists, so
    a column the generator does not make is added (null, or a typed zero if NOT NULL) and
    reported, instead of failing the run; returns the added 'table.column' names."""
    folder.mkdir(parents=True, exist_ok=True)
    added: list[str] = []
    for name, frame in batch.tables().items():
        for column, dtype, nullable in columns[name]:
            if column in frame.columns:
                continue
            ptype, zero = FILL.get(dtype, (pl.String, ""))
            frame = frame.with_columns(pl.lit(None if nullable else zero, ptype).alias(column))
            added.append(f"{name}.{column}")
        frame.write_parquet(folder / f"{name}.parquet")
    return added


# --------------------------------------------------------------------------------------------
# Writers: load, refresh, publish


def lap(start: float) -> float:
    return time.perf_counter() - start


def insert_batch(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in CORE_TABLES:
        path = folder / f"{name}.parquet"
        rows = con.execute(f"insert into {name} by name select * from read_parquet('{path}')")
        row = rows.fetchone()
        counts[name] = int(row[0]) if row else 0
    return counts


def recompute_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Replace both marts whole inside the caller's transaction (delete + insert keeps the
    tables, their keys and, in DuckLake, their table ids)."""
    for name, sql in MART_SQL.items():
        con.execute(f"delete from {name}")
        con.execute(f"insert into {name} by name {sql}")


def log_refresh(con: duckdb.DuckDBPyConnection, refresh_id: str, snapshot: str) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute(
        "insert into refresh_log values (?, ?, ?, 1, 0, 0, ?)", [refresh_id, now, now, snapshot]
    )


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(con: duckdb.DuckDBPyConnection, snapshots: Path, name: str) -> dict[str, float]:
    """warehouse/publish.py's steps: checkpoint, COPY FROM DATABASE into a fresh file, fsync,
    rename into place, then replace CURRENT atomically."""
    snapshots.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    con.execute("checkpoint")
    checkpoint_s = lap(t)
    tmp = snapshots / (name + ".tmp")
    source = con.execute("select current_database()").fetchone()
    assert source is not None
    t = time.perf_counter()
    con.execute(f"attach '{tmp}' as publish_target")
    try:
        con.execute(f'copy from database "{source[0]}" to publish_target')
    finally:
        con.execute("detach publish_target")
    copy_s = lap(t)
    t = time.perf_counter()
    fsync_path(tmp)
    os.replace(tmp, snapshots / name)
    pointer_tmp = snapshots / "CURRENT.tmp"
    with open(pointer_tmp, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer_tmp, snapshots / "CURRENT")
    fsync_path(snapshots)
    flip_s = lap(t)
    return {
        "checkpoint_s": checkpoint_s,
        "copy_s": copy_s,
        "fsync_and_flip_s": flip_s,
        "publish_s": checkpoint_s + copy_s + flip_s,
        "published_wall": time.time(),
    }


def schema_ddl(columns: dict[str, list[tuple[str, str, bool]]]) -> list[str]:
    """DuckLake CREATE TABLEs for every table in warehouse/schema: same columns, types and NOT
    NULLs, without PRIMARY KEY/UNIQUE, which DuckLake refuses ("not supported")."""
    return [
        f"create table {table} ("
        + ", ".join(f"{c} {t}" + ("" if nullable else " not null") for c, t, nullable in cols)
        + ")"
        for table, cols in columns.items()
    ]


def build_a(paths: Paths, schema_sql: list[str]) -> dict[str, Any]:
    """Design (a) initial build: schema files, the corpus, marts, then a full publish."""
    paths.working.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    con = duckdb.connect(str(paths.working))
    con.execute("set enable_progress_bar = false")  # children share the log
    for sql in schema_sql:
        con.execute(sql)
    con.execute("begin")
    insert_batch(con, paths.inputs / "base")
    recompute_marts(con)
    log_refresh(con, "initial", "snap-0001.duckdb")
    con.execute("commit")
    con.execute("checkpoint")
    build_s = lap(t0)
    pub = publish(con, paths.snapshots, "snap-0001.duckdb")
    con.close()
    return {
        "build_s": build_s,
        "publish": pub,
        "working_bytes": paths.working.stat().st_size,
        "snapshot_bytes": (paths.snapshots / "snap-0001.duckdb").stat().st_size,
    }


def build_b(paths: Paths, columns: dict[str, list[tuple[str, str, bool]]]) -> dict[str, Any]:
    """Design (b) initial load: create the tables in the lake, insert the corpus, compute the
    marts and commit, all as one DuckLake snapshot."""
    paths.lake_data.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    con = open_lake_writer(paths)
    attach_s = lap(t0)
    con.execute("begin")
    for ddl in schema_ddl(columns):
        con.execute(ddl)
    insert_batch(con, paths.inputs / "base")
    recompute_marts(con)
    log_refresh(con, "initial", "lake")
    con.execute("commit")
    load_s = lap(t0)
    snapshot = lake_snapshot_id(con)
    con.close()
    return {"attach_s": attach_s, "load_s": load_s, "snapshot_id": snapshot, **lake_size(paths)}


def lake_size(paths: Paths) -> dict[str, int]:
    files = [p for p in paths.lake_data.rglob("*") if p.is_file()]
    return {
        "data_bytes": sum(p.stat().st_size for p in files),
        "data_files": len(files),
        "catalog_bytes": paths.catalog.stat().st_size,
    }


def refresh(design: str, paths: Paths, batch: str, snapshot_name: str) -> dict[str, Any]:
    """One 1% refresh, in its own process as the Airflow task would be: insert the batch,
    recompute both marts, commit; for (a) then publish a new snapshot."""
    t0 = time.perf_counter()
    if design == DESIGN_A:
        con = duckdb.connect(str(paths.working))
        con.execute("set enable_progress_bar = false")  # children share the log
    else:
        con = open_lake_writer(paths)
    open_s = lap(t0)
    con.execute("begin")
    t = time.perf_counter()
    counts = insert_batch(con, paths.inputs / batch)
    insert_s = lap(t)
    t = time.perf_counter()
    recompute_marts(con)
    marts_s = lap(t)
    log_refresh(con, batch, snapshot_name)
    t = time.perf_counter()
    con.execute("commit")
    commit_s = lap(t)
    out: dict[str, Any] = {
        "open_s": open_s,
        "insert_s": insert_s,
        "marts_s": marts_s,
        "commit_s": commit_s,
        "committed_wall": time.time(),
        "rows_inserted": counts,
    }
    if design == DESIGN_A:
        out["publish"] = publish(con, paths.snapshots, snapshot_name)
        out["visible_wall"] = out["publish"]["published_wall"]
        out["snapshot_bytes"] = (paths.snapshots / snapshot_name).stat().st_size
    else:
        out["visible_wall"] = out["committed_wall"]
        out["snapshot_id"] = lake_snapshot_id(con)
    con.close()
    out["total_s"] = lap(t0)
    if design == DESIGN_B:
        out.update(lake_size(paths))
    return out


# --------------------------------------------------------------------------------------------
# Readers


def speaker_page(con: duckdb.DuckDBPyConnection, speaker_id: str, *, own_txn: bool = True) -> int:
    """The four queries of one speaker page in one read transaction (so in DuckLake all four see
    one snapshot, as they do in a snapshot file); returns the number of quotes shown."""
    if own_txn:
        con.execute("begin")
    con.execute(SQL_PROFILE, [speaker_id]).pl()
    con.execute(SQL_MONTHLY, [speaker_id]).pl()
    episodes = con.execute(SQL_APPEARANCES, [speaker_id]).pl()
    quotes = con.execute(SQL_QUOTES, [speaker_id, episodes["episode_id"].to_list()]).pl()
    if own_txn:
        con.execute("commit")
    return quotes.height


def quote_search(con: duckdb.DuckDBPyConnection, pattern: str) -> int:
    """First 50 matches plus the total count, as a search results page shows them."""
    con.execute(SQL_SEARCH, [pattern]).pl()
    row = con.execute(SQL_SEARCH_COUNT, [pattern]).fetchone()
    return int(row[0]) if row else 0


def summarize(latencies_ms: list[float]) -> dict[str, float]:
    if not latencies_ms:
        return {"n": 0}
    ordered = sorted(latencies_ms)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "n": len(ordered),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "max_ms": ordered[-1],
        "mean_ms": statistics.fmean(ordered),
    }


def measure_readers(
    design: str, paths: Paths, speakers: dict[str, Any], patterns: list[str], n: int
) -> dict[str, Any]:
    """Open one reader and keep it open, like a dashboard process; time n requests of each
    kind. The first request of each kind is reported apart as 'cold'."""
    t0 = time.perf_counter()
    con, _ = open_reader(design, paths)
    out: dict[str, Any] = {"open_ms": lap(t0) * 1000}
    jobs: dict[str, Callable[[int], int]] = {
        "speaker_page_heavy": lambda i: speaker_page(con, speakers["heavy"]),
        "speaker_page_light": lambda i: speaker_page(con, speakers["light"]),
        "quote_search": lambda i: quote_search(con, patterns[i % len(patterns)]),
    }
    for name, job in jobs.items():
        latencies: list[float] = []
        results: list[int] = []
        for i in range(n + 1):
            t = time.perf_counter()
            results.append(job(i))
            latencies.append(lap(t) * 1000)
        out[name] = {"cold_ms": latencies[0], **summarize(latencies[1:])}
        out[name]["result_rows_mean"] = statistics.fmean(results)
    con.close()
    return out


def reader_loop(
    design: str, paths: Paths, speaker_id: str, ready: Event, stop: Event, results: Queue
) -> None:
    """Loop the speaker page until told to stop, as a dashboard under load would, recording
    each request's latency, error, the snapshot it read and whether that read was consistent.
    Design (a) re-reads CURRENT before every request and switches files when it moves."""
    records: list[dict[str, Any]] = []
    con: duckdb.DuckDBPyConnection | None = None
    opened = ""
    while not stop.is_set():
        record: dict[str, Any] = {"t": time.time(), "switched": False}
        try:
            if design == DESIGN_A:
                if con is None or read_pointer(paths.snapshots) != opened:
                    if con is not None:
                        con.close()
                        record["switched"] = True
                    con, opened = open_reader(design, paths)
            elif con is None:
                con, opened = open_reader(design, paths)
            con.execute("begin")
            record["snapshot"] = opened if design == DESIGN_A else str(lake_snapshot_id(con))
            record["t_seen"] = time.time()
            t = time.perf_counter()
            speaker_page(con, speaker_id, own_txn=False)
            record["ms"] = lap(t) * 1000
            row = con.execute(SQL_CONSISTENT).fetchone()
            con.execute("commit")
            assert row is not None
            record["consistent"] = int(row[0]) == int(row[1] or 0)
        except Exception as exc:  # recorded, not raised: errors are what we measure here
            record["error"] = f"{type(exc).__name__}: {exc}"[:300]
            if con is not None:
                con.close()
            con = None
        records.append(record)
        ready.set()
    if con is not None:
        con.close()
    results.put(records)


def concurrency(
    design: str, paths: Paths, speaker_id: str, batch: str, snapshot_name: str
) -> dict[str, Any]:
    """A reader process loops the speaker page while a writer process runs a 1% refresh."""
    ctx = mp.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    results: Queue = ctx.Queue()
    reader = ctx.Process(target=reader_loop, args=(design, paths, speaker_id, ready, stop, results))
    reader.start()
    if not ready.wait(timeout=300):
        raise RuntimeError("reader process did not start")
    time.sleep(2.0)  # a baseline of reads before the writer starts
    writer_start = time.time()
    with ctx.Pool(1) as pool:
        writer = pool.apply(refresh, (design, paths, batch, snapshot_name))
    writer_end = time.time()
    time.sleep(2.0)  # reads after the new data is visible
    stop.set()
    records: list[dict[str, Any]] = results.get(timeout=300)
    reader.join(timeout=60)

    def window(lo: float, hi: float) -> list[float]:
        return [r["ms"] for r in records if "ms" in r and lo <= r["t"] < hi]

    errors: dict[str, int] = {}
    for r in records:
        if "error" in r:
            errors[r["error"]] = errors.get(r["error"], 0) + 1
    snapshots = list(dict.fromkeys(r["snapshot"] for r in records if "snapshot" in r))
    first_new = next(
        (r["t_seen"] for r in records if len(snapshots) > 1 and r.get("snapshot") == snapshots[-1]),
        None,
    )
    return {
        "writer": writer,
        "requests": len(records),
        "errors": sum(errors.values()),
        "error_messages": errors,
        "inconsistent_reads": sum(1 for r in records if r.get("consistent") is False),
        "switches": sum(1 for r in records if r.get("switched")),
        "snapshots_seen": snapshots,
        "visible_after_commit_s": (
            None if first_new is None else first_new - writer["visible_wall"]
        ),
        "latency_before": summarize(window(0, writer_start)),
        "latency_during_write": summarize(window(writer_start, writer_end)),
        "latency_after": summarize(window(writer_end, float("inf"))),
    }


def pick_speakers(paths: Paths) -> dict[str, Any]:
    """Heavy = most quotes; light = the first (by id) speaker with one appearance and a
    quote, so both designs are asked the same question."""
    con = duckdb.connect(str(paths.snapshots / read_pointer(paths.snapshots)), read_only=True)
    heavy = con.execute(
        "select speaker_id from mart_speaker_stats order by n_quotes desc, speaker_id limit 1"
    ).fetchone()
    light = con.execute(
        """select speaker_id from mart_speaker_stats where n_appearances = 1 and n_quotes > 0
           order by speaker_id limit 1"""
    ).fetchone()
    stats = con.execute(
        "select speaker_id, n_appearances, n_quotes from mart_speaker_stats "
        "where speaker_id in (?, ?)",
        [heavy[0] if heavy else "", light[0] if light else ""],
    ).fetchall()
    con.close()
    assert heavy and light
    return {"heavy": heavy[0], "light": light[0], "stats": stats}


def probe_fts_in_lake(root: Path) -> str:
    """Does the fts extension index a DuckLake table? (STACK.md lists it as not checked.)"""
    try:
        fts = extension_path("duckdb_extension_fts", "fts")
    except SystemExit as exc:
        return f"not tried: {exc}"
    folder = root / "fts_probe"
    paths = Paths(folder)
    paths.lake_data.mkdir(parents=True, exist_ok=True)
    con = open_lake_writer(paths)
    try:
        con.execute(f"load '{fts}'")
        con.execute("create table quotes (id varchar not null, text varchar)")
        con.execute("insert into quotes values ('1', 'hello world'), ('2', 'other words')")
        con.execute("pragma create_fts_index('quotes', 'id', 'text')")
        row = con.execute(
            "select id from (select *, fts_main_quotes.match_bm25(id, 'hello') as s "
            "from quotes) where s is not null"
        ).fetchall()
        return f"works: {row}"
    except Exception as exc:
        return f"fails: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    finally:
        con.close()


# --------------------------------------------------------------------------------------------
# Reporting


def machine() -> dict[str, Any]:
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    con = duckdb.connect()
    load_lake_extensions(con)
    versions = dict(
        con.execute(
            "select extension_name, extension_version from duckdb_extensions() "
            "where extension_name in ('ducklake', 'sqlite_scanner')"
        ).fetchall()
    )
    con.close()
    return {
        "os": platform.platform(),
        "cpu_count": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024**2, 1),
        "python": sys.version.split()[0],
        "duckdb": duckdb.__version__,
        "polars": pl.__version__,
        "extensions": versions,
        "loadavg_at_start": os.getloadavg(),
    }


Row = tuple[str, str, float | int | str, str]


def metric_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    c = results["corpus"]
    for name, n in c["rows"].items():
        rows.append(("corpus", f"rows {name}", n, "rows"))
    rows.append(("corpus", "generate", c["generate_s"], "s"))
    for design in (DESIGN_A, DESIGN_B):
        d = results[design]
        if design == DESIGN_A:
            rows.append((design, "initial build (load + marts)", d["initial"]["build_s"], "s"))
            rows.append((design, "publish full corpus", d["initial"]["publish"]["publish_s"], "s"))
            rows.append(
                (design, "  of which COPY FROM DATABASE", d["initial"]["publish"]["copy_s"], "s")
            )
            rows.append((design, "working file size", d["initial"]["working_bytes"] / 2**20, "MiB"))
            rows.append(
                (design, "snapshot file size", d["initial"]["snapshot_bytes"] / 2**20, "MiB")
            )
        else:
            rows.append(
                (design, "initial load (load + marts, 1 commit)", d["initial"]["load_s"], "s")
            )
            rows.append((design, "parquet data size", d["initial"]["data_bytes"] / 2**20, "MiB"))
            rows.append((design, "parquet files", d["initial"]["data_files"], "files"))
            rows.append((design, "catalog size", d["initial"]["catalog_bytes"] / 2**20, "MiB"))
        r = d["refresh"]
        rows.append((design, "1% refresh total", r["total_s"], "s"))
        rows.append((design, "  insert 1%", r["insert_s"], "s"))
        rows.append((design, "  recompute 2 marts", r["marts_s"], "s"))
        rows.append((design, "  commit", r["commit_s"], "s"))
        if design == DESIGN_A:
            rows.append(
                (design, "  publish (checkpoint+copy+flip)", r["publish"]["publish_s"], "s")
            )
        else:
            rows.append((design, "parquet files after refresh", r["data_files"], "files"))
        rd = d["readers"]
        rows.append((design, "reader open", rd["open_ms"], "ms"))
        for job in ("speaker_page_heavy", "speaker_page_light", "quote_search"):
            rows.append((design, f"{job} cold", rd[job]["cold_ms"], "ms"))
            rows.append((design, f"{job} p50", rd[job]["p50_ms"], "ms"))
            rows.append((design, f"{job} p95", rd[job]["p95_ms"], "ms"))
        cc = d["concurrency"]
        rows.append((design, "concurrent: refresh total", cc["writer"]["total_s"], "s"))
        rows.append((design, "concurrent: reader requests", cc["requests"], "req"))
        rows.append((design, "concurrent: reader errors", cc["errors"], "req"))
        rows.append((design, "concurrent: inconsistent reads", cc["inconsistent_reads"], "req"))
        rows.append((design, "concurrent: snapshots seen", len(cc["snapshots_seen"]), "count"))
        for label in ("before", "during_write", "after"):
            lat = cc[f"latency_{label}"]
            if lat.get("n"):
                rows.append((design, f"concurrent: page p50 {label}", lat["p50_ms"], "ms"))
                rows.append((design, f"concurrent: page p95 {label}", lat["p95_ms"], "ms"))
        seen = cc["visible_after_commit_s"]
        rows.append(
            (design, "concurrent: new data seen after", "n/a" if seen is None else seen, "s")
        )
    rows.append(("b_ducklake_sqlite", "fts index on lake table", results["fts_in_ducklake"], ""))
    return rows


def print_table(rows: list[Row]) -> None:
    print(f"{'design':<18} {'metric':<42} {'value':>12} unit")
    for design, metric, value, unit in rows:
        if isinstance(value, float):
            shown = f"{value:12.1f}" if abs(value) >= 100 else f"{value:12.3f}"
        elif isinstance(value, int):
            shown = f"{value:12,d}"
        else:
            print(f"{design:<18} {metric:<42} {value} {unit}")
            continue
        print(f"{design:<18} {metric:<42} {shown} {unit}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quotes", type=int, default=1_000_000, help="segments in the corpus")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per query")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--tmpdir", default=None, help="parent of the temporary directory")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    results: dict[str, Any] = {
        "n_quotes": args.quotes,
        "requests_per_query": args.requests,
        "seed": args.seed,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    # Read the schema once: other people edit it, and both designs must get the same one.
    schema_files = sorted(SCHEMA_DIR.glob("*.sql"))
    schema_sql = [path.read_text(encoding="utf-8") for path in schema_files]
    columns = schema_columns(schema_sql)
    results["schema"] = {
        "files": [p.name for p in schema_files],
        "sha256": hashlib.sha256("".join(schema_sql).encode()).hexdigest(),
    }
    with tempfile.TemporaryDirectory(prefix="serving_design-", dir=args.tmpdir) as tmp:
        paths = Paths(Path(tmp))
        print(f"# generating {args.quotes:,} quotes in {tmp}", flush=True)
        t = time.perf_counter()
        base, deltas, patterns = generate(args.quotes, args.seed)
        filled = write_batch(base, paths.inputs / "base", columns)
        for k, delta in enumerate(deltas, start=1):
            write_batch(delta, paths.inputs / f"delta{k}", columns)
        results["corpus"] = {
            "generate_s": lap(t),
            "rows": {name: frame.height for name, frame in base.tables().items()},
            "refresh_rows": {name: frame.height for name, frame in deltas[0].tables().items()},
            "search_patterns": patterns,
            "columns_filled_by_default": filled,
        }
        del base, deltas

        ctx = mp.get_context("spawn")
        for design in (DESIGN_A, DESIGN_B):
            print(f"# {design}: initial load", flush=True)
            part: dict[str, Any] = {}
            part["initial"] = (
                build_a(paths, schema_sql) if design == DESIGN_A else build_b(paths, columns)
            )
            if design == DESIGN_A:
                speakers = pick_speakers(paths)
                results["speakers"] = speakers
            print(f"# {design}: 1% refresh", flush=True)
            with ctx.Pool(1) as pool:
                part["refresh"] = pool.apply(refresh, (design, paths, "delta1", "snap-0002.duckdb"))
            print(f"# {design}: reader latency ({args.requests} requests each)", flush=True)
            with ctx.Pool(1) as pool:
                part["readers"] = pool.apply(
                    measure_readers, (design, paths, speakers, patterns, args.requests)
                )
            print(f"# {design}: reader loop while the writer refreshes", flush=True)
            part["concurrency"] = concurrency(
                design, paths, speakers["heavy"], "delta2", "snap-0003.duckdb"
            )
            results[design] = part
        results["fts_in_ducklake"] = probe_fts_in_lake(paths.root)
        du = sum(p.stat().st_size for p in paths.root.rglob("*") if p.is_file())
        results["temp_bytes_at_end"] = du

    results["machine"]["loadavg_at_end"] = os.getloadavg()
    rows = metric_rows(results)
    print()
    print_table(rows)
    results["table"] = [list(r) for r in rows]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.out.with_name(args.out.name + ".tmp")
    tmp_out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp_out, args.out)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
