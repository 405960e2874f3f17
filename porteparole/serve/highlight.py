"""An article's text cut into paragraphs and segments for highlighting: which statement,
speaker mention and cue each piece of text belongs to, by character offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

PALETTE_SIZE = 8


@dataclass(frozen=True)
class Mark:
    """A range of the text: a statement (``role="statement"``), or the ``mention``/``cue`` of statement ``idx``."""

    start: int
    end: int
    role: str
    idx: int


@dataclass(frozen=True)
class Segment:
    """A piece of one paragraph, with the innermost statement it belongs to (if any)."""

    start: int
    end: int
    text: str
    statement: Optional[int] = None
    mention: Optional[int] = None
    cue: Optional[int] = None


def colour_of(speaker_id: Optional[int]) -> int:
    """The palette slot of a speaker (stable across pages; no speaker: the last slot)."""
    return PALETTE_SIZE - 1 if speaker_id is None else speaker_id % (PALETTE_SIZE - 1)


def paragraphs(text: str, marks: Sequence[Mark]) -> list[list[Segment]]:
    """``text`` as paragraphs (split at line breaks) of segments cut at every mark's edge.

    Each segment knows the innermost statement covering it (nested statements win
    over the one that reports them) and whether it is part of a mention or a cue."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({m.start for m in valid} | {m.end for m in valid})
    out: list[list[Segment]] = []
    for para in re.finditer(r"[^\n]+", text):
        if not para.group().strip():
            continue
        ps, pe = para.start(), para.end()
        points = [ps] + [c for c in cuts if ps < c < pe] + [pe]
        segments = [_segment(text, a, b, valid) for a, b in zip(points, points[1:]) if a < b]
        out.append(segments)
    return out


def _segment(text: str, a: int, b: int, marks: Sequence[Mark]) -> Segment:
    covering = [m for m in marks if m.start <= a and b <= m.end]
    statements = [m for m in covering if m.role == "statement"]
    inner = min(statements, key=lambda m: (m.end - m.start, -m.start), default=None)
    mention = next((m.idx for m in covering if m.role == "mention"), None)
    cue = next((m.idx for m in covering if m.role == "cue"), None)
    return Segment(a, b, text[a:b], inner.idx if inner else None, mention, cue)
