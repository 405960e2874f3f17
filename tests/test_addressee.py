"""Addressees: whom a statement was said to, when the article says so (« a déclaré aux
journalistes », "told reporters"), with its words, offsets and resolved name; never a place,
a time or the complement of something that is not speech."""
from __future__ import annotations

from typing import Callable, Optional

import pytest

from porteparole.models import Article, Statement

# (text, cue words, addressee as written, addressee name); None: the statement has no addressee
FR = [
    ("Le porte-parole Dmitri Peskov a déclaré vendredi aux journalistes que le document était prêt.",
     "a déclaré", "journalistes", "journalistes"),
    ("Le président Vladimir Poutine vient d'annoncer au président américain Joe Biden que le document serait transmis.",
     "vient d'annoncer", "président américain Joe Biden", "Joe Biden"),
    ("Le ministre a dit à l'AFP que la réforme serait retirée.", "a dit", "l'AFP", "AFP"),
    ("La ministre a confié au Monde qu'elle ne se représenterait pas.", "a confié", "Monde", "Monde"),
    ("Le porte-parole a expliqué à la presse que le projet était abandonné.", "a expliqué", "la presse", "presse"),
    ("Le PDG a écrit aux actionnaires que les résultats étaient mauvais.", "a écrit", "actionnaires", "actionnaires"),
    ("Le ministre a répondu aux députés que la loi serait votée.", "a répondu", "députés", "députés"),
    # not addressees: a place, a time, a manner, a medium
    ("Le président a déclaré vendredi à Moscou que la guerre était finie.", "a déclaré", None, None),
    ("Le maire a déclaré à plusieurs reprises que le projet serait mené à son terme.", "a déclaré", None, None),
    ("Le ministre a assuré à la télévision publique que tout allait bien.", "a assuré", None, None),
    ("Le porte-parole a annoncé mardi que le sommet était reporté.", "a annoncé", None, None),
    ("Le maire a affirmé à son tour que la ville ne reculerait pas.", "a affirmé", None, None),
]

EN = [
    ("The spokesman told reporters on Friday that the document was ready.", "told", "reporters", "reporters"),
    ("The minister said to the committee that the bill would pass.", "said", "the committee", "committee"),
    ("Senator Jane Smith told CNN that she would run again.", "told", "CNN", "CNN"),
    ("The mayor wrote to the minister that the plan had failed.", "wrote", "the minister", "minister"),
    ("The chief executive said in a letter to shareholders that profits would fall.", "said", "shareholders",
     "shareholders"),
    ("The senator told The Washington Post that he was retiring.", "told", "The Washington Post", "Washington Post"),
    ("Officials told the BBC the plane had crashed.", "told", "the BBC", "BBC"),
    # not addressees: a time, a place, a non-speech verb's complement
    ("The president told on Tuesday that the war was over.", "told", None, None),
    ("The minister said in Moscow on Friday that talks would resume.", "said", None, None),
    ("The company said it would return to profit next year.", "said", None, None),
    ("The spokesman said on Monday that the airport would reopen.", "said", None, None),
    ("The governor said that he would go to Washington next week.", "said", None, None),
]


def statement_with_cue(article: Article, cue: str) -> Statement:
    found = [s for s in article.statements if s.cue is not None and s.cue.text.replace("’", "'") == cue]
    assert found, [(s.cue.text if s.cue else None, s.text) for s in article.statements]
    return found[0]


def check(extract: Callable[[str], Article], text: str, cue: str, words: Optional[str], name: Optional[str]) -> None:
    s = statement_with_cue(extract(text), cue)
    if words is None:
        assert s.addressee is None and s.addressee_name is None, s
        return
    assert s.addressee is not None, s
    assert text[s.addressee.start:s.addressee.end] == s.addressee.text
    assert (s.addressee.text, s.addressee_name) == (words, name)


@pytest.mark.parametrize("text, cue, words, name", FR, ids=[f"fr-{i}" for i in range(len(FR))])
def test_french_addressees(extract: Callable[[str], Article], text: str, cue: str, words: Optional[str],
                           name: Optional[str]) -> None:
    check(extract, text, cue, words, name)


@pytest.mark.parametrize("text, cue, words, name", EN, ids=[f"en-{i}" for i in range(len(EN))])
def test_english_addressees(extract_en: Callable[[str], Article], text: str, cue: str, words: Optional[str],
                            name: Optional[str]) -> None:
    check(extract_en, text, cue, words, name)


def test_founding_article(gold_fr_results: list) -> None:
    """Peskov « a déclaré vendredi aux journalistes »; Putin « vient justement d'annoncer au
    président américain Joe Biden »."""
    article = next(a for a in gold_fr_results if isinstance(a, Article) and a.document.id == "fr-0000-kremlin-garanties")
    text = article.document.text
    by_speaker = {}
    for s in article.statements:
        if s.addressee is not None:
            assert text[s.addressee.start:s.addressee.end] == s.addressee.text
            by_speaker.setdefault(s.speaker, []).append((s.addressee.text, s.addressee_name))
    assert ("journalistes", "journalistes") in by_speaker["Dmitri Peskov"]
    assert ("président américain Joe Biden", "Joe Biden") in by_speaker["Vladimir Poutine"]


def test_every_addressee_is_the_text_at_its_offsets(gold_fr_results: list, gold_en_results: list) -> None:
    for article in gold_fr_results + gold_en_results:
        if not isinstance(article, Article):
            continue
        for s in article.statements:
            if s.addressee is not None:
                assert article.document.text[s.addressee.start:s.addressee.end] == s.addressee.text
                assert s.addressee_name
