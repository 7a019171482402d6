"""ingest.text must fix what scrapers break, never touch correct text in any script, and be
idempotent so that re-ingesting stored values cannot drift them."""

from __future__ import annotations

import re

import ftfy
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.text import (
    normalise_name_key,
    repair_multiline,
    repair_text,
    repair_thai_mojibake,
    slugify,
)


def _decode_byte(byte: int, codec: str) -> str | None:
    try:
        return bytes([byte]).decode(codec)
    except UnicodeDecodeError:
        return None


# The broken decoder, rebuilt here from the codecs rather than imported, so the tests check the
# module against the description of the damage and not against its own table.
HYBRID = [
    _decode_byte(b, "ascii" if b < 0x80 else "cp1252" if b < 0xA0 else "cp874") or chr(b)
    for b in range(256)
]
# Rule (a) evidence: characters at 0x80-0x9F that cp874 does not define, so Thai text lacks them.
NOT_THAI = {HYBRID[b] for b in range(0x80, 0xA0) if _decode_byte(b, "cp874") is None}
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def mojibake(text: str) -> str:
    """What the scraper stored: UTF-8 bytes read back through the hybrid Thai table."""
    return "".join(HYBRID[b] for b in text.encode("utf-8"))


# --- the seed case ---------------------------------------------------------------------------


def test_seed_line_from_scraped_page_is_repaired() -> None:
    # The line that started this module: F0 9F 91 A4 read as Thai/windows-1252.
    assert mojibake("👤") == "๐Ÿ‘ค"
    assert repair_text("๐Ÿ‘ค Speaker") == "👤 Speaker"


def test_ftfy_alone_does_not_repair_the_seed_line() -> None:
    # Why repair_thai_mojibake exists: ftfy has no windows-874 decoder, so it leaves the line
    # unfixed (its default config even uncurls the ‘ and makes it unrecoverable).
    assert ftfy.fix_encoding("๐Ÿ‘ค Speaker") == "๐Ÿ‘ค Speaker"
    assert "👤" not in ftfy.fix_text("๐Ÿ‘ค Speaker")


# --- Thai-codepage mojibake that must be repaired --------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        # Run surrounded by ASCII words: only the run is replaced.
        ("Speaker ๐Ÿ‘ค Sam", "Speaker 👤 Sam"),
        # Several runs in one string, two emoji glued into one run.
        ("๐Ÿ‘ค๐Ÿ‘‹ hi ๐Ÿ‘ค", "👤👋 hi 👤"),
        # NBSP from an HTML entity sits next to the run; the stray byte must not block repair.
        ("๐Ÿ‘ค\u00a0Sam", "👤 Sam"),
        # A genuine Thai letter glued to the run is kept; the emoji still proves itself.
        ("ก๐Ÿ‘ค", "ก👤"),
        # Rule (b): accented letter glued to ASCII letters, no Thai anywhere else.
        ("Cafรฉ", "Café"),
        ("naรฏve Crรจme", "naïve Crème"),
        # Rule (a): ’ is E2 80 99 and 0x99 is ™, which Thai text never contains.
        ("donโ€™t", "don’t"),
        # Rule (a) via a C1 control: ” is E2 80 9D and 0x9D is undefined in windows-1252.
        ("โ€œquoteโ€\x9d", "“quote”"),
        # Uppercase accents carry rule (a) evidence even when not glued to ASCII: É is C3 89 (‰).
        ("ร‰cole", "École"),
        # ftfy alone would misread "Š‰" here; the Thai pass runs first so 劉 survives.
        (mojibake("劉備"), "劉備"),
        # Emoji ZWJ sequence: the joiner is E2 80 8D, and 0x8D is a C1 control.
        (mojibake("👩‍💻 host"), "👩‍💻 host"),
        # Double mojibake (Thai layer over a Latin-1 layer): repaired to a fixed point.
        ("รƒยฉ", "é"),
    ],
)
def test_thai_codepage_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


# --- correct text that must never change -----------------------------------------------------

THAI_SENTENCES = [
    "สวัสดีครับ",  # everyday greeting
    "รก",  # real word whose cp874 bytes C3 A1 happen to be valid UTF-8 ("á")
    "รถ",  # real word ("car"), C3 B6 = "ö"
    "เธอ",  # real word ("she"), E0 B8 AD = valid 3-byte UTF-8
    "ภาษาไทย ๑๒๓",  # Thai with Thai digits
    "๐๑๒",  # Thai digits only; F0 F1 F2 is not UTF-8
    "เธอเป็นนักร้องที่มีชื่อเสียง",  # longer sentence containing decodable words
    "ราคา 1,500 บาท",  # Thai mixed with ASCII digits and punctuation
    "“สวัสดี” – ‘ครับ’…",  # Thai with the punctuation cp874 shares with windows-1252
    "พอดแคสต์ตอนที่ 12: คุยกับ Sam",  # podcast title mixing Thai and Latin
    "iPhoneเธอ",  # Thai glued to ASCII decodes to Thai, not Latin: rule (b) refuses
    "Cafรฉ สวัสดีครับ",  # other Thai present, so "รฉ" may be genuine: rule (b) refuses
]


@pytest.mark.parametrize("text", THAI_SENTENCES)
def test_thai_text_is_unchanged(text: str) -> None:
    assert repair_thai_mojibake(text) == text
    assert repair_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "👤 Speaker 🎙️",  # correct emoji (astral and with variation selector)
        "日本語のポッドキャスト",  # CJK
        "العربية",  # Arabic, right-to-left
        "Ελληνικά Русский हिन्दी 한국어",  # other scripts
        "Crème brûlée, Düsseldorf, Straße",  # accented Latin, including ü (a hybrid table char)
        "Œuvre L'HAŸ-LES-ROSES Brand™",  # cp1252-only characters as real content, not mojibake
        "Þór Ü€ ÿ",  # table characters whose bytes are not valid UTF-8 sequences alone
        "plain ASCII, nothing to do",  # the common case
        "“curly” ‘quotes’ — kept",  # no quote uncurling
        "<b>Tom &amp; Jerry</b>",  # markup stays text: no HTML unescaping
        "ﬁnance ＡＢＣ",  # ligature and full-width kept; only the name key folds them
    ],
)
def test_other_text_is_unchanged(text: str) -> None:
    assert repair_thai_mojibake(text) == text
    assert repair_text(text) == text


# --- what ftfy handles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("cafÃ©", "café"),  # UTF-8 read as Latin-1, the classic
        ("donâ€™t", "don’t"),  # UTF-8 read as windows-1252; quote stays curly
        ("\x1b[31mred\x1b[0m", "red"),  # terminal colour codes from a CLI export
        ("a\x00b\x07c", "abc"),  # control characters
        ("\x93quoted\x94", "“quoted”"),  # C1 controls that meant windows-1252 quotes
    ],
)
def test_latin_mojibake_and_controls_fixed_by_ftfy(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


# --- whitespace, None, empty -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Sam  ", "Sam"),  # strip
        ("Sam\t\tAltman", "Sam Altman"),  # tabs
        ("Sam\n\nAltman\r\n", "Sam Altman"),  # newlines in a single-line field
        ("Sam\u00a0\u2003Altman", "Sam Altman"),  # NBSP and em space from HTML
        ("", ""),  # empty stays empty; the caller decides if that is an error
        (" \t\n\u00a0 ", ""),  # whitespace only becomes empty
    ],
)
def test_whitespace_is_collapsed(raw: str, clean: str) -> None:
    assert repair_text(raw) == clean


def test_none_stays_none() -> None:
    # Missing and empty mean different things to callers.
    assert repair_text(None) is None
    assert repair_multiline(None) is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (" line  one \r\n\r\n\n  line\ttwo \n", "line one\nline two"),  # blank lines collapse
        ("๐Ÿ‘ค Sam:\n  hello  there", "👤 Sam:\nhello there"),  # repair applies per line too
        ("\n\n", ""),  # nothing but breaks
    ],
)
def test_repair_multiline_keeps_line_breaks(raw: str, clean: str) -> None:
    assert repair_multiline(raw) == clean


@pytest.mark.parametrize(
    "text",
    ["๐Ÿ‘ค Speaker", "รƒยฉ", "cafÃ©", "Cafรฉ", "สวัสดีครับ", "  a \u00a0 b  ", "Brand™"],
)
def test_repair_text_idempotent_examples(text: str) -> None:
    # Stored values are repaired again on re-ingestion; they must not drift.
    once = repair_text(text)
    assert repair_text(once) == once


# --- name keys and slugs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sam Altman", "  sam   ALTMAN "),  # case and spacing
        ("J.R.R. Tolkien", "JRR Tolkien"),  # dots in initials
        ("O’Brien", "O'Brien"),  # curly vs straight apostrophe
        ("O´Brien", "O'Brien"),  # acute accent typed as an apostrophe
        ("Ｊ．Ｒ．Ｒ． Tolkien", "JRR Tolkien"),  # full-width dots fold, then drop
        ("Smith, John", "Smith John"),  # comma
        ("ＡＢＣ Show", "ABC Show"),  # full-width from East Asian pages
        ("Café", "Cafe\u0301"),  # composed vs decomposed accent
        ("๐Ÿ‘ค Sam", "👤 Sam"),  # mojibake and its repair
    ],
)
def test_name_key_merges_spellings(a: str, b: str) -> None:
    assert normalise_name_key(a) == normalise_name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("René", "Rene"),  # accents can tell different people apart
        ("Ana Lopez", "Ana Lopes"),  # one letter is a different person
    ],
)
def test_name_key_keeps_people_apart(a: str, b: str) -> None:
    assert normalise_name_key(a) != normalise_name_key(b)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Sam Altman", "sam-altman"),  # plain
        ("  René Descartes!! ", "rene-descartes"),  # accents stripped, punctuation trimmed
        ("Straße & Bjørn", "strasse-bjorn"),  # letters NFKD cannot decompose
        ("Cafรฉ Talk", "cafe-talk"),  # repaired before slugging
        ("สวัสดีครับ", ""),  # non-Latin names may give "": caller falls back
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


# --- properties ------------------------------------------------------------------------------

# Text that lives near the mojibake: table characters, Latin-1, Thai, emoji and whitespace.
mojibake_prone = st.text(
    st.one_of(
        st.sampled_from(HYBRID[0x80:]),
        st.characters(max_codepoint=0x2FF),
        st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F),
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
        st.sampled_from(" \t\n\u00a0\u2028"),
    )
)


@settings(max_examples=300)
@given(st.one_of(st.text(), mojibake_prone))
@example("๐Ÿ‘ค Speaker")
def test_repair_text_never_raises_and_is_idempotent(text: str) -> None:
    once = repair_text(text)
    assert isinstance(once, str)
    assert repair_text(once) == once


@settings(max_examples=200)
@given(st.one_of(st.text(), mojibake_prone))
def test_repair_multiline_is_idempotent(text: str) -> None:
    once = repair_multiline(text)
    assert repair_multiline(once) == once


@settings(max_examples=300)
@given(st.one_of(st.text(), mojibake_prone))
def test_name_key_is_idempotent(name: str) -> None:
    key = normalise_name_key(name)
    assert normalise_name_key(key) == key


@given(st.text())
def test_slug_is_lowercase_ascii(name: str) -> None:
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slugify(name))


emoji = st.characters(min_codepoint=0x1F000, max_codepoint=0x1FFFF)
words = st.text(st.sampled_from("abc XYZ 123 :"), max_size=5)


@given(st.lists(st.tuples(words, st.text(emoji, min_size=1, max_size=3)), max_size=4), words)
def test_emoji_mojibake_round_trips(parts: list[tuple[str, str]], tail: str) -> None:
    # U+1F000-U+1FFFF encode as F0 9F xx xx and 0x9F reads as "Ÿ", which Thai text never
    # contains, so rule (a) applies to every run and the repair must be exact.
    original = "".join(a + b for a, b in parts) + tail
    assert repair_thai_mojibake(mojibake(original)) == original
    assert repair_text(mojibake(original)) == repair_text(original)


accented_or_astral = st.one_of(
    st.characters(min_codepoint=0xC0, max_codepoint=0x24F, categories=("Lu", "Ll")),
    st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=("Co",)),
)


@settings(max_examples=300)
@given(st.lists(st.tuples(words, st.text(accented_or_astral, min_size=1, max_size=3))))
def test_mojibake_round_trips_where_rule_a_applies(parts: list[tuple[str, str]]) -> None:
    # Only where every broken run carries rule (a) evidence is an exact round trip promised;
    # other runs (e.g. lowercase "é" = "รฉ") may legitimately be left alone as possible Thai.
    original = "".join(a + b for a, b in parts)
    broken = mojibake(original)
    repaired = repair_thai_mojibake(broken)
    runs = NON_ASCII_RUN.findall(broken)
    if all(NOT_THAI & set(run) for run in runs):
        assert repaired == original
