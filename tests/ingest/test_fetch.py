"""ingest.fetch against a real HTTP server on 127.0.0.1, never a mock transport.

The server serves a real podcast feed and misbehaves on purpose (loops, bombs, trickles,
silence) so that every limit is checked end to end through real sockets. Every test talks only
to 127.0.0.1 and is bounded in time; handlers that stall wait on an event that the fixture sets
at teardown, so no thread outlives its test by more than a moment.
"""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ingest import fetch as fetch_module
from ingest.errors import PaaError
from ingest.fetch import FetchError, FetchResult, fetch

FEEDS = Path(__file__).resolve().parents[2] / "data" / "real" / "feeds"
FEED_FILE = FEEDS / "podcasting20" / "partytime__pc20rss.xml"
FEED = FEED_FILE.read_bytes()
ETAG = '"pc20rss-2021-05-28"'
LAST_MODIFIED = "Fri, 28 May 2021 12:00:00 GMT"
MiB = 1024 * 1024
BOMB_SIZE = 10 * MiB


@cache
def _bomb() -> bytes:
    """10 MiB of zeros as gzip (about 10 KB on the wire)."""
    return gzip.compress(bytes(BOMB_SIZE), compresslevel=9)


# --------------------------------------------------------------------------- the server


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[str, dict[str, str]]] = []  # (path, lower-cased headers)
        self.stop = threading.Event()
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.seen.append((path, headers))

    def paths(self) -> list[str]:
        with self._lock:
            return [path for path, _ in self.seen]

    def last_headers(self) -> dict[str, str]:
        with self._lock:
            return self.seen[-1][1]

    def handle_error(self, request, client_address) -> None:
        """Clients hanging up mid-response is what several tests do on purpose."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.record(self.path, headers)
        route = urlsplit(self.path).path
        for prefix, handler in _ROUTES:
            if route == prefix or (prefix.endswith("/") and route.startswith(prefix)):
                handler(self, route.removeprefix(prefix))
                return
        self.send_error(404)

    # helpers ----------------------------------------------------------------------------

    def reply(self, body: bytes, *, status: int = 200, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # routes -----------------------------------------------------------------------------

    def feed(self, _: str) -> None:
        """The feed with validators, answering conditional requests like a real server."""
        if (
            self.headers.get("If-None-Match") == ETAG
            or self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self.reply(
            FEED,
            Content_Type="application/rss+xml; charset=utf-8",
            ETag=ETAG,
            Last_Modified=LAST_MODIFIED,
        )

    def feed_gzip(self, _: str) -> None:
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            self.reply(FEED)
            return
        self.reply(gzip.compress(FEED), Content_Encoding="gzip", ETag=ETAG)

    def feed_gzip_chunked(self, _: str) -> None:
        """HTTP/1.1 chunked transfer of a gzip body, as many CDNs send feeds."""
        self.protocol_version = "HTTP/1.1"
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        data = gzip.compress(FEED)
        for start in range(0, len(data), 7000):
            piece = data[start : start + 7000]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def feed_deflate(self, kind: str) -> None:
        if kind == "zlib":
            body = zlib.compress(FEED)
        else:  # raw deflate, which some servers send under the same name
            packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            body = packer.compress(FEED) + packer.flush()
        self.reply(body, Content_Encoding="deflate")

    def moved_301(self, _: str) -> None:
        self.redirect(301, "/moved/302")  # relative Location

    def moved_302(self, _: str) -> None:
        self.redirect(302, f"{self.server.base}/feed.xml")  # absolute Location

    def loop(self, name: str) -> None:
        self.redirect(302, "/loop/b" if name == "a" else "/loop/a")

    def hops(self, left: str) -> None:
        n = int(left)
        self.redirect(307, f"/hops/{n - 1}" if n > 0 else "/feed.xml")

    def redirect_to(self, _: str) -> None:
        self.redirect(302, parse_qs(urlsplit(self.path).query)["url"][0])

    def status(self, code: str) -> None:
        if code == "503":
            self.send_response(503)
            self.send_header("Retry-After", "120")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_error(int(code))

    def unconditional_304(self, _: str) -> None:
        self.send_response(304)
        self.end_headers()

    def big(self, _: str) -> None:
        self.reply(b"x" * (2 * MiB))

    def endless(self, _: str) -> None:
        """No Content-Length (body ends at close), so only a streaming cap can stop it."""
        self.send_response(200)
        self.end_headers()
        block = b"<item/>" * 9000
        for _ in range(3000):
            if self.server.stop.is_set():
                return
            self.wfile.write(block)

    def bomb(self, _: str) -> None:
        self.reply(_bomb(), Content_Encoding="gzip", Content_Type="application/rss+xml")

    def bad_gzip(self, _: str) -> None:
        self.reply(b"<rss>this was never gzipped</rss>" * 20, Content_Encoding="gzip")

    def truncated_gzip(self, _: str) -> None:
        data = gzip.compress(FEED)
        self.reply(data[: len(data) // 2], Content_Encoding="gzip")

    def truncated(self, _: str) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"<rss>")  # ...and the connection closes

    def never(self, _: str) -> None:
        """Accept, read the request, never answer."""
        self.server.stop.wait(30)

    def trickle_body(self, _: str) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.flush()
        for _ in range(1000):
            if self.server.stop.wait(0.3):
                return
            self.wfile.write(b"x")

    def trickle_headers(self, _: str) -> None:
        for byte in b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n" * 50:
            if self.server.stop.wait(0.3):
                return
            self.wfile.write(bytes([byte]))


_ROUTES: list[tuple[str, Callable[[_Handler, str], None]]] = [
    ("/feed.xml", _Handler.feed),
    ("/feed.xml.gz", _Handler.feed_gzip),
    ("/feed-chunked.gz", _Handler.feed_gzip_chunked),
    ("/deflate/", _Handler.feed_deflate),
    ("/f%C3%A9ed%20one.xml", _Handler.feed),
    ("/moved/301", _Handler.moved_301),
    ("/moved/302", _Handler.moved_302),
    ("/loop/", _Handler.loop),
    ("/hops/", _Handler.hops),
    ("/redirect-to", _Handler.redirect_to),
    ("/status/", _Handler.status),
    ("/unconditional-304", _Handler.unconditional_304),
    ("/big", _Handler.big),
    ("/endless", _Handler.endless),
    ("/bomb", _Handler.bomb),
    ("/bad-gzip", _Handler.bad_gzip),
    ("/truncated-gzip", _Handler.truncated_gzip),
    ("/truncated", _Handler.truncated),
    ("/never", _Handler.never),
    ("/trickle-body", _Handler.trickle_body),
    ("/trickle-headers", _Handler.trickle_headers),
]


def _serve(server: _Server) -> Iterator[_Server]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture()
def server() -> Iterator[_Server]:
    yield from _serve(_Server())


def _free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _raises(url: str, match: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError, match=match) as info:
        fetch(url, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    return info.value


# --------------------------------------------------------------------------- success paths


def test_plain_200_returns_the_file_bytes_and_validators(server: _Server) -> None:
    result = fetch(f"{server.base}/feed.xml")
    assert isinstance(result, FetchResult)
    assert result.status == 200
    assert result.body == FEED
    assert result.url == f"{server.base}/feed.xml"
    assert result.etag == ETAG
    assert result.last_modified == LAST_MODIFIED
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.redirects == []
    assert 0 <= result.elapsed_s < 5
    sent = server.last_headers()
    assert sent["accept-encoding"] == "gzip"
    assert sent["user-agent"] == "PodcastAppearanceAnalytics/0.1 (+local)"
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_gzip_response_is_decoded(server: _Server) -> None:
    result = fetch(f"{server.base}/feed.xml.gz")
    assert result.body == FEED
    assert "gzip" in server.last_headers()["accept-encoding"]


def test_chunked_gzip_response_is_decoded(server: _Server) -> None:
    assert fetch(f"{server.base}/feed-chunked.gz").body == FEED


@pytest.mark.parametrize("kind", ["zlib", "raw"])
def test_deflate_response_is_decoded_with_or_without_zlib_wrapper(
    server: _Server, kind: str
) -> None:
    assert fetch(f"{server.base}/deflate/{kind}").body == FEED


def test_conditional_get_with_etag_returns_304_without_body(server: _Server) -> None:
    first = fetch(f"{server.base}/feed.xml")
    again = fetch(f"{server.base}/feed.xml", etag=first.etag)
    assert again.status == 304
    assert again.body is None
    assert again.etag == ETAG
    assert server.last_headers()["if-none-match"] == ETAG


def test_conditional_get_with_last_modified_returns_304(server: _Server) -> None:
    again = fetch(f"{server.base}/feed.xml", last_modified=LAST_MODIFIED)
    assert (again.status, again.body) == (304, None)
    assert again.last_modified == LAST_MODIFIED  # echoed: the 304 carried no Last-Modified
    assert server.last_headers()["if-modified-since"] == LAST_MODIFIED


def test_stale_etag_gets_the_full_body(server: _Server) -> None:
    result = fetch(f"{server.base}/feed.xml", etag='"old"')
    assert (result.status, result.body) == (200, FEED)
    assert server.last_headers()["if-none-match"] == '"old"'


def test_empty_stored_validators_mean_none(server: _Server) -> None:
    result = fetch(f"{server.base}/feed.xml", etag="", last_modified="")
    assert (result.status, result.body) == (200, FEED)
    assert "if-none-match" not in server.last_headers()


def test_redirect_chain_301_302_200_is_followed_and_reported(server: _Server) -> None:
    result = fetch(f"{server.base}/moved/301")
    assert result.body == FEED
    assert result.url == f"{server.base}/feed.xml"
    assert result.redirects == [f"{server.base}/moved/301", f"{server.base}/moved/302"]
    assert server.paths() == ["/moved/301", "/moved/302", "/feed.xml"]
    # Validators travel along the chain, so a moved-but-unchanged feed is still a 304.
    again = fetch(f"{server.base}/moved/301", etag=ETAG)
    assert (again.status, again.body, again.url) == (304, None, f"{server.base}/feed.xml")


def test_up_to_max_redirects_are_followed(server: _Server) -> None:
    result = fetch(f"{server.base}/hops/4", max_redirects=5)  # 5 redirects
    assert len(result.redirects) == 5
    assert result.body == FEED


def test_non_ascii_and_spaces_in_the_path_are_percent_encoded(server: _Server) -> None:
    result = fetch(f"{server.base}/féed one.xml")
    assert result.body == FEED
    assert server.paths() == ["/f%C3%A9ed%20one.xml"]


def test_proxy_variables_in_the_environment_are_ignored(
    server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = f"http://127.0.0.1:{_free_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, dead)
    assert fetch(f"{server.base}/feed.xml").body == FEED
    assert server.paths() == ["/feed.xml"]  # origin-form request line, not a proxy request


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/1",
        "ftp://127.0.0.1/feed.xml",
        "data:text/xml,<rss/>",
        "javascript:alert(1)",
        "feed.xml",
        "//127.0.0.1/feed.xml",
    ],
)
def test_non_http_urls_are_refused_before_any_io(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_io(*args: object, **kwargs: object) -> None:
        raise AssertionError("network I/O attempted")

    monkeypatch.setattr(socket, "socket", no_io)
    monkeypatch.setattr(socket, "create_connection", no_io)
    monkeypatch.setattr(fetch_module, "_getaddrinfo", no_io)
    error = _raises(url, "refusing .*only http and https")
    assert isinstance(error, PaaError)


@pytest.mark.parametrize("url", ["http:///feed.xml", "https://", "http://:8080/feed.xml"])
def test_url_without_host_is_refused(url: str) -> None:
    _raises(url, "no host")


def test_invalid_url_is_refused() -> None:
    _raises("http://[::1/feed.xml", "invalid URL")
    _raises("http://127.0.0.1:99999/feed.xml", "invalid URL")


def test_host_that_idna_cannot_encode_is_refused() -> None:
    _raises("http://feeds..example/feed.xml", "invalid request")


def test_nonsensical_limits_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="timeout_s"):
        fetch("http://127.0.0.1/", timeout_s=0)
    with pytest.raises(ValueError, match="max_redirects"):
        fetch("http://127.0.0.1/", max_redirects=-1)


def test_header_injection_through_etag_is_refused() -> None:
    _raises("http://127.0.0.1:1/feed.xml", "invalid If-None-Match", etag='"a"\r\nX-Evil: 1')


# --------------------------------------------------------------------------- redirects


def test_redirect_loop_is_too_many_redirects(server: _Server) -> None:
    _raises(f"{server.base}/loop/a", "too many redirects")
    assert server.paths() == ["/loop/a", "/loop/b"]  # detected without going round again


def test_redirects_beyond_max_redirects_fail(server: _Server) -> None:
    _raises(f"{server.base}/hops/5", "too many redirects", max_redirects=5)  # 6 redirects
    _raises(f"{server.base}/hops/0", "too many redirects", max_redirects=0)


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "gopher://127.0.0.1:70/1", "javascript:alert(1)"]
)
def test_redirect_to_non_http_scheme_is_refused(server: _Server, location: str) -> None:
    error = _raises(f"{server.base}/redirect-to?url={location}", "refusing redirect to")
    assert location.split(":")[0] in str(error)
    assert len(server.paths()) == 1


# --------------------------------------------------------------------------- HTTP errors


@pytest.mark.parametrize("code", [404, 410, 500])
def test_http_error_status_is_a_fetch_error_with_the_status(server: _Server, code: int) -> None:
    error = _raises(f"{server.base}/status/{code}", f"HTTP {code}")
    assert error.status == code


def test_503_reports_retry_after(server: _Server) -> None:
    error = _raises(f"{server.base}/status/503", r"HTTP 503 .*Retry-After: 120")
    assert error.status == 503


def test_304_to_an_unconditional_request_is_an_error(server: _Server) -> None:
    _raises(f"{server.base}/unconditional-304", "unexpected HTTP 304")


# --------------------------------------------------------------------------- network errors


def test_connection_refused() -> None:
    _raises(f"http://127.0.0.1:{_free_port()}/feed.xml", "connection refused", timeout_s=2)


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def nxdomain(host: str, *args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_module, "_getaddrinfo", nxdomain)
    _raises("http://feeds.example.invalid/feed.xml", "DNS lookup failed for feeds.example.invalid")


def test_hanging_dns_lookup_is_bounded_by_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def hang(host: str, *args: object, **kwargs: object) -> list[object]:
        release.wait(10)
        raise socket.gaierror(socket.EAI_AGAIN, "gave up")

    monkeypatch.setattr(fetch_module, "_getaddrinfo", hang)
    started = time.monotonic()
    try:
        _raises("http://feeds.example.invalid/feed.xml", "timed out after 0.5 s", timeout_s=0.5)
    finally:
        release.set()
    assert time.monotonic() - started < 2


def test_connect_timeout_when_the_listen_queue_is_full() -> None:
    listener = socket.socket()
    fillers: list[socket.socket] = []
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(4):  # never accepted: the queue fills and later SYNs are dropped
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        with socket.socket() as probe:
            probe.settimeout(0.2)
            try:
                probe.connect(("127.0.0.1", port))
            except TimeoutError:
                pass
            else:
                pytest.skip("this kernel completes connections beyond the listen backlog")
        started = time.monotonic()
        _raises(f"http://127.0.0.1:{port}/feed.xml", "timed out after 1 s connecting", timeout_s=1)
        assert 0.9 <= time.monotonic() - started < 5
    finally:
        for sock in fillers:
            sock.close()
        listener.close()


def test_server_that_never_answers_times_out(server: _Server) -> None:
    started = time.monotonic()
    _raises(f"{server.base}/never", "timed out after 1 s waiting for the response", timeout_s=1)
    assert 0.9 <= time.monotonic() - started < 5


def test_trickling_body_hits_the_overall_deadline(server: _Server) -> None:
    started = time.monotonic()
    _raises(f"{server.base}/trickle-body", "timed out after 1 s reading the body", timeout_s=1)
    assert 0.9 <= time.monotonic() - started < 2


def test_trickling_headers_hit_the_overall_deadline(server: _Server) -> None:
    started = time.monotonic()
    _raises(f"{server.base}/trickle-headers", "timed out after 1 s", timeout_s=1)
    assert 0.9 <= time.monotonic() - started < 2


def test_body_cut_short_is_an_error(server: _Server) -> None:
    _raises(f"{server.base}/truncated", "closed in the middle of the body")


# --------------------------------------------------------------------------- size limits


def test_declared_body_over_max_bytes_is_refused_without_reading(server: _Server) -> None:
    _raises(f"{server.base}/big", r"over max_bytes=1048576", max_bytes=MiB)


def test_streamed_body_over_max_bytes_stops_at_the_cap(server: _Server) -> None:
    started = time.monotonic()
    _raises(f"{server.base}/endless", r"exceeds max_bytes=1048576; stopped", max_bytes=MiB)
    assert time.monotonic() - started < 5


def test_body_of_exactly_max_bytes_is_accepted(server: _Server) -> None:
    assert fetch(f"{server.base}/feed.xml", max_bytes=len(FEED)).body == FEED
    _raises(f"{server.base}/feed.xml", "max_bytes", max_bytes=len(FEED) - 1)


def test_gzip_bomb_is_stopped_at_the_decompressed_cap_without_inflating_it(
    server: _Server,
) -> None:
    bomb = _bomb()
    assert len(bomb) < 50_000  # tiny on the wire, 10 MiB once inflated
    tracemalloc.start()
    try:
        error = _raises(f"{server.base}/bomb", "decoded body .* exceeds max_bytes", max_bytes=MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "bomb" in str(error)
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB: the bomb was inflated"


def test_gzip_within_the_wire_cap_but_over_the_decoded_cap_fails(server: _Server) -> None:
    compressed = len(gzip.compress(FEED))
    _raises(f"{server.base}/feed.xml.gz", "decoded body", max_bytes=compressed + 10)


def test_malformed_gzip_is_an_error(server: _Server) -> None:
    _raises(f"{server.base}/bad-gzip", "malformed gzip")


def test_truncated_gzip_is_an_error(server: _Server) -> None:
    _raises(f"{server.base}/truncated-gzip", "malformed gzip.*truncated")


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl CLI."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl CLI not available")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return cert, key


@pytest.fixture()
def tls_server(tls_files: tuple[Path, Path]) -> Iterator[_Server]:
    cert, key = tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = _Server()
    server.socket = context.wrap_socket(server.socket, server_side=True)
    yield from _serve(server)


def test_tls_verification_is_on(tls_server: _Server) -> None:
    url = f"https://127.0.0.1:{tls_server.server_port}/feed.xml"
    _raises(url, "TLS certificate verification failed for 127.0.0.1", timeout_s=5)


def test_tls_fetch_with_a_trusted_certificate(
    tls_server: _Server, tls_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    trusting = ssl.create_default_context(cafile=str(tls_files[0]))
    monkeypatch.setattr(fetch_module, "_tls_context", lambda: trusting)
    result = fetch(f"https://127.0.0.1:{tls_server.server_port}/feed.xml.gz", timeout_s=5)
    assert result.body == FEED
    assert tls_server.last_headers()["host"] == f"127.0.0.1:{tls_server.server_port}"
