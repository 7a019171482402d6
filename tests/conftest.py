"""Shared fixtures: real DuckDB files built from the bundled real sample, never mocks.

AIRFLOW_HOME and the service's state directory point into a temporary folder before anything
imports Airflow or reads settings, so tests never touch the developer's own state/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_SESSION_TMP = Path(tempfile.mkdtemp(prefix="paa-tests-"))
os.environ["AIRFLOW_HOME"] = str(_SESSION_TMP / "airflow")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
os.environ["PAA_STATE_DIR"] = str(_SESSION_TMP / "state")
os.environ["PAA_SOURCES"] = str(REPO / "sources.toml")
for _var in ("PAA_WAREHOUSE", "PAA_SNAPSHOT_DIR"):
    os.environ.pop(_var, None)

SAMPLE = REPO / "data" / "sample"
FOUNDATION_SOURCES = REPO / "tests" / "data" / "sources_foundation.toml"
SEED_PAGE = SAMPLE / "seed" / "speaker-page-sam-marks.txt"


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(_SESSION_TMP, ignore_errors=True)


@pytest.fixture()
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty state directory (working warehouse + snapshots) for one test."""
    state = tmp_path / "state"
    monkeypatch.setenv("PAA_STATE_DIR", str(state))
    return state


@pytest.fixture()
def foundation_sources(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh state directory whose sources are only the four files of data/sample/."""
    monkeypatch.setenv("PAA_SOURCES", str(FOUNDATION_SOURCES))
    return state_dir


@pytest.fixture(scope="session")
def published_sample() -> Iterator[Path]:
    """Everything sources.toml lists (data/sample/ and data/real/), refreshed and published once
    per session into the session's state directory (which the dashboard and SQL tests read
    through the normal settings).
    Returns the snapshot path."""
    from warehouse.refresh import run_refresh

    result = run_refresh(refresh_id="test-sample")
    yield result.published.snapshot
