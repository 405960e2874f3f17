"""Quotations: the same words reported by many articles are one quotation with many occurrences.

Quotebank's model: a statement's words, without case, accents and punctuation, are its
quotation's identity.  Two statements are occurrences of one quotation when their words
are the same, or when one is a trimmed or lightly edited copy of the other (most of the
word 4-grams of the shorter are in the longer).  Short statements (a few words: « Non »,
"We will see") are only the same quotation when the same speaker says them.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from difflib import SequenceMatcher
from typing import Optional

SHINGLE = 4                # words per shingle
MIN_NEAR_WORDS = 8         # fewer words: only the exact same words (and speaker) make one quotation
MIN_SHARED_WORDS = 6       # exact same words said by different speakers: one quotation only from this length
NEAR = 0.8                 # share of the shorter text's shingles found in the other
NEAR_WORDS = 0.85          # or: share of the shorter text's words found in order in the other
MAX_SHINGLES = 400         # shingles indexed per quotation


def words(text: str) -> list[str]:
    """The words of a text without case, accents or punctuation (« L'Otan » → ["l", "otan"])."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return re.findall(r"\w+", s)


def key_of(tokens: list[str]) -> str:
    """The exact-match key of a quotation's words."""
    return hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()


def shingle_hashes(tokens: list[str]) -> set[int]:
    """Hashes (63-bit, stable across runs and backends) of the word 4-grams of ``tokens``."""
    if len(tokens) < SHINGLE:
        return set()
    out = set()
    for i in range(len(tokens) - SHINGLE + 1):
        digest = hashlib.blake2b(" ".join(tokens[i:i + SHINGLE]).encode("utf-8"), digest_size=8).digest()
        out.add(int.from_bytes(digest, "big") & 0x7FFFFFFFFFFFFFFF)
    return out


def near_copies(a: list[str], b: list[str]) -> bool:
    """Is one of two texts (as words) a trimmed or lightly edited copy of the other?

    Yes when most of the shorter one's word 4-grams are in the other, or, for short
    texts where one changed word breaks several 4-grams, when most of its words are
    found in the same order in the other."""
    if min(len(a), len(b)) < MIN_NEAR_WORDS:
        return False
    sa, sb = shingle_hashes(a), shingle_hashes(b)
    shorter = min(len(sa), len(sb))
    if shorter > 0 and len(sa & sb) >= NEAR * shorter:
        return True
    matched = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return matched >= NEAR_WORDS * min(len(a), len(b))


def may_share(tokens: list[str], speaker_id: Optional[int], other_speaker: Optional[int]) -> bool:
    """May the exact same words be one quotation across these two speakers?"""
    return speaker_id == other_speaker or len(tokens) >= MIN_SHARED_WORDS
