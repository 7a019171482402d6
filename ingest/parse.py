"""One entry point from a file's bytes to loadable records, whatever the format.

Pure: no database, no clock. The warehouse loader takes the result as it is, so every format
shares one set of validation rules and one loading path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import polars as pl

from ingest.aliases import AliasRules
from ingest.canonical import CANONICAL_NAMES, PREPARED_SCHEMA, empty_rejects
from ingest.errors import UnreadableSource
from ingest.feeds import ParsedFeed, feed_records, parse_feed
from ingest.hugo import episode_rows, parse_hugo_page
from ingest.people import parse_directory
from ingest.prepare import prepare
from ingest.sources import TRANSCRIPT_FORMATS, Source
from ingest.speaker_page import parse_speaker_page
from ingest.tables import READERS, decode_text
from ingest.title_guests import extract_title_guests, recurring_names
from ingest.transcripts import parse_transcript


@dataclass(frozen=True)
class Claim:
    """Something a source says about a subject that we keep as its claim, not our count."""

    subject: str  # 'speaker'
    name: str  # the subject's name as written; resolved to an id when loading
    claim: str
    value: str


@dataclass(frozen=True)
class ParsedFile:
    records: pl.DataFrame  # ingest.canonical.PREPARED_SCHEMA
    rejects: pl.DataFrame  # ingest.canonical.REJECT_SCHEMA
    claims: list[Claim] = field(default_factory=list)
    # Transcript links: row (a record row of the episode), url, mime_type, language, rel.
    links: pl.DataFrame | None = None
    notes: list[str] = field(default_factory=list)  # repairs made to read the file
    accepted: int | None = None  # rows taken when they are not records (people directories)

    @property
    def n_records(self) -> int:
        return self.n_loaded + self.rejects.height

    @property
    def n_loaded(self) -> int:
        return self.records.height if self.accepted is None else self.accepted


def episode_from_filename(source: Source, filename: str | None) -> dict[str, str]:
    """Which episode a per-episode file (a transcript) belongs to, from the source's
    filename_pattern; an unmatched name is an error the user fixes in sources.toml."""
    if not source.filename_pattern or not filename:
        return {}
    match = re.search(source.filename_pattern, filename)
    if match is None:
        raise UnreadableSource(
            f"file name {filename!r} does not match filename_pattern "
            f"{source.filename_pattern!r} of source {source.name!r}"
        )
    fields = {k: v for k, v in match.groupdict().items() if v}
    if "show" in fields:
        fields["show"] = source.show_names.get(fields["show"], fields["show"])
    return fields


def _seconds(ms: pl.Expr) -> pl.Expr:
    return (ms.cast(pl.Float64) / 1000).cast(pl.String)


def transcript_records(
    data: bytes,
    fmt: str,
    source: Source,
    filename: str | None,
    rules: AliasRules | None = None,
    episode: dict[str, str] | None = None,
) -> ParsedFile:
    """Segments with a person's label become quotes; text nobody is named as saying (unlabelled
    transcripts, markers like "Break", group and multi-speaker turns) becomes episode text, so
    no speaker is invented and no quote is counted twice. The episode is given (a transcript a
    feed links to) or read from the file name (a standalone file)."""
    transcript = parse_transcript(data, None if fmt == "transcript" else fmt, filename=filename)
    if episode is None:
        episode = episode_from_filename(source, filename)
    segs = transcript.segments
    person = pl.col("speaker").is_not_null() & ~pl.col("multi_speaker")
    raw = segs.select(
        "locator",
        *[pl.lit(v, pl.String).alias(k) for k, v in episode.items()],
        pl.when(person).then(pl.col("speaker")).alias("speaker"),
        pl.when(person).then(None).otherwise(pl.coalesce("label", "speaker")).alias("label"),
        pl.col("text").alias("quote"),
        _seconds(pl.col("start_ms")).alias("start"),
        _seconds(pl.col("end_ms")).alias("end"),
    )
    records, rejects = prepare(raw, source, kind="transcript", speaker_optional=True, rules=rules)
    return ParsedFile(
        records, pl.concat([transcript.rejects, rejects]), notes=list(transcript.notes)
    )


_LINK_DTYPE = pl.List(pl.Struct({k: pl.String() for k in ("url", "type", "language", "rel")}))


def feed_file(
    data: bytes, source: Source, feed_url: str | None = None, rules: AliasRules | None = None
) -> ParsedFile:
    """A feed: one record per (episode, tagged person), plus the episodes nobody is tagged in,
    and the episodes' transcript links."""
    feed = parse_feed(data, feed_url=feed_url)
    records, rejects = prepare(
        feed_records(feed), source, kind="feed", speaker_optional=True, rules=rules
    )
    first_row = records.group_by("episode_guid").agg(pl.col("row").min())
    links = (
        feed.episodes.select(
            pl.col("episode_key").alias("episode_guid"),
            pl.col("transcripts").str.json_decode(_LINK_DTYPE).alias("t"),
        )
        .explode("t")
        .unnest("t")
        .filter(pl.col("url").is_not_null())
        .join(first_row, on="episode_guid", how="inner")
        .select("row", "url", pl.col("type").alias("mime_type"), "language", "rel")
    )
    titles, title_rejects = title_guest_records(feed, source, rules)
    return ParsedFile(
        pl.concat([records, titles.with_columns(pl.col("row") + records.height)]),
        pl.concat([feed.rejects, rejects, title_rejects]),
        links=links,
        notes=list(feed.repairs),
    )


def title_guest_records(
    feed: ParsedFeed, source: Source, rules: AliasRules | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Guests named only in episode titles, as their own low-confidence source ('title'). The
    feed's hosts (tagged hosts, the channel's author and owner, names in most titles) and its
    own title are passed so they are never taken for guests."""
    show = feed.show
    episode_titles = [t for t in feed.episodes.get_column("title").to_list() if t]
    tagged_hosts = feed.persons.filter(pl.col("role") == "host").get_column("name").to_list()
    hosts = {*tagged_hosts, *recurring_names(episode_titles)}
    hosts.update(n for n in (show.get("author"), show.get("owner_name")) if n)
    rows: list[dict[str, str | None]] = []
    for ep in feed.episodes.iter_rows(named=True):
        if not ep["title"]:
            continue
        for guest in extract_title_guests(
            ep["title"], show_title=show.get("title"), hosts=sorted(hosts)
        ):
            rows.append(
                {
                    "locator": f"{ep['locator']} title ({guest.pattern})",
                    "show": show.get("title"),
                    "show_feed_url": show.get("feed_url"),
                    "show_guid": show.get("podcast_guid"),
                    "episode": ep["title"],
                    "episode_guid": ep["episode_key"],
                    "published": ep["published_at"].isoformat() if ep["published_at"] else None,
                    "speaker": guest.name,
                    "role": "guest",
                }
            )
    columns = ("locator", *CANONICAL_NAMES)
    raw = pl.DataFrame(
        [{c: r.get(c) for c in columns} for r in rows], schema=dict.fromkeys(columns, pl.String())
    )
    return prepare(raw, source, kind="title", rules=rules)


def episode_titles_file(data: bytes, source: Source, rules: AliasRules | None) -> ParsedFile:
    """A JSON object of episode number -> title (e.g. the Lex Fridman Podcast list): the episodes,
    and the guests their titles name, as the low-confidence 'title' source."""
    try:
        titles = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise UnreadableSource(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(titles, dict) or not all(isinstance(v, str) for v in titles.values()):
        raise UnreadableSource("expected a JSON object of episode number -> title")
    show = source.default_show
    if not show:
        raise UnreadableSource(f"source {source.name!r} needs default_show for an episode list")
    hosts = sorted(recurring_names(titles.values()))
    columns = ("locator", *CANONICAL_NAMES)
    rows: list[dict[str, str | None]] = []
    guests: list[dict[str, str | None]] = []
    for number, title in titles.items():
        base = {
            "locator": f"entry {number!r}",
            "show": show,
            "episode": title,
            "episode_number": str(number),
        }
        rows.append(base)
        for guest in extract_title_guests(title, show_title=show, hosts=hosts):
            guests.append(
                {
                    **base,
                    "locator": f"entry {number!r} title ({guest.pattern})",
                    "speaker": guest.name,
                    "role": "guest",
                }
            )

    def frame(items: list[dict[str, str | None]]) -> pl.DataFrame:
        return pl.DataFrame(
            [{c: r.get(c) for c in columns} for r in items],
            schema=dict.fromkeys(columns, pl.String()),
        )

    episodes, rejects = prepare(frame(rows), source, speaker_optional=True, rules=rules)
    named, named_rejects = prepare(frame(guests), source, kind="title", rules=rules)
    return ParsedFile(
        pl.concat([episodes, named.with_columns(pl.col("row") + episodes.height)]),
        pl.concat([rejects, named_rejects]),
    )


def parse_file(
    data: bytes,
    fmt: str,
    source: Source,
    *,
    filename: str | None = None,
    rules: AliasRules | None = None,
) -> ParsedFile:
    """Raises UnreadableSource when the file as a whole cannot be read."""
    if fmt == "feed":
        return feed_file(data, source, rules=rules)
    if fmt in TRANSCRIPT_FORMATS:
        return transcript_records(data, fmt, source, filename, rules)
    if fmt == "speaker_page":
        page = parse_speaker_page(data)
        records, rejects = prepare(page.records, source, kind="page_export", rules=rules)
        claims = []
        if page.claimed_total is not None:
            claims.append(
                Claim("speaker", page.speaker, "total_appearances", str(page.claimed_total))
            )
        return ParsedFile(records, pl.concat([page.rejects, rejects]), claims)
    if fmt == "hugo_page":
        page = parse_hugo_page(data)
        if page.kind == "person":
            return ParsedFile(pl.DataFrame(schema=PREPARED_SCHEMA), empty_rejects(), accepted=1)
        columns = ("locator", *CANONICAL_NAMES)
        raw = pl.DataFrame(
            [{c: r.get(c) for c in columns} for r in episode_rows(page)],
            schema=dict.fromkeys(columns, pl.String()),
        )
        records, rejects = prepare(raw, source, rules=rules, speaker_optional=True)
        return ParsedFile(records, rejects)
    if fmt == "people":
        directory = parse_directory(data, source)
        return ParsedFile(
            pl.DataFrame(schema=PREPARED_SCHEMA), directory.rejects, accepted=directory.accepted
        )
    if fmt == "episode_titles_json":
        return episode_titles_file(data, source, rules)
    raw, shape_rejects = READERS[fmt](data)
    records, rejects = prepare(raw, source, rules=rules, speaker_optional=source.speaker_optional)
    return ParsedFile(records, pl.concat([shape_rejects, rejects]))
