"""Hugo content pages (a static site's Markdown with front matter), as a podcast network keeps
them: one page per episode (JSON front matter: show, number, guid, title, date, hosts and guests
by username) and one per person (YAML front matter: display name and username).

Episode pages become records (their usernames resolve to people through people directories and
person pages); person pages are identity evidence, like a people directory row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

from ingest.errors import UnreadableSource
from ingest.tables import decode_text


@dataclass(frozen=True)
class HugoPage:
    kind: str  # 'episode' | 'person'
    front: dict


def _yaml_front(text: str) -> dict:
    lines = text.splitlines()
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise UnreadableSource("YAML front matter has no closing '---' line") from None
    try:
        front = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 2}" if where is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UnreadableSource(f"broken YAML front matter{at}: {problem}") from None
    if not isinstance(front, dict):
        raise UnreadableSource("YAML front matter is not a mapping")
    return front


def parse_hugo_page(data: bytes) -> HugoPage:
    text = decode_text(data)
    if not text.strip():
        raise UnreadableSource("empty file")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            front, _ = json.JSONDecoder().raw_decode(stripped)
        except json.JSONDecodeError as exc:
            raise UnreadableSource(f"broken JSON front matter: {exc.msg}") from None
    elif stripped.startswith("---"):
        front = _yaml_front(stripped)
    else:
        raise UnreadableSource("not a Hugo page: no JSON or YAML front matter")
    if not isinstance(front, dict):
        raise UnreadableSource("front matter is not an object")
    if front.get("show_name") or front.get("type") == "episode":
        return HugoPage("episode", front)
    if front.get("username") or front.get("title"):
        return HugoPage("person", front)
    raise UnreadableSource("Hugo page is neither an episode (show_name) nor a person (username)")


def episode_rows(page: HugoPage, locator: str = "front matter") -> list[dict[str, str | None]]:
    """One canonical record per host and guest; one without a speaker if nobody is listed."""
    f = page.front

    def text(key: str) -> str | None:
        value = f.get(key)
        return None if value is None or value == "" else str(value)

    base = {
        "locator": locator,
        "show": text("show_name"),
        "episode": text("title"),
        "episode_guid": text("episode_guid"),
        "episode_number": text("episode"),
        "published": text("date"),
    }
    rows = []
    for role in ("hosts", "guests"):
        for name in f.get(role) or []:
            rows.append(
                {**base, "speaker": str(name), "role": role[:-1], "locator": f"{locator} {role}"}
            )
    return rows or [base]


def person_pair(page: HugoPage) -> tuple[str, str] | None:
    name, username = page.front.get("title"), page.front.get("username")
    if isinstance(name, str) and isinstance(username, str) and name.strip() and username.strip():
        return name.strip(), username.strip()
    return None
