"""Guests named in episode titles are a low-confidence source, so the tests pin precision first:
every documented pattern finds its guest, every trap from the real feeds' PROVENANCE notes finds
nobody, and the hand-labelled sample of real titles keeps its measured precision and recall."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from ingest.text import repair_text
from ingest.title_guests import (
    LABELLED_CSV,
    FeedContext,
    TitleGuest,
    contexts_for,
    evaluate,
    extract_title_guests,
    feed_titles_and_channel,
    is_person_name,
    load_labelled_rows,
    recurring_names,
)

REPO = Path(__file__).resolve().parents[2]
DATA_REAL = REPO / "data" / "real"
PATTERNS = {
    "name_plus_host",
    "interview_with",
    "interview_colon",
    "name_colon_topic",
    "interview_mit",
    "name_only",
    "name_interview",
    "numbered_name_company",
    "feat",
    "with",
    "numbered_topic_name",
    "performed_by",
    "meeting",
    "colon_name_dash",
    "name_on",
    "name_of",
}


def names(title: str, **context) -> list[str]:
    return [g.name for g in extract_title_guests(title, **context)]


# --------------------------------------------------------------------------- patterns

PATTERN_CASES = [
    # "... with X": the plain form, "With" capitalised after an en dash, "w/" and "(with X)".
    ("2009 Angel Capital Summit with Chuck Blakeman", {}, ["Chuck Blakeman"], "with"),
    ("Rails Development And Artistry – With Rick Bradley", {}, ["Rick Bradley"], "with"),
    ("Best Of The Week w/ Jane Roe", {}, ["Jane Roe"], "with"),
    ("Wild Garbage #2 (with Jen Cownie)", {}, ["Jen Cownie"], "with"),
    # honorific stripped; numeric-entity dash already decoded by the feed parser
    ("Big Time Sports And Business Consulting – with Dr. Jim Taylor", {}, ["Jim Taylor"], "with"),
    # job title before the name, and an organisation after "of"
    ("Data Mining with Aubice Co-Founder Michael Webb", {}, ["Michael Webb"], "with"),
    (
        "The Federal Reserve with Stick it to the Man Author Ronald Lewis",
        {},
        ["Ronald Lewis"],
        "with",
    ),
    ("Networking and Mentoring with Carol Quinn of 3Lunches", {}, ["Carol Quinn"], "with"),
    # "feat." / "ft." / "featuring"
    ("Summer Anthem feat. Maya Jones", {}, ["Maya Jones"], "feat"),
    ("Late Night Set ft. Carl Cox", {}, ["Carl Cox"], "feat"),
    ("Live Session featuring Ana Lopez & Tom Baker", {}, ["Ana Lopez", "Tom Baker"], "feat"),
    # "Interview: X" with a shared surname, and "Exit Interview: X"
    (
        "Interview: Pam and Brian Barefoot",
        {},
        ["Pam Barefoot", "Brian Barefoot"],
        "interview_colon",
    ),
    (
        "Interview: Clinton White and Shelley Kaplan",
        {},
        ["Clinton White", "Shelley Kaplan"],
        "interview_colon",
    ),
    ("Exit Interview: Tim Ryan", {}, ["Tim Ryan"], "interview_colon"),
    ("Interview: Stephen Spinelli, Jr.", {}, ["Stephen Spinelli Jr."], "interview_colon"),
    ("Interview: E&Y's Peter C. O'Toole", {}, ["Peter C. O'Toole"], "interview_colon"),
    # "Interview with X" (title-cased too, inside a numbered Token Skeptic title)
    ("Interview with Eric Marden of Xentek", {}, ["Eric Marden"], "interview_with"),
    (
        "Token Skeptic #121 - Women, Media And Science - Interview With Ben Radford",
        {},
        ["Ben Radford"],
        "interview_with",
    ),
    (
        "Interview with Programmer, Rubyist, Surfer, and Father Anthony Eden",
        {},
        ["Anthony Eden"],
        "interview_with",
    ),
    # "X Interview", the real typo "Intervioew", trailing year / date, and a quoted nickname
    ("Steven Pinker Interview", {}, ["Steven Pinker"], "name_interview"),
    ("Winslow Myers Intervioew", {}, ["Winslow Myers"], "name_interview"),
    ("Fred Kaplan Interview 2009", {}, ["Fred Kaplan"], "name_interview"),
    ("John R. Talbott Interview / June 9, 2009", {}, ["John R. Talbott"], "name_interview"),
    ("Kanye 'Ye' West Interview | Lex Fridman Podcast #332", {}, ["Kanye West"], "name_interview"),
    (
        "Filmemacherin Su Friedrich im Interview zur Kaffee-Doku From the Ground up",
        {},
        ["Su Friedrich"],
        "name_interview",
    ),
    # German "Interview mit": job title before, appositive after, enumeration with "und"
    (
        "Journal Interview mit Laura Chinchilla, Präsidentin Costa Ricas",
        {},
        ["Laura Chinchilla"],
        "interview_mit",
    ),
    (
        "Jobcenter: Interview mit Filmemacherin Angela Summereder",
        {},
        ["Angela Summereder"],
        "interview_mit",
    ),
    (
        "Journal Interview mit Kurt Kardinal Koch, Präsident des Päpstlichen Einheitsrates",
        {},
        ["Kurt Koch"],
        "interview_mit",
    ),
    (
        "Die Gräfin: Interview mit Julie Delply, Daniel Brühl und William Hurt",
        {},
        ["Julie Delply", "Daniel Brühl", "William Hurt"],
        "interview_mit",
    ),
    (
        "Journal Interview mit Meinhard von Gerkan, Architekt",
        {},
        ["Meinhard von Gerkan"],
        "interview_mit",
    ),
    (
        "10 Jahre Tierschutz im GG - Gespräch mit Dominik Perler",
        {},
        ["Dominik Perler"],
        "interview_mit",
    ),
    # Lex Fridman "Name: Topic | Show #N", incl. a particle, a list and a shared surname
    (
        "Jeff Atwood: Stack Overflow and Coding Horror | Lex Fridman Podcast #7",
        {},
        ["Jeff Atwood"],
        "name_colon_topic",
    ),
    (
        "Guido van Rossum: Python and the Future of Programming | Lex Fridman Podcast #341",
        {},
        ["Guido van Rossum"],
        "name_colon_topic",
    ),
    (
        "Georges St-Pierre, John Danaher & Gordon Ryan: The Greatest of All Time | Lex Fridman "
        "Podcast #260",
        {},
        ["Georges St-Pierre", "John Danaher", "Gordon Ryan"],
        "name_colon_topic",
    ),
    (
        "Luís and João Batalha: Fermat's Library and the Art of Studying Papers | Lex Fridman "
        "Podcast #209",
        {},
        ["Luís Batalha", "João Batalha"],
        "name_colon_topic",
    ),
    (
        "Climate Change Debate: Bjørn Lomborg and Andrew Revkin | Lex Fridman Podcast #339",
        {},
        ["Bjørn Lomborg", "Andrew Revkin"],
        "name_colon_topic",
    ),
    (
        "Josh Barnett: Philosophy of Violence, Power, and the Martial Arts | Lex Fridman #165",
        {},
        ["Josh Barnett"],
        "name_colon_topic",
    ),
    # "NN: X, Company" (Changing the Tide) with particles
    (
        "0.00000010: Alejandro de la Torre, proofofwork.energy",
        {},
        ["Alejandro de la Torre"],
        "numbered_name_company",
    ),
    # "NN: App - X" (Launched) and "#N - Topic - X" (Token Skeptic)
    ("32: Overcast - Marco Arment", {}, ["Marco Arment"], "numbered_topic_name"),
    (
        "6: Nighthawk - Nathan Lawrence & Sam Gold",
        {},
        ["Nathan Lawrence", "Sam Gold"],
        "numbered_topic_name",
    ),
    (
        "Token Skeptic #114 - On Faitheism - Chris Stedman",
        {},
        ["Chris Stedman"],
        "numbered_topic_name",
    ),
    (
        "Token Skeptic #110 - On Lost Things And Arrivals - Shaun Tan Lecture",
        {},
        ["Shaun Tan"],
        "numbered_topic_name",
    ),
    # On Being: "X + Host [unedited interview]" and "X [unedited interview]"
    (
        "Michael McCullough + Krista Tippett [unedited interview]",
        {"hosts": ["Krista Tippett"]},
        ["Michael McCullough"],
        "name_plus_host",
    ),
    # ... the second name is the interviewer even when no hosts are passed
    (
        "Gordon Hempton + Krista Tippett [unedited interview]",
        {},
        ["Gordon Hempton"],
        "name_plus_host",
    ),
    ("S. James Gates Jr. [unedited interview]", {}, ["S. James Gates Jr."], "name_only"),
    (
        "Br. Guy Consolmagno and Fr. George Coyne [unedited interview]",
        {},
        ["Guy Consolmagno", "George Coyne"],
        "name_only",
    ),
    # "... By X"
    (
        "Token Skeptic #65 - On Starsuckers And Taking Liberties - QEDCon Lecture By Chris Atkins",
        {},
        ["Chris Atkins"],
        "performed_by",
    ),
    ('"Let Us Break Bread Together" [sung by Joe Carter]', {}, ["Joe Carter"], "performed_by"),
    # "Meeting X", "Series: X - Topic", "X on Topic", "X of Company"
    (
        "The New Monastics: Meeting Shane Claiborne (May 17, 2007)",
        {},
        ["Shane Claiborne"],
        "meeting",
    ),
    (
        "Day 29, Revealing Ramadan: Kari Ansari - Waiting for One More Ramadan",
        {},
        ["Kari Ansari"],
        "colon_name_dash",
    ),
    ("Guy Kawasaki on Alltop and Reality Check", {}, ["Guy Kawasaki"], "name_on"),
    ("Hans Hurch über die Viennale 08: Riskantes Weltkino in Wien", {}, ["Hans Hurch"], "name_on"),
    ("Todd Vernon of Lijit", {}, ["Todd Vernon"], "name_of"),
    ("Gregg Vanourek Co-Author of Life Entrepreneurs", {}, ["Gregg Vanourek"], "name_of"),
]


@pytest.mark.parametrize(("title", "context", "expected", "pattern"), PATTERN_CASES)
def test_pattern(title: str, context: dict, expected: list[str], pattern: str) -> None:
    got = extract_title_guests(title, **context)
    assert [g.name for g in got] == expected
    assert {g.pattern for g in got} == {pattern}
    assert all(0 < g.confidence < 1 for g in got)


def test_results_are_frozen_dataclasses_in_title_order() -> None:
    got = extract_title_guests("Interview: Jim Hoopes and Lydia Moland")
    assert got == [
        TitleGuest("Jim Hoopes", "interview_colon", 0.8),
        TitleGuest("Lydia Moland", "interview_colon", 0.8),
    ]
    with pytest.raises(AttributeError):
        got[0].name = "x"  # type: ignore[misc]


def test_mojibake_title_is_repaired_before_matching() -> None:
    # Feeds arrive mis-decoded; the stored (repaired) spelling must come out.
    assert names("Gabor MatÃ© Interview") == ["Gabor Maté"]


# --------------------------------------------------------------------------- traps

TRAPS = [
    # Critical Role: "with" and "With" as ordinary words, and "Within"
    ("C2E110 Dinner with the Devil", {}),
    ("C2E94 With Great Power...", {}),
    ("Talks Machina: Discussing C2E94 - With Great Power...", {}),
    ("C2E28 Within the Nest", {}),
    ("Talks Machina: Discussing C2E28 - Within the Nest", {}),
    ("Game Masters of Exandria Roundtable", {}),
    ("Exandria Unlimited: Kymal | Part 2", {}),
    ("Vox Machina: Dalen's Closet", {}),
    # John Merrow: the host after "with" in every title, with and without hosts passed
    ("The Engine of Innovation-Education Podcast with John Merrow #134", {}),
    (
        "The Engine of Innovation-Education Podcast with John Merrow #134",
        {"hosts": ["John Merrow"], "show_title": "Education Podcast with John Merrow | PBS"},
    ),
    # 99% Invisible: another show after "with"; Planet Money is rejected even when unknown
    ("84- Ode to Ladislav Sutnar plus Trading Places with Planet Money", {}),
    (
        "84- Ode to Ladislav Sutnar plus Trading Places with Planet Money",
        {"known_shows": ["Planet Money"]},
    ),
    # Lex Fridman AMA: "with Lex Fridman" is the host
    ("Do Something Difficult Every Day | AMA #1 - Ask Me Anything with Lex Fridman", {}),
    ("Dealing with Negative Comments | AMA #3 - Ask Me Anything with Lex Fridman", {}),
    # On Being: the host after "with" / before "on"
    ("SOF EXTRA (video) | A Musical Evening with Krista Tippett", {"hosts": ["Krista Tippett"]}),
    (
        "Remembering Forward: Krista Tippett on Speaking of Faith (June 7, 2007)",
        {"hosts": ["Krista Tippett"]},
    ),
    # a host named in the show title is a host even when not passed in hosts
    ("Bonus Q&A with Rob McNealy", {"show_title": "Startup Story Radio with Rob McNealy"}),
    # organisations, bands and shows that look like names
    ("Green Electronics Recycling with YouRenew.com", {}),
    ("Snow Patrol Interview", {}),
    ("Summerthing 2009: Sugar Ray Interview", {}),
    ("Twenty Thousand Hertz Interview", {}),
    ("Token Skeptic #102 - On Skeptical Science With The Debunking Handbook And NCSE", {}),
    (
        "Token Skeptic #71 - On Great Books In Skepticism - Podblack's Book Club With Embiggen "
        "Books",
        {},
    ),
    ("Token Skeptic #46 - On The Australian Book Of Atheism - Perth Launch", {}),
    ("The Half Show Goes Green with BagTrends,com -069 (Full Show)", {}),
    # questions about a subject; Title Case headlines
    ("What's So Wrong With Nancy Pelosi?", {}),
    ("Does Trump Really Want A Fight With Obama?", {}),
    ("Why The GOP Has Made Gains With Latino Voters", {}),
    ("Harris Goes Big On Night 4 Of The DNC", {}),
    ("Model Talk: How Climate Models Work", {}),
    ("Special Episode: Chasing Hillary", {}),
    ("20 Questions With Nate And Galen", {}),
    # bare titles are never guests without an interview marker
    ("1373: Mass Formation", {}),
    ("1371: Bald Nancy", {}),
    ("Chaos In Iowa", {}),
    ("Paul Mooney", {}),
    ("Episode 31: Cooking with Gas", {}),
    ("Episode 15: We're with the Band!", {}),
    # German: lowercase after "mit", topic labels, capitalised nouns
    ("Freiwilligenarbeit mit Behinderten in Israel", {}),
    ("Journal Interview: Neujahrswünsche aus aller Welt", {}),
    ("Malen vor Wahlen - Ägyptische Künstler", {}),
    ("Ökonom: Austritt Griechenlands aus Eurozone würde Europa stabilisieren - ...", {}),
    # lowercase "with" in prose titles
    ("Oral food challenge tolerance rates are higher in patients with asthma", {}),
    # Lex topics that are not guests
    (
        "Iran War Debate: Nuclear Weapons, Trump, Peace, Power & the Middle East | Lex Fridman "
        "Podcast #473",
        {},
    ),
    (
        "DeepSeek, China, OpenAI, NVIDIA, xAI, TSMC, Stargate, and AI Megaclusters | Lex Fridman "
        "Podcast #459",
        {},
    ),
    # a song title and a narrator introducing his other show
    ("GWAR - Joe Biden @ First Ave 2021", {}),
    ("Introducing 'History Daily' From Host Lindsay Graham", {}),
]


@pytest.mark.parametrize(("title", "context"), TRAPS)
def test_trap_yields_nobody(title: str, context: dict) -> None:
    assert extract_title_guests(title, **context) == []


PARTIAL_TRAPS = [
    # Startup Story Radio: a person and an organisation ("TiE Rockies")
    ("Green Business Opportunities with Teddi Davis and TiE Rockies", {}, ["Teddi Davis"]),
    # Changing the Tide: "Distributed Charge" is the guest's company
    ("0.00000015: Andy Schroder, Distributed Charge + A0", {}, ["Andy Schroder"]),
    ("0.00000008: Natalie Brunell, Coin Stories Podcast", {}, ["Natalie Brunell"]),
    # Sentimental Garbage: the subject before "with" is not the guest
    ("Kate Moss with Alexandra Haddow", {}, ["Alexandra Haddow"]),
    ("Midnights by Taylor Swift with Jen Cownie", {}, ["Jen Cownie"]),
    # Token Skeptic: Kylie Sturgess is the host
    (
        "Token Skeptic #7 - On Critical Thinking (Interview With Kylie Sturgess And Michael McRae "
        "– Expanding Horizons)",
        {"hosts": ["Kylie Sturgess"]},
        ["Michael McRae"],
    ),
    # Life of the Freelancer: "With No Marketing" / "Dr. Phil" in the topic
    ("Building A Busy Copy Writing Business With No Marketing – with Josh Fox", {}, ["Josh Fox"]),
    ("From Nanny For Hire To Dr. Phil – with Candi Wingate", {}, ["Candi Wingate"]),
    ("Freelance With A Family And Full-Time Job – with Matt Walker", {}, ["Matt Walker"]),
    # Kulturwoche: the film's director after "von" is not in the studio
    (
        "Interview mit Nina Hoss zum Kinofilm Yella von Regisseur Christian Petzold",
        {},
        ["Nina Hoss"],
    ),
    # Launched: "Hacking with Swift" is the app
    ("26: Hacking with Swift - Paul Hudson", {}, ["Paul Hudson"]),
    # "Talk Show Host" is the guest's job, not our host
    ("TV and Entrepreneurship with Talk Show Host Letitia Wright", {}, ["Letitia Wright"]),
    # Lex: subjects in the topic are ignored
    (
        "James Holland: World War II, Hitler, Churchill, Stalin & Biggest Battles | Lex Fridman "
        "Podcast #470",
        {},
        ["James Holland"],
    ),
]


@pytest.mark.parametrize(("title", "context", "expected"), PARTIAL_TRAPS)
def test_trap_keeps_only_the_guest(title: str, context: dict, expected: list[str]) -> None:
    assert names(title, **context) == expected


# --------------------------------------------------------------------------- name check


@pytest.mark.parametrize(
    "name",
    [
        "Chuck Blakeman",
        "J.B. Glossinger",  # initials
        "Michael I. Jordan",  # "I." is an initial, not the pronoun
        "Robert F. Kennedy Jr",  # suffix without a dot
        "Alain de Botton",  # particle
        "Anisa Abd el Fattah",
        "Otto-Pérez Molina",  # hyphen and accent
        "Aydan Özoğuz",
        "Muireann O'Connell",  # apostrophe
        "Ny'Kisha Pettiford",
        "Gavin DeGraw",  # camel case after a surname prefix
        "Josh MacArthur",
        "Kanye 'Ye' West",  # nickname in quotes
        "Will Bunch",  # given names that are also words
        "Rose George",
        "Bill Bishop",  # a role word as surname
        "P.W. Singer",
        "Jessica Brown Findlay",
    ],
)
def test_is_person_name_accepts(name: str) -> None:
    assert is_person_name(name)


@pytest.mark.parametrize(
    "text",
    [
        "RZA",  # mononym
        "the Devil",
        "Great Power",
        "The Half Show",
        "Planet Money",
        "SLIEK Media",  # organisation tagged as a person in the SOM feed
        "TiE Rockies",
        "Snow Patrol",
        "Coin Stories Podcast",
        "Twenty Thousand Hertz",
        "Iran War Debate",
        "Perth Launch",
        "Mass Formation",
        "Chasing Hillary",
        "President-Elect Schlesinger",  # a bare role plus surname
        "Dr. Jim Taylor",  # honorifics are stripped before the check, never kept
        "8₿it Bitcoin",  # digits
        "Don Imus Kyla Latrice",  # four full words: two names run together
        "de Botton Alain",
        "Sarah Kay's",
        "",
    ],
)
def test_is_person_name_rejects(text: str) -> None:
    assert not is_person_name(text)


# --------------------------------------------------------------------------- recurring names


def _item_titles(relative: str) -> list[str]:
    titles, _ = feed_titles_and_channel(DATA_REAL / relative)
    return titles


def test_recurring_names_finds_the_host_in_every_title() -> None:
    titles = _item_titles("feeds/plain/psc__john-merrow-education.xml")
    assert recurring_names(titles) == {"John Merrow"}
    # ... and passing it as hosts removes him while the real guests stay.
    hosts = sorted(recurring_names(titles))
    assert names(
        "Measuring Learning with Bill Sanders-Education Podcast with John Merrow #57", hosts=hosts
    ) == ["Bill Sanders"]


def test_recurring_names_lex_and_no_guest_counted() -> None:
    lex = _item_titles("tabular/lex_fridman/lex_episode_titles.json")
    assert recurring_names(lex) == {"Lex Fridman"}
    # Michael Malice is on the show many times, but nowhere near half the titles.
    assert "Michael Malice" not in recurring_names(lex)
    assert recurring_names(["Steven Pinker Interview", "Russ Baker Interview"]) == set()


# --------------------------------------------------------------------------- evaluation


def test_evaluate_counts_and_breakdown() -> None:
    rows = [
        {
            "feed_file": "a",
            "title": "Interview: Jim Hoopes and Lydia Moland",
            "expected_guests": "Jim Hoopes;Lydia Moland",
        },
        {"feed_file": "a", "title": "Snow Patrol Interview", "expected_guests": ""},
        {"feed_file": "b", "title": "Kris Allen Interview", "expected_guests": "Kris Allen"},
        {"feed_file": "b", "title": "Duffy Interview", "expected_guests": "Duffy"},
        {"feed_file": "b", "title": "Mary J. Blige with Jane Roe", "expected_guests": ""},
    ]
    result = evaluate(rows)
    assert (result["tp"], result["fp"], result["fn"], result["rows"]) == (3, 1, 1, 5)
    assert result["precision"] == pytest.approx(0.75)
    assert result["recall"] == pytest.approx(0.75)
    assert result["per_feed"]["a"]["precision"] == 1.0
    assert result["per_feed"]["b"]["fn"] == 1
    assert result["false_positives"] == [("b", "Mary J. Blige with Jane Roe", "Jane Roe")]
    assert result["false_negatives"] == [("b", "Duffy Interview", "Duffy")]


def test_evaluate_uses_context_hosts() -> None:
    rows = [{"feed_file": "m", "title": "A Chat with John Merrow", "expected_guests": ""}]
    assert evaluate(rows)["fp"] == 1
    assert evaluate(rows, {"m": FeedContext(hosts=("John Merrow",))})["fp"] == 0


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, str]]:
    return load_labelled_rows()


def test_labelled_sample_is_real_stratified_and_well_formed(labelled) -> None:
    assert len(labelled) >= 300
    with LABELLED_CSV.open(encoding="utf-8", newline="") as fh:
        assert csv.DictReader(fh).fieldnames == ["feed_file", "title", "expected_guests", "note"]
    per_feed = Counter(Path(r["feed_file"]).name for r in labelled)
    for stem, minimum in {
        "psc__startup-story-radio.xml": 20,
        "psc__weekly-signals-interviews.xml": 20,
        "psc__dw-journal-interview_de.xml": 20,
        "psc__kulturwoche-filmkultur_de.xml": 20,
        "psc__life-of-the-freelancer.xml": 20,
        "psc__token-skeptic.xml": 20,
        "psc__alice-lounge.xml": 20,
        "psc__john-merrow-education.xml": 20,
        "psc__dradio-info-und-musik_de_iso8859-1.xml": 20,
        "psc__babson-presidential_iso8859-1.xml": 20,
        "psc__the-half-show_MALFORMED-nested-cdata.xml": 20,
        "prx__99percentinvisible_2013.xml": 10,
        "critrolesync__critical-role_2020-07-12.xml": 10,
        "critrolesync__critical-role_2023-02-02.xml": 10,
        "partytime__sentimental-garbage.xml": 20,
        "partytime__changing-the-tide.xml": 15,
        "partytime__launched.xml": 20,
        "psc__speakingoffaith_on-being.xml": 20,
        "lex_episode_titles.json": 60,
    }.items():
        assert per_feed[stem] >= minimum, stem
    negatives = sum(1 for r in labelled if not r["expected_guests"].strip())
    assert negatives >= 100
    # Every trap named in the PROVENANCE notes is in the sample.
    titles = {r["title"] for r in labelled}
    for trap in (
        "C2E110 Dinner with the Devil",
        "C2E94 With Great Power...",
        "C2E28 Within the Nest",
        "84- Ode to Ladislav Sutnar plus Trading Places with Planet Money",
        "The Engine of Innovation-Education Podcast with John Merrow #134",
        "Green Business Opportunities with Teddi Davis and TiE Rockies",
        "0.00000015: Andy Schroder, Distributed Charge + A0",
        "Winslow Myers Intervioew",
        "Interview: Pam and Brian Barefoot",
        "Kanye 'Ye' West Interview | Lex Fridman Podcast #332",
        "Do Something Difficult Every Day | AMA #1 - Ask Me Anything with Lex Fridman",
    ):
        assert trap in titles, trap


def _feed_titles(relative: str) -> set[str]:
    path = DATA_REAL / relative
    if path.suffix == ".json":
        return set(_item_titles(relative))
    parser = etree.XMLParser(recover=True, resolve_entities=False, huge_tree=True)
    root = etree.fromstring(path.read_bytes().lstrip(), parser)
    return {repair_text(t.text or "") for t in root.iter("title") if t.getparent().tag == "item"}


def test_labelled_titles_are_real_feed_titles(labelled) -> None:
    by_feed: dict[str, set[str]] = {}
    for row in labelled:
        feed = row["feed_file"]
        if feed not in by_feed:
            by_feed[feed] = _feed_titles(feed)
        assert row["title"] in by_feed[feed], (feed, row["title"])


# Measured on the sample (680 titles, feed context as the pipeline has it): precision 0.987
# (451 tp, 6 fp), recall 0.832 (91 fn); with no context at all precision is 0.980 (the hosts
# Krista Tippett and Kylie Sturgess leak in). Floors leave room for a few label-neutral
# changes and are never below 0.95 / 0.6.
MIN_PRECISION = 0.98
MIN_RECALL = 0.82
MIN_PRECISION_WITHOUT_CONTEXT = 0.97


def test_labelled_sample_precision_and_recall(labelled) -> None:
    result = evaluate(labelled, contexts_for(r["feed_file"] for r in labelled))
    detail = "\n".join(f"FP {name!r} <- {title}" for _, title, name in result["false_positives"])
    assert result["precision"] >= MIN_PRECISION, detail
    assert result["recall"] >= MIN_RECALL
    # No feed that is mostly traps may start producing guests.
    for feed in (
        "feeds/plain/psc__john-merrow-education.xml",
        "feeds/plain/critrolesync__critical-role_2020-07-12.xml",
        "feeds/plain/prx__99percentinvisible_2013.xml",
        "feeds/plain/apprentice57__fivethirtyeight-politics-archive.rss",
    ):
        assert result["per_feed"][feed]["fp"] == 0, feed


# --------------------------------------------------------------------------- properties

FRAGMENTS = st.sampled_from(
    [
        "with",
        "With",
        "w/",
        "feat.",
        "Interview",
        "Interview:",
        "Interview mit",
        "+",
        "&",
        "and",
        "und",
        ":",
        "|",
        "-",
        "–",
        "#12",
        "12:",
        "(",
        ")",
        "[unedited interview]",
        "'Ye'",
        "Dr.",
        "Jr.",
        "of",
        "on",
        "Meeting",
        "Lecture By",
        "the",
        "Jane",
        "Roe",
        "O'Brien",
        "van",
        "Müller",
        "J.",
        "Podcast",
        "Show",
        "?",
        "...",
        ",",
        "Lex Fridman Podcast #3",
    ]
)
TITLE_LIKE = st.lists(FRAGMENTS, max_size=14).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    title=st.one_of(st.text(max_size=200), TITLE_LIKE),
    show=st.one_of(st.none(), st.text(max_size=40), TITLE_LIKE),
    hosts=st.lists(st.one_of(st.text(max_size=20), TITLE_LIKE), max_size=3),
)
@example(title="Jane Roe + Dr. Jim O'Brien Jr. [unedited interview]", show=None, hosts=[])
@example(title="", show="", hosts=[""])
def test_never_raises_and_only_returns_names(title: str, show, hosts) -> None:
    got = extract_title_guests(title, show_title=show, hosts=hosts, known_shows=hosts)
    keys = [g.name.casefold() for g in got]
    assert len(keys) == len(set(keys))
    for guest in got:
        assert is_person_name(guest.name), guest
        assert guest.pattern in PATTERNS
        assert 0 < guest.confidence < 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_is_person_name_never_raises(text: str) -> None:
    assert is_person_name(text) in (True, False)


def test_labelled_sample_precision_without_any_feed_context(labelled) -> None:
    # A caller that passes no hosts or show titles must still get mostly real guests.
    result = evaluate(labelled)
    assert result["precision"] >= MIN_PRECISION_WITHOUT_CONTEXT
    assert result["recall"] >= MIN_RECALL
