"""Date, time and duration expressions resolved against the publication date
(porteparole.analyse.dates), French and English: each case gives a text and every
expression expected in it, in order, with its kind and resolution; offsets are checked on all."""
from __future__ import annotations

import datetime
import time

import pytest

from porteparole.analyse.dates import TimeExpr, find_times, parse_published

D = datetime.date
FRI = D(2021, 12, 10)      # Friday 10 December 2021, the founding article's week


def _check(text: str, lang: str, anchor, expected: list[tuple]) -> None:
    found = find_times(text, lang, anchor)
    got = [(t.text, t.kind, t.first, t.last, t.minutes) for t in found]
    want = [(e + (None,) * (5 - len(e))) if len(e) < 5 else e for e in expected]
    assert got == want, got
    pos = 0
    for t, e in zip(found, expected):
        assert text[t.start:t.end] == t.text
        assert t.start == text.index(e[0], pos)
        pos = t.end


FR = [
    ("Il sera reçu le 7 décembre.", FRI, [("le 7 décembre", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Signé le 7 décembre 2021 à Paris.", None, [("le 7 décembre 2021", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Il a parlé mardi 7 décembre.", FRI, [("mardi 7 décembre", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Le sommet du 1er janvier.", FRI, [("du 1er janvier", "date", D(2022, 1, 1), D(2022, 1, 1))]),
    ("Le vote aura lieu le 15 janvier.", FRI, [("le 15 janvier", "date", D(2022, 1, 15), D(2022, 1, 15))]),
    ("Publié le 2021-12-07.", None, [("2021-12-07", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Le scrutin du 07/12/2021.", None, [("07/12/2021", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("La réforme sera présentée en janvier.", FRI, [("en janvier", "interval", D(2022, 1, 1), D(2022, 1, 31))]),
    ("Elle avait été annoncée en octobre.", FRI, [("en octobre", "interval", D(2021, 10, 1), D(2021, 10, 31))]),
    ("Il a rencontré vendredi le ministre.", FRI, [("vendredi", "date", FRI, FRI)]),
    ("Il a parlé mardi aux journalistes.", FRI, [("mardi", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Ils se verront lundi.", FRI, [("lundi", "date", D(2021, 12, 13), D(2021, 12, 13))]),
    ("Il viendra mardi prochain.", FRI, [("mardi prochain", "date", D(2021, 12, 14), D(2021, 12, 14))]),
    ("Il est venu mardi dernier.", FRI, [("mardi dernier", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Aujourd'hui, hier, avant-hier, demain et après-demain.", FRI, [
        ("Aujourd'hui", "date", FRI, FRI), ("hier", "date", D(2021, 12, 9), D(2021, 12, 9)),
        ("avant-hier", "date", D(2021, 12, 8), D(2021, 12, 8)), ("demain", "date", D(2021, 12, 11), D(2021, 12, 11)),
        ("après-demain", "date", D(2021, 12, 12), D(2021, 12, 12))]),
    ("Nous le transmettrons au cours de la semaine.", FRI,
     [("au cours de la semaine", "interval", FRI, D(2021, 12, 12))]),
    ("Il sera publié dans la semaine.", FRI, [("dans la semaine", "interval", FRI, D(2021, 12, 12))]),
    ("Réponse d'ici la fin de la semaine.", FRI, [("d'ici la fin de la semaine", "interval", FRI, D(2021, 12, 12))]),
    ("Il l'a dit cette semaine.", FRI, [("cette semaine", "interval", D(2021, 12, 6), D(2021, 12, 12))]),
    ("Les négociations auront lieu la semaine prochaine.", FRI,
     [("la semaine prochaine", "interval", D(2021, 12, 13), D(2021, 12, 19))]),
    ("Il l'avait reçu la semaine dernière.", FRI, [("la semaine dernière", "interval", D(2021, 11, 29), D(2021, 12, 5))]),
    ("Les chiffres de ce mois-ci et du mois prochain.", FRI, [
        ("ce mois-ci", "interval", D(2021, 12, 1), D(2021, 12, 31)),
        ("mois prochain", "interval", D(2022, 1, 1), D(2022, 1, 31))]),
    ("Le texte sera voté d'ici la fin de l'année.", FRI,
     [("d'ici la fin de l'année", "interval", FRI, D(2021, 12, 31))]),
    ("Les élections de l'an prochain, en 2022.", FRI, [
        ("l'an prochain", "interval", D(2022, 1, 1), D(2022, 12, 31)),
        ("en 2022", "interval", D(2022, 1, 1), D(2022, 12, 31))]),
    ("Une décision dans deux semaines, puis dans trois jours.", FRI, [
        ("dans deux semaines", "interval", FRI, D(2021, 12, 24)),
        ("dans trois jours", "interval", FRI, D(2021, 12, 13))]),
    ("Un accord d'ici à mars.", FRI, [("d'ici à mars", "interval", FRI, D(2022, 3, 31))]),
    ("Il faut répondre avant le 15 janvier.", FRI, [("avant le 15 janvier", "interval", FRI, D(2022, 1, 14))]),
    ("La réunion commencera à 15 heures.", FRI, [("à 15 heures", "time", None, None)]),
    ("Rendez-vous mardi à 15h30.", FRI, [
        ("mardi", "date", D(2021, 12, 7), D(2021, 12, 7)), ("à 15h30", "time", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Ils ont parlé deux heures, puis pendant trois jours.", FRI, [
        ("deux heures", "duration", None, None, 120), ("pendant trois jours", "duration", None, None, 3 * 1440)]),
    ("L'entretien a duré une heure et demie.", FRI, [("une heure et demie", "duration", None, None, 90)]),
    ("L'attaque a eu lieu il y a trois jours.", FRI, [("il y a trois jours", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Le festival du 7 au 9 décembre.", FRI, [("du 7 au 9 décembre", "interval", D(2021, 12, 7), D(2021, 12, 9))]),
    # year boundaries
    ("La réforme sera présentée en janvier.", D(2021, 12, 30), [("en janvier", "interval", D(2022, 1, 1), D(2022, 1, 31))]),
    ("Il l'avait annoncé en décembre.", D(2022, 1, 5), [("en décembre", "interval", D(2021, 12, 1), D(2021, 12, 31))]),
    ("Il sera reçu la semaine prochaine.", D(2021, 12, 30),
     [("la semaine prochaine", "interval", D(2022, 1, 3), D(2022, 1, 9))]),
]

EN = [
    ("The talks open on December 7.", FRI, [("on December 7", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Signed Dec. 7, 2021, in Geneva.", None, [("Dec. 7, 2021", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("It was signed on 7 December 2021.", None, [("on 7 December 2021", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Talks on Tuesday, December 7 ended.", FRI, [("on Tuesday, December 7", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("The vote is on January 15th.", FRI, [("on January 15th", "date", D(2022, 1, 15), D(2022, 1, 15))]),
    ("Published 2021-12-07.", None, [("2021-12-07", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("The plan will be unveiled in March.", FRI, [("in March", "interval", D(2022, 3, 1), D(2022, 3, 31))]),
    ("Sales fell in March 2021.", FRI, [("in March 2021", "interval", D(2021, 3, 1), D(2021, 3, 31))]),
    ("He said on Tuesday that the document was ready.", FRI, [("on Tuesday", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("They meet next Tuesday after last Friday's talks.", FRI, [
        ("next Tuesday", "date", D(2021, 12, 14), D(2021, 12, 14)), ("last Friday", "date", D(2021, 12, 3), D(2021, 12, 3))]),
    ("Today, yesterday and tomorrow.", FRI, [
        ("Today", "date", FRI, FRI), ("yesterday", "date", D(2021, 12, 9), D(2021, 12, 9)),
        ("tomorrow", "date", D(2021, 12, 11), D(2021, 12, 11))]),
    ("It will be handed over within the week.", FRI, [("within the week", "interval", FRI, D(2021, 12, 12))]),
    ("A reply by the end of the week.", FRI, [("by the end of the week", "interval", FRI, D(2021, 12, 12))]),
    ("Talks this week and next week, after last week.", FRI, [
        ("this week", "interval", D(2021, 12, 6), D(2021, 12, 12)),
        ("next week", "interval", D(2021, 12, 13), D(2021, 12, 19)),
        ("last week", "interval", D(2021, 11, 29), D(2021, 12, 5))]),
    ("Prices rise next month and next year.", FRI, [
        ("next month", "interval", D(2022, 1, 1), D(2022, 1, 31)), ("next year", "interval", D(2022, 1, 1), D(2022, 12, 31))]),
    ("A law by the end of the year, elections in 2022.", FRI, [
        ("by the end of the year", "interval", FRI, D(2021, 12, 31)), ("in 2022", "interval", D(2022, 1, 1), D(2022, 12, 31))]),
    ("A decision in two weeks, payment within 30 days.", FRI, [
        ("in two weeks", "interval", FRI, D(2021, 12, 24)), ("within 30 days", "interval", FRI, D(2022, 1, 9))]),
    ("A deal by March, a reply before January 15.", FRI, [
        ("by March", "interval", FRI, D(2022, 3, 31)), ("before January 15", "interval", FRI, D(2022, 1, 14))]),
    ("The meeting starts at 3 p.m. on Monday.", FRI, [
        ("at 3 p.m.", "time", None, None), ("on Monday", "date", D(2021, 12, 13), D(2021, 12, 13))]),
    ("He spoke for two hours, then 90 minutes more.", FRI, [
        ("for two hours", "duration", None, None, 120), ("90 minutes", "duration", None, None, 90)]),
    ("The siege lasted for three days.", FRI, [("for three days", "duration", None, None, 3 * 1440)]),
    ("The attack came three days ago.", FRI, [("three days ago", "date", D(2021, 12, 7), D(2021, 12, 7))]),
    ("Talks resume next week.", D(2021, 12, 30), [("next week", "interval", D(2022, 1, 3), D(2022, 1, 9))]),
    ("The plan will be unveiled in January.", FRI, [("in January", "interval", D(2022, 1, 1), D(2022, 1, 31))]),
]


@pytest.mark.parametrize("text, anchor, expected", FR, ids=[c[0][:40] for c in FR])
def test_french(text, anchor, expected) -> None:
    _check(text, "fr", anchor, expected)


@pytest.mark.parametrize("text, anchor, expected", EN, ids=[c[0][:40] for c in EN])
def test_english(text, anchor, expected) -> None:
    _check(text, "en", anchor, expected)


@pytest.mark.parametrize("lang, text", [
    ("fr", "Les 7 membres du conseil ont voté."),
    ("fr", "Il a marqué le 7 à la 30e minute."),
    ("en", "It may rain, and they may march on Sunday"[:32]),
    ("en", "The 7 members voted."),
    ("en", "Protesters will march to the capital."),
])
def test_not_dates(lang, text) -> None:
    assert find_times(text, lang, FRI) == []


def test_without_anchor_relative_expressions_are_found_unresolved() -> None:
    text = "Hier, il a dit qu'il viendrait la semaine prochaine, le 7 décembre 2021, pendant deux heures."
    got = find_times(text, "fr", None)
    assert [(t.text, t.kind, t.first, t.last, t.minutes) for t in got] == [
        ("Hier", "date", None, None, None),
        ("la semaine prochaine", "interval", None, None, None),
        ("le 7 décembre 2021", "date", D(2021, 12, 7), D(2021, 12, 7), None),
        ("pendant deux heures", "duration", None, None, 120)]
    assert all(text[t.start:t.end] == t.text for t in got)
    assert [t.first for t in find_times("Yesterday and next week, in March.", "en", None)] == [None, None, None]


def test_start_and_end_limit_the_search_and_offsets_stay_in_the_text() -> None:
    text = "Hier. Demain, il partira. Lundi."
    got = find_times(text, "fr", FRI, start=6, end=25)
    assert [(t.start, t.end, t.text) for t in got] == [(6, 12, "Demain")]
    assert isinstance(got[0], TimeExpr)


@pytest.mark.parametrize("value, day", [
    ("2021-12-10", D(2021, 12, 10)),
    ("2021-12-10T08:00:00Z", D(2021, 12, 10)),
    ("2021-12-10T23:30:00-05:00", D(2021, 12, 10)),
    ("Fri, 10 Dec 2021 08:00:00 +0000", D(2021, 12, 10)),
    ("Fri, 10 Dec 2021 08:00:00 GMT", D(2021, 12, 10)),
    (None, None), ("", None), ("not a date", None), ("2021-13-45", None),
])
def test_parse_published(value, day) -> None:
    assert parse_published(value) == day


def test_fast_enough_for_every_sentence() -> None:
    sentence = ("Le porte-parole a déclaré mardi que le document serait transmis au cours de la semaine "
                "aux interlocuteurs américains, et que les 7 membres se réuniraient le 15 janvier.")
    find_times(sentence, "fr", FRI)
    t0 = time.perf_counter()
    for _ in range(1000):
        find_times(sentence, "fr", FRI)
    assert time.perf_counter() - t0 < 2.0
