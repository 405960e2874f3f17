"""Language knowledge, one JSON data file per language (``fr.json``, ``en.json``)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import UnsupportedLanguage

SUPPORTED = ("fr", "en")
AUTO = "auto"
DETECT_CHARS = 20_000   # a language is detected on the first characters of a text


@dataclass(frozen=True)
class LangData:
    """The language data of one language, loaded and indexed for lookups."""

    code: str
    raw: dict
    verbs: dict[str, frozenset[str]]     # lemma -> frames
    forms: dict[str, str]                # inflected form -> lemma
    boilerplate: tuple[re.Pattern, ...]

    def list(self, key: str) -> frozenset[str]:
        """A list from the data file as a set of lowercased strings."""
        return frozenset(w.lower() for w in self.raw.get(key, []))

    def verb_lemma(self, text: str, lemma: str) -> str | None:
        """The speech-verb lemma of a token, from its lemma or its inflected form."""
        low = text.lower()
        if lemma.lower() in self.verbs:
            return lemma.lower()
        if low in self.forms:
            return self.forms[low]
        return None


def _regular_forms(lemma: str, rules: list) -> list[str]:
    """Regular inflections of a verb (enough to catch lemmatiser misses).

    ``rules`` is the language data's ``inflections``: ``[ending, [replacements]]`` pairs,
    the first whose ending the lemma has applies (French: ``-er`` verbs only; English:
    ``deny`` -> ``denies``, ``state`` -> ``stated``, ``add`` -> ``adds``).
    """
    for ending, replacements in rules:
        if lemma.endswith(ending):
            stem = lemma[: len(lemma) - len(ending)]
            return [stem + r for r in replacements]
    return []


@lru_cache(maxsize=None)
def load(code: str) -> LangData:
    """Load the language data for ``code``; raises :class:`UnsupportedLanguage`."""
    if code not in SUPPORTED:
        raise UnsupportedLanguage(code, SUPPORTED)
    raw = json.loads(resources.files(__package__).joinpath(f"{code}.json").read_text(encoding="utf-8"))
    verbs = {k.lower(): frozenset(v.split()) for k, v in raw["speech_verbs"].items()}
    forms: dict[str, str] = {}
    for lemma in verbs:
        if " " in lemma:
            continue
        for f in _regular_forms(lemma, raw.get("inflections", [])):
            forms.setdefault(f, lemma)
    for lemma, fs in raw.get("verb_forms", {}).items():
        for f in fs:
            forms[f.lower()] = lemma
    pats = tuple(re.compile(p, re.I) for p in raw.get("boilerplate", []))
    return LangData(code=code, raw=raw, verbs=verbs, forms=forms, boilerplate=pats)


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=None)
def _detection_data(langs: tuple[str, ...]) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Each language's stopwords that no other candidate shares, and its distinctive letters."""
    words = {code: frozenset(w.lower() for w in load(code).raw.get("stopwords", [])) for code in langs}
    own = {code: ws - frozenset().union(*(words[o] for o in langs if o != code)) for code, ws in words.items()}
    letters = {code: frozenset(load(code).raw.get("letters", "")) for code in langs}
    return own, letters


def language_scores(text: str, langs: tuple[str, ...] = SUPPORTED) -> dict[str, float]:
    """How much ``text`` reads as each of ``langs``: its words that are stopwords of that
    language only, plus half a point per letter found only in that language's words."""
    own, letters = _detection_data(tuple(langs))
    sample = text[:DETECT_CHARS].lower()
    scores = {code: 0.0 for code in langs}
    for m in _WORD.finditer(sample):
        w = m.group()
        for code in langs:
            if w in own[code]:
                scores[code] += 1
            elif letters[code] and any(c in letters[code] for c in w):
                scores[code] += 0.5
    return scores


def detect(text: str, langs: tuple[str, ...] = SUPPORTED, default: str | None = None) -> str:
    """The language of ``text`` among the supported ones (a stopword count, no model, no network).

    A text with no clue either way (a name, a number, a single word) gets ``default``,
    else the first of ``langs``.  Mixed text gets its majority language.
    """
    scores = language_scores(text, langs)
    best = max(langs, key=lambda code: scores[code])
    if scores[best] == 0 or list(scores.values()).count(scores[best]) > 1:
        return default or langs[0]
    return best


def normalise(code: str | None) -> str | None:
    """A declared language (« fr-FR », « en_GB », « EN ») as a bare code, or None when empty."""
    if not code or not code.strip():
        return None
    return code.strip().lower().replace("_", "-").split("-")[0]
