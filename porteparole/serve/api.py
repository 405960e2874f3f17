"""A read-only JSON API over the record, plus one token-protected endpoint that ingests an article.

``create_app(db, admin_token)`` builds the FastAPI application; ``porteparole serve``
runs it with uvicorn.  Every answer is JSON data (or CSV / JSON Lines on the list
endpoints with ``?format=``); every error has one shape::

    {"ok": false, "error": "what went wrong and what to do", "status": 404}

List endpoints page with an opaque cursor: the answer's ``next`` (null on the last
page) given back as ``?cursor=`` continues after the last row, even when articles
are stored in between (statements are paged by their position in the order —
date, article, index — not by an offset).
"""
from __future__ import annotations

import base64
import binascii
import csv
import hmac
import io
import json
import re
import threading
from typing import Any, Iterator, Literal, Optional, Union

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from ..errors import PorteparoleError
from ..models import Article, Document, Failure
from ..store import QueryError, QuoteFilter, SpeakerRow, Store, StoreError, StoredStatement
from .web import WebError, mount_web

STATEMENT_FIELDS = tuple(StoredStatement.__dataclass_fields__)
SPEAKER_FIELDS = tuple(SpeakerRow.__dataclass_fields__)
ARTICLE_FIELDS = ("id", "url", "source", "title", "published", "lang", "author", "text", "duplicate_of")
DEFAULT_LIMIT, MAX_LIMIT = 50, 500
STREAM_BATCH = 500
MAX_TEXT = 2_000_000          # characters of a posted text
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
Format = Literal["json", "csv", "jsonl"]
Kind = Literal["direct", "indirect", "mixed"]


class ApiError(Exception):
    """An error answered as ``{"ok": false, "error": message, "status": status}``."""

    def __init__(self, status: int, message: str, headers: Optional[dict] = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


class ArticleIn(BaseModel):
    """An article to extract and store: its ``text`` (with optional metadata), or a ``url`` to fetch."""

    text: Optional[str] = Field(None, max_length=MAX_TEXT, description="The article's text (plain text).")
    url: Optional[str] = Field(None, max_length=2000, description="The article's URL: fetched when no text is given.")
    id: Optional[str] = Field(None, max_length=500)
    title: Optional[str] = Field(None, max_length=2000)
    published: Optional[str] = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?$",
                                     description="Publication date, YYYY-MM-DD (or an ISO date-time).")
    lang: Optional[str] = Field(None, max_length=10, description="fr or en; detected when not given.")
    source: Optional[str] = Field(None, max_length=200)


# ---------------------------------------------------------------------- privacy and shapes
def scrub(value: Any) -> Any:
    """``value`` with every e-mail address masked by as many ``*`` (so offsets into texts stay valid)."""
    if isinstance(value, str):
        return EMAIL.sub(lambda m: "*" * len(m.group()), value)
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def statement_json(s: StoredStatement) -> dict:
    return scrub(s.as_dict())


def speaker_json(r: SpeakerRow) -> dict:
    return scrub(r.as_dict())


def error_body(status: int, message: str) -> dict:
    return {"ok": False, "error": message, "status": status}


def _plain(message: str) -> str:
    """A store message without the CLI's option dashes (``--since`` → ``since``)."""
    return re.sub(r"--(?=\w)", "", message)


# ---------------------------------------------------------------------- cursors
def encode_cursor(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(token: Optional[str], kind: str) -> Optional[dict]:
    """The position a cursor of ``kind`` stands for; :class:`ApiError` 400 when it is not one."""
    if token is None:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        data = None
    ok = isinstance(data, dict) and data.get("k") == kind and (
        (kind == "s" and isinstance(data.get("d"), str) and isinstance(data.get("a"), int) and isinstance(data.get("i"), int))
        or (kind == "p" and isinstance(data.get("o"), int) and data["o"] >= 0))
    if not ok:
        raise ApiError(400, "invalid cursor: give back the `next` value of a previous answer of this endpoint")
    return data


# ---------------------------------------------------------------------- queries (on top of the store)
def statements_after(store: Store, flt: QuoteFilter, after: Optional[dict], limit: int,
                     speaker_id: Optional[int] = None) -> list[tuple[StoredStatement, str]]:
    """Up to ``limit`` statements after the cursor position ``after`` (see :meth:`Store.quotes_after`)."""
    position = (after["d"], after["a"], after["i"]) if after is not None else None
    return store.quotes_after(flt, position, limit, speaker_id=speaker_id)


def _position(s: StoredStatement, date: str) -> dict:
    return {"k": "s", "d": date, "a": s.article_id, "i": s.idx}


def speaker_by_id(store: Store, speaker_id: int) -> tuple[str, str]:
    """(name, type) of a stored speaker; :class:`ApiError` 404 when there is none."""
    try:
        return store.speaker(speaker_id)
    except StoreError:
        raise ApiError(404, f"no speaker with id {speaker_id}; /api/speakers lists speakers with their ids") from None


# ---------------------------------------------------------------------- streaming
def _lines(rows: Iterator[dict], fmt: str, fields: tuple[str, ...]) -> Iterator[str]:
    """Rows as CSV (a header line first, always) or JSON Lines, one chunk per row."""
    if fmt == "jsonl":
        for r in rows:
            yield json.dumps(r, ensure_ascii=False) + "\n"
        return
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(fields))
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def _stream(rows: Iterator[dict], fmt: str, fields: tuple[str, ...], name: str,
            next_token: Optional[str] = None) -> StreamingResponse:
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if next_token:
        headers["X-Next-Cursor"] = next_token
    return StreamingResponse(_lines(rows, fmt, fields), media_type=media, headers=headers)


# ---------------------------------------------------------------------- the application
def create_app(db: str, admin_token: Optional[str] = None, extractor: Any = None,
               comment_limit: tuple[int, float] = (5, 600.0)) -> FastAPI:
    """The web pages and the API over the record ``db`` (a SQLite file or a postgresql:// URL).

    ``admin_token``: the token that ``POST /api/articles`` and the editors' review pages
    require (None or empty: both are disabled).  ``extractor``: the extractor posting
    uses (default: ``porteparole.analyse.extractor("auto")``, made on first use).
    ``comment_limit``: readers' corrections and comments allowed per client, as
    (how many, per how many seconds).
    """
    Store.open(db).close()            # fail now, not on the first request, when the store cannot be opened
    token = admin_token or None
    state: dict[str, Any] = {"extractor": extractor}
    extract_lock = threading.Lock()   # one extraction at a time: the spaCy pipelines are not shared between threads

    app = FastAPI(title="porteparole", version="1", summary="Who said what: statements, speakers and articles of the record.")

    def open_store() -> Store:
        # one connection per request: a SQLite connection belongs to the thread that opened it
        return Store.open(db)

    # ------------------------------------------------------------------ errors: one shape (a page for the web pages)
    def page_error(request: Request, status: int, message: str):
        return app.state.render_error(request, status, message)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, e: ApiError):
        if is_page(request):
            return page_error(request, e.status, e.message)
        return JSONResponse(error_body(e.status, e.message), status_code=e.status, headers=e.headers)

    @app.exception_handler(WebError)
    async def _web_error(request: Request, e: WebError):
        return page_error(request, e.status, e.message)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, e: HTTPException):
        if is_page(request):
            message = {404: "There is no such page. Search the statements from the home page.",
                       405: "This page cannot be used that way."}.get(e.status_code, str(e.detail))
            return page_error(request, e.status_code, message)
        message = {404: f"no such endpoint: {request.url.path}; see /docs",
                   405: f"{request.method} is not allowed on {request.url.path}; see /docs"}.get(e.status_code, str(e.detail))
        return JSONResponse(error_body(e.status_code, message), status_code=e.status_code,
                            headers=getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        parts = []
        for err in e.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        if is_page(request):
            return page_error(request, 400, "This address is not right (" + "; ".join(parts) + ").")
        return JSONResponse(error_body(422, "invalid request: " + "; ".join(parts)), status_code=422)

    def answer(request: Request, status: int, message: str, page_message: Optional[str] = None):
        """The error as a page for the web pages, in the one JSON shape for the API."""
        if is_page(request):
            return page_error(request, status, page_message or message)
        return JSONResponse(error_body(status, message), status_code=status)

    @app.exception_handler(QueryError)
    async def _bad_query(request: Request, e: QueryError):
        return answer(request, 400, _plain(str(e)))

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, e: StoreError):
        return answer(request, 404, _plain(str(e)))

    @app.exception_handler(PorteparoleError)
    async def _library_error(request: Request, e: PorteparoleError):
        return answer(request, 400, _plain(str(e)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, e: Exception):
        return answer(request, 500, "internal error; the server's log has the details",
                      "Something went wrong on the server; its log has the details.")

    # ------------------------------------------------------------------ statements
    def statement_list(flt: QuoteFilter, limit: Optional[int], cursor: Optional[str], fmt: str,
                       speaker_id: Optional[int] = None, name: str = "statements"):
        after = decode_cursor(cursor, "s")
        if fmt == "json":
            with open_store() as store:
                rows = statements_after(store, flt, after, (limit or DEFAULT_LIMIT) + 1, speaker_id)
            page = rows[:limit or DEFAULT_LIMIT]
            more = len(rows) > len(page)
            return {"ok": True, "count": len(page), "items": [statement_json(s) for s, _ in page],
                    "next": encode_cursor(_position(*page[-1])) if more else None}
        # csv / jsonl: every matching row from the cursor on (at most ``limit`` when given), streamed in batches;
        # the first batch is read now so that a bad filter is answered with the error shape, not a broken stream
        with open_store() as store:
            first = statements_after(store, flt, after, min(STREAM_BATCH, limit + 1 if limit else STREAM_BATCH), speaker_id)

        def rows() -> Iterator[dict]:
            batch, sent, pos = first, 0, after
            while batch:
                for s, date in batch:
                    if limit is not None and sent >= limit:
                        return
                    yield statement_json(s)
                    sent += 1
                    pos = _position(s, date)
                if limit is not None and sent >= limit:
                    return
                want = STREAM_BATCH if limit is None else min(STREAM_BATCH, limit - sent)
                with open_store() as store:     # opened and closed within one step of the stream (one thread)
                    batch = statements_after(store, flt, pos, want, speaker_id)

        next_token = None
        if limit is not None and len(first) > limit:
            next_token = encode_cursor(_position(*first[limit - 1]))
        return _stream(rows(), fmt, STATEMENT_FIELDS, name, next_token)

    @app.get("/api/statements", tags=["statements"])
    def statements(
        speaker: Optional[str] = Query(None, description="Speaker name (any part of it, accents and case ignored)."),
        search: Optional[str] = Query(None, description='Full-text search: words, "exact phrase", OR, NOT, prefix*.'),
        since: Optional[str] = Query(None, description="Articles published on or after this date (YYYY-MM-DD)."),
        until: Optional[str] = Query(None, description="Articles published on or before this date (YYYY-MM-DD)."),
        kind: Optional[Kind] = Query(None, description="Kind of statement."),
        source: Optional[str] = Query(None, description="Outlet: part of the site name or URL."),
        lang: Optional[str] = Query(None, description="Language of the article (fr, en)."),
        about: Optional[str] = Query(None, description="An entity the statement speaks about, by any of its names (NATO finds « l'Otan »)."),
        speaker_id: Optional[int] = Query(None, ge=1, description="Statements of this speaker id only."),
        limit: Optional[int] = Query(None, ge=1, le=MAX_LIMIT,
                                     description=f"Rows per page (JSON: default {DEFAULT_LIMIT}; csv/jsonl: all rows when not given)."),
        cursor: Optional[str] = Query(None, description="The `next` of the previous page."),
        format: Format = Query("json", description="json (paged), or csv / jsonl (streamed)."),
    ):
        """Statements of the record, newest article first, with the filters of `porteparole quotes`."""
        flt = QuoteFilter(speaker=speaker, search=search, since=since, until=until, kind=kind, source=source, lang=lang,
                          about=about)
        return statement_list(flt, limit, cursor, format, speaker_id)

    @app.get("/api/search", tags=["statements"])
    def search_statements(
        q: str = Query(..., min_length=1, description='Words, "exact phrases", OR, NOT (or -word), prefix*.'),
        limit: Optional[int] = Query(None, ge=1, le=MAX_LIMIT),
        cursor: Optional[str] = Query(None),
        format: Format = Query("json"),
    ):
        """Full-text search of the statements (accents and case ignored), newest article first."""
        return statement_list(QuoteFilter(search=q), limit, cursor, format, name="search")

    # ------------------------------------------------------------------ speakers
    @app.get("/api/speakers", tags=["speakers"])
    def speakers(
        limit: Optional[int] = Query(None, ge=1, le=MAX_LIMIT, description=f"Rows per page (default {DEFAULT_LIMIT})."),
        cursor: Optional[str] = Query(None),
        format: Format = Query("json"),
    ):
        """Speakers with the most statements first (syndicated copies counted once)."""
        start = (decode_cursor(cursor, "p") or {"o": 0})["o"]
        n = limit or DEFAULT_LIMIT
        if format != "json" and limit is None:
            with open_store() as store:
                rows = store.speakers(top=None)[start:]
            return _stream((speaker_json(r) for r in rows), format, SPEAKER_FIELDS, "speakers")
        with open_store() as store:
            rows = store.speakers(top=start + n + 1)[start:]
        page, more = rows[:n], len(rows) > n
        next_token = encode_cursor({"k": "p", "o": start + n}) if more else None
        if format != "json":
            return _stream((speaker_json(r) for r in page), format, SPEAKER_FIELDS, "speakers", next_token)
        return {"ok": True, "count": len(page), "items": [speaker_json(r) for r in page], "next": next_token}

    @app.get("/api/speakers/{speaker_id}", tags=["speakers"])
    def speaker(speaker_id: int, latest: int = Query(10, ge=0, le=MAX_LIMIT, description="How many of their latest statements.")):
        """One speaker: their counts and latest statements (`/api/statements?speaker_id=` pages through all of them)."""
        with open_store() as store:
            name, stype = speaker_by_id(store, speaker_id)
            counts = next((r for r in store.speakers(top=None, flt=QuoteFilter(speaker=name)) if r.id == speaker_id), None)
            rows = statements_after(store, QuoteFilter(), None, latest + 1, speaker_id) if latest else []
            if counts is None and not statements_after(store, QuoteFilter(), None, 1, speaker_id):
                raise ApiError(404, f"no speaker with id {speaker_id}; /api/speakers lists speakers with their ids")
            person = store.speaker_info(speaker_id)
        info = counts.as_dict() if counts else {"id": speaker_id, "name": name, "type": stype, "statements": 0,
                                                 "articles": 0, "first_seen": None, "last_seen": None}
        info["aliases"] = list(person.aliases)
        info["roles"] = [{"role": r, "first_seen": a, "last_seen": b, "times": n} for r, a, b, n in person.roles]
        page = rows[:latest]
        return {"ok": True, "speaker": scrub(info), "statements": [statement_json(s) for s, _ in page],
                "more": encode_cursor(_position(*page[-1])) if len(rows) > latest else None}

    # ------------------------------------------------------------------ quotations
    @app.get("/api/quotations/{quotation_id}", tags=["statements"])
    def quotation(quotation_id: int):
        """One quotation: the same words reported by one or more articles, with every occurrence (oldest first)."""
        with open_store() as store:
            try:
                q = store.quotation(quotation_id)
            except StoreError:
                raise ApiError(404, f"no quotation with id {quotation_id}; statements give theirs as quotation_id") from None
        return {"ok": True, "quotation": scrub({"id": q.id, "text": q.text, "speaker": q.speaker, "speaker_id": q.speaker_id,
                                                 "first_seen": q.first_seen, "outlets": list(q.outlets),
                                                 "occurrences": [o.as_dict() for o in q.occurrences]})}

    # ------------------------------------------------------------------ commitments and meetings
    @app.get("/api/commitments", tags=["commitments"])
    def commitments(
        status: Optional[Literal["open", "due", "kept", "broken", "unclear"]] = Query(None, description="Only this status."),
        speaker: Optional[str] = Query(None, description="Only this speaker's (any of their names)."),
        article_id: Optional[int] = Query(None, ge=1),
        limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    ):
        """Commitments found in statements, nearest deadline first, with their status (open, due, kept, broken, unclear)."""
        with open_store() as store:
            rows = store.commitments(speaker=speaker, status=status, article_id=article_id, limit=limit)
        return {"ok": True, "count": len(rows), "items": [scrub(c.as_dict()) for c in rows]}

    @app.get("/api/events", tags=["commitments"])
    def events(article_id: Optional[int] = Query(None, ge=1), limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)):
        """Meetings, calls and summits: participants, format, date, duration, topics."""
        with open_store() as store:
            rows = store.events(article_id=article_id, limit=limit)
        return {"ok": True, "count": len(rows), "items": [scrub(e.as_dict()) for e in rows]}

    # ------------------------------------------------------------------ articles
    @app.get("/api/articles/{article_id}", tags=["articles"])
    def article(article_id: int):
        """One article: its text, its statements (offsets into the text) and its syndicated copies."""
        with open_store() as store:
            try:
                art = store.article(article_id)
            except QueryError:
                raise
            except StoreError:
                raise ApiError(404, f"no article with id {article_id}") from None
        return {"ok": True, "article": article_json(art)}

    def require_token(request: Request) -> None:
        if token is None:
            raise ApiError(403, "posting articles is disabled: start the server with --token or PORTEPAROLE_ADMIN_TOKEN")
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise ApiError(401, "this endpoint needs `Authorization: Bearer <token>`",
                           headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
            raise ApiError(403, "wrong token")

    @app.post("/api/articles", tags=["articles"], status_code=201, dependencies=[Depends(require_token)])
    def post_article(body: ArticleIn):
        """Extract the statements of an article (its text, or the page at its URL) and store it (token required)."""
        if not (body.text and body.text.strip()) and not body.url:
            raise ApiError(422, "invalid request: give the article's `text`, or its `url`")
        doc = document_of(body)
        with extract_lock:
            if state["extractor"] is None:
                from ..analyse import extractor as make_extractor
                state["extractor"] = make_extractor("auto")
            result = next(iter(state["extractor"].extract_many([doc])))
        if isinstance(result, Failure):
            raise ApiError(400, f"could not extract statements: {result.reason}")
        with open_store() as store:
            added = store.add_article(result)
            art = store.article(added.article_id)
        status = 201 if added.status == "stored" else 200
        return JSONResponse({"ok": True, "id": art.id, "status": added.status, "duplicate_of": art.duplicate_of,
                             "statements": [statement_json(s) for s in art.statements]}, status_code=status)

    mount_web(app, open_store, token, comment_limit)
    return app


def is_page(request: Request) -> bool:
    """Whether a request is for a web page (answered with an HTML page) rather than the API."""
    path = request.url.path
    return not (path.startswith("/api/") or path == "/api" or path.startswith("/docs") or path.startswith("/openapi")
                or path.startswith("/redoc"))


def article_json(art) -> dict:
    out = {k: getattr(art, k) for k in ARTICLE_FIELDS}
    out["copies"] = list(art.copies)
    out["statements"] = [s.as_dict() for s in art.statements]
    return scrub(out)


def document_of(body: ArticleIn) -> Document:
    """The document to extract: the posted text, or the page fetched from the posted URL (http/https only)."""
    if body.text and body.text.strip():
        doc_id = body.id or body.url or "api"
        return Document(id=doc_id, text=body.text, title=body.title, lang=body.lang, published=body.published,
                        url=body.url, source=body.source, origin="api")
    url = body.url or ""
    if not re.match(r"^https?://[^\s/]+", url, re.I):
        raise ApiError(422, "invalid request: `url` must be an http:// or https:// address")
    from ..fetch import FetchConfig
    from ..sources import iter_documents

    items = iter_documents([url], fetch=FetchConfig(timeout=10.0, retries=1))
    try:
        item: Union[Document, Failure, None] = next(items, None)
    finally:
        items.close()
    if item is None:
        raise ApiError(400, f"no article found at {url}")
    if isinstance(item, Failure):
        raise ApiError(400, f"could not read {url}: {item.reason}")
    changes = {k: v for k, v in (("id", body.id), ("title", body.title), ("lang", body.lang),
                                 ("published", body.published), ("source", body.source)) if v}
    return Document(**{**item.__dict__, **changes}) if changes else item
