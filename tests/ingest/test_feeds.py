"""ingest.feeds on the real feeds in data/real/feeds, plus hostile and synthetic inputs.

Counts are checked against independent computations written here (a regex over the bytes, a
plain lxml walk), not against numbers copied from the parser's own output.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ingest.canonical import CANONICAL_NAMES, REJECT_SCHEMA
from ingest.errors import UnreadableSource
from ingest.feed_dates import parse_feed_date
from ingest.feeds import PERSON_TAXONOMY, ParsedFeed, feed_records, parse_feed

FEEDS = Path(__file__).resolve().parents[2] / "data" / "real" / "feeds"
PC20 = FEEDS / "podcasting20"
PLAIN = FEEDS / "plain"
TAXONOMY_JSON = (
    FEEDS.parent
    / "transcripts"
    / "podcastindex_spec_examples"
    / "podcastindex_person_taxonomy.json"
)
ALL_FEEDS = sorted(p for p in FEEDS.glob("*/*") if p.suffix in (".xml", ".rss"))
OLD_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
NEW_NS = "https://podcastindex.org/namespace/1.0"

_PARSED: dict[Path, ParsedFeed] = {}


def parsed(path: Path) -> ParsedFeed:
    if path not in _PARSED:
        _PARSED[path] = parse_feed(path.read_bytes())
    return _PARSED[path]


def regex_item_count(data: bytes) -> int:
    """<item>/<entry> start tags, commented-out ones excluded (On Being has one)."""
    data = re.sub(rb"<!--.*?-->", b"", data, flags=re.S)
    return len(re.findall(rb"<(?:item|entry)[\s>]", data))


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def plain_tree(path: Path) -> etree._Element:
    """An independent, minimal reading for cross-checks (recovering, entities untouched)."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    return etree.fromstring(path.read_bytes().lstrip(), parser)


def walk_persons(path: Path) -> tuple[list[list[str]], list[str]]:
    """(names tagged on each item, names tagged on the channel), empty tags left out."""
    root = plain_tree(path)
    channel = next(c for c in root if local(c) == "channel")

    def names(el: etree._Element) -> list[str]:
        found = [" ".join("".join(p.itertext()).split()) for p in el if local(p) == "person"]
        return [n for n in found if n]

    return [names(item) for item in root.iter() if local(item) == "item"], names(channel)


# --- every real feed ---------------------------------------------------------------------------


def test_all_31_feed_files_are_present() -> None:
    assert len(ALL_FEEDS) == 31


@pytest.mark.parametrize("path", ALL_FEEDS, ids=lambda p: p.name)
def test_every_real_feed_parses_with_the_independent_item_count(path: Path) -> None:
    feed = parsed(path)
    assert feed.episodes.height == regex_item_count(path.read_bytes())
    assert feed.show["title"]
    assert feed.episodes["episode_key"].n_unique() == feed.episodes.height
    assert feed.episodes["episode_key"].null_count() == 0
    assert dict(feed.rejects.schema) == REJECT_SCHEMA
    assert feed.episodes["locator"].str.contains(r"^item \d+ \(line \d+\)$").all()


def test_folder_totals() -> None:
    assert sum(parsed(p).episodes.height for p in ALL_FEEDS if p.parent == PC20) == 275
    # PROVENANCE.md says 3,493 for plain/, but its files hold 3,599 items (3,600 '<item' tags,
    # one of them commented out in On Being); the files' own count is what is checked.
    plain = [p for p in ALL_FEEDS if p.parent == PLAIN]
    assert len(plain) == 21
    total = sum(parsed(p).episodes.height for p in plain)
    assert total == sum(regex_item_count(p.read_bytes()) for p in plain) == 3599


def test_locators_keep_the_files_line_numbers_after_prolog_repair() -> None:
    path = PLAIN / "partytime__sentimental-garbage.xml"  # blank line before <?xml
    lines = path.read_bytes().split(b"\n")
    first_item_line = next(i for i, line in enumerate(lines, 1) if b"<item" in line)
    assert parsed(path).episodes["locator"][0] == f"item 1 (line {first_item_line})"


# --- podcast:person ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(PC20.glob("*.xml")), ids=lambda p: p.name)
def test_person_count_follows_the_channel_item_rule(path: Path) -> None:
    items, channel = walk_persons(path)
    expected = sum(len(own) if own else len(channel) for own in items)
    assert parsed(path).persons.height == expected


def test_person_totals_match_provenance() -> None:
    # 225 tags = 6 channel + 218 item + 1 in a podcast:liveItem; 2 item tags are empty.
    # No real item without its own tags sits in a feed with channel persons, so 218 - 2.
    assert sum(parsed(p).persons.height for p in PC20.glob("*.xml")) == 216


def test_lautsprecher_items_replace_the_channel_host() -> None:
    path = PC20 / "janw-podcast-archiver__lautsprecher_podlove_cassette.xml"
    feed = parsed(path)
    items, channel = walk_persons(path)
    assert channel == ["Tim Pritlove"]
    assert (feed.persons["level"] == "item").all()
    by_key = feed.persons.group_by("episode_key", maintain_order=True).agg("name", "role")
    for own, row in zip(items, by_key.iter_rows(named=True), strict=True):
        assert row["name"] == own  # exactly the item's tags, nothing inherited
    # LS011 tags Tim Pritlove as a guest: the channel's host tag must not add him as host.
    ls011 = feed.episodes.filter(pl.col("title").str.starts_with("LS011"))["episode_key"][0]
    tim = feed.persons.filter((pl.col("episode_key") == ls011) & (pl.col("name") == "Tim Pritlove"))
    assert tim["role"].to_list() == ["guest"]
    # LS010 tags Claudia Krell and Tim Pritlove (no role -> host) and nobody else.
    ls010 = feed.episodes.filter(pl.col("title").str.starts_with("LS010"))["episode_key"][0]
    rows = feed.persons.filter(pl.col("episode_key") == ls010)
    assert rows.select("name", "role").rows() == [
        ("Claudia Krell", "host"),
        ("Tim Pritlove", "host"),
    ]


def test_themnshow_guest_items_do_not_inherit_the_channel_host() -> None:
    path = PC20 / "partytime__themnshow.xml"
    _, channel = walk_persons(path)
    assert channel == ["Mike Neumann"]
    persons = parsed(path).persons
    assert persons.height == 54
    assert persons["episode_key"].n_unique() == 54
    assert set(persons["name"]) == {"Dr. Timothy M. Jurgensen"}
    assert set(persons["role"]) == {"guest"}
    assert "Mike Neumann" not in persons["name"].to_list()


def test_channel_persons_apply_to_items_without_their_own() -> None:
    data = f"""<rss xmlns:podcast="{NEW_NS}"><channel><title>S</title>
      <podcast:person role="Host" href="https://h.example">Hannah Host</podcast:person>
      <item><guid>a</guid><title>A</title></item>
      <item><guid>b</guid><title>B</title><podcast:person role="guest">Gail Guest</podcast:person>
      </item>
      <item><guid>c</guid><title>C</title><podcast:person role="guest"> </podcast:person></item>
    </channel></rss>""".encode()
    feed = parse_feed(data)
    rows = feed.persons.select("episode_key", "name", "role", "level", "href").rows()
    assert rows == [
        ("a", "Hannah Host", "host", "channel", "https://h.example"),
        ("b", "Gail Guest", "guest", "item", None),
        ("c", "Hannah Host", "host", "channel", "https://h.example"),  # empty tag is no list
    ]
    assert feed.rejects["reason"].to_list() == ["empty podcast:person"]


def test_empty_and_bare_person_tags_are_rejects() -> None:
    rejects = parsed(PC20 / "partytime__pc20rss.xml").rejects
    assert rejects["reason"].to_list() == ["empty podcast:person"] * 2
    assert rejects["payload"].to_list() == [
        '<podcast:person href="" img="" group="cast" role="host"/>',
        "<podcast:person/>",
    ]
    assert all(
        re.match(r"^item \d+ \(line \d+\) person 1 \(line \d+\)$", x) for x in rejects["locator"]
    )


def test_role_and_group_default_to_host_and_cast() -> None:
    persons = parsed(PC20 / "partytime__no-agenda.xml").persons
    curry = persons.filter(pl.col("name") == "Adam Curry")  # tagged with no role and no group
    assert curry.height == 14
    assert set(curry["role"]) == {"host"} and set(curry["group"]) == {"cast"}
    assert curry["in_taxonomy"].all()


def test_embedded_taxonomy_is_the_official_file() -> None:
    entries = json.loads(TAXONOMY_JSON.read_text(encoding="utf-8"))
    official: dict[str, set[str]] = {}
    for entry in entries:
        official.setdefault(entry["group"].strip().lower(), set()).add(
            entry["role"].strip().lower()
        )
    assert {g: set(r) for g, r in PERSON_TAXONOMY.items()} == official


def test_som_music_roles_checked_against_the_taxonomy() -> None:
    entries = json.loads(TAXONOMY_JSON.read_text(encoding="utf-8"))
    pairs = {(e["group"].strip().lower(), e["role"].strip().lower()) for e in entries}
    persons = parsed(PC20 / "partytime__SOM.xml").persons
    for row in persons.iter_rows(named=True):
        assert row["in_taxonomy"] == ((row["group"], row["role"]) in pairs)
    flags = dict(persons.select("name", "in_taxonomy").unique().rows())
    assert flags == {"Jake Hider": False, "SLIEK Media": True}  # band/guitar is not official
    assert set(persons.select("group", "role").rows()) == {
        ("band", "guitar"),
        ("administration", "content manager"),
    }


def test_both_namespace_uris_and_any_prefix() -> None:
    assert (
        NEW_NS
        in plain_tree(
            PC20 / "janw-podcast-archiver__lautsprecher_podlove_cassette.xml"
        ).nsmap.values()
    )
    assert OLD_NS in plain_tree(PC20 / "partytime__pc20rss.xml").nsmap.values()
    assert parsed(PC20 / "janw-podcast-archiver__lautsprecher_podlove_cassette.xml").persons.height
    assert parsed(PC20 / "partytime__pc20rss.xml").persons.height
    results = []
    for uri, prefix in [(NEW_NS, "podcast"), (OLD_NS, "podcast"), (NEW_NS, "pi"), (OLD_NS, "p2")]:
        data = f"""<rss xmlns:{prefix}="{uri}"><channel><title>S</title>
          <{prefix}:guid>abc</{prefix}:guid>
          <item><guid>1</guid><{prefix}:person group="Cast" role="GUEST">Ann</{prefix}:person>
          <{prefix}:episode>7</{prefix}:episode><{prefix}:season>2</{prefix}:season>
          <{prefix}:transcript url="https://t/1.vtt" type="text/vtt" language="en" rel="captions"/>
          </item></channel></rss>""".encode()
        feed = parse_feed(data)
        results.append(
            (
                feed.show["podcast_guid"],
                feed.persons.select("name", "role", "group").rows(),
                feed.episodes.select("episode_number", "season", "transcripts").rows(),
            )
        )
    assert all(r == results[0] for r in results)
    assert results[0][1] == [("Ann", "guest", "cast")]
    assert json.loads(results[0][2][0][2]) == [
        {"url": "https://t/1.vtt", "type": "text/vtt", "language": "en", "rel": "captions"}
    ]


def test_transcripts_are_all_kept_per_item() -> None:
    feed = parsed(PC20 / "partytime__themnshow.xml")
    lists = [json.loads(t) for t in feed.episodes["transcripts"]]
    root = plain_tree(PC20 / "partytime__themnshow.xml")
    expected = [
        sum(1 for c in item if local(c) == "transcript")
        for item in root.iter()
        if local(item) == "item"
    ]
    assert [len(x) for x in lists] == expected
    assert all(t["url"] for x in lists for t in x)


# --- malformed and encodings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "items", "note"),
    [
        ("podcasting20/partytime__no-agenda.xml", 29, "undefined entity &gtgt; left as text"),
        ("plain/psc__the-half-show_MALFORMED-nested-cdata.xml", 107, "nested CDATA"),
        ("plain/psc__conversations-in-medicine_MALFORMED-bad-bytes.xml", 155, "windows-1252"),
        ("plain/partytime__sentimental-garbage.xml", 138, "before the XML declaration"),
    ],
)
def test_malformed_feeds_recover_every_item_with_a_note(name: str, items: int, note: str) -> None:
    feed = parsed(FEEDS / name)
    assert feed.episodes.height == items
    assert any(note in r for r in feed.repairs), feed.repairs
    assert feed.episodes["title"].null_count() == 0


def test_half_show_items_keep_fields_after_the_broken_description() -> None:
    episodes = parsed(PLAIN / "psc__the-half-show_MALFORMED-nested-cdata.xml").episodes
    first = episodes.row(0, named=True)
    assert first["guid"] == "44935404e24f413d5690f716bc25f338"  # after the nested CDATA
    assert first["published_at"] == datetime(2011, 5, 7, 14, 59)
    assert episodes["guid"].null_count() == 0


def test_cp1252_byte_in_utf8_file_becomes_an_apostrophe() -> None:
    titles = parsed(PLAIN / "psc__conversations-in-medicine_MALFORMED-bad-bytes.xml").episodes
    assert "The CDC\u2019s New Recommendations for Outpatient Infection Control" in set(
        titles["title"]
    )


def test_iso_8859_1_feeds_give_correct_umlauts() -> None:
    titles = parsed(PLAIN / "psc__dradio-info-und-musik_de_iso8859-1.xml").episodes["title"]
    assert "Merkollande - Interview mit Christoph Schönberger" in titles.to_list()
    assert "Kompromisse - Interview mit Rudolf Schüßler" in titles.to_list()
    assert not titles.str.contains("Ã").any()


# --- episode identity ---------------------------------------------------------------------------


def test_john_merrow_duplicate_guids_stay_different_episodes() -> None:
    path = PLAIN / "psc__john-merrow-education.xml"
    root = plain_tree(path)
    items = [item for item in root.iter() if local(item) == "item"]

    def field(item: etree._Element, name: str) -> str | None:
        el = next((c for c in item if local(c) == name), None)
        if el is None:
            return None
        return el.get("url") if name == "enclosure" else (el.text or "").strip()

    distinct = {(field(i, "guid"), field(i, "title"), field(i, "enclosure")) for i in items}
    guids = [field(i, "guid") for i in items]
    assert len(set(guids)) == len(guids) - 2  # the two re-used guids
    feed = parsed(path)
    assert feed.episodes["episode_key"].n_unique() == len(distinct) == 134
    dup = "tag:blogger.com,1999:blog-16814296.post-115524530484399276"
    keys = feed.episodes.filter(pl.col("guid") == dup)["episode_key"].to_list()
    assert keys[0] == dup and keys[1].startswith(dup + "#") and len(keys) == 2
    assert sum("reuses the key" in r for r in feed.repairs) == 2


def test_fivethirtyeight_duplicate_titles_and_enclosures_are_not_collapsed() -> None:
    episodes = parsed(PLAIN / "apprentice57__fivethirtyeight-politics-archive.rss").episodes
    assert episodes.height == episodes["episode_key"].n_unique() == 958
    assert episodes["title"].n_unique() == 958 - 6
    assert episodes["enclosure_url"].n_unique() == 958 - 2


def test_conversations_duplicate_guid_differs_in_title() -> None:
    episodes = parsed(PLAIN / "psc__conversations-in-medicine_MALFORMED-bad-bytes.xml").episodes
    dup = "http://www.clinicalpodcast.com/mp3s/podcast_bazil.mp3"
    same = episodes.filter(pl.col("guid") == dup)
    assert same.height == 2 and same["episode_key"].n_unique() == 2


def test_babson_without_guids_is_keyed_by_enclosure() -> None:
    episodes = parsed(PLAIN / "psc__babson-presidential_iso8859-1.xml").episodes
    assert episodes["guid"].null_count() == 26
    assert episodes["episode_key"].to_list() == episodes["enclosure_url"].to_list()


def test_dk_podcast_item_without_guid_still_loads() -> None:
    path = PLAIN / "partytime__dk-podcast.xml"
    items = [i for i in plain_tree(path).iter() if local(i) == "item"]
    # Its <guid isPermaLink="false"></guid> is present but empty.
    missing = [
        n
        for n, i in enumerate(items)
        if not any(local(c) == "guid" and (c.text or "").strip() for c in i)
    ]
    assert len(missing) == 1
    row = parsed(path).episodes.row(missing[0], named=True)
    assert row["guid"] is None and row["episode_key"] == row["enclosure_url"]
    assert row["title"] == "01.02.2022 – Langsam gesprochene Nachrichten"


def test_identical_duplicate_items_are_kept_once_and_placeholders_ignored() -> None:
    data = b"""<rss><channel><title>S</title>
      <item><guid>g</guid><title>Same</title><enclosure url="https://e/1.mp3"/></item>
      <item><guid>g</guid><title>Same</title><enclosure url="https://e/1.mp3"/></item>
      <item><guid>00000000-0000-0000-0000-000000000000</guid><title>Zero</title>
        <enclosure url="https://e/2.mp3"/></item>
      <item><guid>{}</guid><title>Only a title</title><pubDate>Tue, 5 Apr 2011 10:00 PDT</pubDate>
      </item>
      <item><description>nothing to identify it</description></item>
    </channel></rss>"""
    feed = parse_feed(data)
    assert feed.episodes["episode_key"].to_list() == [
        "g",
        "https://e/2.mp3",
        "title:only a title|2011-04-05",
    ]
    assert any("repeats item 1" in r for r in feed.repairs)
    assert any("2 placeholder guid(s) ignored" in r for r in feed.repairs)
    assert feed.rejects["reason"].to_list() == ["item has no guid, enclosure URL or title"]


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thu, 03 Aug 2006 09:15:00 CST", datetime(2006, 8, 3, 15, 15)),
        ("Thu, 3 Aug 2006 09:15:00 CST", datetime(2006, 8, 3, 15, 15)),
        ("Tue, 5 April 2011 10:00 PDT", datetime(2011, 4, 5, 17, 0)),  # full month, no seconds
        ("Sun,  07  Jan 2007  09:05:00 GMT", datetime(2007, 1, 7, 9, 5)),  # extra spaces
        ("Mon, 30 Jun 2008 11:37:05 EST", datetime(2008, 6, 30, 16, 37, 5)),
        ("Wed, 12 Sep 2018 16:19:00 EDT", datetime(2018, 9, 12, 20, 19)),
        ("Fri, 18 Mar 2022 14:34:21 +0100", datetime(2022, 3, 18, 13, 34, 21)),
        ("Thu, 09 Jan 2025 20:30:00 -0000", datetime(2025, 1, 9, 20, 30)),
        ("Di, 3. Mär 2012 10:00:00 +0100", datetime(2012, 3, 3, 9, 0)),
        ("2020-01-02T03:04:05+01:00", datetime(2020, 1, 2, 2, 4, 5)),
        ("2021-10-08T19:18:55Z", datetime(2021, 10, 8, 19, 18, 55)),
        ("1/31/2007", datetime(2007, 1, 31)),
    ],
)
def test_rfc822_and_iso_variants(text: str, expected: datetime) -> None:
    assert parse_feed_date(text).value == expected


def test_every_real_date_parses() -> None:
    for path in ALL_FEEDS:
        episodes = parsed(path).episodes
        with_text = episodes.filter(pl.col("published_raw").is_not_null())
        assert with_text["published_at"].null_count() == 0, path.name


def test_missing_and_unparseable_dates_keep_the_episode() -> None:
    data = b"""<rss><channel><title>S</title>
      <item><guid>a</guid><title>No date</title></item>
      <item><guid>b</guid><title>Bad date</title><pubDate>sometime last spring</pubDate></item>
    </channel></rss>"""
    feed = parse_feed(data)
    rows = feed.episodes.select("published_at", "published_raw", "date_issue").rows()
    assert rows == [(None, None, None), (None, "sometime last spring", "unparseable date")]
    assert any("unparseable date" in r for r in feed.repairs)


# --- output for the loader -----------------------------------------------------------------------


def test_feed_records_use_the_canonical_columns() -> None:
    feed = parsed(PC20 / "partytime__pc20rss.xml")
    records = feed_records(feed)
    assert records.columns == ["locator", *CANONICAL_NAMES]
    assert all(dtype == pl.String for dtype in records.dtypes)
    untagged = feed.episodes.height - feed.persons["episode_key"].n_unique()
    assert records.height == feed.persons.height + untagged
    assert records["speaker"].null_count() == untagged
    assert set(records["episode_guid"]) == set(feed.episodes["episode_key"])
    assert set(records["show_guid"]) == {"917393e3-1b1e-5cef-ace4-edaa54e1f810"}
    assert records["published"].str.contains(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$").all()
    curry = records.filter(pl.col("speaker") == "Adam Curry").row(0, named=True)
    assert curry["role"] == "host" and curry["speaker_href"] == "http://curry.com"


def test_atom_feed() -> None:
    data = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:podcast="{NEW_NS}" xml:lang="en">
  <title>Atom Show</title><link href="https://ex.org/"/>
  <link rel="self" href="https://ex.org/feed.atom"/><author><name>Ann</name></author>
  <entry><title>Ep 1</title><id>urn:uuid:1</id><published>2020-01-02T03:04:05+01:00</published>
    <link rel="enclosure" href="https://ex.org/1.mp3"/></entry>
  <entry><title>Ep 2</title><id>urn:uuid:2</id><updated>2020-02-02T00:00:00Z</updated>
    <podcast:person role="guest">Gus</podcast:person></entry>
</feed>""".encode()
    feed = parse_feed(data)
    assert feed.format == "atom"
    assert feed.show["feed_url"] == "https://ex.org/feed.atom"
    assert feed.show["language"] == "en" and feed.show["author"] == "Ann"
    assert feed.episodes.select("episode_key", "url", "published_at").rows() == [
        ("urn:uuid:1", "https://ex.org/1.mp3", datetime(2020, 1, 2, 2, 4, 5)),
        ("urn:uuid:2", None, datetime(2020, 2, 2)),
    ]
    assert feed.episodes["locator"].to_list() == ["entry 1 (line 5)", "entry 2 (line 7)"]
    assert feed.persons.select("name", "role").rows() == [("Gus", "guest")]


# --- hostile input -------------------------------------------------------------------------------


def test_external_entity_is_never_read() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Show &x;</title>
<item><guid>1</guid><title>Ep &x;</title></item></channel></rss>"""
    feed = parse_feed(data)
    assert "root:" not in feed.show["title"]
    assert "root:" not in feed.episodes["title"][0]
    assert any("DOCTYPE removed" in r for r in feed.repairs)


def test_entity_bomb_is_not_expanded() -> None:
    entities = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "lol"}">' for i in range(10)
    )
    data = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
        "<rss><channel><title>&lol9;</title><item><guid>1</guid></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    feed = parse_feed(data)
    assert time.monotonic() - started < 5
    assert len(feed.show["title"]) < 20


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (bytes(range(256)) * 4, "not XML"),
        (
            b"<!DOCTYPE html><html><head><title>Hi</title></head><body><p>x<br></body></html>",
            "root element is <html>",
        ),
        (b"<rss version='2.0'><title>no channel</title></rss>", "no <channel>"),
    ],
)
def test_unreadable_inputs_raise_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableSource, match=re.escape(reason)):
        parse_feed(data)


_PIECES = [
    b"<rss>",
    b"<channel>",
    b"</channel>",
    b"<item>",
    b"</item>",
    b"<title>",
    b"</title>",
    b"<guid>",
    b"</guid>",
    b"<pubDate>",
    b"</pubDate>",
    b"1/13/2003",
    b"Tue, 5 April 2011 10:00 PDT",
    b"<![CDATA[",
    b"]]>",
    b"&",
    b"&nbsp;",
    b"&#0;",
    b"&gtgt;",
    b"<!DOCTYPE x [<!ENTITY e 'v'>",
    b"]>",
    b'<podcast:person role="">',
    b"</podcast:person>",
    b'<enclosure url="u"/>',
    b"\xff\x92",
    b"x",
    b"\n",
    b'<?xml version="1.0" encoding="latin1"?>',
    b'<?xml version="1.0" encoding="no-such"?>',
    b'<feed xmlns="http://www.w3.org/2005/Atom">',
    b"<entry>",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.lists(st.sampled_from(_PIECES), max_size=40).map(b"".join),
    )
)
def test_arbitrary_bytes_raise_nothing_but_unreadable_source(data: bytes) -> None:
    try:
        feed = parse_feed(data)
    except UnreadableSource:
        return
    feed_records(feed)  # whatever parsed must also convert
