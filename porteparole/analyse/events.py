"""Commitments and meetings: what speakers promised, by when, and whom they met.

Both are read off the parsed article after its statements are found:

* a **commitment** is a statement whose words promise a future action of the speaker or
  of those they speak for: a first-person future (« nous préparerons … », "we will
  send …", « nous allons … »), or a cue that commits (« promet de », « s'engage à »,
  "pledged to").  Its deadline is the first date or interval in its words, resolved
  against the publication date (:mod:`porteparole.analyse.dates`).
* a **meeting** is a sentence naming a meeting, call, videoconference or summit
  (« ont eu une vidéoconférence », "held talks") with at least two participants;
  its date, duration and topics come from that sentence and the next one.

The words that signal them are language data (``commitments`` and ``events`` in the
language files).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..lang import LangData
from ..models import Commitment, Event, NamedEntity, Span, Statement, When
from .dates import TimeExpr, find_times, parse_published

PERSON_LABELS = frozenset({"PER", "PERSON"})
PARTY_LABELS = frozenset({"ORG", "GPE", "LOC"})
MAX_ACTION = 300


@dataclass(frozen=True)
class _Words:
    """The language's signal words, folded and ready to match."""

    future_persons: frozenset[str]
    first_person: frozenset[str]
    will: frozenset[str]
    going: frozenset[str]
    commit_cues: frozenset[str]
    meeting: re.Pattern
    topic_verbs: frozenset[str]
    topic_nouns: frozenset[str]
    together: frozenset[str]
    future_endings: dict[str, tuple[str, ...]]
    will_reported: frozenset[str]
    modals: frozenset[str]
    statives: frozenset[str]
    source_cues: tuple[str, ...]


_CACHE: dict[str, _Words] = {}


def _words(lang: LangData) -> _Words:
    """The signal words of a language, built once per language."""
    if lang.code not in _CACHE:
        _CACHE[lang.code] = _build_words(lang)
    return _CACHE[lang.code]


def _build_words(lang: LangData) -> _Words:
    c, e = lang.raw["commitments"], lang.raw["events"]
    phrases = sorted(e["meeting_words"], key=len, reverse=True)
    meeting = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + r")(?!\w)",
                         re.IGNORECASE)
    return _Words(frozenset(c["future_persons"]), frozenset(w.lower() for w in c["first_person"]),
                  frozenset(w.lower() for w in c["will"]), frozenset(c["going_to"]), frozenset(c["commit_cues"]),
                  meeting, frozenset(e["topic_verbs"]), frozenset(e["topic_nouns"]),
                  frozenset(w.lower() for w in e["together"]),
                  {k.lower(): tuple(v) for k, v in c.get("future_endings", {}).items()},
                  frozenset(w.lower() for w in c.get("will_reported", [])),
                  frozenset(c.get("modals", [])), frozenset(c.get("statives", [])), tuple(w.lower() for w in lang.raw.get("source_prepositions", [])))


# ---------------------------------------------------------------------- commitments
def find_commitments(lang: LangData, text: str, docs: Sequence[tuple[Doc, int]], statements: Sequence[Statement],
                     published: Optional[str]) -> list[Commitment]:
    """The commitments made in ``statements`` (each in the innermost statement that holds its words)."""
    words = _words(lang)
    anchor = parse_published(published)
    found: dict[tuple[int, int], Commitment] = {}
    for doc, base in docs:
        for tok in doc:
            pos = base + tok.idx
            owner = _innermost(statements, pos)
            if owner is None:
                continue
            s = statements[owner]
            head = _commit_head(tok, words)
            if head is None and s.kind != "direct":
                head = _reported_future(tok, s, base, words)
            if head is None:
                continue
            c = _commitment(text, lang.code, doc, base, head, owner, s, anchor, words)
            if c is not None and not any(c.start < e and s_ < c.end for s_, e in found):
                found[(c.start, c.end)] = c
    for i, s in enumerate(statements):            # a cue that commits: « a promis de », "pledged to"
        if s.cue and _lemma_of(docs, s.cue.start) in words.commit_cues \
                and not any(c.statement == i for c in found.values()):
            when = _deadline(text, lang.code, s.start, s.end, anchor)
            found[(s.start, s.end)] = Commitment(s.start, s.end, s.text, i, s.speaker, _clip(s.text), s.addressee_name, when)
    return sorted(found.values(), key=lambda c: c.start)


def _innermost(statements: Sequence[Statement], pos: int) -> Optional[int]:
    inside = [i for i, s in enumerate(statements) if s.start <= pos < s.end]
    return min(inside, key=lambda i: statements[i].end - statements[i].start) if inside else None


def _lemma_of(docs: Sequence[tuple[Doc, int]], pos: int) -> Optional[str]:
    for doc, base in docs:
        if base <= pos < base + len(doc.text):
            tok = doc.char_span(pos - base, pos - base + 1, alignment_mode="expand")
            return tok[0].lemma_.lower() if tok is not None and len(tok) else None
    return None


def _commit_head(tok: Token, words: _Words) -> Optional[Token]:
    """The verb a first-person future commits with, when ``tok`` signals one."""
    morph = tok.morph
    if tok.lemma_.lower() in words.statives:
        return None                                                    # « nous serons », "we will be": states, not acts
    if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "aux" and _persons(tok, words) and (
            "Fut" in morph.get("Tense") or _future_form(tok, words)):
        return tok                                                     # « nous préparerons »
    if tok.lemma_.lower() in words.going and _persons(tok, words):
        xcomp = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")]
        if xcomp:
            return tok                                                 # « nous allons préparer »
    if tok.lower_ in words.will and tok.dep_ == "aux" and tok.head.pos_ in ("VERB", "AUX"):
        if _persons(tok.head, words) and tok.head.lemma_.lower() not in words.statives:
            return tok.head                                            # "we will send"
    return None


def _reported_future(tok: Token, s: Statement, base: int, words: _Words) -> Optional[Token]:
    """In reported speech, the content's main verb in the future (or the future of the past: « enverrait »,
    "would send", « allait être dépêchée ») announces what the speaker's side will do."""
    def main(t: Token) -> bool:
        head = t.head
        return head.i == t.i or not (s.start <= base + head.idx < s.end)
    morph = tok.morph
    if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "aux:tense", "aux:pass", "cop") and main(tok):
        if tok.lemma_.lower() in words.modals or any(c.dep_.startswith("expl") for c in tok.children):
            return None                  # « pourrait », « devrait », « il y aurait »: possibility, hearsay
        if "Fut" in morph.get("Tense"):
            return tok
        if "Cnd" in morph.get("Mood") and s.cue is not None and not _source_cue(s.cue.text, words):
            return tok                   # « a annoncé que la France enverrait »; not « selon X, il y aurait »
    if tok.lower_ in words.will_reported and tok.dep_.startswith("aux") and main(tok.head):
        return tok.head
    if tok.lemma_.lower() in words.going and tok.pos_ in ("VERB", "AUX") and main(tok):
        if any(c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX") for c in tok.children):
            return tok
    return None


def _source_cue(cue: str, words: _Words) -> bool:
    low = cue.lower()
    return any(low.startswith(p) for p in words.source_cues)


def _future_form(verb: Token, words: _Words) -> bool:
    """A future by its ending after its subject (« nous …rons », « je …rai »), when the model's morphology misses it."""
    subjects = [c.lower_ for c in verb.children if c.dep_.startswith("nsubj")]
    if not subjects and verb.dep_ == "conj":
        subjects = [c.lower_ for c in verb.head.children if c.dep_.startswith("nsubj")]
    low = verb.lower_
    return any(low.endswith(tuple(words.future_endings.get(s, ()))) for s in subjects)


def _persons(verb: Token, words: _Words) -> bool:
    """Is the verb's subject the speaker or those they speak for (je, nous, I, we)?"""
    subjects = [c for c in verb.children if c.dep_.startswith("nsubj")]
    if not subjects and verb.dep_ == "conj":                 # « nous préparerons … et le transmettrons »
        subjects = [c for c in verb.head.children if c.dep_.startswith("nsubj")]
    if subjects:
        return any(s.lower_ in words.first_person for s in subjects)
    person = verb.morph.get("Person")
    return bool(person) and person[0] in words.future_persons and verb.dep_ in ("ROOT", "ccomp", "conj", "xcomp", "advcl")


def _commitment(text: str, lang: str, doc: Doc, base: int, head: Token, owner: int, s: Statement, anchor,
                words: _Words) -> Optional[Commitment]:
    tokens = [t for t in head.subtree if s.start <= base + t.idx and base + t.idx + len(t) <= s.end]
    if not tokens:
        return None
    tokens = _one_clause(tokens, head)
    start, end = base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1])
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in "»”\"')":
        end -= 1
    first = _verb_group_start(head)
    action = _clip(text[base + first.idx:end]) if base + first.idx < end else _clip(text[start:end])
    when = _deadline(text, lang, start, end, anchor) or _deadline(text, lang, s.start, s.end, anchor)
    recipient = _recipient(head) or s.addressee_name
    return Commitment(start, end, text[start:end], owner, s.speaker, action, recipient, when)


def _verb_group_start(head: Token) -> Token:
    """The first word of the verb group: the verb with its auxiliaries, clitics and negation just before it
    (« le transmettrons », « ne livrerons »), not a conjunction or adverb opening the clause."""
    first = head
    while first.i > 0:
        prev = first.doc[first.i - 1]
        if prev.head.i == head.i and (prev.dep_.startswith(("aux", "expl", "iobj")) or
                                      (prev.dep_ in ("obj", "advmod") and prev.pos_ in ("PRON", "PART"))):
            first = prev
            continue
        break
    return first


def _one_clause(tokens: list[Token], head: Token) -> list[Token]:
    """The tokens of the head's clause, without a trailing clause of reported speech (« …, a déclaré X »)."""
    out = [t for t in tokens if t.i >= head.left_edge.i]
    return out or tokens


def _recipient(head: Token) -> Optional[str]:
    for child in head.children:
        if child.dep_ in ("iobj", "dative") or (child.dep_.startswith("obl") and any(
                c.dep_ == "case" and c.lower_ in ("à", "au", "aux") for c in child.children)):
            return " ".join(t.text for t in child.subtree if t.dep_ not in ("case", "det"))
    return None


def _deadline(text: str, lang: str, start: int, end: int, anchor) -> Optional[When]:
    for t in find_times(text, lang, anchor, start, end):
        if t.kind in ("date", "interval"):
            return _when(t)
    return None


def _when(t: TimeExpr) -> When:
    return When(Span(t.start, t.end, t.text), t.first.isoformat() if t.first else None,
                t.last.isoformat() if t.last else None)


def _clip(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= MAX_ACTION else words[:MAX_ACTION - 1].rstrip() + "…"


# ---------------------------------------------------------------------- meetings
def find_events(lang: LangData, text: str, docs: Sequence[tuple[Doc, int]], entities: Sequence[NamedEntity],
                statements: Sequence[Statement], published: Optional[str]) -> list[Event]:
    """Meetings, calls and summits with at least two named participants."""
    words = _words(lang)
    anchor = parse_published(published)
    names = _known_names(entities, statements)
    events: list[Event] = []
    for doc, base in docs:
        sents = list(doc.sents)
        for k, sent in enumerate(sents):
            m = words.meeting.search(sent.text)
            if m is None:
                continue
            people = _participants(sent, base, entities, names, words.together)
            if len(people) < 2:
                continue
            nxt = sents[k + 1] if k + 1 < len(sents) else None
            start, end = base + sent.start_char, base + (nxt.end_char if nxt is not None else sent.end_char)
            end = base + sent.end_char if nxt is None or not _follows_up(nxt, words) else end
            while end > start and text[end - 1].isspace():
                end -= 1
            fmt = Span(base + sent.start_char + m.start(), base + sent.start_char + m.end(), m.group())
            times = find_times(text, lang.code, anchor, start, end)
            when = next((_when(t) for t in times if t.kind in ("date", "interval")), None)
            dur = next((t for t in times if t.kind == "duration"), None)
            topics = _topics([sent] + ([nxt] if nxt is not None and end > base + sent.end_char else []), base, text, words)
            events.append(Event(start, end, text[start:end], "meeting", tuple(people), fmt, when,
                                Span(dur.start, dur.end, dur.text) if dur else None, dur.minutes if dur else None,
                                tuple(topics)))
    return events


def _known_names(entities: Sequence[NamedEntity], statements: Sequence[Statement]) -> list[str]:
    """Full names the article gives (speakers, then person entities), longest first."""
    names = {s.speaker for s in statements if s.speaker} | {e.text for e in entities if e.label in PERSON_LABELS}
    return sorted(names, key=lambda n: (-len(n.split()), n))


def _participants(sent: SpacySpan, base: int, entities: Sequence[NamedEntity], names: list[str],
                  together: frozenset[str] = frozenset()) -> list[str]:
    a, b = base + sent.start_char, base + sent.end_char
    out: list[str] = []
    for e in entities:
        if a <= e.start and e.end <= b and e.label in PERSON_LABELS:
            full = next((n for n in names if n.split()[-1:] == e.text.split()[-1:] and len(n) >= len(e.text)), e.text)
            if full not in out:
                out.append(full)
    if len(out) < 2:         # « la Russie et les États-Unis se sont réunis »: parties, when no two people are named
        for e in entities:
            if a <= e.start and e.end <= b and e.label in PARTY_LABELS and e.text not in out:
                if any(_party_role(t, together) for t in sent if base + t.idx == e.start):
                    out.append(e.text)
    return out


def _party_role(tok: Token, together: frozenset[str]) -> bool:
    """Is this name a party to the meeting: a subject (or coordinated to one), or introduced by « avec »/"with"?"""
    node = tok
    while node.dep_ in ("flat", "flat:name", "compound", "det") and node.head.i != node.i:
        node = node.head
    if node.dep_.startswith("nsubj") or (node.dep_ == "conj" and node.head.dep_.startswith("nsubj")):
        return True
    return any(c.lower_ in together for c in node.children if c.dep_ in ("case", "prep")) or (
        node.head.lower_ in together and node.dep_ == "pobj")


def _follows_up(sent: SpacySpan, words: _Words) -> bool:
    """Does the next sentence go on about the meeting (its length, its topics)?"""
    return any(t.lemma_.lower() in words.topic_verbs or t.lemma_.lower() in words.topic_nouns for t in sent) \
        or bool(words.meeting.search(sent.text))


def _topics(sents: Iterable[SpacySpan], base: int, text: str, words: _Words) -> list[Span]:
    out: list[Span] = []
    for sent in sents:
        for tok in sent:
            lemma = tok.lemma_.lower()
            heads: list[Token] = []
            if lemma in words.topic_verbs and tok.pos_ in ("VERB", "AUX"):
                heads = [c for c in tok.children if c.dep_ in ("obj", "dobj", "obl", "obl:arg", "prep", "pobj")]
                heads = [next((c for c in h.children if c.dep_ == "pobj"), h) if h.dep_ == "prep" else h for h in heads]
            elif lemma in words.topic_nouns and tok.pos_ == "NOUN" and tok.dep_.startswith("nsubj") \
                    and tok.head.pos_ in ("NOUN", "PROPN"):
                heads = [tok.head]                     # « le thème était la situation … »
            for h in heads:
                for item in _items(h):
                    span = _phrase(item, base, text)
                    if span and all(span.start >= o.end or span.end <= o.start for o in out):
                        out.append(span)
    return sorted(out, key=lambda s: s.start)


def _items(head: Token) -> list[Token]:
    """A topic and the topics listed after it (« X, de Y et de Z »: coordinated, or after a comma)."""
    out, todo = [], [head]
    while todo:
        tok = todo.pop(0)
        out.append(tok)
        todo += [c for c in tok.children if c.dep_ == "conj" or (_after_comma(c) and c.pos_ in ("NOUN", "PROPN"))]
    return out


def _after_comma(tok: Token) -> bool:
    left = tok.left_edge.i
    return left > tok.doc[0].i and tok.doc[left - 1].text == ","


def _phrase(tok: Token, base: int, text: str) -> Optional[Span]:
    """A noun phrase without its leading article or preposition, its subject or copula, and the topics listed after it."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    cut: set[int] = set()
    for c in tok.children:
        if c.dep_.startswith(("nsubj", "cop", "aux", "conj", "cc", "punct")) or _after_comma(c):
            cut |= {t.i for t in c.subtree}
    keep = [t for t in tok.subtree if t.i not in cut and t.i >= tok.left_edge.i]
    keep = [t for t in keep if t.i >= min((x.i for x in keep if x.i not in cut), default=tok.i)]
    while keep and (keep[0].dep_ in ("det", "case", "cc", "mark") or keep[0].pos_ in ("DET", "ADP", "PUNCT")):
        keep = keep[1:]
    while keep and keep[-1].pos_ == "PUNCT":
        keep = keep[:-1]
    if not keep or keep[-1].i - keep[0].i + 1 != len(keep):
        keep = [t for t in keep if t.i >= tok.i] or [tok]
    start, end = base + keep[0].idx, base + keep[-1].idx + len(keep[-1])
    return Span(start, end, text[start:end])
