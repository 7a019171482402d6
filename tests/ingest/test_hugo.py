"""Hugo pages (Jupiter Broadcasting's raw samples): episodes and people."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import UnreadableSource
from ingest.hugo import episode_rows, parse_hugo_page, person_pair
from tests.conftest import REPO
from warehouse.db import connect_reader

RAW = REPO / "data" / "real" / "tabular" / "jupiterbroadcasting" / "raw_samples"


def test_episode_page_lists_hosts_and_guests_by_username() -> None:
    page = parse_hugo_page((RAW / "show__linux-unplugged__0632.md").read_bytes())
    assert page.kind == "episode"
    rows = episode_rows(page)
    assert {(r["speaker"], r["role"]) for r in rows} == {
        ("brent", "host"),
        ("chris", "host"),
        ("wes", "host"),
    }
    assert {r["episode_number"] for r in rows} == {"632"}
    assert {r["show"] for r in rows} == {"LINUX Unplugged"}


def test_person_pages() -> None:
    allan = parse_hugo_page((RAW / "people__allanjude.md").read_bytes())
    assert person_pair(allan) == ("Allan Jude", "allanjude")
    # PROVENANCE calls this YAML broken: it is only broken for a reader that splits on every
    # "---", because the bio contains "The IT Guy --- Open Source Warrior". Read by its
    # delimiter lines, it is a valid page.
    eric = parse_hugo_page((RAW / "people__erichendricks.md").read_bytes())
    assert person_pair(eric) == ("Eric Hendricks", "erichendricks")


@pytest.mark.parametrize(
    "data, message",
    [
        ((RAW / "people____brent_LUP.md").read_bytes(), "empty file"),  # a real 0-byte page
        (b"---\ntitle: 'unterminated\n---\n", "broken YAML front matter"),
        (b"---\ntitle: x\n", "no closing '---' line"),
        (b'{"show_name": "S", ', "broken JSON front matter"),
        (b"# just markdown\n", "no JSON or YAML front matter"),
    ],
)
def test_unreadable_pages_say_why(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableSource, match=message):
        parse_hugo_page(data)


def test_usernames_resolve_through_person_pages(published_sample: Path) -> None:
    """7 Jupiter appearance rows name only the username 'erichendricks'; his person page says
    who that is, so they count for Eric Hendricks."""
    con = connect_reader(published_sample)
    try:
        assert con.execute(
            "select count(*) from speakers where display_name = 'erichendricks'"
        ).fetchone() == (0,)
        assert con.execute(
            "select n_appearances from mart_speaker_stats where display_name = 'Eric Hendricks'"
        ).fetchone() == (7,)
    finally:
        con.close()
