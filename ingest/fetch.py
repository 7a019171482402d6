"""Fetch feeds and transcripts over HTTP(S) with the limits a long-running podcast tool needs.

A refresh job touches hundreds of third-party servers, some slow, broken or hostile, so every
fetch here is bounded: one overall deadline covers DNS, connect, TLS, headers, body and every
redirect (a server that trickles one byte at a time cannot hold a worker forever); the body is
capped both on the wire and after gzip decoding (a 10 KB gzip bomb cannot become 10 GB in
memory); only http and https are ever requested, including after a redirect (a feed cannot send
us to file:///etc/passwd). Conditional GETs (ETag / Last-Modified) make an unchanged feed cost
one small 304 response instead of a full download.

Only the standard library is used (http.client, socket, ssl, zlib): http.client parses the
protocol, and this module owns the socket so it can enforce the deadline on every read. Proxy
variables in the environment are deliberately ignored (http.client never reads them), so a
stray HTTP_PROXY cannot reroute or break a refresh. TLS uses the default verifying context.

The defaults below are module constants so that the settings module can override them by
passing parameters; nothing here reads the environment.
"""

from __future__ import annotations

import functools
import http.client
import io
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from ingest.errors import PaaError

DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_USER_AGENT = "PodcastAppearanceAnalytics/0.1 (+local)"

ALLOWED_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_CHUNK = 64 * 1024
# Characters left as they are when a path or query is made safe to send: the RFC 3986
# reserved and unreserved sets plus "%" (so an already-escaped URL is not escaped twice).
# Everything else (spaces, non-ASCII) is percent-encoded as UTF-8, as browsers do.
_PATH_SAFE = "/%:@!$&'()*+,;=~"
_QUERY_SAFE = _PATH_SAFE + "?"

# Indirection so tests can simulate DNS failures and hangs without touching the network.
_getaddrinfo: Callable[..., list[Any]] = socket.getaddrinfo


class FetchError(PaaError):
    """A URL could not be fetched; ``str(error)`` is a one-line reason fit for a user.

    ``status`` is the HTTP status when the server answered with an error (so a caller can tell
    404/410 "gone" from 5xx "try later"), else None; ``url`` is the URL that failed (after
    redirects, when the failure happened on a later hop).
    """

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


@dataclass(frozen=True)
class FetchResult:
    """One successful fetch.

    ``url`` is the final URL after redirects (store it if the redirects were permanent);
    ``redirects`` lists, in order, the URLs that answered with a redirect, so the full chain is
    ``[*redirects, url]``. ``body`` is the decoded body, or None when ``status`` is 304. On a
    304 without validators of its own, ``etag``/``last_modified`` echo the ones sent, so the
    caller can always store what it gets back.
    """

    url: str
    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    redirects: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    user_agent: str = DEFAULT_USER_AGENT,
) -> FetchResult:
    """GET ``url`` (http/https only), following up to ``max_redirects`` redirects.

    ``timeout_s`` is one budget for the whole call, redirects included, not a per-read timeout.
    ``max_bytes`` caps the body as received and, for gzip/deflate, as decoded. Pass the
    ``etag``/``last_modified`` of the previous result to get a cheap 304 when nothing changed.
    Raises FetchError for every failure (refused scheme, network, timeout, HTTP >= 400, limits,
    bad encoding); raises ValueError only for nonsensical limits (a programming error).
    """
    if not timeout_s > 0:
        raise ValueError(f"timeout_s must be positive, got {timeout_s!r}")
    if max_bytes < 0:
        raise ValueError(f"max_bytes must be >= 0, got {max_bytes!r}")
    if max_redirects < 0:
        raise ValueError(f"max_redirects must be >= 0, got {max_redirects!r}")

    started = time.monotonic()
    deadline = started + timeout_s
    etag, last_modified = etag or None, last_modified or None  # "" from storage means "none"
    target = _Target.parse(url)  # refuses bad schemes and hostless URLs before any I/O
    headers = _request_headers(user_agent, etag, last_modified, target.url)

    redirects: list[str] = []
    seen = {target.key}
    while True:
        reply = _exchange(target, headers, deadline, timeout_s, max_bytes)
        if reply.status in REDIRECT_STATUSES:
            if not reply.location:
                raise FetchError(
                    f"HTTP {reply.status} redirect without a Location header from {target.url}",
                    url=target.url,
                    status=reply.status,
                )
            next_url = urljoin(target.url, reply.location)
            nxt = _Target.parse(next_url, redirected_from=target.url)
            redirects.append(target.url)
            if nxt.key in seen:
                chain = " -> ".join([*redirects, nxt.url])
                raise FetchError(f"too many redirects: redirect loop {chain}", url=nxt.url)
            if len(redirects) > max_redirects:
                raise FetchError(
                    f"too many redirects: more than {max_redirects} starting at {redirects[0]}",
                    url=nxt.url,
                )
            seen.add(nxt.key)
            target = nxt
            continue
        if reply.status == 304:
            if etag is None and last_modified is None:
                raise FetchError(
                    f"unexpected HTTP 304 from {target.url} to an unconditional request",
                    url=target.url,
                    status=304,
                )
            body = None
        else:
            body = reply.body
        return FetchResult(
            url=target.url,
            status=reply.status,
            body=body,
            etag=reply.headers.get("etag") or (etag if reply.status == 304 else None),
            last_modified=reply.headers.get("last-modified")
            or (last_modified if reply.status == 304 else None),
            content_type=reply.headers.get("content-type"),
            redirects=redirects,
            elapsed_s=time.monotonic() - started,
        )


# --------------------------------------------------------------------------- URLs and headers


@dataclass(frozen=True)
class _Target:
    """A URL already checked to be fetchable, split into what the connection needs."""

    url: str
    tls: bool
    host: str
    port: int
    request_target: str  # path and query, percent-encoded, as sent on the request line

    @property
    def key(self) -> tuple[bool, str, int, str]:
        """Identity for loop detection: case-insensitive host, explicit port, no fragment."""
        return (self.tls, self.host.lower(), self.port, self.request_target)

    @classmethod
    def parse(cls, url: str, *, redirected_from: str | None = None) -> _Target:
        where = f" (redirect from {redirected_from})" if redirected_from else ""
        if not isinstance(url, str):
            raise FetchError(f"URL must be a string, got {type(url).__name__}")
        url = url.strip()
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
            raise FetchError(f"refusing URL with control characters: {url!r}{where}", url=url)
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise FetchError(f"invalid URL {url!r}{where}: {exc}", url=url) from None
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            shown = url if len(url) <= 200 else url[:200] + "..."
            kind = f"{scheme}: URL" if scheme else "URL without a scheme"
            verb = "refusing redirect to" if redirected_from else "refusing"
            raise FetchError(
                f"{verb} {kind} {shown!r}{where}: only http and https are fetched", url=url
            )
        host = parts.hostname
        if not host:
            raise FetchError(f"URL has no host: {url!r}{where}", url=url)
        tls = scheme == "https"
        path = quote(parts.path or "/", safe=_PATH_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_QUERY_SAFE)
        return cls(
            url=url, tls=tls, host=host, port=port or (443 if tls else 80), request_target=path
        )


def _request_headers(
    user_agent: str, etag: str | None, last_modified: str | None, url: str
) -> dict[str, str]:
    """Headers for every hop. Validators are sent on redirected hops too: a feed that moved
    permanently is usually fetched again by its old URL, and the validators belong to the
    resource at the end of the chain."""
    headers = {
        "User-Agent": user_agent,
        "Accept": "*/*",
        "Accept-Encoding": "gzip",
        "Connection": "close",
    }
    if etag is not None:
        headers["If-None-Match"] = etag
    if last_modified is not None:
        headers["If-Modified-Since"] = last_modified
    for name, value in headers.items():
        # A header value is latin-1 text on one line; anything else would be a broken request
        # (or header injection), so it is refused here rather than half-sent.
        bad = any((ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F or ord(c) > 0xFF for c in value)
        if bad or not value.strip():
            raise FetchError(f"invalid {name} header value {value!r} for {url}", url=url)
    return headers


# --------------------------------------------------------------------------- one request


@dataclass
class _Reply:
    status: int
    headers: dict[str, str]  # lower-cased names; the last value wins (these are single-valued)
    body: bytes | None
    location: str | None


def _exchange(
    target: _Target, headers: dict[str, str], deadline: float, timeout_s: float, max_bytes: int
) -> _Reply:
    """One request/response on a fresh connection, with every network error made a FetchError.

    The body is read only for a 200: a redirect's or an error page's body is never needed, and
    not reading it means a hostile server cannot make us download it."""
    url = target.url
    conn: _Connection | None = None
    phase = "connecting to"
    try:
        conn = _Connection(target, deadline)
        conn.connect()
        phase = "sending the request to"
        conn.request("GET", target.request_target, headers=headers)
        phase = "waiting for the response from"
        resp = conn.getresponse()
        status = resp.status
        resp_headers = {name.lower(): value for name, value in resp.getheaders()}
        reason = f" {resp.reason}" if resp.reason else ""
        if status >= 400:
            retry = resp_headers.get("retry-after")
            hint = f" (Retry-After: {retry})" if retry and status in (429, 503) else ""
            raise FetchError(f"HTTP {status}{reason} from {url}{hint}", url=url, status=status)
        if status in REDIRECT_STATUSES or status == 304:
            location = resp_headers.get("location")
            return _Reply(status, resp_headers, None, _fix_header_text(location))
        if status != 200:
            raise FetchError(f"unexpected HTTP {status}{reason} from {url}", url=url, status=status)
        phase = "reading the body from"
        body = _read_body(resp, resp_headers, url, max_bytes)
        return _Reply(status, resp_headers, body, None)
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError(f"timed out after {timeout_s:g} s {phase} {url}", url=url) from None
    except socket.gaierror as exc:
        reason = exc.strerror or str(exc)
        raise FetchError(f"DNS lookup failed for {target.host}: {reason}", url=url) from None
    except ConnectionRefusedError:
        raise FetchError(
            f"connection refused by {target.host}:{target.port} ({url})", url=url
        ) from None
    except ssl.SSLCertVerificationError as exc:
        reason = exc.verify_message or exc.reason or str(exc)
        raise FetchError(
            f"TLS certificate verification failed for {target.host}: {reason}", url=url
        ) from None
    except ssl.SSLError as exc:
        raise FetchError(f"TLS error {phase} {url}: {exc.reason or exc}", url=url) from None
    except http.client.RemoteDisconnected:
        raise FetchError(
            f"server closed the connection without a response ({url})", url=url
        ) from None
    except http.client.IncompleteRead:
        raise FetchError(
            f"connection closed in the middle of the body from {url}", url=url
        ) from None
    except http.client.HTTPException as exc:
        detail = str(exc)[:200] or type(exc).__name__
        raise FetchError(f"malformed HTTP response from {url}: {detail}", url=url) from None
    except ConnectionError as exc:
        raise FetchError(f"connection lost {phase} {url}: {exc.strerror or exc}", url=url) from None
    except OSError as exc:
        raise FetchError(f"network error {phase} {url}: {exc.strerror or exc}", url=url) from None
    except ValueError as exc:  # e.g. a host name that IDNA cannot encode
        raise FetchError(f"invalid request for {url}: {exc}", url=url) from None
    finally:
        if conn is not None:
            conn.release()


def _fix_header_text(value: str | None) -> str | None:
    """http.client decodes headers as latin-1; a Location sent as raw UTF-8 is re-decoded so
    that it is percent-encoded correctly instead of as mojibake."""
    if value is None:
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _read_body(
    resp: http.client.HTTPResponse, headers: dict[str, str], url: str, max_bytes: int
) -> bytes:
    """Read the body one socket read at a time, stopping as soon as either cap is passed."""
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"response body from {url} is {int(declared)} bytes, over max_bytes={max_bytes}",
            url=url,
        )
    sink = _CappedSink(max_bytes)
    decoder = _decoder_for(headers.get("content-encoding"), url)
    received = 0
    try:
        while True:
            chunk = resp.read1(_CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:
                raise FetchError(
                    f"response body from {url} exceeds max_bytes={max_bytes}; stopped reading",
                    url=url,
                )
            decoder.feed(chunk, sink)
        decoder.finish(sink)
    except _CapExceeded:
        raise FetchError(
            f"decoded body from {url} exceeds max_bytes={max_bytes} after only {received} "
            f"{decoder.name} bytes received (compression bomb?); stopped decoding",
            url=url,
        ) from None
    except zlib.error as exc:
        raise FetchError(f"malformed {decoder.name} body from {url}: {exc}", url=url) from None
    if resp.length:  # Content-Length promised more than the server sent before closing
        raise FetchError(
            f"connection closed in the middle of the body from {url} ({resp.length} bytes missing)",
            url=url,
        )
    return sink.getvalue()


# --------------------------------------------------------------------------- decoding


class _CapExceeded(Exception):
    pass


class _CappedSink:
    """Collects decoded bytes and refuses to hold more than ``cap``."""

    def __init__(self, cap: int):
        self.cap = cap
        self.size = 0
        self._parts: list[bytes] = []

    def room(self) -> int:
        """Bytes a decoder may produce next: one past the cap, so overflow is detectable."""
        return self.cap - self.size + 1

    def add(self, data: bytes) -> None:
        if not data:
            return
        self.size += len(data)
        if self.size > self.cap:
            raise _CapExceeded
        self._parts.append(data)

    def getvalue(self) -> bytes:
        return b"".join(self._parts)


class _Identity:
    name = "identity"

    def feed(self, data: bytes, sink: _CappedSink) -> None:
        sink.add(data)

    def finish(self, sink: _CappedSink) -> None:
        pass


class _Inflater:
    """Incremental gzip/deflate decoding whose output never exceeds the sink's room.

    ``decompress(data, max_length)`` keeps unconsumed input aside instead of expanding it, so a
    bomb costs at most ``cap + 1`` bytes of output before it is detected. "deflate" is
    officially zlib-wrapped but some servers send raw deflate; the first two bytes decide.
    """

    def __init__(self, name: str):
        self.name = name
        self._pending = b""
        self._started = False
        self._d: Any = zlib.decompressobj(16 + zlib.MAX_WBITS) if name == "gzip" else None

    def feed(self, data: bytes, sink: _CappedSink) -> None:
        if self._d is None:
            self._pending += data
            if len(self._pending) < 2:
                return
            data, self._pending = self._pending, b""
            wbits = zlib.MAX_WBITS if _looks_like_zlib(data) else -zlib.MAX_WBITS
            self._d = zlib.decompressobj(wbits)
        self._started = self._started or bool(data)
        while data:
            if self._d.eof:
                if not data.strip(b"\0"):
                    return  # zero padding after the last member is harmless
                if self.name != "gzip":
                    raise zlib.error("unexpected data after the end of the deflate stream")
                # RFC 1952 allows several gzip members back to back.
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            sink.add(self._d.decompress(data, sink.room()))
            data = self._d.unused_data if self._d.eof else self._d.unconsumed_tail

    def finish(self, sink: _CappedSink) -> None:
        if self._d is None and self._pending:
            raise zlib.error("deflate body is too short")
        if not self._started:
            return  # an empty body stays empty, whatever the header claims
        if not self._d.eof:
            raise zlib.error("stream is truncated (no end-of-stream marker)")


def _looks_like_zlib(head: bytes) -> bool:
    cmf, flg = head[0], head[1]
    return cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf * 256 + flg) % 31 == 0


def _decoder_for(content_encoding: str | None, url: str) -> _Identity | _Inflater:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return _Identity()
    if codings in (["gzip"], ["x-gzip"]):
        return _Inflater("gzip")
    if codings == ["deflate"]:
        return _Inflater("deflate")
    raise FetchError(f"unsupported Content-Encoding {content_encoding!r} from {url}", url=url)


# --------------------------------------------------------------------------- sockets


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The default verifying context (system CAs, hostname check), built once per process."""
    return ssl.create_default_context()


class _Connection(http.client.HTTPConnection):
    """http.client for the protocol, our own socket for the deadline.

    One class for both schemes: connect() resolves and connects under the deadline, wraps TLS
    itself, and hands http.client a socket whose every read and write is limited to the time
    left. ``default_port`` is set per instance so the Host header omits :443 like a browser.
    """

    def __init__(self, target: _Target, deadline: float):
        super().__init__(target.host, target.port)
        self.default_port = 443 if target.tls else 80
        self._target = target
        self._deadline = deadline
        self._owned: _DeadlineSocket | None = None

    def connect(self) -> None:
        sock = _open_socket(self.host, self.port, self._deadline)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._target.tls:
                # CPython bounds the whole handshake by the socket timeout, not each read.
                sock.settimeout(_remaining(self._deadline))
                sock = _tls_context().wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = self._owned = _DeadlineSocket(sock, self._deadline)

    def release(self) -> None:
        """Close the socket for good, whatever http.client did with it."""
        self.close()
        if self._owned is not None:
            self._owned.release()
            self._owned = None


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


def _open_socket(host: str, port: int, deadline: float) -> socket.socket:
    """Connect to the first address that answers, sharing the time left fairly between them,
    so one black-holed IPv6 address cannot eat the whole budget."""
    infos = _resolve(host, port, deadline)
    if not infos:
        raise socket.gaierror(socket.EAI_NONAME, "no addresses")
    last: OSError | None = None
    for index, (family, kind, proto, _canon, address) in enumerate(infos):
        budget = _remaining(deadline) / (len(infos) - index)
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(budget)
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    assert last is not None
    raise last


def _resolve(host: str, port: int, deadline: float) -> list[Any]:
    """getaddrinfo under the deadline. The C resolver cannot be interrupted, so a name lookup
    runs in a daemon thread that is abandoned (not killed) if it outlives the deadline."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:  # a literal address needs no lookup and no thread
        return _getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)

    box: dict[str, Any] = {}

    def lookup() -> None:
        try:
            box["infos"] = _getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=lookup, name=f"fetch-dns-{host}", daemon=True)
    worker.start()
    worker.join(_remaining(deadline))
    if worker.is_alive():
        raise TimeoutError(f"DNS lookup of {host} did not finish")
    if "error" in box:
        raise box["error"]
    return box["infos"]


class _DeadlineSocket:
    """Wraps a connected (possibly TLS) socket so each operation gets only the time left.

    A per-read timeout alone lets a server that sends one byte every few seconds stall a fetch
    for ever; re-arming the timeout to the remaining budget before every recv/send turns it into
    a hard deadline for the whole exchange, headers included.
    """

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock = sock
        self._deadline = deadline

    def _arm(self) -> None:
        self._sock.settimeout(_remaining(self._deadline))

    def sendall(self, data: bytes) -> None:
        self._arm()  # sendall's timeout covers the whole call since Python 3.5
        self._sock.sendall(data)

    def recv_into(self, buffer: Any, nbytes: int = 0) -> int:
        self._arm()
        return self._sock.recv_into(buffer, nbytes)

    def makefile(self, mode: str = "rb", buffering: int | None = None, **_: Any) -> Any:
        return io.BufferedReader(_DeadlineReader(self), buffering or io.DEFAULT_BUFFER_SIZE)

    def close(self) -> None:
        """Ignored: http.client closes the connection while the response is still being read
        (a real socket defers that via reference counts); _Connection.release() closes."""

    def release(self) -> None:
        self._sock.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _DeadlineReader(io.RawIOBase):
    """Raw stream over _DeadlineSocket for the io.BufferedReader that http.client reads.

    Closing it leaves the socket open: the connection owns the socket and closes it."""

    def __init__(self, sock: _DeadlineSocket):
        super().__init__()
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._sock.recv_into(buffer)
