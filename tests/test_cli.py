"""`porteparole extract`: batches with bad files, the JSON Lines contract, stdin, exit status."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from porteparole.cli import cli

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
# Typographic copy on purpose: CRLF, no-break spaces inside « », typographic apostrophes.
GOOD_TXT = ("Le maire présente son plan pour les transports\r\n\r\n"
            "Le conseil municipal s’est réuni mardi soir.\r\n\r\n"
            "«\u00a0Nous doublerons le nombre de pistes cyclables d’ici 2026\u00a0», a déclaré Grégory Doucet.\r\n\r\n"
            "Il a ajouté que la ville «\u202fne reculera pas\u202f» face aux critiques.\r\n")
GOOD_JSON = {"id": "budget-2024", "title": "Le budget",
             "text": "Le budget\n\nLe chômage a encore baissé au troisième trimestre. "
                     "Selon Bruno Le Maire, la croissance dépassera 2 % l’an prochain.\n"}
STATEMENT_KEYS = {"start", "end", "text", "kind", "speaker", "speaker_type", "mention", "cue", "nested_in",
                  "addressee", "addressee_name"}


def write_batch(folder: Path) -> dict[str, Path]:
    files = {"good.txt": GOOD_TXT.encode(), "empty.txt": b"", "binary.txt": PNG,
             "good.json": json.dumps(GOOD_JSON, ensure_ascii=False).encode()}
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def assert_offsets(text: str, statements: list[dict]) -> None:
    """Every statement, mention and cue is the original text at its offsets."""
    for s in statements:
        assert text[s["start"]:s["end"]] == s["text"]
        for part in ("mention", "cue", "addressee"):
            if s[part] is not None:
                assert text[s[part]["start"]:s[part]["end"]] == s[part]["text"]


@pytest.mark.parametrize("fmt, good_markers", [
    ("jsonl", ['"id": "good"', '"id": "budget-2024"', '"speaker": "Grégory Doucet"', '"speaker": "Bruno Le Maire"']),
    ("text", ["good — Le maire présente son plan", "budget-2024 — Le budget", "Grégory Doucet [direct]",
              "Bruno Le Maire [indirect]"]),
])
def test_batch_with_bad_files_goes_on_and_exits_1(runner: CliRunner, tmp_path: Path, fmt: str,
                                                   good_markers: list[str]) -> None:
    p = write_batch(tmp_path)
    args = [str(p[n]) for n in ("good.txt", "empty.txt", "binary.txt", "good.json")]
    result = runner.invoke(cli, ["extract", "--format", fmt, "--no-color", *args])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"porteparole: {p['empty.txt']}: empty file: nothing to read",
        f"porteparole: {p['binary.txt']}: binary file, not text (give .txt, .html, .json or .jsonl)",
        "porteparole: 2 document(s) failed",
    ]
    for marker in good_markers:
        assert marker in result.stdout
    assert "empty" not in result.stdout and "binary" not in result.stdout


def test_jsonl_contract_and_offsets_into_the_original_input(runner: CliRunner, tmp_path: Path) -> None:
    p = write_batch(tmp_path)
    result = runner.invoke(cli, ["extract", "--format", "jsonl", str(p["good.txt"]), str(p["good.json"])])
    assert result.exit_code == 0, result.stderr
    lines = jsonl(result.stdout)
    assert [d["id"] for d in lines] == ["good", "budget-2024"]
    inputs = {"good": GOOD_TXT, "budget-2024": GOOD_JSON["text"]}
    for d in lines:
        assert {"id", "lang", "title", "statements"} <= set(d)
        assert d["lang"] == "fr"
        assert d["statements"], d["id"]
        for s in d["statements"]:
            assert set(s) == STATEMENT_KEYS
            assert s["kind"] in ("direct", "indirect", "mixed")
            assert s["speaker_type"] in ("person", "organisation", "group", "unknown")
            assert s["nested_in"] is None or isinstance(s["nested_in"], int)
            for part in ("mention", "cue", "addressee"):
                assert s[part] is None or set(s[part]) == {"start", "end", "text"}
        assert_offsets(inputs[d["id"]], d["statements"])
    assert lines[0]["title"] == "Le maire présente son plan pour les transports"
    assert lines[1]["title"] == "Le budget"
    doucet = lines[0]["statements"][0]
    assert doucet["text"] == "Nous doublerons le nombre de pistes cyclables d’ici 2026"  # ’ kept, not '
    assert (doucet["kind"], doucet["speaker"], doucet["cue"]["text"]) == ("direct", "Grégory Doucet", "a déclaré")
    assert any("\u202fne reculera pas\u202f" in s["text"] for s in lines[0]["statements"])


@pytest.mark.parametrize("stdin, doc_id, speaker", [
    ("«\u00a0Bonjour à tous\u00a0», a déclaré Jean Dupont.\r\n", "stdin", "Jean Dupont"),
    (json.dumps({"id": "from-stdin", "text": "Selon Christine Lagarde, l’inflation reculera en 2024."}),
     "from-stdin", "Christine Lagarde"),
    (json.dumps({"id": "l1", "text": "« Oui », a dit Jean Dupont."}) + "\n"
     + json.dumps({"id": "l2", "text": "Marie Leroy a affirmé que le budget était tenu."}) + "\n", "l1", "Jean Dupont"),
], ids=["text", "json", "jsonl"])
def test_reading_stdin(runner: CliRunner, stdin: str, doc_id: str, speaker: str) -> None:
    result = runner.invoke(cli, ["extract", "--format", "jsonl", "-"], input=stdin.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    first = jsonl(result.stdout)[0]
    assert first["id"] == doc_id
    assert [s["speaker"] for s in first["statements"]] == [speaker]
    text = stdin if doc_id == "stdin" else json.loads(stdin.splitlines()[0])["text"]
    assert_offsets(text, first["statements"])


def test_all_good_batch_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    p = write_batch(tmp_path)
    result = runner.invoke(cli, ["extract", "--no-color", str(p["good.txt"]), str(p["good.json"])])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Grégory Doucet" in result.stdout and "Bruno Le Maire" in result.stdout
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize("make, reason", [
    (lambda p: None, r"no such file$"),
    (lambda p: p.mkdir(), r"no \.txt/\.html/\.htm/\.json/\.jsonl files in this folder$"),
    (lambda p: p.write_bytes(b"x" * 2_000_000), r"file is 2\.0 MB, over the 1 MB limit \(raise it with --max-size\)$"),
    (lambda p: p.write_text('{"id": "x", "text": ', encoding="utf-8"), r"invalid JSON"),
], ids=["nonexistent", "empty-folder", "over-max-size", "invalid-json"])
def test_one_bad_source_is_one_stderr_line(runner: CliRunner, tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "source.json"
    make(path)
    result = runner.invoke(cli, ["extract", "--max-size", "1", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    failure, summary = result.stderr.splitlines()
    assert failure.startswith(f"porteparole: {path}: ") and re.search(reason, failure), failure
    assert summary == "porteparole: 1 document(s) failed"
