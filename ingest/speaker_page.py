"""Speaker-page text exports (a podcast directory's person page saved as text) -> records.

The page shows one person, the role it gives them, how many appearances the site claims, and a
list of entries: show, episode title, then one quote of that person. Each entry becomes a record
whose quote is a segment of that speaker. The site's own total is kept as a claim, not as our
count: we only count what we can see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from ingest.canonical import REJECT_SCHEMA
from ingest.errors import UnreadableSource
from ingest.tables import decode_text
from ingest.text import repair_text

_ROLE_LINE = re.compile(r"^(?:\S+\s+)?(speaker|host|guest|co-host|cohost|panelist)$", re.I)
_TOTAL = re.compile(r"^([\d,.\s]+)\s+total appearances?$", re.I)
_LIST_HEADING = re.compile(r"^podcast appearances$", re.I)


@dataclass(frozen=True)
class SpeakerPage:
    speaker: str
    role: str
    role_label: str  # the page's own role line, icon included (e.g. "👤 Speaker")
    claimed_total: int | None
    records: pl.DataFrame  # canonical columns + locator
    rejects: pl.DataFrame


def _blocks(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in lines:
        if line:
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_speaker_page(data: bytes) -> SpeakerPage:
    text = decode_text(data)
    lines = [(n, repair_text(raw) or "") for n, raw in enumerate(text.splitlines(), start=1)]
    role_at = next((i for i, (_, line) in enumerate(lines) if _ROLE_LINE.match(line)), None)
    if role_at is None:
        raise UnreadableSource(
            "not a speaker page export: no role line such as 'Speaker', 'Host' or 'Guest'"
        )
    name = next((line for _, line in reversed(lines[:role_at]) if line), None)
    if not name:
        raise UnreadableSource("not a speaker page export: no name above the role line")
    role_match = _ROLE_LINE.match(lines[role_at][1])
    assert role_match is not None
    role = role_match.group(1).lower()
    claimed: int | None = None
    heading_at: int | None = None
    for i, (_, line) in enumerate(lines[role_at + 1 :], start=role_at + 1):
        total = _TOTAL.match(line)
        if total and claimed is None:
            digits = re.sub(r"\D", "", total.group(1))
            claimed = int(digits) if digits else None
        if _LIST_HEADING.match(line):
            heading_at = i
            break
    if heading_at is None:
        raise UnreadableSource("not a speaker page export: no 'Podcast Appearances' heading")

    records: list[dict[str, str | None]] = []
    rejects: list[tuple[str, str, str]] = []
    blocks = _blocks(lines[heading_at + 1 :])
    i = 0
    entry = 0
    while i < len(blocks):
        entry += 1
        head = blocks[i]
        locator = f"entry {entry} (line {head[0][0]})"
        if len(head) != 2:
            rejects.append(
                (
                    locator,
                    f"expected a show line and an episode line, found {len(head)} line(s)",
                    "\n".join(line for _, line in head),
                )
            )
            i += 1
            continue
        if i + 1 >= len(blocks):
            rejects.append((locator, "entry has no quote", "\n".join(x for _, x in head)))
            break
        quote = " ".join(line for _, line in blocks[i + 1])
        records.append(
            {
                "locator": locator,
                "show": head[0][1],
                "episode": head[1][1],
                "speaker": name,
                "role": role,
                "quote": quote,
            }
        )
        i += 2
    schema = {c: pl.String() for c in ("locator", "show", "episode", "speaker", "role", "quote")}
    return SpeakerPage(
        speaker=name,
        role=role,
        role_label=lines[role_at][1],
        claimed_total=claimed,
        records=pl.DataFrame(records, schema=schema),
        rejects=pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row"),
    )
