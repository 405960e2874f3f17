"""The quality gate: the extractor on the French and English dev gold must stay at or above its floors.

The floors live in tests/data/quality_floor.json and only move up (see its comment).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from porteparole.evaluate import report, score
from porteparole.models import Article, Score
from porteparole.output import statement_dict

FLOORS = json.loads((Path(__file__).parent / "data" / "quality_floor.json").read_text(encoding="utf-8"))
FOUNDING = "fr-0000-kremlin-garanties"
LANGS = ("fr", "en")
GOLD_SIZE = {"fr": 25, "en": 24}


def _score(gold: dict, results: list) -> Score:
    failures = [r for r in results if not isinstance(r, Article)]
    assert not failures, failures
    predictions = {a.document.id: [statement_dict(s) for s in a.statements] for a in results}
    return score(gold, predictions)


@pytest.fixture(scope="module", params=LANGS)
def lang_score(request: pytest.FixtureRequest) -> tuple[str, dict, Score]:
    """(language, its gold, the extractor's score on it), once per language."""
    lang = request.param
    gold = request.getfixturevalue(f"gold_{lang}")
    return lang, gold, _score(gold, request.getfixturevalue(f"gold_{lang}_results"))


def test_every_gold_article_is_predicted(lang_score) -> None:
    lang, gold, s = lang_score
    assert s.articles == s.articles_predicted == len(gold) == GOLD_SIZE[lang]


@pytest.mark.parametrize("metric, figure", [
    ("end_to_end_f1", lambda s: s.end_to_end["f1"]),
    ("detection_f1", lambda s: s.detection["f1"]),
])
def test_figures_stay_above_their_floor(lang_score, metric: str, figure) -> None:
    lang, _, s = lang_score
    floor = FLOORS[lang][metric]
    assert figure(s) >= floor, f"{lang} {metric} fell below its floor {floor}:\n{report(s)}\n" + "\n".join(s.details)


def test_every_gold_article_is_in_its_language(lang_score) -> None:
    """The gold files say their language, and the detector agrees on every one of them."""
    from porteparole.lang import detect

    lang, gold, _ = lang_score
    assert {a["lang"] for a in gold.values()} == {lang}
    assert {a["id"]: detect(a["text"]) for a in gold.values()} == {a["id"]: lang for a in gold.values()}


def test_floors_file_explains_itself() -> None:
    assert "only move up" in FLOORS["_comment"]
    for lang in LANGS:
        assert set(FLOORS[lang]) == {"end_to_end_f1", "detection_f1", "commitments_f1", "meetings_f1"}
        assert all(0 < v <= 1 for v in FLOORS[lang].values())


def boilerplate_spans(article: dict) -> list[tuple[int, int, str]]:
    text = article["text"]
    return [(m.start(), m.end(), b) for b in article["boilerplate"] for m in re.finditer(re.escape(b), text)]


def test_founding_article_boilerplate_holds_no_statement(gold_fr: dict, gold_fr_results: list) -> None:
    gold = gold_fr[FOUNDING]
    spans = boilerplate_spans(gold)
    assert len(spans) == 3
    article = next(a for a in gold_fr_results if a.document.id == FOUNDING)
    assert article.statements
    for s in article.statements:
        for start, end, line in spans:
            for part in (s, s.mention, s.cue):
                if part is not None:
                    assert part.end <= start or part.start >= end, (line, part.text)


def test_founding_article_scores_perfectly(gold_fr: dict, gold_fr_results: list) -> None:
    """The project's first user story: six statements, all found, all with the right speaker."""
    article = next(a for a in gold_fr_results if a.document.id == FOUNDING)
    result = score({FOUNDING: gold_fr[FOUNDING]}, {FOUNDING: [statement_dict(s) for s in article.statements]})
    assert result.detection["tp"] == 6
    assert result.end_to_end["f1"] == 1.0, "\n".join(result.details)


@pytest.mark.parametrize("mention, cue, speaker", [
    ("le porte-parole du président russe Dmitri Peskov", "a déclaré", "Dmitri Peskov"),
    ("Il", "a noté", "Dmitri Peskov"),
    ("le représentant du Kremlin", "a déclaré", "Dmitri Peskov"),
    ("le président", "a souligné", "Vladimir Poutine"),
    ("Il", "a précisé", "Vladimir Poutine"),
])
def test_founding_article_mentions_resolve_to_names(gold_fr_results: list, mention: str, cue: str, speaker: str) -> None:
    article = next(a for a in gold_fr_results if a.document.id == FOUNDING)
    found = [s.speaker for s in article.statements
             if s.mention and s.mention.text == mention and s.cue and s.cue.text == cue and s.nested_in is None]
    assert found == [speaker], (mention, cue, found)


@pytest.mark.parametrize("mention, speaker", [
    ("M. Poutine", "Vladimir Poutine"),
    ("le président des États-Unis", "Joe Biden"),    # not « le président » russe: the places differ
])
def test_founding_article_reports_inside_the_quote_are_nested(gold_fr_results: list, mention: str, speaker: str) -> None:
    article = next(a for a in gold_fr_results if a.document.id == FOUNDING)
    found = [s for s in article.statements if s.mention and s.mention.text == mention]
    assert len(found) == 1 and found[0].speaker == speaker
    outer = article.statements[found[0].nested_in]
    assert outer.kind == "direct" and outer.speaker == "Dmitri Peskov"
