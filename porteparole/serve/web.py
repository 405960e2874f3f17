"""The web pages: search, speakers, articles with highlights, readers' corrections, editors' review.

Server-rendered with Jinja2 (every text escaped), one stylesheet and one small
script served from the package (no build step, no CDN).  Forms carry a CSRF token
(a cookie and a hidden field that must agree, and a same-origin check); readers'
submissions are rate-limited per client; the review pages need the editor's token.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import feedback as fb
from ..store import QueryError, QuoteFilter, Store, StoreError, StoredStatement
from .chart import weekly_chart_svg, weekly_counts
from .highlight import Mark, colour_of, paragraphs

HERE = Path(__file__).parent
PAGE = 20
CSRF_COOKIE, ADMIN_COOKIE = "pp_csrf", "pp_editor"
KINDS = ("direct", "indirect", "mixed")
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                                " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class WebError(Exception):
    """An error shown as a page: ``status`` and a message that says what to do."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class RateLimiter:
    """At most ``events`` per ``window`` seconds per client (a sliding window, in memory)."""

    def __init__(self, events: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.events, self.window, self.clock = events, window, clock
        self._seen: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Count one event of ``client``; False when it is over the limit (the event is then not counted)."""
        now = self.clock()
        with self._lock:
            seen = self._seen[client]
            while seen and now - seen[0] >= self.window:
                seen.popleft()
            if len(seen) >= self.events:
                return False
            seen.append(now)
            return True


@dataclass(frozen=True)
class Box:
    """What the one search box asks for: words, a speaker, an outlet."""

    search: Optional[str] = None
    speaker: Optional[str] = None
    source: Optional[str] = None


def read_box(q: str, sources: list[str]) -> Box:
    """The search box: ``speaker:Name`` and ``outlet:site`` (or ``source:``) pick a speaker or an outlet;
    the rest is a full-text search of the words and speakers, unless it is the name of an outlet."""
    words, speaker, source = [], None, None
    for token in _box_tokens(q):
        low = token.lower()
        for prefix in ("speaker:", "outlet:", "source:"):
            if low.startswith(prefix) and len(token) > len(prefix):
                value = token[len(prefix):].strip('"')
                if prefix == "speaker:":
                    speaker = value
                else:
                    source = value
                break
        else:
            words.append(token)
    rest = " ".join(words).strip()
    if rest and source is None and speaker is None:
        folded = rest.lower()
        if any(folded == s.lower() or folded == s.lower().removeprefix("www.") for s in sources):
            return Box(source=rest)
    return Box(search=rest or None, speaker=speaker, source=source)


def _box_tokens(q: str) -> list[str]:
    out, buf, quoted = [], "", False
    for ch in q:
        if ch == '"':
            quoted = not quoted
            buf += ch
        elif ch.isspace() and not quoted:
            if buf:
                out.append(buf)
            buf = ""
        else:
            buf += ch
    if buf:
        out.append(buf)
    return out


def _quote_marks(lang: Optional[str]) -> tuple[str, str]:
    return ("« ", " »") if lang == "fr" else ("“", "”")


def mount_web(app: FastAPI, open_store: Callable[[], Store], admin_token: Optional[str],
              comment_limit: tuple[int, float] = (5, 600.0)) -> None:
    """Add the web pages to ``app``."""
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(quote_marks=_quote_marks, colour_of=colour_of, statement_title=statement_title, kind_labels=fb.KIND_LABELS, urlencode=urlencode)
    env.filters["day"] = lambda v: (v or "")[:10]
    limiter = RateLimiter(*comment_limit)
    editor_secret = (hmac.new(admin_token.encode("utf-8"), b"porteparole editor session", hashlib.sha256).hexdigest()
                     if admin_token else None)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        context.update(request=request, csrf=token, editor=is_editor(request))
        html = env.get_template(template).render(**context)
        response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    app.state.render_error = lambda request, status, message: render(request, "error.html", status=status,
                                                                      status_code=status, message=message)

    def is_editor(request: Request) -> bool:
        given = request.cookies.get(ADMIN_COOKIE, "")
        return bool(editor_secret and given and hmac.compare_digest(given, editor_secret))

    async def form_of(request: Request) -> dict[str, str]:
        """The posted form, once its CSRF token and origin are checked."""
        form = await request.form()
        cookie, given = request.cookies.get(CSRF_COOKIE, ""), str(form.get("csrf", ""))
        if not cookie or not given or not hmac.compare_digest(cookie, given):
            raise WebError(403, "This form has expired or was not sent from this site: reload the page and send it again.")
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
            raise WebError(403, "This form was sent from another site; open the page on this site and send it again.")
        return {k: str(v) for k, v in form.items() if isinstance(v, str)}

    def require_editor(request: Request) -> None:
        if not is_editor(request):
            raise WebError(403, "Editors only: sign in on /admin with the editor's token.")

    # ------------------------------------------------------------------ search
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", since: str = "", until: str = "", lang: str = "", kind: str = "",
                    about: str = "", speaker_id: Optional[int] = None, cursor: Optional[str] = None):
        from .api import decode_cursor, encode_cursor, _position

        with open_store() as store:
            box = read_box(q, store.sources()) if q.strip() else Box()
            flt = QuoteFilter(search=box.search, speaker=box.speaker, source=box.source, since=since or None,
                              until=until or None, lang=lang or None, kind=kind if kind in KINDS else None,
                              about=about.strip() or None)
            after = None
            if cursor:
                data = decode_cursor(cursor, "s")
                after = (data["d"], data["a"], data["i"])
            try:
                rows = store.quotes_after(flt, after, PAGE + 1, speaker_id=speaker_id)
                error = None
            except QueryError as e:
                rows, error = [], str(e).replace("--", "")
            counts = store.counts()
            speaker_name = store.speaker(speaker_id)[0] if speaker_id else None
            page = [s for s, _ in rows[:PAGE]]
            reported = store.quotation_counts(s.quotation_id for s in page)
        params = {k: v for k, v in (("q", q), ("since", since), ("until", until), ("lang", lang), ("kind", kind),
                                    ("about", about), ("speaker_id", speaker_id)) if v}
        next_url = None
        if len(rows) > PAGE:
            next_url = "/?" + urlencode({**params, "cursor": encode_cursor(_position(*rows[PAGE - 1]))})
        return render(request, "search.html", statements=page, q=q, since=since, until=until, lang=lang, kind=kind, about=about,
                      box=box, error=error, counts=counts, next_url=next_url, first_url=("/?" + urlencode(params)) if cursor else None,
                      speaker_id=speaker_id, speaker_name=speaker_name, reported=reported)

    # ------------------------------------------------------------------ speakers
    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_page(request: Request):
        with open_store() as store:
            rows = store.speakers(top=200)
        return render(request, "speakers.html", speakers=rows)

    @app.get("/speakers/{speaker_id}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(request: Request, speaker_id: int):
        with open_store() as store:
            try:
                name, stype = store.speaker(speaker_id)
            except StoreError:
                raise WebError(404, f"There is no speaker {speaker_id}. The speakers page lists them all.") from None
            row = next((r for r in store.speakers(top=None, flt=QuoteFilter(speaker=name)) if r.id == speaker_id), None)
            mentions = [(t, n) for t, n in store.speaker_mentions(speaker_id) if t.strip().lower() != name.lower()]
            co = store.co_speakers(speaker_id)
            latest = [s for s, _ in store.quotes_after(QuoteFilter(), None, 10, speaker_id=speaker_id)]
            reported = store.quotation_counts(s.quotation_id for s in latest)
            weeks = weekly_counts(store.speaker_dates(speaker_id))
            topics = store.speaker_topics(speaker_id)
            person = store.speaker_info(speaker_id)
        return render(request, "speaker.html", name=name, stype=stype, speaker_id=speaker_id, row=row, mentions=mentions,
                      co=co, latest=latest, weeks=weeks, total_weeks=sum(n for _, n in weeks), reported=reported,
                      topics=topics, person=person)

    @app.get("/quotations/{quotation_id}", response_class=HTMLResponse, include_in_schema=False)
    def quotation_page(request: Request, quotation_id: int):
        with open_store() as store:
            try:
                q = store.quotation(quotation_id)
            except StoreError:
                raise WebError(404, f"There is no quotation {quotation_id}.") from None
        return render(request, "quotation.html", q=q)

    @app.get("/speakers/{speaker_id}/chart.svg", include_in_schema=False)
    def speaker_chart(speaker_id: int):
        with open_store() as store:
            try:
                store.speaker(speaker_id)
            except StoreError:
                raise WebError(404, f"There is no speaker {speaker_id}.") from None
            weeks = weekly_counts(store.speaker_dates(speaker_id))
        return Response(weekly_chart_svg(weeks), media_type="image/svg+xml",
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    # ------------------------------------------------------------------ articles
    def article_context(store: Store, article_id: int) -> dict:
        try:
            art = store.article(article_id)
        except StoreError:
            raise WebError(404, f"There is no article {article_id}. Search the statements to find articles.") from None
        marks = store.statement_marks(article_id)
        items = []
        for s in art.statements:
            items.append(Mark(s.start, s.end, "statement", s.idx))
            ms, me, cs, ce = marks.get(s.idx, (None,) * 4)
            if ms is not None and me is not None:
                items.append(Mark(ms, me, "mention", s.idx))
            if cs is not None and ce is not None:
                items.append(Mark(cs, ce, "cue", s.idx))
        by_idx = {s.idx: s for s in art.statements}
        notes: dict[int, list[fb.Feedback]] = defaultdict(list)
        for item in fb.feedback(store, article_id=article_id, limit=None):
            if item.status != "rejected":
                notes[item.idx].append(item)
        copies = []
        for cid in art.copies:
            try:
                copies.append(store.article(cid))
            except StoreError:
                continue
        original = None
        if art.duplicate_of:
            try:
                original = store.article(art.duplicate_of)
            except StoreError:
                original = None
        return {"art": art, "paras": paragraphs(art.text, items), "by_idx": by_idx, "notes": notes, "copies": copies,
                "original": original, "reviewed": art.id in fb.reviewed_articles(store),
                "commitments": store.commitments(article_id=article_id), "events": store.events(article_id=article_id)}

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int, sent: Optional[int] = None):
        with open_store() as store:
            context = article_context(store, article_id)
        return render(request, "article.html", sent=sent, errors={}, form={}, form_idx=None, **context)

    @app.post("/articles/{article_id}/statements/{idx}/feedback", include_in_schema=False)
    async def post_feedback(request: Request, article_id: int, idx: int):
        form = await form_of(request)
        client = request.client.host if request.client else "unknown"
        with open_store() as store:
            context = article_context(store, article_id)
            if idx not in context["by_idx"]:
                raise WebError(404, f"Article {article_id} has no statement #{idx + 1}; reload the article.")
            problems = fb.check_submission(form.get("kind", ""), form.get("body", ""), form.get("name", ""),
                                           form.get("email", ""), form.get("value"))
            if not problems:
                if not limiter.allow(client):
                    raise WebError(429, "You have sent many corrections and comments in a short time; wait a few minutes"
                                        " and send this one again.")
                try:
                    fb.add_feedback(store, article_id, idx, form["kind"], form["body"], form["name"], form["email"],
                                    value=form.get("value"), client=client)
                    return RedirectResponse(f"/articles/{article_id}?sent={idx}#s{idx}", status_code=303)
                except fb.FeedbackError as e:
                    problems = e.fields or {"form": str(e)}
        kept = {k: form.get(k, "") for k in ("kind", "value", "body", "name")}      # never the e-mail address
        return render(request, "article.html", status=400, sent=None, errors=problems, form=kept, form_idx=idx, **context)

    # ------------------------------------------------------------------ commitments
    @app.get("/commitments", response_class=HTMLResponse, include_in_schema=False)
    def commitments_page(request: Request, status: str = "", speaker: str = ""):
        from ..commitments import STATUSES

        with open_store() as store:
            rows = store.commitments(speaker=speaker.strip() or None, status=status if status in STATUSES else None,
                                     limit=500)
            evidence = {}
            for c in rows:
                if c.evidence_article:
                    try:
                        evidence[c.id] = store.article(c.evidence_article)
                    except StoreError:
                        pass
        return render(request, "commitments.html", commitments=rows, status_filter=status, speaker=speaker,
                      statuses=STATUSES, evidence=evidence)

    @app.post("/commitments/{commitment_id}/mark", include_in_schema=False)
    async def commitment_mark(request: Request, commitment_id: int):
        from ..commitments import CommitmentError

        form = await form_of(request)
        require_editor(request)
        evidence = form.get("evidence", "").strip()
        article, _, idx = evidence.partition(":")
        try:
            ev_article = int(article) if article else None
            ev_idx = int(idx) - 1 if idx else None
        except ValueError:
            raise WebError(400, "Evidence: give an article id (12) or a statement (12:3).") from None
        with open_store() as store:
            try:
                store.mark_commitment(commitment_id, form.get("verdict", ""), ev_article, ev_idx,
                                      form.get("note", "").strip() or None)
            except CommitmentError as e:
                raise WebError(400, str(e)) from None
        return RedirectResponse(f"/commitments#c{commitment_id}", status_code=303)

    # ------------------------------------------------------------------ editors
    @app.get("/admin", response_class=HTMLResponse, include_in_schema=False)
    def admin_page(request: Request):
        if not is_editor(request):
            return render(request, "login.html", enabled=editor_secret is not None, failed=False)
        with open_store() as store:
            pending = fb.feedback(store, status="pending", limit=500)
            done = fb.feedback(store, limit=None)
            reviewed = fb.reviewed_articles(store)
            titles = {}
            for aid in {f.article_id for f in done} | set(reviewed):
                try:
                    titles[aid] = store.article(aid).title
                except StoreError:
                    titles[aid] = None
        recent = [f for f in done if f.status != "pending"][-50:]
        return render(request, "admin.html", pending=pending, recent=recent, reviewed=reviewed, titles=titles)

    @app.post("/admin/login", include_in_schema=False)
    async def admin_login(request: Request):
        form = await form_of(request)
        if editor_secret is None:
            raise WebError(403, "Review is disabled: start the server with --token (or PORTEPAROLE_ADMIN_TOKEN).")
        given = form.get("token", "")
        if not (admin_token and given and hmac.compare_digest(given.encode("utf-8"), admin_token.encode("utf-8"))):
            return render(request, "login.html", status=403, enabled=True, failed=True)
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(ADMIN_COOKIE, editor_secret, httponly=True, samesite="strict", path="/")
        return response

    @app.post("/admin/logout", include_in_schema=False)
    async def admin_logout(request: Request):
        await form_of(request)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(ADMIN_COOKIE, path="/")
        return response

    @app.post("/admin/feedback/{feedback_id}", include_in_schema=False)
    async def admin_review(request: Request, feedback_id: int):
        form = await form_of(request)
        require_editor(request)
        action = form.get("action")
        if action not in ("accept", "reject"):
            raise WebError(400, "Choose accept or reject.")
        with open_store() as store:
            try:
                fb.review(store, feedback_id, accept=action == "accept")
            except fb.FeedbackError as e:
                raise WebError(409, str(e)) from None
        return RedirectResponse("/admin", status_code=303)

    @app.post("/admin/articles/{article_id}/reviewed", include_in_schema=False)
    async def admin_mark(request: Request, article_id: int):
        form = await form_of(request)
        require_editor(request)
        with open_store() as store:
            try:
                fb.mark_reviewed(store, article_id, reviewed=form.get("reviewed", "1") == "1")
            except StoreError:
                raise WebError(404, f"There is no article {article_id}.") from None
        return RedirectResponse(form.get("back") if form.get("back", "").startswith("/articles/") else "/admin",
                                status_code=303)


def statement_title(s: StoredStatement) -> str:
    """The attribution of a statement in one line (hover text)."""
    parts = [s.speaker or "unknown speaker", s.kind]
    if s.cue:
        parts.append(f"cue: {s.cue}")
    return " · ".join(parts)
