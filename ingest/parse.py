"""One entry point from a file's bytes to loadable records, whatever the format.

Pure: no database, no clock. The warehouse loader takes the result as it is, so every format
shares one set of validation rules and one loading path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ingest.prepare import prepare
from ingest.sources import Source
from ingest.speaker_page import parse_speaker_page
from ingest.tables import READERS


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

    @property
    def n_records(self) -> int:
        return self.records.height + self.rejects.height


def parse_file(data: bytes, fmt: str, source: Source) -> ParsedFile:
    """Raises UnreadableSource when the file as a whole cannot be read."""
    if fmt == "speaker_page":
        page = parse_speaker_page(data)
        records, rejects = prepare(page.records, source, kind="page_export")
        claims = []
        if page.claimed_total is not None:
            claims.append(
                Claim("speaker", page.speaker, "total_appearances", str(page.claimed_total))
            )
        return ParsedFile(records, pl.concat([page.rejects, rejects]), claims)
    raw, shape_rejects = READERS[fmt](data)
    records, rejects = prepare(raw, source)
    return ParsedFile(records, pl.concat([shape_rejects, rejects]))
