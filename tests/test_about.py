"""What statements are about (porteparole.about and the store's --about filter), French and English."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from porteparole.about import about_key, find_about
from porteparole.cli import cli
from porteparole.models import Document
from porteparole.record import ingest
from porteparole.store import QuoteFilter, Store

FOUNDING = Path(__file__).parent / "data" / "gold" / "fr" / "fr-0000-kremlin-garanties.json"


@pytest.mark.parametrize("names", [
    ["NATO", "l'Otan", "OTAN", "l’Alliance de l’Atlantique Nord", "Alliance atlantique"],
    ["ONU", "UN", "les Nations unies", "United Nations"],
    ["OMS", "WHO", "l'Organisation mondiale de la santé"],
    ["Poutine", "Vladimir Poutine", "Putin", "Vladimir Putin"],
])
def test_one_key_per_entity(names):
    assert len({about_key(n) for n in names}) == 1


@pytest.mark.parametrize("text, found, not_found", [
    ("Il a dit que l'Alliance de l'Atlantique Nord devait s'élargir.", ["Alliance de l'Atlantique Nord"], []),
    ("Il y a un risque, et au fond tout le monde le sait.", [], ["un", "au"]),        # not the UN nor the African Union
    ("The WHO said who would pay was unclear.", ["WHO"], ["who"]),                    # acronyms keep their case
    ("L'OMS recommande la vaccination des enfants.", ["OMS"], []),
])
def test_alias_names_found_in_the_words(text, found, not_found):
    words = [a.text for a in find_about(text, 0, len(text), [])]
    for w in found:
        assert w in words
    for w in not_found:
        assert w not in words
    for a in find_about(text, 0, len(text), []):
        assert text[a.start:a.end] == a.text


@pytest.fixture(params=["sqlite", "postgresql"])
def founding_db(request, tmp_path, extractor) -> str:
    target = str(tmp_path / "about.db") if request.param == "sqlite" else request.getfixturevalue("pg_database")("about")
    gold = json.loads(FOUNDING.read_text(encoding="utf-8"))
    with Store.open(target) as store:
        ingest(store, [Document(id=gold["id"], text=gold["text"], title=gold.get("title"), lang="fr", source=gold["source"])],
               extractor)
    return target


def test_quotes_about_nato_finds_peskov_on_l_otan(founding_db, runner):
    with Store.open(founding_db) as store:
        rows = store.quotes(QuoteFilter(about="NATO"), limit=None)
        assert rows and all("Otan" in r.text or "Atlantique" in r.text for r in rows)
        assert "Dmitri Peskov" in {r.speaker for r in rows}
        assert store.quotes(QuoteFilter(about="l'Alliance atlantique"), limit=None) == rows
        assert store.quotes(QuoteFilter(about="Organisation mondiale de la santé"), limit=None) == []
        peskov = next(r.speaker_id for r in rows if r.speaker == "Dmitri Peskov")
        topics = store.speaker_topics(peskov)
        assert topics[0][0] == about_key("NATO")
        about = store.statement_about([r.id for r in rows])
        text = store.article(rows[0].article_id).text
        for spans in about.values():
            for start, end, words, key in spans:
                assert text[start:end] == words
    result = runner.invoke(cli, ["quotes", "--about", "NATO", "--format", "jsonl", "--db", founding_db])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(rows)


def test_addressee_is_stored(founding_db):
    with Store.open(founding_db) as store:
        rows = store.quotes(limit=None)
    to = {r.speaker: r.addressee for r in rows if r.addressee}
    assert to.get("Dmitri Peskov") == "journalistes" and to.get("Vladimir Poutine") == "Joe Biden"


def test_users_extend_the_alias_table(tmp_path, monkeypatch):
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({"entities": [{"canonical": "Assemblée nationale", "type": "organisation",
                                               "aliases": ["Palais-Bourbon", "French National Assembly"]}]}),
                     encoding="utf-8")
    assert about_key("Palais-Bourbon") != about_key("Assemblée nationale")
    monkeypatch.setenv("PORTEPAROLE_ALIASES", str(extra))
    assert about_key("Palais-Bourbon") == about_key("French National Assembly") == about_key("Assemblée nationale")
    text = "Le Palais-Bourbon votera mardi, a-t-il dit."
    assert [a.text for a in find_about(text, 0, len(text), [])] == ["Palais-Bourbon"]
    extra.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("PORTEPAROLE_ALIASES", str(extra) + "-missing")
    from porteparole.people import AliasFileError
    with pytest.raises(AliasFileError, match="cannot be read"):
        about_key("Otan")
