"""Fixtures for the dashboard tests: the published sample (tests/conftest.py), ids of known
speakers looked up by name, a direct read-only connection for independent counts, and the
Chromium options dash_duo uses."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from selenium.webdriver.chrome.options import Options

from dashboard import queries
from tests.dashboard.helpers import EPISODE_EVIDENCE_SQL
from warehouse.db import connect_reader

CHROMIUM = "/usr/bin/chromium"


def pytest_setup_options() -> Options:
    """Called by Dash's testing plugin for dash_duo: Debian's chromium, headless, no sandbox
    (tests run as root), and none of the background work that slows a cold start."""
    options = Options()
    binary = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if binary:
        options.binary_location = binary
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
    ):
        options.add_argument(arg)
    return options


@pytest.fixture(scope="package", autouse=True)
def _close_dashboard_reader() -> Iterator[None]:
    """Close the dashboard's cached snapshot connection when these tests end. DuckDB refuses a
    second in-process connection to the same file with a different configuration, so a reader
    left open here would break later tests that open the snapshot their own way."""
    yield
    queries.close()


@pytest.fixture(scope="package")
def snapshot_con(published_sample: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An independent read-only connection to the published sample, for expected values
    (closed with the package, for the same reason as above)."""
    con = connect_reader(published_sample)
    yield con
    con.close()


def _speaker_id(con: duckdb.DuckDBPyConnection, name: str) -> str:
    rows = con.execute("select speaker_id from speakers where display_name = ?", [name]).fetchall()
    assert len(rows) == 1, f"expected exactly one {name} in the published sample, got {rows}"
    return rows[0][0]


@pytest.fixture(scope="package")
def sam_marks_id(snapshot_con: duckdb.DuckDBPyConnection) -> str:
    return _speaker_id(snapshot_con, "Sam Marks")


@pytest.fixture(scope="package")
def ira_glass_id(snapshot_con: duckdb.DuckDBPyConnection) -> str:
    return _speaker_id(snapshot_con, "Ira Glass")


@pytest.fixture(scope="package")
def adam_curry_id(snapshot_con: duckdb.DuckDBPyConnection) -> str:
    """Host of No Agenda and Podcasting 2.0, known from their feeds' podcast:person tags."""
    return _speaker_id(snapshot_con, "Adam Curry")


@pytest.fixture(scope="package")
def mixed_evidence_id(snapshot_con: duckdb.DuckDBPyConnection) -> str:
    """A speaker with both counted episodes and episodes known only from titles (the one with
    the most title-only episodes), found with SQL so the test follows the data."""
    row = snapshot_con.execute(
        EPISODE_EVIDENCE_SQL + "group by speaker_id having n_counted > 0 and n_title > 0 "
        "order by n_title desc, n_counted desc, speaker_id limit 1"
    ).fetchone()
    assert row is not None, "no speaker with both counted and title-only episodes"
    return row[0]


@pytest.fixture(scope="package")
def title_only_id(snapshot_con: duckdb.DuckDBPyConnection) -> str:
    """A speaker known only from episode titles (nothing counted), found with SQL."""
    row = snapshot_con.execute(
        EPISODE_EVIDENCE_SQL + "group by speaker_id having n_counted = 0 and n_title > 0 "
        "order by n_title desc, speaker_id limit 1"
    ).fetchone()
    assert row is not None, "no speaker known only from episode titles"
    return row[0]
