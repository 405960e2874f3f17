"""Who is speaking: people and organisations of an article, their roles, and resolution.

No coreference model runs offline, so resolution is built from the parse, the
named entities and the role words of the language data:

* a surname or a titled name (« M. Poutine ») resolves to the fullest name the
  article gives (« Vladimir Poutine »);
* a role description (« le représentant du Kremlin », « le président ») resolves
  to the person the article gave that role, most recent first;
* a pronoun (« il », « elle », « -t-il ») resolves to the most recent
  compatible speaker or subject;
* anything else speaks under its own description, without its article.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Optional, Sequence

from spacy.tokens import Token

from ..lang import LangData

PERSON, ORG, GROUP, UNKNOWN = "person", "organisation", "group", "unknown"
WINDOW = 200   # mentions looked back at when resolving a pronoun or a role


@lru_cache(maxsize=1 << 16)
def fold(s: str) -> str:
    """Lowercase, without accents: the key names are compared on (cached: words repeat)."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


@dataclass
class Entity:
    """A person, organisation or group of one article."""

    name: str
    type: str
    gender: Optional[str] = None
    roles: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    named: bool = True       # False for a description (« la mère de Pascal Troadec »)

    @property
    def tokens(self) -> list[str]:
        return fold(self.name).replace("-", " ").split()


@dataclass(frozen=True)
class Resolution:
    """What a mention resolved to."""

    speaker: Optional[str]
    type: str
    entity: Optional[Entity] = None


@dataclass(frozen=True)
class Tok:
    """A token with its global offset (spaCy tokens know only their block)."""

    t: Token
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.t.text)

    @property
    def text(self) -> str:
        return self.t.text

    @property
    def low(self) -> str:
        return self.t.text.lower()

    @property
    def key(self) -> str:
        return fold(self.t.text)


def _heads_of(role: str) -> set[str]:
    """The head words of a stored role: its first word, or first two (« premier ministre »)."""
    words = re.split(r"[\s,']+", role.strip())
    return {words[0], " ".join(words[:2])} if words and words[0] else set()


_REGISTRY_TABLES: dict[str, SimpleNamespace] = {}


def _registry_tables(lang: LangData) -> SimpleNamespace:
    """Word sets of the language data, folded once per language (not once per article)."""
    if lang.code in _REGISTRY_TABLES:
        return _REGISTRY_TABLES[lang.code]
    t = SimpleNamespace()
    t.titles = {fold(w).rstrip(".") for w in lang.raw["titles"]}
    t.fem_titles = {fold(w).rstrip(".") for w in lang.raw["feminine_titles"]}
    t.fem_roles = {fold(w) for w in lang.raw.get("feminine_roles", [])}
    t.masc_titles = {fold(w).rstrip(".") for w in lang.raw.get("masculine_titles", [])}
    t.masc_roles = {fold(w) for w in lang.raw.get("masculine_roles", [])}
    t.links = {fold(w).rstrip("'") for w in lang.raw.get("complement_prepositions", []) + lang.raw.get("of_words", [])}
    t.pronouns = {fold(k): v for k, v in lang.raw["pronouns"].items()}
    t.determiners = {fold(w) for w in lang.raw["determiners"]}
    t.person_roles = {fold(w) for w in lang.raw["person_roles"]}
    t.org_words = {fold(w) for w in lang.raw["org_words"]}
    t.group_words = {fold(w) for w in lang.raw["group_words"]}
    t.source_nouns = {fold(w) for w in lang.raw["source_nouns"]}
    t.place_of: dict[str, int] = {fold(w): i for i, group in enumerate(lang.raw.get("places", [])) for w in group}
    t.synonyms: dict[str, set[str]] = {}
    for group in lang.raw["role_synonyms"]:
        g = {fold(w) for w in group}
        for w in g:
            t.synonyms.setdefault(w, set()).update(g)
    _REGISTRY_TABLES[lang.code] = t
    return t


class Registry:
    """The people and organisations an article names, with the roles it gives them."""

    def __init__(self, lang: LangData) -> None:
        self.lang = lang
        self.entities: list[Entity] = []
        self.mentions: list[tuple[int, Entity, bool]] = []   # (offset, entity, salient), kept sorted by offset
        self._offsets: list[int] = []
        self.__dict__.update(vars(_registry_tables(lang)))

    # ---- building -------------------------------------------------------------
    def add_name(self, name: str, etype: str, pos: int, salient: bool, role: str = "", gender: Optional[str] = None,
                 named: bool = True) -> Entity:
        """Record a named mention (or a description, ``named=False``) at ``pos``; returns its entity."""
        name = self.clean_name(name)
        ent = self.find_name(name, etype, pos) if named else next(
            (e for e in self.entities if not e.named and fold(e.name) == fold(name)), None)
        if ent is None:
            ent = Entity(name=name, type=etype, named=named)
            self.entities.append(ent)
        elif len(name.split()) > len(ent.name.split()) and etype == ent.type:
            ent.name = name
        if role:
            ent.roles.append(fold(role))
        if gender and not ent.gender:
            ent.gender = gender
        self._record(pos, ent, salient)
        return ent

    def note(self, ent: Entity, pos: int, salient: bool = True) -> None:
        """Record that ``ent`` is mentioned (or speaks) at ``pos``."""
        self._record(pos, ent, salient)

    def _record(self, pos: int, ent: Entity, salient: bool) -> None:
        ent.positions.append(pos)
        i = bisect.bisect_right(self._offsets, pos)
        self._offsets.insert(i, pos)
        self.mentions.insert(i, (pos, ent, salient))

    def before(self, pos: int, window: int = WINDOW) -> list[tuple[int, Entity, bool]]:
        """The last ``window`` mentions before ``pos``, in text order."""
        i = bisect.bisect_left(self._offsets, pos)
        return self.mentions[max(0, i - window):i]

    def clean_name(self, name: str) -> str:
        if "(" in name and name.find("(") > 0:
            name = name[:name.find("(")]     # « World Health Organisation (WHO) »
        words = name.replace("\n", " ").strip(" ,.;:()«»\"'").split()
        while words and fold(words[0]).rstrip(".") in self.titles:
            words = words[1:]
        while words and fold(words[0]) in self.determiners:
            words = words[1:]
        return " ".join(words)

    def find_name(self, name: str, etype: str, pos: int) -> Optional[Entity]:
        """The entity whose name contains all the words of ``name`` (fullest, then most recent)."""
        key = fold(name).replace("-", " ").split()
        if not key:
            return None
        found = []
        for ent in self.entities:
            toks = ent.tokens
            if not ent.named:
                continue
            if etype == PERSON and ent.type == PERSON:
                if toks[-len(key):] == key or (len(key) > 1 and all(k in toks for k in key)) or (len(key) == 1 and key[0] in toks[1:]):
                    found.append(ent)
            elif toks == key and (ent.type == etype or etype != PERSON and ent.type != PERSON):
                found.append(ent)
        if not found:
            return None
        if len(found) > 1:
            firsts = {e.tokens[0] for e in found if len(e.tokens) > 1}
            if len(firsts) > 1:   # two people share the surname: the most recent one
                return max(found, key=lambda e: max([p for p in e.positions if p <= pos] or [-1]))
        return max(found, key=lambda e: len(e.tokens))

    # ---- resolving ------------------------------------------------------------
    def by_pronoun(self, word: str, pos: int, reported: Sequence[tuple] = ()) -> Optional[Entity]:
        """The most recent salient entity before ``pos`` that agrees with the pronoun.

        Mentions inside reported content (``reported``: start, end and the statement's own
        mention span) are not candidates: in
        « Pour X, Y est victime … Il estime que … », « il » is X, not Y.  A referent
        whose gender is known and agrees is preferred within the recent window.
        """
        info = self.pronouns.get(fold(word))
        if info is None:
            return None
        plural = info["number"] == "p"
        ordered = [m for m in self.before(pos)
                   if not any(s <= m[0] < e and not (own and own[0] <= m[0] < own[1])
                                             for s, e, own in reported)]
        if info["gender"] == "n":      # « it »: an organisation, never a person
            for salient_only in (True, False):
                for p, ent, salient in reversed(ordered):
                    if ent.type == ORG and (salient or not salient_only):
                        return ent
            return None
        if not plural and info["gender"] == "f":
            for p, ent, salient in reversed(ordered):   # « elle »: a woman named recently first
                if p >= pos - 600 and salient and ent.type == PERSON and ent.gender == "f":
                    return ent
        for salient_only, people_only in ((True, True), (False, True), (True, False), (False, False)):
            for p, ent, salient in reversed(ordered):
                if (salient_only and not salient) or (people_only and not plural and ent.type != PERSON):
                    continue
                if plural != (ent.type == GROUP):
                    if plural and ent.type == ORG:
                        return ent
                    continue
                if ent.gender and not plural and ent.gender != info["gender"]:
                    continue
                return ent
        return None

    def by_role(self, words: Sequence[str], pos: int) -> Optional[Entity]:
        """The most recent entity the article gave the role described by ``words``."""
        words = [fold(w) for w in words if fold(w) not in self.determiners]
        if not words:
            return None
        heads = self._role_heads(words)
        if not heads:
            return None
        best, best_score = None, 0.0
        for p, ent, _ in reversed(self.before(pos)):
            if p >= pos:
                continue
            role_words = {w for r in ent.roles for w in re.split(r"[\s,']+", r)}
            role_heads = {h for r in ent.roles for h in _heads_of(r)} | {w for r in ent.roles for w in self._lead_words(r)
                                                                         if w in self.person_roles}
            if not heads & role_heads:
                continue
            extra = [w for w in words if len(w) > 3 and w not in heads]
            if self._places_conflict(words, role_words):
                continue    # « le président des États-Unis » is not « le président russe »
            score = 1.0 + sum(1 for w in extra if w in role_words) + 1e-6 * p
            if score > best_score:
                best, best_score = ent, score
        return best

    def _lead_words(self, role: str) -> list[str]:
        """The words of a role before its first complement (« Kremlin spokesman », « avocat » of
        « avocat de la mère »): a role word there names this person's role, not someone else's."""
        out = []
        for w in re.split(r"[\s,']+", role):
            if w in self.links:
                break
            out.append(w)
        return out

    def is_role_word(self, word: str) -> bool:
        """Is ``word`` a role or organisation noun of the language data?"""
        w = fold(word)
        return w in self.person_roles or w in self.org_words or w in self.synonyms

    def _role_heads(self, words: list[str]) -> set[str]:
        joined = " ".join(words)
        heads: set[str] = set()
        for w in [joined, " ".join(words[:2]), words[0]]:
            if w in self.synonyms:
                heads |= self.synonyms[w]
            if w in self.person_roles or w in self.org_words:
                heads.add(w)
        return heads

    def _places_conflict(self, words: Sequence[str], role_words: set[str]) -> bool:
        """Do the mention and the role name different countries (language data ``places``)?"""
        mine = {self.place_of[w] for w in words if w in self.place_of}
        theirs = {self.place_of[w] for w in role_words if w in self.place_of}
        return bool(mine) and bool(theirs) and not mine & theirs
