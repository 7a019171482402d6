"""People directories (e.g. a network's list of hosts and guests): who is known by which names.

A directory row names one person twice - a display name and a handle ("Chris Fisher" /
"chris") - so it is identity evidence, not an appearance. Each row becomes a same-person rule
(like aliases.toml's [[same_person]]), applied to every record at load time; the directory
file itself is recorded like any source, with its bad rows as rejects.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ingest.canonical import REJECT_SCHEMA
from ingest.errors import UnreadableSource
from ingest.names import person_key
from ingest.sources import Source
from ingest.tables import READERS
from ingest.text import repair_text


@dataclass(frozen=True)
class Directory:
    pairs: list[tuple[str, str]]  # (display name, other name of the same person)
    n_rows: int
    accepted: int  # good rows, including those whose two names are already one key
    rejects: pl.DataFrame


def _column(raw: pl.DataFrame, source: Source, name: str) -> pl.Series | None:
    wanted = source.columns.get(name, (name,))
    present = [c for c in wanted if c in raw.columns]
    if not present:
        return None
    return raw.select(pl.coalesce([pl.col(c) for c in present])).to_series()


def parse_directory(data: bytes, source: Source, fmt: str = "csv") -> Directory:
    """Rows of (speaker, speaker_alias) from a CSV/JSONL/Parquet people file."""
    raw, shape_rejects = READERS[fmt](data)
    names, aliases = _column(raw, source, "speaker"), _column(raw, source, "speaker_alias")
    if names is None or aliases is None:
        raise UnreadableSource(
            f"a people directory needs columns for speaker and speaker_alias "
            f"(source {source.name!r} maps {dict(source.columns)!r}; the file has "
            f"{[c for c in raw.columns if c != 'locator']})"
        )
    pairs: list[tuple[str, str]] = []
    rejects: list[tuple[str, str, str]] = []
    for locator, name, alias in zip(raw["locator"], names, aliases, strict=True):
        name, alias = repair_text(name), repair_text(alias)
        if not name or not alias:
            rejects.append(
                (locator, "people row needs both a name and another name", repr((name, alias)))
            )
        elif person_key(name) != person_key(alias):
            pairs.append((name, alias))
    return Directory(
        pairs=pairs,
        n_rows=raw.height + shape_rejects.height,
        accepted=raw.height - len(rejects),
        rejects=pl.concat(
            [shape_rejects, pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row")]
        ),
    )
