"""The sources config (sources.toml): which files to ingest and how their columns map.

A source is data owned by someone else, so its file is never edited to fit us: instead each
source says which of its columns mean which canonical field, how its dates are written, and
which show and role to assume when the file does not say. Anything wrong here is a ConfigError
that names the source and the key, because the person fixing it is editing this file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.canonical import CANONICAL_NAMES
from ingest.errors import ConfigError

RECORD_FORMATS = ("csv", "jsonl", "parquet")
TRANSCRIPT_FORMATS = (
    "vtt",
    "srt",
    "podcast_json",
    "podcast_html",
    "markdown",
    "diarized_json",
    "text",
    "transcript",
)  # "transcript": detect which from the file name and content
FORMATS = (
    *RECORD_FORMATS,
    "speaker_page",
    "feed",
    "hugo_page",
    "episode_titles_json",
    "people",
    *TRANSCRIPT_FORMATS,
)
_EXTENSIONS = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".txt": "speaker_page",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".vtt": "vtt",
    ".srt": "srt",
    ".md": "markdown",
}


@dataclass(frozen=True)
class RejectRule:
    """Reject a record when every listed column holds one of the listed values."""

    reason: str
    match: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Source:
    name: str
    paths: tuple[str, ...] = ()  # glob patterns, relative to the config file's folder
    urls: tuple[str, ...] = ()  # feeds to fetch over HTTP(S) (conditional GET)
    format: str | None = None  # None: from each file's extension
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default_show: str | None = None
    default_role: str = "guest"
    date_formats: tuple[str, ...] = ("iso",)
    not_a_person: tuple[str, ...] = ()
    reject_when: tuple[RejectRule, ...] = ()
    # For transcripts and other per-episode files: a regular expression over the file name whose
    # named groups (show, episode, episode_number, episode_guid, episode_season) say which
    # episode the file belongs to.
    filename_pattern: str | None = None
    show_names: dict[str, str] = field(default_factory=dict)  # pattern's show value -> title
    # Records without a speaker load their show and episode only (an episode list), instead of
    # being rejected as "missing speaker".
    speaker_optional: bool = False
    # Feeds: also fetch each episode's podcast:transcript (one per episode, the richest format)
    fetch_transcripts: bool = False
    base_dir: Path = Path(".")

    def files(self) -> list[Path]:
        """Files matching this source's patterns, sorted so discovery order is stable."""
        found: set[Path] = set()
        for pattern in self.paths:
            p = Path(pattern)
            if p.is_absolute():
                found.update(Path(p.anchor).glob(str(p.relative_to(p.anchor))))
            else:
                found.update(self.base_dir.glob(pattern))
        return sorted(f.resolve() for f in found if f.is_file())

    def format_of(self, path: Path) -> str:
        return self.format or format_from_extension(path)


def format_from_extension(path: Path) -> str:
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"cannot tell the format of {path.name!r} from its extension; "
            f"use one of {', '.join(sorted(_EXTENSIONS))} or set format in sources.toml"
        )
    return fmt


def default_source(path: Path) -> Source:
    """How to read a file given on the command line that sources.toml does not list:
    canonical column names, ISO dates."""
    return Source(name=path.name, paths=(str(path),), base_dir=path.parent)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where} must be a string or a non-empty list of strings, got {value!r}")


def _urls(value: object, where: str) -> tuple[str, ...]:
    """Only http(s) URLs: a feed URL must never make the service read a local file or speak
    another protocol."""
    urls = _strings(value, where)
    for url in urls:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in ("http", "https"):
            raise ConfigError(f"{where}: only http and https URLs can be fetched, got {url!r}")
    return urls


def parse_source(raw: dict, base_dir: Path) -> Source:
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"every [[source]] needs a name; got {raw!r}")
    where = f"source {name!r}"
    known = {
        "name",
        "path",
        "format",
        "columns",
        "default_show",
        "default_role",
        "date_format",
        "not_a_person",
        "reject_when",
        "filename_pattern",
        "show_names",
        "url",
        "speaker_optional",
        "fetch_transcripts",
    }
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}; known: {sorted(known)}")
    fmt = raw.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"{where}: format must be one of {FORMATS}, got {fmt!r}")
    columns: dict[str, tuple[str, ...]] = {}
    for canonical, src in (raw.get("columns") or {}).items():
        if canonical not in CANONICAL_NAMES:
            raise ConfigError(
                f"{where}: columns.{canonical} is not a canonical field; "
                f"known: {', '.join(CANONICAL_NAMES)}"
            )
        columns[canonical] = _strings(src, f"{where}: columns.{canonical}")
    rules = []
    for i, rule in enumerate(raw.get("reject_when") or []):
        if not isinstance(rule, dict) or not rule.get("reason") or not rule.get("match"):
            raise ConfigError(f"{where}: reject_when[{i}] needs a reason and a match table")
        match = {
            col: _strings(vals, f"{where}: reject_when[{i}].match.{col}")
            for col, vals in rule["match"].items()
        }
        rules.append(RejectRule(reason=str(rule["reason"]), match=match))
    pattern = raw.get("filename_pattern")
    if pattern is not None:
        try:
            groups = set(re.compile(pattern).groupindex)
        except (re.error, TypeError) as exc:
            raise ConfigError(
                f"{where}: filename_pattern is not a regular expression: {exc}"
            ) from None
        allowed = {"show", "episode", "episode_number", "episode_guid", "episode_season"}
        if not groups or groups - allowed:
            raise ConfigError(
                f"{where}: filename_pattern needs named groups among {sorted(allowed)}; "
                f"got {sorted(groups)}"
            )
    role = raw.get("default_role", "guest")
    if not isinstance(role, str) or not role.strip():
        raise ConfigError(f"{where}: default_role must be a non-empty string, got {role!r}")
    return Source(
        name=name,
        paths=_strings(raw.get("path", []), f"{where}: path") if "path" in raw else (),
        urls=_urls(raw["url"], f"{where}: url") if "url" in raw else (),
        format=fmt,
        columns=columns,
        default_show=raw.get("default_show"),
        default_role=role.strip().lower(),
        date_formats=_strings(raw.get("date_format", "iso"), f"{where}: date_format"),
        not_a_person=_strings(raw["not_a_person"], f"{where}: not_a_person")
        if "not_a_person" in raw
        else (),
        reject_when=tuple(rules),
        filename_pattern=pattern,
        show_names={str(k): str(v) for k, v in (raw.get("show_names") or {}).items()},
        speaker_optional=bool(raw.get("speaker_optional", False)),
        fetch_transcripts=bool(raw.get("fetch_transcripts", False)),
        base_dir=base_dir,
    )


def load_sources(path: Path) -> list[Source]:
    """Read sources.toml. A missing file means no configured sources, not an error: the CLI can
    still ingest files given on the command line."""
    if not path.exists():
        return []
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    entries = raw.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: use [[source]] tables, one per source")
    sources = [parse_source(entry, path.parent) for entry in entries]
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{path}: source names must be unique; repeated: {dupes}")
    return sources


def source_for_file(path: Path, sources: list[Source]) -> Source:
    """The configured source whose patterns match this file, else the canonical default."""
    resolved = path.resolve()
    for source in sources:
        if resolved in source.files():
            return source
    return default_source(resolved)
