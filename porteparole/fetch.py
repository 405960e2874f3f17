"""Polite HTTP fetching: time-outs, a size cap, a redirect limit, robots.txt, a per-host
delay and retries with backoff.

This is the only module of porteparole that touches the network.  A :class:`Fetcher`
returns a :class:`Fetched` page or raises :class:`~porteparole.errors.FetchError`
whose ``reason`` tells the user what happened ("404 Not Found", "timed out after 10 s",
"disallowed by robots.txt", "body over the 5 MB limit", "not HTML (application/pdf)").

- The body is streamed and reading stops as soon as it passes ``max_bytes`` (a
  ``Content-Length`` over the cap is refused before any of the body is read).
- ``timeout`` bounds every network operation *and* the whole of one attempt (a server
  that trickles bytes forever still times out).
- Redirects are followed by hand, up to ``max_redirects``, so that a loop is named as
  such and robots.txt and the per-host delay apply to every hop.
- robots.txt is fetched once per host with the same client, and parsed with
  :mod:`urllib.robotparser`; one that is missing (4xx) allows everything, one that
  cannot be read (5xx, time-out, no connection) stops the fetch with that reason.
- Two requests to the same host (``host:port``) are at least ``delay`` seconds apart,
  measured on a monotonic clock from the end of the previous one.
- 5xx answers, time-outs and connection errors are tried again ``retries`` times,
  after ``backoff``, ``2 * backoff``, ``4 * backoff``… seconds; nothing else is.
"""
from __future__ import annotations

import http
import time
from dataclasses import dataclass, field
from typing import Callable, Collection, Mapping, Optional, Union
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .errors import FetchError

__all__ = ["FetchConfig", "Fetcher", "Fetched", "FetchError", "HTML_TYPES", "FEED_TYPES", "UNKNOWN_TYPES", "size_text"]


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("porteparole")
    except Exception:  # not installed (running from a source tree)
        return "0"


USER_AGENT = f"porteparole/{_version()} (who-said-what extractor)"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/feed+json", "application/json",
})
# Servers that do not say what they send: the caller sniffs the body.
UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: crawlers parse at least the first 500 KiB
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchConfig:
    """How to fetch: every limit and courtesy of :class:`Fetcher`."""

    timeout: float = 10.0             # seconds, per network operation and per attempt
    max_bytes: int = 5_000_000        # largest body read (after content decoding)
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    delay: float = 1.0                # seconds between two requests to the same host
    retries: int = 2                  # further tries after a 5xx, a time-out or a connection error
    backoff: float = 0.5              # seconds before the first retry, doubled at each one
    respect_robots: bool = True

    def __post_init__(self) -> None:
        for name in ("timeout", "max_bytes"):
            if not getattr(self, name) > 0:
                raise ValueError(f"FetchConfig.{name} must be positive, not {getattr(self, name)!r}")
        for name in ("max_redirects", "delay", "retries", "backoff"):
            if getattr(self, name) < 0:
                raise ValueError(f"FetchConfig.{name} cannot be negative, not {getattr(self, name)!r}")


@dataclass(frozen=True)
class Fetched:
    """A page as fetched: the final URL after redirects, its status, media type and body."""

    url: str
    status: int
    content_type: str                 # media type only, lower case ("text/html"); "" when not given
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def charset(self) -> Optional[str]:
        """The charset named in the Content-Type header, if any."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class _Retry(Exception):
    """An attempt failed in a way that may go away: try again (internal)."""

    def __init__(self, reason: str, status: Optional[int] = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class _Redirect:
    location: str
    status: int


class Fetcher:
    """Fetch pages politely.  Use as a context manager (or call :meth:`close`)::

        with Fetcher(FetchConfig(delay=2.0)) as fetcher:
            page = fetcher.get("https://example.org/article")
    """

    def __init__(self, config: Optional[FetchConfig] = None, *, transport: Optional[httpx.BaseTransport] = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config or FetchConfig()
        self._client = httpx.Client(
            headers={"User-Agent": self.config.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                               "application/feed+json,application/xml;q=0.9,*/*;q=0.8"},
            timeout=httpx.Timeout(self.config.timeout),
            follow_redirects=False,
            transport=transport,
        )
        self._sleep = sleep
        self._clock = clock
        self._last: dict[str, float] = {}                       # host -> end of its last request
        self._robots: dict[str, Union[RobotFileParser, FetchError]] = {}

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- public ---------------------------------------------------------------------

    def get(self, url: str, accept: Optional[Collection[str]] = None) -> Fetched:
        """Fetch ``url`` (following redirects) and return the page.

        ``accept``: media types the caller can use; any other one raises
        ``FetchError(url, "not HTML (<type>)")`` before the body is read.  ``None``
        accepts everything.  Raises :class:`FetchError` for every failure.
        """
        return self._get(url, accept, robots=self.config.respect_robots, max_bytes=self.config.max_bytes)

    # -- internals ------------------------------------------------------------------

    def _get(self, url: str, accept: Optional[Collection[str]], robots: bool, max_bytes: int,
             truncate: bool = False) -> Fetched:
        _check_url(url)
        chain = [url]
        current = url
        while True:
            if robots:
                self._check_robots(url, current)
            result = self._with_retries(url, current, accept, max_bytes, truncate)
            if isinstance(result, Fetched):
                return result
            target = urljoin(current, result.location)
            if target in chain:
                raise FetchError(url, "redirect loop (" + " → ".join(chain[chain.index(target):] + [target]) + ")",
                                 status=result.status)
            if len(chain) > self.config.max_redirects:
                raise FetchError(url, f"more than {self.config.max_redirects} redirects", status=result.status)
            try:
                _check_url(target)
            except FetchError:
                raise FetchError(url, f"redirected to {target}, which is not an http(s) URL", status=result.status) from None
            chain.append(target)
            current = target

    def _with_retries(self, url: str, current: str, accept: Optional[Collection[str]], max_bytes: int,
                      truncate: bool) -> Union[Fetched, _Redirect]:
        cfg = self.config
        tries = max(0, cfg.retries) + 1
        for attempt in range(tries):
            if attempt:
                self._sleep(cfg.backoff * 2 ** (attempt - 1))
            try:
                return self._once(url, current, accept, max_bytes, truncate)
            except _Retry as e:
                last = e
        suffix = f" ({tries} tries)" if tries > 1 else ""
        raise FetchError(url, last.reason + suffix, status=last.status, transient=True)

    def _once(self, url: str, current: str, accept: Optional[Collection[str]], max_bytes: int,
              truncate: bool) -> Union[Fetched, _Redirect]:
        cfg = self.config
        host = _host(current)
        self._wait(host)
        deadline = self._clock() + cfg.timeout
        timed_out = f"timed out after {cfg.timeout:g} s"
        try:
            with self._client.stream("GET", current) as r:
                status = r.status_code
                if status in _REDIRECTS and r.headers.get("location"):
                    return _Redirect(r.headers["location"], status)
                if status >= 500:
                    raise _Retry(_status_text(r), status)
                if status >= 400:
                    raise FetchError(url, _status_text(r), status=status)
                if not 200 <= status < 300:
                    raise FetchError(url, f"unexpected answer {_status_text(r)}", status=status)
                media = r.headers.get("content-type", "").split(";")[0].strip().lower()
                if accept is not None and media not in accept and media not in UNKNOWN_TYPES:
                    raise FetchError(url, f"not HTML ({media})", status=status)
                declared = r.headers.get("content-length", "")
                if not truncate and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(url, f"body over the {size_text(max_bytes)} limit "
                                          f"({size_text(int(declared))} announced)", status=status)
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        if truncate:
                            del body[max_bytes:]
                            break
                        raise FetchError(url, f"body over the {size_text(max_bytes)} limit", status=status)
                    if self._clock() > deadline:
                        raise _Retry(timed_out)
                headers = {k.lower(): v for k, v in r.headers.items()}
                return Fetched(url=str(r.url), status=status, content_type=media, body=bytes(body), headers=headers)
        except httpx.TimeoutException:
            raise _Retry(timed_out) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as e:
            raise FetchError(url, f"invalid URL ({e})") from None
        except httpx.ConnectError as e:
            raise _Retry(f"cannot connect ({_strerror(e)})") from None
        except httpx.TransportError as e:  # connection reset, protocol error…
            raise _Retry(f"network error ({_strerror(e)})") from None
        except httpx.DecodingError as e:
            raise FetchError(url, f"the body could not be decoded ({_strerror(e)})") from None
        except httpx.HTTPError as e:
            raise FetchError(url, f"request failed ({_strerror(e)})") from None
        finally:
            self._last[host] = self._clock()

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is None or self.config.delay <= 0:
            return
        pause = last + self.config.delay - self._clock()
        if pause > 0:
            self._sleep(pause)

    def _check_robots(self, url: str, current: str) -> None:
        parts = urlsplit(current)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        rules = self._robots.get(key)
        if rules is None:
            rules = self._robots[key] = self._load_robots(key)
        if isinstance(rules, FetchError):
            raise FetchError(url, f"robots.txt of {parts.netloc} could not be read ({rules.reason})",
                             status=rules.status, transient=rules.transient)
        if not rules.can_fetch(self.config.user_agent, current):
            raise FetchError(url, "disallowed by robots.txt" + (f" ({current})" if current != url else ""))

    def _load_robots(self, base: str) -> Union[RobotFileParser, FetchError]:
        rules = RobotFileParser(base + "/robots.txt")
        try:
            page = self._get(base + "/robots.txt", None, robots=False, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        except FetchError as e:
            if e.transient:  # RFC 9309 "unreachable": do not crawl
                return e
            rules.allow_all = True  # missing (4xx), or a redirect mess: no rules
            return rules
        rules.parse(page.body.decode("utf-8", "replace").splitlines())
        return rules


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise FetchError(url, f"invalid URL ({e})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "not an http:// or https:// URL")


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _status_text(r: httpx.Response) -> str:
    phrase = r.reason_phrase
    if not phrase:
        try:
            phrase = http.HTTPStatus(r.status_code).phrase
        except ValueError:
            phrase = ""
    return f"{r.status_code} {phrase}".strip()


def _strerror(e: Exception) -> str:
    text = str(e).strip()
    if "] " in text and text.startswith("[Errno"):
        text = text.split("] ", 1)[1]
    return text or e.__class__.__name__


def size_text(n: int) -> str:
    """A size for a message: ``5 MB``, ``100 kB``, ``512 bytes``."""
    if n >= 1_000_000:
        return f"{n / 1e6:.3g} MB"
    if n >= 1_000:
        return f"{n / 1e3:.3g} kB"
    return f"{n} bytes"
