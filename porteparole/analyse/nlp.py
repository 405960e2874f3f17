"""Loading the spaCy model of a language, with porteparole's sentence splitter.

The stock French model splits sentences badly around « »; the component
``porteparole_sentences`` runs before the parser and sets the boundaries a
journalist wrote (never inside a quotation), which the parser then respects.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelMissing
from ..lang import load as load_lang
from .quotes import find_quotes
from .text import layout


@Language.component("porteparole_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Set sentence starts at top-level sentence ends; none inside quotations."""
    text = doc.text
    quotes = find_quotes(text, [(0, len(text))])
    lay = layout(text, quotes, [(0, len(text))])
    starts = set()
    for b in lay.boundaries:
        if lay.depth(b - 1) == 0:
            starts.add(b)
    inside = [False] * (len(text) + 1)
    for q in quotes:
        for i in range(q.open + 1, min(q.close, len(text))):
            inside[i] = True
    for tok in doc[1:]:
        if tok.idx in starts or (tok.idx > 0 and text[tok.idx - 1] == "\n"):
            tok.is_sent_start = True
        elif not tok.is_space:
            tok.is_sent_start = False if inside[tok.idx] or _follows_boundary(text, tok.idx, starts) is False else None
    return doc


def _follows_boundary(text: str, idx: int, starts: set[int]) -> bool | None:
    """False when no top-level boundary precedes ``idx`` within the token gap."""
    j = idx
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return None if j in starts else False


@lru_cache(maxsize=None)
def load_model(lang: str) -> Language:
    """Load the spaCy model for ``lang`` (from the installed package) with our splitter."""
    data = load_lang(lang)
    name = data.raw["model"]
    try:
        nlp = spacy.load(name)
    except OSError:
        raise ModelMissing(lang, data.raw.get("model_package", name)) from None
    if "porteparole_sentences" not in nlp.pipe_names:
        nlp.add_pipe("porteparole_sentences", before="parser")
    return nlp
