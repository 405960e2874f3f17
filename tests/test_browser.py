"""The web pages in a real browser: Playwright driving Debian's Chromium against
``porteparole serve``'s app on 127.0.0.1, with a record of the bundled sample articles.

Screenshots of each page go to ``test-output/screenshots/`` (``PORTEPAROLE_TEST_OUTPUT``
to choose another folder)."""
from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from porteparole.ingest import read_file
from porteparole.models import Document
from porteparole.record import ingest
from porteparole.store import Store

ROOT = Path(__file__).parent.parent
OUTPUT = Path(os.environ.get("PORTEPAROLE_TEST_OUTPUT", ROOT / "test-output")) / "screenshots"
CHROMIUM = os.environ.get("PORTEPAROLE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio"]
TOKEN = "browser-editor-token"
EMAIL = "temoin.discret@example.org"
SAMPLES = ["fr-0000-kremlin-garanties.json", "winer-fr-2016_01_01-002.json", "winer-fr-2016_01_12-002.json"]
XSS = Document(id="xss", url="https://evil.example/xss", source="evil.example", published="2024-04-03", lang="fr",
               title="Un article <b>piégé</b>",
               text=("Un article piégé\n\n"
                     "« <script>window.__pwned = 1</script> et <img src=x onerror=\"window.__pwned = 2\"> », "
                     "a déclaré Jean Dupont devant la presse.\n"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, extractor) -> Iterator[str]:
    """The app on a real HTTP server on 127.0.0.1, over a record of three sample articles and a hostile one."""
    import uvicorn

    from porteparole.serve.api import create_app

    db = str(tmp_path_factory.mktemp("browser") / "record.db")
    docs = [d for name in SAMPLES for d in read_file(ROOT / "samples" / "fr" / name)] + [XSS]
    with Store.open(db) as store:
        assert ingest(store, docs, extractor).stored == len(docs)
    port = free_port()
    config = uvicorn.Config(create_app(db, admin_token=TOKEN, extractor=extractor), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a browser of Playwright's own download)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: run the tests with `make test` (it installs Debian's chromium),"
                    " or `apt-get install chromium`, or set PORTEPAROLE_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page whose console errors and dialogs are recorded; requests outside 127.0.0.1 are refused."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fr-FR")
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    pg = context.new_page()
    pg.errors, pg.dialogs = [], []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=False)


def test_search_finds_a_sample_statement(page, server):
    page.goto(server + "/")
    page.fill("input[name=q]", "transmettrons")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"q=transmettrons"))
    cards = page.locator("article.card")
    assert cards.count() >= 1
    putin = cards.filter(has=page.locator("a.speaker", has_text="Vladimir Poutine"))
    assert putin.count() == 1
    text = putin.first.inner_text()
    assert "transmettrons au cours de la semaine" in text and "237online.com" in text
    page.goto(server + "/?q=Kremlin")
    shot(page, "search")
    assert not page.errors, page.errors


def test_speaker_page_shows_its_chart(page, server):
    page.goto(server + "/?q=" + "speaker:Peskov")
    page.locator("a.speaker", has_text="Dmitri Peskov").first.click()
    page.wait_for_url(re.compile(r"/speakers/\d+$"))
    assert page.locator("h1").inner_text() == "Dmitri Peskov"
    chart = page.locator("img#chart")
    chart.wait_for()
    page.wait_for_function("document.getElementById('chart').complete")
    width = page.evaluate("document.getElementById('chart').naturalWidth")
    assert width > 100, "the chart image was drawn"
    svg = page.request.get(server + chart.get_attribute("src")).text()
    counts = [int(n) for n in re.findall(r'id="week-\d{4}-\d{2}-\d{2}-(\d+)"', svg)]
    shown = int(re.search(r"(\d+) statements in", page.locator(".counts").inner_text()).group(1))
    assert sum(counts) == shown >= 1
    shot(page, "speaker")
    assert not page.errors, page.errors


def test_article_page_highlights_statements(page, server):
    page.goto(server + "/?q=transmettrons")
    page.locator("a.article-link").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+"))
    highlighted = page.locator(".text span.st")
    assert highlighted.count() >= 6
    colour = highlighted.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    underlined = page.locator(".text .mention").first.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert "underline" in underlined
    target = page.locator(".text span.st", has_text="transmettrons").first
    assert "Vladimir Poutine" in target.get_attribute("title")            # hover
    target.click()                                                           # tap
    popover = page.locator("#popover")
    popover.wait_for(state="visible")
    assert "Vladimir Poutine" in popover.inner_text()
    shot(page, "article")
    page.set_viewport_size({"width": 390, "height": 844})                  # a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    assert "«" in page.locator(".text").inner_text()
    shot(page, "article-phone")
    assert not page.errors, page.errors


def test_comment_is_submitted_and_its_email_is_nowhere(page, server):
    page.goto(server + "/?q=transmettrons")
    page.locator("a.article-link").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+"))
    item = page.locator("ol.statement-list > li").first
    item.locator("summary", has_text="Flag or comment").click()
    form = item.locator("form.feedback")
    form.locator("button[type=submit]").click()                 # empty: the server says what is required
    page.wait_for_load_state()
    assert "your name is required" in page.content()
    assert page.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.errors.clear()
    item = page.locator("ol.statement-list > li").first
    form = item.locator("form.feedback")
    form.locator("input[value=comment]").check()
    form.locator("textarea[name=body]").fill("Propos confirmés par l'agence TASS, à vérifier.")
    form.locator("input[name=name]").fill("Brigitte")
    form.locator("input[name=email]").fill(EMAIL)
    shot(page, "comment-form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"sent=\d+"))
    assert "Thank you" in page.content() and "Propos confirmés par l'agence TASS" in page.content()
    article_url = page.url.split("?")[0]
    seen = [page.content()]
    for path in ["/", "/speakers", "/admin", "/api/statements?limit=500", "/api/statements?format=csv",
                 "/api/speakers", "/openapi.json", article_url.replace(server, "")]:
        seen.append(page.request.get(server + path).text())
    aid = article_url.rsplit("/", 1)[1]
    seen.append(page.request.get(f"{server}/api/articles/{aid}").text())
    for text in seen:
        assert EMAIL not in text
    assert not page.errors, page.errors


def test_hostile_article_is_inert(page, server):
    statements = json.loads(page.request.get(server + "/api/statements?speaker=Dupont").text())["items"]
    assert statements and "<script>" in statements[0]["text"]
    aid = statements[0]["article_id"]
    for path in [f"/articles/{aid}", "/?q=speaker:Dupont", "/", f"/speakers/{statements[0]['speaker_id']}"]:
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator("img[src=x]").count() == 0, path
        assert page.locator("main script").count() == 0, path
    page.goto(f"{server}/articles/{aid}")
    assert "<script>window.__pwned = 1</script>" in page.locator(".text").inner_text()
    assert "<b>piégé</b>" in page.locator("h1").inner_text()
    assert not page.dialogs
    shot(page, "hostile-article")


def test_commitments_page_lists_the_promise(page, server):
    page.goto(server + "/commitments")
    card = page.locator("article.commitment", has_text="transmettrons au cours de la semaine")
    assert card.count() == 1
    assert card.locator(".badge").inner_text().strip().lower() == "open"     # no publication date: no deadline passed
    assert "Vladimir Poutine" in card.inner_text()
    shot(page, "commitments")
    assert not page.errors, page.errors
