"""People, not strings: are two speaker mentions the same real speaker?

A :class:`Mention` is a speaker as a record carries it (name, language, role, org,
date, type).  :func:`decide` compares two mentions and returns a :class:`Decision`
with the rule that fired, in words an editor can check; :func:`same_person` is its
yes/no.  The rules, from issue 6, in the order they apply:

* a relative (« mère de X », "X's sister") is never X; a joint speaker (« A et B »)
  is never one of its members; an organisation is never a person;
* the :class:`AliasTable` (curated data) knows names across languages (ONU / UN /
  Nations unies, Poutine / Putin) and who held a post when: an unnamed description
  (« porte-parole du Kremlin », « Premier ministre » + France) resolves to a holder
  only through a role entry valid at the mention's date, and only when one holder fits;
* names are compared token by token after :func:`normalise` (case, accents, hyphens,
  apostrophes, titles), a token matching when its :func:`transliterations` keys meet
  (Dmitri / Dmitry / Dimitri, Zelensky / Zelenskyy / Zelenski, Poutine / Putin);
* two full names with different first names are different people; a bare surname
  (or first name) is the full name only when nothing in the context contradicts it
  (role, country, gender of « Mme », date) and the surname is not shared by several
  well-known people (data: ``shared_surnames``) unless the roles agree.

Alias file format (``porteparole/data/aliases.json``; extra files given to
:meth:`AliasTable.load` use the same format and are merged into it)::

    {"entities": [
        {"canonical": "NATO", "type": "organisation",
         "aliases": ["OTAN", "Otan", "Alliance atlantique"]}],
     "roles": [
        {"role": ["porte-parole du Kremlin", "Kremlin spokesman"],
         "holder": "Dmitri Peskov", "from": "2008-05-01", "to": null},
        {"role": ["Premier ministre", "Prime Minister"], "country": "France",
         "holder": "Édouard Philippe", "from": "2017-05-15", "to": "2020-07-03"}]}

``type`` is one of person, organisation, group (default person); ``country``, when
given, is a key of ``countries`` in ``porteparole/data/names.json`` and must be found
in the mention's role or org; ``from``/``to`` are ISO dates, ``to`` null while in
office.  Entities with the same canonical name are merged; role entries add up.
Both keys are optional; any other key starting with ``_`` is a comment.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

from .errors import PorteparoleError
from .lang import SUPPORTED
from .lang import load as load_lang

TYPES = ("person", "organisation", "group", "unknown")
ARTICLE_DAYS = 3        # two dates this close are taken as the same news story
SURNAME_DAYS = 366      # a bare surname is not merged across a wider gap without a matching role


class AliasFileError(PorteparoleError):
    """An alias file cannot be read or does not follow the documented format."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"alias file {path}: {reason} (see the format in porteparole/people.py)")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Mention:
    """A speaker as a record carries it: name plus the context found near it."""

    name: str
    lang: Optional[str]
    role: Optional[str] = None
    org: Optional[str] = None
    date: Optional[str] = None
    type: str = "person"


@dataclass(frozen=True)
class Decision:
    """Whether two mentions are the same speaker, how sure, and why (for editors)."""

    same: bool
    score: float
    rule: str
    reason: str

    def __bool__(self) -> bool:
        return self.same


# ---------------------------------------------------------------- language data
@lru_cache(maxsize=1)
def _names() -> dict:
    """``porteparole/data/names.json``: name knowledge shared by all languages."""
    return json.loads(resources.files("porteparole").joinpath("data/names.json").read_text(encoding="utf-8"))


def _fold(s: str) -> str:
    """Lowercase, no accents, typographic apostrophe made plain."""
    letters = _names()["letters"]
    s = "".join(letters.get(c, letters.get(c.lower(), c)) for c in s.replace("’", "'"))
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def _words(text: str) -> list[str]:
    """Folded words of ``text`` (hyphens and apostrophes split, dots dropped)."""
    return re.findall(r"[a-z0-9]+", _fold(text).replace(".", ""))


def _lang_words(key: str) -> frozenset[str]:
    """A word list of every supported language's data, folded, without final dots."""
    return _lang_words_cached(key)


@lru_cache(maxsize=None)
def _lang_words_cached(key: str) -> frozenset[str]:
    out: set[str] = set()
    for code in SUPPORTED:
        for w in load_lang(code).raw.get(key, []):
            out.add(" ".join(_words(w)))
    return frozenset(out)


def _links() -> frozenset[str]:
    """Linking words skipped inside roles and names (de, of, the…)."""
    return frozenset({"de", "du", "des", "d", "l", "la", "le", "les", "of", "the", "s", "a", "au", "aux",
                      "for", "to", "et", "and", "en", "in"})


@lru_cache(maxsize=1)
def _tables() -> dict:
    """Indexes over names.json and the language files, built once."""
    n = _names()
    t: dict = {}
    t["titles"] = _lang_words("titles") | {" ".join(_words(w)) for w in n["masculine_titles"]}
    t["fem_titles"] = _lang_words("feminine_titles")
    t["masc_titles"] = frozenset(" ".join(_words(w)) for w in n["masculine_titles"])
    t["determiners"] = _lang_words("determiners") | {"l", "d"}
    t["particles"] = frozenset(n["particles"])
    t["given"] = {w: g for g, ws in n["given_names"].items() for w in ws}
    t["nick"] = {w: i for i, grp in enumerate(n["nicknames"]) for w in grp}
    t["relations"] = frozenset(" ".join(_words(w)) for w in n["relation_words"])
    t["former"] = frozenset(" ".join(_words(w)) for w in n["former_words"])
    t["shared"] = frozenset(" ".join(_words(w)) for w in n["shared_surnames"])
    t["country_of"] = {" ".join(_words(w)): c for c, ws in n["countries"].items() for w in ws + [c]}
    t["places"] = frozenset(" ".join(_words(w)) for code in SUPPORTED
                            for grp in load_lang(code).raw.get("places", []) for w in grp)
    groups: dict[str, set[int]] = {}
    lists = [g for code in SUPPORTED for g in load_lang(code).raw.get("role_synonyms", [])] + n["role_translations"]
    for i, grp in enumerate(lists):
        for w in grp:
            groups.setdefault(" ".join(_words(w)), set()).add(i)
    t["role_groups"] = groups
    person_phrases = _lang_words("person_roles") | {" ".join(_words(w)) for g in n["role_translations"] for w in g}
    t["role_words"] = frozenset(w for p in person_phrases for w in p.split() if w not in _links())
    t["org_words"] = _lang_words("org_words")
    t["group_words"] = _lang_words("group_words")
    t["links"] = _links()
    return t


def is_determiner(word: str) -> bool:
    """Whether a word is an article or determiner of a supported language (« le », « l' », "the")."""
    words = _words(word)
    return len(words) == 1 and words[0] in _tables()["determiners"]


def is_title(text: str) -> bool:
    """Whether ``text`` is only titles (« M. », « Mme », "Dr.", "President")."""
    words = _words(text)
    return bool(words) and all(w in _tables()["titles"] for w in words)


# ---------------------------------------------------------------- normalising
def normalise(name: str, lang: Optional[str] = None) -> str:
    """The comparison key of a name: folded words, leading titles and articles removed.

    « M. Poutine » -> ``poutine``; "Dr. Jean-Luc Martin" -> ``jean luc martin``;
    « l'Otan » -> ``otan``.  Titles and articles come from the language files of every
    supported language, whatever ``lang`` is: names cross languages (an English article
    quotes « M. Macron »); ``lang`` is kept for callers that know it.
    """
    t = _tables()
    words = _words(name)
    while len(words) > 1 and (words[0] in t["titles"] or words[0] in t["determiners"]):
        words = words[1:]
    return " ".join(words)


def _rules(convention: str) -> list[tuple[re.Pattern, str]]:
    return _compiled_rules(convention)


@lru_cache(maxsize=None)
def _compiled_rules(convention: str) -> list[tuple[re.Pattern, str]]:
    tr = _names()["transliteration"]
    return [(re.compile(p), r) for p, r in tr.get(convention, []) + tr["common"]]


def _translit_key(token: str, convention: str) -> str:
    """One transliteration key of a folded token, read in ``convention`` (fr or en)."""
    s = token
    for pattern, repl in _rules(convention):
        s = pattern.sub(repl, s)
    return s.lower()


@lru_cache(maxsize=1 << 14)
def transliterations(token: str) -> frozenset[str]:
    """Variant keys of a name word: two words spell the same name when their keys meet.

    The word is read as a French and as an English transliteration (« Tchourkine » and
    "Churkin" both give ``curkin``; « Poutine » and "Putin" give ``putin``; Zelensky,
    Zelenskyy, Zelenskiy and Zelenski give ``zelenski``).
    """
    folded = "".join(_words(token))
    return frozenset({folded} | {_translit_key(folded, c) for c in ("fr", "en")})


def _tok_eq(a: str, b: str) -> bool:
    return a == b or bool(transliterations(a) & transliterations(b))


def _given_eq(a: str, b: str) -> bool:
    """First names match: same spelling or transliteration, nickname, or an initial."""
    nick = _tables()["nick"]
    if _tok_eq(a, b) or (a in nick and nick.get(b) == nick[a]):
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (short strings)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _fuzzy_eq(a: str, b: str) -> bool:
    """A misspelling: one edit in a word of 4+ letters, two in a word of 8+."""
    n = min(len(a), len(b))
    d = _edits(a, b)
    return (n >= 4 and d <= 1) or (n >= 8 and d <= 2)


# ---------------------------------------------------------------- alias table
@dataclass(frozen=True)
class AliasEntity:
    """A canonical speaker of the alias table and every name it goes by."""

    canonical: str
    type: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class RoleEntry:
    """Who held a post, between two dates."""

    role: tuple[str, ...]
    holder: str
    start: Optional[dt.date]
    end: Optional[dt.date]
    country: Optional[str] = None


@dataclass
class AliasTable:
    """Curated names across languages and role holders by date (see the module doc)."""

    entities: dict[str, AliasEntity] = field(default_factory=dict)
    roles: list[RoleEntry] = field(default_factory=list)
    _index: dict[str, Optional[str]] = field(default_factory=dict, repr=False)
    _surnames: dict[str, Optional[str]] = field(default_factory=dict, repr=False)
    _role_keys: Optional[frozenset[str]] = field(default=None, repr=False)

    @classmethod
    def load(cls, extra_paths: Iterable[str | Path] = ()) -> "AliasTable":
        """The shipped table merged with the user's extra files (same format).

        Raises :class:`AliasFileError` for a missing, unreadable or malformed file.
        """
        table = cls()
        shipped = resources.files("porteparole").joinpath("data/aliases.json").read_text(encoding="utf-8")
        table.merge(_parse_json(shipped, "porteparole/data/aliases.json"), "porteparole/data/aliases.json")
        for path in extra_paths:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise AliasFileError(str(path), f"cannot be read ({e.__class__.__name__}: {e})") from e
            table.merge(_parse_json(text, str(path)), str(path))
        return table

    def merge(self, data: dict, source: str = "<data>") -> None:
        """Add the entities and roles of one parsed alias file."""
        _check_format(data, source)
        for e in data.get("entities", []):
            old = self.entities.get(e["canonical"])
            names = tuple(dict.fromkeys(((old.names if old else (e["canonical"],)) + tuple(e.get("aliases", [])))))
            etype = e.get("type", old.type if old else "person")
            self.entities[e["canonical"]] = AliasEntity(e["canonical"], etype, names)
        for r in data.get("roles", []):
            self.roles.append(RoleEntry(tuple(r["role"]), r["holder"], _date(r.get("from")), _date(r.get("to")),
                                        r.get("country")))
            if r["holder"] not in self.entities and self.canonical(r["holder"]) is None:
                self.entities[r["holder"]] = AliasEntity(r["holder"], "person", (r["holder"],))
        self._reindex()

    def _reindex(self) -> None:
        index: dict[str, Optional[str]] = {}
        for ent in self.entities.values():
            for name in ent.names:
                key = normalise(name)
                index[key] = ent.canonical if index.get(key, ent.canonical) == ent.canonical else None
        self._index = index
        self._role_keys = None
        surnames: dict[str, Optional[str]] = {}
        t = _tables()
        for ent in self.entities.values():
            words = [w for w in _words(ent.canonical) if w not in t["particles"]]
            if ent.type != "person" or len(words) < 2:
                continue
            last = words[-1]
            surnames[last] = ent.canonical if surnames.get(last, ent.canonical) == ent.canonical else None
        self._surnames = surnames

    def role_keys(self) -> frozenset[str]:
        """Every way the table writes a post, as comparison keys."""
        if self._role_keys is None:
            self._role_keys = frozenset(_role_key(p) for r in self.roles for p in r.role)
        return self._role_keys

    def canonical(self, name: str) -> Optional[str]:
        """The canonical name ``name`` is an alias of, or None (unknown or ambiguous).

        A bare surname is the one well-known person of the table with that surname,
        unless several well-known people share it (``shared_surnames``) or it is also a
        common first name.
        """
        key = normalise(name)
        if key in self._index:
            return self._index[key]
        t = _tables()
        words = [w for w in key.split() if w not in t["particles"]]
        if len(words) == 1 and words[0] not in t["shared"] and words[0] not in t["given"]:
            return self._surnames.get(words[0])
        return None

    def entity(self, canonical: str) -> Optional[AliasEntity]:
        """The entity of a canonical name (holders are entities too)."""
        return self.entities.get(canonical)

    def holders(self, role_texts: Iterable[str], countries: frozenset[str], day: Optional[dt.date]) -> set[str]:
        """Canonical holders of the posts ``role_texts`` name, in ``countries``, on ``day``."""
        if day is None:
            return set()
        texts = [t for t in role_texts if t]
        found: set[str] = set()
        for r in self.roles:
            if (r.start and day < r.start) or (r.end and day > r.end):
                continue
            if any(_role_matches(t, countries, r) for t in texts):
                found.add(self.canonical(r.holder) or r.holder)
        return found


def _parse_json(text: str, source: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise AliasFileError(source, f"not valid JSON ({e})") from e
    return data


def _check_format(data: object, source: str) -> None:
    """Raise :class:`AliasFileError` unless ``data`` follows the alias file format."""
    if not isinstance(data, dict):
        raise AliasFileError(source, "the top level must be an object with 'entities' and/or 'roles'")
    unknown = [k for k in data if not k.startswith("_") and k not in ("entities", "roles")]
    if unknown:
        raise AliasFileError(source, f"unknown key(s) {unknown}; expected 'entities' and/or 'roles'")
    for i, e in enumerate(data.get("entities", [])):
        if not isinstance(e, dict) or not isinstance(e.get("canonical"), str) or not e["canonical"].strip():
            raise AliasFileError(source, f"entities[{i}] needs a non-empty string 'canonical'")
        if not isinstance(e.get("aliases", []), list) or not all(isinstance(a, str) for a in e.get("aliases", [])):
            raise AliasFileError(source, f"entities[{i}] ('{e['canonical']}'): 'aliases' must be a list of strings")
        if e.get("type", "person") not in TYPES:
            raise AliasFileError(source, f"entities[{i}] ('{e['canonical']}'): type must be one of {TYPES}")
    for i, r in enumerate(data.get("roles", [])):
        if not isinstance(r, dict) or not isinstance(r.get("holder"), str) or not isinstance(r.get("role"), list) \
                or not r["role"] or not all(isinstance(x, str) for x in r["role"]):
            raise AliasFileError(source, f"roles[{i}] needs 'role' (a non-empty list of strings) and 'holder' (a string)")
        for key in ("from", "to"):
            try:
                _date(r.get(key))
            except ValueError:
                raise AliasFileError(source, f"roles[{i}] ('{r['holder']}'): '{key}' must be YYYY-MM-DD or null") from None
        if r.get("country") is not None and r["country"] not in _names()["countries"]:
            raise AliasFileError(source, f"roles[{i}] ('{r['holder']}'): unknown country {r['country']!r}; "
                                         f"use one of the countries of porteparole/data/names.json")


def _date(value: Optional[str]) -> Optional[dt.date]:
    """An ISO date (its first 10 characters), or None."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    return dt.date.fromisoformat(value[:10])


ALIASES_ENV = "PORTEPAROLE_ALIASES"


def default_aliases() -> AliasTable:
    """The shipped alias table merged with the files listed in ``PORTEPAROLE_ALIASES``
    (separated by ``os.pathsep``), loaded once per value of that variable."""
    return _aliases_for(os.environ.get(ALIASES_ENV, ""))


@lru_cache(maxsize=4)
def _aliases_for(extra: str) -> AliasTable:
    return AliasTable.load([p for p in extra.split(os.pathsep) if p.strip()])


# ---------------------------------------------------------------- context
def countries_in(text: Optional[str]) -> frozenset[str]:
    """The countries a role or org text names (« président russe » -> Russia)."""
    if not text:
        return frozenset()
    words = " " + " ".join(_words(text)) + " "
    return frozenset(c for w, c in _tables()["country_of"].items() if f" {w} " in words)


@lru_cache(maxsize=1 << 14)
def _strip_countries(text: str) -> str:
    """A role text without its country words and linking words: « président des États-Unis » -> president."""
    t = _tables()
    words = " " + " ".join(_words(text)) + " "
    for w in sorted(t["country_of"], key=len, reverse=True):
        words = words.replace(f" {w} ", " ")
    return " ".join(w for w in words.split() if w not in t["links"])


@lru_cache(maxsize=1 << 14)
def _role_key(text: str) -> str:
    """A role text without linking words: « porte-parole du Kremlin » -> porte parole kremlin."""
    return " ".join(w for w in _words(text) if w not in _tables()["links"])


def _role_matches(text: str, countries: frozenset[str], entry: RoleEntry) -> bool:
    """Whether a description (or role) text names the post of ``entry``."""
    if entry.country is None:
        return any(_role_key(text) == _role_key(p) for p in entry.role)
    if entry.country not in countries:
        return False
    bare = _strip_countries(text)
    return any(bare == _strip_countries(p) for p in entry.role)


def _role_groups(text: Optional[str]) -> frozenset[int]:
    """The role synonym groups a role text names (« président russe » -> the president group)."""
    if not text:
        return frozenset()
    words = " " + " ".join(_words(text)) + " "
    out: set[int] = set()
    for phrase, ids in _tables()["role_groups"].items():
        if phrase and f" {phrase} " in words:
            out |= ids
    return frozenset(out)


@dataclass(frozen=True)
class _Parsed:
    """A mention read for comparison."""

    m: Mention
    kind: str                 # person, description, organisation, group, relation, unknown
    key: str                  # normalise(name)
    tokens: tuple[str, ...]   # name words without titles, roles, particles, initials
    spaced: str               # name words with particles, no spaces (« LePen » = « Le Pen »)
    initials: frozenset[str]
    gender: Optional[str]
    roles: frozenset[int]
    countries: frozenset[str]
    former: bool
    day: Optional[dt.date]
    canonical: Optional[str]
    role_text: str


def _split_title(name: str) -> tuple[list[str], list[str]]:
    """Split leading titles and role words from the name proper: "US President Barack Obama"."""
    t = _tables()
    raw = [w for w in re.split(r"\s+", name.strip()) if w]
    head: list[str] = []
    i = 0
    while i < len(raw):
        words = _words(raw[i])
        word = " ".join(words)
        lower = not raw[i][:1].isupper()
        if word in t["titles"] or word in t["role_words"] or word in t["country_of"] or word in t["links"] \
                or word in t["former"] or lower or not words:
            head.append(raw[i])
            i += 1
            continue
        break
    return head, raw[i:]


def _is_relation(name: str) -> bool:
    t = _tables()
    words = _words(name)
    folded = " ".join(words)
    for rel in t["relations"]:
        if folded.startswith(rel + " ") and len(words) > len(rel.split()) + 0:
            nxt = words[len(rel.split())]
            if nxt in ("de", "du", "des", "d", "of"):
                return True
        if re.search(rf"\bs {re.escape(rel)}$", folded) and re.search(r"['’]s\s", name):
            return True
    return False


def _is_joint(name: str) -> bool:
    parts = re.split(r"\s+(?:et|and|&)\s+", name.strip())
    if len(parts) < 2:
        return False
    left = _words(parts[0])
    return all(p[:1].isupper() for p in parts) and not ({"of", "de", "du", "des"} & set(left))


def guess_type(name: str, lang: Optional[str] = None, aliases: Optional[AliasTable] = None) -> str:
    """person, organisation, group or unknown, from the name alone (for records without a type).

    The alias table wins; then a joint speaker (« A et B ») or a plural group word is a
    group; an organisation word (ministère, Department, police…) or an acronym (NASA)
    is an organisation; a place used as a speaker is unknown; anything else a person.
    """
    aliases = aliases or default_aliases()
    canon = aliases.canonical(name)
    if canon and aliases.entity(canon):
        return aliases.entity(canon).type
    t = _tables()
    words = _words(name)
    if _is_joint(name) or (words and " ".join(words) in t["group_words"]):
        return "group"
    if not words:
        return "unknown"
    if is_description(name, aliases):
        return "person"
    given_first = words[0] in t["given"] and len(words) > 1
    if not given_first and any(w in t["org_words"] for w in words):
        return "organisation"
    letters = [c for c in name if c.isalpha()]
    if len(words) == 1 and sum(c.isupper() for c in letters) >= 2 and sum(c.isupper() for c in letters) >= 0.6 * len(letters):
        return "organisation"
    if " ".join(words) in t["places"] or " ".join(words) in t["country_of"]:
        return "unknown"
    return "person"


def _gender(head: list[str], tokens: list[str]) -> Optional[str]:
    t = _tables()
    for h in head:
        w = " ".join(_words(h))
        if w in t["fem_titles"]:
            return "f"
        if w in t["masc_titles"]:
            return "m"
    if len(tokens) > 1:
        return t["given"].get(tokens[0])
    return None


def _parse(m: Mention, aliases: AliasTable) -> _Parsed:
    """Read a mention: its kind, name words, gender, roles, countries, canonical name."""
    t = _tables()
    head, rest = _split_title(m.name)
    name_words = _words(" ".join(rest))
    initials = frozenset(w for w in name_words if len(w) == 1)
    tokens = tuple(w for w in name_words if len(w) > 1 and w not in t["particles"]) or tuple(
        w for w in name_words if len(w) > 1)
    role_text = " ".join(x for x in (m.role, " ".join(head)) if x)
    describes = m.type not in ("organisation", "group") and is_description(m.name, aliases)
    canon = None if describes else aliases.canonical(m.name) or (aliases.canonical(" ".join(rest)) if rest else None)
    gender = _gender(head, list(tokens))
    if canon and gender and len(tokens) == 1 and _gender([], _words(canon)) not in (None, gender):
        canon = None        # « Mme Fillon » is not François Fillon
    kind = _kind(m, aliases, canon, rest)
    if head and rest and _possessive(head[-1]) and _person_name(rest, aliases):
        kind, canon = "relation", None      # « l'équipe de François Fillon », "the lawyer of X": someone of X's, not X
    full_words = _words(m.name)
    former = any(w in t["former"] for w in full_words + _words(m.role or ""))
    return _Parsed(
        m=m, kind=kind, key=normalise(m.name, m.lang), tokens=tokens, spaced="".join(name_words),
        initials=initials, gender=gender, roles=_role_groups(role_text),
        countries=countries_in(" ".join(x for x in (m.role, m.org, m.name if kind == "description" else "") if x)),
        former=former, day=_safe_date(m.date), canonical=canon, role_text=role_text)


def _person_name(words: list[str], aliases: AliasTable) -> bool:
    """Whether ``words`` are a person's name: a known person, or a first name then more."""
    canon = aliases.canonical(" ".join(words))
    if canon and aliases.entity(canon):
        return aliases.entity(canon).type == "person"
    folded = _words(" ".join(words))
    return len(folded) >= 2 and folded[0] in _tables()["given"]


def _possessive(word: str) -> bool:
    """« de », « du », "of"… right before a name: the mention names something of that person's."""
    return " ".join(_words(word)) in {" ".join(_words(w)) for w in _names()["possessive_links"]}


def _kind(m: Mention, aliases: AliasTable, canon: Optional[str], rest: list[str]) -> str:
    if _is_relation(m.name):
        return "relation"
    if canon and aliases.entity(canon):
        return aliases.entity(canon).type
    if m.type in ("organisation", "group"):
        return m.type
    if is_description(m.name, aliases):
        return "description"
    return guess_type(m.name, m.lang, aliases)


def is_description(name: str, aliases: Optional[AliasTable] = None) -> bool:
    """Whether ``name`` is an unnamed description (« porte-parole du Kremlin », "Panama coach").

    True when the words left after country words are all role words or titles, when
    the last word is a role word and the first is not a first name, when a name-like
    word only comes after « de »/"of" (« président de la République »), or when the
    alias table lists it as a post.
    """
    t = _tables()
    words = _words(name)
    if not words or _is_joint(name):
        return False
    stripped = _strip_countries(name).split()
    role_like = t["role_words"] | t["titles"] | t["former"]
    if stripped and all(w in role_like for w in stripped):
        return True
    if words[-1] in t["role_words"] and words[0] not in t["given"] and len(words) > 1:
        return True
    head, rest = _split_title(name)
    if not rest:
        return any(w in t["role_words"] for w in words)
    if head and any(w in t["role_words"] for w in _words(" ".join(head))) and _words(head[-1])[-1:] and \
            _words(head[-1])[-1] in t["links"]:
        return True
    aliases = aliases or default_aliases()
    return _role_key(name) in aliases.role_keys()


def _safe_date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return _date(value)
    except ValueError:
        return None


def _days(a: _Parsed, b: _Parsed) -> Optional[int]:
    if a.day is None or b.day is None:
        return None
    return abs((a.day - b.day).days)


def _same_story(a: _Parsed, b: _Parsed) -> bool:
    d = _days(a, b)
    return d is not None and d <= ARTICLE_DAYS


# ---------------------------------------------------------------- deciding
def same_person(a: Mention, b: Mention, aliases: Optional[AliasTable] = None) -> bool:
    """True when ``a`` and ``b`` are the same real speaker (see :func:`decide`)."""
    return decide(a, b, aliases).same


def decide(a: Mention, b: Mention, aliases: Optional[AliasTable] = None) -> Decision:
    """Compare two mentions; the :class:`Decision` says the rule that fired and why."""
    aliases = aliases or default_aliases()
    pa, pb = _parse(a, aliases), _parse(b, aliases)
    for step in (_by_kind, _by_alias, _by_description, _by_org, _by_name):
        decision = step(pa, pb, aliases)
        if decision is not None:
            return decision
    return Decision(False, 0.0, "no-evidence", "nothing links the two mentions")


def _yes(rule: str, reason: str, score: float = 0.9) -> Decision:
    return Decision(True, score, rule, reason)


def _no(rule: str, reason: str, score: float = 0.1) -> Decision:
    return Decision(False, score, rule, reason)


def _by_kind(a: _Parsed, b: _Parsed, aliases: AliasTable) -> Optional[Decision]:
    """Relatives, joint speakers, organisation vs person."""
    kinds = {a.kind, b.kind}
    if "relation" in kinds:
        if a.kind == b.kind and a.key == b.key:
            return _yes("relation", "the same relative, worded the same way", 0.8)
        return _no("relation", "a relative named through another person is not that person", 0.0)
    if "group" in kinds:
        if a.kind == b.kind and a.key == b.key:
            return _yes("group", "the same group, worded the same way", 0.8)
        return _no("group", "a group or joint speaker is not one of its members", 0.0)
    people = {"person", "description"}
    if "organisation" in kinds and kinds & people:
        org, other = (a, b) if a.kind == "organisation" else (b, a)
        why = _unsure_person(other) and _org_names_match(org.m.name, other.m.name)
        if why and _strong_org_match(org.m.name, other.m.name):
            return _yes("organisation", why + " (the other name was only guessed to be a person's)", 0.8)
        return _no("org-person", "an organisation is never merged with a person", 0.0)
    return None


def _unsure_person(p: _Parsed) -> bool:
    """A 'person' only by default: no type was given, no first name, no title, no alias-table person."""
    t = _tables()
    if p.kind != "person" or p.canonical or p.m.type not in ("person", "unknown"):
        return False
    words = _words(p.m.name)
    return bool(words) and words[0] not in t["given"] and not _split_title(p.m.name)[0]


def _strong_org_match(x: str, y: str) -> bool:
    """The same name spaced differently, or an acronym of three or more characters for a name of as many words."""
    kx, ky = normalise(x).replace(" ", ""), normalise(y).replace(" ", "")
    if kx == ky:
        return True
    short, long = sorted((x, y), key=lambda n: len(normalise(n).split()))
    return len(normalise(short).replace(" ", "")) >= 3 and len(normalise(long).split()) >= 3


def _holder(p: _Parsed, aliases: AliasTable) -> Optional[str]:
    """The one holder a mention's role names at its date (None: none or several)."""
    if p.former:
        return None
    texts = [p.role_text, p.m.role or ""] + ([p.m.name, normalise(p.m.name)] if p.kind == "description" else [])
    found = aliases.holders(texts, p.countries, p.day)
    return next(iter(found)) if len(found) == 1 else None


def _by_alias(a: _Parsed, b: _Parsed, aliases: AliasTable) -> Optional[Decision]:
    """Both names known to the alias table: same canonical or not."""
    if a.canonical and b.canonical:
        if a.canonical == b.canonical:
            return _yes("alias", f"both are names of {a.canonical} in the alias table", 0.97)
        return _no("alias", f"the alias table knows them as two entities ({a.canonical}, {b.canonical})", 0.02)
    return None


def _by_description(a: _Parsed, b: _Parsed, aliases: AliasTable) -> Optional[Decision]:
    """An unnamed description resolves only through a role entry valid at its date."""
    if "description" not in (a.kind, b.kind):
        return None
    ha = _holder(a, aliases) if a.kind == "description" else None
    hb = _holder(b, aliases) if b.kind == "description" else None
    if a.kind == b.kind == "description":
        if ha and hb:
            return (_yes if ha == hb else _no)("role-date", f"the posts are held by {ha} and {hb} at those dates")
        if a.key == b.key and a.countries == b.countries and _days(a, b) == 0 and not (ha or hb):
            return _yes("description", "the same description, same place, same day", 0.6)
        return _no("description", "unnamed descriptions that the alias table does not resolve to one holder")
    desc, named, holder = (a, b, ha) if a.kind == "description" else (b, a, hb)
    if holder is None:
        return _no("description", f"« {desc.m.name} » names no single holder in the alias table at {desc.m.date}")
    ent = aliases.entity(holder)
    if named.canonical:
        same = named.canonical == holder
        return (_yes if same else _no)("role-date", f"« {desc.m.name} » at {desc.m.date} is {holder}")
    for name in ent.names if ent else (holder,):
        ref = _parse(Mention(name, None, desc.m.role, desc.m.org, desc.m.date), aliases)
        verdict = _compare_names(named, ref, aliases)
        if verdict.same:
            return _yes("role-date", f"« {desc.m.name} » at {desc.m.date} is {holder}; {verdict.reason}", 0.85)
    return _no("role-date", f"« {desc.m.name} » at {desc.m.date} is {holder}, not {named.m.name}")


def _initials_of(name: str) -> list[str]:
    """Acronym candidates of a name: with and without a leading country (« U.S. EPA »)."""
    t = _tables()
    parts = [p for p in re.split(r"[\s\-]+", name.replace("’", "'")) if p]
    letters: list[str] = []
    for p in parts:
        w = "".join(_words(p))
        if not w or w in t["links"] or w in t["determiners"]:
            continue
        letters.append(w if p.replace(".", "").isupper() and len(w) <= 4 else w[0])
    out = ["".join(letters)]
    if parts and " ".join(_words(parts[0])) in t["country_of"]:
        out.append("".join(letters[1:]))
    return out


def _org_names_match(x: str, y: str) -> Optional[str]:
    """Why two organisation names are the same organisation, or None."""
    t = _tables()
    kx, ky = normalise(x), normalise(y)
    if kx == ky:
        return "the same name"
    if kx.replace(" ", "") == ky.replace(" ", ""):
        return "the same name, spaced differently"
    for short, long in ((x, y), (y, x)):
        s = normalise(short).replace(" ", "")
        if " " not in normalise(short) and len(s) >= 2 and s in _initials_of(long):
            return f"« {short} » is the acronym of « {long} »"
    ws, wl = sorted((kx.split(), ky.split()), key=len)
    if ws and ws[0] not in t["org_words"] and len(ws) < len(wl):
        if wl[:len(ws)] == ws:
            return "a short form of the name"
        if wl[-len(ws):] == ws and " ".join(wl[:-len(ws)]) in t["country_of"]:
            return "the name without its country"
    return None


def _by_org(a: _Parsed, b: _Parsed, aliases: AliasTable) -> Optional[Decision]:
    """Organisations: alias table names, acronyms, short forms."""
    if "organisation" not in (a.kind, b.kind):
        return None
    xs = aliases.entity(a.canonical).names if a.canonical and aliases.entity(a.canonical) else (a.m.name,)
    ys = aliases.entity(b.canonical).names if b.canonical and aliases.entity(b.canonical) else (b.m.name,)
    for x in xs:
        for y in ys:
            why = _org_names_match(x, y)
            if why:
                return _yes("organisation", why, 0.9)
    return _no("organisation", "the organisation names do not match")


def _by_name(a: _Parsed, b: _Parsed, aliases: AliasTable) -> Optional[Decision]:
    """People (and unknown speakers) by their names, against alias names when known."""
    xs = _alias_forms(a, aliases)
    ys = _alias_forms(b, aliases)
    best: Optional[Decision] = None
    for x in xs:
        for y in ys:
            d = _compare_names(x, y, aliases)
            if d.same:
                return d
            best = best or d
    return best


def _alias_forms(p: _Parsed, aliases: AliasTable) -> list[_Parsed]:
    """The mention itself, then (when known) the other names of its entity, with its context."""
    ent = aliases.entity(p.canonical) if p.canonical else None
    full_names = [n for n in (ent.names if ent else ()) if len(_words(n)) > 1]
    forms = [] if len(p.tokens) == 1 and full_names else [p]
    for name in ent.names if ent else ():
        if normalise(name) != p.key and len(_words(name)) > 1:
            q = _parse(Mention(name, p.m.lang, p.m.role, p.m.org, p.m.date, p.m.type), aliases)
            forms.append(q)
    return forms


def _compare_names(a: _Parsed, b: _Parsed, aliases: AliasTable) -> Decision:
    """Name against name, with the context rules of issue 6."""
    if not a.tokens or not b.tokens:
        return _no("name", "no name to compare")
    if a.gender and b.gender and a.gender != b.gender:
        return _no("gender", "one is a woman, the other a man")
    if a.spaced == b.spaced and (len(a.tokens) > 1 or len(b.tokens) > 1):
        return _yes("variant", "the same name up to spaces and hyphens", 0.95)
    if len(a.tokens) > 1 and len(b.tokens) > 1:
        return _full_names(a, b)
    if len(a.tokens) == 1 and len(b.tokens) == 1:
        return _bare_names(a, b)
    bare, full = (a, b) if len(a.tokens) == 1 else (b, a)
    return _bare_vs_full(bare, full, aliases)


def _ordered_in(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(any(_tok_eq(s, w) for w in it) for s in short)


def _full_names(a: _Parsed, b: _Parsed) -> Decision:
    if a.initials and b.initials and a.initials != b.initials:
        return _no("initials", "different middle initials")
    if a.spaced == b.spaced:
        return _yes("variant", "the same name up to spaces and hyphens", 0.95)
    short, long = sorted((a.tokens, b.tokens), key=len)
    if _given_eq(short[0], long[0]) and _ordered_in(short[1:], long[1:]):
        kind = "the same name" if len(short) == len(long) else "a shorter form of the same name"
        return _yes("full-name", f"{kind} (spelling, transliteration or nickname)", 0.93)
    if len(a.tokens) == len(b.tokens):
        pairs = list(zip(a.tokens, b.tokens))
        exact = sum(_tok_eq(x, y) for x, y in pairs)
        fuzzy = [(x, y) for x, y in pairs if not _tok_eq(x, y)]
        if len(fuzzy) == 1 and _fuzzy_eq(*fuzzy[0]) and (_same_story(a, b) or exact >= 2):
            return _yes("misspelling", f"« {fuzzy[0][0]} » / « {fuzzy[0][1]} » looks like a misspelling", 0.75)
    if not _given_eq(a.tokens[0], b.tokens[0]):
        return _no("first-name", "different first names")
    return _no("surname", "different surnames")


def _bare_names(a: _Parsed, b: _Parsed) -> Decision:
    x, y = a.tokens[0], b.tokens[0]
    if not _tok_eq(x, y) and not (_fuzzy_eq(x, y) and _same_story(a, b)):
        return _no("name", "different names")
    t = _tables()
    if a.kind == "unknown" or x in t["given"] or x in t["shared"]:
        if _same_story(a, b) and not _roles_conflict(a, b):
            return _yes("bare-name", "the same single name in the same story", 0.6)
        return _no("bare-name", "a single name that can be several people, in different stories")
    if _roles_conflict(a, b):
        return _no("context", "the same single name with conflicting roles or countries")
    return _yes("bare-name", "the same name", 0.8)


def _roles_conflict(a: _Parsed, b: _Parsed) -> bool:
    """Both name countries and share none (people hold several roles: roles alone never conflict)."""
    return bool(a.countries and b.countries and not (a.countries & b.countries))


def _roles_agree(a: _Parsed, b: _Parsed) -> bool:
    """Both have roles naming the same post (same synonym group or same wording), same country."""
    same_words = bool(a.m.role and b.m.role and normalise(a.m.role) == normalise(b.m.role))
    return (bool(a.roles & b.roles) or same_words) and not _roles_conflict(a, b)


def _bare_vs_full(bare: _Parsed, full: _Parsed, aliases: AliasTable) -> Decision:
    """A single name (« Peskov », « Alan ») against a full name."""
    t = _tables()
    x = bare.tokens[0]
    where = [i for i, w in enumerate(full.tokens) if _tok_eq(x, w)]
    if not where and _same_story(bare, full):
        where = [i for i, w in enumerate(full.tokens) if _fuzzy_eq(x, w)]
    if not where:
        return _no("name", "the single name is not part of the full name")
    holder = _holder(bare, aliases)
    if holder and full.canonical == holder:
        return _yes("role-date", f"« {bare.m.name} » has the post {holder} held at that date", 0.9)
    surname_like = any(i > 0 for i in where)
    if _roles_conflict(bare, full):
        return _no("context", "the roles or countries contradict each other")
    days = _days(bare, full)
    agree = _roles_agree(bare, full)
    family = " ".join(full.tokens[1:]) if len(full.tokens) > 1 else x
    shared = x in t["shared"] or any(w in t["shared"] for w in full.tokens[1:]) or family in t["shared"]
    if not surname_like:
        if agree or (_same_story(bare, full) and not shared and not bare.roles):
            return _yes("first-name", "the first name alone, in the same story or with the same role", 0.6)
        return _no("first-name", "a first name alone cannot be resolved to this person")
    if x in t["given"] and not agree:
        return _no("ambiguous", f"« {x} » is also a common first name: no role confirms it")
    if shared and not agree:
        return _no("ambiguous", f"several well-known people share the surname « {x} »: no role confirms it")
    if days is not None and days > SURNAME_DAYS and not agree:
        return _no("context", "the surname alone, years apart, without a role that confirms it")
    return _yes("surname", "the surname of the full name, and nothing in the context contradicts it", 0.8)
