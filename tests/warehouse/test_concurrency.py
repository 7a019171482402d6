"""Readers during refreshes: while another process refreshes back to back, dashboard HTTP
requests and SQL queries see no errors, and every answer comes from one whole snapshot."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.api import STATUS_SQL
from tests.conftest import FOUNDATION_SOURCES, REPO
from warehouse.refresh import run_refresh
from warehouse.sql import run_query

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from warehouse.refresh import run_refresh
    extra = Path(sys.argv[1])
    for i in range(int(sys.argv[2])):
        rows = "".join(f"Extra Show,Episode {i}-{j},2024-01-0{1 + j % 9},Guest {i} {j},guest,"
                       f"Something said {i} {j}\\n" for j in range(50))
        (extra / f"extra_{i}.csv").write_text("show,episode,published,speaker,role,quote\\n" + rows)
        run_refresh(refresh_id=f"writer-{i}")
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.status == 200
        return json.loads(resp.read())


def test_readers_see_whole_snapshots_while_refreshes_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, extra = tmp_path / "state", tmp_path / "extra"
    extra.mkdir()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        FOUNDATION_SOURCES.read_text().replace(
            'path = "../../data/sample/', f'path = "{REPO}/data/sample/'
        )
        + f'\n[[source]]\nname = "extra"\npath = "{extra}/*.csv"\n'
    )
    env = dict(os.environ, PAA_STATE_DIR=str(state), PAA_SOURCES=str(sources))
    monkeypatch.setenv("PAA_STATE_DIR", str(state))
    monkeypatch.setenv("PAA_SOURCES", str(sources))
    run_refresh(refresh_id="initial")

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "paa", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    writer = None
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(base + "/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, "dashboard did not start"
                time.sleep(0.3)

        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(extra), "4"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        errors: list[str] = []
        snapshots: set[str] = set()
        requests = 0
        stop = time.monotonic() + 120
        while writer.poll() is None and time.monotonic() < stop:
            try:
                page = urllib.request.urlopen(base + "/", timeout=10)
                assert page.status == 200
                http = get_json(base + "/api/status")
                sql = run_query(STATUS_SQL).frame.row(0, named=True)
                for answer in (http, sql):
                    # Core tables and marts agree: one whole refresh, never half of one.
                    assert answer["appearances"] == int(answer["mart_appearances"])
                    assert answer["quotes"] == int(answer["mart_quotes"])
                    snapshots.add(answer["snapshot"])
                if requests % 10 == 0:
                    cli = subprocess.run(
                        [sys.executable, "-m", "paa", "sql", STATUS_SQL, "--format", "json"],
                        cwd=REPO,
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=60,
                    )
                    assert cli.returncode == 0, cli.stderr
                    (row,) = json.loads(cli.stdout)
                    assert row["appearances"] == int(row["mart_appearances"])
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                errors.append(f"{type(exc).__name__}: {exc}")
            requests += 1
        assert writer.wait(timeout=120) == 0, writer.stderr.read().decode()[-2000:]
        assert errors == []
        assert requests >= 20
        assert len(snapshots) >= 3  # readers followed several publications
        final = get_json(base + "/api/status")
        assert final["source_files"] == 4 + 4  # the sample and the writer's four files
    finally:
        for proc in (writer, server):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
