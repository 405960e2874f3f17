"""Pairing quotation marks as real French copy types them, breakage included."""
from __future__ import annotations

import re

import pytest

from porteparole.analyse.quotes import find_quotes

NBSP = "\u00a0"

# (id, text, [(content, closed, depth)] in order of the opening mark); blocks are the lines
CASES = [
    ("guillemets", "Il a dit « bonjour à tous » hier.", [("bonjour à tous", True, 0)]),
    ("guillemets-nbsp", f"Le mot «{NBSP}ouragan{NBSP}» est employé.", [("ouragan", True, 0)]),
    ("english-curly", "Il a dit “bonjour à tous” hier.", [("bonjour à tous", True, 0)]),
    ("straight", 'Il a dit "bonjour à tous" hier.', [("bonjour à tous", True, 0)]),
    ("single-guillemets", "Il a dit ‹ bonjour à tous › hier.", [("bonjour à tous", True, 0)]),
    ("german-low", "„Guten Tag“, sagte er.", [("Guten Tag", True, 0)]),
    ("two-quotes", "Il a écrit « bonjour » et « au revoir ».", [("bonjour", True, 0), ("au revoir", True, 0)]),
    ("nested-guillemets", "Il a dit « je cite « le peuple » et rien d’autre » hier.",
     [("je cite « le peuple » et rien d’autre", True, 0), ("le peuple", True, 1)]),
    ("nested-single-in-double", "« Les gens nous appellent ‹ la Suisse › », a-t-il dit.",
     [("Les gens nous appellent ‹ la Suisse ›", True, 0), ("la Suisse", True, 1)]),
    ("nested-straight", 'Il a dit "le mot "test" encore" hier.', [('le mot "test" encore', True, 0), ("test", True, 1)]),
    ("closer-typed-as-opener", f"la Russie «{NBSP}a besoin de garanties correspondantes« .",
     [("a besoin de garanties correspondantes", True, 0)]),
    ("closer-typed-as-opener-mid-block", "Il a dit « bonjour à tous«. Puis il est parti.", [("bonjour à tous", True, 0)]),
    ("unclosed", "Il a dit « bonjour à tous et il est parti", [("bonjour à tous et il est parti", False, 0)]),
    ("stray-closer", "Il est parti » sans rien dire.", []),
    ("stray-closer-then-unclosed", "Fin » du texte « début", [("début", False, 0)]),
    ("apostrophe-before-straight", "C'est l'\"événement\" de l'année.", [("événement", True, 0)]),
    ("two-blocks-reopened", "« Premier paragraphe de la citation\n« Second paragraphe. »",
     [("Premier paragraphe de la citation", False, 0), ("Second paragraphe.", True, 0)]),
    ("two-blocks-unclosed", "« Premier paragraphe\nLe journaliste reprend.",
     [("Premier paragraphe", False, 0)]),
]


def line_blocks(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]


@pytest.mark.parametrize("name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_find_quotes(name: str, text: str, expected: list) -> None:
    quotes = find_quotes(text, line_blocks(text))
    assert [(text[q.start:q.end], q.closed, q.depth) for q in quotes] == expected


@pytest.mark.parametrize("name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_quotes_stay_inside_their_block_and_marks_frame_content(name: str, text: str, expected: list) -> None:
    blocks = line_blocks(text)
    for q in find_quotes(text, blocks):
        bs, be = next(b for b in blocks if b[0] <= q.open < b[1])
        assert bs <= q.open < q.start <= q.end <= q.close <= be
        assert text[q.open] in "«»“”‹›„\""
        assert q.closed == (q.close < be and text[q.close] in "«»“”‹›\"")
        assert q.span == (q.start, q.end)


@pytest.mark.parametrize("text", [
    "»»»", "««««", '"', '" " "', "« » « »", "«", "»« »«", "", "   ", "“”„‹›",
])
def test_unbalanced_marks_never_fail(text: str) -> None:
    for q in find_quotes(text, line_blocks(text) or [(0, len(text))]):
        assert q.end > q.start
