"""The record (porteparole.store) on both backends: dedupe, syndicated copies, queries, failures, schema.

Every test that takes ``store`` runs on SQLite and on PostgreSQL (``PORTEPAROLE_TEST_PG``,
set by scripts/postgres-for-tests); the articles are hand-built extractions
(tests/record_corpus.py), so each query's answer is known exactly.  The last tests run
the real extractor once and check that both backends answer the same queries alike.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable, Iterator

import pytest

from porteparole.analyse import Extractor
from porteparole.models import Article, Document
from porteparole.store import (SCHEMA_VERSION, AddResult, QueryError, QuoteFilter, Store, StoreError, parse_search,
                               same_story, shingles)
from record_corpus import ARTICLES, KREMLIN, LYON, LYON_COPY, RETRAITES, built

BACKENDS = ["sqlite", "postgresql"]
ALL = ("kremlin", "lyon", "lyon-copy", "retraites", "nato")


def reset_pg(url: str) -> None:
    """Empty a test database: drop and recreate its public schema (tables, unaccent, functions)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="module")
def pg_url(pg_database: Callable[..., str]) -> str:
    """This module's PostgreSQL database (emptied before each test that uses it)."""
    return pg_database("store")


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store is: a new SQLite file, or the module's PostgreSQL database, emptied."""
    if request.param == "sqlite":
        return str(tmp_path / "record.db")
    url = request.getfixturevalue("pg_url")
    reset_pg(url)
    return url


@pytest.fixture
def store(target: str) -> Iterator[Store]:
    with Store.open(target) as s:
        yield s


@pytest.fixture(scope="module", params=BACKENDS)
def stored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict]]:
    """A store holding the five hand-built articles, stored in order, and their ids by name (for queries only)."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("corpus") / "record.db")
    else:
        target = request.getfixturevalue("pg_database")("corpus")
    with Store.open(target) as store:
        yield store, {name: store.add_article(built(name)).article_id for name in ALL}


@pytest.fixture
def corpus(stored: tuple[Store, dict]) -> dict[str, int]:
    """The ids of the stored articles by name."""
    return stored[1]


@pytest.fixture
def cstore(stored: tuple[Store, dict]) -> Store:
    """The store of ``corpus`` (not to be written to)."""
    return stored[0]


def rows(store: Store, ids: dict[str, int], **flt) -> list[tuple[str, str]]:
    """``quotes`` as (article name, statement text), in the order given."""
    names = {v: k for k, v in ids.items()}
    return [(names[r.article_id], r.text) for r in store.quotes(QuoteFilter(**flt), limit=None)]


def said(name: str, speaker) -> tuple[str, str]:
    """(article name, text) of what ``speaker`` (or the unnamed source, None) said in ``ARTICLES[name]``."""
    return name, next(q for q, who, _ in ARTICLES[name][2] if who == speaker)


# ---------------------------------------------------------------------- dedupe
def test_stored_once_then_no_op_then_force_replaces_in_place(store: Store) -> None:
    first = store.add_article(built("kremlin"))
    assert first.status == "stored" and first.duplicate_of is None
    counts = {"articles": 1, "statements": 3, "speakers": 3, "failures": 0}
    assert store.counts() == counts

    assert store.add_article(built("kremlin")) == AddResult(first.article_id, "duplicate-url", first.article_id)
    assert store.counts() == counts

    shorter = KREMLIN.replace("Selon Joe Biden, l'Otan préférera", "L'Otan préférera")
    assert store.add_article(built("kremlin", text=shorter), force=True) == AddResult(first.article_id, "stored", None)
    assert store.counts() == {"articles": 1, "statements": 2, "speakers": 2, "failures": 0}
    assert store.article(first.article_id).text == shorter
    assert store.quotes(QuoteFilter(speaker="biden")) == []
    assert store.quotes(QuoteFilter(search="associer")) == []      # the search index forgot the old statement
    assert [s.speaker for s in store.quotes(QuoteFilter(search="etats-unis"))] == ["Dmitri Peskov"]


@pytest.mark.parametrize("change, status", [
    ({"url": "https://autre-site.example/kremlin"}, "duplicate-content"),            # same text elsewhere
    ({"text": KREMLIN.upper(), "url": None}, "duplicate-content"),                   # same words, other case
    ({"text": KREMLIN + "\nMise à jour : le texte a été remis.\n"}, "duplicate-url"),  # an update: needs --force
])
def test_same_url_or_same_content_is_stored_once(store: Store, change: dict, status: str) -> None:
    first = store.add_article(built("kremlin"))
    again = built("kremlin", **change)
    assert store.has_url(again.document.url) or store.has_text(again.document.text)
    assert store.add_article(again) == AddResult(first.article_id, status, first.article_id)
    assert store.counts()["articles"] == 1


@pytest.mark.parametrize("url_of, text_of", [("kremlin", "retraites"), ("lyon", "lyon-copy")])
def test_force_with_url_of_one_article_and_text_of_another_replaces_both(store: Store, url_of: str, text_of: str) -> None:
    first = store.add_article(built(url_of)).article_id
    store.add_article(built(text_of))
    result = store.add_article(built(text_of, url=ARTICLES[url_of][1]["url"]), force=True)
    assert (result.article_id, result.duplicate_of) == (first, None)
    assert store.counts()["articles"] == 1
    assert (store.article(first).doc_id, store.article(first).copies) == (text_of, ())


# ---------------------------------------------------------------------- syndicated copies
@pytest.mark.parametrize("order, meta", [
    (("lyon", "lyon-copy"), {}),
    (("lyon-copy", "lyon"), {}),                                    # the later copy read first
    (("lyon-copy", "lyon"), {"lyon-copy": {"published": None}}),    # an undated copy read first
])
def test_syndicated_copy_is_linked_to_the_earliest_and_counted_once(store: Store, order: tuple, meta: dict) -> None:
    store.add_article(built("kremlin"))
    results = {name: store.add_article(built(name, **meta.get(name, {}))) for name in order}
    ids = {name: r.article_id for name, r in results.items()}
    assert [(r.duplicate_of, r.linked) for r in results.values()] == [
        (None, 0), (ids["lyon"] if order[1] == "lyon-copy" else None, 1)]
    original, copy = store.article(ids["lyon"]), store.article(ids["lyon-copy"])
    assert (original.duplicate_of, original.copies) == (None, (ids["lyon-copy"],))
    assert (copy.duplicate_of, copy.copies) == (ids["lyon"], ())
    speakers = {r.name: (r.statements, r.articles) for r in store.speakers(top=None)}
    assert speakers == {"Grégory Doucet": (1, 1), "Valérie Lamotte": (1, 1), "Dmitri Peskov": (1, 1),
                        "Vladimir Poutine": (1, 1), "Joe Biden": (1, 1)}
    # every copy is still listed, with its site
    assert [r.source for r in store.quotes(QuoteFilter(speaker="doucet"))] == ["20 Minutes", "Le Progrès"]


def test_replacing_the_original_keeps_its_copies_linked(store: Store) -> None:
    lyon = store.add_article(built("lyon")).article_id
    copy = store.add_article(built("lyon-copy")).article_id
    assert store.add_article(built("lyon"), force=True).article_id == lyon
    assert store.article(lyon).copies == (copy,)
    assert [(r.name, r.statements) for r in store.speakers(top=2)] == [("Grégory Doucet", 1), ("Valérie Lamotte", 1)]


def test_different_stories_are_not_linked(cstore: Store, corpus: dict[str, int]) -> None:
    links = {name: cstore.article(aid).duplicate_of for name, aid in corpus.items()}
    assert links == {"kremlin": None, "lyon": None, "lyon-copy": corpus["lyon"], "retraites": None, "nato": None}


@pytest.mark.parametrize("a, b, same", [
    (LYON, LYON_COPY, True),
    (LYON, LYON + "\nPartager sur Facebook", True),
    (LYON, KREMLIN, False),
    (LYON, LYON.split("\n\n", 1)[1].split("\n")[0], False),   # one sentence of it: too short to call a copy
    ("Selon lui, tout va bien.", "Selon lui, tout va bien.", False),   # too short to tell
])
def test_same_story(a: str, b: str, same: bool) -> None:
    assert same_story(shingles(a), shingles(b)) is same


# ---------------------------------------------------------------------- queries
FILTERS = [
    ({}, [said("lyon-copy", "Grégory Doucet"), said("lyon-copy", "Valérie Lamotte"), said("lyon-copy", None),
          said("lyon", "Grégory Doucet"), said("lyon", "Valérie Lamotte"), said("lyon", None),
          said("retraites", "Élisabeth Borne"), said("nato", "Jens Stoltenberg"),
          said("kremlin", "Dmitri Peskov"), said("kremlin", "Vladimir Poutine"), said("kremlin", "Joe Biden")]),
    # speaker: any part of the name, accents and case ignored
    ({"speaker": "poutine"}, [said("kremlin", "Vladimir Poutine")]),
    ({"speaker": "ELISABETH"}, [said("retraites", "Élisabeth Borne")]),
    ({"speaker": "Grégory"}, [said("lyon-copy", "Grégory Doucet"), said("lyon", "Grégory Doucet")]),
    ({"speaker": "ory douc"}, [said("lyon-copy", "Grégory Doucet"), said("lyon", "Grégory Doucet")]),
    ({"speaker": "nobody"}, []),
    # full-text search: accents and case ignored, phrases, OR, NOT, prefixes, punctuation inside words
    ({"search": "securite"}, [said("lyon-copy", "Valérie Lamotte"), said("lyon", "Valérie Lamotte"),
                              said("kremlin", "Vladimir Poutine")]),
    ({"search": "otan"}, [said("kremlin", "Joe Biden")]),
    ({"search": "l'Otan"}, [said("kremlin", "Joe Biden")]),
    ({"search": "Etats-Unis"}, [said("kremlin", "Dmitri Peskov")]),
    ({"search": "otan OR nato"}, [said("nato", "Jens Stoltenberg"), said("kremlin", "Joe Biden")]),
    ({"search": '"pistes cyclables"'}, [said("lyon-copy", "Grégory Doucet"), said("lyon", "Grégory Doucet")]),
    ({"search": '"cyclables pistes"'}, []),
    ({"search": "cycl*"}, [said("lyon-copy", "Grégory Doucet"), said("lyon-copy", "Valérie Lamotte"),
                           said("lyon", "Grégory Doucet"), said("lyon", "Valérie Lamotte")]),
    ({"search": "securite -cyclistes"}, [said("kremlin", "Vladimir Poutine")]),
    ({"search": "securite NOT cyclistes"}, [said("kremlin", "Vladimir Poutine")]),
    ({"search": "securite russie"}, []),
    ({"search": "doucet"}, [said("lyon-copy", "Grégory Doucet"), said("lyon", "Grégory Doucet")]),   # the speaker too
    # dates: since and until are inclusive, at the day, month or year
    ({"since": "2023"}, [said("lyon-copy", "Grégory Doucet"), said("lyon-copy", "Valérie Lamotte"), said("lyon-copy", None),
                         said("lyon", "Grégory Doucet"), said("lyon", "Valérie Lamotte"), said("lyon", None),
                         said("retraites", "Élisabeth Borne")]),
    ({"until": "2021-12-10"}, [said("kremlin", "Dmitri Peskov"), said("kremlin", "Vladimir Poutine"),
                               said("kremlin", "Joe Biden")]),
    ({"since": "2022-06", "until": "2022-06-01"}, [said("nato", "Jens Stoltenberg")]),
    ({"since": "2022", "until": "2023-01"}, [said("retraites", "Élisabeth Borne"), said("nato", "Jens Stoltenberg")]),
    ({"kind": "mixed"}, [said("kremlin", "Vladimir Poutine")]),
    ({"kind": "indirect", "since": "2023-03-04"}, [said("lyon-copy", "Valérie Lamotte"), said("lyon-copy", None)]),
    # source: part of the site name or URL, case ignored, LIKE wildcards taken literally
    ({"source": "lemonde"}, [said("retraites", "Élisabeth Borne")]),
    ({"source": "PROGRÈS"}, [said("lyon", "Grégory Doucet"), said("lyon", "Valérie Lamotte"), said("lyon", None)]),
    ({"source": "20minutes.fr", "speaker": "lamotte"}, [said("lyon-copy", "Valérie Lamotte")]),
    ({"source": "%"}, []),
    ({"source": "_"}, []),
    ({"lang": "en"}, [said("nato", "Jens Stoltenberg")]),
    ({"lang": "fr", "search": "nato"}, []),
]


@pytest.mark.parametrize("flt, expected", FILTERS, ids=[repr(f) for f, _ in FILTERS])
def test_quotes_filters(cstore: Store, corpus: dict[str, int], flt: dict, expected: list) -> None:
    assert rows(cstore, corpus, **flt) == expected


def test_limit_offset_and_streaming(cstore: Store, corpus: dict[str, int]) -> None:
    everything = cstore.quotes(limit=None)
    assert len(everything) == 11
    assert cstore.quotes(limit=3) == everything[:3]
    assert cstore.quotes(limit=3, offset=3) == everything[3:6]
    assert cstore.quotes(limit=0) == []
    assert list(cstore.iter_quotes(batch=2)) == everything
    assert list(cstore.iter_quotes(QuoteFilter(search="securite"), batch=2)) == cstore.quotes(QuoteFilter(search="securite"))


def test_statements_carry_their_article(cstore: Store, corpus: dict[str, int]) -> None:
    (s,) = cstore.quotes(QuoteFilter(speaker="stoltenberg"))
    assert (s.article_id, s.idx, s.kind, s.speaker_type, s.mention, s.title, s.url, s.source, s.published, s.lang,
            s.duplicate_of) == (corpus["nato"], 0, "direct", "person", "Jens Stoltenberg", "NATO ministers meet in Brussels",
                                "https://www.bbc.co.uk/news/nato", "bbc.co.uk", "2022-06-01", "en", None)
    assert ARTICLES["nato"][0][s.start:s.end] == s.text


MALFORMED = ['"abc', 'otan "pistes', "otan OR", "OR otan", "otan OR -cyclistes", "NOT otan", "-otan", "otan NOT",
             "NOT NOT otan", "*", "?!", ""]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_search_is_a_query_error(cstore: Store, corpus: dict[str, int], query: str) -> None:
    with pytest.raises(QueryError, match="exact phrases"):
        cstore.quotes(QuoteFilter(search=query))


@pytest.mark.parametrize("flt", [{"since": "2023-13-01"}, {"since": "2023-02-30"}, {"until": "demain"},
                                 {"until": "2023/01/01"}, {"since": "15-01-2023"}, {"since": "20230115"},
                                 {"speaker": "?!"}])
def test_bad_filter_is_a_query_error(cstore: Store, flt: dict) -> None:
    with pytest.raises(QueryError, match="YYYY-MM-DD|give a name"):
        cstore.quotes(QuoteFilter(**flt))


def test_negative_limits_are_query_errors(cstore: Store) -> None:
    with pytest.raises(QueryError, match="--limit must be 0 or more"):
        cstore.quotes(limit=-1)
    with pytest.raises(QueryError, match="--top must be 0 or more"):
        cstore.speakers(top=-5)


BORNE_AGAIN = """Élisabeth Borne en visite chez les entrepreneurs lyonnais

Lyon, 20 février. La cheffe du gouvernement a rencontré une centaine de dirigeants de petites entreprises.
« La réforme des retraites est nécessaire pour sauver notre système », a répété Élisabeth Borne à la tribune.
Les patrons présents ont surtout parlé du prix de l'énergie et des difficultés de recrutement dans la région.
"""


def test_speakers_by_statements_then_name(store: Store) -> None:
    for name in ALL:
        store.add_article(built(name))
    # the same story again under another address is a copy: it adds nothing
    store.add_article(built("retraites", text=RETRAITES + "\nMise à jour à 18 h.", url="https://x.example/r"))
    store.add_article(built("retraites", text=BORNE_AGAIN, url="https://x.example/lyon", published="2023-02-20"))
    top = [(r.name, r.type, r.statements, r.articles, r.first_seen, r.last_seen) for r in store.speakers(top=4)]
    assert top == [("Élisabeth Borne", "person", 2, 2, "2023-01-15", "2023-02-20"),
                   ("Dmitri Peskov", "person", 1, 1, "2021-12-10", "2021-12-10"),
                   ("Grégory Doucet", "person", 1, 1, "2023-03-03", "2023-03-03"),   # accents and case ignored
                   ("Jens Stoltenberg", "person", 1, 1, "2022-06-01", "2022-06-01")]
    assert len(store.speakers(top=None)) == 7 and len(store.speakers(top=0)) == 7


def test_article_with_statements_and_copies(cstore: Store, corpus: dict[str, int]) -> None:
    art = cstore.article(corpus["lyon"])
    assert (art.id, art.doc_id, art.title, art.source, art.published, art.lang, art.text) == (
        corpus["lyon"], "lyon", "Le maire de Lyon annonce un grand plan pour le vélo", "Le Progrès", "2023-03-03", "fr", LYON)
    assert (art.duplicate_of, art.copies) == (None, (corpus["lyon-copy"],))
    assert [(s.idx, s.speaker) for s in art.statements] == [(0, "Grégory Doucet"), (1, "Valérie Lamotte"), (2, None)]
    assert all(art.text[s.start:s.end] == s.text for s in art.statements)


def test_missing_article_says_where_to_find_ids(cstore: Store) -> None:
    with pytest.raises(StoreError, match=r"no article with id 4242; `porteparole quotes` lists article ids"):
        cstore.article(4242)


def test_failures_recorded_once_per_origin_and_reason(store: Store) -> None:
    for origin, reason in [("a.txt", "empty file: nothing to read"), ("a.txt", "empty file: nothing to read"),
                           ("b.txt", "empty file: nothing to read"), ("a.txt", "binary file"),
                           ("b.txt", "empty file: nothing to read")]:
        store.add_failure(origin, reason)
    assert [f[:2] for f in store.failures()] == [("a.txt", "empty file: nothing to read"),
                                                 ("b.txt", "empty file: nothing to read"), ("a.txt", "binary file")]
    assert all(f[2].endswith("Z") for f in store.failures())
    assert store.counts()["failures"] == 3


# ---------------------------------------------------------------------- schema
def test_schema_version_recorded_and_reopening_keeps_everything(target: str) -> None:
    with Store.open(target) as store:
        store.add_article(built("kremlin"))
        store.add_failure("a.txt", "empty file")
        assert store.schema_version() == SCHEMA_VERSION
        before = store.counts(), store.quotes(limit=None)
    with Store.open(target) as store:
        assert (store.counts(), store.quotes(limit=None)) == before
        assert store.db.all("SELECT version FROM schema_version ORDER BY version") == [
            (v,) for v in range(1, SCHEMA_VERSION + 1)]
        store.db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer porteparole .* upgrade porteparole"):
        Store.open(target)


def test_sqlite_store_is_wal_with_full_text_tables(tmp_path: Path) -> None:
    path = tmp_path / "record.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "statements", "speakers", "failures", "statements_fts", "articles_fts", "schema_version"} <= tables


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("not a database, just some text\n" * 100), "is not a porteparole store"),
    (lambda p: None, "cannot open the SQLite store"),
])
def test_sqlite_store_that_cannot_be_opened(tmp_path: Path, make: Callable, message: str) -> None:
    path = tmp_path / "notes.txt"
    make(path)
    target = path if path.exists() else tmp_path / "no" / "such" / "folder" / "x.db"
    with pytest.raises(StoreError, match=message):
        Store.open(target)


def test_postgresql_server_that_does_not_answer() -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL .*check the URL, the server and the credentials"):
        Store.open("postgresql://porteparole@127.0.0.1:9/nothing?connect_timeout=2")


@pytest.mark.parametrize("query, clauses", [
    ("otan", 1), ("otan OR nato russie", 2), ('"garanties de sécurité"* -otan', 2), ("l’Otan AND porte-parole", 2),
])
def test_parse_search(query: str, clauses: int) -> None:
    assert len(parse_search(query)) == clauses


# ---------------------------------------------------------------------- both backends alike
@pytest.fixture(scope="module")
def extracted(extractor: Extractor) -> list[Article]:
    """The real extractor's output on four of the corpus articles (one a syndicated copy)."""
    docs = []
    for name in ("kremlin", "lyon", "lyon-copy", "retraites"):
        text, meta, _ = ARTICLES[name]
        docs.append(Document(id=name, text=text, origin=f"{name}.json", **meta))
    return list(extractor.extract_many(docs))


PARITY_FILTERS = [{}, {"speaker": "doucet"}, {"speaker": "e"}, {"search": "securite"}, {"search": "otan OR retraites"},
                  {"search": '"pistes cyclables"'}, {"search": "cycl*"}, {"search": "document -otan"},
                  {"since": "2023-02"}, {"until": "2023-01-15"}, {"kind": "direct"}, {"source": "20 minutes"},
                  {"lang": "fr", "kind": "indirect"}]


def test_both_backends_answer_alike(extracted: list[Article], tmp_path: Path,
                                    pg_database: Callable[..., str]) -> None:
    # a French collation on the server must not change any order
    try:
        url = pg_database("parity", "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'fr-FR'")
    except Exception:      # a server without ICU
        url = pg_database("parity")
    answers = []
    for target in (str(tmp_path / "record.db"), url):
        with Store.open(target) as store:
            for art in extracted:
                store.add_article(art)
            store.add_failure("empty.txt", "empty file: nothing to read")
            names = {r[0]: r[1] for r in store.db.all("SELECT id, doc_id FROM articles")}
            answers.append({
                "counts": store.counts(),
                "quotes": [[(names[r.article_id], r.idx, r.start, r.end, r.text, r.kind, r.speaker, r.mention, r.cue,
                             r.nested_in, r.source, r.published, names.get(r.duplicate_of))
                            for r in store.quotes(QuoteFilter(**flt), limit=None)] for flt in PARITY_FILTERS],
                "speakers": [(r.name, r.type, r.statements, r.articles, r.first_seen, r.last_seen)
                             for r in store.speakers(top=None)],
                "failures": [f[:2] for f in store.failures()],
                "articles": [(a.doc_id, a.title, a.text, names.get(a.duplicate_of), [names[c] for c in a.copies])
                             for a in (store.article(i) for i in sorted(names))],
            })
    sqlite_answers, pg_answers = answers
    assert sqlite_answers["counts"]["statements"] > 5
    assert all(sqlite_answers["quotes"][:4]), "the parity queries should find something"
    for key in sqlite_answers:
        assert pg_answers[key] == sqlite_answers[key], key


def test_entities_are_stored_with_offsets_into_the_article(tmp_path, extractor) -> None:
    """The model's named entities of an ingested article are in the record, offsets intact."""
    from porteparole.models import Document
    from porteparole.store import Store

    text = "Le porte-parole du Kremlin Dmitri Peskov a déclaré que Moscou enverra un document à Washington."
    article = extractor.extract(Document(id="e1", text=text))
    assert article.entities
    with Store.open(tmp_path / "e.db") as store:
        aid = store.add_article(article).article_id
        stored = store.entities(aid)
        assert {t for _, _, t, _ in stored} >= {"Dmitri Peskov"}
        assert all(text[s:e] == t for s, e, t, _ in stored)
        store.add_article(article, force=True)
        assert len(store.entities(store.add_article(article).article_id)) == len(stored)


def test_a_version_1_store_is_migrated_and_keeps_its_articles(tmp_path, extractor) -> None:
    """Opening a store written by schema 1 adds the author column and loses nothing."""
    import sqlite3

    from porteparole.models import Document
    from porteparole.store import SCHEMA_VERSION, SQLITE_SCHEMA, Store

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.executescript(SQLITE_SCHEMA[1])
    conn.execute("INSERT INTO schema_version (version) VALUES (1)")
    conn.execute("INSERT INTO articles (doc_id, text, content_hash, ingested_at) VALUES ('old', 'Un texte.', 'h', '2020-01-01')")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 3
        assert store.article(1).text == "Un texte." and store.article(1).author is None
        doc = Document(id="new", text="Le ministre a déclaré que le budget sera voté.", author="Jeanne Dupont")
        aid = store.add_article(extractor.extract(doc)).article_id
        assert store.article(aid).author == "Jeanne Dupont"
        assert store.db.one("SELECT COUNT(*) FROM feedback")[0] == 0     # schema 3: readers' corrections
