"""The JSON API (porteparole.serve): endpoints, filters, cursors, formats, the error shape, the token."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import warnings

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():     # starlette >= 1.x asks for httpx2 in its test client; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from porteparole.models import Document  # noqa: E402
from porteparole.record import ingest  # noqa: E402
from porteparole.serve.api import create_app  # noqa: E402
from porteparole.store import Store  # noqa: E402

TOKEN = "s3cret-token"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

ARTICLES = [
    Document(id="a1", url="https://exemple.fr/a1", source="exemple.fr", published="2024-03-01", lang="fr",
             title="La réforme des retraites au Sénat",
             text=("La réforme des retraites au Sénat\n\n"
                   "« Nous ne reculerons pas sur la réforme », a déclaré Élisabeth Borne mardi devant les sénateurs.\n\n"
                   "Le ministre du Travail, Olivier Dussopt, a affirmé que le texte serait voté avant l'été.\n\n"
                   "« Ce projet est injuste et brutal », a répliqué Laurent Berger, secrétaire général de la CFDT.\n\n"
                   "« Le dialogue reste ouvert », a ajouté Élisabeth Borne.\n\n"
                   "Contact presse : redaction@exemple.fr\n")),
    Document(id="a2", url="https://journal.fr/a2", source="journal.fr", published="2024-05-10", lang="fr",
             title="L'Otan et l'Ukraine",
             text=("L'Otan et l'Ukraine\n\n"
                   "« L'Otan doit rester unie face à la Russie », a déclaré Emmanuel Macron lors d'une conférence de presse.\n\n"
                   "Le secrétaire général de l'Alliance, Jens Stoltenberg, a estimé que l'aide à l'Ukraine devait continuer.\n\n"
                   "« Nous livrerons de nouveaux équipements », a ajouté Emmanuel Macron.\n")),
    Document(id="a3", url="https://exemple.fr/a3", source="exemple.fr", published="2023-11-20", lang="fr",
             title="Budget : le gouvernement défend ses choix",
             text=("Budget : le gouvernement défend ses choix\n\n"
                   "« Le déficit sera ramené sous les 3 % en 2027 », a assuré Bruno Le Maire jeudi.\n\n"
                   "Selon Marine Le Pen, le budget « sacrifie les classes moyennes ».\n\n"
                   "« Nous proposerons un contre-budget », a annoncé Olivier Faure.\n")),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory, extractor) -> str:
    path = str(tmp_path_factory.mktemp("api") / "record.db")
    with Store.open(path) as store:
        summary = ingest(store, ARTICLES, extractor)
    assert summary.stored == 3 and summary.statements >= 6
    return path


@pytest.fixture(scope="module")
def client(db, extractor) -> TestClient:
    return TestClient(create_app(db, admin_token=TOKEN, extractor=extractor), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def all_statements(client) -> list[dict]:
    r = client.get("/api/statements", params={"limit": 500})
    assert r.status_code == 200 and r.json()["next"] is None
    return r.json()["items"]


def _no_email(r) -> None:
    assert not EMAIL.search(r.text), r.text


# ---------------------------------------------------------------------- endpoints
def test_statements_newest_first(client, all_statements):
    assert len(all_statements) >= 6
    dates = [s["published"] for s in all_statements]
    assert dates == sorted(dates, reverse=True)
    first = all_statements[0]
    assert set(first) >= {"id", "article_id", "start", "end", "text", "kind", "speaker", "speaker_id", "url", "source"}


@pytest.mark.parametrize("params, check", [
    ({"speaker": "macron"}, lambda s: "Macron" in s["speaker"]),
    ({"speaker": "ELISABETH"}, lambda s: s["speaker"] == "Élisabeth Borne"),
    ({"speaker": "borne", "kind": "direct", "source": "exemple", "since": "2024", "until": "2024-03"},
     lambda s: s["speaker"] == "Élisabeth Borne" and s["kind"] == "direct"),
    ({"search": "otan"}, lambda s: "otan" in s["text"].lower()),
    ({"search": '"réforme"'}, lambda s: "réforme" in s["text"]),
    ({"since": "2024-04"}, lambda s: s["published"] >= "2024-04"),
    ({"until": "2023-12-31"}, lambda s: s["published"] <= "2023-12-31"),
    ({"kind": "direct"}, lambda s: s["kind"] == "direct"),
    ({"source": "journal"}, lambda s: s["source"] == "journal.fr"),
    ({"lang": "fr"}, lambda s: s["lang"] == "fr"),
])
def test_statement_filters(client, all_statements, params, check):
    r = client.get("/api/statements", params=params)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items and all(check(s) for s in items)
    assert len(items) <= len(all_statements)


def test_filter_with_nothing_found(client):
    r = client.get("/api/statements", params={"lang": "en"})
    assert r.status_code == 200 and r.json() == {"ok": True, "count": 0, "items": [], "next": None}


def test_search_endpoint(client):
    r = client.get("/api/search", params={"q": "otan OR budget*"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and all(re.search(r"otan|budget", s["text"], re.I) for s in items)


def test_speakers_top(client):
    r = client.get("/api/speakers")
    assert r.status_code == 200
    items = r.json()["items"]
    assert items[0]["name"] == "Élisabeth Borne" and items[0]["statements"] == 2
    counts = [s["statements"] for s in items]
    assert counts == sorted(counts, reverse=True)


def test_speaker_by_id(client):
    top = client.get("/api/speakers").json()["items"][0]
    r = client.get(f"/api/speakers/{top['id']}")
    assert r.status_code == 200
    body = r.json()
    assert body["speaker"]["name"] == "Élisabeth Borne" and body["speaker"]["statements"] == 2
    assert len(body["statements"]) == 2 and all(s["speaker_id"] == top["id"] for s in body["statements"])
    paged = client.get("/api/statements", params={"speaker_id": top["id"]}).json()["items"]
    assert [s["id"] for s in paged] == [s["id"] for s in body["statements"]]


def test_article(client, all_statements):
    aid = next(s["article_id"] for s in all_statements if s["source"] == "journal.fr")
    r = client.get(f"/api/articles/{aid}")
    assert r.status_code == 200
    art = r.json()["article"]
    assert art["id"] == aid and art["url"] == "https://journal.fr/a2" and art["copies"] == []
    assert art["statements"] and "doc_id" not in art
    for s in art["statements"]:
        assert art["text"][s["start"]:s["end"]] == s["text"]


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/statements", "/api/speakers", "/api/speakers/{speaker_id}", "/api/articles/{article_id}",
            "/api/search", "/api/articles"} <= set(spec["paths"])


# ---------------------------------------------------------------------- cursors
@pytest.mark.parametrize("path, params", [
    ("/api/statements", {}),
    ("/api/statements", {"kind": "direct"}),
    ("/api/search", {"q": "a OR le OR la OR les OR de OR des"}),
    ("/api/speakers", {}),
])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_cursor_pages(client, path, params, size):
    whole = client.get(path, params={**params, "limit": 500}).json()["items"]
    seen, cursor, pages = [], None, 0
    while True:
        r = client.get(path, params={**params, "limit": size, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["items"]) <= size and body["count"] == len(body["items"])
        seen += body["items"]
        cursor = body["next"]
        pages += 1
        if cursor is None:
            break
        assert pages < 100
    assert [x["id"] for x in seen] == [x["id"] for x in whole]     # no duplicates, no gaps, same order
    assert len({x["id"] for x in seen}) == len(seen)


def test_cursor_is_stable_when_articles_are_added(db, extractor, all_statements, tmp_path):
    copy = str(tmp_path / "copy.db")
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:   # a copy: the shared record stays as it is
        src.backup(dst)
    client = TestClient(create_app(copy, admin_token=TOKEN, extractor=extractor))
    first = client.get("/api/statements", params={"limit": 2, "until": "2024-12-31"}).json()
    r = client.post("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"},
                    json={"text": "« Il faut agir vite », a déclaré Gabriel Attal devant les députés.",
                          "published": "2024-06-01", "url": "https://exemple.fr/stable"})
    assert r.status_code == 201
    rest, cursor = [], first["next"]
    while cursor:
        page = client.get("/api/statements", params={"limit": 2, "until": "2024-12-31", "cursor": cursor}).json()
        rest += page["items"]
        cursor = page["next"]
    ids = [s["id"] for s in first["items"] + rest]
    assert ids == [s["id"] for s in all_statements]       # the new, newer statement does not shift the pages
    assert client.get("/api/statements", params={"limit": 1}).json()["items"][0]["published"] == "2024-06-01"


# ---------------------------------------------------------------------- formats
@pytest.mark.parametrize("path, params", [
    ("/api/statements", {}), ("/api/search", {"q": "otan"}), ("/api/speakers", {}),
])
def test_csv_and_jsonl(client, path, params):
    whole = client.get(path, params={**params, "limit": 500}).json()["items"]
    r = client.get(path, params={**params, "format": "jsonl"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert [x["id"] for x in rows] == [x["id"] for x in whole]
    r = client.get(path, params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(x["id"]) for x in rows] == [x["id"] for x in whole]
    _no_email(r)


def test_csv_page_and_its_cursor(client, all_statements):
    r = client.get("/api/statements", params={"format": "csv", "limit": 2})
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == 2
    nxt = r.headers["x-next-cursor"]
    page = client.get("/api/statements", params={"limit": 2, "cursor": nxt}).json()["items"]
    assert [s["id"] for s in page] == [s["id"] for s in all_statements[2:4]]


def test_csv_header_when_nothing_found(client):
    r = client.get("/api/statements", params={"lang": "en", "format": "csv"})
    assert r.status_code == 200 and r.text.splitlines()[0].startswith("id,article_id")


# ---------------------------------------------------------------------- the error shape
@pytest.mark.parametrize("method, path, params, status, words", [
    ("get", "/api/articles/9999", {}, 404, "no article"),
    ("get", "/api/articles/abc", {}, 422, "article_id"),
    ("get", "/api/speakers/9999", {}, 404, "no speaker"),
    ("get", "/api/statements", {"since": "2024-13-45"}, 400, "not a date"),
    ("get", "/api/statements", {"until": "hier"}, 400, "not a date"),
    ("get", "/api/statements", {"search": '"abc'}, 400, "unbalanced quote"),
    ("get", "/api/search", {"q": "otan OR"}, 400, "OR must be followed"),
    ("get", "/api/search", {"q": "NOT otan"}, 400, "nothing to search"),
    ("get", "/api/search", {}, 422, "q"),
    ("get", "/api/statements", {"limit": 0}, 422, "limit"),
    ("get", "/api/statements", {"limit": "ten"}, 422, "limit"),
    ("get", "/api/statements", {"limit": 100000}, 422, "limit"),
    ("get", "/api/statements", {"kind": "shouted"}, 422, "kind"),
    ("get", "/api/statements", {"format": "xml"}, 422, "format"),
    ("get", "/api/statements", {"cursor": "not-a-cursor"}, 400, "invalid cursor"),
    ("get", "/api/speakers", {"cursor": "eyJrIjoicyJ9"}, 400, "invalid cursor"),
    ("get", "/api/nothing-here", {}, 404, "no such endpoint"),
    ("get", "/api", {}, 404, "no such endpoint"),
    ("delete", "/api/statements", {}, 405, "not allowed"),
])
def test_error_shape(client, method, path, params, status, words):
    r = client.request(method.upper(), path, params=params)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"ok", "error", "status"} and body["ok"] is False and body["status"] == status
    assert words in body["error"]
    assert "--" not in body["error"]


def test_unexpected_error_is_500_in_the_shape(db, monkeypatch):
    client = TestClient(create_app(db), raise_server_exceptions=False)

    def boom(*a, **k):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(Store, "speakers", boom)
    r = client.get("/api/speakers")
    assert r.status_code == 500
    assert r.json() == {"ok": False, "error": "internal error; the server's log has the details", "status": 500}


def test_store_that_cannot_be_opened(tmp_path):
    bad = tmp_path / "not-a-store.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    from porteparole.store import StoreError
    with pytest.raises(StoreError):
        create_app(str(bad))


# ---------------------------------------------------------------------- the token
NEW = {"text": ("« La transition écologique ne peut plus attendre », a déclaré Christophe Béchu, ministre de la "
                "Transition écologique.\n\nContact : lecteurs@gazette.fr\n"),
       "title": "Climat", "published": "2024-07-02", "url": "https://gazette.fr/climat", "lang": "fr"}


@pytest.mark.parametrize("headers, status, words", [
    ({}, 401, "Authorization: Bearer"),
    ({"Authorization": "Bearer"}, 401, "Authorization: Bearer"),
    ({"Authorization": f"Basic {TOKEN}"}, 401, "Authorization: Bearer"),
    ({"Authorization": "Bearer wrong"}, 403, "wrong token"),
    ({"Authorization": f"Bearer {TOKEN}x"}, 403, "wrong token"),
])
def test_post_needs_the_token(client, headers, status, words):
    r = client.post("/api/articles", json=NEW, headers=headers)
    assert r.status_code == status
    assert r.json() == {"ok": False, "error": r.json()["error"], "status": status} and words in r.json()["error"]


def test_post_disabled_without_a_token(db, extractor):
    for token in (None, ""):
        client = TestClient(create_app(db, admin_token=token, extractor=extractor))
        for headers in ({}, {"Authorization": "Bearer anything"}, {"Authorization": "Bearer "}):
            r = client.post("/api/articles", json=NEW, headers=headers)
            assert r.status_code == 403 and "disabled" in r.json()["error"]


@pytest.mark.parametrize("body, words", [
    ({}, "text"),
    ({"title": "no text"}, "text"),
    ({"text": "   "}, "text"),
    ({"url": "file:///etc/passwd"}, "http"),
    ({"url": "/etc/passwd"}, "http"),
    ({"text": "x", "published": "mardi"}, "published"),
    ({"text": 12}, "text"),
])
def test_post_invalid_body(client, body, words):
    r = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and r.json()["status"] == 422 and words in r.json()["error"]


def test_post_text_stores_and_returns_statements(tmp_path, extractor):
    path = str(tmp_path / "post.db")
    Store.open(path).close()
    client = TestClient(create_app(path, admin_token=TOKEN, extractor=extractor))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/articles", json=NEW, headers=auth)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["ok"] is True and body["status"] == "stored" and isinstance(body["id"], int)
    assert any(s["speaker"] == "Christophe Béchu" and s["kind"] == "direct" for s in body["statements"])
    for s in body["statements"]:
        assert NEW["text"][s["start"]:s["end"]] == s["text"]
    _no_email(r)
    art = client.get(f"/api/articles/{body['id']}")
    assert art.json()["article"]["title"] == "Climat"
    text = art.json()["article"]["text"]
    assert len(text) == len(NEW["text"]) and "lecteurs@" not in text       # masked, offsets kept
    _no_email(art)
    again = client.post("/api/articles", json=NEW, headers=auth)
    assert again.status_code == 200 and again.json()["status"] == "duplicate-url" and again.json()["id"] == body["id"]
    with Store.open(path) as store:
        assert store.counts()["articles"] == 1


# ---------------------------------------------------------------------- privacy
def test_no_email_in_any_response(client, db, all_statements):
    aids = sorted({s["article_id"] for s in all_statements})
    sid = client.get("/api/speakers").json()["items"][0]["id"]
    urls = ["/api/statements", "/api/statements?format=csv", "/api/statements?format=jsonl", "/api/speakers",
            f"/api/speakers/{sid}", "/api/search?q=presse OR contact", "/openapi.json"]
    urls += [f"/api/articles/{a}" for a in aids]
    with Store.open(db) as store:             # the record has the address; no answer shows it
        assert any("redaction@exemple.fr" in store.article(a).text for a in aids)
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200
        _no_email(r)
        assert "<script" not in r.text.lower()


def test_texts_are_json_data(client):
    r = client.get("/api/statements")
    assert r.headers["content-type"].startswith("application/json")
