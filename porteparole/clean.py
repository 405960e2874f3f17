"""Cleaning: split a document into blocks, find its title, mark boilerplate.

Nothing here changes an offset: blocks point into the original text, and the
analysis text (:func:`analysis_text`) has exactly the same length as the input,
character for character.
"""
from __future__ import annotations

import re
from typing import Optional

from .lang import LangData
from .models import Block, Document, Span

# Same-length replacements: the analysis text keeps every offset of the input.
_SAME_LENGTH = str.maketrans({
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\t": " ",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'",
    "\u2013": "-", "\u2011": "-",
})
_DOMAIN = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)*\.(com|fr|net|org|info|be|ch|ca|cm|sn|ci|ma|dz|tn|eu|io|co|uk|de|ru)$", re.I)
_DATELINE = re.compile(r"^(\w+ )?\d{1,2}(er)? \w+ \d{4}\s*\.?\s*[-–—]?\s*$")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.-]*$")
_PARTICLES = {"de", "du", "des", "la", "le", "von", "van", "der", "al", "el", "ben", "bin", "da", "di", "dos", "y", "and", "et"}


def analysis_text(text: str) -> str:
    """The text the models read: same length as ``text``, typographic variants unified."""
    return text.translate(_SAME_LENGTH)


def blocks(doc: Document, lang: LangData) -> tuple[Optional[Span], tuple[Block, ...]]:
    """Split ``doc`` into line blocks and label each; return (title span, blocks)."""
    text = doc.text
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n\r]+", text) if text[m.start():m.end()].strip()]
    out: list[Block] = []
    title: Optional[Span] = None
    for n, (s, e) in enumerate(lines):
        s, e = _strip(text, s, e)
        line = text[s:e]
        if title is None and n == 0 and _looks_like_title(doc, line, len(lines)):
            title = Span(s, e, line)
            out.append(Block(s, e, "title"))
            continue
        out.append(Block(s, e, _label(line, lang, len(lines))))
    return title, tuple(out)


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _looks_like_title(doc: Document, line: str, n_lines: int) -> bool:
    if doc.title:
        return line.strip() == doc.title.strip()
    return n_lines > 1 and len(line) <= 250 and not line.rstrip().endswith((".", ":", ",", ";"))


def _label(line: str, lang: LangData, n_lines: int) -> str:
    low = analysis_text(line).strip().lower()
    if any(p.search(low) for p in lang.boilerplate):
        return "boilerplate"
    if _DOMAIN.match(low):
        return "boilerplate"
    if _DATELINE.match(line.strip()):
        return "dateline"
    if line.lstrip()[:1] in "—―" and len(line) < 200:
        return "attribution"
    if n_lines > 1 and _is_caption(line):
        return "boilerplate"
    return "body"


def _is_caption(line: str) -> bool:
    """A lone short line of capitalised words with no punctuation: a photo caption or a byline."""
    words = line.split()
    if not 1 <= len(words) <= 5 or line.rstrip()[-1:] in ".!?:;,»”\"":
        return False
    caps = [w for w in words if _NAME_WORD.match(w)]
    return len(caps) >= 1 and all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words)
