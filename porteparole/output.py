"""Serialisation at the edge: the JSON Lines contract and the readable terminal view."""
from __future__ import annotations

import json
import re
from typing import Optional, TextIO

from .models import Article, Commitment, Event, Failure, Span, Statement, When

PALETTE = (33, 36, 35, 32, 34, 31, 93, 96, 95, 92, 94, 91)
RESET = "\x1b[0m"


def span_dict(s: Optional[Span]) -> Optional[dict]:
    return None if s is None else {"start": s.start, "end": s.end, "text": s.text}


def statement_dict(s: Statement) -> dict:
    """A statement as the extraction contract spells it."""
    return {"start": s.start, "end": s.end, "text": s.text, "kind": s.kind, "speaker": s.speaker,
            "speaker_type": s.speaker_type, "mention": span_dict(s.mention), "cue": span_dict(s.cue),
            "nested_in": s.nested_in, "addressee": span_dict(s.addressee), "addressee_name": s.addressee_name}


def when_dict(w: Optional[When]) -> Optional[dict]:
    return None if w is None else {**span_dict(w.span), "first": w.first, "last": w.last}


def commitment_dict(c: Commitment) -> dict:
    """A commitment as the extraction contract spells it."""
    return {"start": c.start, "end": c.end, "text": c.text, "statement": c.statement, "holder": c.holder,
            "action": c.action, "recipient": c.recipient, "deadline": when_dict(c.deadline)}


def event_dict(e: Event) -> dict:
    """An event (meeting, call, summit) as the extraction contract spells it."""
    return {"start": e.start, "end": e.end, "text": e.text, "kind": e.kind, "participants": list(e.participants),
            "format": span_dict(e.format), "date": when_dict(e.when), "duration": span_dict(e.duration),
            "minutes": e.minutes, "topics": [span_dict(t) for t in e.topics]}


def article_dict(a: Article) -> dict:
    """One line of ``--format jsonl``."""
    d = a.document
    return {"id": d.id, "lang": a.lang, "title": a.title.text if a.title else d.title,
            "published": d.published, "url": d.url, "source": d.source,
            "statements": [statement_dict(s) for s in a.statements],
            "commitments": [commitment_dict(c) for c in a.commitments],
            "events": [event_dict(e) for e in a.events]}


def write_jsonl(a: Article, out: TextIO) -> None:
    out.write(json.dumps(article_dict(a), ensure_ascii=False) + "\n")


def speaker_colours(a: Article) -> dict[Optional[str], int]:
    """A stable colour per speaker of the article, in order of first statement."""
    colours: dict[Optional[str], int] = {}
    for s in a.statements:
        if s.speaker not in colours:
            colours[s.speaker] = PALETTE[len(colours) % len(PALETTE)]
    return colours


def write_text(a: Article, out: TextIO, colour: bool) -> None:
    """Readable who-said-what: one entry per statement, speakers coloured on a terminal."""
    colours = speaker_colours(a)
    title = a.title.text if a.title else (a.document.title or "")
    head = f"{a.document.id}" + (f" — {title}" if title else "")
    out.write(_style(head, "1", colour) + "\n")
    if not a.statements:
        out.write("  (no statements found)\n\n")
        return
    for n, s in enumerate(a.statements):
        who = s.speaker or "(unknown source)"
        kind = s.kind + (f", inside #{s.nested_in + 1}" if s.nested_in is not None else "")
        via = f"  « {s.mention.text} »" if s.mention and s.mention.text != s.speaker else ""
        to = f"  to: {s.addressee_name or s.addressee.text}" if s.addressee else ""
        out.write(f"  #{n + 1} {_style(who, str(colours[s.speaker]) + ';1', colour)} [{kind}]{via}"
                  + (f"  cue: {s.cue.text}" if s.cue else "") + to + "\n")
        words = re.sub(r"\s+", " ", s.text)
        out.write(f"     {_style(words, str(colours[s.speaker]), colour)}  ({s.start}–{s.end})\n")
    for c in a.commitments:
        by = f"  by « {c.deadline.span.text} »" + (f" ({_days(c.deadline)})" if c.deadline.first or c.deadline.last else "") \
            if c.deadline else ""
        out.write(f"  promise (#{c.statement + 1}) {c.holder or '(unknown)'}: {_one_line(c.action)}{by}\n")
    for e in a.events:
        parts = [", ".join(e.participants)] + [x for x in (e.format.text if e.format else None,
                                                           e.when.span.text if e.when else None,
                                                           e.duration.text if e.duration else None) if x]
        topics = f"; about: {', '.join(t.text for t in e.topics)}" if e.topics else ""
        out.write(f"  meeting: {' · '.join(parts)}{topics}\n")
    out.write("\n")


def _days(w: When) -> str:
    return w.first if w.first == w.last else f"{w.first or '…'} – {w.last or '…'}"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def write_failure(f: Failure, out: TextIO) -> None:
    out.write(f"porteparole: {f.origin}: {f.reason}\n")


def _style(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}{RESET}" if on else text
