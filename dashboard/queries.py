"""Every read the dashboard makes, against the published snapshot only.

The dashboard never opens the working database (a reader would block the refresh's writer); it
reads the immutable snapshot named by CURRENT (warehouse.publish.current_snapshot()).

One reader connection is kept per snapshot, guarded by a lock. Each query first re-reads the
pointer (a tiny file), so a new publish is picked up on the next request without a restart; the
old connection is closed as soon as no in-flight query still uses it (closing a DuckDB connection
also closes its cursors, so closing it under a running request would break that request). Each
query runs on its own cursor, which is what makes one connection safe to share between Flask's
request threads. All user input goes in as bound parameters, never into the SQL text.

Functions return Polars frames (or a plain dict for one-row lookups) and raise
warehouse.db.NoSnapshot when nothing is published; the pages turn that into a message.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse.db import NoSnapshot, connect_reader
from warehouse.publish import current_snapshot

# --------------------------------------------------------------------------------------------
# Connection management


@dataclass
class _Reader:
    """One open snapshot and how many requests are using it right now."""

    key: str
    con: duckdb.DuckDBPyConnection
    users: int = 0
    retired: bool = False


_lock = threading.Lock()
_current: _Reader | None = None


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return connect_reader(path)
    except duckdb.IOException as exc:
        raise NoSnapshot(f"the published snapshot {path} cannot be opened: {exc}") from None


@contextmanager
def _cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the current snapshot, switching readers if the pointer moved."""
    global _current
    key = str(current_snapshot())  # raises NoSnapshot before anything is published
    with _lock:
        if _current is None or _current.key != key:
            fresh = _Reader(key, _open(Path(key)))
            old, _current = _current, fresh
            if old is not None:
                _retire(old)
        reader = _current
        reader.users += 1
        try:
            cursor = reader.con.cursor()
        except BaseException:
            reader.users -= 1
            raise
    try:
        yield cursor
    finally:
        cursor.close()
        with _lock:
            reader.users -= 1
            if reader.retired and reader.users == 0:
                reader.con.close()


def _retire(reader: _Reader) -> None:
    """Mark a reader as replaced; close it now if idle, else when its last query ends.
    Call with _lock held."""
    reader.retired = True
    if reader.users == 0:
        reader.con.close()


def close() -> None:
    """Close the reader (at shutdown, or in tests that swap state directories)."""
    global _current
    with _lock:
        if _current is not None:
            _retire(_current)
            _current = None


def snapshot_name() -> str | None:
    """The snapshot the last query was served from (for diagnostics and tests)."""
    with _lock:
        return None if _current is None else Path(_current.key).name


def query(sql: str, params: Sequence[Any] = ()) -> pl.DataFrame:
    """Run one fixed SQL statement with bound parameters on the current snapshot."""
    with _cursor() as cursor:
        return cursor.execute(sql, list(params)).pl()


def _one(sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
    frame = query(sql, params)
    return frame.row(0, named=True) if frame.height else None


def has_column(table: str, column: str) -> bool:
    """Whether the current snapshot's `table` has `column`. Snapshots published before a column
    was added stay readable (the dashboard may be newer than the last refresh), so queries that
    read a new column ask first instead of failing."""
    row = _one(
        """
        select count(*) as n from information_schema.columns
        where table_catalog = current_database() and table_schema = current_schema()
          and table_name = ? and column_name = ?
        """,
        [table, column],
    )
    return bool(row and row["n"])


# --------------------------------------------------------------------------------------------
# Whole corpus


@dataclass(frozen=True)
class Totals:
    """Corpus sizes. appearances = distinct (speaker, episode) pairs, as in DESIGN.md: a speaker
    who is both host and guest of one episode appeared once; like the marts, pairs known only
    from an episode title (appearances.source = 'title') are not counted. quotes = segments."""

    speakers: int
    shows: int
    episodes: int
    appearances: int
    quotes: int


def data_as_of() -> datetime | None:
    """When the refresh that published this snapshot finished (UTC, naive)."""
    row = _one("select max(finished_at) as finished_at from refresh_log")
    return None if row is None else row["finished_at"]


def last_publish() -> dict[str, Any] | None:
    """The refresh that published this snapshot: finished_at (UTC, naive) and snapshot (its file
    name, as refresh_log recorded it), or None if refresh_log is empty."""
    return _one(
        """
        select finished_at, snapshot from refresh_log
        order by finished_at desc, refresh_id desc
        limit 1
        """
    )


# What the Overview's run table reads. A snapshot published before refresh_runs existed (or with
# an earlier shape of it) lacks some of these: the query then returns None, not an error.
REFRESH_RUN_COLUMNS = (
    "run_id", "step", "started_at", "finished_at", "status", "n_sources", "n_changed",
    "n_loaded", "n_rejected", "rejects_by_reason", "snapshot", "error",
)


def refresh_runs(limit: int = 8) -> pl.DataFrame | None:
    """The last `limit` rows of refresh_runs (every refresh step's run, successful or not),
    latest finished first; None when the snapshot has no usable refresh_runs table (older
    snapshots). The check and the read use one cursor, so they see the same snapshot."""
    with _cursor() as cursor:
        present = {
            name
            for (name,) in cursor.execute(
                """
                select column_name from information_schema.columns
                where table_catalog = current_database() and table_schema = current_schema()
                  and table_name = ?
                """,
                ["refresh_runs"],
            ).fetchall()
        }
        if not set(REFRESH_RUN_COLUMNS) <= present:
            return None
        return cursor.execute(
            f"""
            select {", ".join(REFRESH_RUN_COLUMNS)} from refresh_runs
            order by finished_at desc, started_at desc, run_id desc, step desc
            limit ?
            """,
            [max(int(limit), 0)],
        ).pl()


def totals() -> Totals:
    row = _one(
        """
        select
            (select count(*) from speakers) as speakers,
            (select count(*) from shows) as shows,
            (select count(*) from episodes) as episodes,
            (select count(*) from (select distinct speaker_id, episode_id from appearances
                                   where source <> 'title')) as appearances,
            (select count(*) from segments) as quotes
        """
    )
    assert row is not None
    return Totals(**{k: int(v) for k, v in row.items()})


def appearances_per_month() -> pl.DataFrame:
    """month_start, n_appearances over all shows (undated episodes are not in the monthly mart)."""
    return query(
        """
        select month_start, cast(sum(n_appearances) as bigint) as n_appearances
        from mart_show_monthly group by month_start order by month_start
        """
    )


def top_speakers(limit: int = 10) -> pl.DataFrame:
    return query(
        """
        select speaker_id, display_name, n_appearances, n_quotes, n_shows
        from mart_speaker_stats
        order by n_appearances desc, n_quotes desc, display_name, speaker_id
        limit ?
        """,
        [limit],
    )


def top_shows(limit: int = 10) -> pl.DataFrame:
    return query(
        """
        select show_id, title, n_episodes, n_speakers, n_appearances
        from mart_show_stats
        order by n_appearances desc, n_episodes desc, title, show_id
        limit ?
        """,
        [limit],
    )


# --------------------------------------------------------------------------------------------
# Speakers


def search_speakers(text: str | None = None) -> pl.DataFrame:
    """mart_speaker_stats rows whose display name or any alias contains `text`,
    case-insensitively. `contains` (not LIKE) so '%' and '_' in a search are plain characters."""
    needle = (text or "").strip().lower()
    return query(
        """
        select speaker_id, display_name, n_appearances, n_quotes, n_shows, roles,
               first_appearance, last_appearance
        from mart_speaker_stats m
        where ? = ''
           or contains(lower(m.display_name), ?)
           or exists (
                select 1 from speaker_aliases a
                where a.speaker_id = m.speaker_id and contains(lower(a.alias), ?))
        order by n_appearances desc, display_name, speaker_id
        """,
        [needle, needle, needle],
    )


_PROFILE_SQL = """
select s.speaker_id, s.display_name, s.href,
       coalesce(m.n_appearances, 0) as n_appearances,
       {n_title} as n_title_appearances,
       coalesce(m.n_quotes, 0) as n_quotes,
       coalesce(m.n_shows, 0) as n_shows,
       m.roles, m.first_appearance, m.last_appearance,
       (select count(distinct a.episode_id) from appearances a
        where a.speaker_id = s.speaker_id) as n_listed
from speakers s left join mart_speaker_stats m using (speaker_id)
where s.speaker_id = ?
"""


def speaker_profile(speaker_id: str) -> dict[str, Any] | None:
    """The speaker's mart row (our counts), or None for an unknown id.

    n_appearances leaves out episodes known only from an episode title; those are
    n_title_appearances (0 on a snapshot whose mart predates that column). n_listed is every
    episode the appearance list shows, title-only ones included: the pager pages over it."""
    n_title = (
        "coalesce(m.n_title_appearances, 0)"
        if has_column("mart_speaker_stats", "n_title_appearances")
        else "0"
    )
    return _one(_PROFILE_SQL.format(n_title=n_title), [speaker_id])


def speaker_monthly(speaker_id: str) -> pl.DataFrame:
    return query(
        """
        select month_start, n_appearances, n_quotes from mart_speaker_monthly
        where speaker_id = ? order by month_start
        """,
        [speaker_id],
    )


def speaker_claims(speaker_id: str) -> dict[str, str]:
    """What source pages said about this speaker (e.g. total_appearances), claim -> value.
    These are the source's numbers, never ours; with several sources the largest value wins."""
    frame = query(
        """
        select claim, max(value) as value from source_claims
        where subject = 'speaker' and subject_id = ?
        group by claim order by claim
        """,
        [speaker_id],
    )
    return dict(zip(frame["claim"].to_list(), frame["value"].to_list(), strict=True))


def speaker_appearances(speaker_id: str, page: int = 0, page_size: int = 10) -> pl.DataFrame:
    """One row per episode the speaker appears in (their roles there joined, and how we know:
    the distinct appearances.source values), newest first, undated episodes last; `page` is
    0-based. title_only marks episodes known only from an episode title (low confidence, not
    in the counts)."""
    return query(
        """
        select e.episode_id, e.title as episode_title, e.published_at,
               e.show_id, sh.title as show_title,
               array_to_string(list_sort(list_distinct(list(a.role))), ', ') as roles,
               list_sort(list_distinct(list(a.source))) as sources,
               bool_and(a.source = 'title') as title_only
        from appearances a
        join episodes e using (episode_id)
        join shows sh on sh.show_id = e.show_id
        where a.speaker_id = ?
        group by e.episode_id, e.title, e.published_at, e.show_id, sh.title
        order by e.published_at desc nulls last, e.title nulls last, e.episode_id
        limit ? offset ?
        """,
        [speaker_id, page_size, max(page, 0) * page_size],
    )


def speaker_quotes(speaker_id: str, episode_ids: Sequence[str]) -> pl.DataFrame:
    """The speaker's quotes in the given episodes: by start time, else in the order the source
    gave them (the seed page has no times, and its order is the page's)."""
    return query(
        """
        select episode_id, segment_id, start_ms, section, text from segments
        where speaker_id = ? and list_contains(?::varchar[], episode_id)
        order by episode_id, start_ms nulls last, seq, segment_id
        """,
        [speaker_id, list(episode_ids)],
    )


# --------------------------------------------------------------------------------------------
# Identity review (mart_speaker_candidates: proposed, never merged automatically)


def candidates() -> pl.DataFrame:
    """Every speaker pair that may be one person, strongest first. score is rounded to one
    decimal: it is a name similarity, and more digits would only suggest false precision."""
    return query(
        """
        select speaker_a, name_a, speaker_b, name_b, round(score, 1) as score, reason,
               shared_shows
        from mart_speaker_candidates
        order by score desc, name_a, name_b, speaker_a, speaker_b
        """
    )


def speaker_candidates(speaker_id: str) -> pl.DataFrame:
    """The other side of every candidate pair this speaker is in: other_id, other_name, score,
    reason, shared_shows (the pair is stored once, with speaker_a < speaker_b)."""
    return query(
        """
        select case when speaker_a = ? then speaker_b else speaker_a end as other_id,
               case when speaker_a = ? then name_b else name_a end as other_name,
               round(score, 1) as score, reason, shared_shows
        from mart_speaker_candidates
        where speaker_a = ? or speaker_b = ?
        order by score desc, other_name, other_id
        """,
        [speaker_id, speaker_id, speaker_id, speaker_id],
    )


# --------------------------------------------------------------------------------------------
# Shows


def show_list() -> pl.DataFrame:
    return query(
        """
        select show_id, title, n_episodes, n_speakers, n_hosts, n_guests, n_appearances,
               n_quotes, first_episode, last_episode
        from mart_show_stats order by n_appearances desc, title, show_id
        """
    )


def show_profile(show_id: str) -> dict[str, Any] | None:
    """The show's mart row (our counts, which leave out appearances known only from episode
    titles), or None for an unknown id. n_title_guests is the number of people named as guests
    of this show only in episode titles (never as a counted guest): shown apart, not added in.
    It matches the title-only guest rows of show_speakers."""
    return _one(
        """
        select s.show_id, s.title, s.feed_url,
               coalesce(m.n_episodes, 0) as n_episodes,
               coalesce(m.n_speakers, 0) as n_speakers,
               coalesce(m.n_hosts, 0) as n_hosts,
               coalesce(m.n_guests, 0) as n_guests,
               coalesce(m.n_appearances, 0) as n_appearances,
               coalesce(m.n_quotes, 0) as n_quotes,
               m.first_episode, m.last_episode,
               (select count(*) from (
                    select a.speaker_id
                    from appearances a join episodes e using (episode_id)
                    where e.show_id = s.show_id and a.role = 'guest'
                    group by a.speaker_id
                    having bool_and(a.source = 'title'))) as n_title_guests
        from shows s left join mart_show_stats m using (show_id)
        where s.show_id = ?
        """,
        [show_id],
    )


def show_monthly(show_id: str) -> pl.DataFrame:
    return query(
        """
        select month_start, n_episodes, n_appearances, n_speakers from mart_show_monthly
        where show_id = ? order by month_start
        """,
        [show_id],
    )


def show_speakers(show_id: str) -> pl.DataFrame:
    """One row per (speaker, role) on the show. n_episodes counts the show's episodes with a
    counted appearance in that role (as the marts do); n_title_episodes the episodes where the
    speaker is in that role only because an episode title names them (low confidence, not
    counted). title_only rows (n_episodes = 0) are people known on this show in that role only
    from titles. Counted rows first: hosts, then by episodes."""
    return query(
        """
        select a.speaker_id, sp.display_name, a.role,
               count(distinct a.episode_id) filter (where a.source <> 'title') as n_episodes,
               count(distinct a.episode_id) filter (where a.source = 'title')
                   as n_title_episodes,
               bool_and(a.source = 'title') as title_only
        from appearances a
        join episodes e using (episode_id)
        join speakers sp using (speaker_id)
        where e.show_id = ?
        group by a.speaker_id, sp.display_name, a.role
        order by title_only, a.role = 'host' desc, n_episodes desc, n_title_episodes desc,
                 sp.display_name, a.speaker_id
        """,
        [show_id],
    )


def show_episodes(show_id: str, page: int = 0, page_size: int = 10) -> pl.DataFrame:
    """The show's episodes, newest first, undated last; `page` is 0-based."""
    return query(
        """
        select episode_id, title as episode_title, published_at, episode_number
        from episodes where show_id = ?
        order by published_at desc nulls last, title nulls last, episode_id
        limit ? offset ?
        """,
        [show_id, page_size, max(page, 0) * page_size],
    )


def episode_speakers(episode_ids: Sequence[str]) -> pl.DataFrame:
    """Who appears in each of the given episodes: one row per (episode, speaker), hosts first,
    then counted speakers before those known only from the episode title. title_only marks the
    latter (every appearance row of theirs there has source 'title'; as on the speaker page)."""
    return query(
        """
        select a.episode_id, a.speaker_id, sp.display_name,
               array_to_string(list_sort(list_distinct(list(a.role))), ', ') as roles,
               bool_and(a.source = 'title') as title_only
        from appearances a join speakers sp using (speaker_id)
        where list_contains(?::varchar[], a.episode_id)
        group by a.episode_id, a.speaker_id, sp.display_name
        order by a.episode_id, bool_or(a.role = 'host') desc, title_only, sp.display_name,
                 a.speaker_id
        """,
        [list(episode_ids)],
    )
