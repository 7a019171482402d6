"""Feeds by URL: fetched from a real HTTP server on 127.0.0.1, with conditional GET."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO
from warehouse.db import connect_reader
from warehouse.refresh import run_refresh

FEED = REPO / "data" / "real" / "feeds" / "podcasting20" / "partytime__themnshow.xml"


class FeedServer(BaseHTTPRequestHandler):
    body = FEED.read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    seen: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        FeedServer.seen.append((self.path, self.headers.get("If-None-Match")))
        if self.path != "/feed.xml":
            self.send_error(404)
            return
        if self.headers.get("If-None-Match") == self.etag:
            self.send_response(304)
            self.send_header("ETag", self.etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", self.etag)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    FeedServer.seen.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_feed_url_loads_then_costs_one_conditional_request(
    server: str, state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "mn"\nformat = "feed"\n'
        f'url = ["{server}/feed.xml", "{server}/gone.xml"]\n'
    )
    monkeypatch.setenv("PAA_SOURCES", str(sources))

    first = run_refresh()
    assert [f.status for f in first.files] == ["loaded", "unreachable"]
    assert "HTTP 404" in first.files[1].message
    con = connect_reader(first.published.snapshot)
    try:
        assert con.execute("select count(*) from episodes").fetchone() == (54,)
        (reason,) = con.execute("select reason from rejects where locator = 'fetch'").fetchone()
        assert reason.startswith("unreachable feed:") and "404" in reason
        assert con.execute("select path from source_files").fetchall() == [(f"{server}/feed.xml",)]
    finally:
        con.close()

    FeedServer.seen.clear()
    second = run_refresh()
    assert [f.status for f in second.files] == ["unchanged", "unreachable"]
    # The unchanged feed was asked for with its ETag and answered 304.
    assert (("/feed.xml", FeedServer.etag)) in FeedServer.seen
    con = connect_reader(second.published.snapshot)
    try:
        assert con.execute(
            "select status from fetch_state where url like '%feed.xml'"
        ).fetchone() == ("not modified",)
        assert con.execute("select count(*) from episodes").fetchone() == (54,)
    finally:
        con.close()


def test_non_http_feed_urls_are_refused_in_the_config(tmp_path: Path) -> None:
    from ingest.errors import ConfigError
    from ingest.sources import parse_source

    for url in ("file:///etc/passwd", "gopher://example.org/feed"):
        with pytest.raises(ConfigError, match="only http and https URLs"):
            parse_source({"name": "x", "url": url}, tmp_path)
