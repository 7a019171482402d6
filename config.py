"""Every path, port and setting of the service, read from environment variables.

One module so that moving from the embedded default to another deployment is a
matter of environment, not code. Each setting has a local default that works in
a fresh clone; values are read when accessed (``settings()``), so tests and the
CLI can point the service elsewhere by setting variables before the call.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {value!r}") from exc


@dataclass(frozen=True)
class Settings:
    """Resolved settings; see README "Configuration" for each variable."""

    state_dir: Path
    warehouse_path: Path
    snapshot_dir: Path
    keep_snapshots: int
    sources_file: Path
    aliases_file: Path
    dashboard_host: str
    dashboard_port: int
    airflow_home: Path
    airflow_host: str
    airflow_port: int
    refresh_schedule: str
    sql_timeout_s: float
    sql_row_cap: int
    fetch_timeout_s: float
    fetch_max_bytes: int

    @property
    def current_pointer(self) -> Path:
        """File naming the published snapshot; replaced atomically on publish."""
        return self.snapshot_dir / "CURRENT"


def settings() -> Settings:
    state = _path("PAA_STATE_DIR", REPO_ROOT / "state")
    return Settings(
        state_dir=state,
        warehouse_path=_path("PAA_WAREHOUSE", state / "warehouse" / "working.duckdb"),
        snapshot_dir=_path("PAA_SNAPSHOT_DIR", state / "warehouse" / "snapshots"),
        keep_snapshots=max(2, _int("PAA_KEEP_SNAPSHOTS", 3)),
        sources_file=_path("PAA_SOURCES", REPO_ROOT / "sources.toml"),
        aliases_file=_path("PAA_ALIASES", REPO_ROOT / "aliases.toml"),
        dashboard_host=os.environ.get("PAA_DASHBOARD_HOST", "127.0.0.1"),
        dashboard_port=_int("PAA_DASHBOARD_PORT", 8050),
        airflow_home=_path("AIRFLOW_HOME", state / "airflow"),
        airflow_host=os.environ.get("PAA_AIRFLOW_HOST", "127.0.0.1"),
        airflow_port=_int("PAA_AIRFLOW_PORT", 8080),
        refresh_schedule=os.environ.get("PAA_REFRESH_SCHEDULE", "@hourly"),
        sql_timeout_s=float(os.environ.get("PAA_SQL_TIMEOUT_S", "10")),
        sql_row_cap=_int("PAA_SQL_ROW_CAP", 10_000),
        fetch_timeout_s=float(os.environ.get("PAA_FETCH_TIMEOUT_S", "20")),
        fetch_max_bytes=_int("PAA_FETCH_MAX_BYTES", 50 * 1024 * 1024),
    )
