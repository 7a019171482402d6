"""Transcripts a feed links to (podcast:transcript), fetched from 127.0.0.1 onto their episodes."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO
from warehouse.db import connect_reader
from warehouse.refresh import run_refresh

REAL = REPO / "data" / "real"
FEED = (REAL / "feeds" / "podcasting20" / "partytime__themnshow.xml").read_bytes()
EXAMPLES = REAL / "transcripts" / "podcastindex_spec_examples"
SRT = (EXAMPLES / "buzzsprout-10-things_excerpt.srt").read_bytes()
VTT = (EXAMPLES / "buzzsprout-podcasting-qa_excerpt.vtt").read_bytes()


class Handler(BaseHTTPRequestHandler):
    feed = b""
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        Handler.requests.append(self.path)
        if self.path == "/feed.xml":
            body, kind = Handler.feed, "application/rss+xml"
        elif self.path.startswith("/t/") and self.path.endswith(".vtt"):
            body, kind = VTT, "text/vtt"
        elif self.path.startswith("/t/"):
            body, kind = SRT, "application/x-subrip"
        else:
            body, kind = b"", ""
        if not body:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    # The real feed, with its transcript links pointed at this server (never the internet).
    Handler.feed = FEED.replace(b"https://mikeneumann.show/assets/static/", f"{base}/t/".encode())
    Handler.requests = []
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield base
    httpd.shutdown()
    httpd.server_close()


def test_one_linked_transcript_per_episode_lands_on_its_episode(
    server: str, state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "mn"\nformat = "feed"\nurl = "{server}/feed.xml"\n'
        "fetch_transcripts = true\n"
    )
    monkeypatch.setenv("PAA_SOURCES", str(sources))
    linked_items = len(re.findall(rb"<item>.*?<podcast:transcript", Handler.feed, re.S))

    first = run_refresh()
    fetched = [p for p in Handler.requests if p.startswith("/t/")]
    con = connect_reader(first.published.snapshot)
    try:
        episodes_with_links = con.execute(
            "select count(distinct episode_id) from episode_transcripts"
        ).fetchone()[0]
        episodes_with_quotes = con.execute(
            "select count(distinct episode_id) from segments"
        ).fetchone()[0]
        speakers = {
            r[0]
            for r in con.execute(
                "select distinct s.display_name from segments join speakers s using (speaker_id)"
            ).fetchall()
        }
        shows = con.execute("select count(*) from shows").fetchone()[0]
    finally:
        con.close()
    assert episodes_with_links > 0
    # One transcript per episode (the feed lists some twice), each on its own episode, and no
    # new show or episode made for it.
    assert len(fetched) == episodes_with_links == episodes_with_quotes
    assert episodes_with_links <= linked_items
    assert shows == 1
    assert {"Travis", "Sarah", "Gillian"} <= speakers  # SRT "Name:" labels, VTT voices
    # Where an episode links both captions formats, the VTT (voices and times) was chosen.
    assert sum(p.endswith(".vtt") for p in fetched) == 2

    Handler.requests.clear()
    run_refresh()
    assert not [p for p in Handler.requests if p.startswith("/t/")]  # nothing fetched twice
