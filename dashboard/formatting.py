"""Turning warehouse values into display text and URLs, in one place so pages agree.

Kept free of Dash imports: these are plain functions, easy to test, and shared by layouts,
callbacks and charts.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import quote, urlsplit

UNKNOWN_DATE = "date unknown"

# How an appearance is known (appearances.source), in words a reader understands. 'title' is the
# weakest evidence there is (a name in an episode title), so its label says so every time.
TITLE_SOURCE = "title"
SOURCE_LABELS = {
    "feed": "feed person tag",
    "transcript": "transcript",
    "record_file": "record file",
    "page_export": "speaker page",
    TITLE_SOURCE: "episode title — low confidence",
}
# A show's hosts/guests grid, for people known on that show only from episode titles.
TITLE_ONLY_EVIDENCE = "from titles — low confidence"
SAFE_SCHEMES = ("http", "https")


def count(n: int | None) -> str:
    """1873 -> '1,873' (None counts as 0: a speaker with no mart row has no appearances)."""
    return f"{int(n or 0):,}"


def plural(n: int | None, singular: str, plural_form: str | None = None) -> str:
    """'1 quote', '20 quotes'."""
    value = int(n or 0)
    word = singular if value == 1 else (plural_form or singular + "s")
    return f"{count(value)} {word}"


def day(value: date | datetime | None, unknown: str = UNKNOWN_DATE) -> str:
    """ISO day of a timestamp, or `unknown` when the source gave no date."""
    if value is None:
        return unknown
    return value.strftime("%Y-%m-%d")


def month_label(value: date | datetime) -> str:
    return value.strftime("%b %Y")


def roles(text: str | None) -> str:
    """'guest, host' -> 'Guest, Host'; roles are lower-case in the warehouse."""
    if not text:
        return "Speaker"
    return ", ".join(part.strip().capitalize() for part in text.split(",") if part.strip())


def offset(start_ms: int | None) -> str | None:
    """Offset into an episode: 754000 -> '12:34', 3723000 -> '1:02:03'; None when unknown."""
    if start_ms is None:
        return None
    seconds = int(start_ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def data_as_of(finished_at: datetime | None) -> str:
    if finished_at is None:
        return "Data as of: never refreshed"
    return f"Data as of {finished_at:%Y-%m-%d %H:%M} UTC"


def freshness(finished_at: datetime | None, snapshot: str | None) -> str:
    """'Data as of 2025-01-31 09:15 UTC (snapshot snap-20250131T091500.duckdb)'."""
    text = data_as_of(finished_at)
    return f"{text} (snapshot {snapshot})" if snapshot else text


def timestamp(value: datetime | None) -> str:
    """A UTC run time to the minute ('' when unknown); the column header says UTC."""
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


# refresh_runs.status -> the class suffix of its badge; anything else gets "other".
RUN_STATUSES = {"success": "success", "nothing new": "nothing-new", "failed": "failed"}


def run_status_kind(status: str | None) -> str:
    return RUN_STATUSES.get(status or "", "other")


def rejects_by_reason(text: str | None) -> str:
    """refresh_runs.rejects_by_reason (a JSON object, reason -> count) as
    'reason: n, reason: n', most frequent first; '' when there were none. Text that is not such
    an object is shown as it is rather than dropped."""
    if not text or not text.strip():
        return ""
    try:
        reasons = json.loads(text)
    except ValueError:
        return text.strip()
    if not isinstance(reasons, dict):
        return text.strip()

    def as_int(value: object) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    ordered = sorted(reasons.items(), key=lambda kv: (-(as_int(kv[1]) or 0), str(kv[0])))
    return ", ".join(
        f"{reason}: {value if as_int(value) is None else count(value)}"
        for reason, value in ordered
    )


def speaker_path(speaker_id: str) -> str:
    """Path of a speaker page; ids are slugs, quoted anyway so no id can break the URL."""
    return "/speaker/" + quote(speaker_id, safe="")


def show_path(show_id: str) -> str:
    return "/show/" + quote(show_id, safe="")


def episode_title(title: str | None, published: date | datetime | None = None) -> str:
    """Some sources give only a date (The Daily Show's guest list): name the episode by it."""
    if title:
        return title
    return f"Episode of {day(published)}" if published is not None else "(untitled episode)"


def found(n: int) -> str:
    """Result count under a search box."""
    return f"{plural(n, 'speaker')} found"


def source_label(source: str | None) -> str:
    """appearances.source -> badge text; a source added later shows as its own name rather than
    disappearing."""
    if not source:
        return "unknown source"
    return SOURCE_LABELS.get(source, source.replace("_", " "))


def safe_href(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link we can put in an <a>, else None.

    hrefs come from feeds (podcast:person href), i.e. from strangers: a `javascript:` or `data:`
    URL would run or show attacker content on click, and a relative one would point into this
    app. Whitespace and control characters are refused too, since browsers strip them before
    reading the scheme ("java\tscript:")."""
    if not url:
        return None
    text = url.strip()
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    return text
