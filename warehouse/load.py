"""Idempotent loading of parsed files into the working warehouse.

Every row is merged on its natural key (insert-if-absent, first seen wins), inside one
transaction per file, and the file's content hash is recorded last. So a crash mid-file leaves
nothing of it, and loading the same bytes again is a no-op. Ids are derived from natural keys
with md5 in SQL, so they do not depend on load order or on Python's hashing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from ingest.names import person_key
from ingest.parse import ParsedFile

# slug + 6 hex of md5(key): readable in URLs and SQL, and unique per key.
_ID = "coalesce(nullif({slug}, ''), '{fallback}') || '-' || left(md5({key}), 6)"


@dataclass(frozen=True)
class FileResult:
    path: str
    source_name: str
    source_id: str
    status: str  # loaded | unchanged | unreadable
    n_records: int = 0
    n_loaded: int = 0
    n_rejected: int = 0
    reasons: dict[str, int] | None = None
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def already_loaded(con: duckdb.DuckDBPyConnection, source_id: str) -> bool:
    row = con.execute("select 1 from source_files where source_id = ?", [source_id]).fetchone()
    return row is not None


def _merge_records(con: duckdb.DuckDBPyConnection, source_id: str) -> None:
    """Merge the registered frame `incoming` into the core tables."""
    con.execute(
        f"""
        create or replace temp table inc as
        select *,
            {_ID.format(slug="show_slug", fallback="show", key="show_key")} as new_show_id
        from incoming
        """
    )
    _resolve_shows(con)
    con.execute(
        """
        insert into shows (show_id, show_key, title, feed_url, podcast_guid, author, link, image,
                           language, title_key, source_id)
        select show_id, show_key, show_title, show_feed_url, show_guid, show_author, show_link,
               show_image, show_language, show_title_key, ?
        from inc
        qualify row_number() over (partition by show_id order by row) = 1
        on conflict do nothing
        """,
        [source_id],
    )
    _resolve_episodes(con)
    con.execute(
        """
        insert into episodes (episode_id, show_id, episode_key, title, guid, episode_number,
                              url, published_at, season, source_id)
        select episode_id, show_id, episode_key, episode_title, episode_guid, episode_number,
               episode_url, published_at, episode_season, ?
        from inc2
        qualify row_number() over (partition by episode_id order by row) = 1
        on conflict (episode_id) do update set
            -- A changed feed updates its episodes in place; a source that does not know a
            -- value (a transcript has no title) never erases one.
            title = coalesce(excluded.title, episodes.title),
            url = coalesce(excluded.url, episodes.url),
            published_at = coalesce(excluded.published_at, episodes.published_at),
            season = coalesce(excluded.season, episodes.season),
            episode_number = coalesce(episodes.episode_number, excluded.episode_number)
        """,
        [source_id],
    )
    _resolve_short_labels(con, source_id)
    _resolve_speakers(con)
    con.execute(
        """
        insert into speakers (speaker_id, display_name, href, image, source_id)
        select speaker_id, speaker_display, speaker_href, speaker_image, ?
        from inc3
        qualify row_number() over (partition by speaker_id order by row) = 1
        on conflict do nothing
        """,
        [source_id],
    )
    con.execute(
        """
        insert into speaker_hrefs (href_key, speaker_id, href, source_id)
        select href_key, speaker_id, speaker_href, ?
        from inc3 where href_key is not null
        qualify row_number() over (partition by href_key order by row) = 1
        on conflict do nothing
        """,
        [source_id],
    )
    con.execute(
        """
        insert into speaker_aliases (alias_key, speaker_id, alias, source_id)
        select alias_key, speaker_id, speaker_name, ?
        from inc3
        qualify row_number() over (partition by alias_key order by row) = 1
        on conflict do nothing
        """,
        [source_id],
    )
    con.execute(
        """
        insert into appearances (speaker_id, episode_id, role, source, source_id, locator,
                                 person_group)
        select speaker_id, episode_id, role, source, ?, locator, speaker_group
        from inc3
        qualify row_number() over (partition by speaker_id, episode_id, role order by row) = 1
        on conflict do nothing
        """,
        [source_id],
    )
    con.execute(
        """
        insert into segments (segment_id, episode_id, speaker_id, start_ms, end_ms, section, seq,
                              text, text_hash, source_id, locator)
        select segment_id, episode_id, speaker_id, start_ms, end_ms, section, row, quote,
               text_hash, ?, locator
        from (
            select *, md5(quote) as text_hash,
                'sg-' || left(md5(episode_id || '|' || speaker_id || '|'
                        || coalesce(start_ms::varchar, 'seq ' || row::varchar) || '|'
                        || md5(quote)), 16) as segment_id
            from inc3 where quote is not null
        )
        qualify row_number() over (partition by segment_id order by row) = 1
        on conflict do nothing
        """,
        [source_id],
    )
    # Text nobody is named as saying: the episode's text, not anyone's quotes.
    con.execute(
        """
        insert into episode_text (episode_id, seq, start_ms, end_ms, label, text, source_id,
                                  locator)
        select episode_id, row, start_ms, end_ms, label, quote, ?, locator
        from inc2 where speaker_name is null and quote is not null
        on conflict do nothing
        """,
        [source_id],
    )
    con.execute(
        "create or replace temp table incoming_episodes as select row, episode_id from inc2"
    )
    for table in ("inc", "inc2", "inc3"):
        con.execute(f"drop table if exists {table}")


def _resolve_short_labels(con: duckdb.DuckDBPyConnection, source_id: str) -> None:
    """A transcript's one-word label ("Jerod", "MATT") is the full-named person of the same show
    whose first name it is - when exactly one such person is known on that show (stored, or
    named in full in this file). The resolution is recorded in speaker_label_resolutions; with
    no candidate or several, the label stays a speaker of its own (and may show up as a
    candidate pair). Feeds and record files are not touched: their one-word names (usernames,
    stage names) are deliberate."""
    con.execute(
        """
        create or replace temp table short_labels as
        with labels as (
            select distinct show_id, alias_key from inc2
            where source = 'transcript' and speaker_name is not null
              and alias_key is not null and alias_key not like '% %'
        ),
        full_names as (
            select distinct e.show_id, sa.alias_key as full_key
            from appearances ap join episodes e using (episode_id)
            join speaker_aliases sa on sa.speaker_id = ap.speaker_id
            where sa.alias_key like '% %' and ap.source <> 'title'
            union
            select distinct show_id, alias_key from inc2
            where speaker_name is not null and alias_key like '% %' and source <> 'title'
        ),
        matches as (
            select l.show_id, l.alias_key as label_key, f.full_key
            from labels l join full_names f
              on f.show_id = l.show_id and split_part(f.full_key, ' ', 1) = l.alias_key
        )
        select show_id, label_key, min(full_key) as full_key from matches
        group by all having count(distinct full_key) = 1
        """
    )
    con.execute(
        """
        insert into speaker_label_resolutions (show_id, label_key, full_key, rule, source_id)
        select show_id, label_key, full_key, 'one person of the show has this first name', ?
        from short_labels
        on conflict do nothing
        """,
        [source_id],
    )
    con.execute(
        """
        update inc2 set alias_key = s.full_key, speaker_slug = null  -- the full name's slug
        from short_labels s
        where inc2.show_id = s.show_id and inc2.alias_key = s.label_key
          and inc2.source = 'transcript'
        """
    )
    con.execute("drop table short_labels")


def _resolve_speakers(con: duckdb.DuckDBPyConnection) -> None:
    """Give each incoming row with a speaker its speaker_id (temp table inc3).

    A link about the person (href) is the strongest identity: a known href means that speaker.
    Otherwise a known spelling (alias key) means its speaker - unless both sides carry
    different hrefs, which makes them two people with the same name (kept apart, and listed as
    a candidate pair for review; see transforms/identity.py). Within one file, a name that comes
    with exactly one href lends it to its rows without one, so "Adam Curry" tagged with and
    without his link is one person; a name with several hrefs lends none."""
    new_id = _ID.format(
        slug="named.speaker_slug",
        fallback="speaker",
        key="coalesce('href:' || named.href_key, named.alias_key)",
    )
    con.execute(
        f"""
        create or replace temp table inc3 as
        with named as (
            select * replace (
                coalesce(href_key, case when count(distinct href_key) over w = 1
                                   then max(href_key) over w end) as href_key,
                coalesce(speaker_slug, max(speaker_slug) over w,
                         regexp_replace(alias_key, '[^a-z0-9]+', '-', 'g')) as speaker_slug)
            from inc2 where speaker_name is not null
            window w as (partition by alias_key)
        )
        select named.*,
            coalesce(
                h.speaker_id,
                case when named.href_key is null or sh.href_key is null
                     then a.speaker_id end,
                {new_id}) as speaker_id
        from named
        left join speaker_hrefs h on h.href_key = named.href_key
        left join speaker_aliases a on a.alias_key = named.alias_key
        left join (select speaker_id, min(href_key) as href_key from speaker_hrefs group by 1) sh
            on sh.speaker_id = a.speaker_id
        """
    )


def _resolve_shows(con: duckdb.DuckDBPyConnection) -> None:
    """Give each incoming row its show_id (added to temp table inc), reusing a stored show.

    A show is the stored one with the same natural key, else the one with the same podcast:guid,
    else the same feed URL, else the same normalised title - by title only when exactly one
    stored show has it and the two do not carry different guids or different feed URLs. So a
    transcript naming "Critical Role" joins the Critical Role feed, a feed snapshot without its
    guid joins the later snapshot with one, but two feeds at different URLs stay two shows."""
    con.execute(
        """
        create or replace temp table inc as
        with keys as (
            select distinct on (show_key) show_key, show_guid, show_feed_url, show_title_key,
                new_show_id
            from inc order by show_key, row
        ),
        by_guid as (
            select podcast_guid, min(show_id) as show_id from shows
            where podcast_guid is not null group by 1 having count(*) = 1
        ),
        by_feed as (
            select feed_url, min(show_id) as show_id from shows
            where feed_url is not null group by 1 having count(*) = 1
        ),
        by_title as (
            select title_key, min(show_id) as show_id, min(podcast_guid) as guid,
                   min(feed_url) as feed_url
            from shows where title_key is not null group by 1 having count(*) = 1
        ),
        resolved as (
            select k.show_key,
                coalesce(s.show_id, g.show_id, f.show_id, t.show_id, k.new_show_id) as show_id
            from keys k
            left join shows s on s.show_key = k.show_key
            left join by_guid g on g.podcast_guid = k.show_guid
            left join by_feed f on f.feed_url = k.show_feed_url
            left join by_title t on t.title_key = k.show_title_key
                and (k.show_guid is null or t.guid is null)
                and (k.show_feed_url is null or t.feed_url is null)
        )
        select inc.*, resolved.show_id from inc join resolved using (show_key)
        """
    )


def _resolve_episodes(con: duckdb.DuckDBPyConnection) -> None:
    """Give each incoming row its episode_id, reusing an episode another source already holds.

    Within a show, an incoming episode is the stored one with the same natural key, else the one
    with the same guid, else the one with the same episode number (leading zeros ignored, and
    only when at most one side has a guid). Each applies only when exactly one stored episode
    matches, so an ambiguous match makes a new episode rather than merging two. This is how a
    transcript mapped by episode number joins the episode a feed introduced."""
    con.execute(
        """
        create or replace temp table inc2 as
        with rows as (
            select * from inc
        ),
        keys as (
            select distinct show_id, episode_key, episode_guid,
                nullif(ltrim(episode_number, '0'), '') as number_key
            from rows
        ),
        by_guid as (
            select show_id, guid, min(episode_id) as episode_id from episodes
            where guid is not null group by all having count(*) = 1
        ),
        by_number as (
            select show_id, nullif(ltrim(episode_number, '0'), '') as number_key,
                   min(episode_id) as episode_id, min(guid) as guid
            from episodes where episode_number is not null group by all having count(*) = 1
        ),
        resolved as (
            select k.show_id, k.episode_key,
                coalesce(e.episode_id, g.episode_id, n.episode_id,
                         'ep-' || left(md5(k.show_id || '|' || k.episode_key), 12)) as episode_id
            from keys k
            left join episodes e on e.show_id = k.show_id and e.episode_key = k.episode_key
            left join by_guid g on g.show_id = k.show_id and g.guid = k.episode_guid
            left join by_number n on n.show_id = k.show_id and n.number_key = k.number_key
                -- two different guids are two episodes, whatever their numbers say
                and (k.episode_guid is null or n.guid is null)
            qualify row_number() over (partition by k.show_id, k.episode_key
                                       order by e.episode_id, g.episode_id, n.episode_id) = 1
        )
        select rows.*, resolved.episode_id
        from rows join resolved using (show_id, episode_key)
        """
    )


def _load_links(con: duckdb.DuckDBPyConnection, links: pl.DataFrame, source_id: str) -> None:
    """Transcript links of episodes; `links.row` is the record row of the episode they belong to,
    whose episode_id the merge has just stored."""
    con.register("incoming_links", links)
    try:
        con.execute(
            """
            insert into episode_transcripts (episode_id, url, mime_type, language, rel, source_id)
            select e.episode_id, l.url, l.mime_type, l.language, l.rel, ?
            from incoming_links l join incoming_episodes e using (row)
            qualify row_number() over (partition by e.episode_id, l.url order by l.row) = 1
            on conflict do nothing
            """,
            [source_id],
        )
    finally:
        con.unregister("incoming_links")


def load_parsed(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    *,
    data: bytes,
    path: Path | str,
    source_name: str,
    fmt: str,
    now: datetime | None = None,
    identity: str = "",
) -> FileResult:
    """Load one parsed file in one transaction. `now` is the refresh's logical time.

    The file's id is the hash of its content, so the same bytes never load twice; `identity`
    adds what else makes it distinct (a transcript fetched for one episode is not the same
    source as identical bytes fetched for another)."""
    source_id = content_hash(data + identity.encode())
    if already_loaded(con, source_id):
        return FileResult(str(path), source_name, source_id, "unchanged")
    stamp = (now or datetime.now(UTC)).replace(tzinfo=None)
    records, rejects = parsed.records, parsed.rejects
    con.execute("begin transaction")
    try:
        if records.height:
            con.register("incoming", records)
            try:
                _merge_records(con, source_id)
            finally:
                con.unregister("incoming")
            if parsed.links is not None and parsed.links.height:
                _load_links(con, parsed.links, source_id)
            con.execute("drop table if exists incoming_episodes")
        if rejects.height:
            con.register("incoming_rejects", rejects)
            try:
                con.execute(
                    """
                    insert into rejects (source_id, locator, reason, payload)
                    select ?, locator, reason, payload from incoming_rejects
                    qualify row_number() over (partition by locator, reason) = 1
                    on conflict do nothing
                    """,
                    [source_id],
                )
            finally:
                con.unregister("incoming_rejects")
        for claim in parsed.claims:
            con.execute(
                """
                insert into source_claims (source_id, subject, subject_id, claim, value)
                select ?, ?, speaker_id, ?, ? from speaker_aliases where alias_key = ?
                on conflict do nothing
                """,
                [
                    source_id,
                    claim.subject,
                    claim.claim,
                    claim.value,
                    person_key(claim.name),
                ],
            )
        con.execute(
            """
            insert into source_files (source_id, source_name, path, format, bytes, ingested_at,
                                      n_records, n_loaded, n_rejected)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                source_id,
                source_name,
                str(path),
                fmt,
                len(data),
                stamp,
                parsed.n_records,
                parsed.n_loaded,
                rejects.height,
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    reasons = _reason_counts(rejects)
    return FileResult(
        str(path),
        source_name,
        source_id,
        "loaded",
        n_records=parsed.n_records,
        n_loaded=parsed.n_loaded,
        n_rejected=rejects.height,
        reasons=reasons,
    )


def _reason_counts(rejects: pl.DataFrame) -> dict[str, int]:
    """Reasons grouped by their kind (the text before any quoted value), for run summaries."""
    if not rejects.height:
        return {}
    kinds = rejects.get_column("reason").str.replace(r"\s*(?:: |\().*$", "")
    counts = kinds.value_counts(sort=True)
    return {row[0]: int(row[1]) for row in counts.iter_rows()}


def record_unreadable(
    con: duckdb.DuckDBPyConnection,
    *,
    data: bytes,
    path: Path | str,
    source_name: str,
    fmt: str,
    message: str,
    now: datetime | None = None,
    identity: str = "",
) -> FileResult:
    """A file that cannot be read at all is one reject, recorded so the run reports it and the
    same bytes are not retried every refresh."""
    source_id = content_hash(data + identity.encode())
    if already_loaded(con, source_id):
        return FileResult(str(path), source_name, source_id, "unchanged")
    stamp = (now or datetime.now(UTC)).replace(tzinfo=None)
    con.execute("begin transaction")
    con.execute(
        "insert into rejects values (?, 'file', ?, ?) on conflict do nothing",
        [source_id, f"unreadable file: {message}", json.dumps({"path": str(path)})],
    )
    con.execute(
        "insert into source_files values (?, ?, ?, ?, ?, ?, 0, 0, 1)",
        [source_id, source_name, str(path), fmt, len(data), stamp],
    )
    con.execute("commit")
    return FileResult(
        str(path), source_name, source_id, "unreadable", 0, 0, 1, {"unreadable file": 1}, message
    )
