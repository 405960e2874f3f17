"""porteparole.people: is this speaker mention the same real speaker as that one?

Cases are written for these tests (general rules, French and English), not copied from
tests/data/alias_pairs.jsonl; the last test runs the alias-pair benchmark as a quality floor.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from porteparole.errors import PorteparoleError
from porteparole.people import (AliasFileError, AliasTable, Decision, Mention, decide, guess_type, normalise,
                                same_person, transliterations)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import aliases as bench  # noqa: E402

PRECISION_FLOOR = 0.98
RECALL_FLOOR = 0.90          # reached 0.902 on the 338 pairs (the goal of issue 6); only moves up


@pytest.fixture(scope="session")
def table() -> AliasTable:
    return AliasTable.load()


@pytest.mark.parametrize("name, lang, expected", [
    ("M. Jean-Pierre Dupont", "fr", "jean pierre dupont"),
    ("Mme Ségolène Martin", "fr", "segolene martin"),
    ("Dr. Anne O’Neil", "en", "anne o neil"),
    ("Mr. John SMITH", "en", "john smith"),
    ("l’Otan", "fr", "otan"),
    ("The Guardian", "en", "guardian"),
    ("Élodie  Lefèvre", "fr", "elodie lefevre"),
    ("Sir Keir Starmer", "en", "keir starmer"),
])
def test_normalise(name: str, lang: str, expected: str) -> None:
    assert normalise(name, lang) == expected


@pytest.mark.parametrize("a, b", [
    ("Dmitri", "Dmitry"), ("Dimitri", "Dmitry"), ("Zelensky", "Zelenskyy"), ("Zelenskiy", "Zelenski"),
    ("Navalnyï", "Navalny"), ("Poutine", "Putin"), ("Tchaïkovski", "Tchaikovsky"), ("Gorbatchev", "Gorbachev"),
    ("Khrouchtchev", "Khrushchev"), ("Soljenitsyne", "Solzhenitsyn"), ("Alexeï", "Alexey"), ("Sergueï", "Sergei"),
])
def test_transliteration_variants_meet(a: str, b: str) -> None:
    assert transliterations(a) & transliterations(b)


@pytest.mark.parametrize("a, b", [("Ivanov", "Ivanova"), ("Petrov", "Popov"), ("Martin", "Marton"), ("Kim", "Kam")])
def test_different_names_do_not_meet(a: str, b: str) -> None:
    assert not transliterations(a) & transliterations(b)


def m(name: str, lang: str = "fr", role: str | None = None, org: str | None = None, date: str | None = "2019-03-01",
      type: str = "person") -> Mention:
    return Mention(name, lang, role, org, date, type)


SAME = [
    # spelling, accents, hyphens, titles
    (m("Élodie Lefèvre"), m("Elodie Lefevre", date="2019-05-02")),
    (m("Jean-Pierre Raffarin"), m("Jean Pierre Raffarin")),
    (m("Mme Ségolène Royal"), m("Ségolène Royal", role="ancienne ministre")),
    (m("Senator Elizabeth Warren", "en"), m("Elizabeth Warren", "en", role="senator")),
    # transliteration across languages
    (m("Sergueï Choïgou", role="ministre russe de la Défense"), m("Sergei Shoigu", "en", role="Russian Defence Minister")),
    (m("Mikhaïl Gorbatchev"), m("Mikhail Gorbachev", "en")),
    # surname alone, nothing contradicts
    (m("Lefèvre", date="2019-03-02"), m("Élodie Lefèvre")),
    (m("M. Raffarin"), m("Jean-Pierre Raffarin")),
    # alias table: organisations and well-known people across languages
    (m("Nations unies", type="organisation"), m("UN", "en", type="organisation")),
    (m("l'OMS", type="organisation"), m("World Health Organization", "en", type="organisation")),
    (m("Alliance atlantique", type="organisation"), m("NATO", "en", type="organisation")),
    (m("Poutine"), m("Vladimir Putin", "en")),
    # acronym of the name itself
    (m("Agence France-Presse", type="organisation"), m("AFP", type="organisation")),
    # description resolved by role + date
    (m("porte-parole du Kremlin", date="2019-03-01"), m("Dmitry Peskov", "en")),
    (m("Premier ministre", role="Premier ministre", org="France", date="2019-03-01"), m("Édouard Philippe")),
    (m("British Prime Minister", "en", date="2017-01-10"), m("Theresa May")),
]

# an acronym and its expansion, when the long name was only guessed to be a person's (no first name, no title)
ACRONYMS = [
    ("SPD", "Sozialdemokratische Partei Deutschlands", True),
    ("PiS", "Prawo i Sprawiedliwość", True),
    ("ANC", "Alan Newton Carter", False),            # a first name: a person, not the acronym's organisation
    ("KJ", "Karl Johnson", False),
]


@pytest.mark.parametrize("short, long, same", ACRONYMS)
def test_acronym_and_guessed_person(short: str, long: str, same: bool, table: AliasTable) -> None:
    a = m(short, type=guess_type(short))
    b = m(long, type=guess_type(long))
    assert decide(a, b, table).same is same


DIFFERENT = [
    # two first names
    (m("Jean Dupont"), m("Pierre Dupont")),
    (m("Élodie Lefèvre"), m("Marc Lefèvre")),
    # a bare surname with a conflicting gender
    (m("Mme Lefèvre"), m("Marc Lefèvre")),
    # a surname shared by well-known relatives needs a confirming role
    (m("Kennedy", "en", date="1990-01-01"), m("John F. Kennedy", "en", date="1962-01-01")),
    # relatives, joint speakers, organisations
    (m("mère de Jean Dupont"), m("Jean Dupont")),
    (m("Jean Dupont's brother", "en"), m("Jean Dupont", "en")),
    (m("Jean Dupont et Marie Curie"), m("Jean Dupont")),
    # something of a person's is not the person (team, lawyer, quotation)
    (m("équipe de François Fillon"), m("François Fillon")),
    (m("avocat de Jean Dupont"), m("Jean Dupont")),
    (m("lawyer of Vladimir Putin", "en"), m("Vladimir Putin", "en")),
    (m("ministère de la Santé", type="organisation"), m("Agnès Buzyn", role="ministre de la Santé")),
    (m("Kremlin", type="organisation"), m("Dmitri Peskov")),
    # « le président » across countries and dates
    (m("président", role="président", org="Russie", date="2019-03-01"),
     m("président", role="président", org="France", date="2019-03-01")),
    (m("président américain", date="2015-01-01"), m("président américain", date="2018-01-01")),
    (m("président français", date="2016-01-01"), m("Emmanuel Macron")),
    # an unnamed description the table does not know is never resolved
    (m("porte-parole de la mairie"), m("Jean Dupont", role="porte-parole de la mairie")),
    # different organisations
    (m("Union européenne", type="organisation"), m("Union africaine", type="organisation")),
    (m("Commission européenne", type="organisation"), m("UE", type="organisation")),
]


@pytest.mark.parametrize("a, b", SAME, ids=[f"{a.name}~{b.name}" for a, b in SAME])
def test_same(a: Mention, b: Mention, table: AliasTable) -> None:
    d = decide(a, b, table)
    assert d.same, d.reason
    assert decide(b, a, table).same, "the decision must not depend on the order"


@pytest.mark.parametrize("a, b", DIFFERENT, ids=[f"{a.name}~{b.name}" for a, b in DIFFERENT])
def test_different(a: Mention, b: Mention, table: AliasTable) -> None:
    d = decide(a, b, table)
    assert not d.same, d.reason
    assert not same_person(b, a, table)


def test_decision_explains_itself(table: AliasTable) -> None:
    d = decide(m("Jean Dupont"), m("Pierre Dupont"), table)
    assert isinstance(d, Decision) and d.rule and d.reason and 0.0 <= d.score <= 1.0
    assert not bool(d)


@pytest.mark.parametrize("name, expected", [
    ("ministère de l'Intérieur", "organisation"), ("NASA", "organisation"), ("Jean Dupont et Marie Curie", "group"),
    ("Jean Dupont", "person"), ("porte-parole du Kremlin", "person"), ("scientists", "group"), ("OTAN", "organisation"),
])
def test_guess_type(name: str, expected: str, table: AliasTable) -> None:
    assert guess_type(name, None, table) == expected


def test_alias_table_knows_names_across_languages(table: AliasTable) -> None:
    assert table.canonical("OTAN") == table.canonical("NATO") == table.canonical("Otan")
    assert table.canonical("Nations unies") == table.canonical("UN")
    assert table.canonical("Vladimir Poutine") == table.canonical("Putin")
    assert table.canonical("Jean Dupont") is None


def test_user_extension(tmp_path: Path) -> None:
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({
        "entities": [{"canonical": "Syndicat des Rédacteurs", "type": "organisation", "aliases": ["SDR"]},
                     {"canonical": "NATO", "aliases": ["Organisation du Traité"]}],
        "roles": [{"role": ["maire de Trifouilly"], "holder": "Jeanne Martin", "from": "2020-01-01", "to": None}],
    }), encoding="utf-8")
    table = AliasTable.load([extra])
    assert table.canonical("SDR") == "Syndicat des Rédacteurs"
    assert table.canonical("Organisation du Traité") == table.canonical("OTAN") == "NATO"
    assert same_person(m("maire de Trifouilly", date="2021-06-01"), m("Jeanne Martin"), table)
    assert not same_person(m("maire de Trifouilly", date="2019-06-01"), m("Jeanne Martin"), table)
    assert AliasTable.load().canonical("SDR") is None     # the shipped table is not changed


@pytest.mark.parametrize("content, words", [
    ("{not json", "not valid JSON"),
    ("[]", "top level"),
    ('{"people": []}', "unknown key"),
    ('{"entities": [{"aliases": ["x"]}]}', "canonical"),
    ('{"entities": [{"canonical": "X", "aliases": "Y"}]}', "list of strings"),
    ('{"roles": [{"role": ["maire"], "holder": "X", "from": "hier"}]}', "YYYY-MM-DD"),
    ('{"roles": [{"role": "maire", "holder": "X"}]}', "non-empty list"),
    ('{"roles": [{"role": ["maire"], "holder": "X", "country": "Atlantis"}]}', "unknown country"),
])
def test_bad_extra_file_is_a_clear_error(tmp_path: Path, content: str, words: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(AliasFileError) as info:
        AliasTable.load([bad])
    assert isinstance(info.value, PorteparoleError)
    assert words in str(info.value) and "bad.json" in str(info.value)


def test_missing_extra_file(tmp_path: Path) -> None:
    with pytest.raises(AliasFileError, match="cannot be read"):
        AliasTable.load([tmp_path / "nope.json"])


def test_benchmark_quality_floor(table: AliasTable) -> None:
    scores = bench.benchmark(aliases=table)
    overall = scores["all"]
    assert overall.precision >= PRECISION_FLOOR, overall.line("all")
    assert overall.recall >= RECALL_FLOOR, overall.line("all")
