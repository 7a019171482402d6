"""Readers for each transcript format: decoded text -> raw items in file order.

A reader only recognises a format's structure: where a cue or turn starts, the label written on
it, its times and its words. What a label *means* (a person, several people, a group, an ad
break) is decided once in ingest.transcripts, so every format follows the same rules. Readers
never repair text (that happens once, in the builder) and never raise anything but
UnreadableSource, and only when the file as a whole is not the format; one bad cue or turn is a
reject and the rest still load.
"""

from __future__ import annotations

import codecs
import html
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from ingest.errors import UnreadableSource
from ingest.tables import decode_text

Reject = tuple[str, str, str]  # (locator, reason, payload), as ingest.canonical.REJECT_SCHEMA


@dataclass
class RawItem:
    locator: str
    text: str  # the words with the format's markup removed; not yet repaired
    label: str | None = None  # the speaker label written on this very item
    carried: str | None = None  # the label that governs it: its own, or its turn's (SRT, HTML)
    start_ms: int | None = None
    end_ms: int | None = None
    source: str = ""  # the item as it stands in the file: the payload if it is rejected


@dataclass
class RawTranscript:
    items: list[RawItem] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    # A label whose every turn is wordless is a marker, not a speaker. Only Markdown uses labels
    # that way ("**Song of Arrakis:** \\[07:18\\]"); in cue formats an empty cue is an error.
    silent_labels_are_markers: bool = False


# ---------------------------------------------------------------------------------------------
# Shared pieces


def decode(data: bytes, what: str) -> str:
    """Text with "\\n" line ends. Binary data is refused here, once for every format, so no
    parser is ever handed junk that only looks like text after a windows-1252 fallback."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableSource(f"not a {what}: invalid UTF-16 text") from exc
    elif b"\x00" in data:
        raise UnreadableSource(f"not a {what}: binary data (NUL bytes)")
    else:
        text = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableSource(f"not a {what}: the file is empty")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\f")
    if controls > max(2, len(text) // 200):
        raise UnreadableSource(f"not a {what}: binary data ({controls} control characters)")
    return text


# [h:]m:ss[.fff]. With hours, minutes have two digits; mm:ss past an hour ("75:10") is allowed
# because hand-made transcripts write it.
_CLOCK = re.compile(r"(?:(\d{1,3}):(?=\d{2}:))?(\d{1,3}):(\d{2})(?:[.,](\d{1,3}))?")


def clock_ms(value: str) -> int | None:
    """Milliseconds for a clock time, or None when it is not one (the caller rejects)."""
    match = _CLOCK.fullmatch(value.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines with the 1-based line number of their first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


_TIMING = re.compile(r"^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$")


def _timing(line: str) -> tuple[int, int] | str:
    """(start, end) of a cue timing line, or the reason it cannot be used."""
    match = _TIMING.match(line)
    start = clock_ms(match.group(1)) if match else None
    end = clock_ms(match.group(2)) if match else None
    if start is None or end is None:
        return f"bad timestamp in timing line {line[:80]!r}"
    if end < start:
        return "cue ends before it starts"
    return start, end


def _cue(
    n: int, first: int, lines: list[str], fmt: str
) -> tuple[int, int, list[str], str] | Reject:
    """Timing and text lines of one cue block (an identifier line may precede the timing)."""
    locator = f"cue {n} (line {first})"
    at = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
    if at is None:
        return (locator, f"not a {fmt} cue: no 'start --> end' timing line", "\n".join(lines))
    timing = _timing(lines[at])
    if isinstance(timing, str):
        return (locator, timing, "\n".join(lines))
    return timing[0], timing[1], lines[at + 1 :], locator


# ---------------------------------------------------------------------------------------------
# WebVTT

_VTT_HEADER = re.compile(r"^WEBVTT(?:[ \t](.*))?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")
_TAG = re.compile(r"<[^>\n]*>")
_SKIPPED_BLOCK = re.compile(r"^(NOTE|STYLE|REGION)(?:[ \t].*)?$")


def read_vtt(text: str) -> RawTranscript:
    """Cues with their <v Name> voice. A cue without a voice tag gets no speaker: in WebVTT the
    voice belongs to the cue it is written in and does not carry over (unlike SRT)."""
    blocks = _blocks(text)
    header = _VTT_HEADER.match(blocks[0][1][0].lstrip("\ufeff")) if blocks else None
    if not blocks or blocks[0][0] != 1 or header is None:
        raise UnreadableSource("not a WebVTT file: missing WEBVTT header on the first line")
    out = RawTranscript(title=(header.group(1) or "").strip(" -") or None)
    first_line, head = blocks[0]
    cut = next((i for i, line in enumerate(head) if "-->" in line), len(head))
    cut = cut - 1 if cut > 1 and cut < len(head) else cut  # keep a cue identifier with its cue
    for line in head[1:cut]:
        key, sep, value = line.partition(":")
        if sep and key.strip():
            out.metadata[key.strip()] = value.strip()
    cue_blocks = ([(first_line + cut, head[cut:])] if cut < len(head) else []) + blocks[1:]
    skipped = 0
    for n, (first, lines) in enumerate(cue_blocks, start=1):
        if _SKIPPED_BLOCK.match(lines[0]) and "-->" not in lines[0]:
            skipped += 1
            continue
        cue = _cue(n - skipped, first, lines, "WebVTT")
        if len(cue) == 3:
            out.rejects.append(cue)
            continue
        start, end, body, locator = cue
        joined = " ".join(body)
        voices = [m.group(1).strip() for m in _VOICE.finditer(joined) if (m.group(1) or "").strip()]
        label = " & ".join(dict.fromkeys(voices)) or None
        words = html.unescape(_TAG.sub(" ", joined))
        out.items.append(RawItem(locator, words, label, label, start, end, source="\n".join(lines)))
    if skipped:
        out.notes.append(f"{skipped} NOTE/STYLE/REGION block(s) skipped")
    untagged = sum(1 for item in out.items if item.label is None)
    if untagged and untagged < len(out.items):
        out.notes.append(f"{untagged} cue(s) have no <v> voice tag: their speaker is None")
    return out


# ---------------------------------------------------------------------------------------------
# SRT

_SRT_MARKUP = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_NAME_WORD = r"[^\W\d_][\w.'’-]*"
_NAME_PREFIX = re.compile(
    rf"^(?P<label>{_NAME_WORD}(?:[ \t]+(?:&|and|{_NAME_WORD})){{0,4}})[ \t]*:[ \t]+(?P<rest>\S.*)$"
)
# Capitalised words that start sentences or captions but are not people.
_NOT_NAMES = frozenset(
    "a also and answer but caution chapter edit episode example hint however important "
    "meanwhile note now ok okay part ps q question quote re reminder remember so source step "
    "subject summary then there this tip title today update warning well yes no".split()
)


def _name_prefix(line: str) -> tuple[str, str] | None:
    """("Name", rest) when a cue starts with a speaker label. Conservative: at most five words,
    each capitalised (or '&'/'and'), 40 characters, and not a sentence opener like 'Note:';
    a time ("10:30") never matches because a label must start with a letter."""
    match = _NAME_PREFIX.match(line)
    if not match:
        return None
    label = match.group("label")
    words = [w for w in label.split() if w not in ("&", "and")]
    if len(label) > 40 or not all(w[0].isupper() for w in words):
        return None
    if label.casefold() in _NOT_NAMES:
        return None
    return label, match.group("rest")


def read_srt(text: str) -> RawTranscript:
    """Cues with a "Name:" prefix. The Podcasting 2.0 spec says to "start a new card when the
    speaker changes" and name the speaker there, so a cue without a prefix continues the turn
    of the last named speaker: it carries that speaker but its own label stays None."""
    blocks = _blocks(text.lstrip("\ufeff"))
    if not any("-->" in line for _, lines in blocks for line in lines[:2]):
        raise UnreadableSource(
            "not an SRT file: no 'hh:mm:ss,mmm --> hh:mm:ss,mmm' timing line found"
        )
    out = RawTranscript()
    carried: str | None = None
    continued = 0
    for n, (first, lines) in enumerate(blocks, start=1):
        cue = _cue(n, first, lines, "SRT")
        if len(cue) == 3:
            out.rejects.append(cue)
            continue
        start, end, body, locator = cue
        body = [_SRT_MARKUP.sub(" ", line).strip() for line in body]
        label = None
        prefix = _name_prefix(body[0]) if body else None
        if prefix:
            label, body[0] = prefix
            carried = label
        elif carried is not None:
            continued += 1
        out.items.append(
            RawItem(locator, " ".join(body), label, carried, start, end, "\n".join(lines))
        )
    if continued:
        out.notes.append(
            f"{continued} cue(s) without a 'Name:' prefix continue the previous speaker's turn"
        )
    return out


# ---------------------------------------------------------------------------------------------
# Podcasting 2.0 JSON and CRD3 diarized JSON


def load_json(text: str, what: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise UnreadableSource(f"not a {what}: invalid JSON ({str(exc)[:80]})") from exc


def _seconds_ms(value: object) -> int | None | str:
    """Milliseconds for a time in seconds; None when absent; a reason string when unusable."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return f"not a number: {value[:40]!r}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"not a number: {type(value).__name__}"
    if not math.isfinite(value) or not 0 <= value < 10_000_000:
        return f"out of range: {value!r}"
    return round(value * 1000)


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)[:2000]


def read_podcast_json(text: str) -> RawTranscript:
    """{"version", "segments": [{"speaker", "startTime", "endTime", "body"}]}; times are seconds.
    Each JSON segment stays one segment (often one word): merging is the caller's choice."""
    what = "Podcasting 2.0 JSON transcript"
    doc = load_json(text, what)
    if not isinstance(doc, dict) or not isinstance(doc.get("segments"), list):
        raise UnreadableSource(f"not a {what}: no top-level 'segments' list")
    out = RawTranscript()
    if isinstance(doc.get("version"), str | int | float):
        out.metadata["version"] = str(doc["version"])
    for i, seg in enumerate(doc["segments"]):
        locator = f"segments[{i}]"
        if not isinstance(seg, dict):
            out.rejects.append((locator, "segment is not a JSON object", _dump(seg)))
            continue
        speaker, body = seg.get("speaker"), seg.get("body")
        start, end = _seconds_ms(seg.get("startTime")), _seconds_ms(seg.get("endTime"))
        reason = None
        if isinstance(start, str) or isinstance(end, str):
            bad = "startTime" if isinstance(start, str) else "endTime"
            reason = f"bad {bad}: {start if isinstance(start, str) else end}"
        elif start is not None and end is not None and end < start:
            reason = "segment ends before it starts"
        elif speaker is not None and not isinstance(speaker, str):
            reason = "speaker is not text"
        elif not isinstance(body, str):
            reason = "body is missing or not text"
        if reason:
            out.rejects.append((locator, reason, _dump(seg)))
            continue
        assert isinstance(body, str) and not isinstance(start, str) and not isinstance(end, str)
        label = speaker if isinstance(speaker, str) and speaker.strip() else None
        out.items.append(RawItem(locator, body, label, label, start, end, _dump(seg)))
    return out


_WIKI_TITLE = re.compile(r'^\s*"\s*([^"]+?)\s*"\s*\((\d+x\d+)\)')


def read_diarized_json(text: str) -> RawTranscript:
    """CRD3: {"METADATA": {...}, "TURNS": [{"NAMES": [...], "UTTERANCES": [...], "NUMBER"}]}.
    Utterances are line-wrapped fragments of one turn and are joined with spaces; several NAMES
    are joined with " & " into one label, which the builder flags as multi-speaker."""
    what = "diarized JSON transcript (CRD3)"
    doc = load_json(text, what)
    if not isinstance(doc, dict) or not isinstance(doc.get("TURNS"), list):
        raise UnreadableSource(f"not a {what}: no top-level 'TURNS' list")
    out = RawTranscript()
    meta = doc.get("METADATA")
    blurb = meta.get("Wiki Blurb") if isinstance(meta, dict) else None
    if isinstance(blurb, list) and blurb and isinstance(blurb[0], dict):
        match = _WIKI_TITLE.match(str(blurb[0].get("content", "")))
        if match:
            out.title, out.metadata["episode_code"] = match.group(1), match.group(2)
    for i, turn in enumerate(doc["TURNS"]):
        number = turn.get("NUMBER") if isinstance(turn, dict) else None
        locator = f"TURNS[{i}]" + (f" (NUMBER {number})" if isinstance(number, int) else "")
        names = turn.get("NAMES", []) if isinstance(turn, dict) else None
        lines = turn.get("UTTERANCES") if isinstance(turn, dict) else None
        if not isinstance(turn, dict):
            reason = "turn is not a JSON object"
        elif not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            reason = "NAMES is not a list of names"
        elif not isinstance(lines, list) or not all(isinstance(u, str) for u in lines):
            reason = "UTTERANCES is not a list of text lines"
        else:
            reason = None
        if reason:
            out.rejects.append((locator, reason, _dump(turn)))
            continue
        assert isinstance(names, list) and isinstance(lines, list)
        label = " & ".join(n.strip() for n in names if n.strip()) or None
        out.items.append(RawItem(locator, " ".join(lines), label, label, source=_dump(turn)))
    return out


# ---------------------------------------------------------------------------------------------
# Podcasting 2.0 HTML


def read_podcast_html(text: str) -> RawTranscript:
    """<cite>Name:</cite> <time>m:ss</time> <p>words</p>. A <cite> names the speaker of every
    following <p> until the next <cite> (it heads the monologue); a <time> dates only the next
    <p>. lxml's HTML parser reads no DTD and fetches nothing."""
    parser = lxml.html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.LxmlError, ValueError) as exc:
        raise UnreadableSource(f"not an HTML transcript: {str(exc)[:80]}") from exc
    if root is None or not any(True for _ in root.iter("p")):
        raise UnreadableSource("not a Podcasting 2.0 HTML transcript: no <p> paragraphs")
    out = RawTranscript()
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        out.title = title.text_content().strip()
    for br in root.iter("br"):
        br.tail = " " + (br.tail or "")
    carried: str | None = None
    label: str | None = None
    pending: int | str | None = None
    n = 0
    for el in root.iter("cite", "time", "p"):
        content = el.text_content()
        if el.tag == "cite":
            label = carried = content.strip().rstrip(":").strip() or None
        elif el.tag == "time":
            at = clock_ms(content)
            pending = at if at is not None else f"bad <time> {content.strip()[:40]!r}"
        else:
            n += 1
            locator = f"paragraph {n} (line {el.sourceline})"
            if isinstance(pending, str):
                out.rejects.append((locator, pending, content[:2000]))
            else:
                out.items.append(
                    RawItem(locator, content, label, carried, pending, source=content[:2000])
                )
            label, pending = None, None
    return out


# ---------------------------------------------------------------------------------------------
# Markdown (Changelog) and plain text

# "**Name:** words" and the variant "**Name**: words" (7 turns in the Changelog sample).
_MD_LABEL = re.compile(r"^\*\*(?P<label>[^*\n]{0,80}?)\s*(?::\*\*|\*\*[ \t]*:)[ \t]*(?P<rest>.*)$")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t#]*$")
_MD_RULE = re.compile(r"^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
# Changelog writes "\[04:01\]", "\[01:01:10.24\]", once even "\[\\00:20:03.01\\8\]".
_MD_TIME_BODY = r"\d{1,3}(?::\d{1,2}){1,2}(?:[.,][\d\\]*)?"
_MD_TIME = re.compile(rf"\\?\[\\*({_MD_TIME_BODY})\\*\\?\]")
_MD_LEAD = re.compile(rf"^\s*{_MD_TIME.pattern}(?:\s+to\s+{_MD_TIME.pattern})?\s*")
_MD_LINK = re.compile(r"(?<!\\)!?\[([^\]\n]*)(?<!\\)\]\([^)\s]*\)")
_MD_BOLD = re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")


def _md_clock(raw: str | None) -> int | None:
    return clock_ms(raw.replace("\\", "")) if raw else None


def _md_words(text: str) -> str:
    """Speech without the transcript's apparatus: timestamps go (they mark audio time, not
    words), links keep their text, bold and escapes are undone; "[laughs]" stays."""
    text = _MD_TIME.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_BOLD.sub(r"\1", text)
    return _MD_ESCAPE.sub(r"\1", text)


def read_markdown(text: str) -> RawTranscript:
    """Changelog turns: "**Name:**" starts a turn and every following paragraph without a label
    belongs to it (the real files continue long answers that way). A timestamp at the very start
    of a turn is its start time ("\\[18:04\\] to \\[18:51\\]" gives the end too); timestamps
    further in mark a point inside the turn, not its start, so they only leave the text.
    Paragraphs before any label, or after a heading, are unlabelled segments of their own."""
    out = RawTranscript(silent_labels_are_markers=True)
    turns: list[tuple[int, str | None, list[str]]] = []  # (first line, label, paragraphs)
    open_turn = False
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            if open_turn:
                turns[-1][2].append(" ".join(paragraph))
            else:
                turns.append((start_line, None, [" ".join(paragraph)]))
            paragraph.clear()

    start_line = 1
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        stripped = line.strip()
        label = _MD_LABEL.match(stripped)
        heading = _MD_HEADING.match(stripped)
        if not stripped or label or heading or _MD_RULE.match(stripped):
            flush()
        if label:
            turns.append((number, label.group("label").strip(), []))
            open_turn = True
            paragraph.append(label.group("rest"))
        elif heading:
            if out.title is None:
                out.title = heading.group(1)
            open_turn = False
        elif stripped and not _MD_RULE.match(stripped):
            if not paragraph:
                start_line = number
            paragraph.append(stripped)
    flush()
    for n, (first, label, paragraphs) in enumerate(turns, start=1):
        body = " ".join(paragraphs)
        lead = _MD_LEAD.match(body)
        start = _md_clock(lead.group(1)) if lead else None
        end = _md_clock(lead.group(2)) if lead else None
        rest = body[lead.end() :] if lead else body
        source = (f"**{label}:** " if label is not None else "") + body
        out.items.append(
            RawItem(
                f"turn {n} (line {first})", _md_words(rest), label, label, start, end, source[:2000]
            )
        )
    return out


_TEXT_LEAD = re.compile(r"^\[?(\d{1,3}(?::\d{2}){1,2}(?:[.,]\d{1,3})?)\]?[ \t]+")


def read_text(text: str) -> RawTranscript:
    """Plain text has no speaker labels, and we never guess them. A segment is a paragraph
    (blank-line separated) or a line that starts with a timestamp ("00:01:05 words", as Talk
    Python's .txt files have), whose time becomes the segment's start."""
    out = RawTranscript()
    chunks: list[tuple[int, int | None, list[str]]] = []
    fresh = True
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            fresh = True
            continue
        lead = _TEXT_LEAD.match(stripped)
        at = clock_ms(lead.group(1)) if lead else None
        if at is not None:
            assert lead is not None
            stripped = stripped[lead.end() :]
        if fresh or at is not None:
            chunks.append((number, at, []))
            fresh = False
        chunks[-1][2].append(stripped)
    for n, (first, at, lines) in enumerate(chunks, start=1):
        words = " ".join(lines)
        out.items.append(
            RawItem(f"paragraph {n} (line {first})", words, None, None, at, source=words[:2000])
        )
    return out
