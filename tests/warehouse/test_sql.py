"""Ad hoc SQL on the published snapshot: answers queries, refuses anything else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from warehouse.sql import QueryError, run_query


def test_query_answers_from_snapshot(published_sample: Path) -> None:
    result = run_query(
        "select n_appearances, n_quotes from mart_speaker_stats where display_name = 'Sam Marks'"
    )
    assert result.frame.rows() == [(1, 20)]
    assert result.snapshot == published_sample.name
    assert not result.truncated


@pytest.mark.parametrize(
    "sql, message",
    [
        ("select * from read_csv('/etc/passwd')", "disabled"),
        ("select * from read_text('/etc/hostname')", "disabled"),
        ("copy speakers to '/tmp/paa-out.csv'", ""),
        ("attach '/tmp/other.duckdb' as other", ""),
        ("create table t as select 1", "read-only"),
        ("insert into speakers values ('x', 'x', null, null, 'x')", "read-only"),
        ("set enable_external_access = true", "locked"),
        ("install httpfs", ""),
        ("select getenv('HOME')", ""),
        ("select 1; select 2", "exactly one SQL statement"),
        ("selec 1", "syntax error"),
    ],
)
def test_refused_queries_give_a_message(published_sample: Path, sql: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        run_query(sql)
    assert message.lower() in str(info.value).lower()
    assert "\n" not in str(info.value)


def test_runaway_query_is_interrupted(published_sample: Path) -> None:
    with pytest.raises(QueryError, match="ran longer than the 0.5 s limit"):
        run_query("select count(*) from range(100000000000) a, range(1000) b", timeout_s=0.5)


def test_row_cap(published_sample: Path) -> None:
    result = run_query("select * from range(100)", row_cap=10)
    assert result.frame.height == 10 and result.truncated


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "paa", *args], capture_output=True, text=True, cwd=REPO, timeout=120
    )


def test_cli_sql_csv_output(published_sample: Path) -> None:
    proc = cli(
        "sql",
        "select display_name, n_quotes from mart_speaker_stats where display_name = 'Sam Marks'",
        "--format",
        "csv",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "display_name,n_quotes\nSam Marks,20\n"


def test_cli_refused_query_is_one_line_no_traceback(published_sample: Path) -> None:
    proc = cli("sql", "select * from read_csv('/etc/passwd')")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error:")
