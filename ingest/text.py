"""Text repair applied to every scraped value before it is stored.

Speaker names, show titles and quotes reach us through feeds, CMS exports and scrapers that
guess encodings, so the same value can arrive clean, mojibaked or padded with odd whitespace.
Storing one repaired form means matching, deduplication and display never have to care which
route a value took. Every function here is idempotent, so re-running ingestion over stored
values cannot drift them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import ftfy

__all__ = [
    "normalise_name_key",
    "repair_multiline",
    "repair_text",
    "repair_thai_mojibake",
    "slugify",
]

# ftfy only undoes damage to the text, never changes what it says: HTML entities stay because
# stored markup is kept as text, curly quotes stay because they are content (and uncurling would
# destroy the windows-1252 quote bytes the Thai repair reads), ligatures and full-width forms
# stay because they can be deliberate. normalise_name_key folds those for matching instead.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_encoding=True,
    fix_c1_controls=True,
    remove_terminal_escapes=True,
    fix_surrogates=True,
    remove_control_chars=True,
    explain=False,
)

# A repair can uncover another layer (double mojibake); a few passes reach a fixed point, which
# is what makes the public functions idempotent.
_MAX_PASSES = 4

_WHITESPACE = re.compile(r"\s+")
_THAI = re.compile("[\u0e00-\u0e7f]")


def _decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _hybrid_table() -> tuple[str, ...]:
    """The decoder behind the scraped pages' mojibake, so its damage can be reversed byte for
    byte: windows-874 (Thai) for the high half but windows-1252 for 0x80-0x9F, as seen in the
    pages ("Ÿ" for 0x9F). Undefined bytes pass through as chr(b), as Latin-1 would."""
    table = []
    for byte in range(256):
        codec = "ascii" if byte < 0x80 else "cp1252" if byte < 0xA0 else "cp874"
        table.append(_decode(bytes([byte]), codec) or chr(byte))
    return tuple(table)


_HYBRID = _hybrid_table()
_TO_BYTE = {char: byte for byte, char in enumerate(_HYBRID) if byte >= 0x80}
assert len(_TO_BYTE) == 128, "hybrid table must be one-to-one to be reversible"
_RUN = re.compile("[" + "".join(re.escape(c) for c in sorted(_TO_BYTE)) + "]+")
# Characters genuine Thai (cp874) text cannot contain: cp1252-only symbols and C1 controls at
# bytes cp874 leaves undefined. Seeing one proves the run went through the wrong decoder.
_NOT_THAI_TEXT = frozenset(
    _HYBRID[b] for b in range(0x80, 0xA0) if _decode(bytes([b]), "cp874") is None
)


def _utf8_width(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _segments(run: str) -> list[tuple[int, int, str]]:
    """Stretches of the run whose bytes are well-formed UTF-8, as (start, end, decoded).

    A run can mix mojibake with characters that were never encoded (an NBSP from an HTML
    entity, a genuine Thai letter), so one stray byte must not stop the rest being repaired.
    Each character is one byte, so offsets into the run and into its bytes coincide."""
    data = bytes(_TO_BYTE[c] for c in run)
    segments: list[tuple[int, int, str]] = []
    start = i = 0
    while i < len(data):
        width = _utf8_width(data[i])
        if width and _decode(data[i : i + width], "utf-8") is not None:
            i += width  # a truncated slice fails to decode: no bounds check needed
            continue
        if start < i:
            segments.append((start, i, data[start:i].decode("utf-8")))
        i += 1
        start = i
    if start < len(data):
        segments.append((start, len(data), data[start:].decode("utf-8")))
    return segments


def _is_ascii_letter(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalpha()


def _latin_letters(decoded: str) -> bool:
    """Rule (b) only trusts results that extend the neighbouring Latin word ("Caf" + "é")."""
    return all(
        unicodedata.category(c).startswith("M") or "LATIN" in unicodedata.name(c, "")
        for c in decoded
    )


def repair_thai_mojibake(s: str) -> str:
    """Undo UTF-8 that was decoded with the Thai/windows-1252 hybrid codepage.

    ftfy does not know this codepage, yet scraped pages carry it ("๐Ÿ‘ค" for "👤"). Real
    Thai words are valid UTF-8 surprisingly often ("รก" is C3 A1, "á"), so a stretch is only
    replaced when the evidence is clear: (a) it contains a character genuine Thai text never
    does, or (b) the whole run is glued to ASCII letters ("Cafรฉ"), decodes to Latin letters,
    and no Thai appears anywhere else in the text. Anything else is left as it is.
    """
    runs = list(_RUN.finditer(s))
    if not runs:
        return s
    plans: list[list[tuple[int, int, str]]] = []
    whole: list[bool] = []  # the run as a whole is well-formed UTF-8
    for m in runs:
        plans.append(_segments(m.group()))
        whole.append(len(plans[-1]) == 1 and plans[-1][0][:2] == (0, len(m.group())))
    # Thai outside fully-decodable runs means the text is really Thai: rule (b) is off then.
    thai_elsewhere = bool(_THAI.search(_RUN.sub("", s))) or any(
        _THAI.search(m.group()) for m, ok in zip(runs, whole, strict=True) if not ok
    )
    out: list[str] = []
    pos = 0
    for m, plan, is_whole in zip(runs, plans, whole, strict=True):
        run = m.group()
        glued = _is_ascii_letter(s, m.start() - 1) or _is_ascii_letter(s, m.end())
        rule_b = is_whole and glued and not thai_elsewhere
        out.append(s[pos : m.start()])
        cursor = 0
        for start, end, decoded in plan:
            if any(unicodedata.category(c) == "Cc" for c in decoded):
                continue  # decoding into control characters is never an improvement
            proven = not _NOT_THAI_TEXT.isdisjoint(run[start:end])
            if not (proven or (rule_b and _latin_letters(decoded))):
                continue
            out.append(run[cursor:start])
            out.append(decoded)
            cursor = end
        out.append(run[cursor:])
        pos = m.end()
    out.append(s[pos:])
    return "".join(out)


def _squash(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _squash_lines(text: str) -> str:
    return "\n".join(line for line in map(_squash, text.splitlines()) if line)


def _fixed_point(value: str, step: Callable[[str], str]) -> str:
    for _ in range(_MAX_PASSES):
        fixed = step(value)
        if fixed == value:
            break
        value = fixed
    return value


def _repair_step(text: str, keep_lines: bool) -> str:
    # The Thai repair runs on both sides of ftfy. Before: ftfy's own guesses misread some
    # Thai-codepage runs ("ๅŠ‰", the surname 劉) and the bytes are lost once it has. After:
    # ftfy turns raw C1 controls into the windows-1252 characters the Thai table expects. Only
    # runs with clear evidence are touched, so the early pass cannot take ftfy's cases.
    text = ftfy.fix_text(repair_thai_mojibake(text), _FTFY_CONFIG)
    text = unicodedata.normalize("NFC", repair_thai_mojibake(text))
    return _squash_lines(text) if keep_lines else _squash(text)


def repair_text(value: str | None) -> str | None:
    """One stored form for a single-line value, so equal-looking values compare equal.

    None stays None because "missing" and "empty" mean different things to callers; an empty
    result is returned as "" and the caller decides whether that is an error.
    """
    if value is None:
        return None
    return _fixed_point(value, lambda t: _repair_step(t, keep_lines=False))


def repair_multiline(value: str | None) -> str | None:
    """Like repair_text, but quotes and transcripts keep their line structure, which carries
    meaning (speaker turns, paragraphs); blank lines still collapse, being layout noise."""
    if value is None:
        return None
    return _fixed_point(value, lambda t: _repair_step(t, keep_lines=True))


_NAME_PUNCTUATION = dict.fromkeys(map(ord, ".,'\"`´‘’‚‛“”„‟‹›«»′″"))


def _name_key_step(name: str) -> str:
    # Punctuation goes both before NFKC (which splits "´" into a space and an accent) and after
    # it (which turns full-width "．" and "＇" into ASCII). The final NFKC re-joins a letter and
    # a mark that a dropped character used to separate.
    text = (repair_text(name) or "").translate(_NAME_PUNCTUATION)
    text = unicodedata.normalize("NFKC", text).casefold().translate(_NAME_PUNCTUATION)
    return _squash(unicodedata.normalize("NFKC", text))


def normalise_name_key(name: str) -> str:
    """The key that decides whether two spellings are the same speaker or show.

    It only folds differences no one would use to tell people apart (case, width, ligatures,
    initials' dots, quotes, spacing). Accents are kept: "René" and "Rene" may be different
    people, and a wrong merge corrupts counts, while a missed one is easy to fix by alias.
    """
    return _fixed_point(name, _name_key_step)


# Latin letters NFKD does not decompose; without these, names lose letters in URLs ("Bjrn").
_ASCII_SPELLING = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i", "ħ": "h"},
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(value: str) -> str:
    """A readable ASCII identifier for URLs and file names, not a matching key: it drops
    accents, so different people can share a slug. Non-Latin names may give "", and the caller
    must then fall back to another identifier."""
    text = (repair_text(value) or "").casefold().translate(_ASCII_SPELLING)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", text.lower()).strip("-")
