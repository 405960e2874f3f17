"""The PostgreSQL backend of :class:`porteparole.store.Store` (psycopg 3).

Same tables and queries as SQLite; full-text search uses French and English
text-search configurations over ``unaccent``-ed text.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from .store import SCHEMA_VERSION, SEARCH_HELP, QueryError, QueryPlan, SearchClause, SearchTerm, StoreError, _Backend

PG_SCHEMA = {
    1: [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        """CREATE OR REPLACE FUNCTION pp_unaccent(text) RETURNS text
           LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.unaccent('public.unaccent', $1) $$""",
        """CREATE TABLE articles (
            id BIGSERIAL PRIMARY KEY, doc_id TEXT, url TEXT UNIQUE, source TEXT, title TEXT, published TEXT, lang TEXT,
            text TEXT NOT NULL, content_hash TEXT NOT NULL UNIQUE, duplicate_of BIGINT REFERENCES articles(id),
            ingested_at TEXT NOT NULL, tsv tsvector)""",
        "CREATE TABLE story_bands (article_id BIGINT NOT NULL REFERENCES articles(id), band INTEGER NOT NULL, value INTEGER NOT NULL)",
        "CREATE INDEX story_bands_value ON story_bands (band, value)",
        "CREATE INDEX story_bands_article ON story_bands (article_id)",
        "CREATE INDEX articles_duplicate_of ON articles (duplicate_of)",
        "CREATE TABLE speakers (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL UNIQUE)",
        """CREATE TABLE statements (
            id BIGSERIAL PRIMARY KEY, article_id BIGINT NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
            start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
            speaker_id BIGINT REFERENCES speakers(id), speaker TEXT, speaker_type TEXT NOT NULL,
            mention_start INTEGER, mention_end INTEGER, mention_text TEXT, cue_start INTEGER, cue_end INTEGER, cue_text TEXT,
            nested_in INTEGER, tsv tsvector)""",
        "CREATE INDEX statements_article ON statements (article_id)",
        "CREATE INDEX statements_speaker ON statements (speaker_id)",
        "CREATE INDEX statements_tsv ON statements USING GIN (tsv)",
        "CREATE INDEX articles_tsv ON articles USING GIN (tsv)",
        "CREATE INDEX articles_date ON articles ((COALESCE(published, ingested_at) COLLATE \"C\"), id)",
        "CREATE INDEX articles_published ON articles (published)",
        """CREATE TABLE mentions (id BIGSERIAL PRIMARY KEY, statement_id BIGINT NOT NULL REFERENCES statements(id),
            speaker_id BIGINT REFERENCES speakers(id), start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL)""",
        "CREATE INDEX mentions_statement ON mentions (statement_id)",
        """CREATE TABLE entities (id BIGSERIAL PRIMARY KEY, article_id BIGINT NOT NULL REFERENCES articles(id), label TEXT NOT NULL,
            start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL)""",
        "CREATE INDEX entities_article ON entities (article_id)",
        "CREATE TABLE failures (id BIGSERIAL PRIMARY KEY, origin TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL)",
    ],
    2: ["ALTER TABLE articles ADD COLUMN author TEXT"],
    3: [
        """CREATE TABLE feedback (
            id BIGSERIAL PRIMARY KEY, article_id BIGINT NOT NULL, idx INTEGER NOT NULL, statement_text TEXT NOT NULL,
            kind TEXT NOT NULL, value TEXT, body TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL, client TEXT,
            status TEXT NOT NULL, created TEXT NOT NULL, reviewed TEXT)""",
        "CREATE INDEX feedback_article ON feedback (article_id, idx)",
        "CREATE INDEX feedback_status ON feedback (status)",
        "CREATE TABLE reviewed_articles (article_id BIGINT PRIMARY KEY, at TEXT NOT NULL)",
    ],
    4: [
        """CREATE TABLE quotations (id BIGSERIAL PRIMARY KEY, speaker_id BIGINT, text TEXT NOT NULL, key TEXT NOT NULL,
            words INTEGER NOT NULL)""",
        "CREATE INDEX quotations_key ON quotations (key)",
        "CREATE TABLE quotation_shingles (quotation_id BIGINT NOT NULL, hash BIGINT NOT NULL)",
        "CREATE INDEX quotation_shingles_hash ON quotation_shingles (hash)",
        "CREATE INDEX quotation_shingles_quotation ON quotation_shingles (quotation_id)",
        "ALTER TABLE statements ADD COLUMN quotation_id BIGINT",
        "CREATE INDEX statements_quotation ON statements (quotation_id)",
    ],
    5: [
        """CREATE TABLE statement_entities (statement_id BIGINT NOT NULL, start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL, text TEXT NOT NULL, label TEXT NOT NULL, key TEXT NOT NULL)""",
        "CREATE INDEX statement_entities_key ON statement_entities (key, statement_id)",
        "CREATE INDEX statement_entities_statement ON statement_entities (statement_id)",
        "ALTER TABLE statements ADD COLUMN addressee_start INTEGER",
        "ALTER TABLE statements ADD COLUMN addressee_end INTEGER",
        "ALTER TABLE statements ADD COLUMN addressee_text TEXT",
        "ALTER TABLE statements ADD COLUMN addressee TEXT",
        """CREATE TABLE speaker_aliases (key TEXT PRIMARY KEY, speaker_id BIGINT NOT NULL, name TEXT NOT NULL, lang TEXT,
            role TEXT, seen TEXT, pinned INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX speaker_aliases_speaker ON speaker_aliases (speaker_id)",
        "INSERT INTO speaker_aliases (key, speaker_id, name) SELECT key, id, name FROM speakers",
        "CREATE TABLE speaker_tokens (token TEXT NOT NULL, speaker_id BIGINT NOT NULL)",
        "CREATE INDEX speaker_tokens_token ON speaker_tokens (token)",
        """CREATE TABLE speaker_roles (speaker_id BIGINT NOT NULL, role TEXT NOT NULL, first_seen TEXT, last_seen TEXT,
            n INTEGER NOT NULL)""",
        "CREATE INDEX speaker_roles_speaker ON speaker_roles (speaker_id)",
        "ALTER TABLE speakers ADD COLUMN named INTEGER NOT NULL DEFAULT 0",
    ],
    6: [
        """CREATE TABLE commitments (id BIGSERIAL PRIMARY KEY, article_id BIGINT NOT NULL, statement_idx INTEGER,
            start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, text TEXT NOT NULL, holder TEXT, speaker_id BIGINT,
            action TEXT NOT NULL, recipient TEXT, deadline_start INTEGER, deadline_end INTEGER, deadline_text TEXT,
            deadline_first TEXT, deadline_last TEXT, status TEXT, evidence_article BIGINT, evidence_idx INTEGER, note TEXT,
            reviewed TEXT)""",
        "CREATE INDEX commitments_article ON commitments (article_id)",
        "CREATE INDEX commitments_speaker ON commitments (speaker_id)",
        "CREATE INDEX commitments_deadline ON commitments (deadline_last)",
        """CREATE TABLE events (id BIGSERIAL PRIMARY KEY, article_id BIGINT NOT NULL, start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, participants TEXT NOT NULL, format TEXT,
            date_text TEXT, date_first TEXT, date_last TEXT, duration TEXT, minutes INTEGER, topics TEXT NOT NULL)""",
        "CREATE INDEX events_article ON events (article_id)",
    ],
}

_CONFIG = "(CASE WHEN {lang} = 'en' THEN 'english' ELSE 'french' END)::regconfig"
WRITE_LOCK = 8347113     # advisory lock held by the transaction that writes an article or a failure


class PostgresBackend(_Backend):
    """A PostgreSQL database reached by URL."""

    binary = ' COLLATE "C"'

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:  # pragma: no cover
            raise StoreError("PostgreSQL support needs psycopg 3: pip install 'psycopg[binary]'") from None
        self.psycopg = psycopg
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to PostgreSQL ({_one_line(e)}); check the URL, the server and the credentials") from None

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()):
        return self.conn.execute(self._sql(sql), params)

    def one(self, sql: str, params: Sequence[Any] = ()) -> Optional[tuple]:
        return self.conn.execute(self._sql(sql), params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        try:
            return self.conn.execute(self._sql(sql), params).fetchall()
        except self.psycopg.errors.SyntaxError as e:
            raise QueryError(f"malformed search ({_one_line(e)}); {SEARCH_HELP}") from None

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        return self.conn.execute(self._sql(sql) + " RETURNING id", params).fetchone()[0]

    def transaction(self):
        return self.conn.transaction()

    def lock(self) -> None:
        """One writer at a time: the duplicate checks and the copy links see every committed article."""
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def migrate(self) -> None:
        try:
            self._migrate()
        except self.psycopg.Error as e:
            raise StoreError(f"cannot set up the porteparole tables in this database ({_one_line(e)}); the user needs the"
                             " CREATE privilege, and the unaccent extension (package postgresql-contrib)") from None

    def _migrate(self) -> None:
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(8347112)")   # one migrator at a time
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
            if current > SCHEMA_VERSION:
                raise StoreError(f"this database was written by a newer porteparole (schema {current}); upgrade porteparole")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for stmt in PG_SCHEMA[version]:
                    self.conn.execute(stmt)
                self.conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))

    def index_article(self, aid: int) -> None:
        self.conn.execute(
            "UPDATE articles SET tsv = to_tsvector(" + _CONFIG.format(lang="lang")
            + ", pp_unaccent(COALESCE(title, '') || ' ' || text)) WHERE id = %s", (aid,))

    def unindex_article(self, aid: int) -> None:
        return None   # the search vectors live in the rows, deleted with them

    def unindex_statement(self, sid: int) -> None:
        return None   # the search vector lives in the row: index_statement recomputes it

    def index_statement(self, sid: int) -> None:
        self.conn.execute(
            "UPDATE statements s SET tsv = to_tsvector(" + _CONFIG.format(lang="a.lang")
            + ", pp_unaccent(s.text || ' ' || COALESCE(s.speaker, ''))) FROM articles a WHERE a.id = s.article_id AND s.id = %s",
            (sid,))

    def search_clause(self, clauses: Sequence[SearchClause], plan: Optional[QueryPlan] = None) -> tuple[str, list]:
        """Statements whose search vector matches, in the text-search configuration of their article's language.

        ``plan`` is always None here: PostgreSQL's own planner picks between the GIN index and the date index."""
        query = tsquery(clauses)
        clause = ("((a.lang = 'en' AND s.tsv @@ to_tsquery('english', pp_unaccent(?)))"
                  " OR (a.lang IS DISTINCT FROM 'en' AND s.tsv @@ to_tsquery('french', pp_unaccent(?))))")
        return clause, [query, query]

    def close(self) -> None:
        self.conn.close()


def _one_line(e: Exception) -> str:
    """A server's message (often several lines) as one line."""
    return " ".join(str(e).split())


def tsquery(clauses: Sequence[SearchClause]) -> str:
    """A parsed search as ``to_tsquery`` input: phrases with ``<->``, OR ``|``, NOT ``!``, prefixes ``:*``."""
    def term(t: SearchTerm) -> str:
        lexemes = ["'" + w + "'" for w in t.words]      # words are letters and digits only
        if t.prefix:
            lexemes[-1] += ":*"
        return "(" + " <-> ".join(lexemes) + ")"

    def clause(c: SearchClause) -> str:
        return "(" + " | ".join(term(t) for t in c.terms) + ")"

    positive = " & ".join(clause(c) for c in clauses if not c.excluded)
    return "(" + positive + ")" + "".join(" & !" + clause(c) for c in clauses if c.excluded)
