"""The canonical record: the one shape every source is turned into before loading.

A record file whose header already uses these names loads with no mapping at all; other files map
their own column names onto these in sources.toml. Keeping one shape means the warehouse loader,
the validation rules and the README's documentation exist once, not once per source.
"""

from __future__ import annotations

import polars as pl

# name -> (required?, meaning). Order is the documented canonical header order.
CANONICAL_COLUMNS: dict[str, tuple[bool, str]] = {
    "show": (True, "podcast title (or set default_show for the source)"),
    "show_feed_url": (False, "the show's feed URL; part of the show's identity when given"),
    "show_guid": (False, "the show's podcast:guid; the strongest show identity"),
    "show_author": (False, "the show's author (itunes:author)"),
    "show_link": (False, "the show's web page"),
    "show_image": (False, "the show's artwork URL"),
    "show_language": (False, "the show's language code"),
    "episode": (False, "episode title"),
    "episode_guid": (False, "item guid; placeholder guids (all zeros) are ignored"),
    "episode_number": (False, "episode number as printed by the show"),
    "episode_url": (False, "episode page or enclosure URL"),
    "episode_season": (False, "season number (podcast:season)"),
    "published": (False, "publication date or time (format set per source; default ISO 8601)"),
    "speaker": (True, "the person's name as written in the source"),
    "speaker_href": (False, "a URL about the person"),
    "speaker_alias": (False, "people directories: another name of the person (a username)"),
    "speaker_image": (False, "a picture of the person"),
    "role": (False, "host, guest, ... (or set default_role; otherwise 'guest')"),
    "speaker_group": (False, "podcast:person group: cast, writing, audio post-production, ..."),
    "quote": (False, "what the speaker said; each non-empty quote becomes a segment"),
    "start": (False, "quote start: HH:MM:SS(.fff), MM:SS or seconds"),
    "end": (False, "quote end, same formats"),
    "section": (False, "act or chapter the quote belongs to"),
    "label": (False, "a transcript label that names no person (ALL, Break): text kept, no speaker"),
}

CANONICAL_NAMES: tuple[str, ...] = tuple(CANONICAL_COLUMNS)

# The frame handed to the warehouse loader: canonical text columns after repair, plus parsed
# values and the provenance of each record.
PREPARED_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64(),  # 0-based record order in the file: "first seen" means lowest row
    "locator": pl.String(),  # 'line 12', 'row 3', 'entry 7'
    "source": pl.String(),  # record_file | page_export | feed | transcript
    "show_title": pl.String(),
    "show_key": pl.String(),
    "show_title_key": pl.String(),  # normalised title: matches a show another source stored
    "show_slug": pl.String(),
    "show_feed_url": pl.String(),
    "show_guid": pl.String(),
    "show_author": pl.String(),
    "show_link": pl.String(),
    "show_image": pl.String(),
    "show_language": pl.String(),
    "episode_title": pl.String(),
    "episode_key": pl.String(),
    "episode_guid": pl.String(),
    "episode_number": pl.String(),
    "episode_url": pl.String(),
    "episode_season": pl.String(),
    "published_at": pl.Datetime("us"),
    "speaker_name": pl.String(),
    "speaker_display": pl.String(),  # the canonical name when aliases.toml names one
    "alias_key": pl.String(),
    "speaker_slug": pl.String(),
    "speaker_href": pl.String(),
    "href_key": pl.String(),  # ingest.names.href_key of speaker_href: a strong identity
    "speaker_image": pl.String(),
    "role": pl.String(),
    "speaker_group": pl.String(),
    "quote": pl.String(),
    "start_ms": pl.Int64(),
    "end_ms": pl.Int64(),
    "section": pl.String(),
    "label": pl.String(),
}

REJECT_SCHEMA: dict[str, pl.DataType] = {
    "locator": pl.String(),
    "reason": pl.String(),
    "payload": pl.String(),
}


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_SCHEMA)
