"""The README's per-source figures, checked against counts made independently of the parsers:
a plain XML walk over the real Podcasting 2.0 feeds, and a plain regex over the Changelog
transcripts."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from tests.conftest import REPO
from warehouse.db import connect_reader

FEEDS = REPO / "data" / "real" / "feeds" / "podcasting20"
CHANGELOG = REPO / "data" / "real" / "transcripts" / "changelog_markdown"


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def person_appearances(path: Path) -> set[tuple[str, str, str]]:
    """(item guid or title, name, role) after the spec's rule, by walking the XML directly:
    item persons replace channel persons; role defaults to host."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(path.read_bytes().lstrip(), parser)
    channel = next(el for el in root.iter() if _local(el.tag) == "channel")

    def persons(el) -> list[tuple[str, str]]:
        found = []
        for child in el:
            if _local(child.tag) == "person" and (child.text or "").strip():
                found.append((" ".join(child.text.split()), (child.get("role") or "host").lower()))
        return found

    channel_persons = persons(channel)
    out = set()
    for item in channel:
        if _local(item.tag) != "item":
            continue
        key = next((c.text for c in item if _local(c.tag) == "guid" and c.text), None)
        key = key or next((c.text for c in item if _local(c.tag) == "title"), "")
        for name, role in persons(item) or channel_persons:
            out.add((key.strip(), name, role))
    return out


def test_feed_person_appearances_match_a_plain_xml_walk(published_sample: Path) -> None:
    expected: set[tuple[str, str, str]] = set()
    for path in sorted(FEEDS.glob("*.xml")):
        expected |= person_appearances(path)
    con = connect_reader(published_sample)
    try:
        got = con.execute("""
            select count(*) from appearances a join source_files f using (source_id)
            where f.source_name = 'podcasting20_feeds' and a.source = 'feed'
        """).fetchone()[0]
        counted = con.execute(
            "select n_appearances from v_source_counts where source_name = 'podcasting20_feeds'"
        ).fetchone()[0]
    finally:
        con.close()
    # Items repeated across the two snapshots of one feed are one episode, so compare distinct
    # (episode, person, role) triples.
    assert got == counted == len(expected)


def test_changelog_quotes_match_a_plain_regex(published_sample: Path) -> None:
    """Every labelled turn is a quote, except ad-break markers, turns of several people, and
    labels whose turns hold no words at all (music clips such as "Song of Arrakis")."""
    label = re.compile(r"^\*\*([^*\n]+?)(?::\*\*|\*\*:)", re.M)
    markers = {"Break", "Jingle", "Outro", "Intro"}
    expected = 0
    for path in CHANGELOG.glob("*_*.md"):
        text = path.read_text(encoding="utf-8")
        matches = list(label.finditer(text))
        turns: dict[str, list[str]] = {}
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            body = re.sub(r"\\?\[[^\]]*\\?\]", "", text[match.end() : end])
            turns.setdefault(match.group(1).strip(), []).append(body)
        for name, bodies in turns.items():
            spoken = any(re.search(r"[A-Za-z]", b) for b in bodies)
            if name not in markers and "&" not in name and " and " not in name and spoken:
                expected += len(bodies)
    con = connect_reader(published_sample)
    try:
        (quotes,) = con.execute(
            "select n_quotes from v_source_counts where source_name = 'changelog_transcripts'"
        ).fetchone()
    finally:
        con.close()
    assert quotes == expected


def counts(published: Path, source: str) -> dict:
    con = connect_reader(published)
    try:
        cur = con.execute("select * from v_source_counts where source_name = ?", [source])
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))
    finally:
        con.close()


def test_daily_show_figures_match_a_plain_csv_read(published_sample: Path) -> None:
    import csv

    from ingest.names import person_key

    path = REPO / "data" / "sample" / "daily_show_guests" / "daily_show_guests.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    not_people = {"no guest", "none", "(none)", "(no guest)"}
    kept = [
        r
        for r in rows
        if not (r["Group"] == "NA" and r["GoogleKnowlege_Occupation"] in ("NA", "-"))
        and r["Raw_Guest_List"].strip().lower() not in not_people
    ]
    got = counts(published_sample, "daily_show_guests")
    assert got["n_records"] == len(rows) == 2693
    assert got["n_rejected"] == len(rows) - len(kept)
    assert got["n_episodes"] == len({r["Show"] for r in kept})
    # An appearance is one person on one night, however many rows repeat it.
    assert got["n_appearances"] == len({(r["Show"], person_key(r["Raw_Guest_List"])) for r in kept})


def test_lex_titles_and_tal_figures(published_sample: Path) -> None:
    import csv
    import json

    titles = json.loads(
        (REPO / "data" / "real" / "tabular" / "lex_fridman" / "lex_episode_titles.json").read_text(
            encoding="utf-8"
        )
    )
    assert counts(published_sample, "lex_fridman_titles")["n_episodes"] == len(titles)
    tal = REPO / "data" / "sample" / "this_american_life" / "tal_example-data.csv"
    rows = list(csv.DictReader(tal.open(encoding="utf-8")))
    got = counts(published_sample, "this_american_life")
    assert got["n_quotes"] == sum(1 for r in rows if r["content"].strip())
    assert got["n_speakers"] == len({r["speaker_name"] for r in rows})
