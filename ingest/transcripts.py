"""Episode transcripts (WebVTT, SRT, Podcasting 2.0 JSON/HTML, Changelog Markdown, CRD3 JSON,
plain text) as bytes -> one frame of speaker segments + rejects. Pure: no network, DB or clock.

Every format ends in the same shape so the identity layer has one input. The format readers
(ingest.transcript_formats) only find structure; the rules about labels live here, once:

* A label is kept as written in ``label`` and, when it names a person, also in ``speaker``. No
  name is ever invented or expanded ("MATT" stays "MATT"): resolving it is the identity layer's
  job, and a wrong guess here would silently corrupt appearance counts.
* A label naming several people ("Adam & Jerod", CRD3 ["LAURA", "SAM"] -> "LAURA & SAM") keeps
  the label as speaker and sets ``multi_speaker``, so the identity layer can split or skip it.
* A group label ("ALL", "Both", "Everyone") is not a person: speaker None, multi_speaker True.
* A marker label ("Break", "Jingle", "Outro", "[Music]", a blank or letterless label) is not a
  person: speaker None. In Markdown, so is a label that has no words in any of its turns (e.g.
  Changelog's "**Song of Arrakis:** \\[07:18\\]", a music clip): nobody spoke, so it cannot be
  an appearance. A marker turn is kept even with empty text, because its time is the content.
* Any other turn with empty text is a reject, as is a cue with an unreadable timestamp.
* Speakers carry over only where the format says so: an SRT cue without "Name:" continues the
  last named speaker's turn (the Podcasting 2.0 spec: name the speaker on the card where the
  speaker changes), and a HTML <cite> heads all <p> until the next <cite>. Such a segment has
  the carried speaker but ``label`` None. WebVTT voices, JSON speakers and Markdown labels
  never carry over (Markdown's unlabelled paragraphs are merged into the open turn instead).
* ``labelled`` is False when no label names a person or group (plain text, Talk Python VTT).

Format detection when ``fmt`` is None: by file extension first (.vtt .srt .json .html/.htm
.md/.markdown .txt); .json is told apart by structure ("segments" -> podcast_json, "TURNS" ->
diarized_json). Without a known extension the content decides: "WEBVTT" -> vtt; JSON -> by
structure; a leading "<" -> podcast_html; "1" + an SRT timing line -> srt; a "**Name:**" line
-> markdown; anything else that is text -> text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

import polars as pl

from ingest.canonical import REJECT_SCHEMA
from ingest.errors import UnreadableSource
from ingest.text import repair_text
from ingest.transcript_formats import (
    RawTranscript,
    decode,
    load_json,
    read_diarized_json,
    read_markdown,
    read_podcast_html,
    read_podcast_json,
    read_srt,
    read_text,
    read_vtt,
)

__all__ = [
    "FORMATS",
    "SEGMENT_SCHEMA",
    "ParsedTranscript",
    "detect_format",
    "format_from_mime",
    "parse_transcript",
]

SEGMENT_SCHEMA: dict[str, pl.DataType] = {
    "seq": pl.Int64(),  # 0-based order of the segment in the file
    "locator": pl.String(),  # "cue 12 (line 40)", "turn 7 (line 88)", "TURNS[3] (NUMBER 3)"
    "speaker": pl.String(),  # a person (or people, see multi_speaker) as written; None if not
    "label": pl.String(),  # the label written on this segment, as in the file; None if none
    "multi_speaker": pl.Boolean(),  # the label names more than one person, or a group
    "start_ms": pl.Int64(),
    "end_ms": pl.Int64(),
    "text": pl.String(),  # one repaired paragraph; "" only for marker turns ("Break")
}

_READERS: dict[str, tuple[str, Callable[[str], RawTranscript]]] = {
    "vtt": ("WebVTT file", read_vtt),
    "srt": ("SRT file", read_srt),
    "podcast_json": ("Podcasting 2.0 JSON transcript", read_podcast_json),
    "podcast_html": ("HTML transcript", read_podcast_html),
    "markdown": ("Markdown transcript", read_markdown),
    "diarized_json": ("diarized JSON transcript (CRD3)", read_diarized_json),
    "text": ("text transcript", read_text),
}
FORMATS: tuple[str, ...] = tuple(_READERS)

_EXTENSIONS = {
    ".vtt": "vtt", ".webvtt": "vtt", ".srt": "srt", ".html": "podcast_html",
    ".htm": "podcast_html", ".xhtml": "podcast_html", ".md": "markdown",
    ".markdown": "markdown", ".txt": "text", ".text": "text",
}  # fmt: skip
# podcast:transcript type attributes. "application/json" there always means the Podcasting 2.0
# shape; CRD3 files are never published under a MIME type.
_MIME_TYPES = {
    "text/vtt": "vtt", "text/webvtt": "vtt", "application/x-subrip": "srt",
    "application/srt": "srt", "text/srt": "srt", "text/x-srt": "srt",
    "application/x-srt": "srt", "application/json": "podcast_json",
    "text/json": "podcast_json", "text/html": "podcast_html",
    "application/xhtml+xml": "podcast_html", "text/plain": "text",
    "text/markdown": "markdown", "text/x-markdown": "markdown",
}  # fmt: skip


@dataclass(frozen=True)
class ParsedTranscript:
    format: str  # one of FORMATS: what was parsed (given or detected)
    segments: pl.DataFrame  # SEGMENT_SCHEMA
    rejects: pl.DataFrame  # REJECT_SCHEMA
    labelled: bool  # some label names a person or a group
    notes: list[str] = field(default_factory=list)
    title: str | None = None  # WebVTT header text, HTML <title>, Markdown "# ...", CRD3 wiki
    metadata: dict[str, str] = field(default_factory=dict)  # e.g. JSON version, VTT "Kind"


def format_from_mime(mime: str) -> str | None:
    """The format for a podcast:transcript type attribute ("text/vtt; charset=utf-8" -> "vtt"),
    or None when it is not a transcript type we read."""
    return _MIME_TYPES.get(mime.split(";", 1)[0].strip().lower())


def _json_kind(text: str) -> str:
    doc = load_json(text, "JSON transcript")
    if isinstance(doc, dict) and isinstance(doc.get("segments"), list):
        return "podcast_json"
    if isinstance(doc, dict) and isinstance(doc.get("TURNS"), list):
        return "diarized_json"
    raise UnreadableSource(
        "JSON file is neither a Podcasting 2.0 transcript (no 'segments' list) nor a diarized "
        "CRD3 transcript (no 'TURNS' list)"
    )


_SRT_START = re.compile(r"\A\s*\d+[ \t]*\n[ \t]*\d+:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_MD_LABEL_LINE = re.compile(r"^\*\*[^*\n]{1,80}?(?::\*\*|\*\*[ \t]*:)", re.M)


def detect_format(data: bytes, filename: str | None = None) -> str:
    """The format by extension, else by content (rules in the module docstring)."""
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    text = decode(data, "transcript")
    if suffix == ".json":
        return _json_kind(text)
    head = text.lstrip("\ufeff \t\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith(("{", "[")):
        try:
            return _json_kind(head)
        except UnreadableSource:
            pass  # "[link](...)" Markdown or bracketed text: keep sniffing
    if head.startswith("<"):
        return "podcast_html"
    if _SRT_START.match(head):
        return "srt"
    if _MD_LABEL_LINE.search(head):
        return "markdown"
    return "text"


# ---------------------------------------------------------------------------------------------
# Labels

_GROUPS = frozenset(
    ("all", "both", "everyone", "everybody", "audience", "crowd", "together", "group", "hosts",
     "all hosts", "panel", "others", "unison", "chorus", "multiple speakers", "several speakers")
)  # fmt: skip
_MARKERS = frozenset(
    ("break", "ad break", "ad", "ads", "advert", "advertisement", "sponsor", "sponsors",
     "sponsor break", "jingle", "intro", "outro", "music", "theme", "theme music", "song",
     "clip", "audio", "sound", "sfx", "sound effect", "applause", "laughter", "crosstalk",
     "silence", "inaudible", "unintelligible", "unknown", "unknown speaker", "unidentified",
     "speaker", "transcript", "note", "editor's note", "pause", "interlude", "credits",
     "cold open")
)  # fmt: skip
_CONNECTOR = re.compile(r"\s*(?:&|\+|/|\band\b)\s*", re.I)


@dataclass(frozen=True)
class _Label:
    kind: str  # person | multi | group | marker | none
    speaker: str | None
    multi: bool


def _classify(label: str | None, silent: frozenset[str]) -> _Label:
    if label is None:
        return _Label("none", None, False)
    name = _clean(label).rstrip(":").strip()
    key = name.casefold()
    bracketed = name[:1] in "[(" and name[-1:] in "])"
    if not name or bracketed or not any(c.isalpha() for c in name) or key in _MARKERS:
        return _Label("marker", None, False)
    parts = [p.casefold() for p in _CONNECTOR.split(name) if p.strip()]
    if key in _GROUPS or any(p in _GROUPS for p in parts):
        return _Label("group", None, True)
    if label in silent:
        return _Label("marker", None, False)
    return _Label("multi" if len(parts) > 1 else "person", name, len(parts) > 1)


_NOTE = {
    "multi": "names several people: speaker kept as written, multi_speaker set",
    "group": "is a group, not a person: speaker None, multi_speaker set",
    "marker": "is not a person (marker): speaker None",
}


def _clean(value: str) -> str:
    text = repair_text(value) or ""
    return text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates from JSON escapes


def _build(fmt: str, raw: RawTranscript) -> ParsedTranscript:
    texts = [_clean(item.text) for item in raw.items]
    spoke: dict[str, bool] = {}
    for item, text in zip(raw.items, texts, strict=True):
        if item.carried is not None:
            spoke[item.carried] = spoke.get(item.carried, False) or bool(text)
    silent = frozenset(
        label for label, said in spoke.items() if not said and raw.silent_labels_are_markers
    )
    kinds = {label: _classify(label, silent) for label in spoke}
    rows: list[tuple[object, ...]] = []
    rejects = list(raw.rejects)
    written: Counter[str] = Counter()
    for item, text in zip(raw.items, texts, strict=True):
        info = kinds[item.carried] if item.carried is not None else _classify(None, silent)
        if not text and info.kind != "marker":
            rejects.append((item.locator, "empty text", _clean(item.source)))
            continue
        label = _clean(item.label) if item.label is not None else None
        if item.label is not None:
            written[item.label] += 1
        rows.append(
            (len(rows), item.locator, info.speaker, label, info.multi, item.start_ms,
             item.end_ms, text)
        )  # fmt: skip
    notes = list(raw.notes)
    for label, count in written.items():
        kind = kinds[label].kind
        if kind in _NOTE:
            silenced = kind == "marker" and _classify(label, frozenset()).kind != "marker"
            why = " (it has no words in this file)" if silenced else ""
            notes.append(f"label {label!r} ({count} segment(s)) {_NOTE[kind]}{why}")
    labelled = any(k.kind in ("person", "multi", "group") for k in kinds.values())
    if not labelled:
        notes.append("no speaker labels: the transcript is unlabelled, every speaker is None")
    return ParsedTranscript(
        format=fmt,
        segments=pl.DataFrame(rows, schema=SEGMENT_SCHEMA, orient="row"),
        rejects=pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row"),
        labelled=labelled,
        notes=notes,
        title=(_clean(raw.title) or None) if raw.title else None,
        metadata={k: _clean(v) for k, v in raw.metadata.items()},
    )


def parse_transcript(
    data: bytes, fmt: str | None = None, *, filename: str | None = None
) -> ParsedTranscript:
    """Segments and rejects of one transcript file. ``fmt`` is one of FORMATS (a MIME type
    goes through format_from_mime first); None detects it from ``filename`` and the content.
    Raises UnreadableSource when the file as a whole is not readable as that format, and
    ValueError only for an unknown ``fmt`` (a caller's bug, not bad input)."""
    if fmt is None:
        fmt = detect_format(data, filename)
    if fmt not in _READERS:
        raise ValueError(f"unknown transcript format {fmt!r}; expected one of {FORMATS}")
    what, reader = _READERS[fmt]
    return _build(fmt, reader(decode(data, what)))
