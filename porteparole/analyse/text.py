"""Character-level structure of a block: sentence boundaries and quote depth.

These work on the analysis text, independent of the parser, so that spans end
where a journalist's sentence ends even when the model splits it elsewhere.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .quotes import Quote

_ABBREV = re.compile(r"(?:\b[A-ZÀ-Þ]|\bM|\bMM|\bMme|\bMlle|\bDr|\bPr|\bSt|\bMgr|\bJr|\bSr|\bMr|\bMrs|\bMs|\bvs|\betc|\bp|\bn°|\bNo|\bav|\bapr|\bJ\.-C|\bU\.S|\bInc|\bCo|\bLtd|\bGov|\bSen|\bRep|\bGen|\bCol|\bLt|\bSgt|\bProf|\bSt)\.$")
_END = re.compile(r"[.!?…]+")


@dataclass(frozen=True)
class Layout:
    """Sentence boundaries and quotes of the analysis text of one article."""

    text: str
    quotes: tuple[Quote, ...]
    boundaries: tuple[int, ...]      # offsets one past a sentence-final mark (raw, any depth)
    block_ends: tuple[int, ...]
    block_starts: tuple[int, ...]

    def depth(self, pos: int) -> int:
        """How many quotes enclose ``pos``."""
        return sum(1 for q in self.quotes if q.open < pos < q.close or (not q.closed and q.open < pos <= q.close))

    def enclosing(self, start: int, end: int) -> Quote | None:
        """The innermost quote whose content contains [start, end)."""
        best = None
        for q in self.quotes:
            if q.open < start and end <= q.close + (0 if q.closed else 1):
                if best is None or q.open > best.open:
                    best = q
        return best

    def block_of(self, pos: int) -> int:
        """Index of the block containing ``pos``."""
        return max(0, bisect.bisect_right(self.block_starts, pos) - 1)

    def block_end(self, pos: int) -> int:
        return self.block_ends[self.block_of(pos)]

    def block_start(self, pos: int) -> int:
        return self.block_starts[self.block_of(pos)]

    def sentence_end(self, start: int, limit: int, max_depth: int | None = None) -> int:
        """First sentence boundary after ``start`` (at quote depth ≤ ``max_depth``), or ``limit``."""
        i = bisect.bisect_right(self.boundaries, start)
        while i < len(self.boundaries) and self.boundaries[i] <= limit:
            b = self.boundaries[i]
            if max_depth is None or self.depth(b - 1) <= max_depth:
                return b
            i += 1
        return limit

    def sentence_start(self, pos: int, floor: int, max_depth: int | None = None) -> int:
        """Start of the sentence containing ``pos`` (not before ``floor``)."""
        i = bisect.bisect_right(self.boundaries, pos) - 1
        while i >= 0 and self.boundaries[i] > floor:
            b = self.boundaries[i]
            if b <= pos and (max_depth is None or self.depth(b - 1) <= max_depth):
                return _skip_space(self.text, b, pos)
            i -= 1
        return _skip_space(self.text, floor, pos)


def _skip_space(text: str, i: int, limit: int) -> int:
    while i < limit and text[i].isspace():
        i += 1
    return i


def layout(text: str, quotes: list[Quote], blocks: list[tuple[int, int]]) -> Layout:
    """Compute sentence boundaries of every block."""
    bounds: list[int] = []
    for bs, be in blocks:
        for m in _END.finditer(text, bs, be):
            e = m.end()
            # a closing quote right after the mark belongs to the sentence
            while e < be and text[e] in "»”\"›":
                e += 1
            nxt = _skip_space(text, e, be)
            if nxt < be and not (text[nxt].isupper() or text[nxt] in "«“\"‹-—(["):
                continue
            if m.group() == "." and _ABBREV.search(text[max(bs, m.start() - 6):m.start() + 1]):
                continue
            bounds.append(e)
    starts = tuple(b[0] for b in blocks)
    ends = tuple(b[1] for b in blocks)
    return Layout(text, tuple(quotes), tuple(sorted(set(bounds))), ends, starts)
