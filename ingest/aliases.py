"""The user's identity rules (aliases.toml): spellings that are one person, and names that
belong to different people.

Automatic identity is deliberately conservative (ingest/names.py); this file is where a person
who knows better says so. Two kinds of rule:

    [[same_person]]                 # these spellings are one person, shown as `name`
    name = "Matthew Mercer"
    aliases = ["MATT", "Matt Mercer"]
    show = "Critical Role"          # optional: the aliases apply only on this show

    [[different_people]]            # one spelling, several people: kept apart per show
    name = "Chris Evans"

Rules are matched on person keys (ingest.names.person_key), so spelling variants of case,
punctuation and titles need no rule of their own. Changing the file makes the next refresh
re-resolve every stored record (see warehouse/refresh.py); nothing is lost.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import ConfigError
from ingest.names import person_key
from ingest.text import normalise_name_key


@dataclass(frozen=True)
class AliasRules:
    # (person key of the alias, show title key or None) -> (canonical key, canonical name)
    same: dict[tuple[str, str | None], tuple[str, str]] = field(default_factory=dict)
    different: frozenset[str] = frozenset()  # person keys kept apart per show
    digest: str = ""  # sha256 of the file, "" when there is none

    def resolve(self, key: str, show_key: str | None) -> tuple[str, str | None]:
        """(alias key to use, canonical display name or None) for one spelling on one show."""
        hit = self.same.get((key, show_key)) or self.same.get((key, None))
        if hit:
            return hit[0], hit[1]
        if key in self.different and show_key:
            return f"{key} @ {show_key}", None
        return key, None


def with_directory(rules: AliasRules, pairs: list[tuple[str, str]], digest: str) -> AliasRules:
    """The rules plus a people directory's (name, other name) pairs, everywhere (no show).
    The file's own rules win where both speak of one spelling."""
    same = dict(rules.same)
    for name, other in pairs:
        canonical = (person_key(name), name)
        for spelling in (name, other):
            same.setdefault((person_key(spelling), None), canonical)
    combined = hashlib.sha256((rules.digest + digest).encode()).hexdigest()
    return AliasRules(same=same, different=rules.different, digest=combined)


def _names(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where} must be a name or a list of names, got {value!r}")
    return value


def parse_alias_rules(text: str, digest: str = "", where: str = "aliases.toml") -> AliasRules:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    unknown = set(raw) - {"same_person", "different_people"}
    if unknown:
        raise ConfigError(
            f"{where}: unknown tables {sorted(unknown)}; "
            "use [[same_person]] and [[different_people]]"
        )
    same: dict[tuple[str, str | None], tuple[str, str]] = {}
    for i, rule in enumerate(raw.get("same_person", [])):
        here = f"{where}: same_person[{i}]"
        if not isinstance(rule, dict) or not isinstance(rule.get("name"), str):
            raise ConfigError(f"{here} needs a name")
        name = rule["name"].strip()
        show = rule.get("show")
        if show is not None and not isinstance(show, str):
            raise ConfigError(f"{here}.show must be a show title, got {show!r}")
        show_key = normalise_name_key(show) if show else None
        canonical = person_key(name)
        for alias in [name, *_names(rule.get("aliases", []), f"{here}.aliases")]:
            slot = (person_key(alias), show_key)
            if slot in same and same[slot][0] != canonical:
                raise ConfigError(f"{here}: {alias!r} is already an alias of {same[slot][1]!r}")
            same[slot] = (canonical, name)
    different = set()
    for i, rule in enumerate(raw.get("different_people", [])):
        here = f"{where}: different_people[{i}]"
        if not isinstance(rule, dict) or not isinstance(rule.get("name"), str):
            raise ConfigError(f"{here} needs a name")
        different.add(person_key(rule["name"]))
    clash = sorted(k for k, _ in same if k in different)
    if clash:
        raise ConfigError(f"{where}: {clash} are both same_person aliases and different_people")
    return AliasRules(same=same, different=frozenset(different), digest=digest)


def load_alias_rules(path: Path) -> AliasRules:
    """No file means no rules."""
    if not path.exists():
        return AliasRules()
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    return parse_alias_rules(text, hashlib.sha256(data).hexdigest(), str(path))
