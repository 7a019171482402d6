"""Publication dates as feeds really write them -> naive UTC datetimes.

RSS asks for RFC 822 dates and Atom for RFC 3339, but real feeds bend both: named zones (EST,
PDT, CST), full month names ("12 April 2011"), single-digit days, missing seconds, doubled
spaces, German month or weekday names from German CMSs, and US-style "1/31/2007" from hand-made
feeds. A date is only a fact about an episode, never its identity, so a date we cannot read is
kept as raw text with published_at None rather than costing the episode.

Every value comes back as naive UTC (the warehouse stores UTC). When the text gives no zone we
read it as UTC and say so, because a guessed offset is still a few hours off at worst, while
dropping the date loses the day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["FeedDate", "parse_feed_date", "slash_dates_day_first"]

_MONTHS = {
    # English, then German forms that differ ("Mär", "Mai", "Okt", "Dez").
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "mär": 3, "mrz": 3, "maerz": 3, "mai": 5, "okt": 10, "dez": 12,
    "januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
}  # fmt: skip

# Zones seen in feeds (RFC 822 names plus common CMS output). Ambiguous names such as IST are
# left out on purpose: reading them as UTC with a note beats silently picking a country.
_ZONES = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5,
    "BST": 1, "WEST": 1, "CET": 1, "MEZ": 1, "CEST": 2, "MESZ": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12,
    "NZDT": 13,
}  # fmt: skip

_RFC822 = re.compile(
    r"^(?:[A-Za-zäöüÄÖÜ]{2,10}\.?,?\s*)?"  # weekday, any language, ignored (often wrong)
    r"(?P<day>\d{1,2})\.?\s*(?P<mon>[A-Za-zäöüÄÖÜ]{3,10})\.?,?\s*(?P<year>\d{2}|\d{4})"
    r"(?:,?\s+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<zone>[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?\s*(?:\([^)]*\))?$"
)
_SLASH = re.compile(
    r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})"
    r"(?:\s+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?)?$"
)


@dataclass(frozen=True)
class FeedDate:
    value: datetime | None  # naive UTC
    issue: str | None  # why the value is missing or less certain; None when clean


def slash_dates_day_first(texts: Iterable[str | None]) -> bool:
    """Decide once per feed how to read "a/b/yyyy": day first only if some first number is
    above 12 and no second one is. One feed uses one convention, and the US order is what the
    real slash-dated feeds use ("1/31/2007"), so it wins when nothing proves otherwise."""
    firsts, seconds = [], []
    for text in texts:
        m = _SLASH.match((text or "").strip())
        if m:
            firsts.append(int(m["a"]))
            seconds.append(int(m["b"]))
    return any(a > 12 for a in firsts) and not any(b > 12 for b in seconds)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # RFC 2822 section 4.3
        year += 2000 if year < 50 else 1900
    return year


def _offset(zone: str | None) -> tuple[timedelta, str | None]:
    if not zone:
        return timedelta(0), "no time zone, read as UTC"
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        return timedelta(minutes=minutes if zone[0] == "+" else -minutes), None
    hours = _ZONES.get(zone.upper())
    if hours is None:
        return timedelta(0), f"unknown time zone {zone!r}, read as UTC"
    return timedelta(hours=hours), None


def _build(
    year: int, month: int, day: int, h: int, m: int, s: int, offset: timedelta
) -> datetime | None:
    try:
        local = datetime(year, month, day, h, m, s)
    except ValueError:
        return None
    try:
        return local - offset
    except OverflowError:
        return None


def _iso(text: str) -> FeedDate | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        has_time = len(text) > 10
        return FeedDate(value, "no time zone, read as UTC" if has_time else None)
    try:
        return FeedDate(value.astimezone(UTC).replace(tzinfo=None), None)
    except OverflowError:
        return None


def parse_feed_date(text: str | None, *, day_first: bool = False) -> FeedDate:
    """One feed date -> FeedDate. Missing text gives (None, None): nothing was claimed, so
    nothing is wrong. Text that is present but unreadable gives (None, 'unparseable date')."""
    if text is None or not text.strip():
        return FeedDate(None, None)
    clean = re.sub(r"\s+", " ", text.strip())
    if len(clean) > 80:  # no real date is this long; bounded input keeps the regexes cheap
        return FeedDate(None, "unparseable date")
    iso = _iso(clean)
    if iso is not None:
        return iso
    m = _RFC822.match(clean)
    if m:
        month = _MONTHS.get(m["mon"].lower()) or _MONTHS.get(m["mon"].lower()[:3])
        if month is not None:
            offset, issue = _offset(m["zone"])
            if m["h"] is None and m["zone"] is None:
                issue = None  # a bare day has no time for a zone to shift
            value = _build(
                _year(m["year"]),
                month,
                int(m["day"]),
                int(m["h"] or 0),
                int(m["m"] or 0),
                int(m["s"] or 0),
                offset,
            )
            if value is not None:
                return FeedDate(value, issue)
    m = _SLASH.match(clean)
    if m:
        a, b = int(m["a"]), int(m["b"])
        month, day = (b, a) if day_first else (a, b)
        hour = int(m["h"] or 0)
        if m["ampm"]:
            hour = hour % 12 + (12 if m["ampm"].lower() == "pm" else 0)
        minute, second = int(m["m"] or 0), int(m["s"] or 0)
        value = _build(int(m["year"]), month, day, hour, minute, second, timedelta(0))
        if value is not None:
            return FeedDate(value, "no time zone, read as UTC" if m["h"] else None)
    return FeedDate(None, "unparseable date")
