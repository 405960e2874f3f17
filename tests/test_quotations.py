"""Quotations (porteparole.quotations and the store): the same words reported by several
outlets are one quotation with its occurrences, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from porteparole.models import Article, Document, Statement
from porteparole.quotations import may_share, near_copies, words
from porteparole.store import Store

QUOTE = ("Nous préparerons rapidement ce document et le transmettrons au cours de la semaine "
         "aux Américains, après l'avoir examiné")
TRIMMED = "nous préparerons rapidement ce document et le transmettrons au cours de la semaine"
EDITED = ("Nous préparerons très rapidement ce document et le transmettrons au cours de la semaine "
          "aux Américains, après l'avoir examiné")
OTHER = "Le dialogue avec l'Alliance atlantique reste ouvert, mais nos lignes rouges ne changeront pas"


@pytest.mark.parametrize("a, b, same", [
    (QUOTE, QUOTE.upper(), True),
    (QUOTE, TRIMMED, True),                                     # a trimmed copy
    (QUOTE, EDITED, True),                                      # one word added
    (QUOTE, OTHER, False),
    ("We will stand by Ukraine for as long as it takes", "We will stand by Ukraine as long as it takes", True),
    ("We will stand by Ukraine for as long as it takes", "The talks will go on for as long as it takes, he said", False),
    ("Non merci", "Non merci", False),                          # too short for near matching: exact key only
])
def test_near_copies(a, b, same):
    assert near_copies(words(a), words(b)) is same


@pytest.mark.parametrize("text, a, b, shared", [
    ("Non", 1, 2, False),                       # a few words by two speakers: two quotations
    ("Non", 1, 1, True),
    ("Nous ne reculerons pas sur la réforme", 1, 2, True),     # long enough to be the same words whoever says them
])
def test_may_share(text, a, b, shared):
    assert may_share(words(text), a, b) is shared


def test_words_ignore_case_accents_and_marks():
    assert words("« L'Otan, c'est fini ! »") == words("l’otan c est FINI")


def article(doc_id: str, text_words: list[tuple[str, str]], source: str, published: str, lang: str = "fr") -> Article:
    """An article whose text is its statements, each said by a speaker (real store, statements made by hand)."""
    parts, statements, pos = [], [], 0
    filler = f"Article de {source}. "
    parts.append(filler)
    pos = len(filler)
    for words_, speaker in text_words:
        sentence = f"« {words_} », a déclaré {speaker}. "
        statements.append(Statement(start=pos + 2, end=pos + 2 + len(words_), text=words_, kind="direct",
                                    speaker=speaker, speaker_type="person"))
        parts.append(sentence)
        pos += len(sentence)
    text = "".join(parts) + f"Fin de l'article {doc_id}."
    doc = Document(id=doc_id, text=text, url=f"https://{source}/{doc_id}", source=source, published=published, lang=lang)
    for s in statements:
        assert text[s.start:s.end] == s.text
    return Article(document=doc, title=None, blocks=(), statements=tuple(statements), lang=lang)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    target = str(tmp_path / "q.db") if request.param == "sqlite" else request.getfixturevalue("pg_database")("quotations")
    with Store.open(target) as s:
        yield s


def test_one_quotation_many_occurrences(store):
    store.add_article(article("a1", [(QUOTE, "Vladimir Poutine"), (OTHER, "Dmitri Peskov")], "lemonde.fr", "2021-12-10"))
    store.add_article(article("a2", [(TRIMMED, "Vladimir Poutine")], "rfi.fr", "2021-12-11"))
    store.add_article(article("a3", [(EDITED, "Vladimir Poutine"), ("Non", "Dmitri Peskov")], "tass.ru", "2021-12-09"))
    store.add_article(article("a4", [("Non", "Joe Biden")], "cnn.com", "2021-12-12"))
    rows = {s.text: s for s in store.quotes(limit=None)}
    q = {rows[QUOTE].quotation_id, rows[TRIMMED].quotation_id, rows[EDITED].quotation_id}
    assert len(q) == 1 and None not in q
    quotation = store.quotation(q.pop())
    assert len(quotation.occurrences) == 3
    assert quotation.first_seen == "2021-12-09" and quotation.outlets == ("tass.ru", "lemonde.fr", "rfi.fr")
    assert quotation.speaker == "Vladimir Poutine"
    assert rows[OTHER].quotation_id != quotation.id
    nons = [s for s in store.quotes(limit=None) if s.text == "Non"]
    assert len({s.quotation_id for s in nons}) == 2               # « Non » by Peskov and by Biden: two quotations
    top = {r.name: r for r in store.speakers(top=None)}
    assert (top["Vladimir Poutine"].statements, top["Vladimir Poutine"].quotations) == (3, 1)
    assert (top["Dmitri Peskov"].statements, top["Dmitri Peskov"].quotations) == (2, 2)


def test_syndicated_copy_adds_occurrences_not_quotations(store):
    body = [(QUOTE, "Vladimir Poutine"), (OTHER, "Dmitri Peskov")]
    first = article("s1", body, "afp.com", "2021-12-10")
    store.add_article(first)
    copy_doc = Document(id="s2", text=first.document.text + " Lire aussi nos autres articles.",
                        url="https://partner.example/s2", source="partner.example", published="2021-12-11", lang="fr")
    store.add_article(Article(document=copy_doc, title=None, blocks=(), statements=first.statements, lang="fr"))
    top = {r.name: r for r in store.speakers(top=None)}
    assert (top["Vladimir Poutine"].statements, top["Vladimir Poutine"].quotations,
            top["Vladimir Poutine"].occurrences) == (1, 1, 2)
    qid = store.quotes(limit=None)[0].quotation_id
    assert len(store.quotation(qid).occurrences) == 2


def test_forced_reingest_leaves_no_orphan_quotation(store):
    a = article("f1", [(OTHER, "Dmitri Peskov")], "lemonde.fr", "2021-12-10")
    store.add_article(a)
    store.add_article(a, force=True)
    assert store.db.one("SELECT COUNT(*) FROM quotations")[0] == 1
    assert store.db.one("SELECT COUNT(DISTINCT quotation_id) FROM statements")[0] == 1


def test_quotation_in_the_api_and_the_pages(tmp_path):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from porteparole.serve.api import create_app

    db = str(tmp_path / "web.db")
    with Store.open(db) as store:
        store.add_article(article("a1", [(QUOTE, "Vladimir Poutine")], "lemonde.fr", "2021-12-10"))
        store.add_article(article("a2", [(TRIMMED, "Vladimir Poutine")], "rfi.fr", "2021-12-11"))
        store.add_article(article("a3", [(OTHER, "Dmitri Peskov")], "tass.ru", "2021-12-09"))
        qid = store.quotes(limit=None)[0].quotation_id
    client = TestClient(create_app(db), raise_server_exceptions=False)
    body = client.get(f"/api/quotations/{qid}").json()
    assert body["ok"] and body["quotation"]["outlets"] == ["lemonde.fr", "rfi.fr"]
    assert [o["published"] for o in body["quotation"]["occurrences"]] == ["2021-12-10", "2021-12-11"]
    assert client.get("/api/quotations/9999").status_code == 404
    assert f'href="/quotations/{qid}">reported 2 times' in client.get("/").text
    page = client.get(f"/quotations/{qid}").text
    assert "reported 2 times by 2 outlets" in page and "rfi.fr" in page
    speakers = {s["name"]: s for s in client.get("/api/speakers").json()["items"]}
    assert (speakers["Vladimir Poutine"]["statements"], speakers["Vladimir Poutine"]["quotations"]) == (2, 1)
