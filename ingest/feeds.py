"""Podcast feeds (RSS 2.0, RSS 1.0, Atom) as bytes -> show, episodes, persons and rejects.

Pure: no network, no database, no clock. A feed is the publisher's own statement of who was on
an episode (podcast:person), so it is parsed exactly per the Podcasting 2.0 spec; everything
else is only the episode frame those appearances hang on.

Reading. Real feeds are often not well-formed, and one bad byte must not cost a whole show, so
the bytes are made parseable first and every change is written to ``ParsedFeed.repairs``:
  * encoding: a BOM or the declared encoding decides; bytes invalid in UTF-8 are read as
    windows-1252 one by one (a stray cp1252 apostrophe in a UTF-8 file), ISO-8859-1 is read as
    windows-1252 (its superset, as browsers do); the text is then parsed as UTF-8;
  * whitespace before the XML declaration is dropped, and line breaks are kept so lxml's line
    numbers (used in every locator) still match the file;
  * a DOCTYPE is removed: feeds need no DTD, and without it no entity can be defined, so XXE
    and entity bombs have nothing to expand (the lxml parser also never resolves entities,
    loads DTDs or touches the network);
  * HTML named entities (&nbsp;) become the characters they name, unknown ones (&gtgt;) and
    bare '&' are escaped so they stay visible as text (libxml2's recovery would otherwise drop
    the following '&amp;'s of the same text node);
  * if the document still is not well-formed, nested CDATA sections are escaped, and as a last
    resort lxml's recovering parser keeps what it can (each error kind is noted).
A file that is no XML at all, or whose root is not rss/RDF/feed, raises UnreadableSource.

Persons (spec rule). Channel-level podcast:person tags apply to every item that has no valid
person tag of its own; an item's own tags REPLACE the channel's (never merged). role defaults
to "host" and group to "cast"; both are matched case-insensitively and stored lowercase. A
(group, role) pair is ``in_taxonomy`` only if the official taxonomy lists that role in that
group (roles are defined per group: "editor" is both writing and video post-production); other
values are kept as written, lowercased, with in_taxonomy False, because a music feed's
band/guitar is still a real credit. A tag with no name is a reject ("empty podcast:person")
and does not count as the item's own person list. The same (name, role, group) twice in one
episode is kept once.

Episode identity (``episode_key``, unique within the feed). The guid, unless it is a
placeholder (only zeros, dashes, braces, blanks); else the enclosure URL; else "title:" + the
normalised title + "|" + the date. When a key repeats: an item with the same key, title and
enclosure as an earlier one is a true duplicate and is dropped (noted); a different item gets
``<key>#<sha1(title, enclosure)[:10]>``, so re-published guids (seen in real feeds) never merge
two episodes, while the first item keeps the bare key. An item with no guid, enclosure or title
is a reject. podcast:liveItem elements are live streams, not episodes, and are skipped.
"""

from __future__ import annotations

import codecs
import hashlib
import html.entities
import json
import re
from collections import Counter
from dataclasses import dataclass

import polars as pl
from lxml import etree

from ingest.canonical import CANONICAL_NAMES, REJECT_SCHEMA
from ingest.errors import UnreadableSource
from ingest.feed_dates import parse_feed_date, slash_dates_day_first
from ingest.text import normalise_name_key, repair_text

__all__ = ["PERSON_TAXONOMY", "ParsedFeed", "feed_records", "parse_feed"]

# The official podcast:person taxonomy (podcastindex_person_taxonomy.json), lowercased.
PERSON_TAXONOMY: dict[str, frozenset[str]] = {
    group: frozenset(roles.split("|"))
    for group, roles in {
        "creative direction": "director|assistant director|executive producer|senior producer|"
        "producer|associate producer|development producer|creative director",
        "cast": "host|co-host|guest host|guest|voice actor|narrator|announcer|reporter",
        "writing": "author|editorial director|co-writer|writer|songwriter|guest writer|"
        "story editor|managing editor|script editor|script coordinator|researcher|editor|"
        "fact checker|translator|transcriber|logger",
        "audio production": "studio coordinator|technical director|technical manager|"
        "audio engineer|remote recording engineer|post production engineer",
        "audio post-production": "audio editor|sound designer|foley artist|composer|"
        "theme music|music production|music contributor",
        "administration": "production coordinator|booking coordinator|production assistant|"
        "content manager|marketing manager|sales representative|sales manager",
        "visuals": "graphic designer|cover art designer",
        "community": "social media manager",
        "misc.": "consultant|intern",
        "video production": "camera operator|lighting designer|camera grip|assistant camera",
        "video post-production": "editor|assistant editor",
    }.items()
}

# Namespace URIs compared without scheme, trailing slash or case: feeds copy them by hand.
_NAMESPACES = {
    "podcastindex.org/namespace/1.0": "podcast:",
    "github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md": "podcast:",
    "www.itunes.com/dtds/podcast-1.0.dtd": "itunes:",
    "www.w3.org/2005/atom": "atom:",
    "purl.org/atom/ns#": "atom:",
    "purl.org/rss/1.0": "",
    "my.netscape.com/rdf/simple/0.9": "",
    "purl.org/dc/elements/1.1": "dc:",
    "www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
}
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_KNOWN_PREFIXES = {"podcast", "itunes", "atom", "dc", "rdf"}
_PLACEHOLDER = re.compile(r"^[0\-{}\s]*$")
_PAYLOAD_LIMIT = 2000
_DETAIL_LIMIT = 20  # per kind of repair note, so a hostile feed cannot flood the notes
_XMLNS_ATTR = re.compile(r'\s+xmlns(?::[\w.-]+)?="[^"]*"')

EPISODE_SCHEMA: dict[str, pl.DataType] = {
    "locator": pl.String(),
    "episode_key": pl.String(),
    "guid": pl.String(),
    "title": pl.String(),
    "published_at": pl.Datetime("us"),
    "published_raw": pl.String(),
    "date_issue": pl.String(),
    "episode_number": pl.String(),
    "season": pl.String(),
    "url": pl.String(),
    "enclosure_url": pl.String(),
    "link": pl.String(),
    "author": pl.String(),
    "duration_s": pl.Int64(),
    "transcripts": pl.String(),  # JSON list of {url, type, language, rel}
}
PERSON_SCHEMA: dict[str, pl.DataType] = {
    "episode_key": pl.String(),
    "locator": pl.String(),
    "name": pl.String(),
    "role": pl.String(),
    "group": pl.String(),
    "href": pl.String(),
    "img": pl.String(),
    "level": pl.String(),  # channel | item
    "in_taxonomy": pl.Boolean(),
}


@dataclass(frozen=True)
class ParsedFeed:
    format: str  # rss | rdf | atom
    show: dict[str, str | None]
    episodes: pl.DataFrame  # EPISODE_SCHEMA
    persons: pl.DataFrame  # PERSON_SCHEMA, after the channel/item rule
    rejects: pl.DataFrame  # REJECT_SCHEMA
    repairs: list[str]


# --- bytes -> text ---------------------------------------------------------------------------

_CP1252 = tuple(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))
_C1_TO_CP1252 = {b: _CP1252[b] for b in range(0x80, 0xA0)}
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def _utf8_or_cp1252(data: bytes, notes: list[str]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    bad = [m.start() for m in re.finditer("[\udc80-\udcff]", text)]
    line = text.count("\n", 0, bad[0]) + 1
    notes.append(f"{len(bad)} byte(s) invalid in UTF-8 read as windows-1252 (first on line {line})")
    return re.sub("[\udc80-\udcff]", lambda m: _CP1252[ord(m.group()) - 0xDC00], text)


def _decode(data: bytes, notes: list[str]) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _utf8_or_cp1252(data[3:], notes)
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace")
    m = _DECLARED.match(data[:1024])
    declared = m.group(1).decode("ascii") if m else None
    try:
        codec = codecs.lookup(declared).name if declared else "utf-8"
    except LookupError:
        notes.append(f"unknown declared encoding {declared!r}, read as UTF-8")
        codec = "utf-8"
    # A UTF-16/32 label on bytes without any NUL is a mislabelled 8-bit file.
    if codec in ("utf-8", "ascii") or (
        codec.startswith(("utf-16", "utf-32")) and b"\0" not in data
    ):
        return _utf8_or_cp1252(data, notes)
    if codec in ("iso8859-1", "cp1252"):
        try:  # a file labelled Latin-1 that is valid UTF-8 with non-ASCII is UTF-8 in practice
            text = data.decode("utf-8")
            if not text.isascii():
                notes.append(f"declared {declared} but is valid UTF-8: read as UTF-8")
                return text
        except UnicodeDecodeError:
            pass
        return data.decode("latin-1").translate(_C1_TO_CP1252)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        notes.append(f"bytes invalid in declared {declared}: read as UTF-8/windows-1252")
        return _utf8_or_cp1252(data, notes)


# --- text -> parseable XML ---------------------------------------------------------------------

_XML_DECL = re.compile(r"<\?xml\b[^>]*\?>")
_SPECIAL = re.compile(r"&|<!\[CDATA\[|<!--")
_REFERENCE = re.compile(r"&(#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z_][\w.-]{0,63};)")
_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _newlines(text: str) -> str:
    return "\n" * text.count("\n")


def _valid_char(code: int) -> bool:
    return (
        code in (9, 10, 13)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0x10FFFF
        and (code not in (0xFFFE, 0xFFFF))
    )


def _escape_nested_cdata(text: str) -> str:
    """Inner '<![CDATA[ ... ]]>' pairs inside a CDATA section (pasted <script> blocks) end the
    outer section early. Each inner ']]>' is split (']]]]><![CDATA[>'), the standard way to
    write ']]>' inside CDATA. Only used when the strict parse failed, and only when every opened
    section closes again, so a lone '<![CDATA[' in text cannot swallow the rest of a file."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<![CDATA[", pos)) >= 0:
        out.append(text[pos : start + 9])
        i, depth, close = start + 9, 1, -1
        while depth:
            if close < i:  # each ']]>' is searched for once: linear even for hostile input
                close = text.find("]]>", i)
            if close < 0:
                return text
            opening = text.find("<![CDATA[", i, close)
            if opening >= 0:
                depth += 1
                out.append(text[i : opening + 9])
                i = opening + 9
                continue
            depth -= 1
            out.append(text[i:close] + ("]]>" if depth == 0 else "]]]]><![CDATA[>"))
            i = close + 3
        pos = i
    out.append(text[pos:])
    return "".join(out)


def _drop_doctype(text: str, notes: list[str]) -> str:
    """Remove a DOCTYPE (and its internal subset) that comes before the first element. A linear
    scan rather than one regex, so a hostile unterminated subset cannot make it backtrack."""
    first_element = re.search(r"<[A-Za-z_]", text)
    limit = first_element.start() if first_element else len(text)
    found = re.compile(r"<!DOCTYPE", re.I).search(text, 0, limit)
    if found is None:
        return text
    start = found.start()
    bracket, close = text.find("[", start, limit), text.find(">", start)
    if 0 <= bracket < close:
        subset_end = re.compile(r"\]\s*>").search(text, bracket)
        close = subset_end.end() - 1 if subset_end else -1
    if close < 0:
        return text  # not a complete DOCTYPE: the parser rejects it, entities stay unexpanded
    notes.append("DOCTYPE removed: DTDs and entity definitions are never used")
    return text[:start] + _newlines(text[start : close + 1]) + text[close + 1 :]


def _fix_references(text: str, notes: list[str]) -> str:
    """Entity references outside CDATA and comments: predefined and valid numeric ones stay,
    HTML names become numeric references, anything else (and a bare '&') becomes text."""
    out: list[str] = []
    html_names: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    bare = pos = 0
    while (m := _SPECIAL.search(text, pos)) is not None:
        out.append(text[pos : m.start()])
        if m.group() != "&":
            end_marker = "]]>" if m.group() == "<![CDATA[" else "-->"
            end = text.find(end_marker, m.end())
            end = len(text) if end < 0 else end + len(end_marker)
            out.append(text[m.start() : end])
            pos = end
            continue
        ref = _REFERENCE.match(text, m.start())
        pos = ref.end() if ref else m.end()
        if ref is None:
            bare += 1
            out.append("&amp;")
            continue
        name = ref.group(1)[:-1]
        if name[0] == "#":
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            out.append(ref.group() if _valid_char(code) else "&amp;" + ref.group(1))
        elif name in _PREDEFINED:
            out.append(ref.group())
        elif (chars := html.entities.html5.get(name + ";")) is not None:
            html_names[name] += 1
            out.append("".join(f"&#{ord(c)};" for c in chars))
        else:
            unknown[name] += 1
            out.append("&amp;" + ref.group(1))
    out.append(text[pos:])
    if html_names:
        names = ", ".join(f"&{n}; x{c}" for n, c in html_names.most_common(5))
        notes.append(f"HTML entities read as characters: {names}")
    for name, count in unknown.most_common(5):
        notes.append(f"undefined entity &{name}; left as text (x{count})")
    if bare:
        notes.append(f"{bare} bare '&' read as text")
    return "".join(out)


def _prepare(text: str, *, fix_nested: bool) -> tuple[bytes, list[str]]:
    """Text -> UTF-8 bytes without an XML declaration, line numbers unchanged."""
    notes: list[str] = []
    lead = re.match(r"[\s\ufeff]*", text).group()  # type: ignore[union-attr]
    rest = text[len(lead) :]
    decl = _XML_DECL.match(rest)
    if decl:
        if lead.strip("\ufeff"):
            notes.append("whitespace before the XML declaration removed")
        rest = _newlines(decl.group()) + rest[decl.end() :]
    text = _drop_doctype(_newlines(lead) + rest, notes)
    if fix_nested:
        fixed = _escape_nested_cdata(text)
        if fixed != text:
            notes.append("nested CDATA sections escaped")
            text = fixed
    text = _fix_references(text, notes)
    bad = len(_BAD_CHARS.findall(text))
    if bad:
        text = _BAD_CHARS.sub("", text)
        notes.append(f"{bad} character(s) not allowed in XML removed")
    return text.encode("utf-8"), notes


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=recover,
        remove_blank_text=False,
        remove_comments=True,
        remove_pis=True,
    )


def _read_tree(data: bytes) -> tuple[etree._Element, list[str]]:
    """Strict parse first; the repairs that change meaning (nested CDATA, recovery) only run
    when the document is not well-formed, so a valid feed is read exactly as written."""
    if not data.strip():
        raise UnreadableSource("empty file: there is no feed to read")
    notes: list[str] = []
    text = _decode(data, notes)
    plain, plain_notes = _prepare(text, fix_nested=False)
    try:
        return etree.fromstring(plain, _parser(False)), notes + plain_notes
    except (etree.LxmlError, ValueError) as exc:
        strict_error = str(exc)
    nested, nested_notes = _prepare(text, fix_nested=True)
    if nested != plain:
        try:
            return etree.fromstring(nested, _parser(False)), notes + nested_notes
        except (etree.LxmlError, ValueError):
            pass
    parser = _parser(True)
    try:
        root = etree.fromstring(nested, parser)
    except (etree.LxmlError, ValueError):
        root = None
    if root is None or not isinstance(root.tag, str):
        raise UnreadableSource(f"not XML: {strict_error}")
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    kinds = Counter(e.type_name for e in errors)
    first = errors[0] if errors else None
    summary = f"; first on line {first.line}: {first.message.strip()}" if first else ""
    notes += nested_notes
    notes.append(
        f"not well-formed XML, recovered past {len(errors)} error(s) "
        f"({', '.join(f'{k} x{c}' for k, c in kinds.most_common(3))}){summary}"
    )
    return root, notes


# --- tree -> values ----------------------------------------------------------------------------


def _key(el: etree._Element) -> str:
    """'podcast:person', 'itunes:author', 'atom:link', or a bare local name for RSS core
    elements, whatever prefix the feed chose; unknown namespaces keep their '{uri}' form."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        norm = re.sub(r"^https?://", "", uri.strip().lower()).rstrip("/")
        prefix = _NAMESPACES.get(norm)
        return f"{prefix}{local}" if prefix is not None else tag
    prefix, sep, local = tag.partition(":")
    if sep and prefix.lower() in _KNOWN_PREFIXES:  # undeclared prefix kept by recovery
        return f"{prefix.lower()}:{local}"
    return tag


def _children(el: etree._Element) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for child in el:
        key = _key(child)
        if key:
            out.setdefault(key, []).append(child)
    return out


def _raw(el: etree._Element | None) -> str | None:
    """Identifiers and URLs: whitespace trimmed, nothing else touched."""
    if el is None:
        return None
    return "".join(el.itertext()).strip() or None


def _clean(el: etree._Element | None) -> str | None:
    """Titles and names: through repair_text, so mojibake and spacing never reach storage."""
    if el is None:
        return None
    return repair_text("".join(el.itertext())) or None


def _attr(el: etree._Element | None, name: str) -> str | None:
    if el is None:
        return None
    return (el.get(name) or "").strip() or None


def _first(kids: dict[str, list[etree._Element]], *keys: str) -> etree._Element | None:
    for key in keys:
        for el in kids.get(key, ()):
            if "".join(el.itertext()).strip() or el.attrib:
                return el
    return None


def _atom_link(kids: dict[str, list[etree._Element]], rels: tuple[str | None, ...]) -> str | None:
    for el in kids.get("atom:link", ()):
        if (el.get("rel") or None) in rels and _attr(el, "href"):
            return _attr(el, "href")
    return None


def _payload(el: etree._Element) -> str:
    text = etree.tostring(el, encoding="unicode", with_tail=False)
    return _XMLNS_ATTR.sub("", text)[:_PAYLOAD_LIMIT]


def _line(el: etree._Element) -> int:
    return el.sourceline or 0


def _duration(text: str | None) -> int | None:
    m = re.match(r"^(?:(?:(\d+):)?(\d{1,2}):)?(\d+)(?:\.\d+)?$", (text or "").strip())
    if not m:
        return None
    return int(m[1] or 0) * 3600 + int(m[2] or 0) * 60 + int(m[3])


def _show(root: etree._Element, channel: etree._Element, fmt: str, feed_url: str | None) -> dict:
    """Show fields. The caller's feed_url wins over the feed's own rel=self link: it is the URL
    the source is configured with, and copies or mirrors of a feed keep the original's link."""
    kids = _children(channel)
    core = "atom:" if fmt == "atom" else ""
    owner = _children(kids["itunes:owner"][0]) if "itunes:owner" in kids else {}
    author_el = kids.get("atom:author", [None])[0]
    image = _attr(_first(kids, "itunes:image"), "href")
    if image is None and "image" in kids:
        image = _raw(_first(_children(kids["image"][0]), "url"))
    self_url = _atom_link(kids, ("self",))
    link = _atom_link(kids, (None, "alternate")) if fmt == "atom" else _raw(_first(kids, "link"))
    return {
        "title": _clean(_first(kids, f"{core}title")),
        "feed_url": feed_url or self_url,
        "self_url": self_url,
        "podcast_guid": _raw(_first(kids, "podcast:guid")),
        "link": link,
        "author": _clean(_first(kids, "itunes:author"))
        or (_clean(_first(_children(author_el), "atom:name")) if author_el is not None else None),
        "owner_name": _clean(_first(owner, "itunes:name")),
        "owner_email": _raw(_first(owner, "itunes:email")),
        "image": image or _raw(_first(kids, "atom:logo", "atom:icon")),
        "language": _raw(_first(kids, "language", "dc:language"))
        or root.get("{http://www.w3.org/XML/1998/namespace}lang"),
    }


def _norm_label(value: str | None, default: str) -> str:
    return (repair_text(value) or "").lower() or default


@dataclass
class _Person:
    name: str
    role: str
    group: str
    href: str | None
    img: str | None
    in_taxonomy: bool
    locator: str


def _persons(
    kids: dict[str, list[etree._Element]], where: str, rejects: list[tuple[str, str, str]]
) -> list[_Person]:
    found = []
    for i, el in enumerate(kids.get("podcast:person", ()), start=1):
        locator = f"{where} person {i} (line {_line(el)})"
        name = _clean(el)
        if not name:
            rejects.append((locator, "empty podcast:person", _payload(el)))
            continue
        role, group = _norm_label(el.get("role"), "host"), _norm_label(el.get("group"), "cast")
        in_taxonomy = role in PERSON_TAXONOMY.get(group, frozenset())
        found.append(
            _Person(name, role, group, _attr(el, "href"), _attr(el, "img"), in_taxonomy, locator)
        )
    return found


def _transcripts(kids: dict[str, list[etree._Element]]) -> str:
    return json.dumps(
        [
            {k: _attr(el, k) for k in ("url", "type", "language", "rel")}
            for el in kids.get("podcast:transcript", ())
        ],
        ensure_ascii=False,
    )


def _root_parts(root: etree._Element) -> tuple[str, etree._Element, str]:
    """(format, channel element, item key) or UnreadableSource naming what was found."""
    key = _key(root)
    local = str(root.tag).rpartition("}")[2]
    if key in ("rss", "rdf:RDF"):
        channel = next((c for c in root if _key(c) == "channel"), None)
        if channel is None:
            raise UnreadableSource(f"<{local}> feed has no <channel> element")
        return ("rss" if key == "rss" else "rdf"), channel, "item"
    if key in ("atom:feed", "feed"):
        return "atom", root, "atom:entry" if key == "atom:feed" else "entry"
    raise UnreadableSource(f"not an RSS or Atom feed: root element is <{local}>")


class _Notes:
    """Repair notes, at most _DETAIL_LIMIT per kind, so a hostile feed cannot flood them."""

    def __init__(self, repairs: list[str]) -> None:
        self.repairs = repairs
        self.counts: Counter[str] = Counter()

    def add(self, kind: str, text: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] <= _DETAIL_LIMIT:
            self.repairs.append(text)

    def close(self) -> None:
        for kind, count in self.counts.items():
            if count > _DETAIL_LIMIT:
                self.repairs.append(f"... and {count - _DETAIL_LIMIT} more {kind} note(s)")


@dataclass
class _Item:
    locator: str
    el: etree._Element
    kids: dict[str, list[etree._Element]]
    title: str | None
    guid: str | None
    enclosure: str | None
    link: str | None
    date_raw: str | None


def _read_item(el: etree._Element, n: int, fmt: str) -> _Item:
    kids = _children(el)
    if fmt == "atom":
        return _Item(
            locator=f"entry {n} (line {_line(el)})",
            el=el,
            kids=kids,
            title=_clean(_first(kids, "atom:title", "title")),
            guid=_raw(_first(kids, "atom:id", "id")),
            enclosure=_atom_link(kids, ("enclosure",)),
            link=_atom_link(kids, (None, "alternate")),
            date_raw=_raw(_first(kids, "atom:published", "atom:updated", "published", "updated")),
        )
    enclosures = (_attr(e, "url") for e in kids.get("enclosure", ()))
    return _Item(
        locator=f"item {n} (line {_line(el)})",
        el=el,
        kids=kids,
        title=_clean(_first(kids, "title")),
        guid=_raw(_first(kids, "guid")) or _attr(el, f"{{{_RDF}}}about"),
        enclosure=next((url for url in enclosures if url), None),
        link=_raw(_first(kids, "link")),
        date_raw=_raw(_first(kids, "pubDate", "dc:date")),
    )


class _Keys:
    """episode_key assignment; the rules are in the module docstring."""

    def __init__(self, notes: _Notes) -> None:
        self.notes = notes
        self.used: dict[str, str] = {}  # key -> locator of the item holding it
        self.seen: dict[tuple[str, str | None, str | None], str] = {}  # (base, title, encl.)

    def assign(self, item: _Item, base: str) -> str | None:
        """The item's key, or None when it repeats an earlier item exactly (dropped)."""
        same = self.seen.get((base, item.title, item.enclosure))
        if same is not None:
            self.notes.add(
                "duplicate item",
                f"{item.locator} repeats {same} (same key, title, enclosure): dropped",
            )
            return None
        self.seen[(base, item.title, item.enclosure)] = item.locator
        key = base
        if base in self.used:
            digest = hashlib.sha1(f"{item.title}\x1f{item.enclosure}".encode()).hexdigest()
            key = f"{base}#{digest[:10]}"
            while key in self.used:
                key += "+"
            self.notes.add(
                "re-used key",
                f"{item.locator} reuses the key {base!r} of {self.used[base]} for a different "
                f"episode: keyed {key!r}",
            )
        self.used.setdefault(base, item.locator)
        self.used.setdefault(key, item.locator)
        return key


def _episode_persons(
    key: str, item: _Item, own: list[_Person], channel: list[_Person], notes: _Notes
) -> list[dict]:
    """The spec rule: the item's own valid tags, else the channel's; each person once."""
    rows: list[dict] = []
    seen: set[tuple[str, str, str]] = set()
    for p in own or channel:
        ident = (normalise_name_key(p.name), p.role, p.group)
        if ident in seen:
            notes.add("repeated person", f"{item.locator}: {p.name!r} ({p.role}) tagged twice")
            continue
        seen.add(ident)
        rows.append(
            {
                "episode_key": key,
                "locator": p.locator if own else f"{item.locator} <- {p.locator}",
                "name": p.name,
                "role": p.role,
                "group": p.group,
                "href": p.href,
                "img": p.img,
                "level": "item" if own else "channel",
                "in_taxonomy": p.in_taxonomy,
            }
        )
    return rows


def parse_feed(data: bytes, *, feed_url: str | None = None) -> ParsedFeed:
    """Feed bytes -> ParsedFeed. Raises UnreadableSource (only) when no feed can be read.
    feed_url, when given, is the show's feed URL; otherwise the feed's atom:link rel=self."""
    root, repairs = _read_tree(data)
    fmt, channel, item_key = _root_parts(root)
    show = _show(root, channel, fmt, feed_url)
    if not show["title"]:
        repairs.append("channel has no title")
    notes = _Notes(repairs)
    rejects: list[tuple[str, str, str]] = []
    channel_persons = _persons(_children(channel), f"channel (line {_line(channel)})", rejects)
    live = sum(1 for el in root.iter() if _key(el) == "podcast:liveItem")
    if live:
        repairs.append(f"{live} podcast:liveItem element(s) skipped: live streams, not episodes")
    items = [
        _read_item(el, n, fmt)
        for n, el in enumerate((el for el in root.iter() if _key(el) == item_key), start=1)
    ]
    day_first = slash_dates_day_first(item.date_raw for item in items)
    keys = _Keys(notes)
    placeholders = 0
    episodes: list[dict] = []
    persons: list[dict] = []
    for item in items:
        date = parse_feed_date(item.date_raw, day_first=day_first)
        if date.issue:
            what = "left empty" if date.value is None else "kept"
            notes.add("date", f"{item.locator}: {date.issue} {item.date_raw!r}; {what}")
        guid = item.guid if item.guid and not _PLACEHOLDER.match(item.guid) else None
        placeholders += bool(item.guid) and guid is None
        day = date.value.date().isoformat() if date.value else (item.date_raw or "")
        title_key = f"title:{normalise_name_key(item.title)}|{day}" if item.title else None
        base = guid or item.enclosure or title_key
        if base is None:
            reason = "item has no guid, enclosure URL or title"
            rejects.append((item.locator, reason, _payload(item.el)))
            continue
        key = keys.assign(item, base)
        if key is None:
            continue
        kids = item.kids
        episodes.append(
            {
                "locator": item.locator,
                "episode_key": key,
                "guid": item.guid,
                "title": item.title,
                "published_at": date.value,
                "published_raw": item.date_raw,
                "date_issue": date.issue,
                "episode_number": _raw(_first(kids, "podcast:episode", "itunes:episode")),
                "season": _raw(_first(kids, "podcast:season", "itunes:season")),
                "url": item.enclosure or item.link,
                "enclosure_url": item.enclosure,
                "link": item.link,
                "author": _clean(_first(kids, "itunes:author")),
                "duration_s": _duration(_raw(_first(kids, "itunes:duration"))),
                "transcripts": _transcripts(kids),
            }
        )
        own = _persons(kids, item.locator, rejects)
        persons += _episode_persons(key, item, own, channel_persons, notes)
    notes.close()
    if placeholders:
        repairs.append(f"{placeholders} placeholder guid(s) ignored")
    return ParsedFeed(
        format=fmt,
        show=show,
        episodes=pl.DataFrame(episodes, schema=EPISODE_SCHEMA),
        persons=pl.DataFrame(persons, schema=PERSON_SCHEMA),
        rejects=pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row"),
        repairs=repairs,
    )


def feed_records(parsed: ParsedFeed) -> pl.DataFrame:
    """The feed in canonical record columns (+ locator), for the existing loader: one row per
    (episode, person), and one row with speaker None for an episode without persons so the
    episode itself is still loaded. episode_guid carries episode_key, so the loader's episode
    identity is exactly the key chosen here (placeholders and duplicates already resolved).
    Only columns ingest.canonical defines are filled (show_author, episode_season,
    speaker_group ... when it has them); all values are strings or None."""
    show = parsed.show
    by_episode: dict[str, list[dict]] = {}
    for person in parsed.persons.iter_rows(named=True):
        by_episode.setdefault(person["episode_key"], []).append(person)
    show_values = {
        "show": show["title"],
        "show_feed_url": show["feed_url"],
        "show_guid": show["podcast_guid"],
        "show_author": show["author"],
        "show_link": show["link"],
        "show_image": show["image"],
        "show_language": show["language"],
    }
    rows: list[dict[str, str | None]] = []
    for ep in parsed.episodes.iter_rows(named=True):
        episode_values = {
            **show_values,
            "episode": ep["title"],
            "episode_guid": ep["episode_key"],
            "episode_number": ep["episode_number"],
            "episode_url": ep["url"],
            "episode_season": ep["season"],
            "published": ep["published_at"].isoformat() if ep["published_at"] else None,
        }
        people = by_episode.get(ep["episode_key"]) or [None]
        for p in people:
            values = dict(episode_values, locator=ep["locator"])
            if p is not None:
                values.update(
                    locator=p["locator"],
                    speaker=p["name"],
                    speaker_href=p["href"],
                    speaker_image=p["img"],
                    role=p["role"],
                    speaker_group=p["group"],
                )
            rows.append({name: values.get(name) for name in ("locator", *CANONICAL_NAMES)})
    schema = {name: pl.String() for name in ("locator", *CANONICAL_NAMES)}
    return pl.DataFrame(rows, schema=schema)
