"""A real HTTP server on 127.0.0.1 for the fetcher and source tests, and a network guard.

Imported by tests/test_fetch.py and tests/test_sources.py (``from conftest_web import …``):

- ``web``: a threaded ``http.server`` on a free port of 127.0.0.1 whose robots.txt
  disallows ``/private/``; ``bare_web``: a second one (another "host") with no
  robots.txt (404); ``robots_down_web``: a third whose robots.txt answers 500.
  They serve the Global Voices pages and feed of tests/data (CC BY 3.0, see
  samples/html/NOTICE.md), a 404, a 500 that recovers after N tries, slow and trickling
  answers, redirect loops and chains, a huge body, a PDF, a PNG and generated feeds.
  Every request is logged with its time (monotonic) and headers.
- ``no_outside_network`` (autouse where imported): any connection or DNS look-up to
  anything but the loopback fails the test at once, so the tests can never leave
  127.0.0.1 even if a feed or page names another host.
"""
from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import parse_qs, urlsplit

import pytest

DATA = Path(__file__).parent / "data"
HTML = Path(__file__).parent.parent / "samples" / "html" / "globalvoices"   # CC BY 3.0, see samples/html/NOTICE.md
FEEDS = DATA / "feeds"
GV_FEED = FEEDS / "globalvoices_feature_2009.rss"

HUGE_BYTES = 50_000_000
CHUNK = 64 * 1024
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Hit:
    path: str
    query: str
    at: float           # time.monotonic() when the request arrived
    headers: dict


class WebServer:
    """A threaded HTTP/1.0 server on 127.0.0.1 with the routes of these tests."""

    def __init__(self, robots: Optional[str | int]) -> None:
        self.robots = robots
        self.hits: list[Hit] = []
        self.counts: Counter = Counter()
        self.sent: dict[str, int] = {}          # bytes written by the streaming routes
        self.done: dict[str, threading.Event] = {}
        self.lock = threading.Lock()
        self.pages = {name: (HTML / name).read_bytes() for name in ("index_1.html", "index_3.html", "home.html")}
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.app = self  # type: ignore[attr-defined]
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self.lock:
            return self.counts[path]

    def times(self, path: str) -> list[float]:
        with self.lock:
            return [h.at for h in self.hits if h.path == path]

    def wait_done(self, key: str, timeout: float = 10.0) -> None:
        self.done.setdefault(key, threading.Event()).wait(timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- content --------------------------------------------------------------------

    def gv_feed(self) -> bytes:
        """The Global Voices feed (3 items, full content), its item links on this server."""
        return GV_FEED.read_bytes().replace(b"<BASE_WEBSITE_URL/>", (self.base + "/").encode())

    def links_feed(self) -> bytes:
        items = [("Brazil: Amplified conversations", "/gv/index_1.html", "Thu, 11 Jun 2009 10:57:00 +0000"),
                 ("Iran: To Vote or not to Vote", "/gv/index_3.html", "Wed, 10 Jun 2009 16:56:04 +0000"),
                 ("A page that is gone", "/missing-article.html", "Tue, 09 Jun 2009 08:00:00 +0000"),
                 ("The home page", "/home.html", "Mon, 08 Jun 2009 08:00:00 +0000")]
        xml = "".join(f"<item><title>{t}</title><link>{self.base}{p}</link><pubDate>{d}</pubDate>"
                      f"<description>A short summary only.</description></item>" for t, p, d in items)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Links only</title>'
                f"<link>{self.base}/</link>{xml}</channel></rss>").encode()


def _article(title: str, paragraphs: int = 6) -> bytes:
    para = ("The minister said on Tuesday that the new law would be voted before the summer, "
            "and the opposition answered that it would fight it in every town of the country. ")
    body = "".join(f"<p>{para * 2}</p>\n" for _ in range(paragraphs))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


EMPTY_FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Nothing yet</title></channel></rss>'
ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Atom &amp;amp; news</title>
<link href="/"/>
<entry><title>Atom article</title><link rel="alternate" href="/atom/1.html"/><id>urn:uuid:1</id>
<updated>2024-03-05T10:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{p}</p><p>"We will not give in," the mayor said.</p></div></content>
</entry></feed>""".format(p="The city council met on Monday to discuss the budget of the coming year. " * 4).encode()


class _Handler(BaseHTTPRequestHandler):
    server_version = "porteparole-test"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass

    @property
    def app(self) -> WebServer:
        return self.server.app  # type: ignore[attr-defined]

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
             headers: Optional[dict] = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        app = self.app
        with app.lock:
            app.hits.append(Hit(path, parts.query, time.monotonic(), dict(self.headers)))
            app.counts[path] += 1
            key = path + "?" + parts.query if parts.query else path
            if parts.query:
                app.counts[key] += 1
            n_key = app.counts[key]
        route = ROUTES.get(path) or next((f for prefix, f in PREFIX_ROUTES if path.startswith(prefix)), None)
        if route is None:
            self.send(404, b"<html><body><h1>Not Found</h1></body></html>")
            return
        route(self, path, query, n_key)


def _robots(h: _Handler, path: str, q: dict, n: int) -> None:
    r = h.app.robots
    if r is None:
        h.send(404, b"not here", "text/plain")
    elif isinstance(r, int):
        h.send(r, b"broken", "text/plain")
    else:
        h.send(200, r.encode(), "text/plain")


def _gv(h: _Handler, path: str, q: dict, n: int) -> None:
    name = path.rsplit("/", 1)[-1]
    body = h.app.pages.get(name)
    h.send(200, body) if body else h.send(404, b"<html><body>no</body></html>")


def _flaky(h: _Handler, path: str, q: dict, n: int) -> None:
    # /flaky?key=K&fail=N: 500 for the first N requests of key K, then the article
    if n <= int(q.get("fail", ["1"])[0]):
        h.send(500, b"<html><body>oops</body></html>")
    else:
        h.send(200, h.app.pages["index_3.html"])


def _slow(h: _Handler, path: str, q: dict, n: int) -> None:
    time.sleep(float(q.get("s", ["1.0"])[0]))
    h.send(200, _article("Slow"))


def _trickle(h: _Handler, path: str, q: dict, n: int) -> None:
    # headers at once, then one byte every 0.05 s for 3 s: no single read ever times out
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    end = time.monotonic() + 3.0
    while time.monotonic() < end:
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.05)


def _loop(h: _Handler, path: str, q: dict, n: int) -> None:
    h.send(302, b"", headers={"Location": "/loop/b" if path == "/loop/a" else "/loop/a"})


def _chain(h: _Handler, path: str, q: dict, n: int) -> None:
    # /chain/K redirects to /chain/K-1 … /chain/0 is the article
    k = int(path.rsplit("/", 1)[-1])
    if k > 0:
        h.send(301, b"", headers={"Location": f"/chain/{k - 1}"})
    else:
        h.send(200, _article("End of the chain"))


def _huge(h: _Handler, path: str, q: dict, n: int) -> None:
    # /huge: 50 MB, no Content-Length; /huge-declared: the same with Content-Length
    app = h.app
    done = app.done.setdefault(path, threading.Event())
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    if path == "/huge-declared":
        h.send_header("Content-Length", str(HUGE_BYTES))
    h.end_headers()
    sent = 0
    chunk = b"<p>" + b"a" * (CHUNK - 7) + b"</p>\n"
    try:
        while sent < HUGE_BYTES:
            h.wfile.write(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
        pass
    finally:
        app.sent[path] = sent
        done.set()


def _static(body: bytes, ctype: str, status: int = 200) -> Callable:
    return lambda h, path, q, n: h.send(status, body, ctype)


ROUTES: dict[str, Callable] = {
    "/robots.txt": _robots,
    "/home.html": lambda h, path, q, n: h.send(200, h.app.pages["home.html"]),
    "/article.html": _static(_article("A plain article"), "text/html; charset=utf-8"),
    "/private/secret.html": _static(_article("Secret"), "text/html"),
    "/no-bots/page.html": _static(_article("No bots"), "text/html"),
    "/to-private": lambda h, path, q, n: h.send(302, b"", headers={"Location": "/private/secret.html"}),
    "/flaky": _flaky,
    "/always-500": _static(b"<html>down</html>", "text/html", 500),
    "/slow": _slow,
    "/trickle": _trickle,
    "/loop/a": _loop,
    "/loop/b": _loop,
    "/huge": _huge,
    "/huge-declared": _huge,
    "/report.pdf": _static(PDF, "application/pdf"),
    "/photo.png": _static(PNG, "image/png"),
    "/untyped-pdf": _static(PDF, ""),
    "/feeds/gv.rss": lambda h, path, q, n: h.send(200, h.app.gv_feed(), "application/rss+xml"),
    "/feeds/links.rss": lambda h, path, q, n: h.send(200, h.app.links_feed(), "application/rss+xml; charset=utf-8"),
    "/feeds/empty.rss": _static(EMPTY_FEED, "application/rss+xml"),
    "/feeds/atom.xml": _static(ATOM_FEED, "application/atom+xml"),
    "/feeds/not-a-feed.xml": _static(b"<?xml version='1.0'?><urlset><url>x</url></urlset>", "application/xml"),
}
PREFIX_ROUTES: list[tuple[str, Callable]] = [("/gv/", _gv), ("/chain/", _chain)]


@pytest.fixture(scope="session")
def web():
    """The main test server: robots.txt disallows /private/ for everyone, /no-bots/ for porteparole."""
    server = WebServer("User-agent: *\nDisallow: /private/\n\nUser-agent: porteparole\nDisallow: /private/\n"
                       "Disallow: /no-bots/\n")
    yield server
    server.close()


@pytest.fixture(scope="session")
def bare_web():
    """A second server (another host:port): no robots.txt at all (404)."""
    server = WebServer(None)
    yield server
    server.close()


@pytest.fixture(scope="session")
def robots_down_web():
    """A third server whose robots.txt answers 500 Internal Server Error."""
    server = WebServer(500)
    yield server
    server.close()


def _loopback(host: object) -> bool:
    return isinstance(host, str) and (host in LOOPBACK or host.startswith("127."))


@pytest.fixture(autouse=True)
def no_outside_network(monkeypatch):
    """Fail at once on any connection or name look-up beyond the loopback."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(host):
            raise AssertionError(f"test tried to reach {address}: tests never leave 127.0.0.1")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _loopback(host if isinstance(host, str) else host.decode()):
            raise AssertionError(f"test tried to resolve {host!r}: tests never leave 127.0.0.1")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
