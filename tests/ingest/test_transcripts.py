"""Transcript parsing on the real transcripts under data/real/transcripts.

Expected counts are computed here from the files with plain regexes or json, independently of
the parser, so a change in the parser cannot move both sides at once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import REJECT_SCHEMA
from ingest.errors import UnreadableSource
from ingest.transcripts import (
    FORMATS,
    SEGMENT_SCHEMA,
    detect_format,
    format_from_mime,
    parse_transcript,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "real" / "transcripts"
CHANGELOG = sorted((DATA / "changelog_markdown").glob("*.md"))
CHANGELOG = [p for p in CHANGELOG if p.name != "PROVENANCE.md"]
CRD3 = sorted((DATA / "crd3_json").glob("*.json"))
SPEC = DATA / "podcastindex_spec_examples"
TALKPYTHON = DATA / "talkpython_vtt_unlabelled"
LEX = DATA / "lex_fridman_asr_unlabelled" / "lex_021_chris-lattner.txt"

# Both label forms seen in the Changelog files: "**Name:**" and "**Name**:".
LABEL_LINE = re.compile(r"^\*\*([^*\n]+?)(?::\*\*|\*\*:)", re.M)
STRICT_LABEL_LINE = re.compile(r"^\*\*([^*\n]+?):\*\*", re.M)
NOT_PEOPLE = {"Break", "Jingle", "Outro", "Song of Arrakis", "Selection 1", "Selection 2"}


def parse(path: Path, fmt: str | None = None):
    return parse_transcript(path.read_bytes(), fmt, filename=path.name)


def assert_shape(parsed) -> None:
    assert parsed.segments.schema == pl.Schema(SEGMENT_SCHEMA)
    assert parsed.rejects.schema == pl.Schema(REJECT_SCHEMA)
    assert parsed.segments["seq"].to_list() == list(range(parsed.segments.height))


# --- Changelog Markdown ----------------------------------------------------------------------


def test_changelog_sample_is_the_documented_one() -> None:
    assert len(CHANGELOG) == 24
    texts = [p.read_text(encoding="utf-8") for p in CHANGELOG]
    # PROVENANCE counts only the "**Name:**" form: 4,112 turns, 52 labels.
    assert sum(len(STRICT_LABEL_LINE.findall(t)) for t in texts) == 4112
    assert len({m for t in texts for m in STRICT_LABEL_LINE.findall(t)}) == 52


@pytest.mark.parametrize("path", CHANGELOG, ids=lambda p: p.stem)
def test_changelog_file_has_one_segment_per_label_line(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    labels = Counter(m.strip() for m in LABEL_LINE.findall(text))
    parsed = parse(path)
    assert parsed.format == "markdown"
    assert_shape(parsed)
    assert parsed.rejects.height == 0
    assert parsed.labelled
    segs = parsed.segments
    # Every file starts with a label, so every segment is a labelled turn.
    assert segs.height == sum(labels.values())
    assert Counter(segs["label"].to_list()) == labels
    people = {label for label in labels if label not in NOT_PEOPLE}
    assert set(segs["speaker"].drop_nulls()) == people
    assert segs.filter(pl.col("speaker").is_null())["label"].to_list() == [
        label for label in segs["label"] if label in NOT_PEOPLE
    ]
    assert not segs["multi_speaker"].any()
    # Markdown escapes are undone ("\\[laughs\\]" -> "[laughs]"; censored "s\\*\\*t" -> "s**t").
    assert not segs["text"].str.contains(r"\\[\[\]*]").any()
    assert (segs.filter(pl.col("speaker").is_not_null())["text"] != "").all()


def test_changelog_totals_include_the_name_colon_outside_form() -> None:
    parsed = [parse(p) for p in CHANGELOG]
    assert sum(p.segments.height for p in parsed) == 4112 + 7
    labels = {label for p in parsed for label in p.segments["label"]}
    assert len(labels) == 53 and "conejoninja" in labels
    speakers = {s for p in parsed for s in p.segments["speaker"].drop_nulls()}
    assert len(speakers) == 53 - len(NOT_PEOPLE)


def test_changelog_turn_times_and_continuation_paragraphs() -> None:
    afk = parse(DATA / "changelog_markdown" / "afk_away-from-keyboard-1.md").segments
    first = afk.row(0, named=True)
    assert (first["speaker"], first["start_ms"], first["end_ms"]) == ("Tim Smith", 106_000, None)
    assert first["text"].startswith("Describing what Jason Snell does")

    js = parse(DATA / "changelog_markdown" / "jsparty_js-party-1.md").segments
    breaks = js.filter(pl.col("label") == "Break")
    # "**Break:** \[18:04\] to \[\\00:18:51.08\]": a range, with a stray escaped backslash.
    assert breaks.select("start_ms", "end_ms", "text").rows() == [
        (18 * 60_000 + 4_000, 18 * 60_000 + 51_080, ""),
        (39 * 60_000 + 5_000, 39 * 60_000 + 54_220, ""),
    ]
    js150 = parse(DATA / "changelog_markdown" / "jsparty_js-party-150.md").segments
    jingles = js150.filter(pl.col("label") == "Jingle").select("start_ms", "end_ms").rows()
    assert jingles == [(2_681_000, 2_694_000), (2_759_000, 2_764_000)]

    diary = parse(DATA / "changelog_markdown" / "gotime_go-time-250.md").segments.row(0, named=True)
    # Eleven unlabelled paragraphs continue Mat Ryer's first turn; the mid-turn "\[06:06\]"
    # is not the turn's start and leaves the text, the stage direction stays.
    assert diary["speaker"] == "Mat Ryer" and diary["start_ms"] is None
    assert diary["text"].endswith("I'm here with Egon. Hello, Egon.")
    assert "[flight attendant making an announcement]" in diary["text"]
    assert "06:06" not in diary["text"] and "\n" not in diary["text"]


def test_changelog_label_variants() -> None:
    segs = parse(DATA / "changelog_markdown" / "gotime_go-time-250.md").segments
    assert segs.filter(pl.col("speaker") == "conejoninja").height == 5  # "**conejoninja**:"
    segs = parse(DATA / "changelog_markdown" / "brainscience_brain-science-1.md").segments
    assert "Mireille B. Reece, Psy.D" in set(segs["speaker"])  # the comma does not split it
    segs = parse(DATA / "changelog_markdown" / "podcast_the-changelog-200.md").segments
    assert "Raquel Vélez" in set(segs["speaker"])
    news = parse(DATA / "changelog_markdown" / "news_changelog-news-1.md").segments
    assert news["text"][1] == "Seriously, do it. Do it!"  # a Markdown link keeps its text


def test_changelog_silent_labels_are_markers_with_a_note() -> None:
    parsed = parse(DATA / "changelog_markdown" / "practicalai_practical-ai-265.md")
    song = parsed.segments.filter(pl.col("label") == "Song of Arrakis").row(0, named=True)
    assert song["speaker"] is None and song["start_ms"] == 7 * 60_000 + 18_000
    assert any("'Song of Arrakis'" in n and "no words" in n for n in parsed.notes)
    assert any("'Break'" in n and "not a person" in n for n in parsed.notes)


def test_markdown_multi_speaker_group_and_non_person_labels() -> None:
    text = (
        "# Episode 9\n\n**Adam & Jerod:** Welcome!\n\n**Both:** Hi.\n\n"
        "**[Music]:** \\[00:10\\]\n\n**:** nobody\n\n**Break:** \\[01:00\\]\n\n"
        "**Adam:** \\[01:30\\] Back.\n\nMore from Adam.\n\n"
        "**Jerod:** Yes.\n\n**Jerod:**\n\n**Selection 1:** \\[02:00\\]\n"
    )
    parsed = parse_transcript(text.encode(), "markdown")
    assert parsed.title == "Episode 9"
    rows = parsed.segments.select("speaker", "label", "multi_speaker", "start_ms", "text").rows()
    assert rows == [
        ("Adam & Jerod", "Adam & Jerod", True, None, "Welcome!"),
        (None, "Both", True, None, "Hi."),
        (None, "[Music]", False, 10_000, ""),
        (None, "", False, None, "nobody"),
        (None, "Break", False, 60_000, ""),
        ("Adam", "Adam", False, 90_000, "Back. More from Adam."),
        ("Jerod", "Jerod", False, None, "Yes."),
        (None, "Selection 1", False, 120_000, ""),  # never says anything: a marker
    ]
    # A wordless turn of someone who speaks elsewhere is an error in the file, not a marker.
    assert parsed.rejects.rows() == [("turn 8 (line 19)", "empty text", "**Jerod:**")]
    assert any("'Adam & Jerod'" in n and "several people" in n for n in parsed.notes)


# --- CRD3 diarized JSON ----------------------------------------------------------------------


def test_crd3_turns_labels_and_multi_speaker_turns() -> None:
    total = 0
    for path in CRD3:
        turns = json.loads(path.read_text(encoding="utf-8"))["TURNS"]
        parsed = parse(path)
        assert parsed.format == "diarized_json"
        assert_shape(parsed)
        segs = parsed.segments
        assert parsed.labelled and parsed.rejects.height == 0
        assert segs.height == len(turns)
        total += segs.height
        assert Counter(segs["label"]) == Counter(" & ".join(t["NAMES"]) for t in turns)
        several = sum(1 for t in turns if len(t["NAMES"]) > 1 or t["NAMES"] == ["ALL"])
        assert segs["multi_speaker"].sum() == several
        everyone = segs.filter(pl.col("label") == "ALL")
        assert everyone["speaker"].null_count() == everyone.height
        assert everyone["multi_speaker"].all()
        multi = segs.filter(pl.col("label").str.contains(" & "))
        assert (multi["speaker"] == multi["label"]).all()
        assert segs["start_ms"].null_count() == segs.height  # CRD3 has no times
        assert segs["text"][0] == " ".join(turns[0]["UTTERANCES"])
    assert total == 2534


def test_crd3_episode_title_and_raw_names() -> None:
    parsed = parse(DATA / "crd3_json" / "crd3_cleaned_C1E069.json")
    assert parsed.title == "Passed Through Fire"
    assert parsed.metadata == {"episode_code": "1x69"}
    speakers = set(parsed.segments["speaker"].drop_nulls())
    assert {"MATT", "LAURA", "PATRICK ROTHFUSS"} <= speakers  # not expanded to full names
    first = parsed.segments.row(1, named=True)
    assert (first["locator"], first["text"]) == ("TURNS[1] (NUMBER 1)", "Loot Crate!")
    e104 = parse(DATA / "crd3_json" / "crd3_cleaned_C1E104.json").segments
    assert e104.filter(pl.col("speaker") == "CHRIS WILLMOTT").height == 1


# --- Podcasting 2.0 examples -----------------------------------------------------------------


def test_vtt_voice_tags() -> None:
    parsed = parse(SPEC / "buzzsprout-podcasting-qa_excerpt.vtt")
    assert parsed.format == "vtt" and parsed.labelled and parsed.rejects.height == 0
    assert_shape(parsed)
    segs = parsed.segments
    raw = (SPEC / "buzzsprout-podcasting-qa_excerpt.vtt").read_text(encoding="utf-8")
    assert segs["speaker"].to_list() == re.findall(r"<v ([^>]+)>", raw)
    assert segs["speaker"].to_list() == ["Sarah"] * 5 + ["Gillian"] * 2
    assert segs.row(5, named=True) | {"text": None} == {
        "seq": 5, "locator": "cue 6 (line 18)", "speaker": "Gillian", "label": "Gillian",
        "multi_speaker": False, "start_ms": 19_080, "end_ms": 21_450, "text": None,
    }  # fmt: skip
    assert segs["text"][2] == "include in one? Welcome to Podcasting Q&A, where you learn"


def test_srt_name_prefixes_start_turns_that_later_cues_continue() -> None:
    path = SPEC / "buzzsprout-10-things_excerpt.srt"
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    expected = re.findall(r"-->[^\n]*\n([A-Z][a-z]+): ", raw)
    assert len(expected) == 10
    parsed = parse(path)
    assert parsed.format == "srt" and parsed.rejects.height == 0
    assert_shape(parsed)
    segs = parsed.segments
    assert segs.height == raw.count("-->") == 222
    assert segs["label"].drop_nulls().to_list() == expected
    assert set(segs["speaker"]) == {"Travis", "Sarah", "Gilon"}  # every cue is in some turn
    assert segs.select("speaker", "label", "start_ms", "end_ms").row(0) == (
        "Travis", "Travis", 179, 2_399,
    )  # fmt: skip
    assert segs.select("speaker", "label").row(1) == ("Travis", None)
    assert segs["text"][0] == "When you first get started in podcasting, it's"
    gilon = segs.filter(pl.col("label") == "Gilon").row(0, named=True)
    assert (gilon["locator"], gilon["start_ms"]) == ("cue 65 (line 320)", 219_360)
    assert segs["speaker"][65] == "Gilon"


def test_html_cite_time_paragraphs() -> None:
    path = SPEC / "buzzsprout-10-things_excerpt.html"
    raw = path.read_text(encoding="utf-8")
    parsed = parse(path)
    assert parsed.format == "podcast_html" and parsed.rejects.height == 0
    assert_shape(parsed)
    segs = parsed.segments
    assert segs["speaker"].to_list() == re.findall(r"<cite>([^<:]+):</cite>", raw)
    times = [int(m) * 60_000 + int(s) * 1000 for m, s in re.findall(r"<time>(\d+):(\d+)<", raw)]
    assert segs["start_ms"].to_list() == times
    assert times[1] == 53_000 and segs["end_ms"].null_count() == 10
    assert segs["text"][0].startswith("When you first get started in podcasting, it's almost")
    assert not segs["text"].str.contains("&#39;").any()


def test_html_cite_heads_following_paragraphs_and_bad_time_rejects() -> None:
    html = (
        b"<html><head><title>Ep 1</title></head><body><cite>Kevin:</cite><time>0:00</time>"
        b"<p>One</p><p>Two<br>lines</p><cite>Alban :</cite><time>soon</time><p>Bad</p>"
        b"<time>1:05</time><p>Three</p></body></html>"
    )
    parsed = parse_transcript(html, filename="t.html")
    assert parsed.title == "Ep 1"
    assert parsed.segments.select("speaker", "label", "start_ms", "text").rows() == [
        ("Kevin", "Kevin", 0, "One"),
        ("Kevin", None, None, "Two lines"),
        ("Alban", None, 65_000, "Three"),
    ]
    assert parsed.rejects.select("locator", "reason").rows() == [
        ("paragraph 3 (line 1)", "bad <time> 'soon'")
    ]


def test_synthetic_podcast_json() -> None:
    parsed = parse(SPEC / "SYNTHETIC_spec-toy-example.json")
    assert parsed.format == "podcast_json" and parsed.metadata == {"version": "1.0.0"}
    assert_shape(parsed)
    segs = parsed.segments
    assert segs.select("speaker", "start_ms", "end_ms", "text").rows() == [
        ("Darth Vader", 500, 750, "I"),
        ("Darth Vader", 1000, 1250, "am"),
        ("Darth Vader", 1500, 2000, "your"),
        ("Darth Vader", 2250, 2500, "father."),
        ("Luke", 2750, 3000, "Nooooo"),
    ]


def test_podcast_json_bad_segments_are_rejected_the_rest_load() -> None:
    doc = {
        "version": "1.0.0",
        "segments": [
            {"speaker": "A", "startTime": 1, "endTime": 2, "body": "fine"},
            {"speaker": "A", "startTime": "soon", "body": "bad time"},
            {"speaker": "A", "startTime": 5, "endTime": 4, "body": "backwards"},
            {"speaker": 7, "startTime": 6, "body": "odd speaker"},
            {"startTime": 7, "body": "  "},
            "not an object",
            {"startTime": "8.5", "body": "no speaker"},
        ],
    }
    parsed = parse_transcript(json.dumps(doc).encode(), "podcast_json")
    assert parsed.segments.select("locator", "speaker", "start_ms").rows() == [
        ("segments[0]", "A", 1000),
        ("segments[6]", None, 8500),
    ]
    assert parsed.rejects["locator"].to_list() == [
        "segments[1]", "segments[2]", "segments[3]", "segments[5]", "segments[4]"
    ]  # fmt: skip
    assert parsed.rejects["reason"][4] == "empty text"


# --- Unlabelled transcripts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [*sorted(TALKPYTHON.glob("*.vtt")), *sorted(TALKPYTHON.glob("*.txt")), LEX],
    ids=lambda p: p.name,
)
def test_unlabelled_transcripts_get_no_speakers(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    parsed = parse(path)
    assert_shape(parsed)
    assert parsed.labelled is False
    assert parsed.rejects.height == 0
    segs = parsed.segments
    assert segs["speaker"].null_count() == segs.height
    assert segs["label"].null_count() == segs.height
    assert any("unlabelled" in n for n in parsed.notes)
    if path.suffix == ".vtt":
        assert segs.height == raw.count("-->")
        assert segs["end_ms"].null_count() == 0
    elif path == LEX:
        assert segs.height == 1 and len(segs["text"][0]) == len(raw.strip())
    else:
        stamped = re.findall(r"^(\d\d):(\d\d):(\d\d) ", raw, re.M)
        assert segs.height == len(stamped) == 673
        times = [(int(h) * 3600 + int(m) * 60 + int(s)) * 1000 for h, m, s in stamped]
        assert segs["start_ms"].to_list() == times


def test_talkpython_first_cue() -> None:
    segs = parse(TALKPYTHON / "talkpython_001_nicola_iarocci.vtt").segments
    assert segs.select("start_ms", "end_ms").row(0) == (1, 8_740)
    assert segs["text"][0].startswith("Talk Python To Me, episode number one, with guest Nicola")


# --- Detection -------------------------------------------------------------------------------


def test_detection_by_extension_structure_and_content() -> None:
    for path, fmt in [
        (SPEC / "buzzsprout-podcasting-qa_excerpt.vtt", "vtt"),
        (SPEC / "buzzsprout-10-things_excerpt.srt", "srt"),
        (SPEC / "buzzsprout-10-things_excerpt.html", "podcast_html"),
        (SPEC / "SYNTHETIC_spec-toy-example.json", "podcast_json"),
        (CRD3[0], "diarized_json"),
        (CHANGELOG[0], "markdown"),
        (LEX, "text"),
    ]:
        data = path.read_bytes()
        assert detect_format(data, path.name) == fmt
        assert detect_format(data) == fmt, path.name  # content alone agrees
        assert detect_format(data, "download.bin") == fmt
    with pytest.raises(UnreadableSource, match="neither"):
        parse(SPEC / "podcastindex_person_taxonomy.json")


def test_format_from_mime() -> None:
    assert format_from_mime("text/vtt") == "vtt"
    assert format_from_mime("application/x-subrip") == "srt"
    assert format_from_mime("application/json") == "podcast_json"
    assert format_from_mime("TEXT/HTML; charset=utf-8") == "podcast_html"
    assert format_from_mime("text/plain") == "text"
    assert format_from_mime("audio/mpeg") is None


def test_unknown_format_name_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="unknown transcript format"):
        parse_transcript(b"WEBVTT\n", "webvtt")


# --- Hostile and broken input ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", [*FORMATS, None])
@pytest.mark.parametrize(
    "data",
    [b"", b"  \n\n ", b"\x00\x01\x02\x03binary\x00", bytes(range(256)) * 4],
    ids=["empty", "blank", "nul", "junk"],
)
def test_empty_and_binary_input_is_unreadable(fmt: str | None, data: bytes) -> None:
    with pytest.raises(UnreadableSource):
        parse_transcript(data, fmt)


def test_vtt_broken_timestamp_line_is_one_reject_and_the_rest_load() -> None:
    raw = (SPEC / "buzzsprout-podcasting-qa_excerpt.vtt").read_bytes()
    broken = raw.replace(b"00:00:06.090 --> 00:00:11.610", b"00:00:06.09O --> 00:00:11.610")
    parsed = parse_transcript(broken, "vtt")
    assert parsed.segments.height == 6
    assert parsed.rejects.height == 1
    locator, reason, payload = parsed.rejects.row(0)
    assert locator == "cue 3 (line 9)" and reason.startswith("bad timestamp")
    assert "Podcasting Q&amp;A" in payload


def test_vtt_markup_notes_settings_and_missing_header() -> None:
    vtt = (
        "WEBVTT - Episode 12\nKind: captions\n\nNOTE written by hand\nover two lines\n\n"
        "STYLE\n::cue { color: red }\n\nintro\n00:01.000 --> 00:02.500 align:start line:0\n"
        "<v.loud Ann Lee><i>Hi</i> <00:01.200><c.x>there</c></v>\nsecond line\n\n"
        "00:03.000 --> 00:04.000\nno voice &lt;here&gt;\n\n"
        "00:04.000 --> 00:05.000\n<v Ann>one</v> <v Bo>two</v>\n\n"
        "00:06.000 --> 00:05.000\n<v Ann>backwards</v>\n\n"
        "00:07.000 --> 00:08.000\n<v Ann> </v>\n"
    )
    parsed = parse_transcript(vtt.encode(), filename="x.vtt")
    assert parsed.title == "Episode 12" and parsed.metadata == {"Kind": "captions"}
    columns = ("locator", "speaker", "multi_speaker", "start_ms", "text")
    assert parsed.segments.select(columns).rows() == [
        ("cue 1 (line 10)", "Ann Lee", False, 1_000, "Hi there second line"),
        ("cue 2 (line 15)", None, False, 3_000, "no voice <here>"),
        ("cue 3 (line 18)", "Ann & Bo", True, 4_000, "one two"),
    ]  # fmt: skip
    assert parsed.rejects.select("locator", "reason").rows() == [
        ("cue 4 (line 21)", "cue ends before it starts"),
        ("cue 5 (line 24)", "empty text"),
    ]
    with pytest.raises(UnreadableSource, match="missing WEBVTT header"):
        parse_transcript(b"00:01.000 --> 00:02.000\nhi\n", "vtt")


def test_srt_prefixes_are_conservative() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\n10:30: is when we met\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nNote: this is not a name\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nSo what I mean is: that\n\n"
        "4\n00:00:04,000 --> 00:00:05,000\nAnn Lee: <i>Hello</i>\n\n"
        "5\n00:00:05,000 --> 00:00:06,000\ncarry on\n\n"
        "6\n00:00:06,000 --> 00:00:07,000\nAnn & Bo: together\n\n"
        "7\n00:00:07,000 --> 00:00:08,000\nAll: everyone\n\n"
        "8\n00:00:0x,000 --> 00:00:09,000\nbroken\n\n"
        "9\n00:00:09,000 --> 00:00:10,000\nstill All\n"
    )
    parsed = parse_transcript(srt.encode(), filename="x.srt")
    assert parsed.segments.select("speaker", "label", "multi_speaker", "text").rows() == [
        (None, None, False, "10:30: is when we met"),
        (None, None, False, "Note: this is not a name"),
        (None, None, False, "So what I mean is: that"),
        ("Ann Lee", "Ann Lee", False, "Hello"),
        ("Ann Lee", None, False, "carry on"),
        ("Ann & Bo", "Ann & Bo", True, "together"),
        (None, "All", True, "everyone"),
        (None, None, True, "still All"),
    ]
    assert parsed.rejects.select("locator", "reason").rows() == [
        ("cue 8 (line 29)", "bad timestamp in timing line '00:00:0x,000 --> 00:00:09,000'")
    ]
    with pytest.raises(UnreadableSource, match="not an SRT file"):
        parse_transcript(b"just some words\n", "srt")


def test_json_formats_refuse_the_wrong_structure() -> None:
    with pytest.raises(UnreadableSource, match="no top-level 'segments'"):
        parse(CRD3[0], "podcast_json")
    with pytest.raises(UnreadableSource, match="no top-level 'TURNS'"):
        parse(SPEC / "SYNTHETIC_spec-toy-example.json", "diarized_json")
    with pytest.raises(UnreadableSource, match="invalid JSON"):
        parse_transcript(b"[" * 100_000, "podcast_json")
    bad = {"TURNS": [{"NAMES": ["MATT"], "UTTERANCES": ["Hi."]}, {"NAMES": "MATT"}, 3]}
    parsed = parse_transcript(json.dumps(bad).encode(), "diarized_json")
    assert parsed.segments.height == 1
    assert parsed.rejects["reason"].to_list() == [
        "NAMES is not a list of names",
        "turn is not a JSON object",
    ]


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=400), fmt=st.sampled_from([*FORMATS, None]))
def test_arbitrary_bytes_never_raise_anything_but_unreadable_source(
    data: bytes, fmt: str | None
) -> None:
    try:
        parsed = parse_transcript(data, fmt)
    except UnreadableSource:
        return
    assert_shape(parsed)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.sampled_from(
            ["WEBVTT", "", "1", "00:01.000 --> 00:02.000", "00:00:01,000 --> 00:00:0x,000",
             "<v Ann>hi", "Ann: hi", "**Ann:** hi", "**:**", "NOTE x", "{", "}", "<p>x</p>",
             "<cite>A:</cite>", "<time>9:99</time>", '{"segments": [{"body": 1}]}', "\\[01:00\\]"]
        ),
        max_size=20,
    ),
    fmt=st.sampled_from([*FORMATS, None]),
)  # fmt: skip
def test_near_miss_transcripts_never_raise_anything_but_unreadable_source(
    lines: list[str], fmt: str | None
) -> None:
    try:
        parsed = parse_transcript("\n".join(lines).encode(), fmt)
    except UnreadableSource:
        return
    assert_shape(parsed)
