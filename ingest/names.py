"""Person identity keys: what makes two spellings, or two links, the same person.

Kept apart from text repair because these rules decide merges: a key that is too loose merges
two people silently, one that is too strict splits a person. So each rule is small, named and
tested on its own:

* ``person_key`` is the name key (ingest.text.normalise_name_key) without the courtesy titles
  and credentials that sources add or drop ("Dr. Jim Taylor" = "Jim Taylor", "Mireille B.
  Reece, Psy.D" = "Mireille B. Reece"). Generational suffixes (Jr., Sr., III) are kept: they
  tell people apart.
* ``href_key`` makes links about a person comparable: scheme and host case, "www.", a trailing
  slash, default ports and fragments do not make a different person (Adam Curry's
  "http://curry.com/" and "http://curry.com" are one).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ingest.text import normalise_name_key

# Titles before a name, as they appear after normalise_name_key (lower case, dots dropped).
_TITLES = (
    "dr",
    "doctor",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "rev",
    "reverend",
    "fr",
    "father",
    "sister",
    "senator",
    "sen",
    "rep",
    "gov",
    "governor",
    "president",
    "pres",
    "judge",
    "justice",
    "capt",
    "captain",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "major",
    "admiral",
    "rabbi",
    "imam",
    "pastor",
    "hon",
)
_LEADING_TITLE = re.compile(r"^(?:(?:first lady|" + "|".join(_TITLES) + r")\s+)+")
# Credentials after a name (normalise_name_key drops the comma before them).
_CREDENTIALS = (
    # Not "ma"/"ba": "Yo-Yo Ma" must keep his name.
    "phd",
    "ph d",
    "psyd",
    "psy d",
    "md",
    "m d",
    "dds",
    "dvm",
    "jd",
    "mba",
    "msc",
    "bsc",
    "pharmd",
    "edd",
    "esq",
    "cpa",
    "lcsw",
    "lmft",
    "obe",
    "mbe",
    "cbe",
    "frs",
)
_TRAILING_CREDENTIALS = re.compile(r"(?:\s+(?:" + "|".join(_CREDENTIALS) + r"))+$")


def person_key(name: str) -> str:
    """The name key used to match people, with titles and credentials removed - but only when
    at least two words remain, so a stage name like "Dr. Dre" or "Ms. iVee" stays whole."""
    key = normalise_name_key(name)
    untitled = _LEADING_TITLE.sub("", key).strip()
    if len(untitled.split()) < 2:
        untitled = key
    bare = _TRAILING_CREDENTIALS.sub("", untitled).strip()
    return bare if len(bare.split()) >= 2 else untitled


def href_key(href: str | None) -> str | None:
    """A comparable form of a URL about a person; None when it is not an http(s) URL."""
    if not href or not href.strip():
        return None
    try:
        parts = urlsplit(href.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return None
    if host.startswith("www."):
        host = host[4:]
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
