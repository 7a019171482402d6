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
    row = con.execute("select speaker_id from speakers where display_name = ?", [name]).fetchone()
    assert row is not None, f"{name} is not in the published sample"
    return row[0]


@pytest.fixture(scope="package")
def sam_marks_id(snapshot_con: duckdb.DuckDBPyConnection) -> str:
    return _speaker_id(snapshot_con, "Sam Marks")


@pytest.fixture(scope="package")
def ira_glass_id(snapshot_con: duckdb.DuckDBPyConnection) -> str:
    return _speaker_id(snapshot_con, "Ira Glass")
