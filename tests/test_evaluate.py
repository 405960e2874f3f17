"""`porteparole evaluate` against the reference scorer (tests/data/score.py), line for line."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from porteparole.cli import cli
from porteparole.evaluate import norm, speaker_ok
from porteparole.models import Article
from porteparole.output import article_dict

DATA = Path(__file__).parent / "data"
GOLD = DATA / "gold" / "fr"
REFERENCE = DATA / "score.py"
FOUNDING = "fr-0000-kremlin-garanties"


def _reference_module():
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = _reference_module()


def reference_output(pred: Path, flags: list[str]) -> str:
    """What the reference scorer prints for these predictions."""
    proc = subprocess.run([sys.executable, str(REFERENCE), str(GOLD), str(pred), *flags],
                          capture_output=True, text=True, encoding="utf-8", check=True)
    return proc.stdout


def gold_start(article: dict, n: int) -> tuple[int, int]:
    g = article["statements"][n]
    start = g["start"] if "start" in g else article["text"].find(g["span"])
    return start, start + len(g["span"])


def pred(start: int, end: int, speaker: str | None, kind: str = "direct") -> dict:
    return {"start": start, "end": end, "speaker": speaker, "kind": kind}


def hand_made(gold: dict[str, dict]) -> list[dict]:
    """Predictions that hit every branch of the scorer: right and wrong speakers, spurious
    spans, an optional statement, a mixed statement matched by its quoted fragment alone,
    an empty span, a too-small overlap, an article with no gold statement, an unknown id."""
    a = gold[FOUNDING]
    text = a["text"]
    s0, e0 = gold_start(a, 0)          # indirect, Dmitri Peskov
    s2, e2 = gold_start(a, 2)          # direct, Dmitri Peskov
    s3, e3 = gold_start(a, 3)          # optional, nested
    s5, e5 = gold_start(a, 5)          # mixed, Vladimir Poutine
    frag = text.index("garanties de sécurité fiables", s5)
    title_end = text.index("\n")
    no_statements = next(k for k, v in gold.items() if not v["statements"])
    null_speaker = next((k, i) for k, v in gold.items() for i, g in enumerate(v["statements"])
                        if g["speaker"] is None and not g.get("optional"))
    ns, ne = gold_start(gold[null_speaker[0]], null_speaker[1])
    return [
        {"id": FOUNDING, "statements": [
            pred(s0, e0, "Vladimir Poutine", "indirect"),           # wrong speaker
            pred(s2, e2, "M. Peskov"),                              # right, through an alias and a title
            pred(s3, e3, "Joe Biden", "indirect"),                  # optional: counts neither way
            pred(frag, frag + len("garanties de sécurité fiables et à long terme"), "Putin", "mixed"),
            pred(0, title_end, "Kremlin"),                          # spurious: the headline
            pred(e5 + 10, e5 + 10, "Nobody"),                       # empty span: ignored
        ]},
        {"id": no_statements, "statements": [pred(0, 40, None)]},  # spurious in an article without statements
        {"id": null_speaker[0], "statements": [pred(ns, ne, "Quelqu'un", "mixed")]},  # gold has no source
        {"id": "not-in-the-gold", "statements": [pred(0, 10, "X")]},
    ]


@pytest.fixture(params=["extractor", "hand_made", "nothing"])
def predictions(request, tmp_path: Path, gold_fr: dict, gold_fr_results: list) -> Path:
    """A predictions JSONL file: the extractor's, a hand-made one, or one with no statement."""
    if request.param == "extractor":
        lines = [article_dict(a) for a in gold_fr_results if isinstance(a, Article)]
        assert len(lines) == len(gold_fr)
    elif request.param == "hand_made":
        lines = hand_made(gold_fr)
    else:
        lines = [{"id": k, "statements": []} for k in gold_fr]
    path = tmp_path / f"{request.param}.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("flags", [[], ["--details"], ["--json"]], ids=["figures", "details", "json"])
def test_evaluate_prints_what_the_reference_scorer_prints(runner: CliRunner, predictions: Path, flags: list[str]) -> None:
    result = runner.invoke(cli, ["evaluate", str(GOLD), "--predictions", str(predictions), *flags])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == reference_output(predictions, flags)


def test_hand_made_predictions_exercise_every_outcome(runner: CliRunner, tmp_path: Path, gold_fr: dict) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in hand_made(gold_fr)), encoding="utf-8")
    out = runner.invoke(cli, ["evaluate", str(GOLD), "--predictions", str(path), "--details"]).stdout
    assert "wrong speaker 'Vladimir Poutine' for 'Dmitri Peskov'" in out
    assert "wrong speaker \"Quelqu'un\" for None" in out
    assert f"{FOUNDING}: spurious 'La Russie présentera" in out
    # matched: Peskov twice (one wrong), Poutine by the quoted fragment, the null source (wrong);
    # spurious: the headline and the line in the article without statements; optional, empty
    # and unknown-id predictions count for nothing.
    assert "(tp 4 fp 2 fn 113)" in out
    assert "attribution accuracy on matched 0.500" in out


def test_evaluate_without_predictions_runs_the_extractor(runner: CliRunner, tmp_path: Path, gold_fr_results: list) -> None:
    path = tmp_path / "extractor.jsonl"
    path.write_text("".join(json.dumps(article_dict(a)) + "\n" for a in gold_fr_results), encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", str(GOLD)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == reference_output(path, [])


@pytest.mark.parametrize("content, expected", [
    (None, "cannot read the predictions file"),
    ('{"id": "a", "statements": []}\n{"id": ', "predictions line 2: invalid JSON"),
    ('{"statements": []}\n', 'predictions line 1: expected an object with an "id" field'),
    ('["a", "b"]\n', 'predictions line 1: expected an object with an "id" field'),
], ids=["missing-file", "invalid-json", "no-id", "not-an-object"])
def test_bad_predictions_file_is_one_line_and_status_2(runner: CliRunner, tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "p.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", str(GOLD), "--predictions", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("porteparole: ") and expected in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("folder, expected", [
    ("missing", "not a folder of gold .json files"),
    ("empty", "no gold .json files in this folder"),
], ids=["missing", "empty"])
def test_bad_gold_folder_is_one_line_and_status_2(runner: CliRunner, tmp_path: Path, folder: str, expected: str) -> None:
    if folder == "empty":
        (tmp_path / folder).mkdir()
    result = runner.invoke(cli, ["evaluate", str(tmp_path / folder)])
    assert result.exit_code == 2
    assert f"porteparole: {tmp_path / folder}: {expected}" in result.stderr


@pytest.mark.parametrize("name, expected", [
    ("Dmitri Peskov", "dmitri peskov"),
    ("M. Dmitri Peskov", "dmitri peskov"),
    ("Mme Élisabeth Borne", "elisabeth borne"),
    ("L'OMS", "oms"),
    ("le porte-parole de la police", "porte parole de police"),
    ("Éric Dupond-Moretti", "eric dupond moretti"),
    ("Zeid Ra'ad Zeid Al-Hussein", "zeid ra ad zeid al hussein"),
    ("", ""),
    (None, ""),
])
def test_norm(name: str | None, expected: str) -> None:
    assert norm(name) == expected
    assert ref.norm(name) == expected


PESKOV = {"speaker": "Dmitri Peskov", "aliases": ["Dmitri Peskov", "Dmitry Peskov", "Peskov"]}
OMS = {"speaker": "OMS", "aliases": ["OMS", "Organisation mondiale de la santé"]}
NOBODY = {"speaker": None}


@pytest.mark.parametrize("pred_speaker, gold, ok", [
    ("Dmitri Peskov", PESKOV, True),
    ("peskov", PESKOV, True),
    ("M. Peskov", PESKOV, True),
    ("Dmitry Peskov", PESKOV, True),
    ("Dmitri S. Peskov", PESKOV, True),          # same first and last token
    ("Dmitri", PESKOV, False),
    ("Vladimir Poutine", PESKOV, False),
    ("le porte-parole", PESKOV, False),
    (None, PESKOV, False),
    ("", PESKOV, False),
    ("l'Organisation mondiale de la Santé", OMS, True),
    (None, NOBODY, True),
    ("", NOBODY, True),
    ("Peskov", NOBODY, False),
    ("Dmitri", {"speaker": "Dmitri Peskov"}, False),  # no aliases field
])
def test_speaker_ok(pred_speaker: str | None, gold: dict, ok: bool) -> None:
    assert speaker_ok(pred_speaker, gold) is ok
    assert ref.speaker_ok(pred_speaker, gold) is ok
