"""Offsets are sacred: every span is a slice of the ORIGINAL input, whatever its typography.

The analysis text unifies no-break spaces and apostrophes, but statements, mentions and cues
must point into (and quote) the text exactly as given; boilerplate lines never hold one.
"""
from __future__ import annotations

import pytest

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"

# (id, input, text of one expected statement, boilerplate lines of the input)
CASES = [
    ("nbsp-guillemets",
     f"Le ministre était à Lyon.\n\n«{NBSP}Nous ferons mieux l’an prochain{NBSP}», a déclaré Jean Dupont.\n",
     "Nous ferons mieux l’an prochain", []),
    ("narrow-nbsp-crlf-mixed",
     f"Le ministre était à Lyon.\r\n\r\n«{NNBSP}Nous ferons mieux{NNBSP}», a déclaré Jean Dupont.\r\n"
     f"Il a ajouté que l’État «{NBSP}tiendra ses promesses{NBSP}».\r\n",
     f"l’État «{NBSP}tiendra ses promesses{NBSP}»", []),
    ("nbsp-inside-name",
     f"Selon l’économiste Thomas{NBSP}Piketty, l’impôt sur la fortune «{NBSP}n’a jamais fait fuir personne{NBSP}».",
     f"l’impôt sur la fortune «{NBSP}n’a jamais fait fuir personne{NBSP}»", []),
    ("tab-thin-space",
     f"La grève continue.\tLe syndicat a estimé{THIN}que «{NNBSP}le gouvernement doit reculer{NNBSP}».",
     "le gouvernement doit reculer", []),
    ("english-quotes-apostrophes-crlf",
     "“C’est une victoire”, a estimé l’avocat Éric Dupond-Moretti.\r\nL’audience reprendra lundi.\r\n",
     "C’est une victoire", []),
    ("crlf-indirect",
     "Le maire visite l’usine\r\n\r\nJean Dupont a déclaré que l’usine ne fermerait pas.\r\n",
     "l’usine ne fermerait pas", []),
    ("boilerplate-first-line",
     "Laisser un commentaire\n\nJean Dupont a déclaré que l’usine ne fermerait pas.\n\n"
     "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *\n\nlagazette.fr\n",
     "l’usine ne fermerait pas",
     ["Laisser un commentaire",
      "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *", "lagazette.fr"]),
    ("domain-first-line-crlf",
     "lagazette.fr\r\nLaisser un commentaire\r\n« Nous n’avons rien à cacher », a affirmé Marie Curie.\r\n"
     "Votre adresse e-mail ne sera pas publiée.\r\n",
     "Nous n’avons rien à cacher",
     ["lagazette.fr", "Laisser un commentaire", "Votre adresse e-mail ne sera pas publiée."]),
    ("quote-in-boilerplate",
     "Lire aussi : « Nous ne céderons pas », a déclaré le ministre Jean Dupont\n\nLe ministre était à Lyon mardi.\n\n"
     f"«{NBSP}Nous ferons mieux l’an prochain{NBSP}», a déclaré Jean Dupont.\n\nLaisser un commentaire\n\n"
     "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *\n\nwww.lagazette.fr\n",
     "Nous ferons mieux l’an prochain",
     ["Lire aussi : « Nous ne céderons pas », a déclaré le ministre Jean Dupont", "Laisser un commentaire",
      "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *", "www.lagazette.fr"]),
]
IDS = [c[0] for c in CASES]


def spans(statement) -> list:
    return [statement] + [p for p in (statement.mention, statement.cue) if p is not None]


@pytest.mark.parametrize("name, text, expected, boilerplate", CASES, ids=IDS)
def test_every_span_is_a_slice_of_the_original_input(extract, name, text, expected, boilerplate) -> None:
    article = extract(text)
    assert article.document.text == text
    assert article.statements, "no statement found"
    for s in article.statements:
        for part in spans(s):
            assert text[part.start:part.end] == part.text, (name, part)


@pytest.mark.parametrize("name, text, expected, boilerplate", CASES, ids=IDS)
def test_statement_text_keeps_the_original_typography(extract, name, text, expected, boilerplate) -> None:
    texts = [s.text for s in extract(text).statements]
    assert expected in texts


@pytest.mark.parametrize("name, text, expected, boilerplate",
                         [c for c in CASES if c[3]], ids=[c[0] for c in CASES if c[3]])
def test_no_statement_overlaps_a_boilerplate_line(extract, name, text, expected, boilerplate) -> None:
    article = extract(text)
    assert article.statements
    for line in boilerplate:
        start = text.index(line)
        end = start + len(line)
        assert text[end:end + 1] in ("\r", "\n", ""), "a boilerplate entry must be a whole line"
        for s in article.statements:
            for part in spans(s):
                assert part.end <= start or part.start >= end, (line, part.text)
