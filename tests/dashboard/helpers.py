"""Helpers for the dashboard tests: reading rendered Dash layouts without a browser, and
expected values computed independently with SQL on the snapshot."""

from __future__ import annotations

from typing import Any

import duckdb
from dash.development.base_component import Component


def text_of(node: Any) -> str:
    """All text in a component tree, in document order, as a browser would show it (roughly)."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(text_of(n) for n in node)
    if isinstance(node, Component):
        return text_of(getattr(node, "children", None))
    return ""


def find(node: Any, component_id: str) -> Component | None:
    """The component with this id in a layout tree, or None."""
    if isinstance(node, list | tuple):
        for n in node:
            hit = find(n, component_id)
            if hit is not None:
                return hit
        return None
    if isinstance(node, Component):
        if getattr(node, "id", None) == component_id:
            return node
        return find(getattr(node, "children", None), component_id)
    return None


# Per speaker, straight from appearances (not the marts): episodes we count, and episodes known
# only from an episode title (every appearance row of the speaker there has source 'title').
EPISODE_EVIDENCE_SQL = """
with per_episode as (
    select speaker_id, episode_id, bool_and(source = 'title') as title_only
    from appearances group by speaker_id, episode_id
)
select speaker_id,
       count(*) filter (where not title_only) as n_counted,
       count(*) filter (where title_only) as n_title
from per_episode
"""


def episode_evidence(con: duckdb.DuckDBPyConnection, speaker_id: str) -> tuple[int, int]:
    """(counted episodes, title-only episodes) of one speaker, from appearances."""
    row = con.execute(
        EPISODE_EVIDENCE_SQL + "where speaker_id = ? group by speaker_id", [speaker_id]
    ).fetchone()
    return (0, 0) if row is None else (int(row[1]), int(row[2]))


def show_id(con: duckdb.DuckDBPyConnection, title: str) -> str:
    """The id of the one show with this title in the snapshot."""
    rows = con.execute("select show_id from shows where title = ?", [title]).fetchall()
    assert len(rows) == 1, f"expected exactly one show {title!r}, got {rows}"
    return rows[0][0]


# Per show, straight from appearances (not the marts): people named as guests only in episode
# titles, i.e. with guest rows on the show and none of them counted (source <> 'title').
TITLE_GUESTS_SQL = """
select count(*) from (
    select a.speaker_id from appearances a join episodes e using (episode_id)
    where e.show_id = ? and a.role = 'guest'
    group by a.speaker_id
    having count(*) filter (where a.source <> 'title') = 0)
"""


def title_only_guests(con: duckdb.DuckDBPyConnection, show: str) -> int:
    return int(con.execute(TITLE_GUESTS_SQL, [show]).fetchone()[0])  # type: ignore[index]


# The show page's first page of episodes (newest first, undated last) and, in them, the
# (episode, speaker) pairs known only from the episode title, by speaker name.
FIRST_PAGE_TITLE_ONLY_SQL = """
with page as (
    select episode_id from episodes where show_id = ?
    order by published_at desc nulls last, title nulls last, episode_id limit ?
)
select sp.display_name
from appearances a join page using (episode_id) join speakers sp using (speaker_id)
group by a.episode_id, a.speaker_id, sp.display_name
having count(*) filter (where a.source <> 'title') = 0
"""


# The Overview's run table, straight from the snapshot: the last runs, latest finished first.
LAST_RUNS_SQL = """
select run_id, step, started_at, finished_at, status, n_sources, n_changed, n_loaded,
       n_rejected, rejects_by_reason, snapshot, error
from refresh_runs
order by finished_at desc, started_at desc, run_id desc, step desc
limit ?
"""

# The refresh that published the snapshot (the "data as of" line).
LAST_PUBLISH_SQL = "select finished_at, snapshot from refresh_log order by finished_at desc limit 1"


def add_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    step: str,
    status: str,
    finished_at: Any,
    rejects_by_reason: str | None = "{}",
    error: str | None = None,
) -> None:
    """Write one refresh_runs row (as warehouse.runlog would) into a snapshot a test edits."""
    con.execute(
        "insert into refresh_runs values (?, ?, ?, ?, ?, 0, 0, 0, 0, ?, null, ?)",
        [run_id, step, finished_at, finished_at, status, rejects_by_reason, error],
    )
