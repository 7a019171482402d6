"""The command line: every command has --help, and user errors are one line, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paa.cli import build_parser
from tests.conftest import REPO, SEED_PAGE

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def cli(*args: str, env_state: Path | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    if env_state is not None:
        env["PAA_STATE_DIR"] = str(env_state)
    return subprocess.run(
        [sys.executable, "-m", "paa", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env=env,
    )


def test_commands() -> None:
    assert COMMANDS == ["candidates", "ingest", "refresh", "run", "serve", "sql", "status"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help(command: str | None) -> None:
    proc = cli(*([command] if command else []), "--help")
    assert proc.returncode == 0
    assert "usage: python -m paa" in proc.stdout


def test_ingest_prints_counts_and_status_reads_them(tmp_path: Path) -> None:
    state = tmp_path / "state"
    proc = cli("ingest", str(SEED_PAGE), env_state=state)
    assert proc.returncode == 0, proc.stderr
    assert "1 file(s) loaded" in proc.stdout and "20 record(s) loaded, 0 rejected" in proc.stdout
    again = cli("ingest", str(SEED_PAGE), env_state=state)
    assert "0 file(s) loaded, 1 unchanged" in again.stdout
    status = cli("status", env_state=state)
    assert status.returncode == 0
    assert "segments" in status.stdout and "20" in status.stdout


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    proc = cli("ingest", str(tmp_path / "nope.csv"), env_state=tmp_path / "state")
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: no such file: {str(tmp_path / 'nope.csv')!r}"


def test_status_before_any_refresh_explains(tmp_path: Path) -> None:
    proc = cli("status", env_state=tmp_path / "state")
    assert proc.returncode == 2
    assert "no published data yet" in proc.stderr and "Traceback" not in proc.stderr
