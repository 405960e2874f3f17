"""The web pages (porteparole.serve.web) with the real app and a real SQLite store: search,
speakers, articles with highlights, readers' corrections with CSRF and rate limits, the
editors' review, export-gold, escaping, and no e-mail address in any answer."""
from __future__ import annotations

import html
import json
import re
import warnings

import pytest

with warnings.catch_warnings():     # starlette >= 1.x asks for httpx2 in its test client; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from porteparole import feedback as fb
from porteparole.cli import cli
from porteparole.evaluate import load_gold, score
from porteparole.models import Document
from porteparole.record import ingest
from porteparole.serve.chart import weekly_counts
from porteparole.serve.highlight import Mark, paragraphs
from porteparole.serve.web import RateLimiter, read_box
from porteparole.store import Store

TOKEN = "editor-token-42"
EMAILS = ["lectrice.secrete@example.org", "reader.hidden+tag@example.net"]

ARTICLES = [
    Document(id="w1", url="https://exemple.fr/w1", source="exemple.fr", published="2024-03-01", lang="fr",
             title="La réforme des retraites au Sénat",
             text=("La réforme des retraites au Sénat\n\n"
                   "« Nous ne reculerons pas sur la réforme », a déclaré Élisabeth Borne mardi devant les sénateurs.\n\n"
                   "Le ministre du Travail, Olivier Dussopt, a affirmé que le texte serait voté avant l'été.\n\n"
                   "« Le dialogue reste ouvert », a ajouté Élisabeth Borne.\n")),
    Document(id="w2", url="https://journal.fr/w2", source="journal.fr", published="2024-03-20", lang="fr",
             title="Retraites : la Première ministre insiste",
             text=("Retraites : la Première ministre insiste\n\n"
                   "« La réforme est nécessaire pour financer nos retraites », a déclaré Élisabeth Borne à Matignon.\n\n"
                   "« Ce projet est injuste et brutal », a répliqué Laurent Berger, secrétaire général de la CFDT.\n")),
    Document(id="w3", url="https://news.example.com/w3", source="news.example.com", published="2024-04-02", lang="en",
             title="NATO ministers meet",
             text=("NATO ministers meet\n\n"
                   "\"We will stand by Ukraine for as long as it takes,\" Jens Stoltenberg said on Tuesday.\n\n"
                   "The minister said that more air defence systems would be delivered.\n")),
    Document(id="xss", url="https://evil.example/xss", source="evil.example", published="2024-04-03", lang="fr",
             title="<script>window.__pwned = 1</script> Titre piégé",
             text=("Un article piégé\n\n"
                   "« <script>window.__pwned = 1</script> et <img src=x onerror=\"window.__pwned = 2\"> », "
                   "a déclaré Jean Dupont devant la presse.\n")),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory, extractor, extractor_en) -> str:
    path = str(tmp_path_factory.mktemp("web") / "record.db")
    with Store.open(path) as store:
        summary = ingest(store, ARTICLES[:2] + ARTICLES[3:], extractor)
        summary_en = ingest(store, ARTICLES[2:3], extractor_en)
    assert summary.stored == 3 and summary_en.stored == 1
    return path


def make_client(db: str, limit: tuple[int, float] = (50, 600.0)) -> TestClient:
    from porteparole.serve.api import create_app
    return TestClient(create_app(db, admin_token=TOKEN, comment_limit=limit), raise_server_exceptions=False,
                      base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    return make_client(db)


def article_id(client: TestClient, doc_id: str) -> int:
    items = client.get("/api/statements", params={"limit": 500}).json()["items"]
    by_url = {s["url"]: s["article_id"] for s in items}
    return by_url[next(d.url for d in ARTICLES if d.id == doc_id)]


def csrf_of(client: TestClient, page: str) -> str:
    r = client.get(page)
    token = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert token, "the page's forms carry a CSRF token"
    assert client.cookies.get("pp_csrf") == token.group(1)
    return token.group(1)


def post_feedback(client: TestClient, aid: int, idx: int, **fields) -> "object":
    data = {"csrf": csrf_of(client, f"/articles/{aid}"), "kind": "comment", "body": "Un commentaire.",
            "name": "Claire", "email": EMAILS[0]}
    data.update(fields)
    return client.post(f"/articles/{aid}/statements/{idx}/feedback", data={k: v for k, v in data.items() if v is not None},
                       follow_redirects=False)


# ---------------------------------------------------------------------- library parts
@pytest.mark.parametrize("q, expected", [
    ("réforme", ("réforme", None, None)),
    ("speaker:Borne réforme", ("réforme", "Borne", None)),
    ('speaker:"Borne" outlet:journal.fr', (None, "Borne", "journal.fr")),
    ("journal.fr", (None, None, "journal.fr")),
    ("Journal.FR", (None, None, "Journal.FR")),
    ('"exact phrase" OR mot', ('"exact phrase" OR mot', None, None)),
])
def test_search_box(q, expected):
    box = read_box(q, ["journal.fr", "exemple.fr"])
    assert (box.search, box.speaker, box.source) == expected


def test_highlight_segments_nest_and_keep_offsets():
    text = "Il a dit « A puis B ».\nSecond paragraphe."
    marks = [Mark(10, 19, "statement", 0), Mark(17, 18, "statement", 1), Mark(0, 2, "mention", 0), Mark(3, 8, "cue", 0)]
    paras = paragraphs(text, marks)
    assert len(paras) == 2
    assert "".join(s.text for s in paras[0]) == text.split("\n")[0]
    for seg in paras[0] + paras[1]:
        assert text[seg.start:seg.end] == seg.text
    inner = next(s for s in paras[0] if s.start == 17)
    assert inner.statement == 1                       # the nested statement wins over the one reporting it
    assert next(s for s in paras[0] if s.start == 0).mention == 0
    assert next(s for s in paras[0] if s.start == 3).cue == 0


def test_weekly_counts_fill_empty_weeks():
    weeks = weekly_counts(["2024-03-01", "2024-03-02", "2024-03-20T10:00:00Z", "not a date"])
    assert [n for _, n in weeks] == [2, 0, 0, 1]          # weeks of 26 Feb, 4, 11 and 18 March
    assert all(w.weekday() == 0 for w, _ in weeks)


def test_rate_limiter_window():
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")
    now[0] = 61
    assert limiter.allow("a")


# ---------------------------------------------------------------------- pages
@pytest.mark.parametrize("params, present, absent", [
    ({}, ["Élisabeth Borne", "Jens Stoltenberg"], []),
    ({"q": "reculerons"}, ["Nous ne reculerons pas"], ["Stoltenberg"]),
    ({"q": "reculerons", "lang": "en"}, [], ["Nous ne reculerons pas"]),
    ({"q": "speaker:Berger"}, ["injuste et brutal"], ["reculerons"]),
    ({"q": "journal.fr"}, ["financer nos retraites"], ["reculerons"]),
    ({"kind": "indirect"}, ["serait voté avant"], ["reculerons"]),
    ({"since": "2024-03-15", "until": "2024-03-31"}, ["financer nos retraites"], ["reculerons", "Stoltenberg"]),
    ({"q": "Ukraine", "lang": "en"}, ["stand by Ukraine"], []),
])
def test_search_page(client, params, present, absent):
    r = client.get("/", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = html.unescape(r.text)
    for words in present:
        assert words in page
    for words in absent:
        assert words not in page


def test_search_cards_link_speaker_and_article(client):
    r = client.get("/", params={"q": "reculerons"})
    aid = article_id(client, "w1")
    assert f'href="/articles/{aid}#s' in r.text
    assert re.search(r'href="/speakers/\d+">Élisabeth Borne</a>', r.text)
    assert "exemple.fr" in r.text and "2024-03-01" in r.text and "a déclaré" in r.text
    assert "« Nous ne reculerons pas sur la réforme »" in r.text      # French marks, accents as they are


def test_search_pages_with_a_cursor(db):
    from porteparole.serve import web
    client = make_client(db)
    old, web.PAGE = web.PAGE, 2
    try:
        seen, url = [], "/"
        while url:
            r = client.get(url)
            seen += re.findall(r'href="(/articles/\d+#s\d+)"', r.text)
            nxt = re.search(r'<a class="next" href="([^"]+)"', r.text)
            url = html.unescape(nxt.group(1)) if nxt else None
        total = client.get("/api/statements", params={"limit": 500}).json()["count"]
        assert len(seen) == total == len(set(seen))
    finally:
        web.PAGE = old


def test_bad_search_is_a_message_not_a_crash(client):
    r = client.get("/", params={"q": '"unbalanced'})
    assert r.status_code == 200 and "unbalanced quote" in r.text


def test_speaker_page_and_chart(client):
    speakers = client.get("/api/speakers").json()["items"]
    borne = next(s for s in speakers if s["name"] == "Élisabeth Borne")
    r = client.get(f"/speakers/{borne['id']}")
    assert r.status_code == 200
    assert "<h1>Élisabeth Borne</h1>" in r.text and f'src="/speakers/{borne["id"]}/chart.svg"' in r.text
    assert "Laurent Berger" in r.text                  # quoted beside her in the same article
    svg = client.get(f"/speakers/{borne['id']}/chart.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    bars = re.findall(r'id="week-(\d{4}-\d{2}-\d{2})-(\d+)"', svg.text)
    assert sum(int(n) for _, n in bars) == borne["statements"] == 3
    assert bars[0][0] == "2024-02-26" and len(bars) == 4          # weeks of 26 Feb … 18 Mar


def test_speakers_page_lists_them(client):
    r = client.get("/speakers")
    assert r.status_code == 200 and "Élisabeth Borne" in r.text and "Jens Stoltenberg" in r.text


def test_article_page_highlights_with_offsets(client, db):
    aid = article_id(client, "w1")
    r = client.get(f"/articles/{aid}")
    assert r.status_code == 200 and '<html lang="fr">' in r.text
    with Store.open(db) as store:
        art = store.article(aid)
        marks = store.statement_marks(aid)
    for s in art.statements:
        pieces = re.findall(rf'<span class="st c\d[^"]*" data-s="{s.idx}"[^>]*>([^<]*)</span>', r.text)
        assert html.unescape("".join(pieces)) == s.text          # every character of the statement, highlighted
        ms, me, cs, ce = marks[s.idx]
        if cs is not None:
            assert re.search(rf'class="[^"]*cue-mark[^"]*" data-s="{s.idx}"[^>]*>{re.escape(art.text[cs:ce])}<', r.text)
    assert 'href="https://exemple.fr/w1"' in r.text
    assert "Flag or comment" in r.text


@pytest.mark.parametrize("path, status, words", [
    ("/articles/99999", 404, "no article 99999"),
    ("/speakers/99999", 404, "no speaker 99999"),
    ("/nowhere", 404, "no such page"),
    ("/articles/abc", 400, "not right"),
])
def test_error_pages_are_pages(client, path, status, words):
    r = client.get(path)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert words.lower() in html.unescape(r.text).lower()


def test_api_errors_keep_their_shape(client):
    r = client.get("/api/articles/99999")
    assert r.status_code == 404 and r.json()["ok"] is False


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_untrusted_text_is_escaped_everywhere(client):
    aid = article_id(client, "xss")
    stored = client.get(f"/api/articles/{aid}").json()["article"]
    assert any("<script>" in s["text"] for s in stored["statements"])      # the hostile quote is a statement
    pages = [client.get(f"/articles/{aid}"), client.get("/", params={"q": "piégé"}), client.get("/"),
             client.get("/", params={"q": "speaker:Dupont"})]
    for r in pages:
        assert r.status_code == 200
        assert "<script>window" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in pages[0].text


# ---------------------------------------------------------------------- corrections and comments
@pytest.mark.parametrize("fields, missing", [
    ({"name": ""}, "your name is required"),
    ({"email": ""}, "e-mail address is required"),
    ({"email": "not-an-address"}, "not an e-mail address"),
    ({"body": "  "}, "the text is required"),
    ({"kind": "wrong_speaker", "value": ""}, "give the right speaker"),
    ({"kind": "wrong_span", "value": "des mots absents de l'article"}, "copy the right words exactly"),
    ({"kind": "shouting"}, "choose what is wrong"),
])
def test_feedback_requires_its_fields(client, fields, missing):
    aid = article_id(client, "w1")
    r = post_feedback(client, aid, 0, **fields)
    assert r.status_code == 400
    assert missing in html.unescape(r.text)
    for email in EMAILS:
        assert email not in r.text                      # not even echoed back into the form


def test_feedback_needs_csrf_and_same_origin(client):
    aid = article_id(client, "w1")
    good = {"kind": "comment", "body": "x", "name": "Claire", "email": EMAILS[0]}
    r = client.post(f"/articles/{aid}/statements/0/feedback", data={**good, "csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403 and "expired" in r.text
    token = csrf_of(client, f"/articles/{aid}")
    r = client.post(f"/articles/{aid}/statements/0/feedback", data={**good, "csrf": token},
                    headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 403 and "another site" in r.text


def test_feedback_is_rate_limited_per_client(db):
    client = make_client(db, limit=(2, 600.0))
    aid = article_id(client, "w1")
    assert post_feedback(client, aid, 0).status_code == 303
    assert post_feedback(client, aid, 0).status_code == 303
    r = post_feedback(client, aid, 0)
    assert r.status_code == 429 and "wait a few minutes" in r.text


def test_comment_shown_without_its_email(client):
    aid = article_id(client, "w2")
    r = post_feedback(client, aid, 0, body="Citation confirmée par la vidéo.", name="Amélie", email=EMAILS[1])
    assert r.status_code == 303 and r.headers["location"].startswith(f"/articles/{aid}?sent=0")
    page = client.get(r.headers["location"])
    assert "Citation confirmée par la vidéo." in page.text and "Amélie" in page.text and "an editor will review" in page.text
    assert_no_email_anywhere(client)


def assert_no_email_anywhere(client: TestClient) -> None:
    """Every page and API answer, searched for the addresses the tests submitted."""
    items = client.get("/api/statements", params={"limit": 500}).json()["items"]
    paths = ["/", "/speakers", "/admin", "/api/speakers", "/api/statements?format=csv", "/api/statements?format=jsonl",
             "/api/search?q=retraites", "/openapi.json"]
    paths += sorted({f"/articles/{s['article_id']}" for s in items} | {f"/api/articles/{s['article_id']}" for s in items})
    paths += sorted({f"/speakers/{s['speaker_id']}" for s in items if s["speaker_id"]}
                    | {f"/api/speakers/{s['speaker_id']}" for s in items if s["speaker_id"]})
    for path in paths:
        r = client.get(path)
        assert r.status_code == 200, path
        for email in EMAILS:
            assert email not in r.text, path


# ---------------------------------------------------------------------- editors
def sign_in(client: TestClient, token: str = TOKEN):
    return client.post("/admin/login", data={"csrf": csrf_of(client, "/admin"), "token": token}, follow_redirects=False)


def test_review_needs_the_token(db):
    client = make_client(db)
    assert "Editor's token" in client.get("/admin").text
    assert sign_in(client, "wrong").status_code == 403
    r = client.post("/admin/feedback/1", data={"csrf": csrf_of(client, "/admin"), "action": "accept"})
    assert r.status_code == 403 and "Editors only" in r.text


def test_corrections_reviewed_change_the_record_and_export_as_gold(db, runner, tmp_path, extractor):
    client = make_client(db)
    aid = article_id(client, "w1")
    art = client.get(f"/api/articles/{aid}").json()["article"]
    by_text = {s["text"]: s for s in art["statements"]}
    dussopt = next(s for s in art["statements"] if "serait voté" in s["text"])
    first = by_text["Nous ne reculerons pas sur la réforme"]
    wrong = [("wrong_speaker", dussopt["idx"], "Olivier Véran"),
             ("wrong_span", first["idx"], "Nous ne reculerons pas"),
             ("not_statement", next(s["idx"] for s in art["statements"] if "dialogue" in s["text"]), None)]
    for kind, idx, value in wrong:
        assert post_feedback(client, aid, idx, kind=kind, value=value, body="Vérifié.").status_code == 303
    assert sign_in(client).status_code == 303
    admin = client.get("/admin")
    assert "Waiting for review" in admin.text and "Olivier Véran" in admin.text
    with Store.open(db) as store:
        pending = [f for f in fb.feedback(store, article_id=aid, status="pending") if f.kind != "comment"]
    for f in pending:
        r = client.post(f"/admin/feedback/{f.id}", data={"csrf": csrf_of(client, "/admin"), "action": "accept"},
                        follow_redirects=False)
        assert r.status_code == 303
    after = client.get(f"/api/articles/{aid}").json()["article"]
    texts = {s["text"]: s for s in after["statements"]}
    assert texts[dussopt["text"]]["speaker"] == "Olivier Véran"
    assert "Nous ne reculerons pas" in texts and first["text"] not in texts
    assert after["text"][texts["Nous ne reculerons pas"]["start"]:texts["Nous ne reculerons pas"]["end"]] == "Nous ne reculerons pas"
    assert not any("dialogue" in t for t in texts)
    assert "Olivier Véran" in client.get("/", params={"q": "speaker:Véran"}).text
    r = client.post(f"/admin/articles/{aid}/reviewed", data={"csrf": csrf_of(client, "/admin")}, follow_redirects=False)
    assert r.status_code == 303
    out = tmp_path / "gold"
    result = runner.invoke(cli, ["export-gold", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    gold = load_gold(out)
    assert len(gold) == 1
    record = next(iter(gold.values()))
    assert record["text"] == after["text"] and {s["speaker"] for s in record["statements"]} >= {"Olivier Véran"}
    for s in record["statements"]:
        assert record["text"][s["start"]:s["start"] + len(s["span"])] == s["span"]
    # the exported file is test data: scored against the extractor, the readers' corrections now count against it
    doc = next(d for d in ARTICLES if d.id == "w1")
    extracted = extractor.extract(doc)
    predicted = {record["id"]: [{"start": s.start, "end": s.end, "speaker": s.speaker, "kind": s.kind}
                                for s in extracted.statements]}
    result = score(gold, predicted)
    assert result.detection["fp"] == 1                      # the statement readers said is not one
    assert result.attribution_accuracy < 1.0                # the speaker readers corrected
    assert json.loads((out / f"{record['id']}.json").read_text(encoding="utf-8"))["id"] == "w1"


def test_rejected_comment_is_hidden(db):
    client = make_client(db)
    aid = article_id(client, "w3")
    assert post_feedback(client, aid, 0, body="Spam spam spam", name="Bot").status_code == 303
    assert "Spam spam spam" in client.get(f"/articles/{aid}").text
    sign_in(client)
    with Store.open(db) as store:
        item = next(f for f in fb.feedback(store, article_id=aid) if f.body == "Spam spam spam")
    client.post(f"/admin/feedback/{item.id}", data={"csrf": csrf_of(client, "/admin"), "action": "reject"})
    assert "Spam spam spam" not in client.get(f"/articles/{aid}").text
    with pytest.raises(fb.FeedbackError, match="already rejected"):
        with Store.open(db) as store:
            fb.review(store, item.id, accept=True)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_feedback_review_on_both_backends(backend, tmp_path, extractor, request):
    """The same corrections, applied by the library on SQLite and on PostgreSQL."""
    target = str(tmp_path / "fb.db") if backend == "sqlite" else request.getfixturevalue("pg_database")("feedback")
    with Store.open(target) as store:
        ingest(store, ARTICLES[:1], extractor)
        aid = store.quotes(limit=1)[0].article_id
        art = store.article(aid)
        idx = next(s.idx for s in art.statements if "serait voté" in s.text)
        item = fb.add_feedback(store, aid, idx, "wrong_speaker", "C'est Olivier Véran.", "Claire", EMAILS[0], value="Olivier Véran")
        assert item.status == "pending" and not hasattr(item, "email")
        fb.review(store, item.id, accept=True)
        assert [s.speaker for s in store.quotes(fb_filter(speaker="Véran"), limit=None)] == ["Olivier Véran"]
        assert store.quotes(fb_filter(search="Véran"), limit=None)          # the search index follows the correction
        gone = fb.add_feedback(store, aid, 0, "not_statement", "Titre.", "Claire", EMAILS[0])
        fb.review(store, gone.id, accept=True)
        assert 0 not in {s.idx for s in store.article(aid).statements}
        fb.mark_reviewed(store, aid)
        assert fb.reviewed_articles(store) == [aid]
        assert fb.gold_record(store.article(aid))["statements"]


def fb_filter(**kw):
    from porteparole.store import QuoteFilter
    return QuoteFilter(**kw)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_page_on_both_backends(backend, tmp_path, extractor, request):
    """Each page and listing answers from a SQLite file and from PostgreSQL alike."""
    from porteparole.serve.api import create_app

    target = str(tmp_path / "pages.db") if backend == "sqlite" else request.getfixturevalue("pg_database")("pages")
    with Store.open(target) as store:
        ingest(store, ARTICLES[:2], extractor)
        first = store.quotes(limit=1)[0]
    client = TestClient(create_app(target, admin_token=TOKEN), raise_server_exceptions=False, base_url="http://127.0.0.1")
    pages = {"/": "Élisabeth Borne", "/?q=retraites": "retraites", "/speakers": "Laurent Berger",
             f"/speakers/{first.speaker_id}": "Statements per week", f"/articles/{first.article_id}": "Flag or comment",
             f"/quotations/{first.quotation_id}": "Occurrences", "/commitments": "Commitments", "/admin": "Editor's token"}
    for path, words in pages.items():
        r = client.get(path)
        assert r.status_code == 200 and words in html.unescape(r.text), path
    assert client.get(f"/speakers/{first.speaker_id}/chart.svg").headers["content-type"].startswith("image/svg+xml")
