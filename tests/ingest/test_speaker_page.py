"""The seed: a real speaker page saved as text."""

from __future__ import annotations

import pytest

from ingest.errors import UnreadableSource
from ingest.parse import parse_file
from ingest.sources import default_source
from ingest.speaker_page import parse_speaker_page
from tests.conftest import SEED_PAGE


def test_seed_page_gives_one_speaker_twenty_quotes_and_the_claim() -> None:
    page = parse_speaker_page(SEED_PAGE.read_bytes())
    assert page.speaker == "Sam Marks"
    assert page.role == "speaker"
    # The page's mojibake "๐Ÿ‘ค" (UTF-8 read as windows-874 + windows-1252) is repaired.
    assert page.role_label == "👤 Speaker"
    assert page.claimed_total == 891
    assert page.rejects.height == 0
    records = page.records
    assert records.height == 20
    assert set(records["show"]) == {"LessWrong (Curated & Popular)"}
    assert set(records["episode"]) == {'"The persona selection model" by Sam Marks'}
    assert set(records["speaker"]) == {"Sam Marks"}
    assert records["quote"][0].startswith("Because of this, deep learning likely has")
    assert records["quote"][-1] == (
        "In our analogy, personas in the pre-trained LLM are like the forelimb structure in the "
        "common ancestor."
    )


def test_seed_page_through_parse_file_keys_every_record() -> None:
    parsed = parse_file(SEED_PAGE.read_bytes(), "speaker_page", default_source(SEED_PAGE))
    assert parsed.records.height == 20
    assert parsed.records["episode_key"].n_unique() == 1
    assert parsed.records["alias_key"].unique().to_list() == ["sam marks"]
    assert set(parsed.records["source"]) == {"page_export"}
    assert [(c.name, c.claim, c.value) for c in parsed.claims] == [
        ("Sam Marks", "total_appearances", "891")
    ]


def test_entry_without_episode_line_is_rejected_and_the_rest_load() -> None:
    text = SEED_PAGE.read_text(encoding="utf-8")
    broken = text.replace(
        'LessWrong (Curated & Popular)\n"The persona selection model" by Sam Marks\n\n'
        "First, observe",
        "LessWrong (Curated & Popular)\n\nFirst, observe",
        1,
    )
    assert broken != text
    page = parse_speaker_page(broken.encode())
    assert page.rejects.height >= 1
    assert "expected a show line and an episode line" in page.rejects["reason"][0]
    assert page.records.height >= 18


@pytest.mark.parametrize(
    "text, message",
    [
        ("just some notes\nabout nothing\n", "no role line"),
        ("Sam Marks\n\nSpeaker\n12 total appearances\n", "no 'Podcast Appearances' heading"),
        ("", "no role line"),
    ],
)
def test_not_a_speaker_page_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(UnreadableSource, match=message):
        parse_speaker_page(text.encode())
