"""The record: articles, statements, speakers and failures in SQLite or PostgreSQL.

``Store.open("porteparole.db")`` opens (and creates or migrates) an embedded SQLite
file in WAL mode with FTS5 full-text search; ``Store.open("postgresql://…")`` gives
the same API on PostgreSQL (psycopg 3, French and English text search with
``unaccent``).  Every article is written in one transaction, so an interrupted
ingest loses at most the article being written, and re-running it doubles nothing.

Searches use one small query language on both backends (:func:`parse_search`):
words, ``"exact phrases"``, ``OR``, ``NOT`` (or ``-word``) and ``prefix*``.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence
from urllib.parse import urlsplit

import numpy as np

from .errors import PorteparoleError
from .about import about_key, find_about
from . import commitments as tracking
from . import identity
from .commitments import StoredCommitment, StoredEvent
from .identity import Context, SpeakerInfo, resolve as resolve_speaker
from .models import Article, NamedEntity, Statement
from .quotations import MAX_SHINGLES, MIN_NEAR_WORDS, key_of as quote_key, may_share, near_copies, shingle_hashes
from .quotations import words as quote_words

SCHEMA_VERSION = 6
# Near-duplicates (syndicated copies of one story): MinHash over word 3-grams finds the
# candidates (LSH, BANDS bands of ROWS hashes), then the 3-grams themselves decide.
BANDS, ROWS = 32, 4
MIN_SHARED = 0.8     # share of the shorter text's 3-grams that the other text has
MIN_JACCARD = 0.5    # share of all 3-grams of the two texts that both have
MIN_SHINGLES = 10    # shorter texts are never linked as copies
SEARCH_HELP = 'use words, "exact phrases", OR, NOT (or -word) and prefix*'


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
    about: Optional[str] = None     # an entity the statement speaks about (any alias: « l'Otan » finds NATO)


@dataclass(frozen=True)
class SearchTerm:
    """A word or an exact phrase of a search, as its words; ``prefix``: the last one ends with ``*``."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class SearchClause:
    """Terms of a search joined by OR: one must match, or, when ``excluded``, none may."""

    terms: tuple[SearchTerm, ...]
    excluded: bool = False


@dataclass(frozen=True)
class QueryPlan:
    """How a backend runs one ``quotes`` query; only ever a matter of speed, never of which rows come back.

    ``drive``: what the query starts from — ``"date"`` walks the articles newest first (through the
    date index) and stops once the page is full, ``"speaker"`` takes the speakers' statements (their
    index) and ``"search"`` the set of full-text matches, both then sorted.  ``probe``: a search that
    does not drive is checked statement by statement in the full-text index, instead of against the
    set of all its matches (cheaper when the search matches a large share of the statements).
    """

    drive: str
    probe: bool = False


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
    quotation_id: Optional[int] = None
    addressee: Optional[str] = None       # whom the statement was made to (« aux journalistes », "told CNN"), resolved
    speaker_in_article: Optional[str] = None   # the speaker as this article names them (``speaker``: the record's name)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Quotation:
    """The same words reported by one or more articles: the quotation and its occurrences (oldest first)."""

    id: int
    text: str
    speaker: Optional[str]
    speaker_id: Optional[int]
    first_seen: Optional[str]
    outlets: tuple[str, ...]
    occurrences: tuple[StoredStatement, ...]


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
    quotations: int = 0       # distinct quotations (the same words reported by several articles count once)
    occurrences: int = 0      # every statement, syndicated copies included

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
    author: Optional[str] = None


@dataclass(frozen=True)
class AddResult:
    """What ``add_article`` did: stored, skipped as already there, or linked as a copy."""

    article_id: Optional[int]
    status: str               # "stored" | "duplicate-url" | "duplicate-content"
    duplicate_of: Optional[int] = None
    linked: int = 0           # articles that became syndicated copies (this one, or later ones it predates)


def content_hash(text: str) -> str:
    """Hash of the text after normalising case, accents, spaces and punctuation."""
    return hashlib.sha256(_normal(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> frozenset[str]:
    """The word 3-grams of a text, without case, accents or punctuation."""
    words = _normal(text).split()
    return frozenset(" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))) if words else frozenset()


def same_story(a: frozenset[str], b: frozenset[str]) -> bool:
    """Are two texts (as their 3-grams) copies of one story, give or take a title, a byline or a footer?"""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return False
    shared = len(a & b)
    return shared >= MIN_SHARED * min(len(a), len(b)) and shared >= MIN_JACCARD * len(a | b)


def _seeds(name: bytes) -> np.ndarray:
    return np.array([int.from_bytes(hashlib.blake2b(name + b"%d" % i, digest_size=8).digest(), "big")
                     for i in range(BANDS * ROWS)], dtype=np.uint64)


_MUL, _ADD = _seeds(b"porteparole-minhash-mul") | np.uint64(1), _seeds(b"porteparole-minhash-add")


def story_bands(grams: frozenset[str]) -> list[int]:
    """The MinHash LSH band values of a text's 3-grams: texts sharing one band are candidate copies."""
    hashes = np.array([int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big") for g in grams],
                      dtype=np.uint64)
    signature = (np.multiply.outer(hashes, _MUL) + _ADD).min(axis=0)
    return [int.from_bytes(hashlib.blake2b(signature[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=4).digest(), "big")
            & 0x7FFFFFFF for b in range(BANDS)]


def _normal(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", s))


def speaker_key(name: str) -> str:
    """The key speakers are merged on within the store: the name without case or accents."""
    return _normal(name)


# ---------------------------------------------------------------------- search
def parse_search(query: str) -> tuple[SearchClause, ...]:
    """Parse a search: words (all must match), ``"exact phrases"``, ``a OR b``, ``NOT a`` or ``-a``, ``prefix*``.

    Punctuation inside a word joins its parts into a phrase (« l'Otan », « porte-parole »).
    Raises :class:`QueryError` for an unbalanced quote, a dangling OR or NOT, or nothing to look for.
    """
    clauses: list[SearchClause] = []
    negate = join = False
    for kind, text, prefix in _search_tokens(query):
        if kind == "op":
            negate, join = _operator(query, text, clauses, negate, join)
            continue
        words = tuple(re.findall(r"[^\W_]+", text))
        if not words:
            if negate or join:
                raise QueryError(f"{'OR' if join else 'NOT'} must be followed by a word in search {query!r}; {SEARCH_HELP}")
            continue
        term = SearchTerm(words, prefix)
        if join:
            clauses[-1] = SearchClause(clauses[-1].terms + (term,))
        else:
            clauses.append(SearchClause((term,), negate))
        negate = join = False
    if negate or join:
        raise QueryError(f"{'OR' if join else 'NOT'} must be followed by a word in search {query!r}; {SEARCH_HELP}")
    if not any(not c.excluded for c in clauses):
        raise QueryError(f"nothing to search for in {query!r}: give at least one word that is not excluded; {SEARCH_HELP}")
    return tuple(clauses)


def _operator(query: str, op: str, clauses: list[SearchClause], negate: bool, join: bool) -> tuple[bool, bool]:
    """The (negate, join) state after the operator ``op`` (AND, OR or NOT)."""
    if negate or join:
        raise QueryError(f"{'OR' if join else 'NOT'} must be followed by a word, not {op}, in search {query!r}; {SEARCH_HELP}")
    if op == "OR":
        if not clauses or clauses[-1].excluded:
            raise QueryError(f"OR must stand between two words in search {query!r}; {SEARCH_HELP}")
        return False, True
    return op == "NOT", False


def _search_tokens(query: str) -> Iterator[tuple[str, str, bool]]:
    """("op", "AND"|"OR"|"NOT", False) or ("term", text, prefix) for each piece of a search."""
    s = unicodedata.normalize("NFC", query)
    i, n = 0, len(s)
    while i < n:
        if s[i].isspace():
            i += 1
            continue
        if s[i] == "-" and i + 1 < n and (s[i + 1] == '"' or s[i + 1].isalnum()):
            yield "op", "NOT", False
            i += 1
        if s[i] == '"':
            end = s.find('"', i + 1)
            if end < 0:
                raise QueryError(f'unbalanced quote in search {query!r}: close the phrase with a second "; {SEARCH_HELP}')
            prefix = s[end + 1:end + 2] == "*"
            yield "term", s[i + 1:end], prefix
            i = end + 1 + prefix
            continue
        j = i
        while j < n and not s[j].isspace() and s[j] != '"':
            j += 1
        word = s[i:j]
        i = j
        if word in ("AND", "OR", "NOT"):
            yield "op", word, False
        else:
            yield "term", word, word.endswith("*")


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
        try:
            backend.migrate()
        except BaseException:
            backend.close()
            raise
        return cls(backend)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def schema_version(self) -> int:
        """The schema version of the open store."""
        return self.db.one("SELECT MAX(version) FROM schema_version")[0]

    # ------------------------------------------------------------------ writing
    def has_url(self, url: Optional[str]) -> bool:
        """Is an article with this URL stored?"""
        return bool(url) and self.db.one("SELECT 1 FROM articles WHERE url = ?", (url,)) is not None

    def has_text(self, text: str) -> bool:
        """Is an article with this content (after normalisation) stored?"""
        return self.db.one("SELECT 1 FROM articles WHERE content_hash = ?", (content_hash(text),)) is not None

    def add_article(self, article: Article, force: bool = False) -> AddResult:
        """Store one extracted article and its statements in one transaction.

        The same URL or the same content is stored once; ``force`` replaces the stored
        article (which keeps its id).  A near-duplicate of another article (a syndicated
        copy) is linked to the earliest published copy of the story: ``duplicate_of``.
        """
        doc = article.document
        h = content_hash(doc.text)
        with self.db.transaction():
            self.db.lock()
            old = self.db.all("SELECT id, url FROM articles WHERE content_hash = ? OR url = ? ORDER BY id", (h, doc.url))
            if old and not force:
                same_url = any(doc.url and url == doc.url for _, url in old)
                return AddResult(old[0][0], "duplicate-url" if same_url else "duplicate-content", old[0][0])
            gone = [aid for aid, _ in old]
            marks = [m for aid in gone for m in tracking.marks_of(self.db, aid)]
            copies = [c for aid in gone for c in self._delete(aid) if c not in gone]
            aid = self._insert_article(article, h, gone[0] if gone else None)
            for idx, s in enumerate(article.statements):
                self._add_statement(aid, idx, s, doc.text, article.entities, article.lang, doc.published)
            self._add_entities(aid, article)
            tracking.store_article(self.db, aid, article, marks)
            original, linked = self._link_copies(aid, doc.text)
            for c in copies:
                self._link_copies(c, self.db.one("SELECT text FROM articles WHERE id = ?", (c,))[0])
        return AddResult(aid, "stored", original, linked)

    def _insert_article(self, article: Article, h: str, aid: Optional[int]) -> int:
        doc = article.document
        values = (doc.id, doc.url, doc.source, article.title.text if article.title else doc.title, doc.published,
                  article.lang, doc.text, h, _now(), doc.author)
        columns = "doc_id, url, source, title, published, lang, text, content_hash, ingested_at, author"
        if aid is not None:
            columns, values = "id, " + columns, (aid,) + values
        aid = self.db.insert(f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * len(values))})", values)
        grams = shingles(doc.text)
        if len(grams) >= MIN_SHINGLES:
            bands = story_bands(grams)
            self.db.execute("INSERT INTO story_bands (article_id, band, value) VALUES " + ", ".join(["(?, ?, ?)"] * len(bands)),
                            tuple(x for band, value in enumerate(bands) for x in (aid, band, value)))
        self.db.index_article(aid)
        return aid

    def _link_copies(self, aid: int, text: str) -> tuple[Optional[int], int]:
        """Link article ``aid`` and the copies of its story to the earliest one.

        Returns what ``aid`` is a copy of (None: of nothing) and how many articles became copies.
        """
        group = self._near_roots(aid, shingles(text)) | {self._root(aid)}
        if len(group) == 1:
            return (None if aid in group else next(iter(group))), 0
        dated = self.db.all(f"SELECT id, published FROM articles WHERE id IN ({_marks(group)})", tuple(group))
        first = min(dated, key=lambda r: (r[1] is None, r[1] or "", r[0]))[0]
        others = tuple(sorted(group - {first}))
        self.db.execute(f"UPDATE articles SET duplicate_of = ? WHERE id IN ({_marks(others)}) OR duplicate_of IN ({_marks(others)})",
                        (first,) + others + others)
        return (None if first == aid else first), len(others)

    def _near_roots(self, aid: int, grams: frozenset[str]) -> set[int]:
        """The earliest copies (roots) of the stories that ``grams`` is a near-duplicate of."""
        if len(grams) < MIN_SHINGLES:
            return set()
        bands = story_bands(grams)
        rows = self.db.all(
            "SELECT a.id, a.text, a.duplicate_of FROM articles a WHERE a.id <> ? AND a.id IN (SELECT article_id FROM story_bands"
            " WHERE " + " OR ".join("(band = ? AND value = ?)" for _ in bands) + ")",
            (aid,) + tuple(x for band, value in enumerate(bands) for x in (band, value)))
        return {dup or other for other, text, dup in rows if same_story(grams, shingles(text))} - {aid}

    def _root(self, aid: int) -> int:
        row = self.db.one("SELECT duplicate_of FROM articles WHERE id = ?", (aid,))
        return row[0] or aid

    def _add_statement(self, aid: int, idx: int, s: Statement, text: str, entities: Sequence[NamedEntity] = (),
                       lang: Optional[str] = None, published: Optional[str] = None) -> None:
        context = Context(lang, s.mention.text if s.mention else None, published, aid)
        sid = resolve_speaker(self.db, s.speaker, s.speaker_type, context) if s.speaker else None
        m, c = s.mention, s.cue
        t = getattr(s, "addressee", None)
        stid = self.db.insert(
            "INSERT INTO statements (article_id, idx, start_offset, end_offset, text, kind, speaker_id, speaker, speaker_type,"
            " mention_start, mention_end, mention_text, cue_start, cue_end, cue_text, nested_in,"
            " addressee_start, addressee_end, addressee_text, addressee)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, idx, s.start, s.end, s.text, s.kind, sid, s.speaker, s.speaker_type,
             m.start if m else None, m.end if m else None, m.text if m else None,
             c.start if c else None, c.end if c else None, c.text if c else None, s.nested_in,
             t.start if t else None, t.end if t else None, t.text if t else None,
             getattr(s, "addressee_name", None) or (t.text if t else None)))
        if m is not None:
            self.db.execute("INSERT INTO mentions (statement_id, speaker_id, start_offset, end_offset, text) VALUES (?, ?, ?, ?, ?)",
                            (stid, sid, m.start, m.end, m.text))
        self.db.index_statement(stid)
        self._link_quotation(stid, s.text, sid)
        self._add_about(stid, text, s, entities)

    def _add_about(self, stid: int, text: str, s: Statement, entities: Sequence[NamedEntity]) -> None:
        """The entities the statement speaks about, keyed by canonical name (see :mod:`porteparole.about`)."""
        exclude = [(s.mention.start, s.mention.end)] if s.mention else []
        found = find_about(text, s.start, s.end, entities, exclude=exclude)
        if found:
            self.db.execute("INSERT INTO statement_entities (statement_id, start_offset, end_offset, text, label, key) VALUES "
                            + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(found)),
                            tuple(x for a in found for x in (stid, a.start, a.end, a.text, a.label, a.key)))

    def statement_about(self, statement_ids: Iterable[int]) -> dict[int, list[tuple[int, int, str, str]]]:
        """What each statement speaks about: id → [(start, end, text, key)] in text order."""
        ids = sorted(set(statement_ids))
        out: dict[int, list[tuple[int, int, str, str]]] = {i: [] for i in ids}
        if ids:
            for sid, a, b, t, k in self.db.all("SELECT statement_id, start_offset, end_offset, text, key FROM statement_entities"
                                               f" WHERE statement_id IN ({_marks(ids)}) ORDER BY statement_id, start_offset",
                                               tuple(ids)):
                out[sid].append((a, b, t, k))
        return out

    def speaker_topics(self, speaker_id: int, top: int = 10) -> list[tuple[str, str, int]]:
        """What a speaker talks about most: (key, the words most used for it, statements), most first."""
        rows = self.db.all("SELECT e.key, e.text, COUNT(DISTINCT e.statement_id) FROM statement_entities e"
                           " JOIN statements s ON s.id = e.statement_id JOIN articles a ON a.id = s.article_id"
                           " WHERE s.speaker_id = ? AND a.duplicate_of IS NULL GROUP BY e.key, e.text", (speaker_id,))
        totals: dict[str, int] = {}
        shown: dict[str, tuple[int, str]] = {}
        for key, words, n in rows:
            totals[key] = totals.get(key, 0) + n
            if n > shown.get(key, (0, ""))[0]:
                shown[key] = (n, words)
        order = sorted(totals, key=lambda k: (-totals[k], k))[:top]
        return [(k, shown[k][1], totals[k]) for k in order]

    def _link_quotation(self, stid: int, text: str, speaker_id: Optional[int]) -> Optional[int]:
        """Attach a new statement to the quotation it repeats (same or nearly the same words), or to a new one."""
        tokens = quote_words(text)
        if not tokens:
            return None
        key = quote_key(tokens)
        qid = None
        for cand, cand_speaker in self.db.all("SELECT id, speaker_id FROM quotations WHERE key = ? ORDER BY id", (key,)):
            if may_share(tokens, speaker_id, cand_speaker):
                qid = cand
                break
        hashes = sorted(shingle_hashes(tokens))[:MAX_SHINGLES]
        if qid is None and len(tokens) >= MIN_NEAR_WORDS and hashes:
            rows = self.db.all(
                f"SELECT quotation_id, COUNT(*) FROM quotation_shingles WHERE hash IN ({_marks(hashes)})"
                " GROUP BY quotation_id ORDER BY COUNT(*) DESC, quotation_id LIMIT 5", tuple(hashes))
            for cand, _ in rows:
                other = self.db.one("SELECT text FROM quotations WHERE id = ?", (cand,))
                if other and near_copies(tokens, quote_words(other[0])):
                    qid = cand
                    break
        if qid is None:
            qid = self.db.insert("INSERT INTO quotations (speaker_id, text, key, words) VALUES (?, ?, ?, ?)",
                                 (speaker_id, text, key, len(tokens)))
            if hashes:
                self.db.execute("INSERT INTO quotation_shingles (quotation_id, hash) VALUES " + ", ".join(["(?, ?)"] * len(hashes)),
                                tuple(x for h in hashes for x in (qid, h)))
        self.db.execute("UPDATE statements SET quotation_id = ? WHERE id = ?", (qid, stid))
        return qid

    def quotation(self, quotation_id: int) -> Quotation:
        """A quotation with its occurrences, oldest first; :class:`StoreError` when there is none."""
        row = self.db.one("SELECT id, text, speaker_id FROM quotations WHERE id = ?", (quotation_id,))
        if row is None:
            raise StoreError(f"no quotation with id {quotation_id}; the statements' quotation_id gives them")
        rows = self.db.all(_STATEMENT_COLUMNS + f", {_DATE}" + _STATEMENTS_FROM + " WHERE s.quotation_id = ?"
                           f" ORDER BY {_DATE}{self.db.binary}, a.id, s.idx", (quotation_id,))
        occurrences = tuple(StoredStatement(*r[:-1]) for r in rows)
        speakers = [o.speaker for o in occurrences if o.speaker]
        speaker = max(set(speakers), key=lambda n: (speakers.count(n), -speakers.index(n))) if speakers else None
        speaker_id = next((o.speaker_id for o in occurrences if o.speaker == speaker), row[2])
        outlets = tuple(dict.fromkeys(o.source or urlsplit(o.url or "").netloc for o in occurrences if o.source or o.url))
        return Quotation(row[0], occurrences[0].text if occurrences else row[1], speaker, speaker_id,
                         rows[0][-1] if rows else None, outlets, occurrences)

    def quotation_counts(self, quotation_ids: Iterable[Optional[int]]) -> dict[int, int]:
        """Occurrences of each of these quotations (statements of every article, syndicated copies included)."""
        ids = sorted({q for q in quotation_ids if q is not None})
        if not ids:
            return {}
        return {r[0]: r[1] for r in self.db.all(f"SELECT quotation_id, COUNT(*) FROM statements WHERE quotation_id IN ({_marks(ids)})"
                                                " GROUP BY quotation_id", tuple(ids))}

    def _add_entities(self, aid: int, article: Article) -> None:
        """The named entities of the article, with their offsets."""
        for e in article.entities:
            self.db.execute("INSERT INTO entities (article_id, label, start_offset, end_offset, text) VALUES (?, ?, ?, ?, ?)",
                            (aid, e.label, e.start, e.end, e.text))

    def entities(self, article_id: int) -> list[tuple[int, int, str, str]]:
        """The named entities stored for an article: (start, end, text, label)."""
        return [tuple(r) for r in self.db.all("SELECT start_offset, end_offset, text, label FROM entities WHERE article_id = ?"
                                              " ORDER BY start_offset", (article_id,))]

    def _delete(self, aid: int) -> list[int]:
        """Delete an article and everything of it; return its copies, unlinked."""
        copies = [r[0] for r in self.db.all("SELECT id FROM articles WHERE duplicate_of = ? ORDER BY id", (aid,))]
        self.db.execute("DELETE FROM entities WHERE article_id = ?", (aid,))
        self.db.unindex_article(aid)
        self.db.execute("DELETE FROM mentions WHERE statement_id IN (SELECT id FROM statements WHERE article_id = ?)", (aid,))
        self.db.execute("DELETE FROM statement_entities WHERE statement_id IN (SELECT id FROM statements WHERE article_id = ?)", (aid,))
        quotations = [r[0] for r in self.db.all("SELECT DISTINCT quotation_id FROM statements WHERE article_id = ?"
                                                " AND quotation_id IS NOT NULL", (aid,))]
        self.db.execute("DELETE FROM statements WHERE article_id = ?", (aid,))
        for qid in quotations:
            if self.db.one("SELECT 1 FROM statements WHERE quotation_id = ? LIMIT 1", (qid,)) is None:
                self.db.execute("DELETE FROM quotation_shingles WHERE quotation_id = ?", (qid,))
                self.db.execute("DELETE FROM quotations WHERE id = ?", (qid,))
        self.db.execute("DELETE FROM story_bands WHERE article_id = ?", (aid,))
        self.db.execute("DELETE FROM reviewed_articles WHERE article_id = ?", (aid,))
        tracking.delete_article(self.db, aid)
        self.db.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = ?", (aid,))
        self.db.execute("DELETE FROM articles WHERE id = ?", (aid,))
        return copies

    def add_failure(self, origin: str, reason: str) -> None:
        """Record an item that could not be ingested (once per origin and reason)."""
        with self.db.transaction():
            self.db.lock()
            if self.db.one("SELECT 1 FROM failures WHERE origin = ? AND reason = ?", (origin, reason)) is None:
                self.db.execute("INSERT INTO failures (origin, reason, at) VALUES (?, ?, ?)", (origin, reason, _now()))

    def quotes_after(self, flt: QuoteFilter, after: Optional[tuple[str, int, int]], limit: int,
                     speaker_id: Optional[int] = None) -> list[tuple[StoredStatement, str]]:
        """Keyset paging over :meth:`quotes`' order: up to ``limit`` statements after the position
        ``after`` = (sort date, article id, idx), each with its sort date.  Rows stored meanwhile
        never shift a page.  Speaker and search filters go through the same plans as :meth:`quotes`."""
        plan = self._plan(flt, limit, 0) if speaker_id is None else None
        where, params = self._where(flt, plan)
        clauses, extra = [], []
        binary = self.db.binary
        if speaker_id is not None:
            clauses.append("s.speaker_id = ?")
            extra.append(speaker_id)
        if after is not None:
            date, aid, idx = after
            clauses.append(f"({_DATE}{binary} < ? OR ({_DATE}{binary} = ? AND (a.id < ? OR (a.id = ? AND s.idx > ?))))")
            extra += [date, date, aid, aid, idx]
        if clauses:
            where = (where + " AND " if where else " WHERE ") + " AND ".join(clauses)
        sql = (_STATEMENT_COLUMNS + f", {_DATE}" + self.db.statements_from(plan) + where
               + f" ORDER BY {_DATE}{binary} DESC, a.id DESC, s.idx LIMIT ?")
        rows = self.db.all(sql, tuple(params) + tuple(extra) + (limit,))
        return [(StoredStatement(*r[:-1]), r[-1]) for r in rows]

    def speaker(self, speaker_id: int) -> tuple[str, str]:
        """(name, type) of a stored speaker; :class:`StoreError` when there is none."""
        row = self.db.one("SELECT name, type FROM speakers WHERE id = ?", (speaker_id,))
        if row is None:
            raise StoreError(f"no speaker with id {speaker_id}; `porteparole speakers` lists speakers")
        return row[0], row[1]

    # ------------------------------------------------------------------ commitments and meetings (porteparole.commitments)
    def commitments(self, speaker: Optional[str] = None, status: Optional[str] = None, article_id: Optional[int] = None,
                    today: Optional[date] = None, limit: Optional[int] = None) -> list["StoredCommitment"]:
        """Commitments, nearest deadline first; ``speaker`` by any alias, ``status`` open/due/kept/broken/unclear."""
        ids = None
        if speaker is not None:
            known = _alias_keys(speaker)
            also = f" OR key IN ({_marks(known)})" if known else ""
            ids = [r[0] for r in self.db.all(f"SELECT DISTINCT speaker_id FROM speaker_aliases WHERE key LIKE ? ESCAPE '\\'{also}",
                                             ("%" + _like(_speaker_query(speaker)) + "%", *known))]
        return tracking.list_commitments(self.db, ids, status, article_id, today, limit)

    def commitment(self, commitment_id: int) -> "StoredCommitment":
        """One commitment; :class:`porteparole.commitments.CommitmentError` when there is none."""
        return tracking.commitment(self.db, commitment_id)

    def mark_commitment(self, commitment_id: int, status: str, evidence_article: Optional[int] = None,
                        evidence_idx: Optional[int] = None, note: Optional[str] = None) -> "StoredCommitment":
        """Editors: kept / broken / unclear (or open to clear), with the article (and statement) that shows it."""
        with self.db.transaction():
            return tracking.mark(self.db, commitment_id, status, evidence_article, evidence_idx, note, _now())

    def events(self, article_id: Optional[int] = None, limit: Optional[int] = None) -> list["StoredEvent"]:
        """Meetings, calls and summits, the latest first."""
        return tracking.list_events(self.db, article_id, limit)

    # ------------------------------------------------------------------ speakers as people (see porteparole.identity)
    def speaker_info(self, speaker_id: int) -> "SpeakerInfo":
        """A speaker with every alias seen and the roles seen with their dates."""
        return identity.speaker_info(self.db, speaker_id)

    def find_speaker(self, ref: str) -> int:
        """A speaker's id from an id or one of its names."""
        return identity.find_speaker(self.db, ref)

    def merge_speakers(self, keep: int, other: int) -> None:
        """Editors: ``other`` is the same speaker as ``keep`` (kept through re-ingest)."""
        with self.db.transaction():
            self.db.lock()
            identity.merge(self.db, keep, other)

    def split_speaker(self, speaker_id: int, alias: str) -> int:
        """Editors: the alias ``alias`` of a speaker is someone else; returns the new speaker's id."""
        with self.db.transaction():
            self.db.lock()
            return identity.split(self.db, speaker_id, alias)

    def rename_speaker(self, speaker_id: int, name: str) -> None:
        """Editors: the name to show for a speaker."""
        with self.db.transaction():
            self.db.lock()
            identity.rename(self.db, speaker_id, name)

    def rebuild_speakers(self) -> int:
        """Resolve every statement's speaker again (editors' fixes kept); returns the number of speakers."""
        with self.db.transaction():
            self.db.lock()
            return identity.rebuild(self.db)

    def clear_failures(self, origin: str) -> int:
        """Forget the failures of ``origin`` (it has now been ingested); returns how many."""
        if not origin:
            return 0
        with self.db.transaction():
            n = self.db.one("SELECT COUNT(*) FROM failures WHERE origin = ?", (origin,))[0]
            if n:
                self.db.execute("DELETE FROM failures WHERE origin = ?", (origin,))
        return n

    # ------------------------------------------------------------------ reading
    def counts(self) -> dict[str, int]:
        """Numbers of articles, statements, speakers (who have statements) and failures."""
        sql = {t: f"SELECT COUNT(*) FROM {t}" for t in ("articles", "statements", "failures")}
        sql["speakers"] = "SELECT COUNT(DISTINCT speaker_id) FROM statements"
        return {t: self.db.one(sql[t])[0] for t in ("articles", "statements", "speakers", "failures")}

    def quotes(self, flt: QuoteFilter = QuoteFilter(), limit: Optional[int] = 50, offset: int = 0) -> list[StoredStatement]:
        """Statements matching ``flt``, newest article first."""
        _not_negative("limit", limit)
        _not_negative("offset", offset)
        where, params = self._where(flt)
        plan = self._plan(flt, limit, offset)
        if plan is not None:
            where, params = self._where(flt, plan)
        sql = (_STATEMENT_COLUMNS + self.db.statements_from(plan) + where
               + f" ORDER BY {_DATE}{self.db.binary} DESC, a.id DESC, s.idx"
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

    def _plan(self, flt: QuoteFilter, limit: Optional[int], offset: int) -> Optional[QueryPlan]:
        """The backend's plan for a page of ``quotes`` filtered by speaker or search (None: its own planner decides)."""
        if (flt.speaker is None and flt.search is None) or flt.article_id is not None:
            return None
        speaker = None if flt.speaker is None else "%" + _like(_speaker_query(flt.speaker)) + "%"
        search = None if flt.search is None else parse_search(flt.search)
        return self.db.quote_plan(speaker, search, None if limit is None else limit + offset)

    def _where(self, flt: QuoteFilter, plan: Optional[QueryPlan] = None) -> tuple[str, tuple]:
        clauses, params = [], []
        if flt.speaker is not None:
            # with a plan (SQLite only), unary + keeps a filter that does not drive the query off its index
            lead = "" if plan is None or plan.drive == "speaker" else "+"
            known = _alias_keys(flt.speaker)
            also = f" OR key IN ({_marks(known)})" if known else ""
            clauses.append(f"({lead}s.speaker_id IN (SELECT speaker_id FROM speaker_aliases WHERE key LIKE ? ESCAPE '\\'{also}))")
            params.append("%" + _like(_speaker_query(flt.speaker)) + "%")
            params.extend(known)
        if flt.search is not None:
            clause, p = self.db.search_clause(parse_search(flt.search), plan)
            clauses.append(clause)
            params.extend(p)
        if flt.since:
            clauses.append(f"{_DATE}{self.db.binary} >= ?")
            params.append(_date(flt.since, "since"))
        if flt.until:
            clauses.append(f"{_DATE}{self.db.binary} < ?")
            params.append(_date(flt.until, "until") + "T99")
        if flt.kind:
            clauses.append("s.kind = ?")
            params.append(flt.kind)
        if flt.source:
            clauses.append("(LOWER(a.source) LIKE ? ESCAPE '\\' OR LOWER(a.url) LIKE ? ESCAPE '\\')")
            params.extend(["%" + _like(flt.source.lower()) + "%"] * 2)
        if flt.lang:
            clauses.append("a.lang = ?")
            params.append(flt.lang)
        if flt.article_id is not None:
            clauses.append("s.article_id = ?")
            params.append(flt.article_id)
        if flt.about:
            clauses.append("s.id IN (SELECT statement_id FROM statement_entities WHERE key = ?)")
            params.append(about_key(flt.about))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    def speakers(self, top: Optional[int] = 20, flt: QuoteFilter = QuoteFilter()) -> list[SpeakerRow]:
        """Speakers by number of statements; syndicated copies (``duplicate_of``) are not counted."""
        _not_negative("top", top)
        where, params = self._where(flt)
        where = (where + " AND " if where else " WHERE ") + "a.duplicate_of IS NULL AND s.speaker_id IS NOT NULL"
        sql = (f"SELECT sp.id, sp.name, sp.type, COUNT(*), COUNT(DISTINCT s.article_id), MIN({_DATE}{self.db.binary}),"
               f" MAX({_DATE}{self.db.binary}), COUNT(DISTINCT COALESCE(s.quotation_id, -s.id)),"
               " (SELECT COUNT(*) FROM statements o WHERE o.speaker_id = sp.id)"
               f"{_STATEMENTS_FROM} JOIN speakers sp ON sp.id = s.speaker_id"
               + where + f" GROUP BY sp.id, sp.name, sp.type, sp.key ORDER BY COUNT(*) DESC, sp.key{self.db.binary}, sp.id"
               + (" LIMIT ?" if top else ""))
        return [SpeakerRow(*r) for r in self.db.all(sql, params + ((top,) if top else ()))]

    def article(self, article_id: int) -> StoredArticle:
        """One article with its statements; raises :class:`StoreError` when there is none."""
        row = self.db.one("SELECT id, doc_id, url, source, title, published, lang, text, duplicate_of, author FROM articles WHERE id = ?",
                          (article_id,))
        if row is None:
            raise StoreError(f"no article with id {article_id}; `porteparole quotes` lists article ids")
        copies = tuple(r[0] for r in self.db.all("SELECT id FROM articles WHERE duplicate_of = ? ORDER BY id", (article_id,)))
        statements = tuple(self.quotes(QuoteFilter(article_id=article_id), limit=None))
        return StoredArticle(*row[:9], copies=copies, statements=tuple(sorted(statements, key=lambda s: s.idx)), author=row[9])

    def statement_marks(self, article_id: int) -> dict[int, tuple[Optional[int], Optional[int], Optional[int], Optional[int]]]:
        """Offsets of each statement's speaker mention and cue: idx → (mention start, end, cue start, end)."""
        rows = self.db.all("SELECT idx, mention_start, mention_end, cue_start, cue_end FROM statements WHERE article_id = ?",
                           (article_id,))
        return {r[0]: tuple(r[1:]) for r in rows}

    def speaker_dates(self, speaker_id: int) -> list[str]:
        """The date (published, else ingested) of each statement of a speaker, syndicated copies left out."""
        return [r[0] for r in self.db.all(f"SELECT {_DATE}{_STATEMENTS_FROM} WHERE s.speaker_id = ? AND a.duplicate_of IS NULL",
                                          (speaker_id,))]

    def speaker_mentions(self, speaker_id: int, top: int = 10) -> list[tuple[str, int]]:
        """The words the articles name a speaker with (« le porte-parole du Kremlin », « il »…), most frequent first."""
        return [tuple(r) for r in self.db.all(
            "SELECT mention_text, COUNT(*) FROM statements WHERE speaker_id = ? AND mention_text IS NOT NULL"
            f" GROUP BY mention_text ORDER BY COUNT(*) DESC, mention_text{self.db.binary} LIMIT ?", (speaker_id, top))]

    def co_speakers(self, speaker_id: int, top: int = 10) -> list[tuple[int, str, int]]:
        """Speakers quoted in the same articles as ``speaker_id``: (id, name, articles in common), most first."""
        return [tuple(r) for r in self.db.all(
            "SELECT sp.id, sp.name, COUNT(DISTINCT o.article_id) FROM statements o JOIN speakers sp ON sp.id = o.speaker_id"
            " WHERE o.article_id IN (SELECT s.article_id FROM statements s JOIN articles a ON a.id = s.article_id"
            "   WHERE s.speaker_id = ? AND a.duplicate_of IS NULL) AND o.speaker_id <> ?"
            f" GROUP BY sp.id, sp.name ORDER BY COUNT(DISTINCT o.article_id) DESC, sp.name{self.db.binary} LIMIT ?",
            (speaker_id, speaker_id, top))]

    def sources(self) -> list[str]:
        """The outlets of the record (distinct non-empty sources)."""
        return [r[0] for r in self.db.all("SELECT DISTINCT source FROM articles WHERE source IS NOT NULL AND source <> ''")]

    def failures(self) -> list[tuple[str, str, str]]:
        """Every recorded failure: (origin, reason, when)."""
        return [tuple(r) for r in self.db.all("SELECT origin, reason, at FROM failures ORDER BY id")]


_DATE = "COALESCE(a.published, a.ingested_at)"
_STATEMENT_COLUMNS = (
    "SELECT s.id, s.article_id, s.idx, s.start_offset, s.end_offset, s.text, s.kind,"
    " COALESCE((SELECT sp.name FROM speakers sp WHERE sp.id = s.speaker_id), s.speaker), s.speaker_type, s.speaker_id,"
    " s.mention_text, s.cue_text, s.nested_in, a.title, a.url, a.source, a.published, a.lang, a.duplicate_of, s.quotation_id,"
    " s.addressee, s.speaker")
_STATEMENTS_FROM = " FROM statements s JOIN articles a ON a.id = s.article_id"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date(value: str, what: str) -> str:
    """A date filter as YYYY-MM-DD, YYYY-MM or YYYY, checked against the calendar."""
    value = value.strip()
    for pattern, fmt in ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{4}-\d{2}", "%Y-%m"), (r"\d{4}", "%Y")):
        if re.fullmatch(pattern, value):
            try:
                datetime.strptime(value, fmt)
            except ValueError:
                break
            return value
    raise QueryError(f"--{what} {value!r} is not a date; write it as YYYY-MM-DD (or YYYY-MM, YYYY)")


def _alias_keys(name: str) -> list[str]:
    """The alias keys of every name the alias table gives for ``name``'s person (« Putin » → « poutine »…)."""
    from .people import default_aliases

    table = default_aliases()
    canonical = table.canonical(name)
    entity = table.entity(canonical) if canonical else None
    return sorted({speaker_key(n) for n in entity.names} - {""}) if entity else []


def _speaker_query(name: str) -> str:
    key = speaker_key(name)
    if not key:
        raise QueryError(f"--speaker {name!r} has no letters; give a name or part of one")
    return key


def _not_negative(what: str, value: Optional[int]) -> None:
    if value is not None and value < 0:
        raise QueryError(f"--{what} must be 0 or more, not {value}")


def _like(value: str) -> str:
    """``value`` as a literal inside a LIKE pattern (escape ``\\``, ``%`` and ``_``)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _marks(values: Iterable) -> str:
    return ", ".join("?" for _ in values)


def fts5_query(clauses: Sequence[SearchClause]) -> str:
    """A parsed search as an FTS5 MATCH expression (every term quoted, so nothing in it is syntax)."""
    def term(t: SearchTerm) -> str:
        return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")

    def clause(c: SearchClause) -> str:
        return "(" + " OR ".join(term(t) for t in c.terms) + ")"

    positive = " AND ".join(clause(c) for c in clauses if not c.excluded)
    return "(" + positive + ")" + "".join(" NOT " + clause(c) for c in clauses if c.excluded)


# ---------------------------------------------------------------------- backends
class _Backend:
    """What the store needs from a database: SQL with ``?`` parameters, transactions, search."""

    binary = ""     # COLLATE clause that compares text code point by code point

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
    def one(self, sql: str, params: Sequence[Any] = ()) -> Optional[tuple]: ...
    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...
    def insert(self, sql: str, params: Sequence[Any]) -> int: ...
    def transaction(self): ...
    def lock(self) -> None: ...
    def migrate(self) -> None: ...
    def index_article(self, aid: int) -> None: ...
    def unindex_article(self, aid: int) -> None: ...
    def index_statement(self, sid: int) -> None: ...
    def unindex_statement(self, sid: int) -> None: ...
    def search_clause(self, clauses: Sequence[SearchClause], plan: Optional[QueryPlan] = None) -> tuple[str, list]: ...
    def close(self) -> None: ...

    def quote_plan(self, speaker: Optional[str], search: Optional[Sequence[SearchClause]],
                   need: Optional[int]) -> Optional[QueryPlan]:
        """A plan for the first ``need`` rows (None: all) of statements of the speakers whose key is LIKE ``speaker``
        that match ``search``, newest first; None leaves it to the database's own planner."""
        return None

    def statements_from(self, plan: Optional[QueryPlan]) -> str:
        """The FROM clause of a ``quotes`` query run by ``plan``."""
        return _STATEMENTS_FROM


SQLITE_SCHEMA = {
    1: """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY, doc_id TEXT, url TEXT UNIQUE, source TEXT, title TEXT, published TEXT, lang TEXT,
        text TEXT NOT NULL, content_hash TEXT NOT NULL UNIQUE, duplicate_of INTEGER REFERENCES articles(id),
        ingested_at TEXT NOT NULL);
    CREATE TABLE story_bands (article_id INTEGER NOT NULL REFERENCES articles(id), band INTEGER NOT NULL, value INTEGER NOT NULL);
    CREATE INDEX story_bands_value ON story_bands (band, value);
    CREATE INDEX story_bands_article ON story_bands (article_id);
    CREATE INDEX articles_duplicate_of ON articles (duplicate_of);
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
    CREATE INDEX articles_date ON articles (COALESCE(published, ingested_at) COLLATE BINARY, id);
    CREATE TABLE mentions (id INTEGER PRIMARY KEY, statement_id INTEGER NOT NULL REFERENCES statements(id),
        speaker_id INTEGER REFERENCES speakers(id), start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL);
    CREATE INDEX mentions_statement ON mentions (statement_id);
    CREATE TABLE entities (id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles(id), label TEXT NOT NULL,
        start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL);
    CREATE INDEX entities_article ON entities (article_id);
    CREATE TABLE failures (id INTEGER PRIMARY KEY, origin TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
    CREATE VIRTUAL TABLE statements_fts USING fts5 (text, speaker, tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE articles_fts USING fts5 (title, text, tokenize = 'unicode61 remove_diacritics 2');
    """,
    2: """
    ALTER TABLE articles ADD COLUMN author TEXT;
    """,
    3: """
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL, idx INTEGER NOT NULL, statement_text TEXT NOT NULL,
        kind TEXT NOT NULL, value TEXT, body TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL, client TEXT,
        status TEXT NOT NULL, created TEXT NOT NULL, reviewed TEXT);
    CREATE INDEX feedback_article ON feedback (article_id, idx);
    CREATE INDEX feedback_status ON feedback (status);
    CREATE TABLE reviewed_articles (article_id INTEGER PRIMARY KEY, at TEXT NOT NULL);
    """,
    4: """
    CREATE TABLE quotations (id INTEGER PRIMARY KEY, speaker_id INTEGER, text TEXT NOT NULL, key TEXT NOT NULL,
        words INTEGER NOT NULL);
    CREATE INDEX quotations_key ON quotations (key);
    CREATE TABLE quotation_shingles (quotation_id INTEGER NOT NULL, hash INTEGER NOT NULL);
    CREATE INDEX quotation_shingles_hash ON quotation_shingles (hash);
    CREATE INDEX quotation_shingles_quotation ON quotation_shingles (quotation_id);
    ALTER TABLE statements ADD COLUMN quotation_id INTEGER;
    CREATE INDEX statements_quotation ON statements (quotation_id);
    """,
    5: """
    CREATE TABLE statement_entities (statement_id INTEGER NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
        text TEXT NOT NULL, label TEXT NOT NULL, key TEXT NOT NULL);
    CREATE INDEX statement_entities_key ON statement_entities (key, statement_id);
    CREATE INDEX statement_entities_statement ON statement_entities (statement_id);
    ALTER TABLE statements ADD COLUMN addressee_start INTEGER;
    ALTER TABLE statements ADD COLUMN addressee_end INTEGER;
    ALTER TABLE statements ADD COLUMN addressee_text TEXT;
    ALTER TABLE statements ADD COLUMN addressee TEXT;
    CREATE TABLE speaker_aliases (key TEXT PRIMARY KEY, speaker_id INTEGER NOT NULL, name TEXT NOT NULL, lang TEXT, role TEXT,
        seen TEXT, pinned INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX speaker_aliases_speaker ON speaker_aliases (speaker_id);
    INSERT INTO speaker_aliases (key, speaker_id, name) SELECT key, id, name FROM speakers;
    CREATE TABLE speaker_tokens (token TEXT NOT NULL, speaker_id INTEGER NOT NULL);
    CREATE INDEX speaker_tokens_token ON speaker_tokens (token);
    CREATE TABLE speaker_roles (speaker_id INTEGER NOT NULL, role TEXT NOT NULL, first_seen TEXT, last_seen TEXT, n INTEGER NOT NULL);
    CREATE INDEX speaker_roles_speaker ON speaker_roles (speaker_id);
    ALTER TABLE speakers ADD COLUMN named INTEGER NOT NULL DEFAULT 0;
    """,
    6: """
    CREATE TABLE commitments (id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL, statement_idx INTEGER,
        start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL, holder TEXT, speaker_id INTEGER,
        action TEXT NOT NULL, recipient TEXT, deadline_start INTEGER, deadline_end INTEGER, deadline_text TEXT,
        deadline_first TEXT, deadline_last TEXT, status TEXT, evidence_article INTEGER, evidence_idx INTEGER, note TEXT,
        reviewed TEXT);
    CREATE INDEX commitments_article ON commitments (article_id);
    CREATE INDEX commitments_speaker ON commitments (speaker_id);
    CREATE INDEX commitments_deadline ON commitments (deadline_last);
    CREATE TABLE events (id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL, start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, participants TEXT NOT NULL, format TEXT,
        date_text TEXT, date_first TEXT, date_last TEXT, duration TEXT, minutes INTEGER, topics TEXT NOT NULL);
    CREATE INDEX events_article ON events (article_id);
    """,
}


# Rough costs (microseconds) of the steps of a quotes query on SQLite, for QueryPlan choices.
_COST_WALK = 0.7     # one statement reached walking the articles in date order
_COST_SORT = 3.0     # one statement fetched by rowid or index, joined to its article and sorted
_COST_SET = 0.3      # one full-text match put into the set of all matches
_COST_PROBE = 50.0   # one statement looked up in the full-text index, per word of the search


class SQLiteBackend(_Backend):
    """An embedded SQLite file in WAL mode, FTS5 search without accents."""

    binary = " COLLATE BINARY"

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the SQLite store {path!r} ({e}); check the path and its folder's permissions") from None
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise StoreError(f"{path!r} is not a porteparole store ({e}); give --db a new file name or an existing store") from None
        self._depth = 0

    def execute(self, sql, params=()):
        return self.conn.execute(sql, params)

    def one(self, sql, params=()):
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql, params=()):
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as e:
            if "MATCH" in sql:
                raise QueryError(f"malformed search ({e}); {SEARCH_HELP}") from None
            raise

    def insert(self, sql, params):
        return self.conn.execute(sql, params).lastrowid

    def transaction(self):
        return _SQLiteTransaction(self)

    def lock(self) -> None:
        return None     # BEGIN IMMEDIATE already holds the write lock

    def migrate(self) -> None:
        try:
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = self.one("SELECT MAX(version) FROM schema_version")[0] or 0
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path!r} is not a porteparole store ({e}); give --db a new file name or an existing store") from None
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

    def unindex_statement(self, sid: int) -> None:
        self.conn.execute("DELETE FROM statements_fts WHERE rowid = ?", (sid,))

    def index_statement(self, sid: int) -> None:
        self.conn.execute("INSERT INTO statements_fts (rowid, text, speaker) SELECT id, text, COALESCE(speaker, '') FROM statements WHERE id = ?", (sid,))

    def search_clause(self, clauses: Sequence[SearchClause], plan: Optional[QueryPlan] = None) -> tuple[str, list]:
        match = [fts5_query(clauses)]
        # when the search does not drive: looked up per statement (EXISTS), or the set of all matches with unary +
        # so that SQLite does not start from it
        if plan is not None and plan.drive != "search":
            if plan.probe:
                return "EXISTS (SELECT 1 FROM statements_fts WHERE statements_fts MATCH ? AND rowid = s.id)", match
            return "+s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)", match
        return "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)", match

    def statements_from(self, plan: Optional[QueryPlan]) -> str:
        # CROSS JOIN: SQLite keeps the left table as the outer loop
        if plan is None:
            return _STATEMENTS_FROM
        if plan.drive == "date":
            return " FROM articles a CROSS JOIN statements s ON a.id = s.article_id"
        # the statements come first and are few (that is why the plan starts from them): likelihood() on a term that
        # always holds says so, or with ANALYZE statistics SQLite may build a Bloom filter over every article first
        return " FROM statements s CROSS JOIN articles a ON a.id = s.article_id AND likelihood(s.id = s.id, 0.000001)"

    def quote_plan(self, speaker, search, need):
        """Pick the cheapest way to the page from bounded counts of the speaker's statements and of the search's matches.

        The rows come back newest first, so the query either walks the articles in date order and stops once the page
        is full (cheap when the filters match many statements) or gathers every matching statement from the speaker
        index or the full-text index and sorts them (cheap when they match few).  Costs in microseconds, measured on
        a store of a million statements (bench/search.py).
        """
        n = self.one("SELECT MAX(rowid) FROM statements")[0]
        if not n:
            return None
        need = n if need is None else min(max(need, 1), n)
        # the counts stop at ``cap``: past it the walk is cheapest whatever the exact number
        cap = min(n, max(10_000, int(1.5 * (need * n * _COST_PROBE / _COST_SET) ** 0.5)))
        k = m = n
        k_capped = m_capped = False
        if speaker is not None:
            k = self.one("SELECT COUNT(*) FROM (SELECT 1 FROM statements WHERE speaker_id IN"
                         " (SELECT speaker_id FROM speaker_aliases WHERE key LIKE ? ESCAPE '\\') LIMIT ?)", (speaker, cap))[0]
            k_capped = k >= cap
        if search is not None:
            rows = self.all("SELECT COUNT(*) FROM (SELECT 1 FROM statements_fts WHERE statements_fts MATCH ? LIMIT ?)",
                            (fts5_query(search), cap))
            m = rows[0][0]
            m_capped = m >= cap
        if k == 0 or m == 0:
            return QueryPlan("speaker" if k == 0 else "search")
        share_k, share_m = k / n, m / n
        walked = min(n, need / (share_k * share_m))      # statements walked to fill the page, filters independent
        k_all = n / 2 if k_capped else k                 # past the cap, the real count may be anything up to n
        m_all = n / 2 if m_capped else m
        plans: dict[QueryPlan, float] = {}
        # a lookup costs about one index seek per word; a prefix has FTS5 gather every word it starts, at each lookup
        probe = None
        if search is not None and not any(t.prefix for c in search for t in c.terms):
            probe = _COST_PROBE * sum(len(t.words) for c in search for t in c.terms)
        if search is None:
            plans[QueryPlan("date")] = _COST_WALK * walked
        else:
            # correlated subqueries run last: only statements that pass the speaker filter are looked up
            plans[QueryPlan("date")] = _COST_WALK * walked + _COST_SET * m_all
            plans[QueryPlan("search")] = _COST_SORT * m_all
            if probe is not None:
                plans[QueryPlan("date", probe=True)] = _COST_WALK * walked + probe * walked * share_k
        if speaker is not None:
            plans[QueryPlan("speaker")] = _COST_SORT * k_all + (0 if search is None else _COST_SET * m_all)
            if probe is not None:
                plans[QueryPlan("speaker", probe=True)] = _COST_SORT * k_all + probe * k_all
        return min(plans, key=plans.__getitem__)

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
