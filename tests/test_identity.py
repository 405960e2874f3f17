"""Speakers as people across the record (porteparole.identity through the store), on SQLite and
PostgreSQL: cross-language and transliterated names, descriptions resolved by post and date,
what must never merge, and editors' merge / split / rename surviving re-ingest and rebuild."""
from __future__ import annotations

from typing import Optional

import pytest

from porteparole.cli import cli
from porteparole.models import Article, Document, Span, Statement
from porteparole.store import QuoteFilter, Store


def article(doc_id: str, said: list[tuple[str, str, Optional[str]]], published: str, lang: str = "fr",
            stype: str = "person") -> Article:
    """An article of statements ``(words, speaker, mention)`` (the mention as the article words it), made by hand."""
    parts, statements, pos = [f"Dépêche {doc_id}. "], [], len(f"Dépêche {doc_id}. ")
    for words, speaker, mention in said:
        who = mention or speaker
        sentence = f"« {words} », a déclaré {who}. "
        m_start = pos + len(f"« {words} », a déclaré ")
        statements.append(Statement(start=pos + 2, end=pos + 2 + len(words), text=words, kind="direct", speaker=speaker,
                                    speaker_type=stype, mention=Span(m_start, m_start + len(who), who)))
        parts.append(sentence)
        pos += len(sentence)
    text = "".join(parts)
    doc = Document(id=doc_id, text=text, url=f"https://exemple.org/{doc_id}", source="exemple.org", published=published,
                   lang=lang)
    return Article(document=doc, title=None, blocks=(), statements=tuple(statements), lang=lang)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    target = str(tmp_path / "id.db") if request.param == "sqlite" else request.getfixturevalue("pg_database")("identity")
    with Store.open(target) as s:
        yield s


def speaker_of(store: Store, words: str) -> int:
    return next(s.speaker_id for s in store.quotes(limit=None) if s.text == words)


def test_one_person_across_languages_and_spellings(store):
    store.add_article(article("p1", [("Nous préparerons ce document", "Vladimir Poutine", "le président russe Vladimir Poutine"),
                                     ("Le document est en préparation", "Dmitri Peskov", "le porte-parole du Kremlin Dmitri Peskov")],
                              "2021-12-10"))
    store.add_article(article("p2", [("We will send the document this week", "Vladimir Putin", "Russian President Vladimir Putin"),
                                     ("The talks went well", "Dmitry Peskov", "Kremlin spokesman Dmitry Peskov")],
                              "2021-12-12", lang="en"))
    store.add_article(article("p3", [("Nothing has changed", "Putin", "Putin")], "2021-12-14", lang="en"))
    putin = speaker_of(store, "Nous préparerons ce document")
    assert speaker_of(store, "We will send the document this week") == putin == speaker_of(store, "Nothing has changed")
    peskov = speaker_of(store, "Le document est en préparation")
    assert speaker_of(store, "The talks went well") == peskov != putin
    info = store.speaker_info(putin)
    assert {"Vladimir Poutine", "Vladimir Putin", "Putin"} <= set(info.aliases)
    assert any("président russe" in role for role, *_ in info.roles)
    # any alias finds the person, in every language
    for name in ("Putin", "Poutine", "poutine", "Vladimir Putin"):
        assert {s.speaker_id for s in store.quotes(QuoteFilter(speaker=name), limit=None)} == {putin}, name
    rows = {r.id: r for r in store.speakers(top=None)}
    assert rows[putin].statements == 3 and rows[peskov].statements == 2


def test_descriptions_resolve_by_post_and_date_never_across_articles(store):
    store.add_article(article("d0", [("Le document est prêt", "Dmitri Peskov", "Dmitri Peskov")], "2021-12-09"))
    store.add_article(article("d1", [("Le sommet aura lieu", "porte-parole du Kremlin", "le porte-parole du Kremlin")],
                              "2021-12-10", stype="unknown"))
    store.add_article(article("d2", [("La réforme sera votée", "président", "le président")], "2021-12-10", stype="unknown"))
    store.add_article(article("d3", [("We will rebuild", "président", "le président")], "2021-12-11", stype="unknown"))
    assert speaker_of(store, "Le sommet aura lieu") == speaker_of(store, "Le document est prêt")
    assert speaker_of(store, "La réforme sera votée") != speaker_of(store, "We will rebuild")     # two articles, two presidents


@pytest.mark.parametrize("names, merged", [
    (["Marine Le Pen", "Jean-Marie Le Pen"], False),          # different first names: different people
    (["Bill Clinton", "Hillary Clinton"], False),
    (["Jean-Luc Mélenchon", "Jean Luc Melenchon"], True),     # accents and hyphens
    (["Volodymyr Zelensky", "Volodymyr Zelenskyy"], True),    # transliterations
    (["Emmanuel Macron", "M. Macron"], True),                 # a title and the surname
])
def test_names_that_merge_and_names_that_never_do(store, names, merged):
    for i, name in enumerate(names):
        store.add_article(article(f"n{i}", [(f"Déclaration numéro {i}", name, name)], f"2022-03-0{i + 1}"))
    ids = {speaker_of(store, f"Déclaration numéro {i}") for i in range(len(names))}
    assert (len(ids) == 1) is merged


def test_a_bare_surname_shared_by_two_people_is_not_merged(store):
    store.add_article(article("s1", [("Premier propos", "Marine Le Pen", "Marine Le Pen")], "2022-03-01"))
    store.add_article(article("s2", [("Deuxième propos", "Jean-Marie Le Pen", "Jean-Marie Le Pen")], "2022-03-02"))
    store.add_article(article("s3", [("Troisième propos", "Le Pen", "Le Pen")], "2022-03-03"))
    third = speaker_of(store, "Troisième propos")
    assert third not in {speaker_of(store, "Premier propos"), speaker_of(store, "Deuxième propos")}


def test_editors_fixes_survive_reingest_and_rebuild(store, tmp_path):
    a1 = article("e1", [("Premier propos", "Jean Dupont", "Jean Dupont")], "2022-01-01")
    a2 = article("e2", [("Deuxième propos", "J. Dupond", "J. Dupond")], "2022-01-02")
    a3 = article("e3", [("Troisième propos", "Paul Durand", "Paul Durand"), ("Quatrième propos", "Paul", "Paul")], "2022-01-03")
    for a in (a1, a2, a3):
        store.add_article(a)
    dupont, dupond = speaker_of(store, "Premier propos"), speaker_of(store, "Deuxième propos")
    assert dupont != dupond
    store.merge_speakers(dupont, dupond)
    durand = speaker_of(store, "Troisième propos")
    assert speaker_of(store, "Quatrième propos") == durand
    paul = store.split_speaker(durand, "Paul")
    store.rename_speaker(dupont, "Jean Dupont (maire)")
    for a in (a1, a2, a3):                                  # re-ingest: the fixes hold
        store.add_article(a, force=True)
    assert speaker_of(store, "Deuxième propos") == speaker_of(store, "Premier propos") == dupont
    assert speaker_of(store, "Quatrième propos") == paul != speaker_of(store, "Troisième propos")
    assert store.speaker_info(dupont).name == "Jean Dupont (maire)"
    store.rebuild_speakers()                                # and so does a rebuild
    assert speaker_of(store, "Deuxième propos") == speaker_of(store, "Premier propos") == dupont
    assert speaker_of(store, "Quatrième propos") == paul
    assert store.speaker_info(dupont).name == "Jean Dupont (maire)"


def test_speakers_cli_merge_split_rename(tmp_path, runner):
    db = str(tmp_path / "cli.db")
    with Store.open(db) as store:
        store.add_article(article("c1", [("Premier propos", "Jean Dupont", "Jean Dupont")], "2022-01-01"))
        store.add_article(article("c2", [("Deuxième propos", "J. Dupond", "J. Dupond")], "2022-01-02"))
    r = runner.invoke(cli, ["speakers", "merge", "Jean Dupont", "J. Dupond", "--db", db])
    assert r.exit_code == 0 and "J. Dupond" in r.stdout
    r = runner.invoke(cli, ["speakers", "show", "jean dupont", "--db", db])
    assert r.exit_code == 0 and "aliases: J. Dupond; Jean Dupont" in r.stdout
    r = runner.invoke(cli, ["speakers", "split", "Jean Dupont", "J. Dupond", "--db", db])
    assert r.exit_code == 0 and "split: #" in r.stdout
    r = runner.invoke(cli, ["speakers", "rename", "J. Dupond", "Jacques Dupond", "--db", db])
    assert r.exit_code == 0
    r = runner.invoke(cli, ["speakers", "--db", db, "--format", "jsonl"])
    assert r.exit_code == 0 and "Jacques Dupond" in r.stdout
    r = runner.invoke(cli, ["speakers", "merge", "Nobody Here", "1", "--db", db])
    assert r.exit_code == 2 and "no speaker is called 'Nobody Here'" in r.stderr
