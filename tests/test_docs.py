"""The README documents every table, view, command, DAG, page and setting (as sqlite-utils'
test_docs does): adding one without documenting it fails here."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from paa.cli import build_parser
from tests.conftest import REPO
from warehouse.db import apply_schema

README = (REPO / "README.md").read_text(encoding="utf-8")


def schema_objects() -> list[str]:
    con = duckdb.connect()
    apply_schema(con)
    return [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables order by 1"
        ).fetchall()
    ]


@pytest.mark.parametrize("name", schema_objects())
def test_every_table_and_view_is_documented(name: str) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize(
    "command",
    sorted(build_parser()._subparsers._group_actions[0].choices),  # type: ignore
)
def test_every_cli_command_is_documented(command: str) -> None:
    assert re.search(rf"`{command}( |`)", README)


@pytest.mark.parametrize("dag_file", sorted((REPO / "dags").glob("*.py")))
def test_every_dag_is_documented(dag_file: Path) -> None:
    dag_ids = re.findall(r'dag_id="([^"]+)"', dag_file.read_text())
    assert dag_ids
    for dag_id in dag_ids:
        assert f"`{dag_id}`" in README


@pytest.mark.parametrize(
    "variable",
    sorted(set(re.findall(r'"((?:PAA|AIRFLOW)_[A-Z_]+)"', (REPO / "config.py").read_text()))),
)
def test_every_setting_is_documented(variable: str) -> None:
    assert variable in README


def test_every_dashboard_page_is_documented() -> None:
    paths = set()
    for page in (REPO / "dashboard" / "pages").glob("*.py"):
        text = page.read_text()
        paths.update(re.findall(r'path(?:_template)?="(/[^"]*)"', text))
    assert paths, "no pages found"
    for path in paths:
        assert f"`{path}`" in README, path


def readme_sql_examples() -> list[str]:
    blocks = re.findall(r"```sql\n(.*?)```", README, flags=re.S)
    statements = []
    for block in blocks:
        for stmt in block.split(";"):
            lines = [ln for ln in stmt.strip().splitlines() if not ln.strip().startswith("--")]
            if lines:
                statements.append("\n".join(lines))
    return statements


@pytest.mark.parametrize("sql", readme_sql_examples())
def test_readme_sql_examples_answer(published_sample: Path, sql: str) -> None:
    from warehouse.sql import run_query

    result = run_query(sql)
    assert result.frame.height > 0, sql
