"""The service's own error types, so the edges (CLI, DAG, dashboard) can tell a user's mistake
from a bug and print a one-line message with a hint instead of a traceback."""

from __future__ import annotations


class PaaError(Exception):
    """Base for errors caused by input or configuration, shown to users as a message."""


class ConfigError(PaaError):
    """sources.toml or an environment variable is wrong."""


class UnreadableSource(PaaError):
    """A whole file cannot be read (wrong format, not a table, undecodable)."""
