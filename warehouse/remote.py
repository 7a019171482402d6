"""Feeds listed by URL in sources.toml: fetched with conditional GET, then loaded like files.

The validators (ETag, Last-Modified) of each URL are kept in fetch_state, so a feed that has
not changed costs one small request and no parsing. Content that changed is loaded under its
content hash like a file (an unchanged body that the server did not answer 304 for is still
recognised by that hash). A URL that cannot be fetched is a reject with the reason, never a
crash of the refresh; the next refresh tries again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import duckdb

from config import settings
from ingest.fetch import FetchError, fetch
from ingest.sources import Source
from warehouse.load import FileResult, already_loaded, content_hash


def configured_urls(sources: Iterable[Source]) -> list[tuple[str, Source]]:
    seen: dict[str, Source] = {}
    for source in sources:
        for url in source.urls:
            seen.setdefault(url, source)
    return list(seen.items())


def _remember(con, url: str, source: Source, **values) -> None:
    con.execute(
        """
        insert into fetch_state (url, source_name, etag, last_modified, content_hash, status,
                                 error, fetched_at)
        values ($url, $source, $etag, $last_modified, $content_hash, $status, $error, $at)
        on conflict (url) do update set
            source_name = excluded.source_name,
            etag = coalesce(excluded.etag, fetch_state.etag),
            last_modified = coalesce(excluded.last_modified, fetch_state.last_modified),
            content_hash = coalesce(excluded.content_hash, fetch_state.content_hash),
            status = excluded.status, error = excluded.error, fetched_at = excluded.fetched_at
        """,
        {
            "url": url,
            "source": source.name,
            "etag": values.get("etag"),
            "last_modified": values.get("last_modified"),
            "content_hash": values.get("content_hash"),
            "status": values["status"],
            "error": values.get("error"),
            "at": values["at"],
        },
    )


def fetch_and_ingest(
    con: duckdb.DuckDBPyConnection,
    urls: list[tuple[str, Source]],
    ingest: Callable[[bytes, str, Source], FileResult],
    *,
    now: datetime | None = None,
    skip_known_content: bool = True,
) -> list[FileResult]:
    """Fetch each URL (conditionally) and hand new content to `ingest` (content already loaded
    from elsewhere is skipped unless skip_known_content is False)."""
    cfg = settings()
    at = (now or datetime.now(UTC)).replace(tzinfo=None)
    results: list[FileResult] = []
    for url, source in urls:
        row = con.execute(
            "select etag, last_modified from fetch_state where url = ?", [url]
        ).fetchone()
        etag, last_modified = row if row else (None, None)
        try:
            got = fetch(
                url,
                etag=etag,
                last_modified=last_modified,
                timeout_s=cfg.fetch_timeout_s,
                max_bytes=cfg.fetch_max_bytes,
            )
        except FetchError as exc:
            _remember(con, url, source, status="unreachable", error=str(exc), at=at)
            fail_id = "fetch:" + hashlib.sha256(url.encode()).hexdigest()
            con.execute(
                "insert into rejects values (?, 'fetch', ?, ?) on conflict do nothing",
                [fail_id, f"unreachable feed: {exc}", url],
            )
            results.append(
                FileResult(
                    url,
                    source.name,
                    fail_id,
                    "unreachable",
                    0,
                    0,
                    1,
                    {"unreachable feed": 1},
                    str(exc),
                )
            )
            continue
        if got.status == 304 or got.body is None:
            _remember(con, url, source, status="not modified", at=at)
            results.append(FileResult(url, source.name, "", "unchanged"))
            continue
        digest = content_hash(got.body)
        if skip_known_content and already_loaded(con, digest):
            _remember(
                con,
                url,
                source,
                status="unchanged",
                etag=got.etag,
                last_modified=got.last_modified,
                content_hash=digest,
                at=at,
            )
            results.append(FileResult(url, source.name, digest, "unchanged"))
            continue
        result = ingest(got.body, url, source)
        _remember(
            con,
            url,
            source,
            status=result.status,
            etag=got.etag,
            last_modified=got.last_modified,
            content_hash=digest,
            at=at,
        )
        results.append(result)
    return results


# The richest transcript first when an episode links several (speakers and times beat captions).
_PREFERENCE = ("podcast_json", "vtt", "podcast_html", "srt", "text")


def pending_transcripts(con: duckdb.DuckDBPyConnection, feed_sources: list[str]) -> list[dict]:
    """One linked transcript per episode of the given feed sources that has none loaded yet:
    its URL, format, and the episode's identity (so the transcript lands on that episode)."""
    from ingest.transcripts import format_from_mime

    rows = con.execute(
        """
        select t.url, t.mime_type, e.episode_id, e.guid, e.title, s.title, s.feed_url,
               s.podcast_guid, f.source_name
        from episode_transcripts t
        join episodes e using (episode_id)
        join shows s on s.show_id = e.show_id
        join source_files f on f.source_id = t.source_id
        where f.source_name in (select unnest(?::varchar[]))
          and t.url not in (select url from fetch_state)
          and e.episode_id not in (select episode_id from episode_text
                                   union select episode_id from segments)
        order by e.episode_id, t.url
        """,
        [feed_sources],
    ).fetchall()
    best: dict[str, dict] = {}
    for url, mime, episode_id, guid, title, show, feed_url, show_guid, source_name in rows:
        fmt = format_from_mime(mime or "") or _format_from_url(url)
        if fmt is None:
            continue
        rank = _PREFERENCE.index(fmt) if fmt in _PREFERENCE else len(_PREFERENCE)
        item = {
            "url": url,
            "format": fmt,
            "rank": rank,
            "source_name": source_name,
            "episode": {
                "show": show,
                "show_feed_url": feed_url,
                "show_guid": show_guid,
                "episode_guid": guid,
                "episode": title,
            },
        }
        if episode_id not in best or rank < best[episode_id]["rank"]:
            best[episode_id] = item
    return list(best.values())


def _format_from_url(url: str) -> str | None:
    tail = url.lower().split("?", 1)[0]
    for ext, fmt in (
        (".vtt", "vtt"),
        (".srt", "srt"),
        (".json", "podcast_json"),
        (".html", "podcast_html"),
        (".txt", "text"),
    ):
        if tail.endswith(ext):
            return fmt
    return None
