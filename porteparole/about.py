"""What a statement is about: the named entities inside its words, one key per real entity.

The entities come from two places: the model's named entities that fall inside the
statement (people, organisations, places…), and the names of the alias table
(:mod:`porteparole.people`) found in its words — « l'Alliance de l'Atlantique Nord »,
which the model may miss.  Each gets the key of its canonical name (« l'Otan »,
"NATO", « l'Alliance de l'Atlantique Nord » → ``nato``), so that ``quotes --about
NATO`` finds statements about « l'Otan ».
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional, Sequence

from .models import NamedEntity
from .people import AliasTable, default_aliases, normalise

# the spaCy labels of things a statement can be about (French and English models); dates, numbers… are not
ABOUT_LABELS = frozenset({"PER", "PERSON", "ORG", "LOC", "GPE", "NORP", "MISC", "EVENT", "FAC", "PRODUCT", "LAW"})


@dataclass(frozen=True)
class About:
    """An entity a statement speaks about: its words (offsets into the article) and its key."""

    start: int
    end: int
    text: str
    label: str
    key: str


def about_key(name: str, aliases: Optional[AliasTable] = None) -> str:
    """The key of an entity name: its canonical name's normal form when the alias table knows it."""
    table = aliases or default_aliases()
    canonical = table.canonical(name)
    return normalise(canonical or name)


@lru_cache(maxsize=8)
def _alias_pattern(table_id: int, names: tuple[str, ...]) -> tuple[Optional[re.Pattern], Optional[re.Pattern]]:
    """Two regexes over the alias names: acronyms (matched with their case), other names (any case)."""
    acronyms = sorted({n for n in names if re.fullmatch(r"[A-Z][A-Z.]{1,9}", n)}, key=len, reverse=True)
    words = sorted({n for n in names if n not in acronyms and len(n) >= 4}, key=len, reverse=True)

    def build(items: list[str], flags: int) -> Optional[re.Pattern]:
        if not items:
            return None
        body = "|".join(re.escape(n).replace("'", "['’]").replace("\\ ", r"\s+") for n in items)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags)

    return build(acronyms, 0), build(words, re.IGNORECASE)


def find_about(text: str, start: int, end: int, entities: Sequence[NamedEntity],
               aliases: Optional[AliasTable] = None, exclude: Iterable[tuple[int, int]] = ()) -> list[About]:
    """The entities statement ``text[start:end]`` speaks about, without overlaps, in text order.

    ``exclude``: ranges not to take (the speaker's own mention)."""
    table = aliases or default_aliases()
    skip = list(exclude)
    found: list[About] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in skip) and all(b <= f.start or a >= f.end for f in found)

    names = tuple(n for e in table.entities.values() for n in e.names)
    acronyms, words = _alias_pattern(id(table), names)
    for pattern in (acronyms, words):
        if pattern is None:
            continue
        for m in pattern.finditer(text, start, end):
            if free(m.start(), m.end()):
                canonical = table.canonical(m.group())
                if canonical:
                    ent = table.entity(canonical)
                    label = {"organisation": "ORG", "person": "PER"}.get(ent.type if ent else "", "MISC")
                    found.append(About(m.start(), m.end(), m.group(), label, normalise(canonical)))
    for e in entities:
        if e.label in ABOUT_LABELS and start <= e.start and e.end <= end and free(e.start, e.end):
            key = about_key(e.text, table)
            if key:
                found.append(About(e.start, e.end, e.text, e.label, key))
    return sorted(found, key=lambda a: a.start)
