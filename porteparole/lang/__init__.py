"""Language knowledge, one JSON data file per language (``fr.json``, ``en.json``)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import UnsupportedLanguage

SUPPORTED = ("fr",)


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


def _regular_forms(lemma: str) -> list[str]:
    """Inflections of a regular -er verb (enough to catch lemmatiser misses)."""
    if not lemma.endswith("er"):
        return []
    s = lemma[:-2]
    ends = ["e", "es", "ent", "é", "ée", "és", "ées", "ait", "aient", "era", "eront", "erait", "ant", "a", "èrent"]
    return [s + e for e in ends]


@lru_cache(maxsize=None)
def load(code: str) -> LangData:
    """Load the language data for ``code``; raises :class:`UnsupportedLanguage`."""
    if code not in SUPPORTED:
        raise UnsupportedLanguage(code, SUPPORTED)
    raw = json.loads(resources.files(__package__).joinpath(f"{code}.json").read_text(encoding="utf-8"))
    verbs = {k.lower(): frozenset(v.split()) for k, v in raw["speech_verbs"].items()}
    forms: dict[str, str] = {}
    for lemma in verbs:
        for f in _regular_forms(lemma):
            forms.setdefault(f, lemma)
    for lemma, fs in raw.get("verb_forms", {}).items():
        for f in fs:
            forms[f.lower()] = lemma
    pats = tuple(re.compile(p, re.I) for p in raw.get("boilerplate", []))
    return LangData(code=code, raw=raw, verbs=verbs, forms=forms, boilerplate=pats)
