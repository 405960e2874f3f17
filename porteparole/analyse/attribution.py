"""Finding statements and their speakers in one parsed article.

Steps, in text order:

1. cues: verbs of saying (language data), « selon X »-type prepositions, and
   « — Name » lines after a quote box;
2. for each cue, its source mention (subject before, inverted subject after,
   « -t-il ») and its content (« que » clause, object, infinitive, the clause
   before an inverted cue, a quotation it introduces or follows);
3. the content is ``direct`` when it is one quotation, ``mixed`` when it holds
   quoted fragments, ``indirect`` otherwise;
4. quotations no cue claimed become direct statements of the nearest source when
   they read as speech (not scare quotes or titles);
5. statements inside a direct quotation are returned ``nested_in`` it.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Optional

from spacy.tokens import Doc

from ..lang import LangData
from ..models import Span, Statement
from .quotes import MARKS, Quote
from .speakers import GROUP, ORG, PERSON, UNKNOWN, Entity, Registry, Resolution, Tok, fold
from .text import Layout

CLOSING = set("»”›\"")
OPENING = set("«“‹„\"")
# Dependency labels of both annotation schemes the models use (Universal Dependencies, ClearNLP).
SUBJECT_DEPS = ("nsubj", "nsubj:pass", "nsubjpass")
PASSIVE_AUX_DEPS = ("aux:pass", "auxpass")
PARTICLE_DEPS = ("prt", "compound:prt")
OBJECT_DEPS = ("dobj", "obj", "dative", "iobj")
# Words of the language data read by the attribution steps (see "_doc_grammar" in the data files):
# nouns and words compared without accents, then grammar words compared as written (« à » is not « a »).
FOLDED_KEYS = ("clitics", "negations", "time_words", "adjunct_prepositions", "subject_stop", "determiners",
               "first_person", "source_nouns", "group_words", "org_words", "person_roles")
WORD_KEYS = ("source_prepositions", "source_prepositions_initial", "complementizers", "subject_pronouns", "euphonic", "inverted_auxiliaries",
             "subject_relatives", "relative_pronouns", "noun_links", "noun_link_prepositions", "coordinators", "clause_coordinators",
             "of_words", "complement_prepositions", "name_complement_words", "definite_articles",
             "infinitive_markers", "governing_verbs", "group_adverbs", "group_adverb_stops", "clitic_articles",
             "clitics_always", "reflexive_pronouns", "inversion_markers", "inversion_clitics",
             "adjunct_skip_prepositions", "right_subject_stops", "demonstratives", "impersonal_pronouns",
             "impersonal_cues", "document_pronouns", "as_clause_markers", "stressed_pronouns", "participle_cue_prefix", "auxiliary_lemmas",
             "possessive_markers")


@dataclass
class Candidate:
    """A statement being built (mutable until it is frozen into a :class:`Statement`)."""

    start: int
    end: int
    kind: str
    cue: Optional[tuple[int, int]]
    mention: Optional[tuple[int, int]]
    res: Resolution
    quote: Optional[Quote] = None
    quotes: list[Quote] = field(default_factory=list)
    floating: bool = False
    addressee: Optional[tuple[int, int]] = None
    addressee_name: Optional[str] = None


class ArticleAnalyser:
    """Runs the attribution steps over the parsed blocks of one article."""

    def __init__(self, lang: LangData, text: str, atext: str, lay: Layout, docs: list[tuple[Doc, int]],
                 title: Optional[tuple[int, int]] = None) -> None:
        self.lang = lang
        self.title = title       # parsed for the names it gives, never for statements
        self.text = text
        self.atext = atext
        self.lay = lay
        self.docs = docs
        self.toks: list[Tok] = [Tok(t, base + t.idx) for doc, base in docs for t in doc]
        self.by_start = {tk.start: n for n, tk in enumerate(self.toks)}
        self.first: dict[int, int] = {}
        self._sents: list[tuple[int, int]] = []
        k = 0
        for doc, _ in docs:
            self.first[id(doc)] = k
            for sent in doc.sents:
                self._sents.extend([(k + sent.start, k + sent.end)] * (sent.end - sent.start))
            k += len(doc)
        self.reg = Registry(lang)
        self.__dict__.update(vars(_language_tables(lang, self._phrases)))
        self.claimed: set[int] = set()   # quote.open of quotes used by a cue
        self._pending: list[Candidate] = []
        self._found: list[Candidate] = []
        self._speakers_only: list[tuple[int, Resolution, tuple[int, int]]] = []   # (cue start, source, mention) of cues without content
        self._stop_at: Optional[int] = None
        self._salient = True      # is the cue being resolved in a main clause?
        self._cur_salient = True

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _phrases(items: list[str]) -> list[tuple[str, ...]]:
        """Phrases of the language data as token keys, longest first (« d'après » -> ("d'", "apres"))."""
        return sorted((tuple(fold(w) for w in p.replace("'", "' ").split()) for p in items), key=len, reverse=True)

    def sent_bounds(self, n: int) -> tuple[int, int]:
        """Token index range [a, b) of the sentence of token ``n`` (precomputed: ``Token.sent`` is O(n))."""
        return self._sents[n]

    def tok_at(self, pos: int) -> Optional[int]:
        return self.by_start.get(pos)

    def span(self, a: int, b: int) -> Span:
        return Span(a, b, self.text[a:b])

    def quotes_in(self, a: int, b: int) -> list[Quote]:
        return [q for q in self.lay.quotes if q.open >= a and q.close <= b and q.depth == min(
            (x.depth for x in self.lay.quotes if x.open >= a and x.close <= b), default=0)]

    # ------------------------------------------------------------------ entities
    def register_entities(self) -> None:
        """Record every named person/organisation with the roles the text gives them."""
        people: dict[int, list] = {}
        for doc, base in self.docs:
            for ent in doc.ents:
                label = ent.label_
                if label not in self.source_labels:
                    continue
                while len(ent) > 1 and not ent[0].text[:1].isupper():
                    ent = ent[1:]     # « l'affaire Troadec » names Troadec
                start = base + ent.start_char
                if not ent.text[:1].isupper():
                    continue
                quoted = self.lay.depth(start) > 0     # named inside a quotation: a role, not a referent
                in_title = self.title is not None and self.title[0] <= start < self.title[1]
                etype = PERSON if label in self.person_labels else ORG
                if etype == PERSON and ent[0].pos_ == "DET" and not self._known_person(ent.text, start):
                    etype = ORG       # « Le Canard (enchaîné) »: a person's name takes no article (« Le Pen » is known)
                if etype == PERSON and len(ent) == 1 and fold(ent.text) in self.L["org_words"]:
                    continue
                if etype == ORG and len(ent) <= 2 and all(t.pos_ == "PROPN" for t in ent) and self._known_person(ent.text, start):
                    etype = PERSON    # « Wilkins » tagged as an organisation after « Kristen Wilkins »
                role, gender = self._role_around(doc, ent)
                prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
                salient = ent.root.dep_.startswith("nsubj") or prev in {",", "."} or ent.start == 0
                e = self.reg.add_name(ent.text, etype, start, salient and not in_title and not quoted and prev not in self.L["name_complement_words"], role, gender)
                if etype == PERSON and not quoted and not in_title:
                    people.setdefault(id(doc), []).append((ent.start, e))
        self._infer_genders(people)

    def _infer_genders(self, people: dict[int, list]) -> None:
        """A person named alone in a sentence takes the gender of the pronouns that follow there
        (« Jafari said she felt … ») or that open the next sentence (« … Jafari. She … »)."""
        words = {w.lower(): g for w, g in self.lang.raw.get("gender_words", {}).items() if not w.startswith("_")}
        if not words:
            return
        for doc, base in self.docs:
            mine = people.get(id(doc), [])
            last = None
            others: set[int] = set()    # the people of the sentence before
            for sent in doc.sents:
                before, others = others, {id(e) for i, e in mine if sent.start <= i < sent.end}
                here = {id(e): (i, e) for i, e in mine if sent.start <= i < sent.end}
                first = min((i for i, _ in here.values()), default=None)
                found = [words[t.lower_] for t in sent if t.lower_ in words and self.lay.depth(base + t.idx) == 0
                         and (first is None or t.i > first)]
                if len(here) == 1:
                    (_, ent), = here.values()
                    if found and len(set(found)) == 1 and not ent.gender:
                        ent.gender = found[0]
                    # « A met B. B said … She … »: a pronoun opening the next sentence may be A
                    last = ent if before <= {id(ent)} else None
                elif not here and last is not None and found and sent[0].lower_ in words and len(set(found)) == 1:
                    if not last.gender:
                        last.gender = found[0]
                    last = None
                else:
                    last = None

    def register_role_subjects(self) -> None:
        """« La juge a rendu sa décision. » : a role noun as subject is someone a pronoun may refer to."""
        for n, tk in enumerate(self.toks):
            t = tk.t
            if not t.dep_.startswith("nsubj") or t.pos_ != "NOUN" or t.ent_type_ or self.lay.depth(tk.start) > 0:
                continue
            if fold(t.text) not in self.L["person_roles"] or "Plur" in t.morph.get("Number"):
                continue
            if any(c.ent_type_ in self.person_labels for c in t.subtree):
                continue
            if n == 0 or self.toks[n - 1].t.pos_ != "DET" or self.toks[n - 1].key not in self.L["definite_articles"]:
                continue
            g = t.morph.get("Gender")
            main = t.head.dep_ not in ("advcl", "acl", "acl:relcl") and not (n > 1 and self.toks[n - 2].key in self.subordinators)
            self.reg.add_name(self.text[tk.start:tk.end], PERSON, self.toks[n - 1].start, main,
                              gender="f" if "Fem" in g else "m" if "Masc" in g else None, named=False)

    def _known_person(self, name: str, pos: int) -> bool:
        """Is ``name`` (« Le Pen ») the end of a person's name the article already gave (« Marine Le Pen »)?"""
        key = fold(name).split()
        return any(e.type == PERSON and e.named and len(e.tokens) > len(key) and e.tokens[-len(key):] == key
                   for e in self.reg.entities)

    def _role_around(self, doc: Doc, ent) -> tuple[str, Optional[str]]:
        """Role words before the name (« le porte-parole du président russe ») or in apposition after it."""
        before: list = []
        i = ent.start - 1
        if i >= 0 and doc[i].text == ",":
            i -= 1
        while i >= 0 and doc[i].pos_ in ("NOUN", "ADJ", "DET", "ADP", "PROPN") and doc[i].text not in MARKS and ent.start - i < 9:
            if doc[i].ent_type_ in self.person_labels:
                break
            before.insert(0, doc[i])
            if doc[i].pos_ == "DET" and (i == 0 or doc[i - 1].pos_ != "ADP"):
                break
            i -= 1
        while before and before[0].pos_ in ("ADP", "DET"):
            before = before[1:]      # « au président américain Joe Biden »
        # the role noun must open the phrase (« le porte-parole du … », not « la domination de »),
        # and « la mère de X » is a role of someone else, not of X
        heads = [t for t in before if self._role_noun(t)]
        if heads and not self.reg.is_role_word(heads[0].text) or before and before[-1].pos_ == "ADP":
            before = []
        after: list = []
        j = ent.end
        if j < len(doc) and doc[j].text == ",":
            j += 1
            while j < len(doc) and doc[j].pos_ in ("NOUN", "ADJ", "DET", "ADP", "PROPN") and j - ent.end < 10:
                after.append(doc[j])
                j += 1
            if not any(self._role_noun(t) for t in after[:3]):
                after = []
        gender = None
        for t in before + after:
            if self._role_noun(t) and self.reg.is_role_word(t.text):
                g = t.morph.get("Gender")
                gender = "f" if "Fem" in g else "m" if "Masc" in g else None
                break
        titles = {fold(doc[ent.start - 1].text).rstrip(".") if ent.start > 0 else "", fold(ent[0].text).rstrip(".")}
        words = {fold(t.text) for t in before + after} | {fold(ent[0].text)}
        if titles & self.reg.fem_titles or words & self.reg.fem_roles:
            gender = "f"
        elif titles & self.reg.masc_titles or words & self.reg.masc_roles:
            gender = "m"     # « Mr Green », « the spokesman, John Smith »
        role_toks = [t for t in before + after if t.pos_ != "DET"]
        if not any(self._role_noun(t) for t in role_toks):
            return "", gender
        return " ".join(t.text for t in role_toks), gender

    def _role_noun(self, t) -> bool:
        """A noun, or a capitalised role word tagged as a proper noun (« Foreign Minister »)."""
        return t.pos_ == "NOUN" or t.pos_ == "PROPN" and self.reg.is_role_word(t.text)

    # ------------------------------------------------------------------ cues
    def run(self) -> list[Candidate]:
        """Find every statement of the article, in text order."""
        self.register_entities()
        self.register_role_subjects()
        cands: list[Candidate] = []
        n = 0
        while n < len(self.toks):
            c = None
            tk = self.toks[n]
            if self.title and self.title[0] <= tk.start < self.title[1]:
                n += 1
                continue
            if self._is_source_prep(n):
                c = self._source_prep(n)
            else:
                lemma = self._cue_lemma(n)
                if lemma:
                    c = self._verb_cue(n, lemma)
            if c is not None and c.end - c.start > 1:
                cands.append(c)
                self._found.append(c)
            n += 1
        cands.extend(self._pending)
        cands.extend(self._attribution_lines(cands))
        cands.extend(self._unclaimed_quotes(cands))
        cands.sort(key=lambda c: (c.start, -c.end))
        out = self._dedupe(cands)
        for c in out:       # last: resolving addressees adds to the registry, after every speaker is known
            self._addressee(c)
        return out

    def _cue_lemma(self, n: int) -> Optional[str]:
        t = self.toks[n].t
        if t.pos_ not in ("VERB", "AUX") and not (t.pos_ in ("X", "ADJ") and self.lang.forms.get(t.lower_)):
            # « la monarchie demande à … » with « demande » tagged NOUN: a noun with a subject is a verb
            if not (t.pos_ == "NOUN" and self.lang.forms.get(t.lower_) and any(c.dep_.startswith("nsubj") for c in t.children)
                    and (t.i == 0 or t.nbor(-1).pos_ not in ("DET", "ADP"))):
                return None
        lemma = self.lang.verb_lemma(t.text, t.lemma_)
        if lemma is None:
            nx = self.toks[n + 1] if n + 1 < len(self.toks) else None
            phrasal = f"{t.lemma_.lower()} {nx.low}" if nx is not None and nx.t.dep_ in PARTICLE_DEPS else ""
            if phrasal in self.phrasal:
                return phrasal
            prev = self.toks[n - 1].t if n else None      # « a fait savoir »: a light verb and its infinitive
            if prev is not None and t.pos_ == "VERB" and t.lower_ in self.light.get(prev.lemma_.lower(), ()):
                return f"{prev.lemma_.lower()} {t.lower_}"
            return None
        if t.lemma_ in self.light or (n and self.toks[n - 1].t.lemma_ in self.light and t.lower_ in self.light[self.toks[n - 1].t.lemma_]):
            return lemma
        return lemma

    # ------------------------------------------------------------------ verb cues
    def _verb_cue(self, n: int, lemma: str) -> Optional[Candidate]:
        a, b = self.sent_bounds(n)
        g0, pron_n, negated = self._group_start(n, a)
        if negated:
            return None
        V = self.toks[n]
        frames = self.lang.verbs.get(lemma) or self.phrasal.get(lemma) or (frozenset({"clause"}) if " " in lemma else frozenset())
        # a speaker in a subordinate clause (« alors que X avait qualifié ») is a weaker pronoun referent
        self._salient = V.t.dep_ not in ("advcl", "acl", "acl:relcl") and not any(
            self.toks[k].t.pos_ == "SCONJ" and self.toks[k].key not in self.complementizers for k in range(max(a, g0 - 6), g0))
        if self._passive_or_purpose(n, g0) or self._reflexive_not_speech(n, g0, lemma):
            return None
        if V.t.dep_ == "acl" and "Past" in V.t.morph.get("Tense") and g0 == n and not any(c.dep_ in SUBJECT_DEPS for c in V.t.children):
            return None      # « a comet called Wild 2 »: a participle qualifying a noun
        # inverted pronoun after the verb: « précise-t-elle »
        k = n + 1
        while k < b and self.toks[k].low in self.L["euphonic"]:
            k += 1
        if pron_n is None and k < b and fold(self.toks[k].text) in self.subject_pronouns and self.toks[k].text.startswith("-"):
            pron_n = k
        after = pron_n + 1 if pron_n is not None and pron_n > n else n + 1
        nxt = self._skip_adjuncts(after, b)
        nxt_text = self.toks[nxt].low if nxt < b else ""
        prev_text = self.toks[g0 - 1].text if g0 > a else ""
        cue = (self.toks[g0].start, V.end)
        participle = "Part" in V.t.morph.get("VerbForm") and "Pres" in V.t.morph.get("Tense") and not any(
            t.t.pos_ == "AUX" for t in self.toks[g0:n])     # « is saying » is not « saying »
        if self.lay.depth(V.start) > 0 and not self._nested_ok(g0, nxt_text):
            return None
        if participle:
            if self.lay.depth(V.start) > 0:
                return None     # « “Hoping that …” »: the quoted speaker's own words, not a report
            own = self._dep_subject(n, g0, a, b)
            if own is not None and own[0] == "left" and own[1][1] == g0 and self._source_like(own[1]):
                return self._forward(n, g0, a, b, nxt, frames, False, cue, own[1])   # « with Boswell stating: »
            return self._forward(n, g0, a, b, nxt, frames, True, cue, None)
        opens_content = nxt_text in self.complementizers or nxt_text == ":"
        as_said = self._as_said(n, g0, a, b, cue, pron_n)
        if as_said is not None:
            return as_said
        if pron_n is not None:
            return self._inverted(n, g0, a, b, after, (pron_n, pron_n + 1), cue)
        dep = self._dep_subject(n, g0, a, b)
        if dep is not None and dep[0] == "right" and not opens_content:
            return self._inverted(n, g0, a, b, after, self._right_subject(after, b) or dep[1], cue)
        if g0 > a and self.toks[g0 - 1].t.pos_ == "CCONJ" and self._last_in_sentence(a):
            last = self._last_in_sentence(a)   # « X a dénoncé … et demande que … »
            return self._forward(n, g0, a, b, nxt, frames, True, cue, None, last)
        if (prev_text == "," or prev_text in CLOSING or self._is_comme(g0, a)) and not opens_content:
            right = self._right_subject(after, b)
            if right is not None and dep is not None and dep[0] == "left" and self.toks[right[0]].t.dep_ in OBJECT_DEPS and (
                    self.lay.depth(V.start) > 0 or "io" in frames):
                right = None      # « …, will soon call the museum home »: an object, not an inverted subject
            if right is not None and "io" in frames and self._skip_adjuncts(right[1], b) < b and (
                    self.toks[self._skip_adjuncts(right[1], b)].low in self.complementizers):
                right = None      # « X, a representative, told LA Weekly that … »: the addressee
            left = self._left_subject(g0, a) if prev_text == "," else None
            if left is not None and dep is not None and dep[0] == "left" and dep[1][0] <= left[0] and dep[1][1] >= left[1]:
                left = dep[1]     # « Professor X, Director of Y, and Chairman of Z, says »: the whole subject
            if left is not None and self._has_name(left) and (right is None or not self._has_name(right)):
                if self._inverted_left(n, left, a, b, nxt, frames):   # « “…,” X, editor at Y, said. »
                    return self._inverted(n, left[0], a, b, after, left, cue, tail=self._skip_object(n, nxt, b))
                return self._forward(n, g0, a, b, nxt, frames, False, cue, left)   # « X, la présidente de …, a dénoncé »
            if right is not None and self._subject_closes(right[1], b):
                return self._inverted(n, g0, a, b, after, right, cue)
        if dep is not None and dep[0] == "left" and not opens_content and prev_text != ",":
            right = self._bare_inverted_subject(n, g0, a, b, after, dep[1])
            if right is not None:     # « … mais la visibilité correcte précise la compagnie. »: no comma
                return self._inverted(n, g0, a, b, after, right, cue)
        if dep is not None and dep[0] == "left" and not opens_content and self._inverted_left(n, dep[1], a, b, nxt, frames):
            return self._inverted(n, dep[1][0], a, b, after, dep[1], cue, tail=self._skip_object(n, nxt, b))
        if dep is not None and dep[0] == "left":
            return self._forward(n, g0, a, b, nxt, frames, False, cue, dep[1])
        if not opens_content and self._clause_before(g0, a):
            right = self._right_subject(after, b)
            if right is not None and self._ends_sentence(right[1], b):
                return self._inverted(n, g0, a, b, after, right, cue)
        return self._forward(n, g0, a, b, nxt, frames, False, cue, None)

    def _passive_or_purpose(self, n: int, g0: int) -> bool:
        """« a été reconnu coupable », « afin de demander »: not a statement being reported."""
        group = self.toks[g0:n]
        if any(t.t.dep_ in PASSIVE_AUX_DEPS or t.low in self.passive.get(t.t.lemma_, ()) for t in group):
            return True
        if self.toks[n].t.dep_ in PASSIVE_AUX_DEPS:
            return True
        inf = "Inf" in self.toks[n].t.morph.get("VerbForm")
        governed = any(t.t.lemma_ in self.L["governing_verbs"] or t.t.pos_ == "AUX" and "Fin" in t.t.morph.get("VerbForm")
                       for t in group)       # « will say », « did not say »
        return inf and not governed

    def _reflexive_not_speech(self, n: int, g0: int, lemma: str) -> bool:
        """« s'est affirmée » is not « a affirmé »: pronominal uses count only for listed verbs."""
        reflexive = any(t.low in self.L["reflexive_pronouns"] for t in self.toks[g0:n])
        return reflexive and lemma not in self.pronominal

    def _has_name(self, rng: tuple[int, int]) -> bool:
        return any(self.toks[k].t.ent_type_ in self.source_labels for k in range(*rng))

    def _last_in_sentence(self, a: int) -> Optional[Candidate]:
        """The latest statement found in the sentence starting at token ``a``."""
        start = self.toks[a].start
        for c in reversed(self._found):
            if c.cue and c.cue[0] < start:
                break
            if c.cue and c.res.speaker:
                return c
        return None

    def _nested_ok(self, g0: int, nxt_text: str) -> bool:
        """Inside a quotation only a report (« que », « : ») or the quotation's own incise counts."""
        return nxt_text in self.complementizers or nxt_text == ":" or (g0 > 0 and self.toks[g0 - 1].text == ",")

    def _bare_inverted_subject(self, n: int, g0: int, a: int, b: int, after: int,
                               left: tuple[int, int]) -> Optional[tuple[int, int]]:
        """« La piste a été écartée a fait savoir la police. »: an inverted cue without a comma.
        The parser's subject on the left is the content's own (not someone who speaks, opening the
        sentence or a coordinated clause, with a finite verb before the cue), and a source-like
        noun phrase after the verb closes the sentence: that phrase is the source."""
        if self._source_like(left) or self.lay.depth(self.toks[n].start) > 0:
            return None
        if left[0] > a and self.toks[left[0] - 1].t.pos_ != "CCONJ":
            return None
        own_verb = range(left[1], g0) if left[0] == a else range(a, left[0])
        if not any(self.toks[k].t.pos_ in ("VERB", "AUX") and "Fin" in self.toks[k].t.morph.get("VerbForm") for k in own_verb):
            return None
        right = self._right_subject(after, b)
        if right is None or right[0] != self._skip_adjuncts(after, b) or not self._ends_sentence(right[1], b):
            return None
        if self.toks[right[0]].t.pos_ != "DET" and not self._has_name(right) or not self._source_like(right):
            return None
        return right

    def _clause_before(self, g0: int, a: int) -> bool:
        """Is there a finite verb earlier in the sentence (the content of an inverted cue)?"""
        return any(self.toks[k].t.pos_ in ("VERB", "AUX") and "Fin" in self.toks[k].t.morph.get("VerbForm")
                   or "Part" in self.toks[k].t.morph.get("VerbForm") and self.toks[k].t.pos_ == "VERB"
                   for k in range(a, g0))

    def _subject_closes(self, k: int, b: int) -> bool:
        """An inverted subject ends its clause: sentence end, comma, colon or an adjunct (« après la victoire »)."""
        if k >= b:
            return True
        t = self.toks[k]
        return t.text in (".", "!", "?", ",", ":", ";", "»", "”", ")") or t.key in self.L["adjunct_prepositions"]

    def _ends_sentence(self, k: int, b: int) -> bool:
        return k >= b or self.toks[k].text in (".", "!", "?", "»", "”")

    def _index(self, t) -> int:
        return self.first[id(t.doc)] + t.i

    def _dep_subject(self, n: int, g0: int, a: int, b: int):
        """The parser's subject of the cue verb (or of the verb it is coordinated with / governed by)."""
        h = self.toks[n].t
        for _ in range(3):
            for c in h.children:
                if c.dep_ in SUBJECT_DEPS and c.pos_ != "SCONJ":
                    ci = self._index(c)
                    if not a <= ci < b:
                        continue
                    if ci < g0:
                        return "left", self._left_range(c, ci, a, g0)
                    if ci > n:
                        return "right", (ci, self._index(c.right_edge) + 1 if self._index(c.right_edge) < b else b)
            if h.dep_ in ("conj", "xcomp") and h.head is not h:
                h = h.head
            else:
                break
        return None

    def _left_range(self, c, ci: int, a: int, g0: int) -> tuple[int, int]:
        """Token range of a subject before the verb; a relative « qui » stands for its antecedent."""
        if c.lower_ in self.L["subject_relatives"] and c.head.head is not c.head:
            ant = c.head.head
            ai = self._index(ant)
            if a <= ai < ci:
                return (max(a, self._index(ant.left_edge)), ci if self.toks[ci - 1].text != "," else ci - 1)
        if c.pos_ == "PRON":
            return (ci, ci + 1)
        left = max(a, self._index(c.left_edge))
        right = g0    # the subject runs up to the verb group (« Le président russe Vladimir Poutine avait »)
        for k in range(ci + 1, g0):
            if self.toks[k].t.pos_ == "AUX" or self.toks[k].t.dep_.startswith("aux") or "Fin" in self.toks[k].t.morph.get("VerbForm"):
                right = k
                break
        while right > left + 1 and self.toks[right - 1].text in (",", "-", "("):
            right -= 1
        commas = [k for k in range(left, right) if self.toks[k].text == ","]
        if commas and self.toks[commas[-1] + 1].t.pos_ in ("ADP", "ADV", "SCONJ") and commas[-1] > ci:
            right = commas[-1]   # an incise before the verb: « La municipalité, quant à elle, justifie »
        return (left, right)

    def _group_start(self, n: int, a: int) -> tuple[int, Optional[int], bool]:
        """Walk left over auxiliaries, adverbs, clitics and governing verbs (« vient de », « a tenu à »)."""
        g = n
        pron = None
        negated = False
        while g > a:
            p = self.toks[g - 1]
            low = p.low
            ph = self._phrase_before(g, a)
            if ph:
                g -= ph
                continue
            if low == "," and self._incise_before(g - 1, a) is not None:
                g = self._incise_before(g - 1, a)   # « avait, il y a quelques jours, qualifié »
                continue
            if fold(low) in self.subject_pronouns and low.startswith("-"):
                pron = g - 1
            elif low in self.L["euphonic"]:
                pass
            elif p.t.ent_type_ in self.name_labels or (p.text[:1].isupper() and p.t.pos_ != "AUX"):
                break     # a name is never part of the verb group (« Emmanuel Macron », Macron tagged ADV)
            elif p.t.pos_ == "AUX" or p.t.dep_.startswith("aux") or p.t.lemma_ in self.L["auxiliary_lemmas"] and p.t.pos_ in ("X", "VERB") or (p.t.pos_ == "ADV" and low not in self.L["group_adverb_stops"] or low in self.L["group_adverbs"]):
                if low in self.L["negations"]:
                    negated = True
            elif low in self.L["clitics"] and p.t.pos_ in ("PRON", "ADV", "DET") and low not in self.L["clitic_articles"] or low in self.L["clitics_always"]:
                if low in self.L["negations"]:
                    negated = True
            elif low in self.L["infinitive_markers"] and g < len(self.toks) and "Inf" in self.toks[g].t.morph.get("VerbForm") + self.toks[n].t.morph.get("VerbForm"):
                pass
            elif p.t.lemma_ in self.L["governing_verbs"] and p.t.pos_ in ("VERB", "AUX"):
                pass
            elif low in self.L["negations"]:
                negated = True
                break
            else:
                break
            g -= 1
        return g, pron, negated

    def _incise_before(self, c: int, a: int) -> Optional[int]:
        """If the comma at ``c`` closes an incise that follows an auxiliary, the auxiliary's index + 1."""
        for j in range(c - 1, max(a, c - 9) - 1, -1):
            if self.toks[j].text == ",":
                k = j - 1
                if k >= a and (self.toks[k].t.pos_ == "AUX" or self.toks[k].t.dep_.startswith("aux")):
                    return j
                return None
        return None

    def _is_comme(self, g0: int, a: int) -> bool:
        marks, clitics = self.L["inversion_markers"], self.L["inversion_clitics"]
        return g0 > a and self.toks[g0 - 1].low in marks or (g0 - 1 > a and self.toks[g0 - 2].low in marks and self.toks[g0 - 1].low in clitics)

    def _phrase_at(self, k: int, b: int) -> int:
        """Length in tokens of an adverbial phrase of the language data starting at ``k`` (0 if none)."""
        for phrase in self.phrases:
            n = len(phrase)
            if k + n <= b and tuple(self.toks[j].key for j in range(k, k + n)) == phrase:
                return n
        return 0

    def _phrase_before(self, g: int, a: int) -> int:
        """Length of an adverbial phrase ending just before token ``g`` (0 if none)."""
        for phrase in self.phrases:
            n = len(phrase)
            if g - n >= a and tuple(self.toks[j].key for j in range(g - n, g)) == phrase:
                return n
        return 0

    def _skip_adjuncts(self, k: int, b: int) -> int:
        """Skip adverbs, dates and short prepositional phrases (« vendredi aux journalistes »)."""
        while k < b:
            t = self.toks[k]
            low = t.low
            ph = self._phrase_at(k, b)
            if ph:
                k += ph
            elif t.t.pos_ == "ADV" and low not in self.complementizers and low not in self.L["inversion_markers"]:
                k += 1
            elif low in self.L["time_words"] or t.t.pos_ == "NUM":
                k += 1
            elif low in self.L["adjunct_skip_prepositions"] and not (
                    low in self.L["participle_cue_prefix"] and (k + 1 >= b or self.toks[k + 1].t.pos_ == "VERB")):
                j = k + 1
                while j < b and self.toks[j].t.pos_ in ("DET", "NOUN", "PROPN", "ADJ", "NUM", "ADP") and self.toks[j].low not in self.complementizers and not (
                        self.toks[j].t.pos_ == "DET" and j > k + 1 and self.toks[j - 1].t.pos_ in ("NOUN", "PROPN", "ADJ")):
                    j += 1
                if j == k + 1:
                    break
                k = j
                if k < b and self.toks[k].text == ",":
                    k += 1
            elif t.text == "," and k + 1 < b and self.toks[k + 1].t.pos_ in ("ADP", "ADV"):
                k += 1
            else:
                break
        return k

    # ---------------------------------------------------------- subjects
    def _left_subject(self, g0: int, a: int) -> Optional[tuple[int, int]]:
        """Token range of the subject before the verb group, if any."""
        j = g0 - 1
        if j < a:
            return None
        t = self.toks[j]
        if fold(t.text) in self.subject_pronouns or t.low in self.L["first_person"]:
            return (j, j + 1)
        if t.low in self.L["subject_relatives"] and j - 1 >= a:
            k = j - 1
            if self.toks[k].text == ",":
                k -= 1
            r = self._np_left(k, a)
            return r
        if t.text == ",":
            j -= 1
        if j < a:
            return None
        return self._np_left(j, a)

    def _np_left(self, j: int, a: int) -> Optional[tuple[int, int]]:
        """The noun phrase ending at token ``j`` (appositions included)."""
        end = j + 1
        commas = 0
        has_noun = False
        k = j
        while k >= a:
            t = self.toks[k]
            pos = t.t.pos_
            low = t.low
            if pos in ("PROPN", "NOUN", "NUM") or (pos == "PRON" and low not in self.L["relative_pronouns"]) and k == j:
                has_noun = has_noun or pos in ("PROPN", "NOUN", "PRON")
            elif pos in ("ADJ", "DET", "ADP") or low in self.L["noun_links"] or low in ("-", "(", ")", "&"):
                if low in self.L["coordinators"] and not (k > a and self.toks[k - 1].t.pos_ in ("PROPN", "NOUN", ")")):
                    break
            elif low == "," and commas < 2 and k > a and self.toks[k - 1].t.pos_ in ("PROPN", "NOUN", "ADJ", ")"):
                commas += 1
            elif pos == "VERB" and "Part" in t.t.morph.get("VerbForm") and k > a:
                pass
            else:
                break
            k -= 1
        start = k + 1
        if start > a and self.toks[start - 1].t.pos_ == "ADP" or self.toks[start].t.pos_ == "ADP":
            # a prepositional phrase before a comma is not the subject (« À son tour, le président »)
            commas_at = [i for i in range(start, end) if self.toks[i].text == ","]
            if commas_at:
                start = commas_at[0] + 1
        while start < end and (self.toks[start].text in (",", ")") or self.toks[start].t.pos_ == "ADP"):
            start += 1
        if not has_noun or start >= end:
            return None
        while start > a and self.toks[start].t.ent_iob_ == "I" and self.toks[start - 1].t.ent_type_ in self.name_labels:
            start -= 1       # the whole name, when a word of it is mistagged (« Novaïa » as a verb)
        # a participle or relative clause inside the subject cannot start it
        return (start, end)

    def _right_subject(self, k: int, b: int) -> Optional[tuple[int, int]]:
        """Token range of an inverted subject after the verb (« a déclaré X »)."""
        k = self._skip_adjuncts(k, b)
        if k >= b:
            return None
        start = k
        has_noun = False
        commas = 0
        while k < b:
            t = self.toks[k]
            pos, low = t.t.pos_, t.low
            if pos in ("PROPN", "NOUN"):
                has_noun = True
            elif pos in ("ADJ", "DET", "NUM") or low in self.L["noun_links"] or low in ("-", "(", ")") or (pos == "ADP" and low in self.L["noun_link_prepositions"] and has_noun):
                pass
            elif low == "," and has_noun and commas < 2:
                commas += 1
            elif pos == "VERB" and "Part" in t.t.morph.get("VerbForm") and has_noun:
                pass
            else:
                break
            if low in self.L["right_subject_stops"] or low in self.L["relative_pronouns"] or t.text in MARKS:
                break
            k += 1
        end = k
        while end > start and (self.toks[end - 1].text in (",", "(", "-") or self.toks[end - 1].t.pos_ in ("ADP", "DET", "CCONJ")):
            end -= 1
        if not has_noun or end <= start:
            return None
        if self.toks[start].t.pos_ not in ("DET", "PROPN", "NOUN", "ADJ"):
            return None
        return (start, end)

    # ---------------------------------------------------------- content
    def _inverted_left(self, n: int, subj: tuple[int, int], a: int, b: int, nxt: int, frames) -> bool:
        """« “…,” Smith said. », « The plan failed, Smith said. »: a subject and its verb that
        close a sentence after the content (a comma or a closing mark before the subject)."""
        s0 = subj[0]
        if s0 <= a or not (self.toks[s0 - 1].text == "," or self.toks[s0 - 1].text in CLOSING):
            return False
        if not any(self.toks[k].t.pos_ in ("VERB", "AUX") and "Fin" in self.toks[k].t.morph.get("VerbForm")
                   or self.lay.depth(self.toks[k].start) > 0 for k in range(a, s0)):
            return False      # « Grièvement blessé, son pronostic … »: no clause before the subject
        k = self._skip_object(n, nxt, b) if "io" in frames else nxt
        if k < b and self.toks[k].t.dep_ in PARTICLE_DEPS:
            k = self._skip_adjuncts(k + 1, b)
        if k >= b or self.toks[k].text in (".", "!", "?", ";"):
            return True
        return self.toks[k].text == "," and (k + 1 >= b or self._quote_after(self.toks[k].end) is not None
                                             or self.toks[k + 1].t.pos_ in ("VERB", "SCONJ", "CCONJ", "ADV", "ADP"))

    def _skip_object(self, n: int, k: int, b: int) -> int:
        """Past the addressee of a cue (« told reporters », « told the BBC in an interview »)."""
        if k >= b:
            return k
        V = self.toks[n].t
        for c in V.children:
            if c.dep_ in OBJECT_DEPS and self._index(c.left_edge) == k:
                return self._skip_adjuncts(min(b, self._index(c.right_edge) + 1), b)
        return k

    def _split_quote(self, c: Candidate, k: int, b: int) -> Candidate:
        """« “A,” she said, “B.” »: a quotation interrupted by its attribution is one statement
        from A to B, when the attribution ends with a comma (after a full stop, B is its own)."""
        q = c.quote
        if c.kind != "direct" or q is None or k >= b or self.toks[k].text != ",":
            return c
        before_mark = self.atext[q.end - 1:q.end] if q.end > q.start else ""
        after_mark = self.atext[q.close + 1:q.close + 2] if q.closed else ""
        if "," not in (before_mark, after_mark):
            return c
        q2 = self._quote_after(self.toks[k].end)
        if q2 is None or q2.depth != q.depth or self.lay.block_of(q2.open) != self.lay.block_of(q.open):
            return c
        self.claimed.add(q2.open)
        return Candidate(c.start, q2.end, "direct", c.cue, c.mention, c.res, quote=q)

    def _as_said(self, n: int, g0: int, a: int, b: int, cue, pron_n: Optional[int]) -> Optional[Candidate]:
        """« Comme l'a expliqué X, CONTENT. », "As X told reporters, CONTENT.": a sentence opened by an
        as-clause around the cue; the content is the main clause after its comma."""
        m = a
        if m >= g0 or self.toks[m].low not in self.L["as_clause_markers"] or self.lay.depth(self.toks[n].start) > 0:
            return None
        k = n + 1
        while k < b and k - n <= 12 and self.toks[k].text != "," and self.toks[k].text not in MARKS and (
                self.toks[k].t.pos_ not in ("VERB", "AUX", "SCONJ") or k == pron_n):
            k += 1
        if k + 1 >= b or self.toks[k].text != "," or self.toks[k + 1].text in MARKS:
            return None
        if pron_n is not None:
            subj = (pron_n, pron_n + 1)
        elif g0 > m + 1 and all(self.toks[j].t.pos_ not in ("VERB", "AUX") for j in range(m + 1, g0)):
            subj = (m + 1, g0)      # "As Heald told …": the subject between the marker and the verb
            while subj[1] > subj[0] + 1 and self.toks[subj[1] - 1].low in self.L["clitics"]:
                subj = (subj[0], subj[1] - 1)    # « Comme le ministre l'a dit »
        else:
            subj = self._right_subject(self._skip_adjuncts(n + 1, b), k)    # « Comme l'a expliqué le ministre, »
        if subj is None or not self._source_like(subj) and not self._has_name(subj):
            return None
        if not self._finite_between(self.toks[k + 1].start, self.toks[b - 1].end):
            return None
        res, mspan = self.resolve(subj)
        start = self.toks[k + 1].start
        end = self._content_end(start, k)
        return self._classify(start, end, cue, mspan, res) if end - start >= 3 else None

    def _inverted(self, n: int, g0: int, a: int, b: int, after: int, subj: tuple[int, int], cue,
                  tail: Optional[int] = None) -> Optional[Candidate]:
        """« CONTENU, a déclaré X. »: the content is the clause before the cue (or before its
        subject, ``g0``, in « CONTENT, X said »; ``tail``: the token after the attribution)."""
        invertible = self.lang.raw.get("inverted_verbs")
        if invertible is not None and self._cue_lemma(n) not in invertible:
            return None       # « …, a website called eHow »: English inverts only verbs of saying proper
        cue_start = self.toks[g0].start
        if self._is_comme(g0, a):
            cue_start = self.toks[g0 - 1].start if self.toks[g0 - 1].low == "comme" else self.toks[g0 - 2].start
        q = self.lay.enclosing(cue_start, cue_start + 1)
        res, mspan = self.resolve(subj)
        if q is not None and q.open not in self.claimed:   # incise inside the quotation: it is the whole quote
            self.claimed.add(q.open)
            c = Candidate(q.start, q.end, "direct", cue, mspan, res, quote=q)
            self._colon_quote(subj, b, res, mspan, cue)
            return c
        content_end = cue_start
        while content_end > 0 and (self.atext[content_end - 1] in " ,;" or self.atext[content_end - 1].isspace()):
            content_end -= 1
        floor = self.lay.block_start(cue_start)
        depth = self.lay.depth(cue_start)
        start = self.lay.sentence_start(content_end - 1, floor, depth)
        start = self._after_colon(start, content_end)
        if content_end - start < 3:
            return None
        self._colon_quote(subj, b, res, mspan, cue)
        if tail is None:
            tail = subj[1] if subj[0] > n else self._skip_adjuncts(n + 1, b)
        if (tail + 1 < b and self.toks[tail].text == "," and self.toks[tail + 1].text not in MARKS and depth == 0
                and not any(self.lay.depth(i) > 0 or self.atext[i] in MARKS for i in range(start, content_end))
                and (self.toks[tail + 1].t.pos_ not in ("VERB", "AUX", "SCONJ", "CCONJ", "ADP") or (
                    self.toks[tail + 1].t.pos_ in ("VERB", "AUX") and "Fin" in self.toks[tail + 1].t.morph.get("VerbForm")))
                and not self._finite_between(start, content_end) and self._finite_between(self.toks[tail + 1].start, self.toks[b - 1].end)):
            # « Institutional recipients, said Maurer, are required to … »: the cue interrupts its content
            end = self._content_end(self.toks[tail + 1].start, tail)
            return self._classify(start, end, cue, mspan, res) if end > self.toks[tail + 1].start else None
        c = self._classify(start, content_end, cue, mspan, res)
        return self._split_quote(c, tail, b)

    def _finite_between(self, start: int, end: int) -> bool:
        """Is there a finite verb outside quotations between two offsets?"""
        k = self.tok_at(start)
        if k is None:
            return False
        while k < len(self.toks) and self.toks[k].start < end:
            t = self.toks[k]
            if t.t.pos_ in ("VERB", "AUX") and "Fin" in t.t.morph.get("VerbForm") and self.lay.depth(t.start) == 0:
                return True
            k += 1
        return False

    def _after_colon(self, start: int, end: int) -> int:
        """Content after a lead-in that ends with a colon (« Il a dit : ... »)."""
        seg = self.atext[start:end]
        i = seg.rfind(" : ")
        if i >= 0 and self.lay.depth(start + i) == self.lay.depth(end - 1 if end > start else start) and not any(q.open < start + i < q.close for q in self.lay.quotes if q.open >= start):
            return start + i + 3
        return start

    def _colon_quote(self, subj, b: int, res: Resolution, mspan, cue) -> None:
        """« comme l'indique X : « … » »: a quotation introduced after the source's name."""
        k = subj[1]
        while k < b and self.toks[k].text not in (":",) and self.toks[k].t.pos_ in ("PUNCT", "NOUN", "ADJ", "DET", "ADP", "PROPN") and self.toks[k].text not in MARKS:
            k += 1
        if k < b and self.toks[k].text == ":":
            q = self._quote_after(self.toks[k].end)
            if q is not None:
                self._pending.append(Candidate(q.start, q.end, "direct", cue, mspan, res, quote=q))
                self.claimed.add(q.open)

    def _quote_after(self, pos: int) -> Optional[Quote]:
        """The top-level quotation that opens right after ``pos`` (same or next block)."""
        i = pos
        while i < len(self.atext) and self.atext[i].isspace():
            i += 1
        for q in self.lay.quotes:
            if q.open == i and q.open not in self.claimed:
                return q
        return None

    def _forward(self, n: int, g0: int, a: int, b: int, nxt: int, frames, participle: bool, cue,
                 subj: Optional[tuple[int, int]], given: Optional[Candidate] = None) -> Optional[Candidate]:
        """« X a déclaré que … », « X dénonce … », « X a promis de … », « X précise : « … » »."""
        if not participle and subj is None:
            subj = self._left_subject(g0, a)
        if subj is None and not participle:
            return None
        if subj is not None and self.lay.depth(self.toks[n].start) > 0 and (
                self.toks[subj[0]].low in self.L["first_person"] | self.L["demonstratives"] or subj[1] - subj[0] == 1 and self.toks[subj[0]].t.pos_ == "PRON"):
            return None
        if subj is not None and self.toks[subj[0]].low in self.L["impersonal_pronouns"] and not self._on_reads(n):
            return None
        if subj is not None and subj[1] - subj[0] == 1 and self.toks[subj[0]].low in self.L["first_person"] and (
                self.lay.depth(self.toks[n].start) == 0 and self.toks[subj[0]].low not in self.L["impersonal_pronouns"]):
            return None      # « I think … » in an interview answer: the writer, not a reported source
        if given is not None:
            res, mspan = given.res, given.mention
        else:
            res, mspan = self.resolve(subj) if subj else self._participle_subject(g0, a, b, n)
        if res is None:
            return None
        if res.speaker and subj is not None and self.lay.depth(self.toks[n].start) == 0 and self._source_like(subj):
            self._speakers_only.append((self.toks[g0].start, res, mspan))
        if nxt >= b:
            # cue ends the sentence: « X précise : » then a quotation in the next block
            if self.toks[b - 1].text == ":":
                q = self._quote_after(self.toks[b - 1].end)
                if q is not None:
                    self.claimed.add(q.open)
                    return Candidate(q.start, q.end, "direct", cue, mspan, res, quote=q)
            return None
        t = self.toks[nxt]
        if t.t.dep_ in PARTICLE_DEPS or f"{self.toks[n].t.lemma_.lower()} {t.low}" in self.phrasal:   # « called for », « pointed out that »
            frames = self.phrasal.get(f"{self.toks[n].t.lemma_.lower()} {t.low}", frames)
            nxt = self._skip_adjuncts(nxt + 1, b)
            if nxt >= b:
                return None
            t = self.toks[nxt]
        if "io" in frames and t.low not in self.complementizers and t.t.pos_ in ("DET", "NOUN", "PROPN", "PRON", "ADJ", "NUM"):
            k = self._skip_object(n, nxt, b)     # « told reporters (that) … »
            if k > nxt and k < b and not ("inf" in frames and self._object_then_infinitive(nxt, b)):
                nxt, t = k, self.toks[k]
                frames = frames - {"obj", "quoted"}
        obj_only = False
        if t.text == ":" or t.text == "," and self._quote_after(t.end) is not None:
            q = self._quote_after(t.end)
            if q is not None:
                self.claimed.add(q.open)
                return Candidate(q.start, q.end, "direct", cue, mspan, res, quote=q)
            start = t.end
        elif t.low in self.complementizers:
            start = t.end
        elif "clause" in frames and self._clause_after(n, nxt, b) is not None:
            start = self.toks[self._clause_after(n, nxt, b)].start     # « said the plan failed »
        elif t.text in OPENING and ("obj" in frames or "clause" in frames):
            start = t.start
        elif "obj" in frames and t.t.pos_ in ("DET", "NOUN", "PROPN", "ADJ", "NUM"):
            start = t.start
            obj_only = True
        elif "inf" in frames and (t.low in self.L["infinitive_markers"] or "Inf" in t.t.morph.get("VerbForm")):
            start = t.start
        elif "inf" in frames and t.t.pos_ in ("DET", "PROPN", "NOUN") and self._object_then_infinitive(nxt, b):
            start = t.start      # « a appelé l'Otan à entamer … »
        elif "quoted" in frames and t.t.pos_ in ("DET", "NOUN", "PROPN", "ADJ") and any(
                q.open > t.start and q.depth == 0 for q in self.lay.quotes if q.open < self.toks[b - 1].end):
            start = t.start      # « décrit les voyageurs comme « tremblants » »
        else:
            if self.toks[b - 1].text == ":":     # « X tweeted using his account: » then the quotation
                q = self._quote_after(self.toks[b - 1].end)
                if q is not None and self.lay.depth(self.toks[n].start) == 0:
                    self.claimed.add(q.open)
                    return Candidate(q.start, q.end, "direct", cue, mspan, res, quote=q)
            return None
        while start < len(self.atext) and self.atext[start].isspace():
            start += 1
        end = self._content_end(start, n)
        if obj_only:
            end = self._object_end(nxt, end)
        if self._stop_at is not None and start < self._stop_at < end:
            end = self._stop_at
        self._stop_at = None
        if end - start < 3:
            return None
        return self._classify(start, end, cue, mspan, res)

    def _object_end(self, k: int, end: int) -> int:
        """A noun-phrase content ends before a coordinated verb (« confirme ces déclarations et a
        ouvert une ligne », « a pointé X puis a annoncé … »): that verb is the subject's next act."""
        depth = self.lay.depth(self.toks[k].start)
        while k + 1 < len(self.toks) and self.toks[k + 1].start < end:
            k += 1
            t = self.toks[k]
            if t.t.pos_ not in ("CCONJ", "ADV") or t.low not in self.L["clause_coordinators"] or self.lay.depth(t.start) > depth:
                continue
            j = k + 1
            while j < len(self.toks) and (self.toks[j].t.pos_ == "ADV" or self.toks[j].low in self.L["clitics"]):
                j += 1
            if j < len(self.toks) and self.toks[j].t.pos_ in ("VERB", "AUX") and "Fin" in self.toks[j].t.morph.get("VerbForm"):
                e = t.start
                while e > 0 and self.atext[e - 1] in " ,":
                    e -= 1
                return e
        return end

    def _clause_after(self, n: int, k: int, b: int) -> Optional[int]:
        """Start of a content clause without a complementizer that the parser hangs on the cue
        (a ``ccomp`` with its own subject) and that begins at token ``k``."""
        for c in self.toks[n].t.children:
            if c.dep_ != "ccomp" or not any(d.dep_ in SUBJECT_DEPS + ("expl", "csubj") for d in c.children):
                continue
            left = self._index(c.left_edge)
            if n < left <= k and left < b and self.toks[left].t.dep_ != "mark":   # not « if … », « whether … »
                return left     # « said 500 institutions received »: the clause may open on a skipped number
        return self._np_then_verb(n, k, b)

    def _np_then_verb(self, n: int, k: int, b: int) -> Optional[int]:
        """A content clause the parser did not hang on the cue: a noun phrase (without a relative
        or punctuation) directly followed by a finite verb (« found reduction of yields exceeded … »)."""
        if k >= b or self.toks[k].t.pos_ not in ("DET", "NOUN", "PROPN", "NUM", "ADJ"):
            return None
        j, nouns = k, 0
        while j < b and j < k + 14:
            t = self.toks[j]
            if "Fin" in t.t.morph.get("VerbForm") and t.t.pos_ in ("VERB", "AUX") and nouns:
                # the verb must hang on the cue (« l'homophobie présente dans … » is a modifier)
                return k if self._index(t.t.head) == n else None
            if t.t.pos_ in ("NOUN", "PROPN", "NUM") or t.t.pos_ == "PRON" and t.t.dep_ in SUBJECT_DEPS:
                nouns += 1
            elif t.t.pos_ in ("DET", "ADJ", "ADP", "PART") or t.t.pos_ == "VERB" and t.t.dep_ in ("acl", "amod") and "Fin" not in t.t.morph.get("VerbForm"):
                pass
            else:
                return None
            if t.low in self.complementizers or t.low in self.L["relative_pronouns"]:
                return None
            j += 1
        return None

    def _object_then_infinitive(self, k: int, b: int) -> bool:
        for j in range(k + 1, min(b - 1, k + 8)):
            if self.toks[j].low in self.L["infinitive_markers"] and "Inf" in self.toks[j + 1].t.morph.get("VerbForm"):
                return True
            if self.toks[j].t.pos_ in ("VERB", "AUX") or self.toks[j].text in (",", ";", ":"):
                return False
        return False

    def _on_reads(self, n: int) -> bool:
        return self.toks[n].t.lemma_ in self.L["impersonal_cues"]

    def _participle_subject(self, g0: int, a: int, b: int, n: Optional[int] = None):
        """The source of « …, ajoutant que » / « Rappelant que …, X a dit »: the sentence's named subject."""
        here = self.toks[g0].start
        earlier = self._last_in_sentence(a)
        if earlier is not None:
            return earlier.res, earlier.mention
        for at, res, mspan in reversed(self._speakers_only[-5:]):
            if self.toks[a].start <= at < here:     # « X a publié un rapport affirmant que … »: the publisher
                return res, mspan
        if n is not None and g0 == a and self.toks[n].t.dep_ == "advcl":
            for c in self.toks[n].t.head.children:   # « Citing privacy rules, officials declined … »
                if c.dep_ in SUBJECT_DEPS and self._index(c.left_edge) > n and self._index(c.right_edge) < b:
                    rng = (self._index(c.left_edge), self._index(c.right_edge) + 1)
                    if self._source_like(rng) and self.lay.depth(self.toks[rng[0]].start) == 0:
                        if self.toks[rng[0] - 1].text == ",":
                            self._stop_at = self.toks[rng[0] - 1].start
                        return self.resolve(rng)
        if n is not None:
            governor = self._governor_subject(n, a, g0)
            if governor is not None:     # « X published a report on Monday saying that … »
                return self.resolve(governor)
        for k in range(a, g0):
            if self.toks[k].t.ent_type_ in self.person_labels and self.lay.depth(self.toks[k].start) == 0:
                return self.resolve(self._name_range(k))
        for k in range(g0 + 1, b):
            if self.toks[k].t.ent_type_ in self.person_labels and self.lay.depth(self.toks[k].start) == 0:
                if self.toks[k - 1].text == ",":
                    self._stop_at = self.toks[k - 1].start    # « Rappelant que …, X a dit »: content ends at X
                return self.resolve(self._name_range(k))
        for p, ent, salient in reversed(self.reg.before(here)):
            if salient:
                return Resolution(ent.name, ent.type, ent), None
        return None, None

    def _governor_subject(self, n: int, a: int, g0: int) -> Optional[tuple[int, int]]:
        """The subject of the verb a participle cue depends on (directly, or through the noun it
        qualifies: « publie un rapport rappelant »), when it comes before the cue and can speak."""
        h = self.toks[n].t
        for _ in range(3):
            if h.head is h:
                return None
            h = h.head
            if h.pos_ not in ("VERB", "AUX"):
                continue
            subjects = [c for c in h.children if c.dep_ in SUBJECT_DEPS]
            if not subjects:
                continue
            c0, c1 = min(self._index(c.left_edge) for c in subjects), max(self._index(c.right_edge) for c in subjects)
            if not a <= c0 or c1 >= g0 or self.lay.depth(self.toks[c0].start) > 0 or any(
                    c.lower_ in self.L["subject_relatives"] or c.pos_ == "PRON" for c in subjects):
                return None      # a pronoun is left to the article's salient referent
            e = min(c1 + 1, self._index(h))
            person = next((k for k in range(c0, e) if self.toks[k].t.ent_type_ in self.person_labels and self.toks[k].t.ent_iob_ == "B"
                           and not (k > c0 and self.toks[k - 1].low in self.L["complement_prepositions"])), None)
            if person is not None:
                return self._name_range(person)     # « Seul le premier ministre de X, Colin Barnett, … »
            head = max(self._index(c) for c in subjects)
            e = next((k for k in range(head + 1, e) if self.toks[k].text in (",", "(")), e)   # « X, qui a été … »
            while e < g0 and self.toks[e].t.ent_iob_ == "I":
                e += 1       # the rest of a name the parser tagged as something else
            while e > c0 + 1 and self.toks[e - 1].t.pos_ in ("PUNCT", "AUX") and self.toks[e - 1].t.ent_iob_ != "I":
                e -= 1
            if any(self.toks[k].t.pos_ in ("VERB", "AUX") and "Fin" in self.toks[k].t.morph.get("VerbForm") for k in range(c0, e)):
                return None      # a clause, not a noun phrase: the parse is not to be trusted
            return (c0, e) if self._source_like((c0, e)) else None
        return None

    def _name_range(self, k: int) -> tuple[int, int]:
        e = k + 1
        while e < len(self.toks) and self.toks[e].t.ent_iob_ == "I":
            e += 1
        return (k, e)

    def _content_end(self, start: int, n: int) -> int:
        """Where a content clause ends: sentence end, colon before a quote, or the next cue."""
        depth = self.lay.depth(start)
        q = self.lay.enclosing(start, start + 1)
        limit = q.end if q is not None and q.depth >= 0 and depth > 0 else self.lay.block_end(start)
        if self.atext[start:start + 1] in OPENING:
            for qq in self.lay.quotes:
                if qq.open == start:
                    limit = max(limit, qq.close + 1)
        end = self.lay.sentence_end(start, limit, depth)
        seg = self.atext[start:end]
        for stop in self.content_stops:
            i = seg.find(stop)
            while i >= 0 and self.lay.depth(start + i) > depth:
                i = seg.find(stop, i + 1)
            if i > 0:
                end = min(end, start + i)
        # the next cue in the same sentence after a comma (« …, affirmant que … »)
        for k in range(n + 1, len(self.toks)):
            t = self.toks[k]
            if t.start >= end:
                break
            if t.t.pos_ == "CCONJ" and self.lay.depth(t.start) <= depth and k + 1 < len(self.toks):
                j = k + 1
                while j < len(self.toks) and (self.toks[j].t.pos_ in ("AUX", "ADV") or self.toks[j].t.dep_.startswith("aux")):
                    j += 1
                if j < len(self.toks) and self._cue_lemma(j) and "Fin" in self.toks[j].t.morph.get("VerbForm") + self.toks[j - 1].t.morph.get("VerbForm"):
                    end = t.start     # « … et demande que … »: a second statement
                    break
            if t.text == "," and k + 1 < len(self.toks) and self.lay.depth(t.start) <= depth:
                nx = self.toks[k + 1]
                if (self._cue_lemma(k + 1) and "Part" in nx.t.morph.get("VerbForm")) or self._prep_len(k + 1, self.source_preps) or (
                        nx.t.pos_ == "CCONJ" and self._prep_len(k + 2, self.source_preps)) or (
                        nx.low in self.L["inverted_auxiliaries"]) or nx.low in self.L["participle_cue_prefix"] and (
                        k + 2 < len(self.toks) and self._cue_lemma(k + 2)):
                    end = t.start
                    break
                if self._cue_lemma(k + 1) or (nx.t.pos_ == "AUX" and k + 2 < len(self.toks) and (self._cue_lemma(k + 2) or self.toks[k + 2].low.startswith("-"))):
                    end = t.start
                    break
        while end > start and (self.atext[end - 1].isspace() or self.atext[end - 1] in ".,;:"):
            end -= 1
        return end

    def _classify(self, start: int, end: int, cue, mspan, res: Resolution) -> Candidate:
        """direct if the content is one quotation, mixed if it holds quoted fragments, else indirect."""
        inner = [q for q in self.lay.quotes if q.open >= start - 1 and q.close <= end + 1 and q.depth == self.lay.depth(start)]
        if inner:
            first, last = inner[0], inner[-1]
            outside = self.atext[start:first.open] + self.atext[min(end, last.close + 1):end]
            for q in inner:
                self.claimed.add(q.open)
            if len(inner) == 1 and not outside.strip(" ,.;:!?") and first.open <= start + 1:
                return Candidate(first.start, first.end, "direct", cue, mspan, res, quote=first)
            if last.close >= end and last.closed:
                end = last.close + 1
            return Candidate(start, end, "mixed", cue, mspan, res, quotes=inner)
        return Candidate(start, end, "indirect", cue, mspan, res)

    # ---------------------------------------------------------- selon X
    def _prep_len(self, n: int, phrases: list[tuple[str, ...]]) -> int:
        """Length in tokens of the source preposition of ``phrases`` at token ``n`` (0 if none)."""
        for phrase in phrases:
            m = len(phrase)
            if n + m <= len(self.toks) and all(self.toks[n + i].key.rstrip("'") == w.rstrip("'") for i, w in enumerate(phrase)):
                return m
        return 0

    def _is_source_prep(self, n: int) -> bool:
        """« selon X », « according to X » anywhere; « pour X, » only opening a sentence, before a name."""
        if self._prep_len(n, self.source_preps):
            return True
        m = self._prep_len(n, self.source_preps_initial)
        if m:
            a, _ = self.sent_bounds(n)
            nx = self.toks[n + m] if n + m < len(self.toks) else None
            at_start = n == a or self.toks[n - 1].text in (":", ";")
            return at_start and nx is not None and (nx.t.ent_type_ in self.source_labels or nx.low in self.L["stressed_pronouns"])
        return False

    def _source_prep(self, n: int) -> Optional[Candidate]:
        a, b = self.sent_bounds(n)
        q = self.lay.enclosing(self.toks[n].start, self.toks[n].end)
        if q is not None and q.closed:
            return None     # « condamne « … selon leur orientation … » »: the quoted words, not a source
        k = n + (self._prep_len(n, self.source_preps) or self._prep_len(n, self.source_preps_initial))
        if k >= b:
            return None
        m0 = k
        while k < b and self.toks[k].text not in (",", ".", ";", ":", "!", "?") and self.toks[k].text not in MARKS and not (
                self.toks[k].t.pos_ in ("VERB", "AUX") and "Part" not in self.toks[k].t.morph.get("VerbForm") and not (
                    k == m0 and self.toks[k].t.ent_type_)):     # a name tagged VERB (« according to Rathbun »)
            k += 1
        m1 = k
        bare = None      # « According to the Ministry over 345 pilgrims have been killed »: no comma
        if k < b and self.toks[k].t.pos_ in ("VERB", "AUX"):
            for c in self.toks[m0 - 1].t.children:
                r = self._index(c.right_edge) + 1
                if c.dep_ == "pobj" and m0 < r < k and self.toks[r].t.pos_ in ("NUM", "DET", "NOUN", "PROPN", "PRON", "ADJ", "ADP"):
                    m1 = bare = r
            if bare is None:      # « According to Rathbun the property was … »: a determiner opens the content
                for j in range(m0 + 1, k - 1):
                    if self.toks[j].t.pos_ == "DET" and (self.toks[j - 1].t.pos_ in ("PROPN", "NOUN") or self.toks[j - 1].t.ent_type_) and (
                            self.toks[j].low in self.L["definite_articles"]):
                        m1 = bare = j
                        break
        # « selon le ministre » ends before a time adjunct (« ce mercredi »)
        while m1 > m0 + 1 and (self.toks[m1 - 1].low in self.L["time_words"] or self.toks[m1 - 1].t.pos_ == "DET"):
            m1 -= 1
        if m1 <= m0:
            return None
        cue = (self.toks[n].start, self.toks[m0 - 1].end)
        at_start = n == a or self.toks[n - 1].text in (":", ";", "«", "–", "-", "—", "\n")
        if not at_start and k < b and self.toks[k].text == ",":
            e = self._skip_apposition(k, b if self._verbless(k, b) else k)
            if e == k and self._verbless(k, b):
                e = b - 1 if self.toks[b - 1].t.pos_ == "PUNCT" else b
            m1 = max(m1, e)       # « …, selon X, ministre des Communications. »: the role is part of the mention
        if k < b and self.toks[k].text == ",":
            e = self._skip_apposition(k, b, names=True)
            if e > k and any(self.toks[j].t.ent_type_ in self.person_labels for j in range(k, e)) and not any(
                    self.toks[j].t.ent_type_ in self.source_labels for j in range(m0, m1)):
                m1 = max(m1, e)      # « according to the team's coach, Alireza Mehraban, … »
                k = e
        e = k
        for _ in range(2):     # « in the words of the prosecutor, Jane Doe, QC, “…” »: appositions, then the quotation
            if e >= b or self.toks[e].text != "," or self._quote_after(self.toks[e].end) is not None:
                break
            e = self._skip_apposition(e, b, names=True)
        if e > k and e < b and self.toks[e].text == "," and self._quote_after(self.toks[e].end) is not None:
            m1 = k = e
        res, mspan = self.resolve((m0, m1))
        if k < b and self.toks[k].text == "," and self._quote_after(self.toks[k].end) is not None:
            q = self._quote_after(self.toks[k].end)      # « in the words of X, “…” »
            self.claimed.add(q.open)
            return Candidate(q.start, q.end, "direct", cue, mspan, res, quote=q)
        if bare is not None and (n == a or self.toks[n - 1].text in ("\n",)):
            start = self.toks[bare].start
            end = self._content_end(start, bare)
            return self._classify(start, end, cue, mspan, res) if end - start >= 3 else None
        at_start = n == a or self.toks[n - 1].text in (":", ";", "«", "–", "-", "—", "\n") or (n - 1 >= a and self.toks[n - 1].t.pos_ in ("CCONJ",) and (
            n - 1 == a or self.toks[n - 2].text in (",", ";")))     # « …, mais selon X, … »: a new clause
        if not at_start and self.toks[n - 1].text == "," and not self._clause_before(n, a):
            at_start = True    # « Vers 6 h, selon un sondage, la cote … »: only an adjunct before
        if at_start and k < b and self.toks[k].text == ",":
            k = self._skip_apposition(k, b)   # « Selon X, de l'Université de Y, … »
            if k + 1 < b and self.toks[k + 1].t.pos_ == "VERB" and "Pres" in self.toks[k + 1].t.morph.get("Tense") and (
                    "Part" in self.toks[k + 1].t.morph.get("VerbForm")):
                j = k + 2      # « According to Yonhap, quoting KCNA, … »: the relay's own source
                while j < b - 1 and self.toks[j].text != "," and self.toks[j].text not in MARKS and self.toks[j].t.pos_ not in ("VERB", "AUX"):
                    j += 1
                if j < b - 1 and self.toks[j].text == ",":
                    k = j
        if not at_start and any(c.cue and self.toks[a].start <= c.cue[0] < self.toks[n].start for c in self._found[-20:]):
            return None   # « « … », dit-il selon Francetv info »: the verb's statement; the outlet only relays it
        incise = not at_start and self.toks[n - 1].text == "," and k < b and self.toks[k].text == "," and k + 1 < b and self.toks[k + 1].t.pos_ not in ("PUNCT",) and not self._verbless(k, b)
        if incise:   # « Les personnes, selon les témoins, sont contraintes … »: the whole sentence
            floor = self.lay.block_start(self.toks[n].start)
            start = self.lay.sentence_start(self.toks[n].start, floor, self.lay.depth(self.toks[n].start))
            end = self._content_end(start, k)
            if end - start >= 3:
                return self._classify(start, end, cue, mspan, res)
        if at_start and k < b and self.toks[k].text == ",":
            start = self.toks[k].end
            while start < len(self.atext) and self.atext[start].isspace():
                start += 1
            end = self._content_end(start, k)
            if self._reports_a_cue(k + 1, self.toks[b - 1].end):
                return None   # « According to ABC News, Basya believes … »: Basya's statement, relayed
        else:
            end = self.toks[n].start
            while end > 0 and self.atext[end - 1] in " ,":
                end -= 1
            floor = self.lay.block_start(end)
            start = self.lay.sentence_start(max(end - 1, floor), floor, self.lay.depth(end - 1) if end else 0)
            start = self._after_colon(start, end)
            if at_start:
                return None
        if end - start < 3:
            return None
        return self._classify(start, end, cue, mspan, res)

    def _reports_a_cue(self, k: int, end: int) -> bool:
        """Does the clause from token ``k`` to offset ``end`` have a verb of saying of its own
        (a finite cue whose subject is in the clause, outside quotations)?"""
        a, _ = self.sent_bounds(k) if k < len(self.toks) else (k, k)
        j = k
        while j < len(self.toks) and self.toks[j].start < end:
            t = self.toks[j]
            lemma = self._cue_lemma(j) if self.lay.depth(t.start) == 0 else None
            frames = self.lang.verbs.get(lemma, frozenset()) if lemma else frozenset()
            if ("clause" in frames or "that" in frames) and "Fin" in t.t.morph.get("VerbForm") + self._aux_forms(j) and not any(
                    c.dep_ in PASSIVE_AUX_DEPS for c in t.t.children):    # « the military has been told to … »
                dep = self._dep_subject(j, j, k, j + 1)
                heads = [self._index(c) for c in t.t.children if c.dep_ in SUBJECT_DEPS]
                if dep is not None and dep[0] == "left" and self._source_like(dep[1]) and (
                        not heads or self._source_like((heads[0], heads[0] + 1))):
                    return True     # not « the participation of this team … shows »
            j += 1
        return False

    def _source_like(self, rng: tuple[int, int]) -> bool:
        """Can the mention in ``rng`` be someone who speaks (a name, a pronoun, a role or group noun)?"""
        toks = self.toks[rng[0]:rng[1]]
        return any(t.t.ent_type_ in self.source_labels or t.key in self.subject_pronouns or t.key in self.L["person_roles"]
                   or t.key in self.L["group_words"] or t.key in self.L["org_words"] for t in toks)

    def _aux_forms(self, j: int) -> list[str]:
        """VerbForm of the auxiliaries of token ``j`` (« has said »: finite through « has »)."""
        return [f for c in self.toks[j].t.children if c.dep_.startswith("aux") for f in c.morph.get("VerbForm")]

    def _verbless(self, k: int, b: int) -> bool:
        return not any(self.toks[j].t.pos_ in ("VERB", "AUX") or self.toks[j].text in MARKS for j in range(k + 1, b))

    def _skip_apposition(self, k: int, b: int, names: bool = False) -> int:
        """From the comma at ``k``, skip one verbless apposition closed by another comma."""
        j = k + 1
        while j < b and self.toks[j].text != "," and self.toks[j].text not in MARKS:
            t = self.toks[j].t
            if t.pos_ in ("VERB", "AUX") or t.pos_ == "PRON" and t.dep_.startswith("nsubj"):
                return k
            j += 1
        if j < b and self.toks[j].text == "," and j - k <= 12 and self.toks[k + 1].t.pos_ in ("ADP", "DET", "NOUN", "ADJ") + (
                ("PROPN",) if names else ()):
            return j
        return k

    # ---------------------------------------------------------- quote boxes and floating quotes
    def _attribution_lines(self, cands: list[Candidate]) -> list[Candidate]:
        """« — Name, role » under a quotation: that quotation is theirs."""
        out = []
        for n, tk in enumerate(self.toks):
            if tk.text not in ("—", "―") or tk.t.i != 0:
                continue
            b = n + 1
            while b < len(self.toks) and self.toks[b].t.i != 0:
                b += 1
            e = n + 1
            while e < b and self.toks[e].text not in (",", "("):
                e += 1
            if e <= n + 1:
                continue
            res, mspan = self.resolve((n + 1, e))
            prev_block = self.lay.block_of(tk.start) - 1
            if prev_block < 0:
                continue
            ps, pe = self.lay.block_starts[prev_block], self.lay.block_ends[prev_block]
            for q in self.lay.quotes:
                if q.open >= ps and q.close <= pe and q.depth == 0 and q.open not in self.claimed and self._speechlike(q):
                    self.claimed.add(q.open)
                    out.append(Candidate(q.start, q.end, "direct", (tk.start, tk.end), mspan, res, quote=q))
        return out

    def _unclaimed_quotes(self, cands: list[Candidate]) -> list[Candidate]:
        """Quotations no cue claimed: speech of the nearest source, unless scare quotes or titles."""
        out = []
        attributed = sorted((c for c in cands if c.res.speaker and self.lay.depth(c.start) == 0 or c.kind == "direct" and c.res.speaker),
                            key=lambda c: c.start)
        # a report inside another report (« Heald noted the findings show … ») is not who speaks next
        attributed = [c for i, c in enumerate(attributed)
                      if not any(o.start <= c.start and c.end <= o.end and o is not c and o.kind != "direct"
                                 for o in attributed[max(0, i - 5):i])]
        starts = [c.start for c in attributed]
        spans = sorted((c.start, c.end) for c in cands)
        span_starts = [sp[0] for sp in spans]
        for q in self.lay.quotes:
            if q.open in self.claimed or q.depth > 0 or not self._speechlike(q):
                continue
            i = bisect.bisect_right(span_starts, q.start)
            if any(e >= q.end for _, e in spans[max(0, i - 20):i]):
                continue      # inside a statement already
            res = None if self._standalone(q) else self._sentence_person(q)
            if res is None and self._after_colon_paragraph(q):
                res = self._previous_subject(q)     # « X has called the ruling “dangerous”: » then the quotation
            if res is None:
                src = self._nearest(q, attributed, starts)
                res = src.res if src is not None else self._previous_subject(q) if self._standalone(q) else None
                if res is None:
                    continue
            out.append(Candidate(q.start, q.end, "direct", None, None, res, quote=q, floating=True))
        return out

    def _previous_subject(self, q: Quote) -> Optional[Resolution]:
        """« Senator X issued a statement. “…” »: the named subject of the sentence just before,
        in the same paragraph."""
        n = self.tok_at(q.open)
        if n is None or n == 0:
            return None
        a, _ = self.sent_bounds(n - 1)
        if self.lay.block_of(self.toks[a].start) != self.lay.block_of(q.open) and not self._after_colon_paragraph(q) or a >= n:
            return None
        for k in range(a, n):
            t = self.toks[k].t
            if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT" and self.lay.depth(self.toks[k].start) == 0:
                ents = [j for j in range(self._index(t.left_edge), k + 1) if self.toks[j].t.ent_type_ in self.source_labels]
                if not ents:
                    return None
                res, _ = self.resolve((self._index(t.left_edge), k + 1))
                return res if res.speaker else None
        return None

    def _after_colon_paragraph(self, q: Quote) -> bool:
        """Does the quotation open a paragraph that follows one ending with a colon?"""
        i = q.open - 1
        while i >= 0 and self.atext[i].isspace():
            i -= 1
        return i >= 0 and self.atext[i] == ":" and "\n" in self.atext[i:q.open]

    def _sentence_person(self, q: Quote) -> Optional[Resolution]:
        """« X s'est excusé « … » dans un communiqué »: the person named before the quotation."""
        n = self.tok_at(q.open)
        if n is None:
            return None
        a, _ = self.sent_bounds(n)
        for k in range(a, n):
            t = self.toks[k]
            if t.t.ent_type_ in self.person_labels and t.t.ent_iob_ == "B" and self.lay.depth(t.start) == 0 and (
                    k == a or self.toks[k - 1].t.pos_ not in ("ADP",)):
                res, _ = self.resolve(self._name_range(k))
                return res if res.speaker else None
        if n > a and self.toks[n - 1].text == ":":     # « Sunak defended the record: “…” »
            for k in range(a, n):
                t = self.toks[k].t
                if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT" and self.lay.depth(self.toks[k].start) == 0:
                    rng = (max(a, self._index(t.left_edge)), k + 1)
                    if self._source_like(rng) or t.pos_ == "PROPN":
                        res, _ = self.resolve(rng)
                        return res if res.speaker else None
                    break
        return None

    def _speechlike(self, q: Quote) -> bool:
        """Does the quotation read as something said (a clause), not a name or a scare-quoted term?"""
        words = self.atext[q.start:q.end].split()
        if len(words) < 4:
            return False
        n = self.tok_at(q.start)
        has_verb = False
        if n is not None:
            k = n
            while k < len(self.toks) and self.toks[k].start < q.end:
                if self.toks[k].t.pos_ in ("VERB", "AUX"):
                    has_verb = True
                    break
                k += 1
        standalone = self._standalone(q)
        return has_verb and (standalone or len(words) >= 6)

    def _standalone(self, q: Quote) -> bool:
        """The quotation is a sentence of its own (opens a block or follows a sentence end)."""
        i = q.open - 1
        while i >= 0 and self.atext[i] == " ":
            i -= 1
        return i < 0 or self.atext[i] in "\n.!?:»”\""

    def _nearest(self, q: Quote, attributed: list[Candidate], starts: list[int]) -> Optional[Candidate]:
        """The attributed statement nearest to ``q`` in its block (before first), else just before."""
        blk = self.lay.block_of(q.open)
        i = bisect.bisect_left(starts, q.start)
        before = attributed[i - 1] if i > 0 else None
        after = attributed[i] if i < len(attributed) else None
        if before is not None and self.lay.block_of(before.start) == blk:
            return before
        if after is not None and self.lay.block_of(after.start) == blk:
            return after
        if before is not None and self.lay.block_of(before.start) >= blk - 2 and self._standalone(q):
            return before
        return None

    # ---------------------------------------------------------- addressees
    def _addressee(self, c: Candidate) -> None:
        """Whom the cue's verb addresses (« a déclaré aux journalistes », "told reporters"), if the article says."""
        if c.cue is None:
            return
        n = self.tok_at(c.cue[0])
        while n is not None and n + 1 < len(self.toks) and self.toks[n].end < c.cue[1]:
            n += 1
        if n is None or self.toks[n].end != c.cue[1] or self.toks[n].t.pos_ not in ("VERB", "AUX", "NOUN", "ADJ", "X") or not self._cue_lemma(n):
            return      # « selon X », a quote box dash: no verb to address anyone
        found = self._addressee_of(self.toks[n].t)
        if found is None:
            return
        a, b = found
        toks = self.toks[a:b]
        self._cur_salient = False
        res = self._resolve_tokens(toks, toks[0].start)
        c.addressee = (toks[0].start, toks[-1].end)
        c.addressee_name = res.speaker or self._description(toks) or self.text[toks[0].start:toks[-1].end]

    def _addressee_of(self, verb) -> Optional[tuple[int, int]]:
        """Token range of the addressee among the children of ``verb``, or of a carrier noun
        of it (« dans une lettre adressée aux salariés », "in a letter to shareholders")."""
        A = self.addr
        lemma = self.lang.verb_lemma(verb.text, verb.lemma_) or verb.lemma_.lower()
        for ch in verb.children:
            head = self._dative(ch)
            if head is None and ch.dep_ in ("dobj", "obj", "dative") and (lemma in A["object_verbs"] or ch.dep_ == "dative"):
                head = ch
            if head is not None and head.i > verb.i and self._audience(head):
                return self._addressee_range(head)     # before the verb it is a place (« À l'Assemblée, X confirme »)
        for ch in verb.children:      # a carrier noun: « dans une lettre … », "in a letter …"
            noun = ch if ch.dep_.startswith("obl") else next((g for g in ch.children if g.dep_ == "pobj"), None) if ch.dep_ == "prep" else None
            if noun is None or fold(noun.text) not in self.L["source_nouns"] and fold(noun.lemma_) not in self.L["source_nouns"]:
                continue
            for g in list(noun.children) + [x for k in noun.children if k.dep_ == "acl" for x in k.children]:
                head = self._dative(g)
                if head is not None and self._audience(head):
                    return self._addressee_range(head)
        return None

    def _dative(self, ch) -> Optional[object]:
        """The noun of a dative complement: « aux journalistes » (case « aux ») or "to the committee"."""
        preps = self.addr["prepositions"]
        if ch.dep_ == "prep" and ch.lower_ in preps:
            return next((g for g in ch.children if g.dep_ == "pobj"), None)
        if ch.dep_.startswith("obl") or ch.dep_ in ("iobj", "nmod"):
            if any(g.dep_ == "case" and g.lower_ in preps for g in ch.children):
                return ch
        return None

    def _audience(self, head) -> bool:
        """Can the noun ``head`` be someone spoken to (not a place, a time or a thing)?"""
        A, labels = self.addr, self.lang.raw["entity_labels"]
        if head.pos_ == "PRON" or head.ent_type_ in labels.get("place", []) or head.ent_type_ in ("DATE", "TIME"):
            return False
        words = {fold(head.text), fold(head.lemma_)}
        if words & (A["refused"] | self.L["time_words"]) or self.lay.depth(self._tok_of(head).start) > self.lay.depth(self._tok_of(head.head).start):
            return False
        if head.ent_type_ in self.source_labels or head.pos_ == "PROPN" and head.text[:1].isupper() and not head.ent_type_:
            return True
        return head.pos_ in ("NOUN", "PROPN") and bool(words & (A["nouns"] | self.L["person_roles"] | self.L["group_words"] | self.L["org_words"]))

    def _tok_of(self, t) -> Tok:
        return self.toks[self._index(t)]

    def _addressee_range(self, head) -> tuple[int, int]:
        """The words of the addressee: from its left edge (after the preposition) through its
        head and the names and link words after it, up to a clause, punctuation or another complement."""
        h = self._index(head)
        a = h
        while a > 0 and self.toks[a - 1].t.doc is head.doc and self.toks[a - 1].t.head.i == head.i and self.toks[a - 1].t.dep_ not in ("case", "prep", "punct", "mark") and (
                self.toks[a - 1].t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM") or self.toks[a - 1].t.dep_ == "poss"):
            a -= 1
        b = h + 1
        sub = {t.i for t in head.subtree}
        while b < len(self.toks) and self.toks[b].t.i in sub and self.toks[b].t.doc is head.doc:
            t = self.toks[b].t
            if t.pos_ in ("VERB", "AUX", "PUNCT", "SCONJ", "PRON", "CCONJ") and not (t.pos_ == "CCONJ" and t.lower_ in self.addr["links"]):
                break
            if t.pos_ == "ADP" and t.lower_ not in self.addr["links"] or t.lower_ in self.complementizers:
                break
            b += 1
        while b > h + 1 and (self.toks[b - 1].t.pos_ in ("ADP", "DET", "CCONJ") or self.toks[b - 1].low in self.addr["links"]):
            b -= 1
        while b < len(self.toks) and self.toks[b].t.doc is head.doc and self.toks[b].key not in self.L["time_words"] and (self.toks[b].t.ent_iob_ == "I" and self.toks[b - 1].t.ent_type_ or (
                self.toks[b].t.pos_ == "PROPN" and self.toks[b].text[:1].isupper() and self.toks[b - 1].t.pos_ == "PROPN")):
            b += 1      # the rest of a name the parser hung elsewhere (« France Info », "Associated Press")
        return a, b

    # ---------------------------------------------------------- overlaps
    def _dedupe(self, cands: list[Candidate]) -> list[Candidate]:
        """Keep one of two overlapping statements; candidates come sorted by start."""
        out: list[Candidate] = []
        for c in cands:
            clash = None
            for o in reversed(out[-50:]):    # sorted by start: only recent ones can overlap
                inter = min(o.end, c.end) - max(o.start, c.start)
                if inter > 0 and inter >= 0.5 * min(o.end - o.start, c.end - c.start):
                    clash = o
                    break
            if clash is None:
                out.append(c)
                continue
            if clash.kind == "direct" and c.start >= clash.start and c.end <= clash.end and not clash.floating and c.end - c.start < clash.end - clash.start:
                out.append(c)    # reported inside a quotation: nested
                continue
            if c.floating:
                continue
            if clash.floating or (c.end - c.start > clash.end - clash.start and not (clash.res.speaker and not c.res.speaker)):
                out[out.index(clash)] = c
        return out

    # ---------------------------------------------------------- resolution
    def resolve(self, rng: tuple[int, int]) -> tuple[Resolution, tuple[int, int]]:
        """Resolve the mention in token range ``rng`` to a speaker; returns it and the mention's offsets."""
        a, b = rng
        toks = self.toks[a:b]
        mspan = (toks[0].start, toks[-1].end)
        pos = mspan[0]
        salient = self._salient and not (a > 0 and self.toks[a - 1].key in self.subordinators)
        self._cur_salient = salient
        if b - a == 1 and toks[0].low in self.L["impersonal_pronouns"]:
            doc = self._document_source(a)
            if doc is not None:
                return doc
        res = self._resolve_tokens(toks, pos)
        if res.entity is not None:
            self.reg.note(res.entity, pos, salient)
        elif res.speaker and res.type in (GROUP, ORG, PERSON, UNKNOWN):
            ent = self.reg.add_name(res.speaker, res.type if res.type != UNKNOWN else GROUP, pos, salient, named=False)
            res = Resolution(res.speaker, res.type, ent)
        return res, mspan

    def _document_source(self, k: int) -> Optional[tuple[Resolution, tuple[int, int]]]:
        """« Dans un communiqué de X, on apprend que … »: an impersonal subject reads a document, whose
        owner is the source; « …, peut-on y lire » or « dans le communiqué » without an owner: the
        source of the statement just before."""
        a, b = self.sent_bounds(k)
        owner_less = any(self.toks[i].low in self.L["document_pronouns"] for i in range(max(a, k - 3), min(b, k + 3)))
        nouns = [i for i in range(a, b) if self.toks[i].key in self.L["source_nouns"] and self.toks[i].t.pos_ == "NOUN"
                 and self.lay.depth(self.toks[i].start) == 0]
        for i in sorted(nouns, key=lambda i: abs(i - k)):
            j = i + 1
            if j < b and self.toks[j].low in self.L["of_words"]:
                while j < b and j != k and self.toks[j].text not in (",", ";", ":", "(") and self.toks[j].text not in MARKS and (
                        self.toks[j].t.pos_ not in ("VERB", "AUX")):
                    j += 1
                if j > i + 2:
                    s = i
                    while s > a and self.toks[s - 1].t.pos_ == "DET":
                        s -= 1
                    res, mspan = self.resolve((s, j))
                    if res.speaker:
                        return res, mspan
            owner_less = True
        if owner_less and self._found and self._found[-1].res.speaker and 0 <= self.toks[k].start - self._found[-1].end < 600:
            last = self._found[-1]
            if last.res.entity is not None:
                self.reg.note(last.res.entity, self.toks[k].start, self._cur_salient)
            return last.res, (self.toks[k].start, self.toks[k].end)
        return None

    def _resolve_tokens(self, toks: list[Tok], pos: int) -> Resolution:
        words = [t.text for t in toks]
        low = [fold(w) for w in words]
        if len(toks) == 1 and low[0] in self.pronouns:
            ent = self.reg.by_pronoun(low[0], pos, [(c.start, c.end, c.mention) for c in self._found[-50:]])
            return Resolution(ent.name, ent.type, ent) if ent else Resolution(None, UNKNOWN)
        if len(toks) == 1 and low[0] in self.L["first_person"]:
            return Resolution(None, UNKNOWN)
        # a document noun: « l'annonce du gouvernement », « un communiqué de l'aéroport », « Cornyn's statement »
        for i, t in enumerate(toks):
            if 0 < i < len(toks) - 1 and t.low in self.L["possessive_markers"] and toks[i + 1].key in self.L["source_nouns"]:
                return self._resolve_tokens(toks[:i], pos)
            if 0 < i and t.key in self.L["source_nouns"] and t.t.pos_ == "NOUN" and toks[i - 1].t.pos_ == "PROPN" and (
                    i + 1 == len(toks) or toks[i + 1].text in (",", "(")):
                return self._resolve_tokens(toks[:i], pos)     # « The Home Office letter »
        for i, t in enumerate(toks[:3]):
            if fold(t.text) in self.L["source_nouns"] and t.t.pos_ == "NOUN":
                j = i + 1
                while j < len(toks) and toks[j].low not in self.L["of_words"]:
                    j += 1
                if j + 1 < len(toks):
                    return self._resolve_tokens(toks[j + 1:], pos)
                break
        if len(toks) == 1 and toks[0].text[:1].isupper() and toks[0].t.pos_ in ("PROPN", "NOUN", "VERB") and (
                self._known_person(toks[0].text, pos)):
            ent = self.reg.find_name(toks[0].text, PERSON, pos)     # a surname alone, whatever its tag
            if ent is not None:
                self.reg.note(ent, pos, self._cur_salient)
                return Resolution(ent.name, PERSON, ent)
        # a person's name that is not a complement (« le porte-parole de X » is not X)
        names = self._names(toks)
        head = self._head(toks)
        for (s, e, label) in names:
            if label == PERSON and s > 0 and s - 1 == head and toks[head].t.pos_ == "NOUN" and toks[head].key in self.L["org_words"] and (
                    e - s > 1 or self._known_person(toks[s].text, pos)):
                # « l'aéroport José María Cordova », « le gouvernement Assad »: named after a person
                # (« l'agence Sputnik », a single unknown name, is the organisation's own name)
                name = self.reg.clean_name(self.text[toks[head].start:toks[e - 1].end])
                ent = self.reg.find_name(name, ORG, pos) or self.reg.add_name(name, ORG, pos, self._cur_salient)
                return Resolution(ent.name, ORG, ent)
            if label == PERSON and not (s > 0 and toks[s - 1].low in self.L["complement_prepositions"]):
                name = self.text[toks[s].start:toks[e - 1].end]
                role = " ".join(t.text for t in toks[:s] if t.t.pos_ not in ("DET", "PUNCT")) + " " + " ".join(
                    t.text for t in toks[e:] if t.t.pos_ not in ("DET", "PUNCT"))
                title = fold(toks[s - 1].text).rstrip(".") if s > 0 else ""
                gender = "f" if title in self.reg.fem_titles else "m" if title in self.reg.masc_titles else None
                if not gender:
                    for t in toks:
                        if t.t.pos_ != "NOUN" or not self.reg.is_role_word(t.text):
                            continue
                        if "Fem" in t.t.morph.get("Gender"):
                            gender = "f"
                            break
                        if t.t.pos_ == "NOUN" and "Masc" in t.t.morph.get("Gender"):
                            gender = "m"
                            break
                ent = self.reg.add_name(name, PERSON, pos, self._cur_salient, role.strip() if any(t.t.pos_ == "NOUN" for t in toks) else "", gender)
                return Resolution(ent.name, PERSON, ent)
        # an organisation (or a place speaking for its government) heading the mention
        for (s, e, label) in names:
            lead = all(t.t.pos_ in ("DET", "ADJ", "NOUN") for t in toks[head + 1:s]) and s - head <= 4
            if e < len(toks) and toks[e].t.pos_ == "NOUN" and toks[e].key in self.L["group_words"] and e + 1 == len(toks):
                continue      # « U.S. officials »: the name only qualifies a group
            if (s <= head + 1 or lead) and not (s > 0 and toks[s - 1].low in self.L["of_words"]):
                while self.lang.raw.get("postposed_adjectives") and e < len(toks) and e - s < 6 and toks[e].text[:1].islower() and (
                        toks[e].t.pos_ == "ADJ" or "Part" in toks[e].t.morph.get("VerbForm")) and (
                        e + 1 == len(toks) or toks[e + 1].text in (",", "(") or toks[e + 1].t.pos_ in ("ADP", "PUNCT")):
                    e += 1     # « Le Canard enchaîné »
                j = e
                while j < len(toks) and j - s < 6 and toks[j].t.pos_ == "PROPN" and toks[j].text[:1].isupper():
                    j += 1     # « the Saudi Interior Ministry »: capitalised words up to an organisation noun
                if j > e and toks[j - 1].key in self.L["org_words"]:
                    e = j
                while e < len(toks) and e - s < 6 and toks[e].t.pos_ in ("NOUN", "PROPN") and toks[e].key in self.L["org_words"]:
                    e += 1     # « the New Zealand government », « a Greek court »
                name = self.reg.clean_name(self.text[toks[s].start:toks[e - 1].end])
                ent = self.reg.find_name(name, ORG, pos) or self.reg.add_name(name, ORG, pos, self._cur_salient)
                return Resolution(ent.name, ORG, ent)
        # a role: « le représentant du Kremlin », « le président », « la compagnie »
        content = [t for t in toks if t.t.pos_ not in ("PUNCT",)]
        role_words = [t.text for t in content[: max(1, len(content))]]
        if head < len(toks) and toks[head].t.pos_ == "NOUN" and "Plur" not in toks[head].t.morph.get("Number"):
            ent = self.reg.by_role(self._role_key(toks, head), pos)
            if ent is not None:
                return Resolution(ent.name, ent.type, ent)
        commas = [i for i, t in enumerate(toks) if t.text == ","]
        if commas and commas[-1] + 1 < len(toks) and toks[commas[-1] + 1].t.pos_ == "DET":
            return self._resolve_tokens(toks[commas[-1] + 1:], toks[commas[-1] + 1].start)   # « une publication …, la monarchie »
        desc = self._description(toks)
        if not desc:
            return Resolution(None, UNKNOWN)
        hw = fold(toks[head].text) if head < len(toks) else ""
        plural = head < len(toks) and "Plur" in toks[head].t.morph.get("Number")
        if hw in self.L["org_words"]:
            etype = ORG
        elif plural or hw in self.L["group_words"]:
            etype = GROUP
        elif hw in self.L["person_roles"]:
            etype = PERSON
        else:
            etype = UNKNOWN
        if etype == PERSON and head < len(toks):
            g = toks[head].t.morph.get("Gender")
            ent = self.reg.add_name(desc, PERSON, pos, self._cur_salient, gender="f" if "Fem" in g else "m" if "Masc" in g else None, named=False)
            return Resolution(ent.name, PERSON, ent)
        return Resolution(desc, etype)

    def _role_key(self, toks: list[Tok], head: int) -> list[str]:
        return [t.text for t in toks[head:] if t.t.pos_ in ("NOUN", "ADJ", "PROPN")][:4]

    def _head(self, toks: list[Tok]) -> int:
        """Index of the first content word of the mention (after determiners, titles, adjectives)."""
        for i, t in enumerate(toks):
            if t.t.pos_ in ("NOUN", "PROPN", "PRON") or (t.t.pos_ == "ADJ" and i + 1 < len(toks) and toks[i + 1].t.pos_ not in ("NOUN", "PROPN", "ADJ")):
                return i
        return 0

    def _names(self, toks: list[Tok]) -> list[tuple[int, int, str]]:
        """Named spans in a mention: the model's entities, else runs of proper nouns."""
        out = []
        i = 0
        while i < len(toks):
            t = toks[i].t
            if t.ent_type_ in self.name_labels and (t.ent_iob_ == "B" or i == 0):
                j = i + 1
                while j < len(toks) and toks[j].t.ent_iob_ == "I":
                    j += 1
                label = t.ent_type_
                lead = i
                while i < j - 1 and not toks[i].text[:1].isupper():
                    i += 1       # « affaire Troadec » names Troadec
                etype = PERSON if label in self.person_labels else ORG
                if etype == ORG and label not in self.source_labels and i > lead and toks[i - 1].t.pos_ == "NOUN" and (
                        toks[i - 1].key in self.L["org_words"]):
                    i -= 1       # « aéroport José María Cordova », « comité Nobel »: a place or thing names the organisation
                if etype == PERSON and (j - i == 1 and fold(t.text) in self.L["org_words"] or toks[i].t.pos_ == "DET"
                                        and not self._known_person(self.text[toks[i].start:toks[j - 1].end], toks[i].start)):
                    etype = ORG       # a person's name takes no article: « Le Canard »
                elif etype == ORG and toks[i].t.pos_ == "PROPN" and self._known_person(self.text[toks[i].start:toks[j - 1].end], toks[i].start):
                    etype = PERSON    # « Wilkins » tagged as an organisation after « Kristen Wilkins »
                if not self._possessive(toks, j):
                    out.append((i, j, etype))
                i = j
            elif t.pos_ == "PROPN" and t.text[:1].isupper():
                j = i + 1
                while j < len(toks) and toks[j].t.pos_ == "PROPN" and toks[j].t.ent_type_ not in self.name_labels:
                    j += 1
                s0 = i
                while s0 < j:    # « Prime Minister », « Professor »: a role, not a name
                    two = f"{toks[s0].key} {toks[s0 + 1].key}" if s0 + 1 < j else ""
                    if two in self.L["person_roles"]:
                        s0 += 2
                    elif toks[s0].key in self.L["person_roles"] or toks[s0].key.rstrip(".") in self.reg.titles:
                        s0 += 1
                    else:
                        break
                multi = j - s0 >= 2 and not any(fold(x.text) in self.L["org_words"] for x in toks[s0:j])
                if s0 < j and not self._possessive(toks, j):
                    out.append((s0, j, PERSON if multi else ORG))
                i = j
            else:
                i += 1
        return out

    def _possessive(self, toks: list[Tok], j: int) -> bool:
        """Does the name ending before ``toks[j]`` own what follows (« New Zealand's Prime Minister »)?"""
        marks = self.L["possessive_markers"]
        return bool(marks) and (toks[j - 1].low in marks or j < len(toks) and toks[j].low in marks)

    def _description(self, toks: list[Tok]) -> str:
        """The mention as an unnamed source, without its article: « porte-parole de la police »."""
        i = 0
        while i < len(toks) and (fold(toks[i].text) in self.L["determiners"] or toks[i].t.pos_ == "DET"):
            i += 1
        j = len(toks)
        for k in range(i, len(toks)):
            if toks[k].text in (",", "(") and k > i:
                j = k
                break
        text = self.text[toks[i].start:toks[j - 1].end] if i < j else ""
        return text.strip(" ,.")



_TABLES: dict[str, SimpleNamespace] = {}


def _language_tables(lang: LangData, phrases) -> SimpleNamespace:
    """The language data as the analyser looks it up: built once per language, not per article."""
    if lang.code in _TABLES:
        return _TABLES[lang.code]
    t = SimpleNamespace()
    t.L = {k: lang.list(k) | {fold(w) for w in lang.list(k)} for k in FOLDED_KEYS}
    t.L.update({k: lang.list(k) for k in WORD_KEYS})
    t.complementizers = t.L["complementizers"]
    labels = lang.raw["entity_labels"]
    t.person_labels = tuple(labels["person"])
    t.source_labels = t.person_labels + tuple(labels["organisation"])
    t.name_labels = frozenset(l for ls in labels.values() if isinstance(ls, list) for l in ls)
    t.subject_pronouns = {fold(w) for w in t.L["subject_pronouns"]}
    t.passive = {lemma: {f.lower() for f in forms} for lemma, forms in lang.raw.get("passive_auxiliaries", {}).items()}
    t.source_preps = phrases(lang.raw.get("source_prepositions", []))
    t.source_preps_initial = phrases(lang.raw.get("source_prepositions_initial", []))
    t.pronouns = {fold(k) for k in lang.raw["pronouns"]}
    t.light = {k: set(v) for k, v in lang.raw.get("light_verb_cues", {}).items() if not k.startswith("_")}
    t.phrasal = {f"{verb} {particle}": frozenset(frames.split())
            for verb, particles in lang.raw.get("phrasal_cues", {}).items() if not verb.startswith("_")
            for particle, frames in particles.items()}
    t.pronominal = {w.lower() for w in lang.raw.get("pronominal_verbs", [])}
    t.content_stops = tuple(lang.raw.get("content_stops", []))
    t.subordinators = {fold(w) for w in lang.raw.get("subordinators", [])}
    t.phrases = phrases(lang.raw.get("adverbial_phrases", []))
    addr = lang.raw.get("addressees", {})
    t.addr = {k: frozenset(w.lower() for w in addr.get(k, [])) | frozenset(fold(w) for w in addr.get(k, []))
              for k in ("prepositions", "object_verbs", "links", "nouns", "refused")}
    _TABLES[lang.code] = t
    return t

def to_statement(c: Candidate, text: str, nested_in: Optional[int]) -> Statement:
    """Freeze a candidate into the public :class:`Statement`."""
    mention = Span(c.mention[0], c.mention[1], text[c.mention[0]:c.mention[1]]) if c.mention else None
    cue = Span(c.cue[0], c.cue[1], text[c.cue[0]:c.cue[1]]) if c.cue else None
    addressee = Span(c.addressee[0], c.addressee[1], text[c.addressee[0]:c.addressee[1]]) if c.addressee else None
    return Statement(start=c.start, end=c.end, text=text[c.start:c.end], kind=c.kind,  # type: ignore[arg-type]
                     speaker=c.res.speaker, speaker_type=c.res.type, mention=mention, cue=cue,  # type: ignore[arg-type]
                     nested_in=nested_in, addressee=addressee, addressee_name=c.addressee_name)
