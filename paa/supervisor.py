"""`make run`: refresh the sample, then run Airflow and the dashboard until Ctrl-C.

Each child runs in its own session so a terminal's Ctrl-C reaches only this supervisor, which
then stops the children the way each wants: Airflow with SIGINT (SIGTERM orphans its
api-server, scheduler and triggerer, per STACK.md), the dashboard with SIGTERM; anything still
alive after a grace period is killed with its whole process group.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from config import REPO_ROOT, settings
from ingest.errors import PaaError


def airflow_env() -> dict[str, str]:
    """Environment for every Airflow process: state inside the repo, examples off, loopback."""
    cfg = settings()
    env = dict(os.environ)
    env.update(
        {
            "AIRFLOW_HOME": str(cfg.airflow_home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__PARALLELISM": env.get("AIRFLOW__CORE__PARALLELISM", "4"),
            "AIRFLOW__API__HOST": cfg.airflow_host,
            "AIRFLOW__API__PORT": str(cfg.airflow_port),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{cfg.airflow_port}/execution/",
            "PAA_STATE_DIR": str(cfg.state_dir),
            # standalone starts its components as `airflow ...` found on PATH
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        }
    )
    return env


def _default_signals() -> None:
    """In the child: take SIGINT/SIGTERM back to their defaults, even when this supervisor was
    started with them ignored (as a shell does for background jobs), so stopping works."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _spawn(cmd: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    """A child in its own session (so a terminal's Ctrl-C reaches only this supervisor), with
    default signal handling and its output appended to `log`."""
    with open(log, "ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_default_signals,
        )


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _wait_http(url: str, timeout_s: float, proc: subprocess.Popen) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return True
        except OSError:
            pass
        time.sleep(1)
    return False


def _stop_all(children: list[tuple[str, subprocess.Popen, int]], grace_s: float = 45.0) -> None:
    """Signal every child's leader at once (Airflow standalone stops its own components on
    SIGINT), wait up to grace_s, then kill whatever is left in each child's process group."""
    for _name, proc, sig in children:
        if proc.poll() is None:
            try:
                os.kill(proc.pid, sig)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + grace_s
    for _name, proc, _sig in children:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # stragglers left in the group
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


def _airflow_login(home: Path) -> str:
    path = home / "simple_auth_manager_passwords.json.generated"
    try:
        users = json.loads(path.read_text())
    except (OSError, ValueError):
        return f"see {path}"
    return ", ".join(f"user {u!r} password {p!r}" for u, p in users.items())


def run_all(skip_airflow: bool = False) -> int:
    from warehouse.refresh import run_refresh, summarise

    cfg = settings()
    for name, host, port in (
        ("dashboard", cfg.dashboard_host, cfg.dashboard_port),
        *([] if skip_airflow else [("Airflow", cfg.airflow_host, cfg.airflow_port)]),
    ):
        if not _port_free(host, port):
            raise PaaError(
                f"port {port} on {host} is already in use, so the {name} cannot start; stop the "
                f"other process (another `make run`?) or set "
                f"{'PAA_DASHBOARD_PORT' if name == 'dashboard' else 'PAA_AIRFLOW_PORT'}"
            )
    logs = cfg.state_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    print("Loading the bundled sample and publishing a snapshot ...", flush=True)
    result = run_refresh()
    s = summarise(result.files)
    print(
        f"  {s['loaded_files']} new file(s), {s['loaded']} record(s) loaded, "
        f"{s['rejected']} rejected; published {result.published.snapshot.name}",
        flush=True,
    )

    children: list[tuple[str, subprocess.Popen, int]] = []
    env = airflow_env()

    def _terminate(signum, frame):  # `kill <pid>` stops everything like Ctrl-C does
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    # Ctrl-C works even when this process was started with SIGINT ignored (a background job).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        dash = _spawn([sys.executable, "-m", "paa", "serve"], logs / "dashboard.log", env)
        children.append(("dashboard", dash, signal.SIGTERM))
        dash_url = f"http://{cfg.dashboard_host}:{cfg.dashboard_port}"
        if not _wait_http(dash_url + "/", 60, dash):
            raise PaaError(f"the dashboard did not start; see {logs / 'dashboard.log'}")
        print(f"Dashboard:  {dash_url}", flush=True)

        if not skip_airflow:
            cfg.airflow_home.mkdir(parents=True, exist_ok=True)
            print("Starting Airflow (about 30 s) ...", flush=True)
            airflow = _spawn(
                [str(Path(sys.executable).parent / "airflow"), "standalone"],
                logs / "airflow.log",
                env,
            )
            children.append(("Airflow", airflow, signal.SIGINT))
            af_url = f"http://{cfg.airflow_host}:{cfg.airflow_port}"
            if not _wait_http(af_url + "/api/v2/monitor/health", 180, airflow):
                raise PaaError(f"Airflow did not become healthy; see {logs / 'airflow.log'}")
            print(f"Airflow:    {af_url}  ({_airflow_login(cfg.airflow_home)})", flush=True)
            print(
                f"            DAG ingest_appearances runs {cfg.refresh_schedule} (a new Airflow "
                "home runs it at once); publish_appearances follows when it loads something",
                flush=True,
            )
        print(f"Logs:       {logs}\nPress Ctrl-C to stop everything.", flush=True)
        while True:
            for name, proc, _ in children:
                if proc.poll() is not None:
                    raise PaaError(f"the {name} stopped (exit {proc.returncode}); see {logs}")
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    finally:
        _stop_all(children)
        if children:
            print("Stopped.", flush=True)
