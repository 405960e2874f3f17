"""Quotation marks as they are typed in real copy, paired into quotes.

Handles « » “ ” " ‹ › „ and their breakage: a closing mark typed as an opening one
(« …correspondantes« .), an unclosed quote (closed at the end of its paragraph), a
quote that runs over paragraphs (one quote per paragraph, whether or not the next
paragraph reopens it), nested quotes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

OPENERS = {"«": "»", "“": "”", "‹": "›", "„": "“”", '"': '"'}
CLOSERS = {"»": "«", "”": "“„", "›": "‹", '"': '"'}
MARKS = frozenset("«»“”‹›„\"")
_OPEN_CONTEXT = set(" \n\t([{'-—–/:") | MARKS


@dataclass(frozen=True)
class Quote:
    """A quotation: marks at ``open``/``close`` (``close`` is the block end if unclosed)."""

    open: int
    close: int
    start: int          # first character of the content
    end: int            # one past its last character
    closed: bool
    depth: int

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


def find_quotes(text: str, blocks: Iterable[tuple[int, int]]) -> list[Quote]:
    """Pair the quotation marks of each block of ``text``; never fails on unbalanced marks."""
    out: list[Quote] = []
    continued = False
    for bs, be in blocks:
        found = _scan_block(text, bs, be, continued)
        out.extend(found)
        continued = any(not q.closed and q.depth == 0 for q in found)
    out.sort(key=lambda q: (q.open, -q.close))
    return out


def _scan_block(text: str, bs: int, be: int, continued: bool = False) -> list[Quote]:
    """Pair the marks of one paragraph.  ``continued``: the paragraph before ended inside an
    unclosed quotation, so a first mark that closes (« …early." After the match ») ends a
    quotation that started with this paragraph."""
    stack: list[tuple[str, int]] = []
    found: list[Quote] = []
    for i in range(bs, be):
        c = text[i]
        if c not in MARKS:
            continue
        left = text[i - 1] if i > bs else " "
        right = text[i + 1] if i + 1 < be else " "
        opening_look = left in _OPEN_CONTEXT or left.isspace()
        closing_look = not opening_look and (right.isspace() or not right.isalnum())
        if continued and not stack and not found and closing_look and c in CLOSERS:
            found.append(_make(text, bs - 1, i, True, 0))   # content from the paragraph start
            continue
        if c == '"':
            if stack and stack[-1][0] == '"' and not (opening_look and right.isalnum() and _has_later(text, i, be, '"')):
                found.append(_make(text, stack.pop()[1], i, True, len(stack)))
            elif opening_look or not stack:
                stack.append((c, i))
            else:
                found.append(_make(text, _pop_any(stack)[1], i, True, len(stack)))
        elif c in OPENERS:
            if closing_look and stack:       # « typed where » was meant
                found.append(_make(text, _pop_any(stack)[1], i, True, len(stack)))
            else:
                stack.append((c, i))
        else:  # a closer
            j = _match_index(stack, c)
            if j is None:
                continue                      # stray closer: ignore
            opener = stack[j][1]
            del stack[j:]                     # inner unclosed marks were not quotes
            found.append(_make(text, opener, i, True, len(stack)))
    while stack:                              # unclosed: the quote ends with its paragraph
        _, o = stack.pop()
        found.append(_make(text, o, be, False, len(stack)))
    return [q for q in found if q.end > q.start]


def _has_later(text: str, i: int, be: int, mark: str) -> bool:
    return text.find(mark, i + 1, be) >= 0


def _pop_any(stack: list[tuple[str, int]]) -> tuple[str, int]:
    return stack.pop()


def _match_index(stack: list[tuple[str, int]], closer: str) -> Optional[int]:
    for j in range(len(stack) - 1, -1, -1):
        if stack[j][0] in CLOSERS[closer]:
            return j
    return len(stack) - 1 if stack else None


def _make(text: str, open_i: int, close_i: int, closed: bool, depth: int) -> Quote:
    s = open_i + 1
    e = close_i
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Quote(open_i, close_i, s, e, closed, depth)
