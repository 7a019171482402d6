"""Command line: ingest, refresh, sql, status, serve, run.

Each command calls the same functions as the Airflow DAG. Errors the user can fix (a bad path,
a bad config, a refused query) print one line with a hint and exit 2; anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ingest.errors import PaaError

console = Console(stderr=True, soft_wrap=True)  # messages: never hard-wrapped
out = Console()
if not out.is_terminal:  # piped tables: wide enough not to fold ids
    out = Console(width=200)


def _progress_refresh(**kwargs):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from warehouse.refresh import run_refresh

    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("", total=None)

        def on_plan(n: int) -> None:
            progress.update(task, total=n)

        def on_file(result) -> None:
            progress.update(task, advance=1, description=Path(result.path).name)

        return run_refresh(on_plan=on_plan, on_file=on_file, **kwargs)


def _print_refresh(result) -> None:
    from warehouse.refresh import summarise

    table = Table(title="files")
    for col in ("file", "source", "status", "records", "loaded", "rejected"):
        table.add_column(
            col, justify="right" if col in {"records", "loaded", "rejected"} else "left"
        )
    for f in result.files:
        table.add_row(
            Path(f.path).name,
            f.source_name,
            f.status,
            str(f.n_records),
            str(f.n_loaded),
            str(f.n_rejected),
        )
    if result.files:
        out.print(table)
    summary = summarise(result.files)
    out.print(
        f"{summary['loaded_files']} file(s) loaded, {summary['unchanged_files']} unchanged, "
        f"{summary['unreadable_files']} unreadable, {summary['unreachable_urls']} unreachable; "
        f"{summary['loaded']} record(s) loaded, "
        f"{summary['rejected']} rejected"
    )
    for reason, n in summary["rejects_by_reason"].items():
        out.print(f"  rejected {n:>6}  {reason}")
    out.print(f"published {result.published.snapshot.name}")


def cmd_ingest(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).is_file()]
    if missing:
        raise PaaError(f"no such file: {missing[0]!r}")
    result = _progress_refresh(extra_paths=[Path(p) for p in args.paths], include_configured=False)
    _print_refresh(result)
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    _print_refresh(_progress_refresh())
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from warehouse.sql import run_query

    query = args.query if args.query != "-" else sys.stdin.read()
    result = run_query(query, timeout_s=args.timeout, row_cap=args.max_rows)
    frame = result.frame
    if args.format == "csv":
        sys.stdout.write(frame.write_csv())
    elif args.format == "json":
        sys.stdout.write(json.dumps(frame.to_dicts(), default=str, ensure_ascii=False, indent=1))
        sys.stdout.write("\n")
    else:
        table = Table(show_lines=False)
        for name in frame.columns:
            table.add_column(name, overflow="fold")
        for row in frame.iter_rows():
            table.add_row(*["" if v is None else str(v) for v in row])
        out.print(table)
        console.print(f"{frame.height} row(s) from {result.snapshot}")
    if result.truncated:
        console.print(f"[yellow]stopped at the row cap of {args.max_rows or 'default'} rows[/]")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from warehouse.sql import run_query

    runs = run_query(
        "select run_id, step, status, finished_at, n_changed, n_loaded, n_rejected, "
        "coalesce(error, rejects_by_reason) as detail "
        "from refresh_runs order by finished_at desc limit 8"
    ).frame
    counts = run_query(
        "select 'speakers' as table_name, count(*) as n from speakers union all "
        "select 'shows', count(*) from shows union all select 'episodes', count(*) from episodes "
        "union all select 'appearances', count(*) from appearances union all "
        "select 'segments', count(*) from segments union all "
        "select 'rejects', count(*) from rejects"
    ).frame
    reasons = run_query(
        "select regexp_replace(reason, '\\s*(: |\\().*$', '') as reason, count(*) as n "
        "from rejects group by 1 order by n desc"
    ).frame
    for title, frame in (
        ("last refreshes", runs),
        ("rows", counts),
        ("rejects by reason", reasons),
    ):
        table = Table(title=title)
        for name in frame.columns:
            table.add_column(name)
        for row in frame.iter_rows():
            table.add_row(*["" if v is None else str(v) for v in row])
        out.print(table)
    return 0


def cmd_candidates(args: argparse.Namespace) -> int:
    from warehouse.sql import run_query

    frame = run_query(
        "select name_a, name_b, round(score, 1) as score, reason, shared_shows, speaker_a, "
        "speaker_b from mart_speaker_candidates order by score desc, name_a, name_b",
        row_cap=args.max_rows,
    ).frame
    table = Table(title="speakers that may be one person (review; nothing was merged)")
    for name in frame.columns:
        table.add_column(name)
    for row in frame.iter_rows():
        table.add_row(*["" if v is None else str(v) for v in row])
    out.print(table)
    console.print(f"{frame.height} candidate pair(s)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from config import settings
    from dashboard.app import create_app

    cfg = settings()
    app = create_app()
    host, port = args.host or cfg.dashboard_host, args.port or cfg.dashboard_port
    if args.debug:
        app.run(host=host, port=port, debug=True)
        return 0
    import waitress

    console.print(f"dashboard on http://{host}:{port}")
    waitress.serve(app.server, host=host, port=port, threads=8, ident="paa")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from paa.supervisor import run_all

    return run_all(skip_airflow=args.no_airflow)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m paa",
        description="Podcast Appearance Analytics: who appears on which podcasts, when, and "
        "what they said.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest",
        help="load record files, then transform and publish",
        description="Load the given files (CSV, JSON Lines, Parquet, speaker-page "
        "text), rebuild the marts and publish a new snapshot. Files listed in "
        "sources.toml use their mapping; others need the canonical header.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "refresh",
        help="ingest new sources from sources.toml, transform, publish",
        description="What the Airflow DAG does, in one process: discover sources "
        "whose content is new, ingest them, rebuild the marts, publish a snapshot.",
    )
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser(
        "sql",
        help="run one read-only SQL query on the published snapshot",
        description="Run one SQL statement on the published snapshot with a "
        "read-only, locked-down connection (no files, no network, no settings).",
    )
    p.add_argument("query", help="the SQL statement, or - to read it from stdin")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument(
        "--timeout", type=float, default=None, help="seconds (default PAA_SQL_TIMEOUT_S)"
    )
    p.add_argument("--max-rows", type=int, default=None, help="row cap (default PAA_SQL_ROW_CAP)")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser(
        "status",
        help="data freshness, row counts and rejects",
        description="Show the last refreshes, row counts and rejects by reason "
        "from the published snapshot.",
    )
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "candidates",
        help="speaker pairs that may be one person, for review",
        description="List pairs of speakers that may be the same person (same name with "
        "different links, or similar names on a shared show). Nothing is merged automatically.",
    )
    p.add_argument("--max-rows", type=int, default=1000)
    p.set_defaults(func=cmd_candidates)

    p = sub.add_parser(
        "serve",
        help="serve the dashboard",
        description="Serve the Dash dashboard with waitress (reads the published snapshot).",
    )
    p.add_argument("--host", default=None, help="default PAA_DASHBOARD_HOST (127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="default PAA_DASHBOARD_PORT (8050)")
    p.add_argument("--debug", action="store_true", help="Flask's reloading debug server")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "run",
        help="load the sample, start Airflow and the dashboard (make run)",
        description="Refresh the warehouse, then start Airflow (scheduler, DAG "
        "processor, API server) and the dashboard; Ctrl-C stops them all.",
    )
    p.add_argument("--no-airflow", action="store_true", help="start only the dashboard")
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PaaError as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
