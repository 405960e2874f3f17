"""Commitments and meetings: extraction (French and English), the quality gate on the dev gold,
tracking in the store (open, due, kept/broken/unclear, re-ingest), ClaimReview, CLI, API and web page."""
from __future__ import annotations

import json
import warnings
from datetime import date
from pathlib import Path

import pytest

from porteparole.cli import cli
from porteparole.commitments import CommitmentError, claim_review
from porteparole.evaluate import load_gold
from porteparole.evaluate_events import score_items
from porteparole.models import Document
from porteparole.output import article_dict
from porteparole.record import ingest
from porteparole.store import Store

DATA = Path(__file__).parent / "data"
FOUNDING = DATA / "gold" / "fr" / "fr-0000-kremlin-garanties.json"
FLOORS = json.loads((DATA / "quality_floor.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text, published, words, deadline", [
    ("« Nous livrerons les chars la semaine prochaine », a déclaré le ministre Jean Dupont.", "2021-12-10",
     "Nous livrerons les chars la semaine prochaine", ("2021-12-13", "2021-12-19")),
    ("Le ministre Jean Dupont a annoncé que la France enverrait des vaccins d'ici à mars.", "2021-12-10",
     "la France enverrait des vaccins d'ici à mars", ("2021-12-10", "2022-03-31")),
    ("« Je ferai voter la loi avant l'été », a promis Jean Dupont.", "2022-01-05", "Je ferai voter la loi", None),
    ("« Nous allons rouvrir les écoles lundi prochain », a dit la maire Anne Martin.", "2021-12-10",
     "Nous allons rouvrir les écoles lundi prochain", ("2021-12-13", "2021-12-13")),
])
def test_french_commitments(extract_fr_dated, text, published, words, deadline):
    art = extract_fr_dated(text, published)
    assert len(art.commitments) == 1, [c.text for c in art.commitments]
    c = art.commitments[0]
    assert words in c.text and text[c.start:c.end] == c.text
    assert c.holder == art.statements[c.statement].speaker
    if deadline:
        assert (c.deadline.first, c.deadline.last) == deadline
        assert text[c.deadline.span.start:c.deadline.span.end] == c.deadline.span.text


@pytest.mark.parametrize("text", [
    "« Il pourrait pleuvoir demain », a déclaré le météorologue Jean Dupont.",             # a possibility
    "Selon la police, il y aurait trois blessés.",                                          # hearsay conditional
    "« Nous avons livré les chars la semaine dernière », a déclaré le ministre Jean Dupont.",  # done, not promised
])
def test_french_non_commitments(extract_fr_dated, text):
    assert extract_fr_dated(text, "2021-12-10").commitments == ()


@pytest.mark.parametrize("text, words, deadline", [
    ('"We will send the documents next week," said the minister, John Smith.', "We will send the documents next week",
     ("2021-12-13", "2021-12-19")),
    ("John Smith said the department would review the case by the end of the year.",
     "the department would review the case by the end of the year", ("2021-12-10", "2021-12-31")),
    ('"I promise we\'ll fix it," said Mayor Jane Doe.', "we'll fix it", None),
])
def test_english_commitments(extract_en_dated, text, words, deadline):
    art = extract_en_dated(text, "2021-12-10")
    assert [c.text for c in art.commitments if words in c.text], [c.text for c in art.commitments]
    c = next(c for c in art.commitments if words in c.text)
    assert text[c.start:c.end] == c.text
    if deadline:
        assert (c.deadline.first, c.deadline.last) == deadline


@pytest.mark.parametrize("text", [
    '"It could rain tomorrow," said the forecaster, John Smith.',
    '"We sent the documents last week," said the minister, John Smith.',
])
def test_english_non_commitments(extract_en_dated, text):
    assert extract_en_dated(text, "2021-12-10").commitments == ()


def test_founding_article_promise_and_meeting(extractor):
    gold = json.loads(FOUNDING.read_text(encoding="utf-8"))
    art = extractor.extract(Document(id=gold["id"], text=gold["text"], published=gold["published_for_events"]))
    promise = next(c for c in art.commitments if "transmettrons" in c.text)
    assert promise.holder == "Vladimir Poutine" and promise.recipient == "Joe Biden"
    assert promise.deadline.span.text == "au cours de la semaine"
    assert (promise.deadline.first, promise.deadline.last) == ("2021-12-10", "2021-12-12")
    meeting = art.events[0]
    assert set(meeting.participants) == {"Vladimir Poutine", "Joe Biden"}
    assert meeting.format.text == "vidéoconférence" and meeting.minutes == 120
    assert (meeting.when.first, meeting.when.span.text) == ("2021-12-07", "le 7 décembre")
    assert {t.text for t in meeting.topics} >= {"relations bilatérales", "cybersécurité", "accord nucléaire iranien"}
    for span in [meeting.format, meeting.when.span, meeting.duration, *meeting.topics]:
        assert gold["text"][span.start:span.end] == span.text
    contract = article_dict(art)
    assert contract["commitments"][0]["deadline"]["first"] == "2021-12-10" and contract["events"][0]["minutes"] == 120


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_quality_floor(lang, request):
    """Commitments and meetings on the dev gold: F1 may only go up (tests/data/quality_floor.json)."""
    from porteparole.models import Article

    gold = request.getfixturevalue(f"gold_{lang}")
    results = request.getfixturevalue(f"gold_{lang}_results")
    predicted = {a.document.id: article_dict(a) for a in results if isinstance(a, Article)}
    floor = FLOORS[lang]
    assert score_items(gold, predicted, "commitments").f1 >= floor["commitments_f1"]
    assert score_items(gold, predicted, "events").f1 >= floor["meetings_f1"]


# ---------------------------------------------------------------------- tracking
@pytest.fixture(params=["sqlite", "postgresql"])
def tracked(request, tmp_path, extractor):
    target = str(tmp_path / "t.db") if request.param == "sqlite" else request.getfixturevalue("pg_database")("tracking")
    gold = json.loads(FOUNDING.read_text(encoding="utf-8"))
    docs = [Document(id=gold["id"], text=gold["text"], published=gold["published_for_events"], lang="fr",
                     url="https://237online.com/kremlin", source="237online.com"),
            Document(id="later", text="Le Kremlin a transmis vendredi son document aux États-Unis, a déclaré Dmitri Peskov.",
                     published="2021-12-17", lang="fr", url="https://exemple.fr/later", source="exemple.fr")]
    with Store.open(target) as store:
        ingest(store, docs, extractor)
        yield store, docs


def test_commitment_status_and_marks(tracked):
    store, docs = tracked
    promise = next(c for c in store.commitments() if "transmettrons" in c.text)
    assert promise.status(date(2021, 12, 11)) == "open" and promise.status(date(2021, 12, 13)) == "due"
    assert [c.id for c in store.commitments(status="due", today=date(2021, 12, 13)) if c.id == promise.id]
    assert store.commitments(speaker="Putin")[0].holder == "Vladimir Poutine"        # any alias
    later = next(a for a in (store.article(s.article_id) for s in store.quotes(limit=None)) if a.doc_id == "later")
    marked = store.mark_commitment(promise.id, "kept", later.id, 0, "Le document a été remis le 15 décembre.")
    assert marked.status(date(2022, 1, 1)) == "kept" and marked.evidence_article == later.id
    with pytest.raises(CommitmentError, match="kept, broken or unclear"):
        store.mark_commitment(promise.id, "maybe")
    with pytest.raises(CommitmentError, match="no article"):
        store.mark_commitment(promise.id, "kept", 99999)
    store.add_article(__import__("porteparole.analyse", fromlist=["x"]).extractor("fr").extract(docs[0]), force=True)
    again = next(c for c in store.commitments() if "transmettrons" in c.text)
    assert again.mark == "kept"                                  # the verdict survives re-ingest
    review = claim_review(again, "Décodeurs", later.url)
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] == "Kept"
    assert review["itemReviewed"]["author"]["name"] == "Vladimir Poutine" and review["url"] == later.url
    event = store.events()[0]
    assert set(event.participants) == {"Vladimir Poutine", "Joe Biden"} and event.minutes == 120


def test_commitments_cli_api_and_page(tmp_path, extractor, runner):
    db = str(tmp_path / "c.db")
    gold = json.loads(FOUNDING.read_text(encoding="utf-8"))
    with Store.open(db) as store:
        ingest(store, [Document(id=gold["id"], text=gold["text"], published="2021-12-10", lang="fr",
                                source="237online.com", url="https://237online.com/k")], extractor)
    r = runner.invoke(cli, ["commitments", "--db", db, "--format", "jsonl"])
    assert r.exit_code == 0
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    promise = next(x for x in rows if "transmettrons" in x["text"])
    assert promise["status"] == "due" and promise["deadline_last"] == "2021-12-12"      # today is long after
    r = runner.invoke(cli, ["commitments", "mark", str(promise["id"]), "broken", "--note", "Pas reçu.", "--db", db])
    assert r.exit_code == 0 and "broken" in r.stdout
    r = runner.invoke(cli, ["commitments", "claimreview", "--db", db])
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["reviewRating"]["ratingValue"] == 1
    r = runner.invoke(cli, ["commitments", "mark", "999", "kept", "--db", db])
    assert r.exit_code == 2 and "no commitment with id 999" in r.stderr
    r = runner.invoke(cli, ["events", "--db", db])
    assert r.exit_code == 0 and "Vladimir Poutine; Joe Biden" in r.stdout
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from porteparole.serve.api import create_app
    client = TestClient(create_app(db, admin_token="tok"), raise_server_exceptions=False)
    api = client.get("/api/commitments", params={"status": "broken"}).json()
    assert api["count"] == 1 and api["items"][0]["status"] == "broken"
    assert client.get("/api/events").json()["items"][0]["minutes"] == 120
    page = client.get("/commitments").text
    assert "transmettrons au cours de la semaine" in page and "status-broken" in page
    article = client.get(f"/articles/{api['items'][0]['article_id']}").text
    assert "Meetings" in article and "vidéoconférence" in article


def test_terminal_view_lists_promises_and_meetings(runner):
    r = runner.invoke(cli, ["extract", "--no-color", str(Path(__file__).parent.parent / "samples" / "fr" / FOUNDING.name)])
    assert r.exit_code == 0
    assert "promise (#4) Vladimir Poutine: préparerons rapidement ce document" in r.stdout
    assert "meeting: Vladimir Poutine, Joe Biden · vidéoconférence · le 7 décembre · deux heures" in r.stdout
