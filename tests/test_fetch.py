"""The fetcher against a real HTTP server on 127.0.0.1 (tests/conftest_web.py)."""
from __future__ import annotations

import socket
import time
import uuid

import pytest

from conftest_web import HUGE_BYTES, bare_web, no_outside_network, robots_down_web, web  # noqa: F401 (fixtures)
from porteparole.errors import FetchError, PorteparoleError
from porteparole.fetch import HTML_TYPES, FetchConfig, Fetched, Fetcher, size_text

# Short limits: the whole file runs in a few seconds.
FAST = FetchConfig(timeout=2.0, delay=0.0, retries=0, backoff=0.01)


def fetcher(**changes) -> Fetcher:
    return Fetcher(FetchConfig(**{**FAST.__dict__, **changes}))


def fails(f: Fetcher, url: str, **kw) -> FetchError:
    with pytest.raises(FetchError) as info:
        f.get(url, **kw)
    assert info.value.url == url
    assert str(info.value) == f"{url}: {info.value.reason}"
    return info.value


def test_defaults_are_the_documented_ones():
    c = FetchConfig()
    assert (c.timeout, c.max_bytes, c.max_redirects, c.delay, c.retries, c.backoff, c.respect_robots) == (
        10.0, 5_000_000, 5, 1.0, 2, 0.5, True)
    assert c.user_agent.startswith("porteparole/") and "who-said-what extractor" in c.user_agent
    assert issubclass(FetchError, PorteparoleError)
    assert size_text(5_000_000) == "5 MB" and size_text(100_000) == "100 kB" and size_text(512) == "512 bytes"


def test_good_page(web):
    with fetcher() as f:
        page = f.get(web.url("/gv/index_1.html"))
    assert isinstance(page, Fetched)
    assert page.status == 200 and page.url == web.url("/gv/index_1.html")
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert page.body == web.pages["index_1.html"]
    assert page.headers["content-type"].startswith("text/html")


def test_clear_user_agent(web):
    with fetcher() as f:
        f.get(web.url("/article.html?ua=1"))
    hit = [h for h in web.hits if h.path == "/article.html" and h.query == "ua=1"][-1]
    assert hit.headers["User-Agent"] == FetchConfig().user_agent


def test_404_is_not_retried(web):
    before = web.count("/nowhere.html")
    with fetcher(retries=2) as f:
        e = fails(f, web.url("/nowhere.html"))
    assert e.reason == "404 Not Found" and e.status == 404 and not e.transient
    assert web.count("/nowhere.html") == before + 1


def test_500_then_success_on_retry(web):
    key = uuid.uuid4().hex
    url = web.url(f"/flaky?key={key}&fail=2")
    with fetcher(retries=2, backoff=0.05) as f:
        page = f.get(url)
    assert page.status == 200
    assert web.count(f"/flaky?key={key}&fail=2") == 3
    t = [h.at for h in web.hits if h.query == f"key={key}&fail=2"]
    assert t[1] - t[0] >= 0.05 and t[2] - t[1] >= 0.10  # exponential backoff


def test_500_for_good_is_reported_after_the_retries(web):
    before = web.count("/always-500")
    with fetcher(retries=1) as f:
        e = fails(f, web.url("/always-500"))
    assert e.reason == "500 Internal Server Error (2 tries)" and e.status == 500 and e.transient
    assert web.count("/always-500") == before + 2


def test_slow_response_times_out(web):
    before = web.count("/slow")
    with fetcher(timeout=0.3, retries=1) as f:
        t0 = time.monotonic()
        e = fails(f, web.url("/slow?s=1.5"))
        elapsed = time.monotonic() - t0
    assert e.reason == "timed out after 0.3 s (2 tries)" and e.transient
    assert web.count("/slow") == before + 2  # time-outs are retried
    assert elapsed < 1.5


def test_a_body_that_trickles_forever_still_times_out(web):
    with fetcher(timeout=0.5) as f:
        t0 = time.monotonic()
        e = fails(f, web.url("/trickle"))
    assert e.reason == "timed out after 0.5 s"
    assert time.monotonic() - t0 < 2.0


def test_redirect_loop(web):
    with fetcher() as f:
        e = fails(f, web.url("/loop/a"))
    assert e.reason.startswith("redirect loop (")
    assert web.url("/loop/b") in e.reason


def test_redirect_limit(web):
    with fetcher(max_redirects=5) as f:
        page = f.get(web.url("/chain/5"))
        assert page.url == web.url("/chain/0")  # the final URL
        e = fails(f, web.url("/chain/6"))
    assert e.reason == "more than 5 redirects"


def test_huge_body_is_cut_short(web):
    with fetcher(max_bytes=100_000) as f:
        e = fails(f, web.url("/huge"))
    assert e.reason == "body over the 100 kB limit"
    web.wait_done("/huge")
    assert web.sent["/huge"] < HUGE_BYTES / 5  # the client hung up long before the end (socket buffers aside)


def test_huge_declared_body_is_refused_before_reading(web):
    with fetcher(max_bytes=100_000) as f:
        e = fails(f, web.url("/huge-declared"))
    assert e.reason == "body over the 100 kB limit (50 MB announced)"
    web.wait_done("/huge-declared")
    assert web.sent["/huge-declared"] < HUGE_BYTES / 2


@pytest.mark.parametrize("path, media", [("/report.pdf", "application/pdf"), ("/photo.png", "image/png")])
def test_non_html_body(web, path, media):
    with fetcher() as f:
        e = fails(f, web.url(path), accept=HTML_TYPES)
        assert e.reason == f"not HTML ({media})"
        page = f.get(web.url(path))  # without `accept`, anything is returned
    assert page.content_type == media and page.body[:4] in (b"%PDF", b"\x89PNG")


def test_robots_txt_disallows(web):
    with fetcher() as f:
        before = web.count("/private/secret.html")
        e = fails(f, web.url("/private/secret.html"))
        assert e.reason == "disallowed by robots.txt"
        e = fails(f, web.url("/no-bots/page.html"))  # the group for our product token
        assert e.reason == "disallowed by robots.txt"
        f.get(web.url("/article.html"))
        assert web.count("/private/secret.html") == before  # never requested
    with fetcher(respect_robots=False) as f:
        assert f.get(web.url("/private/secret.html")).status == 200


def test_robots_txt_is_read_once_per_host(web, bare_web):
    before_a, before_b = web.count("/robots.txt"), bare_web.count("/robots.txt")
    with fetcher() as f:
        for _ in range(3):
            f.get(web.url("/article.html"))
            f.get(bare_web.url("/article.html"))  # robots.txt 404: everything allowed
    assert web.count("/robots.txt") == before_a + 1
    assert bare_web.count("/robots.txt") == before_b + 1


def test_robots_txt_that_cannot_be_read_stops_the_fetch(robots_down_web):
    with fetcher() as f:
        e = fails(f, robots_down_web.url("/article.html"))
    assert e.reason.startswith("robots.txt of 127.0.0.1:") and e.reason.endswith(
        "could not be read (500 Internal Server Error)")
    assert robots_down_web.count("/article.html") == 0


def test_robots_txt_applies_to_redirect_targets(web):
    before = web.count("/private/secret.html")
    with fetcher() as f:
        e = fails(f, web.url("/to-private"))
    assert e.reason == f"disallowed by robots.txt ({web.url('/private/secret.html')})"
    assert web.count("/to-private") >= 1 and web.count("/private/secret.html") == before


def test_per_host_delay(web, bare_web):
    with fetcher(delay=0.3, respect_robots=False) as f:
        f.get(web.url("/article.html?delay=1"))
        t0 = time.monotonic()
        f.get(bare_web.url("/article.html?delay=1"))  # another host: no wait
        other_host = time.monotonic() - t0
        f.get(web.url("/article.html?delay=2"))
    first = [h.at for h in web.hits if h.query == "delay=1"][-1]
    second = [h.at for h in web.hits if h.query == "delay=2"][-1]
    assert second - first >= 0.3
    assert other_host < 0.3


def test_delay_applies_between_robots_txt_and_the_page(bare_web):
    with fetcher(delay=0.2) as f:
        f.get(bare_web.url("/article.html?robots-delay=1"))
    robots = bare_web.times("/robots.txt")[-1]
    page = [h.at for h in bare_web.hits if h.query == "robots-delay=1"][-1]
    assert page - robots >= 0.2


def test_connection_refused_is_retried_then_reported():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nobody listens there
    with fetcher(retries=1, respect_robots=False) as f:
        e = fails(f, f"http://127.0.0.1:{port}/x.html")
    assert e.reason.startswith("cannot connect (") and e.reason.endswith("(2 tries)") and e.transient


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "http://", "not a url"])
def test_not_an_http_url(url):
    with fetcher() as f:
        e = fails(f, url)
    assert e.reason == "not an http:// or https:// URL"


def test_guard_refuses_outside_addresses():
    with pytest.raises(AssertionError, match="never leave 127.0.0.1"):
        socket.getaddrinfo("example.org", 80)


@pytest.mark.parametrize("field, value", [("timeout", 0), ("max_bytes", -1), ("retries", -1), ("delay", -0.5)])
def test_config_is_checked(field, value):
    with pytest.raises(ValueError, match=field):
        FetchConfig(**{field: value})
