"""Guests named in episode titles: a separate, LOW-CONFIDENCE source of appearances.

Most real feeds carry no person tags, yet many titles name the guest ("Kris Allen Interview",
"Interview mit Laura Chinchilla, Präsidentin Costa Ricas", "Jeff Atwood: Stack Overflow |
Lex Fridman Podcast #7"). Titles are also full of things that look like names and are not (the
host in every title, another show after "with", bands, film titles, Title Case headlines, and
German nouns, which are all capitalised), so this module is tuned for precision: when a title is
unclear it returns nothing, and every result carries the rule that matched and a confidence
below 1, so callers keep it apart from person tags and transcripts.

Rules (each result's ``pattern``, with its confidence):

- ``name_plus_host`` (0.85) "X + Host [unedited interview]": the second name is the host.
- ``interview_with`` (0.8) "Interview with X", "A Conversation with X", "Interview Of X".
- ``interview_colon`` (0.8) "Interview: X", "Exit Interview: X", "... - Interview X".
- ``name_colon_topic`` (0.8) "X: Topic | Show #N". Only with the "| ... #N" suffix, which is what
  separates a guest ("Jeff Atwood:") from a segment name ("Model Talk:"); in that format no
  other rule runs, since "with Neural Nets" or "Biology of X" there is topic. If the part before
  the colon is a label ("Climate Change Debate:"), an all-names topic is taken instead.
- ``interview_mit`` (0.75) German "Interview/Gespräch/Podiumsdiskussion mit X". The name ends
  at "zum/zur/über/..."; after a comma only a real "A, B und C" enumeration continues, because
  German appositives are capitalised ("Joseph Stiglitz, Nobelpreisträger Wirtschaft").
- ``name_only`` (0.75) "X [unedited interview]". A bare name counts only with such a marker:
  bare titles like "Mass Formation", "Chaos In Iowa" or "Paul Mooney" (a tribute) are not
  guests and no capitalisation rule tells them apart, so "12: Seth Worley" is missed on purpose.
- ``name_interview`` (0.7) "X Interview", "X im Interview", also one typo away from
  "Interview" (the real "Winslow Myers Intervioew").
- ``numbered_name_company`` (0.7) "NN: X, Company".
- ``feat`` (0.65) "feat. X", "ft. X", "featuring X".
- ``with`` (0.6) "... with X" / "w/ X".
- ``numbered_topic_name`` (0.6) "#N - Topic - X", "NN: App - X": the last dash segment of a
  numbered title.
- ``performed_by`` (0.6) "Lecture By X", "Conducted By X", "[sung by X]", "Interview Of A By X".
- ``meeting`` (0.6) "Meeting X" (On Being).
- ``colon_name_dash`` (0.5) "Series: X - Topic".
- ``name_on`` (0.45) "X on Topic", "X über/zum Topic" at the start (also after "Series: ").
- ``name_of`` (0.4) "X of Company", "X Author of Book", "X at Event" at the very start.
  Both need the lowercase connector: in Title Case headlines ("Harris Goes Big On Night 4")
  every word is capitalised, so a capitalised run before "On" says nothing about names.

Lists: where a rule introduces the names explicitly ("with", "Interview mit") items that are
not people are dropped ("with Teddi Davis and TiE Rockies" -> Teddi Davis), but the first real
item must be a person ("With A Family And Full-Time Job" is no list of people). Where only
position says "name" (``name_on``, ``name_of``, ``name_only``, ...) every item must be a person
or a mere description ("Co-Founder"), or the title yields nothing.

Decisions:

- A name is 2-4 capitalised tokens, at most 3 of them full words (initials such as "J.B." or
  "F." make up the rest), with lowercase particles (de, van, von, al, el, ...) only inside and
  an optional Jr./Sr./III at the end; no digits. Mononyms ("RZA", "Grimes", "Duffy") are never
  returned: a single capitalised word is as often a band, a film or a place.
- Honorifics and job titles are stripped ("Dr. Jim Taylor", "Filmemacherin Angela Summereder",
  "Former Starbucks Exec Howard Behar", "Kurt Kardinal Koch" -> "Kurt Koch"), and so are
  appositives after a comma ("Laura Chinchilla, Präsidentin Costa Ricas").
- A nickname in quotes is dropped ("Kanye 'Ye' West" -> "Kanye West").
- A shared surname is expanded: "Pam and Brian Barefoot" -> "Pam Barefoot", "Brian Barefoot";
  two people sharing a surname is far likelier than a mononym followed by a person.
- A phrase led by a function word ("the Devil", "Great Power...", "The Half Show") is no name,
  nor is one whose first word is an ordinary English word that is not also a common given name
  ("Snow Patrol", "Planet Money", "Mass Formation"; "Will Bunch" and "Rose George" pass).
- A name followed by "?" is the subject of a question ("What's So Wrong With Nancy Pelosi?").
- Hosts are removed: the caller passes ``hosts`` (feed author, ``recurring_names`` of the feed's
  titles); a name inside ``show_title`` is a host; "Podcast with X" and "Ask Me Anything with X"
  name the host; a name equal to one of ``known_shows`` is a show; a trailing "-<...> Podcast
  with Host #N" segment is dropped before matching.

``evaluate`` scores the rules against the hand-labelled real titles in
tests/data/title_guests_labelled.csv; ``python -m ingest.title_guests`` prints the table
(``-v`` also lists the false negatives).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.text import normalise_name_key, repair_text

__all__ = [
    "FeedContext",
    "TitleGuest",
    "evaluate",
    "extract_title_guests",
    "is_person_name",
    "load_feed_context",
    "load_labelled_rows",
    "recurring_names",
]


@dataclass(frozen=True, slots=True)
class TitleGuest:
    """A person named in an episode title, with the rule that found them.

    ``confidence`` is in (0, 1) and never 1: a title is a weaker witness than a person tag.
    """

    name: str
    pattern: str
    confidence: float


# --------------------------------------------------------------------------- word lists
# Lowercase, compared after stripping a trailing dot.

_PARTICLES = frozenset(
    "de da del della dei di du dos das do van der den von zu la le al el bin ibn ter ten y".split()
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_FUNCTION_WORDS = frozenset(
    """the a an and or but nor of on in at to for with from by as into onto over under vs versus
    via is are was were be been am do does did not no yes my our your their his her its this that
    these those who what how why when where which whom than then plus so if it we you they he she
    i me us them all some any every each more most much many very just only also too up down out
    off about after before between through during without within against among per
    und mit der die das dem den des ein eine einer eines im zum zur zu über ueber uebers für aus
    bei nach vor wie was wer ist sind nicht auf""".split()
)
_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million billion first second third fourth fifth""".split()
)
# Words that make a capitalised phrase an organisation, show or event rather than a person.
_ORG_WORDS = frozenset(
    """podcast podcasts vodcast podcasting show shows radio network media news money tv fm books
    club company corp inc llc ltd group institute university college school association
    foundation society council department project festival summit conference convention series
    magazine records studios studio productions entertainment labs ventures capital partners bank
    center centre museum library team band orchestra choir channel systems solutions technologies
    software services consulting agency league coalition campaign committee daily weekly monthly
    hour tonight edition chapters hertz""".split()
)
# Last words that make the phrase an event, not a person ("Perth Launch", "Iran War Debate").
_EVENT_WORDS = frozenset(
    """debate launch memorial monument panel roundtable remix mix promo trailer wrap recap review
    tour concert session sessions meeting workshop webinar edition episode part extra track video
    special bonus discussion conversation debut premiere tribute retrospective awards ceremony
    party reunion finale marathon livestream stream update report teaser preview
    highlights""".split()
)
# Trailing words dropped before the check: "Shaun Tan Lecture", "Rob Thomas Live".
_TRAILING_STRIP = frozenset(
    "lecture keynote talk speech reading performance live interview".split()
)
# Honorifics and job titles, English and German. Leading ones are stripped when a name remains.
_ROLE_WORDS = frozenset(
    """dr doctor mr mrs ms miss mx prof professor professorin sir dame lord lady rev reverend canon
    father fr brother br sister rabbi imam bishop archbishop cardinal kardinal pastor pope senator
    sen rep representative congressman congresswoman governor gov mayor president president-elect
    vice-president minister secretary ambassador judge justice general gen colonel col captain
    capt lieutenant lt major sergeant sgt admiral chancellor provost chair chairman chairwoman ceo
    cto cfo coo founder co-founder cofounder director exec executive manager partner author
    co-author writer editor journalist reporter host co-host attorney lawyer inventor entrepreneur
    designer developer programmer consultant coach expert photographer filmmaker producer actor
    actress comedian musician singer rapper artist poet novelist scientist physicist economist
    historian philosopher psychologist anthropologist numerologist debunker pro-blogger blogger
    podcaster analyst strategist guest majesty holiness highness excellency superhero
    filmemacher filmemacherin regisseur regisseurin hauptdarsteller hauptdarstellerin darsteller
    darstellerin schauspieler schauspielerin drehbuchautor drehbuchautorin autor autorin
    schriftsteller schriftstellerin intendant intendantin politologe politologin ökonom ökonomin
    philosoph philosophin soziologe soziologin religionssoziologe stadtrat stadträtin
    bürgermeister bürgermeisterin komponist komponistin musiker musikerin sänger sängerin
    journalistin architekt architektin künstler künstlerin fotograf fotografin produzent
    produzentin historiker historikerin kanzler kanzlerin ministerin präsident
    präsidentin""".split()
)
# Role words that are also surnames: allowed as the last word ("Bill Bishop").
_ROLE_SURNAMES = frozenset(
    "bishop major judge justice chancellor pope provost singer pastor coach dean marshal".split()
)
# Titles that sit inside German ecclesiastical names: "Kurt Kardinal Koch".
_INNER_TITLES = frozenset({"kardinal", "cardinal"})
_GERMAN_ARTICLES = frozenset({"dem", "den", "der", "des", "die", "das"})
# Ordinary English words: a phrase whose first word is one of these is not a person's name
# ("Snow Patrol", "Heat Map"), unless that word is also a common given name (below).
_COMMON_WORDS = frozenset(
    """
    about above abstract accent access account act action active actor adventure adventures
    advice affair affairs age agenda ages air alien aliens alive alley almost alt amazing
    american ancient angel angels angry animal animals answer answers anonymous apple april arc
    architecture arena arms army arrivals art arts asian atomic attic audio autumn avenue awake
    award awards baby back bad bag baking bald ball ballad band bang bank bar bare barrel basic
    battle battles bay beach bear beast beat beautiful beauty bed beer bell belly best better
    beyond big bird birds birthday bit bitter black blade blank blind block blood blue board boat
    body bold bomb bond bone bones book books boom border boss bottle bottom box boy boys brain
    brave bread break breaking breakfast bridge bright broken brother brothers brown buck budget
    bug building bull bunch burning burst bus business busy butter button cabin cafe cage cake
    call calm camp campus candle candy canvas capital captain car card care career cargo carol
    case cash castle cat catch cause cave celebrity center central chain chair challenge champion
    chance change channel chaos chapter charge charm chase cheap check cheer chess chicken chief
    child children chill china chip choice christmas church circle circus city civil class
    classic clean clear click cliff climate clock close closet cloud clown club coach coast code
    coffee coin cold college colour color comedy coming comments common company complete
    computer concrete confessional conflict control cook cool copy core corner cost country
    couple courage court cover crash crazy cream creative credit crew crime crisis critical cross
    crown crystal culture cup cure current cut cyber dad daily damage dance danger dark darling
    dash data date dawn day days dead deadly deal dear death debt decision deep defence defense
    delta democracy design desert desk devil diamond diary digital dinner direct dirty disaster
    disco distance doctor dog dogs doll dollar domestic doom door double down dragon drama dream
    dreams dress drink drive drop drug drugs drum dry duck dust duty early earth east easy echo
    economy edge education effect eight electric elephant elite emergency empire empty end enemy
    energy engine enough entry equal escape eternal evening event evil exit extra eye eyes face
    fact factory faith fake fall false fame family famous fan fancy fantasy far farm farmer fast
    fat fate father fear feast federal feel feeling fever field fight film final finance fine
    fire first fish fist five flag flash flesh flight flood floor flower flowers fly focus fog
    folk food fool foot football force foreign forest forever fortune forward fountain four fox
    frame free freedom fresh friday friend friends frog front frost fruit fuel full fun funny
    future galaxy game games garage garden gas gate gay gear general genius gentle ghost giant
    gift girl girls glass global glory gold golden good goose grace grand grave gray great green
    grey ground group growth guard guest guide guilty gun guns habit hair half hall hammer hand
    hands happy harbor harbour hard harmony harvest hat hate head health heart hearts heat
    heaven heavy hell hello help hero heroes hidden high hill history hit hold hole holiday
    holy home honest honey hope horizon horror horse hospital hot hotel hour house human humans
    hunger hunt hunter ice icon idea ideas idle image impact independent indie inside insight
    iron island ivory jail jam jazz jet job jobs joint journal journey joy judge juice jump
    jungle junior jury just justice key kid kids kill killer kind king kingdom kiss kitchen
    knight knock label lady lake land language large last late latino law lead leader leaders
    leaf league learning left legacy legal legend lemon lesson lessons letter letters liar
    liberty life light lightning limit line lion liquid list little live living local lock
    london lonely long lord loss lost loud love lovely lucky lunch machine machines mad magic
    mail main major make man manager map march market marriage mask mass master masters match
    matter meat medal media medicine meet meeting meets memory men mental message metal metro
    middle midnight might mighty mile military milk mind minds minister minute mirror miss
    mission model modern moment monday money monster month moon moral morning mother motion
    mountain mouse mouth move movie movies murder muscle museum music mystery myth nation
    national native natural nature naughty navy near neck needle negative nerve net network new
    news next nice night nightmare noble noise normal north nothing novel number nurse oak ocean
    office officer oil old olive one open opera operation orange order organic origin out outer
    outside owl pacific page pain paint pair palace panic paper paradise park party pass past
    path patrol peace peak pearl people perfect person phantom phase phone piano picture piece
    pilot pink pioneer pit place places plain plan planet plant plastic play player plot pocket
    poem poet point poison polar police policy political pool poor pop popular port positive
    post pot poverty power powers practice prayer present press pretty price pride prime prince
    princess prison private prize problem profit project promise proof prophet public pulse
    punch pure purple puzzle quantum queen quest question quick quiet race radical radio rage
    rain rainbow random rapid rare raw ray reaction ready real reality rebel record red reform
    regular relief remote report republic rescue research reset rest return revenge review
    revolution rich ride right ring rise risk river road robot rock role roman romance roof room
    root rose rough round royal ruby rule rules run runner rush sacred safe safety sailor saint
    salt same sand saturday savage save scale scandal scene school science score screen sea
    season second secret secrets security seed self sense serious service seven shadow shadows
    shape share sharp shepherd shift shine ship shock shop short shot show sick side sign signal
    silence silent silver simple single sister six skeptic skin sky sleep slow small smart smash
    smile smoke snake snow social soft soldier solid solo song songs soul sound south space
    spark speaker special speed spell spice spider spirit split sport sports spring spy square
    stage stand star stars start state states station steam steel stone stop storm story
    straight strange street strong student studio style sugar summer sun sunday sunset super
    supreme surf survival sweet swift sword system table tale tales talk talks tall tank target
    tax tea teacher team tears tech teen temple test theory thin thing things third thriving
    thunder thursday ticket tide tiger time times tiny title today token tomorrow tonight top
    total touch tower town toxic track trade trading traffic trail train transfer trap travel
    treasure tree trial tribe trick trip trouble true trust truth tuesday turn twin twisted
    ultimate uncle under union unit united unlimited upper urban valley value vampire vaccine
    velvet vertical victory video view village violence virtual virus vision visit vital voice
    voices volume vote voters vox wake walk wall war warm warning wars water wave way wealth
    weapon weapons weather web wedding wednesday week weekend weird welcome west wet white whole
    wicked wide wild will wind window wine winter wire wise witch wolf woman women wonder wood
    word words work world worlds worth wrong year years yellow young youth zero zone
    able absolute actual additional afraid alternative ambitious ancient annual anxious
    apparent awesome awful basic beloved bizarre blessed bloody boring brief brilliant broad
    brutal calm careful casual certain cheerful chemical classic clever comic complex cosmic
    crucial curious cute decent delicious desperate different difficult digital direct divine
    dramatic dull eager eastern elegant emotional endless enormous entire epic essential
    ethical evident exact excellent exciting exotic expert extreme fabulous fair familiar
    fantastic fatal fierce firm foolish formal former fragile frank friendly furious general
    generous genuine giant glorious gorgeous graceful grateful grim gross handsome harsh hidden
    hilarious historic holy honest horrible huge humble hungry ideal illegal immortal important
    impossible incredible infinite initial inner innocent intense internal international
    invisible jealous joyful junior kinky lazy legendary liberal likely literal logical loyal
    lucky magical magnificent main marvelous massive mature maximum mean medical medieval
    mighty minor minimum miserable mobile moderate modest monstrous mortal musical mysterious
    mystical mythical naked narrow nasty neat nervous neutral noble northern notorious nuclear
    numerous obvious odd official optimal ordinary original outstanding painful pale parallel
    particular passive peaceful perfect personal physical plastic pleasant polite popular
    portable potential powerful practical precious pregnant premium primary prior productive
    professional profound prominent proper proud quantum radical random rapid rational raw
    recent regional relevant reliable religious remarkable rich ridiculous rigid romantic
    rotten rude rural sacred sad savage scary scientific secondary secure senior sensitive
    severe sexy shallow sharp shy significant silly similar sincere sinister slight sly smooth
    solar sole sophisticated sorry southern spare specific spectacular spiritual splendid
    stable standard steady sticky stiff strict stupid subtle successful sudden sufficient
    superb supreme sure surprising suspicious sweet swift symbolic technical temporary tender
    terrible terrific thick thorough tight tough traditional tragic tremendous tropical typical
    ugly ultimate unique universal unknown unusual upset urgent useful usual vague valid vast
    vicious victorious violent virtual visible visual vivid vulnerable warm weak wealthy weird
    western wet winner wise wonderful worried worthy yearly
    """.split()
)
# Given names that are also ordinary words: these may lead a name ("Will Bunch", "Rose George").
_GIVEN_WORDS = frozenset(
    """art bill bob buck candy carol cat chase chip cliff crystal dale dawn dean don drew faith
    roman frank gene grace grant guy holly hope hunter iris ivy jack jade joy june mark max may
    miles pat pearl ray reed rich rob rod rose ruby sandy sue summer will irving sterling
    channing""".split()
)

_TOKEN_PREFIXES = ("mc", "mac", "de", "di", "da", "du", "la", "le", "van", "von", "st", "fitz")


# --------------------------------------------------------------------------- name check


def _bare(token: str) -> str:
    return token.rstrip(".,;:").lower()


def _is_common(word: str) -> bool:
    """An ordinary English word, also as a plural ("Seasons") or hyphenated ("Full-Time")."""
    word = _bare(word)
    if word in _GIVEN_WORDS:
        return False
    if "-" in word:
        return all(_is_common(p) for p in word.split("-") if p)
    return (
        word in _COMMON_WORDS
        or (word.endswith("s") and word[:-1] in _COMMON_WORDS)
        or (word.endswith(("ches", "shes", "sses", "xes")) and word[:-2] in _COMMON_WORDS)
    )


def _is_initials(token: str) -> bool:
    """ "J.", "J.B.", "A.C" - single capital letters separated by dots."""
    if "." not in token:
        return False
    parts = [p for p in token.split(".") if p]
    return 0 < len(parts) <= 3 and all(len(p) == 1 and p.isupper() for p in parts)


def _is_name_part(part: str) -> bool:
    """One hyphen-free piece of a capitalised word: "Maté", "O'Connell", "McInnes", "DeGraw",
    "Ny'Kisha". Inner capitals are only allowed after known surname prefixes, which rejects
    brand and handle spellings such as "TiE", "SciFi", "YouRenew" and "MrBeast"."""
    if "'" in part:
        head, _, tail = part.partition("'")
        if head in {"O", "D", "L"}:
            return _is_name_part(tail)
        return _is_name_part(head) and _is_name_part(tail)
    if len(part) < 2 or not part.isalpha() or not part[0].isupper():
        return False
    rest = part[1:]
    if rest.islower():
        return True
    lower = part.lower()
    for prefix in _TOKEN_PREFIXES:
        n = len(prefix)
        if lower.startswith(prefix) and len(part) > n + 1 and part[1:n].islower():
            tail = part[n:]
            return tail[0].isupper() and tail[1:].isalpha() and tail[1:].islower()
    return False


def _is_name_word(token: str) -> bool:
    return bool(token) and all(_is_name_part(p) for p in token.split("-"))


def _is_nickname(token: str) -> bool:
    return len(token) >= 3 and token[0] in "'\"" and token[-1] == token[0]


def is_person_name(text: str) -> bool:
    """Whether ``text`` looks like a person's name as written in a title.

    Deliberately strict, because a wrong guest is worse than a missed one: 2-4 capitalised
    tokens (at most 3 full words, the rest initials), lowercase particles only inside, an
    optional Jr./Sr./III, no digits, no function/organisation/number words, no role word except
    as a surname ("Bill Bishop"), no event word at the end, and a first word that is not an
    ordinary English word unless it is also a given name.
    """
    if not isinstance(text, str) or len(text) > 60 or any(ch.isdigit() for ch in text):
        return False
    tokens = text.split()
    if len(tokens) > 2:
        tokens = [tokens[0], *(t for t in tokens[1:-1] if not _is_nickname(t)), tokens[-1]]
    if tokens and _bare(tokens[-1]) in _SUFFIXES and len(tokens) >= 3:
        tokens = tokens[:-1]
    if len(tokens) < 2:
        return False
    full = initials = 0
    for i, tok in enumerate(tokens):
        low = _bare(tok)
        edge = i in (0, len(tokens) - 1)
        if low in _PARTICLES and tok.islower():
            if edge:
                return False
            continue
        if _is_initials(tok):
            if i == len(tokens) - 1:
                return False
            initials += 1
            continue
        if low in _FUNCTION_WORDS or low in _ORG_WORDS or low in _NUMBER_WORDS:
            return False
        if low in _TRAILING_STRIP or (low in _EVENT_WORDS and i < len(tokens) - 1):
            return False
        if tok.endswith(("'s", "'")):
            return False
        if low in _ROLE_WORDS and not (i == len(tokens) - 1 and low in _ROLE_SURNAMES):
            return False
        if _is_name_word(tok):
            full += 1
        else:
            return False
    if full < 1 or not 2 <= full + initials <= 4 or full > 3:
        return False
    first, last = _bare(tokens[0]), _bare(tokens[-1])
    if last in _EVENT_WORDS or last in _TRAILING_STRIP:
        return False
    if _is_common(tokens[0]):
        return False
    # A gerund ("Being Catholic", "Chasing Hillary") leads a topic, not a name.
    return not (len(first) >= 5 and first.endswith("ing") and first not in _GIVEN_WORDS)


# --------------------------------------------------------------------------- cleaning

_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "‚": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "\u00a0": " ",
    }
)
_SPACED_DASH = re.compile(r"\s+[-–—]+\s*|\s*[–—]+\s+")
_GLUED_NUMBER = re.compile(r"(?<=[^\W\d_])-(?=\d)")
_SUFFIX_COMMA = re.compile(r",\s*(Jr|Sr|II|III|IV)\b(\.?)")
# A trailing segment naming a podcast/show after a dash is the show, not the topic:
# "...-Education Podcast with John Merrow #134", "... -Token Skeptic Podcast".
_SHOW_SUFFIX = re.compile(
    r"(?:\s+-\s+|(?<=[^\W\d_])-)(?:(?!\s-\s)[^|])*?\b(?:Podcast|Vodcast|Radio)\b[^|]*$"
)
_PIPE = re.compile(r"\s*\|\s*")


def _normalise(title: str) -> str:
    text = (repair_text(title) or "").translate(_QUOTES)
    text = _SUFFIX_COMMA.sub(r" \1\2", text)
    text = _GLUED_NUMBER.sub(" - ", text)
    text = _SPACED_DASH.sub(" - ", text)
    return re.sub(r"\s+", " ", text).strip()


# Where a phrase introduced by "with"/"mit" ends.
_STRONG_END = re.compile(
    r"\s-\s|\s-(?=[^\W\d_])|\||\(|\)|\[|\]|:|;|\?|!|#|\.\.\.|…|@|\s+(?:with|w/|featuring|feat\.?|"
    r"ft\.)\s+|\s+(?:conducted\s+)?by\s+|\s+vs\.?\s+|\s+plus\s+|\s+about\s+",
    re.IGNORECASE,
)
# Where one person inside a list item ends: "Carol Quinn of 3Lunches", "Paul Willis In ...".
_ITEM_END = re.compile(
    r"\s+(?:of|from|at|with|to|in|on|for|the|who|as|discusses|has|is|was|zum|zur|zu|über|ueber|"
    r"uebers|im|vom|aus|für|wegen)(?:\s+|\s*$)",
    re.IGNORECASE,
)
# Where only position says "name", the item must be the name plus at most an affiliation.
_STRICT_ITEM_END = re.compile(r"\s+(?:of|from|at|with)\s+", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|und\s+|&\s*)?|\s+(?:and|und|&|\+)\s+", re.IGNORECASE)
_DATE_TOKEN = re.compile(r"^(?:\d{1,4}(?:[/.]\d{1,4}){0,2}|#\d+)$")


def _strip_trailing(tokens: list[str]) -> list[str]:
    while tokens:
        tok = tokens[-1]
        bare = tok.strip(".,;:!?\"'")
        if not bare or _DATE_TOKEN.match(bare) or any(c.isdigit() for c in bare):
            tokens = tokens[:-1]
        elif bare.isupper() and len(bare) >= 2 and bare.lower() not in _SUFFIXES:
            tokens = tokens[:-1]  # "PUSHOVER", "LIVE", "(RG)" remnants
        elif len(tokens) > 2 and (
            bare.lower() in _TRAILING_STRIP
            or (bare.lower() in _ROLE_WORDS and bare.lower() not in _ROLE_SURNAMES)
        ):
            tokens = tokens[:-1]
        else:
            break
    if tokens:
        last = tokens[-1].rstrip(",;:!?")
        if last.endswith(".") and not _is_initials(last) and _bare(last) not in _SUFFIXES:
            last = last.rstrip(".")
        tokens = [*tokens[:-1], last] if last else tokens[:-1]
    return tokens


def _cap_count(tokens: Sequence[str]) -> int:
    return sum(1 for t in tokens if _is_initials(t) or _is_name_word(t))


def _clean_person(item: str, *, strict: bool = False) -> str:
    """Reduce one list item to the bare name: cut what follows the name, drop possessive
    organisations, articles, honorifics, job titles and leading ordinary words.

    A job title is tried first, so "Stick it to the Man Author Ronald Lewis" gives the name
    after "Author" rather than being cut at "to". ``strict`` only cuts at affiliation words
    (of/from/at/with), for patterns where the item itself must be the name."""
    words = item.split()
    for i in range(len(words) - 2, -1, -1):
        if _bare(words[i]) in _ROLE_WORDS:
            after = _clean_tokens(" ".join(words[i + 1 :]), strict)
            if after and is_person_name(after):
                return after
    return _clean_tokens(item, strict)


def _clean_tokens(item: str, strict: bool) -> str:
    item = (_STRICT_ITEM_END if strict else _ITEM_END).split(item, maxsplit=1)[0]
    tokens = [t for t in item.split() if t]
    tokens = [t for i, t in enumerate(tokens) if not (0 < i < len(tokens) - 1 and _is_nickname(t))]
    tokens = _strip_trailing(tokens)
    # "E&Y's Peter C. O'Toole", "Green Day's Mike Dirnt": the possessor is an organisation.
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].endswith("'s") and _cap_count(tokens[i + 1 :]) >= 2:
            tokens = tokens[i + 1 :]
            break
    while tokens and tokens[0].lower() in _GERMAN_ARTICLES and tokens[0].islower():
        tokens = tokens[1:]
    # Leading job titles: keep what follows the last role word if a name remains.
    for i in range(len(tokens) - 1, -1, -1):
        if _bare(tokens[i]) in _ROLE_WORDS and _cap_count(tokens[i + 1 :]) >= 2:
            tokens = tokens[i + 1 :]
            break
    if len(tokens) > 2:
        tokens = [
            tokens[0],
            *(t for t in tokens[1:-1] if _bare(t) not in _INNER_TITLES),
            tokens[-1],
        ]
    tokens = _strip_trailing(tokens)
    while not strict and len(tokens) > 2 and _is_common(tokens[0]) and tokens[0][:1].isupper():
        tokens = tokens[1:]  # "Superhero Chris Maverick"; positional patterns reject instead
    return " ".join(tokens)


def _is_droppable(item: str) -> bool:
    """An item that only describes ("Co-Founder", "Winners", "Managing Partner", "SEO")."""
    words = item.split()
    return bool(words) and all(
        _bare(w) in _ROLE_WORDS
        or _is_common(w)
        or _bare(w) in _FUNCTION_WORDS
        or (w.isupper() and w.isalpha())
        for w in words
    )


def _people(phrase: str, *, strict: bool, enumeration: bool = False) -> list[str]:
    """Split a phrase into people.

    ``strict``: every item that is not a mere description must be a name, or the phrase yields
    nothing (for patterns where only position says "these are names"). Otherwise items that
    are not names are dropped ("Teddi Davis and TiE Rockies"), but the first real item must be
    a name: "With A Family And Full-Time Job" is not a list of people.
    ``enumeration`` (German): items after a comma count only in an "A, B und C" list, and the
    list stops at the first non-name, because capitalised German appositives look like names
    ("Joseph Stiglitz, Nobelpreisträger Wirtschaft").
    """
    phrase = phrase.strip()
    parts = _LIST_SPLIT.split(phrase)
    seps = [s.strip().lower() for s in _LIST_SPLIT.findall(phrase)]
    if enumeration and not any(
        s in {"und", "and", "&"} or s.endswith(("und", "and", "&")) for s in seps
    ):
        parts, seps = parts[:1], []
    cleaned = [_clean_person(p, strict=strict) for p in parts]
    names: list[str] = []
    seen_real = False
    for i, name in enumerate(cleaned):
        tokens = name.split()
        # "Pam and Brian Barefoot": a lone given name joined by "and" to a full name.
        if (
            len(tokens) == 1
            and i + 1 < len(cleaned)
            and seps[i] in {"and", "und", "&"}
            and _is_name_word(tokens[0])
            and not _is_common(tokens[0])
            and _bare(tokens[0]) not in _FUNCTION_WORDS | _ROLE_WORDS
            and is_person_name(cleaned[i + 1])
        ):
            candidate = f"{tokens[0]} {_surname(cleaned[i + 1])}"
            if is_person_name(candidate):
                names.append(candidate)
                seen_real = True
                continue
        if name and is_person_name(name):
            names.append(name)
            seen_real = True
            continue
        single = len(parts[i].split()) == 1 and not strict
        if (_is_droppable(parts[i]) or single) and not (enumeration and seen_real):
            continue  # "Programmer", "Co-Founder", "Rubyist" (a mononym only when lenient)
        if strict or enumeration or not seen_real:
            return names if enumeration else []
    return names


def _surname(name: str) -> str:
    tokens = name.split()
    if _bare(tokens[-1]) in _SUFFIXES:
        tokens = tokens[:-1]
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].islower() and _bare(tokens[start - 1]) in _PARTICLES:
        start -= 1
    return " ".join(tokens[start:])


def _phrase_after(text: str, start: int) -> tuple[str, bool]:
    """The phrase from ``start`` to the next strong boundary, and whether it is a question."""
    rest = text[start:]
    m = _STRONG_END.search(rest)
    if not m:
        return rest.strip(), False
    return rest[: m.start()].strip(), m.group().strip() == "?"


# --------------------------------------------------------------------------- patterns

_HOST_BEFORE_WITH = re.compile(r"\b(?:podcast|vodcast|radio|anything|ama)\s*$", re.IGNORECASE)
_WITH = re.compile(r"(?:(?<=[\s(\[])|^)(?:with|w/)\s+", re.IGNORECASE)
_FEAT = re.compile(r"(?:(?<=\s)|^|(?<=\())(?:feat\.?|ft\.|featuring)\s+", re.IGNORECASE)
_INTERVIEW_WITH = re.compile(
    r"\b(?:interview|interviews|conversation|chat)\s+(?:with|w/|of)\s+", re.IGNORECASE
)
_INTERVIEW_COLON = re.compile(r"\b(?:interview|conversation)\s*:\s*", re.IGNORECASE)
_INTERVIEW_MIT = re.compile(
    r"\b(?:interview|gespräch|gespraech|podiumsdiskussion|diskussion|unterhaltung)\s+mit\s+",
    re.IGNORECASE,
)
_MIT_END = re.compile(
    r"\s+(?:zum|zur|zu|über|ueber|uebers|im|vom|aus|für|in|bei|nach|und\s+ein)\s+|\(|\s-\s"
    r"|:|\?|!|\.\.\.",
    re.IGNORECASE,
)
_PERFORMED_BY = re.compile(
    r"\b(?:lecture|talk|speech|keynote|reading|conducted|performed|sung|read|told|presented)"
    r"\s+by\s+|\binterview\s+of\s+[^|]+?\s+by\s+",
    re.IGNORECASE,
)
_MEETING = re.compile(r"\bmeeting\s+(?=[^\W\d_])", re.IGNORECASE)
_UNEDITED = re.compile(r"\[[^\]]*\b(?:interview|conversation|discussion)\b[^\]]*\]", re.I)
_PLUS_HOST = re.compile(r"^(?P<a>[^+\[\]]+?)\s+\+\s+(?P<b>[^+\[\]]+?)\s*\[")
_BRACKETS = re.compile(r"\s*(?:\[[^\]]*\]|\([^)]*\))")
_NUMBERED = re.compile(r"^\s*(?:(?:episode|ep\.?|no\.?)\s*)?#?\d[\d.]*\s*:\s+", re.IGNORECASE)
_HASH_NUMBER = re.compile(r"#\s*\d+")
_NAME_COLON_TOPIC = re.compile(
    r"^(?P<names>[^:|]+?):\s+(?P<topic>[^|]+?)\s*\|\s*(?P<show>[^|]*#\s*\d+)\s*$"
)
_INTERVIEW_WORD = "interview"


def _near_interview(token: str) -> bool:
    """ "Interview" or one edit away ("Intervioew", a real typo), so typos don't cost recall."""
    word = token.lower().strip(".,;:!")
    if word == _INTERVIEW_WORD:
        return True
    if abs(len(word) - len(_INTERVIEW_WORD)) > 1 or not word.startswith("interv"):
        return False
    prev = list(range(len(_INTERVIEW_WORD) + 1))
    for i, ch in enumerate(word, 1):
        cur = [i]
        for j, target in enumerate(_INTERVIEW_WORD, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ch != target)))
        prev = cur
    return prev[-1] <= 1 and word not in {"interviews"}


@dataclass(slots=True)
class _Found:
    name: str
    pattern: str
    confidence: float
    position: int


def _segments(text: str) -> list[str]:
    return [s for s in _PIPE.split(text) if s]


def _find_with(text: str, out: list[_Found]) -> None:
    for regex, pattern, conf in (
        (_INTERVIEW_WITH, "interview_with", 0.8),
        (_FEAT, "feat", 0.65),
        (_WITH, "with", 0.6),
    ):
        for m in regex.finditer(text):
            if pattern == "with" and _HOST_BEFORE_WITH.search(text[: m.start()]):
                continue  # "Education Podcast with John Merrow", "Ask Me Anything with Lex"
            phrase, question = _phrase_after(text, m.end())
            if question:
                continue  # "What's So Wrong With Nancy Pelosi?" asks about a subject
            for name in _people(phrase, strict=False):
                out.append(_Found(name, pattern, conf, m.end()))


def _find_interview_colon(text: str, out: list[_Found]) -> None:
    for m in _INTERVIEW_COLON.finditer(text):
        phrase, question = _phrase_after(text, m.end())
        if not question:
            for name in _people(phrase, strict=False):
                out.append(_Found(name, "interview_colon", 0.8, m.end()))
    # "Menschenrechte - Interview Hans Joas": "Interview" + the rest of the segment.
    for seg_start, seg in _segment_spans(text):
        m = re.search(r"\binterview\s+(?=[^\W\d_])", seg, re.IGNORECASE)
        if m and not re.match(r"(?:with|w/|of|mit)\b", seg[m.end() :], re.IGNORECASE):
            rest = seg[m.end() :].strip()
            if rest and _clean_person(rest) == rest and is_person_name(rest):
                out.append(_Found(rest, "interview_colon", 0.8, seg_start + m.end()))


def _segment_spans(text: str) -> list[tuple[int, str]]:
    spans, pos = [], 0
    for part in re.split(r"(\s\|\s|\s-\s)", text):
        if part not in (" | ", " - ") and part.strip():
            spans.append((pos, part))
        pos += len(part)
    return spans


def _find_interview_mit(text: str, out: list[_Found]) -> None:
    text = re.sub(r"\b(Interview mit )+(?=Interview mit )", "", text, flags=re.IGNORECASE)
    for m in _INTERVIEW_MIT.finditer(text):
        rest = text[m.end() :]
        end = _MIT_END.search(rest)
        phrase = rest[: end.start()] if end else rest
        for name in _people(phrase, strict=False, enumeration=True):
            out.append(_Found(name, "interview_mit", 0.75, m.end()))


def _find_name_interview(text: str, out: list[_Found]) -> None:
    for seg_start, seg in _segment_spans(text):
        tokens = seg.split()
        for i, tok in enumerate(tokens):
            if i == 0 or not _near_interview(tok):
                continue
            after = " ".join(tokens[i + 1 :])
            if after and not re.match(r"^(?:[\d#/(]|zur?\b|zum\b|/)", after):
                continue
            before = tokens[:i]
            if before and before[-1].lower() == "im":
                before = before[:-1]
            lead = " ".join(before)
            lead = lead.rsplit(": ", 1)[-1]
            lead = " ".join(t for t in lead.split() if not _DATE_TOKEN.match(t))
            for name in _people(lead, strict=True):
                out.append(_Found(name, "name_interview", 0.7, seg_start))
            break


def _find_plus_host(text: str, out: list[_Found]) -> None:
    """ "Guest + Interviewer [unedited interview]": the second name is the interviewer (On Being's
    convention), so only the first is returned, whether or not ``hosts`` were passed."""
    if not _UNEDITED.search(text):
        return
    m = _PLUS_HOST.match(text)
    if not m:
        return
    guest, interviewer = _clean_person(m.group("a")), _clean_person(m.group("b"))
    if is_person_name(guest) and is_person_name(interviewer):
        out.append(_Found(guest, "name_plus_host", 0.85, 0))


def _find_name_only(text: str, out: list[_Found]) -> None:
    if not _UNEDITED.search(text) or "+" in text:
        return
    bare = _BRACKETS.sub("", text).strip()
    for name in _people(bare, strict=True):
        out.append(_Found(name, "name_only", 0.75, 0))


def _find_name_colon_topic(original: str, out: list[_Found]) -> None:
    m = _NAME_COLON_TOPIC.match(original)
    if not m:
        return
    names = _people(m.group("names"), strict=True)
    lead = m.group("names").split()
    if not names and len(lead) >= 2 and not is_person_name(_clean_person(m.group("names"))):
        # "Climate Change Debate: Bjørn Lomborg and Andrew Revkin | ... #339"
        names = _people(m.group("topic"), strict=True)
    for name in names:
        out.append(_Found(name, "name_colon_topic", 0.8, 0))


def _find_numbered(text: str, out: list[_Found]) -> None:
    m = _NUMBERED.match(text)
    if m and "," in text:
        head = text[m.end() :].split(",", 1)[0]
        name = _clean_person(head)
        if name == head.strip() and is_person_name(name):
            out.append(_Found(name, "numbered_name_company", 0.7, m.end()))
    if m or _HASH_NUMBER.search(text.split(" - ", 1)[0]):
        segments = _segments(text)
        dashed = segments[0].split(" - ") if segments else []
        if len(dashed) >= 2 and _NUMBERED.sub("", dashed[-1]) == dashed[-1]:
            for name in _people(dashed[-1], strict=True):
                out.append(_Found(name, "numbered_topic_name", 0.6, len(text) - len(dashed[-1])))


def _find_performed_by(text: str, out: list[_Found]) -> None:
    for m in _PERFORMED_BY.finditer(text):
        phrase, question = _phrase_after(text, m.end())
        if not question:
            for name in _people(phrase, strict=False):
                out.append(_Found(name, "performed_by", 0.6, m.end()))


def _find_meeting(text: str, out: list[_Found]) -> None:
    for m in _MEETING.finditer(text):
        phrase, _ = _phrase_after(text, m.end())
        for name in _people(phrase, strict=False):
            out.append(_Found(name, "meeting", 0.6, m.end()))


def _lead_candidates(text: str) -> list[tuple[int, str]]:
    """Title starts a name may sit at: the last "|" segment, and after a "Series: " prefix."""
    starts = []
    segs = _segments(text)
    seg = segs[-1] if segs else ""
    offset = text.rfind(seg) if seg else 0
    starts.append((offset, seg))
    if ": " in seg:
        head, _, tail = seg.partition(": ")
        starts.append((offset + len(head) + 2, tail))
    return starts


# Lowercase connectors only: in Title Case headlines ("Harris Goes Big On Night 4") every word
# is capitalised, so a capitalised run before "On" says nothing about names.
_NAME_ON = re.compile(r"^(?P<names>.+?)\s+(?:on|über|ueber|zum|zur)\s+\S")
_NAME_OF = re.compile(r"^(?P<names>.+?)\s+(?:of|from|at)\s+\S")
_COLON_NAME_DASH = re.compile(r"^(?P<prefix>[^:|]*[^\W\d_][^:|]*):\s+(?P<names>[^:|]+?)\s+-\s+\S")


def _find_leading(text: str, out: list[_Found]) -> None:
    for n, (offset, seg) in enumerate(_lead_candidates(text)):
        for regex, pattern, conf in ((_NAME_ON, "name_on", 0.45), (_NAME_OF, "name_of", 0.4)):
            if pattern == "name_of" and n > 0:
                continue  # "Topic: Computational Biology of X" - "of" after a prefix is topic
            m = regex.match(seg)
            if m and not _STRONG_END.search(m.group("names")):
                for name in _people(m.group("names"), strict=True):
                    out.append(_Found(name, pattern, conf, offset))
    for seg in _segments(text):
        m = _COLON_NAME_DASH.match(seg)
        if m:
            for name in _people(m.group("names"), strict=True):
                out.append(_Found(name, "colon_name_dash", 0.5, text.find(seg)))


# --------------------------------------------------------------------------- public API


def extract_title_guests(
    title: str,
    *,
    show_title: str | None = None,
    hosts: Sequence[str] = (),
    known_shows: Sequence[str] = (),
) -> list[TitleGuest]:
    """The people an episode title names as guests, in title order, each once.

    Pure: no I/O. ``hosts`` are removed (pass the feed's author and ``recurring_names`` of its
    titles); names inside ``show_title`` count as hosts; names equal to ``known_shows`` are
    shows. Returns [] whenever the title is unclear - precision matters more than recall here.
    """
    if not isinstance(title, str) or not title.strip():
        return []
    original = _normalise(title)
    text = _SHOW_SUFFIX.sub("", original).strip()
    found: list[_Found] = []
    if _NAME_COLON_TOPIC.match(original):
        # "Guest: Topic | Show #N": the names are before the colon; "Learning to Drive with
        # Neural Nets" or "Biology of Coronavirus" in the topic are not guests.
        _find_name_colon_topic(original, found)
        finders: tuple[Callable[[str, list[_Found]], None], ...] = ()
    else:
        finders = (
            _find_with,
            _find_interview_colon,
            _find_interview_mit,
            _find_name_interview,
            _find_plus_host,
            _find_name_only,
            _find_numbered,
            _find_performed_by,
            _find_meeting,
            _find_leading,
        )
    for finder in finders:
        finder(text, found)

    host_keys = {normalise_name_key(h) for h in hosts if h}
    show_keys = {normalise_name_key(s) for s in known_shows if s}
    show_text = f" {normalise_name_key(show_title)} " if show_title else ""
    best: dict[str, _Found] = {}
    for f in found:
        if not is_person_name(f.name):
            continue
        key = normalise_name_key(f.name)
        if key in host_keys or key in show_keys or (show_text and f" {key} " in show_text):
            continue
        held = best.get(key)
        if held is None or f.confidence > held.confidence:
            best[key] = _Found(
                f.name,
                f.pattern,
                f.confidence,
                min(f.position, held.position) if held else f.position,
            )
    ordered = sorted(best.values(), key=lambda f: f.position)
    return [TitleGuest(f.name, f.pattern, f.confidence) for f in ordered]


def recurring_names(
    titles: Iterable[str], *, min_share: float = 0.5, min_titles: int = 3
) -> set[str]:
    """Names that appear in most titles of one show: the host, not a guest.

    "... -Education Podcast with John Merrow #134" names John Merrow in every episode and
    "| Lex Fridman Podcast #N" names Lex Fridman; a guest is rarely in more than a handful.
    Any 2-4 word window that passes ``is_person_name`` is counted once per title; names in at
    least ``min_share`` of the titles (and at least ``min_titles`` of them) are returned, for
    the caller to pass as ``hosts``.
    """
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    total = 0
    for title in titles:
        total += 1
        tokens = re.split(r"[\s|:;,()\[\]#?!\"]+|\s-\s", _normalise(title))
        tokens = [t for t in tokens if t]
        seen: set[str] = set()
        for size in (2, 3, 4):
            for i in range(len(tokens) - size + 1):
                window = " ".join(tokens[i : i + size])
                if is_person_name(window):
                    key = normalise_name_key(window)
                    seen.add(key)
                    spelling.setdefault(key, window)
        counts.update(seen)
    threshold = max(min_titles, min_share * total)
    return {spelling[k] for k, n in counts.items() if n >= threshold}


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True, slots=True)
class FeedContext:
    """What a caller knows about the show a title comes from."""

    show_title: str | None = None
    hosts: tuple[str, ...] = ()
    known_shows: tuple[str, ...] = ()


def _split_expected(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _scores(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def evaluate(
    rows: Iterable[Mapping[str, str]],
    contexts: Mapping[str, FeedContext] | None = None,
) -> dict:
    """Score the extractor against labelled rows (feed_file, title, expected_guests).

    Names match by ``normalise_name_key``. Returns overall precision/recall/F1 and counts, a
    per-feed breakdown and the individual false positives and negatives, so a change that
    trades precision for recall shows up as names, not just as numbers.
    """
    contexts = contexts or {}
    tp = fp = fn = 0
    per_feed: dict[str, list[int]] = {}
    false_pos: list[tuple[str, str, str]] = []
    false_neg: list[tuple[str, str, str]] = []
    n_rows = 0
    for row in rows:
        n_rows += 1
        feed = row["feed_file"]
        ctx = contexts.get(feed, FeedContext())
        got = extract_title_guests(
            row["title"], show_title=ctx.show_title, hosts=ctx.hosts, known_shows=ctx.known_shows
        )
        got_keys = {normalise_name_key(g.name): g.name for g in got}
        want_keys = {normalise_name_key(n): n for n in _split_expected(row["expected_guests"])}
        counts = per_feed.setdefault(feed, [0, 0, 0, 0])
        counts[3] += 1
        for key, name in got_keys.items():
            if key in want_keys:
                tp += 1
                counts[0] += 1
            else:
                fp += 1
                counts[1] += 1
                false_pos.append((feed, row["title"], name))
        for key, name in want_keys.items():
            if key not in got_keys:
                fn += 1
                counts[2] += 1
                false_neg.append((feed, row["title"], name))
    result: dict = _scores(tp, fp, fn)
    result["rows"] = n_rows
    result["per_feed"] = {
        feed: {**_scores(c[0], c[1], c[2]), "rows": c[3]} for feed, c in sorted(per_feed.items())
    }
    result["false_positives"] = false_pos
    result["false_negatives"] = false_neg
    return result


# --------------------------------------------------------------------------- I/O helpers
# Only the evaluation reads files; extract_title_guests never does.

REPO = Path(__file__).resolve().parents[1]
DATA_REAL = REPO / "data" / "real"
LABELLED_CSV = REPO / "tests" / "data" / "title_guests_labelled.csv"


def load_labelled_rows(path: Path = LABELLED_CSV) -> list[dict[str, str]]:
    """The hand-labelled sample: feed_file (relative to data/real), title, expected_guests
    (';'-joined), note."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def feed_titles_and_channel(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Item titles and channel fields (title, author, owner name) of a real feed or of the Lex
    Fridman title list. Feeds are read leniently: some real ones are not well-formed XML."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return [str(v) for v in data.values()], {}
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, huge_tree=True, no_network=True)
    root = etree.fromstring(path.read_bytes().lstrip(), parser)
    channel = root.find("channel") if root is not None else None
    titles = [
        repair_text(t.text or "") or ""
        for t in root.iter("title")
        if t.getparent() is not None and t.getparent().tag == "item"
    ]
    fields: dict[str, list[str]] = {}
    if channel is not None:
        for child in channel:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            if local in {"title", "author"} and child.text:
                fields.setdefault(local, []).append(repair_text(child.text) or "")
            if local == "owner":
                for sub in child:
                    if isinstance(sub.tag, str) and etree.QName(sub).localname == "name":
                        fields.setdefault("owner", []).append(repair_text(sub.text or "") or "")
            if local == "person" and (child.get("role") or "host").lower() == "host":
                fields.setdefault("person", []).append(repair_text(child.text or "") or "")
    return titles, fields


def load_feed_context(path: Path, known_shows: Sequence[str] = ()) -> FeedContext:
    """What the ingest pipeline knows about a feed: its title, and as hosts the channel
    author/owner/host names that look like names plus ``recurring_names`` of its titles."""
    titles, fields = feed_titles_and_channel(path)
    hosts = set(recurring_names(titles))
    for key in ("author", "owner", "person"):
        for value in fields.get(key, []):
            for part in re.split(r"\s*(?:,|&|/|\band\b)\s*", value):
                if is_person_name(part.strip()):
                    hosts.add(part.strip())
    show = (fields.get("title") or [None])[0]
    return FeedContext(show_title=show, hosts=tuple(sorted(hosts)), known_shows=tuple(known_shows))


def contexts_for(feed_files: Iterable[str], root: Path = DATA_REAL) -> dict[str, FeedContext]:
    """A FeedContext per feed file (paths relative to data/real); every feed's channel title
    is passed as a known show, as the warehouse would know them."""
    files = sorted(set(feed_files))
    shows = []
    for name in files:
        _, fields = feed_titles_and_channel(root / name)
        shows.extend(fields.get("title", []))
    return {name: load_feed_context(root / name, known_shows=shows) for name in files}


def _main() -> int:
    rows = load_labelled_rows()
    result = evaluate(rows, contexts_for(r["feed_file"] for r in rows))
    header = (
        f"{'feed':56} {'rows':>4} {'tp':>4} {'fp':>3} {'fn':>3} {'prec':>6} {'rec':>6} {'f1':>6}"
    )
    print(header)
    for feed, s in result["per_feed"].items():
        print(
            f"{Path(feed).name[:56]:56} {s['rows']:4d} {s['tp']:4d} {s['fp']:3d} {s['fn']:3d} "
            f"{s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}"
        )
    print(
        f"{'TOTAL':56} {result['rows']:4d} {result['tp']:4d} {result['fp']:3d} "
        f"{result['fn']:3d} {result['precision']:6.3f} {result['recall']:6.3f} "
        f"{result['f1']:6.3f}"
    )
    print("\nfalse positives:")
    for feed, title, name in result["false_positives"]:
        print(f"  {name!r:32} <- {title}  [{Path(feed).name}]")
    if "-v" in sys.argv[1:]:
        print("\nfalse negatives:")
        for feed, title, name in result["false_negatives"]:
            print(f"  {name!r:32} <- {title}  [{Path(feed).name}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
