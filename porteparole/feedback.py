"""Readers' corrections and comments on stored statements, their review, and gold export.

A reader flags a statement (wrong speaker, not a statement, wrong span — with the
right value) or comments on it, giving a name and an e-mail address.  The address is
stored for the editors' eyes only: nothing in this module ever reads it back.  An
editor reviews each item: an accepted correction changes the statement in the store;
a rejected comment is no longer shown.  Articles the editor marks as reviewed are
written by :func:`export_gold` as gold files (``../shared/gold/FORMAT.md``), so that
readers' corrections become test data.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .errors import PorteparoleError
from .store import Store, StoreError, StoredArticle, _now

KINDS = ("comment", "wrong_speaker", "not_statement", "wrong_span")
KIND_LABELS = {"comment": "Comment", "wrong_speaker": "Wrong speaker", "not_statement": "Not a statement",
               "wrong_span": "Wrong words (span)"}
STATUSES = ("pending", "accepted", "rejected")
MAX_NAME, MAX_EMAIL, MAX_BODY, MAX_VALUE = 100, 254, 5000, 5000
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
SPEAKER_TYPES = ("person", "organisation", "group", "unknown")


class FeedbackError(PorteparoleError):
    """A submission or a review that cannot be accepted; ``fields`` maps each bad field to what to fix."""

    def __init__(self, message: str, fields: Optional[dict[str, str]] = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


@dataclass(frozen=True)
class Feedback:
    """A reader's correction or comment on one statement (the e-mail address is never part of it)."""

    id: int
    article_id: int
    idx: int
    statement_text: str
    kind: str
    value: Optional[str]
    body: str
    name: str
    status: str
    created: str
    reviewed: Optional[str]

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


_COLUMNS = "id, article_id, idx, statement_text, kind, value, body, name, status, created, reviewed"


def check_submission(kind: str, body: str, name: str, email: str, value: Optional[str]) -> dict[str, str]:
    """What is wrong with a submission, field by field (empty when it can be stored)."""
    problems: dict[str, str] = {}
    if kind not in KINDS:
        problems["kind"] = "choose what is wrong: " + ", ".join(KIND_LABELS[k] for k in KINDS)
    if not (name or "").strip():
        problems["name"] = "your name is required"
    elif len(name) > MAX_NAME:
        problems["name"] = f"your name is too long (at most {MAX_NAME} characters)"
    if not (email or "").strip():
        problems["email"] = "your e-mail address is required (it is never shown)"
    elif len(email) > MAX_EMAIL or not EMAIL.match(email.strip()):
        problems["email"] = "this is not an e-mail address (name@example.org)"
    if not (body or "").strip():
        problems["body"] = "the text is required: say what is wrong, or what you think"
    elif len(body) > MAX_BODY:
        problems["body"] = f"the text is too long (at most {MAX_BODY} characters)"
    if kind in ("wrong_speaker", "wrong_span") and not (value or "").strip():
        problems["value"] = ("give the right speaker" if kind == "wrong_speaker"
                             else "give the right words, copied exactly from the article")
    elif value and len(value) > MAX_VALUE:
        problems["value"] = f"the right value is too long (at most {MAX_VALUE} characters)"
    return problems


def add_feedback(store: Store, article_id: int, idx: int, kind: str, body: str, name: str, email: str,
                 value: Optional[str] = None, client: Optional[str] = None) -> Feedback:
    """Store a reader's correction or comment on statement ``idx`` of ``article_id`` (status ``pending``).

    Raises :class:`FeedbackError` (with ``fields``) when a required field is missing or
    wrong, or when the statement does not exist."""
    value = (value or "").strip() or None
    if kind in ("comment", "not_statement"):
        value = None
    problems = check_submission(kind, body, name, email, value)
    if problems:
        raise FeedbackError("the form is incomplete: " + "; ".join(f"{k}: {v}" for k, v in problems.items()), problems)
    text = _statement_text(store, article_id, idx)
    if kind == "wrong_span" and value not in store.article(article_id).text:
        raise FeedbackError("the right words must be copied exactly from the article's text",
                            {"value": "copy the right words exactly from the article's text"})
    with store.db.transaction():
        fid = store.db.insert(
            "INSERT INTO feedback (article_id, idx, statement_text, kind, value, body, name, email, client, status, created)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
            (article_id, idx, text, kind, value, body.strip(), name.strip(), email.strip(), client, _now()))
    return feedback_item(store, fid)


def _statement_text(store: Store, article_id: int, idx: int) -> str:
    row = store.db.one("SELECT text FROM statements WHERE article_id = ? AND idx = ?", (article_id, idx))
    if row is None:
        raise FeedbackError(f"article {article_id} has no statement #{idx + 1}; reload the article's page")
    return row[0]


def feedback_item(store: Store, feedback_id: int) -> Feedback:
    """One item; :class:`FeedbackError` when there is none."""
    row = store.db.one(f"SELECT {_COLUMNS} FROM feedback WHERE id = ?", (feedback_id,))
    if row is None:
        raise FeedbackError(f"no correction or comment with id {feedback_id}")
    return Feedback(*row)


def feedback(store: Store, article_id: Optional[int] = None, status: Optional[str] = None,
             limit: Optional[int] = 200) -> list[Feedback]:
    """Corrections and comments, oldest first, of one article and/or with one status."""
    clauses, params = [], []
    if article_id is not None:
        clauses.append("article_id = ?")
        params.append(article_id)
    if status is not None:
        if status not in STATUSES:
            raise FeedbackError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        clauses.append("status = ?")
        params.append(status)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = f"SELECT {_COLUMNS} FROM feedback{where} ORDER BY id" + (" LIMIT ?" if limit else "")
    return [Feedback(*r) for r in store.db.all(sql, tuple(params) + ((limit,) if limit else ()))]


def review(store: Store, feedback_id: int, accept: bool) -> Feedback:
    """Accept or reject a pending item; an accepted correction changes its statement in the store."""
    item = feedback_item(store, feedback_id)
    if item.status != "pending":
        raise FeedbackError(f"item {feedback_id} was already {item.status}")
    with store.db.transaction():
        if accept and item.kind != "comment":
            _apply(store, item)
        store.db.execute("UPDATE feedback SET status = ?, reviewed = ? WHERE id = ?",
                         ("accepted" if accept else "rejected", _now(), feedback_id))
    return feedback_item(store, feedback_id)


def _apply(store: Store, item: Feedback) -> None:
    row = store.db.one("SELECT id, start_offset FROM statements WHERE article_id = ? AND idx = ?", (item.article_id, item.idx))
    if row is None:
        raise FeedbackError(f"statement #{item.idx + 1} of article {item.article_id} is gone (removed by another correction)")
    sid, start = row
    db = store.db
    db.unindex_statement(sid)
    if item.kind == "not_statement":
        db.execute("DELETE FROM mentions WHERE statement_id = ?", (sid,))
        db.execute("DELETE FROM statement_entities WHERE statement_id = ?", (sid,))
        db.execute("UPDATE statements SET nested_in = NULL WHERE article_id = ? AND nested_in = ?", (item.article_id, item.idx))
        db.execute("DELETE FROM statements WHERE id = ?", (sid,))
        return
    if item.kind == "wrong_speaker":
        name = " ".join((item.value or "").split())
        spid = _speaker(store, name, item.article_id)
        db.execute("UPDATE statements SET speaker = ?, speaker_id = ?, speaker_type = ? WHERE id = ?",
                   (name, spid, _speaker_type(store, spid), sid))
        db.execute("UPDATE mentions SET speaker_id = ? WHERE statement_id = ?", (spid, sid))
    elif item.kind == "wrong_span":
        text = store.article(item.article_id).text
        new_start = closest(text, item.value or "", start)
        if new_start is None:
            raise FeedbackError("the corrected words are not in the article's text")
        db.execute("UPDATE statements SET start_offset = ?, end_offset = ?, text = ? WHERE id = ?",
                   (new_start, new_start + len(item.value or ""), item.value, sid))
    db.index_statement(sid)


def _speaker(store: Store, name: str, article_id: int) -> int:
    """The speaker a corrected name is (an existing one, by the record's rules, or a new one)."""
    from .identity import Context, resolve

    row = store.db.one("SELECT lang, published FROM articles WHERE id = ?", (article_id,))
    return resolve(store.db, name, "person", Context(row[0] if row else None, None, row[1] if row else None, article_id))


def _speaker_type(store: Store, speaker_id: int) -> str:
    return store.db.one("SELECT type FROM speakers WHERE id = ?", (speaker_id,))[0]


def closest(text: str, words: str, near: int) -> Optional[int]:
    """The start of the occurrence of ``words`` in ``text`` nearest to offset ``near`` (None: absent)."""
    if not words:
        return None
    best, i = None, text.find(words)
    while i != -1:
        if best is None or abs(i - near) < abs(best - near):
            best = i
        i = text.find(words, i + 1)
    return best


# ---------------------------------------------------------------------- reviewed articles and gold
def mark_reviewed(store: Store, article_id: int, reviewed: bool = True) -> None:
    """Mark (or unmark) an article as reviewed by an editor: :func:`export_gold` writes it."""
    store.article(article_id)          # StoreError when there is none
    with store.db.transaction():
        store.db.execute("DELETE FROM reviewed_articles WHERE article_id = ?", (article_id,))
        if reviewed:
            store.db.execute("INSERT INTO reviewed_articles (article_id, at) VALUES (?, ?)", (article_id, _now()))


def reviewed_articles(store: Store) -> list[int]:
    """Ids of the articles an editor marked as reviewed."""
    return [r[0] for r in store.db.all("SELECT article_id FROM reviewed_articles ORDER BY article_id")]


def gold_record(art: StoredArticle) -> dict:
    """An article and its (reviewed) statements in the gold format of ``../shared/gold/FORMAT.md``."""
    by_idx = {s.idx: s for s in art.statements}
    marks_text = art.text
    statements = []
    for s in art.statements:
        name = s.speaker_in_article or s.speaker
        item: dict = {"kind": s.kind, "span": s.text, "start": s.start, "speaker": name,
                      "aliases": list(dict.fromkeys(n for n in (name, s.speaker) if n))}
        if s.cue:
            item["cue"] = s.cue
        if s.mention:
            item["mention"] = s.mention
        if s.nested_in is not None and s.nested_in in by_idx:
            item["nested_in"] = by_idx[s.nested_in].speaker_in_article or by_idx[s.nested_in].speaker
            item["optional"] = True
        assert marks_text[s.start:s.end] == s.text, "stored offsets must match the stored text"
        statements.append(item)
    record = {"id": art.doc_id or f"article-{art.id}", "lang": art.lang, "source": art.source,
              "published": (art.published or "")[:10] or None, "url": art.url, "text": art.text}
    if art.title and art.title in art.text:
        record["title"] = art.title
    record["boilerplate"] = []
    record["statements"] = statements
    return record


def export_gold(store: Store, out_dir: str | Path, article_ids: Optional[list[int]] = None) -> list[Path]:
    """Write the reviewed articles (or ``article_ids``) as gold files in ``out_dir``; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ids = article_ids if article_ids is not None else reviewed_articles(store)
    written = []
    for aid in ids:
        try:
            art = store.article(aid)
        except StoreError:
            raise FeedbackError(f"no article with id {aid}; `porteparole quotes` lists article ids") from None
        record = gold_record(art)
        name = re.sub(r"[^\w.-]+", "-", str(record["id"]))[:120].strip("-") or f"article-{aid}"
        path = out / f"{name}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written
