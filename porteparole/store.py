"""The record: articles, statements, speakers and failures in SQLite or PostgreSQL.

``Store.open("porteparole.db")`` opens (and creates or migrates) an embedded SQLite
file in WAL mode with FTS5 full-text search; ``Store.open("postgresql://…")`` gives
the same API on PostgreSQL (psycopg 3, French and English text search with
``unaccent``).  Every article is written in one transaction, so an interrupted
ingest loses at most the article being written, and re-running it doubles nothing.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from .errors import PorteparoleError
from .models import Article, Statement

SCHEMA_VERSION = 1
NEAR_DUPLICATE_BITS = 3      # simhash Hamming distance at or under which two texts are one story


class StoreError(PorteparoleError):
    """The store cannot be opened or queried."""


class QueryError(StoreError):
    """A search query is malformed."""


@dataclass(frozen=True)
class QuoteFilter:
    """Filters shared by ``quotes``, ``export`` and the API."""

    speaker: Optional[str] = None
    search: Optional[str] = None
    since: Optional[str] = None
    until: Optional[str] = None
    kind: Optional[str] = None
    source: Optional[str] = None
    lang: Optional[str] = None
    article_id: Optional[int] = None


@dataclass(frozen=True)
class StoredStatement:
    """A statement as stored, with its article's metadata."""

    id: int
    article_id: int
    idx: int
    start: int
    end: int
    text: str
    kind: str
    speaker: Optional[str]
    speaker_type: str
    speaker_id: Optional[int]
    mention: Optional[str]
    cue: Optional[str]
    nested_in: Optional[int]
    title: Optional[str]
    url: Optional[str]
    source: Optional[str]
    published: Optional[str]
    lang: Optional[str]
    duplicate_of: Optional[int]

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class SpeakerRow:
    """A speaker with their statement counts (syndicated copies not counted twice)."""

    id: int
    name: str
    type: str
    statements: int
    articles: int
    first_seen: Optional[str]
    last_seen: Optional[str]

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class StoredArticle:
    """An article with its statements."""

    id: int
    doc_id: str
    url: Optional[str]
    source: Optional[str]
    title: Optional[str]
    published: Optional[str]
    lang: Optional[str]
    text: str
    duplicate_of: Optional[int]
    copies: tuple[int, ...]
    statements: tuple[StoredStatement, ...] = field(default=())


@dataclass(frozen=True)
class AddResult:
    """What ``add_article`` did: stored, skipped as already there, or linked as a copy."""

    article_id: Optional[int]
    status: str               # "stored" | "duplicate-url" | "duplicate-content"
    duplicate_of: Optional[int] = None


def content_hash(text: str) -> str:
    """Hash of the text after normalising case, accents, spaces and punctuation."""
    return hashlib.sha256(_normal(text).encode("utf-8")).hexdigest()


def simhash(text: str) -> int:
    """64-bit SimHash over word 3-shingles (signed, to fit a SQL integer)."""
    words = _normal(text).split()
    grams = [" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))]
    acc = [0] * 64
    for g in grams:
        h = int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big")
        for b in range(64):
            acc[b] += 1 if h >> b & 1 else -1
    value = sum(1 << b for b in range(64) if acc[b] > 0)
    return value - (1 << 64) if value >= 1 << 63 else value


def _normal(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", s))


def _bands(h: int) -> list[int]:
    u = h & ((1 << 64) - 1)
    return [(u >> (16 * i)) & 0xFFFF for i in range(4)]


def speaker_key(name: str) -> str:
    """The key speakers are merged on within the store: the name without case or accents."""
    return _normal(name)


class Store:
    """The record of articles and statements; open with :meth:`Store.open`."""

    def __init__(self, backend: "_Backend") -> None:
        self.db = backend

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, target: str | Path = "porteparole.db") -> "Store":
        """Open a SQLite file (created if needed) or a ``postgresql://`` URL; migrate the schema."""
        target = str(target)
        if target.startswith(("postgresql://", "postgres://")):
            from .store_pg import PostgresBackend

            backend: _Backend = PostgresBackend(target)
        else:
            backend = SQLiteBackend(target)
        backend.migrate()
        return cls(backend)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def has_url(self, url: Optional[str]) -> bool:
        """Is an article with this URL stored?"""
        return bool(url) and self.db.one("SELECT 1 FROM articles WHERE url = ?", (url,)) is not None

    def has_text(self, text: str) -> bool:
        """Is an article with this content (after normalisation) stored?"""
        return self.db.one("SELECT 1 FROM articles WHERE content_hash = ?", (content_hash(text),)) is not None

    def add_article(self, article: Article, force: bool = False) -> AddResult:
        """Store one extracted article and its statements in one transaction.

        The same URL or the same content is stored once (unless ``force``, which
        replaces it); a near-duplicate of an earlier article (a syndicated copy) is
        stored with ``duplicate_of`` pointing at the earliest copy.
        """
        doc = article.document
        h = content_hash(doc.text)
        with self.db.transaction():
            old = self.db.one("SELECT id FROM articles WHERE content_hash = ? OR (url IS NOT NULL AND url = ?)", (h, doc.url))
            if old is not None and not force:
                same_url = doc.url and self.db.one("SELECT 1 FROM articles WHERE url = ?", (doc.url,))
                return AddResult(old[0], "duplicate-url" if same_url else "duplicate-content", old[0])
            if old is not None:
                self._delete(old[0])
            sh = simhash(doc.text)
            original = self._near_duplicate(sh, doc.published)
            aid = self.db.insert(
                "INSERT INTO articles (doc_id, url, source, title, published, lang, text, content_hash, simhash, duplicate_of, ingested_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.id, doc.url, doc.source, article.title.text if article.title else doc.title, doc.published,
                 article.lang, doc.text, h, sh, original, _now()))
            for band, value in enumerate(_bands(sh)):
                self.db.execute("INSERT INTO simhash_bands (article_id, band, value) VALUES (?, ?, ?)", (aid, band, value))
            self.db.index_article(aid)
            for idx, s in enumerate(article.statements):
                self._add_statement(aid, idx, s)
        return AddResult(aid, "stored", original)

    def _near_duplicate(self, sh: int, published: Optional[str]) -> Optional[int]:
        rows = self.db.all(
            "SELECT DISTINCT a.id, a.simhash, a.duplicate_of FROM simhash_bands b JOIN articles a ON a.id = b.article_id"
            " WHERE " + " OR ".join("(b.band = ? AND b.value = ?)" for _ in range(4)),
            tuple(x for band, value in enumerate(_bands(sh)) for x in (band, value)))
        for aid, other, dup in sorted(rows):
            if bin((sh ^ other) & ((1 << 64) - 1)).count("1") <= NEAR_DUPLICATE_BITS:
                return dup or aid
        return None

    def _add_statement(self, aid: int, idx: int, s: Statement) -> None:
        sid = self._speaker_id(s.speaker, s.speaker_type) if s.speaker else None
        m, c = s.mention, s.cue
        stid = self.db.insert(
            "INSERT INTO statements (article_id, idx, start_offset, end_offset, text, kind, speaker_id, speaker, speaker_type,"
            " mention_start, mention_end, mention_text, cue_start, cue_end, cue_text, nested_in)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, idx, s.start, s.end, s.text, s.kind, sid, s.speaker, s.speaker_type,
             m.start if m else None, m.end if m else None, m.text if m else None,
             c.start if c else None, c.end if c else None, c.text if c else None, s.nested_in))
        if m is not None:
            self.db.execute("INSERT INTO mentions (statement_id, speaker_id, start_offset, end_offset, text) VALUES (?, ?, ?, ?, ?)",
                            (stid, sid, m.start, m.end, m.text))
        self.db.index_statement(stid)

    def _speaker_id(self, name: str, stype: str) -> int:
        key = speaker_key(name)
        row = self.db.one("SELECT id FROM speakers WHERE key = ?", (key,))
        if row is not None:
            return row[0]
        return self.db.insert("INSERT INTO speakers (name, type, key) VALUES (?, ?, ?)", (name, stype, key))

    def _delete(self, aid: int) -> None:
        self.db.unindex_article(aid)
        self.db.execute("DELETE FROM mentions WHERE statement_id IN (SELECT id FROM statements WHERE article_id = ?)", (aid,))
        self.db.execute("DELETE FROM statements WHERE article_id = ?", (aid,))
        self.db.execute("DELETE FROM simhash_bands WHERE article_id = ?", (aid,))
        self.db.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = ?", (aid,))
        self.db.execute("DELETE FROM articles WHERE id = ?", (aid,))

    def add_failure(self, origin: str, reason: str) -> None:
        """Record an item that could not be ingested (once per origin and reason)."""
        with self.db.transaction():
            if self.db.one("SELECT 1 FROM failures WHERE origin = ? AND reason = ?", (origin, reason)) is None:
                self.db.execute("INSERT INTO failures (origin, reason, at) VALUES (?, ?, ?)", (origin, reason, _now()))

    # ------------------------------------------------------------------ reading
    def counts(self) -> dict[str, int]:
        """Numbers of articles, statements, speakers and failures."""
        return {t: self.db.one(f"SELECT COUNT(*) FROM {t}")[0] for t in ("articles", "statements", "speakers", "failures")}

    def quotes(self, flt: QuoteFilter = QuoteFilter(), limit: Optional[int] = 50, offset: int = 0) -> list[StoredStatement]:
        """Statements matching ``flt``, newest article first."""
        where, params = self._where(flt)
        sql = (_STATEMENT_SELECT + where + " ORDER BY COALESCE(a.published, a.ingested_at) DESC, s.article_id DESC, s.idx"
               + (" LIMIT ? OFFSET ?" if limit is not None else ""))
        if limit is not None:
            params += (limit, offset)
        return [StoredStatement(*row) for row in self.db.all(sql, params)]

    def iter_quotes(self, flt: QuoteFilter = QuoteFilter(), batch: int = 1000) -> Iterator[StoredStatement]:
        """Every matching statement, streamed in batches (for exports)."""
        offset = 0
        while True:
            rows = self.quotes(flt, limit=batch, offset=offset)
            yield from rows
            if len(rows) < batch:
                return
            offset += batch

    def _where(self, flt: QuoteFilter) -> tuple[str, tuple]:
        clauses, params = [], []
        if flt.speaker:
            clauses.append("(s.speaker_id IN (SELECT id FROM speakers WHERE key LIKE ?))")
            params.append("%" + speaker_key(flt.speaker) + "%")
        if flt.search:
            clause, p = self.db.search_clause(flt.search)
            clauses.append(clause)
            params.extend(p)
        if flt.since:
            clauses.append("COALESCE(a.published, a.ingested_at) >= ?")
            params.append(_date(flt.since, "since"))
        if flt.until:
            clauses.append("COALESCE(a.published, a.ingested_at) < ?")
            params.append(_date(flt.until, "until") + "T99")
        if flt.kind:
            clauses.append("s.kind = ?")
            params.append(flt.kind)
        if flt.source:
            clauses.append("(a.source LIKE ? OR a.url LIKE ?)")
            params.extend(["%" + flt.source + "%"] * 2)
        if flt.lang:
            clauses.append("a.lang = ?")
            params.append(flt.lang)
        if flt.article_id is not None:
            clauses.append("s.article_id = ?")
            params.append(flt.article_id)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    def speakers(self, top: Optional[int] = 20, flt: QuoteFilter = QuoteFilter()) -> list[SpeakerRow]:
        """Speakers by number of statements; syndicated copies (``duplicate_of``) are not counted."""
        where, params = self._where(flt)
        where = (where + " AND " if where else " WHERE ") + "a.duplicate_of IS NULL AND s.speaker_id IS NOT NULL"
        sql = ("SELECT sp.id, sp.name, sp.type, COUNT(*), COUNT(DISTINCT s.article_id),"
               " MIN(COALESCE(a.published, a.ingested_at)), MAX(COALESCE(a.published, a.ingested_at))"
               " FROM statements s JOIN articles a ON a.id = s.article_id JOIN speakers sp ON sp.id = s.speaker_id"
               + where + " GROUP BY sp.id, sp.name, sp.type ORDER BY COUNT(*) DESC, sp.name"
               + (" LIMIT ?" if top else ""))
        return [SpeakerRow(*r) for r in self.db.all(sql, params + ((top,) if top else ()))]

    def article(self, article_id: int) -> StoredArticle:
        """One article with its statements; raises :class:`StoreError` when there is none."""
        row = self.db.one("SELECT id, doc_id, url, source, title, published, lang, text, duplicate_of FROM articles WHERE id = ?",
                          (article_id,))
        if row is None:
            raise StoreError(f"no article with id {article_id}; `porteparole quotes` lists article ids")
        copies = tuple(r[0] for r in self.db.all("SELECT id FROM articles WHERE duplicate_of = ? ORDER BY id", (article_id,)))
        statements = tuple(self.quotes(QuoteFilter(article_id=article_id), limit=None))
        return StoredArticle(*row, copies=copies, statements=tuple(sorted(statements, key=lambda s: s.idx)))

    def failures(self) -> list[tuple[str, str, str]]:
        """Every recorded failure: (origin, reason, when)."""
        return [tuple(r) for r in self.db.all("SELECT origin, reason, at FROM failures ORDER BY id")]


_STATEMENT_SELECT = (
    "SELECT s.id, s.article_id, s.idx, s.start_offset, s.end_offset, s.text, s.kind, s.speaker, s.speaker_type, s.speaker_id,"
    " s.mention_text, s.cue_text, s.nested_in, a.title, a.url, a.source, a.published, a.lang, a.duplicate_of"
    " FROM statements s JOIN articles a ON a.id = s.article_id")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date(value: str, what: str) -> str:
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise QueryError(f"--{what} {value!r} is not a date; write it as YYYY-MM-DD (or YYYY-MM, YYYY)")
    return value


# ---------------------------------------------------------------------- backends
class _Backend:
    """What the store needs from a database: SQL with ``?`` parameters, transactions, search."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
    def one(self, sql: str, params: Sequence[Any] = ()) -> Optional[tuple]: ...
    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...
    def insert(self, sql: str, params: Sequence[Any]) -> int: ...
    def transaction(self): ...
    def migrate(self) -> None: ...
    def index_article(self, aid: int) -> None: ...
    def unindex_article(self, aid: int) -> None: ...
    def index_statement(self, sid: int) -> None: ...
    def search_clause(self, query: str) -> tuple[str, list]: ...
    def close(self) -> None: ...


SQLITE_SCHEMA = {
    1: """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY, doc_id TEXT, url TEXT UNIQUE, source TEXT, title TEXT, published TEXT, lang TEXT,
        text TEXT NOT NULL, content_hash TEXT NOT NULL UNIQUE, simhash INTEGER, duplicate_of INTEGER REFERENCES articles(id),
        ingested_at TEXT NOT NULL);
    CREATE TABLE simhash_bands (article_id INTEGER NOT NULL REFERENCES articles(id), band INTEGER NOT NULL, value INTEGER NOT NULL);
    CREATE INDEX simhash_bands_value ON simhash_bands (band, value);
    CREATE TABLE speakers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL UNIQUE);
    CREATE TABLE statements (
        id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
        start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
        speaker_id INTEGER REFERENCES speakers(id), speaker TEXT, speaker_type TEXT NOT NULL,
        mention_start INTEGER, mention_end INTEGER, mention_text TEXT, cue_start INTEGER, cue_end INTEGER, cue_text TEXT,
        nested_in INTEGER);
    CREATE INDEX statements_article ON statements (article_id);
    CREATE INDEX statements_speaker ON statements (speaker_id);
    CREATE INDEX articles_published ON articles (published);
    CREATE TABLE mentions (id INTEGER PRIMARY KEY, statement_id INTEGER NOT NULL REFERENCES statements(id),
        speaker_id INTEGER REFERENCES speakers(id), start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL);
    CREATE TABLE entities (id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles(id), label TEXT NOT NULL,
        start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL);
    CREATE TABLE failures (id INTEGER PRIMARY KEY, origin TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
    CREATE VIRTUAL TABLE statements_fts USING fts5 (text, speaker, tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE articles_fts USING fts5 (title, text, tokenize = 'unicode61 remove_diacritics 2');
    """,
}


class SQLiteBackend(_Backend):
    """An embedded SQLite file in WAL mode, FTS5 search without accents."""

    def __init__(self, path: str) -> None:
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the SQLite store {path!r} ({e}); check the path and its folder's permissions") from None
        self.path = path
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self._depth = 0

    def execute(self, sql, params=()):
        return self.conn.execute(sql, params)

    def one(self, sql, params=()):
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql, params=()):
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as e:
            if "fts5" in str(e) or "MATCH" in str(e) or "unterminated" in str(e):
                raise QueryError(f"malformed search ({e}); use words, \"exact phrases\", OR, NOT and prefix*") from None
            raise

    def insert(self, sql, params):
        return self.conn.execute(sql, params).lastrowid

    def transaction(self):
        return _SQLiteTransaction(self)

    def migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = self.one("SELECT MAX(version) FROM schema_version")
        current = row[0] or 0
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer porteparole (schema {current}); upgrade porteparole")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for stmt in SQLITE_SCHEMA[version].split(";"):
                    if stmt.strip():
                        self.conn.execute(stmt)
                self.conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def index_article(self, aid: int) -> None:
        self.conn.execute("INSERT INTO articles_fts (rowid, title, text) SELECT id, COALESCE(title, ''), text FROM articles WHERE id = ?", (aid,))

    def unindex_article(self, aid: int) -> None:
        self.conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (aid,))
        self.conn.execute("DELETE FROM statements_fts WHERE rowid IN (SELECT id FROM statements WHERE article_id = ?)", (aid,))

    def index_statement(self, sid: int) -> None:
        self.conn.execute("INSERT INTO statements_fts (rowid, text, speaker) SELECT id, text, COALESCE(speaker, '') FROM statements WHERE id = ?", (sid,))

    def search_clause(self, query: str) -> tuple[str, list]:
        if not query.strip():
            raise QueryError("empty search; give at least one word")
        return "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)", [query]

    def close(self) -> None:
        self.conn.close()


class _SQLiteTransaction:
    def __init__(self, db: SQLiteBackend) -> None:
        self.db = db

    def __enter__(self) -> None:
        if self.db._depth == 0:
            self.db.conn.execute("BEGIN IMMEDIATE")
        self.db._depth += 1

    def __exit__(self, et, e, tb) -> None:
        self.db._depth -= 1
        if self.db._depth == 0:
            self.db.conn.execute("ROLLBACK" if et else "COMMIT")
