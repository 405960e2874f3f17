"""Character-level structure of a block: sentence boundaries and quote depth.

These work on the analysis text, independent of the parser, so that spans end
where a journalist's sentence ends even when the model splits it elsewhere.
"""
from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from .quotes import Quote

_END = re.compile(r"[.!?…]+")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern, re.Pattern]:
    """Full stops that end no sentence: after an initial or an abbreviation of any supported
    language (« M. », "Mr.", « J.-C. »: ``abbreviations``), and before a number after the
    ``number_abbreviations`` (« art. 3 », "Dec. 7"); both lists are in the language files."""
    from ..lang import SUPPORTED, load

    words: set[str] = set()
    numbered: set[str] = set()
    for code in SUPPORTED:
        words.update(load(code).raw.get("abbreviations", []))
        numbered.update(load(code).raw.get("number_abbreviations", []))
    alt = "|".join(r"\b" + re.escape(w) for w in sorted(words, key=len, reverse=True))
    num = "|".join(re.escape(w) for w in sorted(numbered, key=len, reverse=True))
    return re.compile(rf"(?:\b[A-ZÀ-Þ]|{alt})\.$"), re.compile(rf"(?i)\b(?:{num})\.$")


@dataclass(frozen=True)
class Layout:
    """Sentence boundaries and quotes of the analysis text of one article.

    Quote depth and the innermost quote are precomputed per character, so that
    every lookup is O(1) however many quotation marks a (hostile) text holds.
    """

    text: str
    quotes: tuple[Quote, ...]
    boundaries: tuple[int, ...]      # offsets one past a sentence-final mark (raw, any depth)
    block_ends: tuple[int, ...]
    block_starts: tuple[int, ...]
    depths: bytearray = field(default_factory=bytearray, repr=False)
    inner: array = field(default_factory=lambda: array("i"), repr=False)
    parents: tuple[int, ...] = field(default=(), repr=False)

    def depth(self, pos: int) -> int:
        """How many quotes enclose ``pos``."""
        return self.depths[pos] if 0 <= pos < len(self.depths) else 0

    def enclosing(self, start: int, end: int) -> Quote | None:
        """The innermost quote whose content contains [start, end)."""
        if not 0 <= start < len(self.inner):
            return None
        i = self.inner[start]
        while i >= 0:
            q = self.quotes[i]
            if end <= q.close + (0 if q.closed else 1):
                return q
            i = self.parents[i]
        return None

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


def _number_opens(text: str, mark: int, nxt: int, end: int) -> bool:
    """« … la vie. 76 personnes … »: a number opens the next sentence after a word (not after a
    number, « 1. 2. », nor an abbreviation, « art. 3 »: those are checked by the caller)."""
    return text[nxt].isdigit() and mark > 0 and text[mark - 1].isalpha() and text[mark] == "." and (
        nxt > mark + 1) and not _abbreviations()[1].search(text[max(0, mark - 6):mark + 1])


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
            if nxt < be and not (text[nxt].isupper() or text[nxt] in "«“\"‹-—([" or _number_opens(text, m.start(), nxt, be)):
                continue
            if m.group() == "." and _abbreviations()[0].search(text[max(bs, m.start() - 6):m.start() + 1]):
                continue
            bounds.append(e)
    starts = tuple(b[0] for b in blocks)
    ends = tuple(b[1] for b in blocks)
    qs = tuple(sorted(quotes, key=lambda q: (q.open, -q.close)))
    depths, inner = _per_char(len(text), qs)
    return Layout(text, qs, tuple(sorted(set(bounds))), ends, starts, depths, inner, _parents(qs))


def _per_char(n: int, quotes: tuple[Quote, ...]) -> tuple[bytearray, array]:
    """Depth (capped at 255) and index of the innermost quote at every offset."""
    diff = [0] * (n + 2)
    inner = array("i", [-1]) * (n + 1)
    for i, q in enumerate(quotes):          # sorted outer-first: inner quotes overwrite
        lo, hi = q.open + 1, min(n + 1, q.close + (0 if q.closed else 1))
        if hi > lo:
            diff[lo] += 1
            diff[hi] -= 1
            inner[lo:hi] = array("i", [i]) * (hi - lo)
    depths = bytearray(min(255, d) for d in accumulate(diff[: n + 1]))
    return depths, inner


def _parents(quotes: tuple[Quote, ...]) -> tuple[int, ...]:
    """For each quote, the index of the quote that encloses it (or -1)."""
    parents = [-1] * len(quotes)
    stack: list[int] = []
    for i, q in enumerate(quotes):
        while stack and not (quotes[stack[-1]].open < q.open and q.close <= quotes[stack[-1]].close):
            stack.pop()
        parents[i] = stack[-1] if stack else -1
        stack.append(i)
    return tuple(parents)
