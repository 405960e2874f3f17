"""Tracking what speakers promised: commitments and meetings in the record.

A commitment is ``open`` until its deadline, then ``due``; an editor marks it ``kept``,
``broken`` or ``unclear``, with the later statement or article that shows it as
evidence.  Reviewed commitments export as schema.org ClaimReview (JSON-LD) for
fact-checkers.  Marks survive re-ingest of the article (matched on the commitment's words).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from .errors import PorteparoleError
from .models import Article

MARKS = ("kept", "broken", "unclear")
STATUSES = ("open", "due") + MARKS
RATING = {"kept": (5, "Kept"), "unclear": (3, "Unclear"), "broken": (1, "Broken")}


class CommitmentError(PorteparoleError):
    """A commitment command that cannot be done (unknown id, unknown status, bad evidence)."""


@dataclass(frozen=True)
class StoredCommitment:
    """A commitment as stored, with its article's metadata and its status on a given day."""

    id: int
    article_id: int
    statement_idx: Optional[int]
    start: int
    end: int
    text: str
    holder: Optional[str]
    speaker_id: Optional[int]
    action: str
    recipient: Optional[str]
    deadline_text: Optional[str]
    deadline_first: Optional[str]
    deadline_last: Optional[str]
    mark: Optional[str]
    evidence_article: Optional[int]
    evidence_idx: Optional[int]
    note: Optional[str]
    reviewed: Optional[str]
    title: Optional[str]
    url: Optional[str]
    source: Optional[str]
    published: Optional[str]

    def status(self, today: Optional[date] = None) -> str:
        """kept / broken / unclear when an editor said so; else due once the deadline is past, open before."""
        if self.mark:
            return self.mark
        day = (today or date.today()).isoformat()
        return "due" if self.deadline_last and self.deadline_last < day else "open"

    def as_dict(self, today: Optional[date] = None) -> dict:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["status"] = self.status(today)
        return out


@dataclass(frozen=True)
class StoredEvent:
    """A meeting as stored."""

    id: int
    article_id: int
    start: int
    end: int
    text: str
    kind: str
    participants: tuple[str, ...]
    format: Optional[str]
    date_text: Optional[str]
    date_first: Optional[str]
    date_last: Optional[str]
    duration: Optional[str]
    minutes: Optional[int]
    topics: tuple[str, ...]

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in
                ((k, getattr(self, k)) for k in self.__dataclass_fields__)}


_C_COLUMNS = ("c.id, c.article_id, c.statement_idx, c.start_offset, c.end_offset, c.text, c.holder, c.speaker_id, c.action,"
              " c.recipient, c.deadline_text, c.deadline_first, c.deadline_last, c.status, c.evidence_article, c.evidence_idx,"
              " c.note, c.reviewed, a.title, a.url, a.source, a.published")


def store_article(db, aid: int, article: Article, kept_marks: Optional[list[tuple]] = None) -> None:
    """Store an article's commitments (with their speakers' ids) and meetings; re-apply editors' marks."""
    speakers = {r[0]: r[1] for r in db.all("SELECT idx, speaker_id FROM statements WHERE article_id = ?", (aid,))}
    for c in article.commitments:
        d = c.deadline
        db.execute(
            "INSERT INTO commitments (article_id, statement_idx, start_offset, end_offset, text, holder, speaker_id, action,"
            " recipient, deadline_start, deadline_end, deadline_text, deadline_first, deadline_last)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, c.statement, c.start, c.end, c.text, c.holder, speakers.get(c.statement), c.action, c.recipient,
             d.span.start if d else None, d.span.end if d else None, d.span.text if d else None,
             d.first if d else None, d.last if d else None))
    for e in article.events:
        w = e.when
        db.execute(
            "INSERT INTO events (article_id, start_offset, end_offset, text, kind, participants, format, date_text, date_first,"
            " date_last, duration, minutes, topics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, e.start, e.end, e.text, e.kind, json.dumps(list(e.participants), ensure_ascii=False),
             e.format.text if e.format else None, w.span.text if w else None, w.first if w else None, w.last if w else None,
             e.duration.text if e.duration else None, e.minutes,
             json.dumps([t.text for t in e.topics], ensure_ascii=False)))
    for text, status, ev_article, ev_idx, note, reviewed in kept_marks or []:
        db.execute("UPDATE commitments SET status = ?, evidence_article = ?, evidence_idx = ?, note = ?, reviewed = ?"
                   " WHERE article_id = ? AND text = ?", (status, ev_article, ev_idx, note, reviewed, aid, text))


def marks_of(db, aid: int) -> list[tuple]:
    """The editors' marks on an article's commitments (kept through its re-ingest)."""
    return [tuple(r) for r in db.all("SELECT text, status, evidence_article, evidence_idx, note, reviewed FROM commitments"
                                     " WHERE article_id = ? AND status IS NOT NULL", (aid,))]


def delete_article(db, aid: int) -> None:
    db.execute("DELETE FROM commitments WHERE article_id = ?", (aid,))
    db.execute("DELETE FROM events WHERE article_id = ?", (aid,))


def list_commitments(db, speaker_ids: Optional[list[int]] = None, status: Optional[str] = None,
                     article_id: Optional[int] = None, today: Optional[date] = None,
                     limit: Optional[int] = None) -> list[StoredCommitment]:
    """Commitments, the nearest deadline first (none last); ``status`` filters on :meth:`StoredCommitment.status`."""
    if status is not None and status not in STATUSES:
        raise CommitmentError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    clauses, params = [], []
    if speaker_ids is not None:
        if not speaker_ids:
            return []
        clauses.append(f"c.speaker_id IN ({', '.join('?' * len(speaker_ids))})")
        params.extend(speaker_ids)
    if article_id is not None:
        clauses.append("c.article_id = ?")
        params.append(article_id)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = db.all(f"SELECT {_C_COLUMNS} FROM commitments c JOIN articles a ON a.id = c.article_id{where}"
                  " ORDER BY (c.deadline_last IS NULL), c.deadline_last, c.id", tuple(params))
    out = [StoredCommitment(*r) for r in rows]
    if status is not None:
        out = [c for c in out if c.status(today) == status]
    return out[:limit] if limit else out


def commitment(db, cid: int) -> StoredCommitment:
    row = db.one(f"SELECT {_C_COLUMNS} FROM commitments c JOIN articles a ON a.id = c.article_id WHERE c.id = ?", (cid,))
    if row is None:
        raise CommitmentError(f"no commitment with id {cid}; `porteparole commitments` lists them")
    return StoredCommitment(*row)


def mark(db, cid: int, status: str, evidence_article: Optional[int] = None, evidence_idx: Optional[int] = None,
         note: Optional[str] = None, when: Optional[str] = None) -> StoredCommitment:
    """An editor's verdict on a commitment (``kept``/``broken``/``unclear``; ``open`` clears it), with its evidence."""
    commitment(db, cid)
    if status not in MARKS + ("open",):
        raise CommitmentError(f"a commitment is marked kept, broken or unclear (or open to clear the mark), not {status!r}")
    if evidence_article is not None and db.one("SELECT 1 FROM articles WHERE id = ?", (evidence_article,)) is None:
        raise CommitmentError(f"evidence: no article with id {evidence_article}")
    if evidence_idx is not None and db.one("SELECT 1 FROM statements WHERE article_id = ? AND idx = ?",
                                           (evidence_article, evidence_idx)) is None:
        raise CommitmentError(f"evidence: article {evidence_article} has no statement #{evidence_idx + 1}")
    value = None if status == "open" else status
    db.execute("UPDATE commitments SET status = ?, evidence_article = ?, evidence_idx = ?, note = ?, reviewed = ? WHERE id = ?",
               (value, evidence_article, evidence_idx, note, when if value else None, cid))
    return commitment(db, cid)


def list_events(db, article_id: Optional[int] = None, limit: Optional[int] = None) -> list[StoredEvent]:
    """Meetings, the latest first."""
    where, params = ("WHERE e.article_id = ?", (article_id,)) if article_id is not None else ("", ())
    rows = db.all("SELECT e.id, e.article_id, e.start_offset, e.end_offset, e.text, e.kind, e.participants, e.format,"
                  " e.date_text, e.date_first, e.date_last, e.duration, e.minutes, e.topics FROM events e "
                  f"{where} ORDER BY COALESCE(e.date_first, '') DESC, e.id DESC" + (" LIMIT ?" if limit else ""),
                  params + ((limit,) if limit else ()))
    return [StoredEvent(*r[:6], tuple(json.loads(r[6])), *r[7:13], tuple(json.loads(r[13]))) for r in rows]


def claim_review(c: StoredCommitment, publisher: str, evidence_url: Optional[str] = None) -> dict[str, Any]:
    """A reviewed commitment as a schema.org ClaimReview (JSON-LD)."""
    if c.mark not in RATING:
        raise CommitmentError(f"commitment {c.id} has not been reviewed (kept, broken or unclear)")
    value, label = RATING[c.mark]
    claim: dict[str, Any] = {"@type": "Claim", "text": c.text,
                             "appearance": {"@type": "CreativeWork", "url": c.url, "headline": c.title}}
    if c.holder:
        claim["author"] = {"@type": "Person", "name": c.holder}
    if c.published:
        claim["datePublished"] = c.published[:10]
    review: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "claimReviewed": f"{c.holder or 'Unknown'}: {c.action}" + (f" (by {c.deadline_text})" if c.deadline_text else ""),
        "itemReviewed": claim,
        "author": {"@type": "Organization", "name": publisher},
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1, "alternateName": label},
    }
    if c.reviewed:
        review["datePublished"] = c.reviewed[:10]
    if evidence_url:
        review["url"] = evidence_url
    if c.note:
        review["reviewBody"] = c.note
    return review
