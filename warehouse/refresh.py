"""The refresh, step by step: discover -> ingest -> transform -> publish.

These functions are what the Airflow DAG's tasks and the CLI both call, so a refresh from either
does the same work. Each step opens the working database under the writer lock and closes it
before returning, so steps can run in separate processes (Airflow tasks) or in one (the CLI).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from config import settings
from ingest.aliases import AliasRules, load_alias_rules, with_directory
from ingest.errors import PaaError, UnreadableSource
from ingest.hugo import parse_hugo_page, person_pair
from ingest.parse import parse_file, transcript_records
from ingest.people import parse_directory
from ingest.sources import Source, load_sources, source_for_file
from transforms.marts import CORE_INPUTS, build_marts
from warehouse.db import connect_writer
from warehouse.load import FileResult, content_hash, load_parsed, record_unreadable
from warehouse.publish import Published, publish
from warehouse.remote import configured_urls, fetch_and_ingest, pending_transcripts
from warehouse.runlog import record_run


@dataclass(frozen=True)
class Pending:
    """A file whose current content has not been ingested yet."""

    path: str
    source_name: str


def configured_sources() -> list[Source]:
    return load_sources(settings().sources_file)


def discover(con: duckdb.DuckDBPyConnection, sources: Iterable[Source]) -> list[Pending]:
    """Files listed by the sources whose content hash is not in source_files."""
    known = {row[0] for row in con.execute("select source_id from source_files").fetchall()}
    pending: list[Pending] = []
    seen: set[Path] = set()
    for source in sources:
        for path in source.files():
            if path in seen:
                continue
            seen.add(path)
            if content_hash(path.read_bytes()) not in known:
                pending.append(Pending(str(path), source.name))
    return pending


DERIVED_TABLES = (
    "shows",
    "episodes",
    "speakers",
    "speaker_aliases",
    "speaker_hrefs",
    "speaker_label_resolutions",
    "appearances",
    "segments",
    "episode_transcripts",
    "episode_text",
    "source_claims",
    "source_files",
    "rejects",
    "mart_speaker_stats",
    "mart_speaker_monthly",
    "mart_show_stats",
    "mart_show_monthly",
    "mart_speaker_candidates",
    "fetch_state",  # so every feed URL is fetched whole again, not answered "not modified"
)


def identity_rules(sources: list[Source] | None = None) -> AliasRules:
    """aliases.toml plus every configured people directory: the rules records are resolved
    with. Their digest changes when any of those files does (see apply_identity_rules)."""
    rules = load_alias_rules(settings().aliases_file)
    for source in configured_sources() if sources is None else sources:
        if source.format not in ("people", "hugo_page"):
            continue
        for path in source.files():
            data = path.read_bytes()
            try:
                if source.format == "people":
                    pairs = parse_directory(data, source).pairs
                else:
                    page = parse_hugo_page(data)
                    pair = person_pair(page) if page.kind == "person" else None
                    pairs = [pair] if pair else []
            except UnreadableSource:
                continue  # the file's own ingest records why it cannot be read
            if pairs:
                rules = with_directory(rules, pairs, content_hash(data))
    return rules


def apply_identity_rules(con: duckdb.DuckDBPyConnection, rules: AliasRules) -> list[Path]:
    """When aliases.toml changed since the stored speakers were resolved, clear what was loaded
    and return every stored file to load again under the new rules, so existing rows are
    re-resolved and nothing is lost (files that no longer exist are reported by the caller's
    counts as missing). Costs a full reload; incremental re-resolution is future work."""
    row = con.execute("select value from warehouse_state where name = 'alias_rules'").fetchone()
    has_data = con.execute("select count(*) from source_files").fetchone()[0] > 0  # type: ignore[index]
    if (row is not None and row[0] == rules.digest) or (row is None and not has_data):
        _remember_rules(con, rules)
        return []
    paths = [
        Path(p)
        for (p,) in con.execute("select distinct path from source_files order by path").fetchall()
    ]
    con.execute("begin transaction")
    for table in DERIVED_TABLES:
        con.execute(f"delete from {table}")
    _remember_rules(con, rules)
    con.execute("commit")
    return [p for p in paths if p.is_file()]


def _remember_rules(con: duckdb.DuckDBPyConnection, rules: AliasRules) -> None:
    con.execute(
        "insert into warehouse_state values ('alias_rules', ?) "
        "on conflict (name) do update set value = excluded.value",
        [rules.digest],
    )


def ingest_path(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: Source,
    now: datetime | None = None,
    rules: AliasRules | None = None,
) -> FileResult:
    """Parse and load one file; a file that cannot be read is recorded as one reject."""
    return ingest_bytes(con, path.read_bytes(), path, source, now=now, rules=rules)


def ingest_bytes(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    where: Path | str,
    source: Source,
    *,
    now: datetime | None = None,
    rules: AliasRules | None = None,
) -> FileResult:
    """Parse and load one file's content, from disk or fetched from a URL (`where`)."""
    name = where.name if isinstance(where, Path) else where.rstrip("/").rsplit("/", 1)[-1]
    fmt = "unknown"
    try:
        fmt = source.format_of(Path(name))
        parsed = parse_file(data, fmt, source, filename=name, rules=rules)
    except UnreadableSource as exc:
        return record_unreadable(
            con,
            data=data,
            path=where,
            source_name=source.name,
            fmt=fmt,
            message=str(exc),
            now=now,
        )
    return load_parsed(
        con, parsed, data=data, path=where, source_name=source.name, fmt=fmt, now=now
    )


def fetch_linked_transcripts(
    con: duckdb.DuckDBPyConnection,
    sources: list[Source],
    *,
    now: datetime | None = None,
    rules: AliasRules | None = None,
) -> list[FileResult]:
    """For feed sources with fetch_transcripts, fetch and load one podcast:transcript per episode
    that has no transcript text yet, onto that episode."""
    by_name = {s.name: s for s in sources if s.fetch_transcripts}
    if not by_name:
        return []
    results: list[FileResult] = []
    for item in pending_transcripts(con, list(by_name)):
        # The feed's own defaults (e.g. role "guest") are not a transcript's.
        source = replace(
            by_name[item["source_name"]],
            default_role="speaker",
            default_show=None,
            filename_pattern=None,
        )

        def ingest(data: bytes, url: str, src: Source, item: dict = item) -> FileResult:
            name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            try:
                parsed = transcript_records(
                    data, item["format"], src, name, rules, episode=item["episode"]
                )
            except UnreadableSource as exc:
                return record_unreadable(
                    con,
                    data=data,
                    path=url,
                    source_name=src.name,
                    fmt=item["format"],
                    message=str(exc),
                    now=now,
                    identity=url,
                )
            return load_parsed(
                con,
                parsed,
                data=data,
                path=url,
                source_name=src.name,
                fmt=item["format"],
                now=now,
                identity=url,
            )

        results += fetch_and_ingest(
            con, [(item["url"], source)], ingest, now=now, skip_known_content=False
        )
    return results


def ingest_remote(
    con: duckdb.DuckDBPyConnection,
    sources: list[Source],
    *,
    now: datetime | None = None,
    rules: AliasRules | None = None,
) -> list[FileResult]:
    """The sources' feed URLs, then the transcripts those feeds link to."""
    results = fetch_and_ingest(
        con,
        configured_urls(sources),
        lambda data, url, src: ingest_bytes(con, data, url, src, now=now, rules=rules),
        now=now,
    )
    return results + fetch_linked_transcripts(con, sources, now=now, rules=rules)


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    sources: list[Source],
    *,
    now: datetime | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    rules: AliasRules | None = None,
) -> list[FileResult]:
    results = []
    for path in paths:
        result = ingest_path(con, path, source_for_file(path, sources), now, rules)
        results.append(result)
        if on_file:
            on_file(result)
    return results


def transform(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild every mart from the core tables; returns rows per mart."""
    core = {name: con.sql(f"select * from {name}").pl().lazy() for name in CORE_INPUTS}
    frames = {name: plan.collect() for name, plan in build_marts(core).items()}
    con.execute("begin transaction")
    try:
        for name, frame in frames.items():
            con.register("mart_frame", frame)
            con.execute(f"delete from {name}")
            con.execute(f"insert into {name} by name select * from mart_frame")
            con.unregister("mart_frame")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return {name: frame.height for name, frame in frames.items()}


@dataclass(frozen=True)
class RefreshResult:
    files: list[FileResult]
    marts: dict[str, int]
    published: Published

    @property
    def n_loaded(self) -> int:
        return sum(f.n_loaded for f in self.files)

    @property
    def n_rejected(self) -> int:
        return sum(f.n_rejected for f in self.files)


def summarise(files: list[FileResult]) -> dict:
    """Counts for run logs and the CLI: files by status, records, rejects by reason."""
    reasons: dict[str, int] = {}
    for f in files:
        for reason, n in (f.reasons or {}).items():
            reasons[reason] = reasons.get(reason, 0) + n
    return {
        "files": len(files),
        "loaded_files": sum(f.status == "loaded" for f in files),
        "unchanged_files": sum(f.status == "unchanged" for f in files),
        "unreadable_files": sum(f.status == "unreadable" for f in files),
        "unreachable_urls": sum(f.status == "unreachable" for f in files),
        "records": sum(f.n_records for f in files),
        "loaded": sum(f.n_loaded for f in files),
        "rejected": sum(f.n_rejected for f in files),
        "rejects_by_reason": reasons,
    }


def run_refresh(
    *,
    refresh_id: str | None = None,
    extra_paths: Iterable[Path] = (),
    on_file: Callable[[FileResult], None] | None = None,
    warehouse_path: Path | None = None,
    include_configured: bool = True,
    on_plan: Callable[[int], None] | None = None,
) -> RefreshResult:
    """The whole refresh in one process (the CLI's `refresh`, and `make run`'s first load)."""
    started = datetime.now(UTC)
    refresh_id = refresh_id or f"cli-{started:%Y%m%dT%H%M%S%f}"
    sources = configured_sources()
    rules = identity_rules(sources)
    with connect_writer(warehouse_path) as con:
        pending = apply_identity_rules(con, rules)
        if include_configured:
            pending += [Path(p.path) for p in discover(con, sources)]
        pending += [Path(p).resolve() for p in extra_paths]
        pending = list(dict.fromkeys(pending))
        if on_plan:
            on_plan(len(pending))
        files = ingest_files(con, pending, sources, now=started, on_file=on_file, rules=rules)
        if include_configured:
            files += ingest_remote(con, sources, now=started, rules=rules)
        marts = transform(con)
        published = publish(
            con,
            refresh_id=refresh_id,
            started_at=started,
            n_sources=sum(f.status != "unchanged" for f in files),
            n_loaded=sum(f.n_loaded for f in files),
            n_rejected=sum(f.n_rejected for f in files),
            log_rows=lambda database, name: record_run(
                con,
                database=database,
                run_id=refresh_id,
                step="refresh",
                started_at=started,
                status="success" if changed(summarise(files)) else "nothing new",
                summary=summarise(files),
                snapshot=name,
            ),
        )
    return RefreshResult(files, marts, published)


def table_counts(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database() "
            "order by table_name"
        ).fetchall()
    ]
    return pl.DataFrame(
        {
            "table": tables,
            "rows": [con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables],
        }  # type: ignore[index]
    )


__all__ = ["PaaError", "discover", "ingest_files", "transform", "run_refresh", "summarise"]


# --- The refresh as separate steps, for the Airflow DAG: JSON-friendly in and out (XCom). ---


def step_discover() -> list[dict]:
    """New or changed files among the configured sources (all stored files again when the
    identity rules changed)."""
    sources = configured_sources()
    with connect_writer() as con:
        again = apply_identity_rules(con, identity_rules())
        found = [Path(p.path) for p in discover(con, sources)]
    paths = list(dict.fromkeys([*again, *found]))
    return [{"path": str(p), "source_name": source_for_file(p, sources).name} for p in paths]


def changed(summary: dict) -> bool:
    """Whether a run loaded any new content (files, URLs or linked transcripts)."""
    return bool(summary.get("loaded_files", 0) or summary.get("unreadable_files", 0))


def step_ingest(
    pending: list[dict],
    now: datetime | None = None,
    *,
    run_id: str | None = None,
    started_at: datetime | None = None,
) -> dict:
    """Ingest the discovered files and the feed URLs; records the run and returns its counts
    (files, records, rejects by reason, and whether anything changed)."""
    sources = configured_sources()
    rules = identity_rules(sources)
    with connect_writer() as con:
        files = ingest_files(con, [Path(p["path"]) for p in pending], sources, now=now, rules=rules)
        files += ingest_remote(con, sources, now=now, rules=rules)
        summary = summarise(files)
        summary["changed"] = changed(summary)
        if run_id:
            record_run(
                con,
                run_id=run_id,
                step="ingest",
                started_at=started_at or now,
                status="success" if summary["changed"] else "nothing new",
                summary=summary,
            )
    summary["file_results"] = [f.as_dict() for f in files]
    return summary


def step_transform() -> dict[str, int]:
    with connect_writer() as con:
        return transform(con)


def unpublished_summary(con: duckdb.DuckDBPyConnection) -> dict:
    """Counts of the content loaded since the last publication: what a publish run brings to
    readers (the publish DAG runs apart from the ingest run that loaded it)."""
    row = con.execute(
        """
        select count(*), count(*) filter (where n_records > 0 or n_rejected > 0),
               coalesce(sum(n_loaded), 0), coalesce(sum(n_rejected), 0)
        from source_files
        where ingested_at > coalesce((select max(started_at) from refresh_log), '-infinity')
        """
    ).fetchone()
    files, changed_files, loaded, rejected = row  # type: ignore[misc]
    return {"files": files, "loaded_files": changed_files, "loaded": loaded, "rejected": rejected}


def step_publish(refresh_id: str, started_at: datetime, summary: dict | None = None) -> dict:
    """Transform-and-publish's last step: a new snapshot for readers, and its run row."""
    with connect_writer() as con:
        summary = summary if summary is not None else unpublished_summary(con)
        published = publish(
            con,
            refresh_id=refresh_id,
            started_at=started_at,
            n_sources=summary.get("loaded_files", 0) + summary.get("unreadable_files", 0),
            n_loaded=summary.get("loaded", 0),
            n_rejected=summary.get("rejected", 0),
            log_rows=lambda database, name: record_run(
                con,
                database=database,
                run_id=refresh_id,
                step="publish",
                started_at=started_at,
                status="success",
                summary=summary,
                snapshot=name,
            ),
        )
    return {"snapshot": published.snapshot.name, "finished_at": published.finished_at.isoformat()}


def record_failure(context: dict) -> None:
    """Airflow's on_failure_callback: a 'failed' row saying which task failed and why. It must
    never raise: a failing callback would hide the task's own error."""
    try:
        ti = context.get("task_instance") or context.get("ti")
        run = context.get("dag_run")
        error = context.get("exception")
        step = getattr(getattr(ti, "task", None), "dag_id", None) or "refresh"
        with connect_writer(wait_s=30) as con:
            record_run(
                con,
                run_id=str(getattr(run, "run_id", "unknown")),
                step=f"{step}.{getattr(ti, 'task_id', 'unknown')}",
                started_at=getattr(run, "start_date", None),
                status="failed",
                error=f"{getattr(ti, 'task_id', 'task')}: {type(error).__name__}: {error}"[:2000],
            )
    except Exception as exc:  # noqa: BLE001 - see docstring
        print(f"could not record the failure in refresh_runs: {exc}")
