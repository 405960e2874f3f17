"""The record's commands: ingest, quotes, speakers, failures, show, export (real extractor, real stores).

One ingest of four small articles (one a syndicated copy) and an empty file feeds the
read-only tests; what each command prints is parsed back and compared with the
Python API (``Store.open``).  With ``PORTEPAROLE_TEST_PG`` set, ``--db postgresql://…``
runs the same ingest and gives the same statements.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Callable, Optional

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from porteparole.analyse import Extractor
from porteparole.cli import cli
from porteparole.cli_record import SPEAKER_FIELDS, STATEMENT_FIELDS
from porteparole.ingest import read_sources
from porteparole.models import Article, Document, Statement
from porteparole.record import Progress, ingest
from porteparole.store import QuoteFilter, Store
from record_corpus import write_json

NAMES = ("kremlin", "lyon", "lyon-copy", "retraites")


def cli_runner() -> CliRunner:
    """A CliRunner with stderr apart (click 8.1 needs mix_stderr=False, 8.2 has no such option)."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def run(*args: str) -> Result:
    return cli_runner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def write_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        write_json(folder, name)
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("articles"))


@pytest.fixture(scope="module")
def ingested(folder: Path, extractor: Extractor) -> tuple[Path, Result]:
    """The folder ingested once into a SQLite store: (its path, the ingest's result). Not to be written to."""
    db = folder.parent / "record.db"
    return db, run("ingest", folder, "--db", db, "--lang", "fr")


@pytest.fixture(scope="module")
def db(ingested: tuple[Path, Result]) -> str:
    return str(ingested[0])


def api_quotes(db: str, **flt) -> list[dict]:
    with Store.open(db) as store:
        return [r.as_dict() for r in store.quotes(QuoteFilter(**flt), limit=None)]


def api_speakers(db: str) -> list[dict]:
    with Store.open(db) as store:
        return [r.as_dict() for r in store.speakers(top=None)]


def ids_by_name(db: str) -> dict[str, int]:
    with Store.open(db) as store:
        return {doc_id: aid for aid, doc_id in store.db.all("SELECT id, doc_id FROM articles")}


# ---------------------------------------------------------------------- ingest
def test_ingest_summary_failures_and_exit_status(ingested: tuple[Path, Result], folder: Path) -> None:
    db, result = ingested
    assert result.exit_code == 1, result.stderr       # the empty file failed
    lines = result.stderr.splitlines()
    assert lines[0] == f"porteparole: {folder / 'empty.txt'}: empty file: nothing to read"
    assert re.fullmatch(r"4 article\(s\) stored \(1 syndicated copies\), (\d+) statement\(s\), 0 already stored, "
                        r"1 failed, [\d.]+ s \([\d.]+ articles/s\)", lines[1]), lines[1]
    with Store.open(db) as store:
        counts = store.counts()
    assert lines[2] == (f"record {db}: 4 articles, {counts['statements']} statements, {counts['speakers']} speakers, "
                        "1 failures")
    assert int(re.search(r"(\d+) statement", lines[1]).group(1)) == counts["statements"] > 4
    assert result.stdout == ""


def test_ingest_again_is_a_no_op_and_force_replaces(tmp_path: Path) -> None:
    source = write_json(tmp_path, "retraites")
    db = tmp_path / "r.db"
    first = run("ingest", source, "--db", db)
    assert first.exit_code == 0, first.stderr
    assert first.stderr.splitlines()[0].startswith("1 article(s) stored (0 syndicated copies), ")
    before = api_quotes(str(db))
    again = run("ingest", source, "--db", db)
    assert again.exit_code == 0
    assert again.stderr.splitlines()[0].startswith("0 article(s) stored (0 syndicated copies), 0 statement(s), 1 already stored, 0 failed")
    forced = run("ingest", source, "--db", db, "--force")
    assert forced.stderr.splitlines()[0].startswith("1 article(s) stored")
    assert [{**q, "id": 0} for q in api_quotes(str(db))] == [{**q, "id": 0} for q in before]   # the article keeps its id


def test_failures_listed_in_every_format(db: str, folder: Path) -> None:
    empty = str(folder / "empty.txt")
    outputs = {fmt: run("failures", "--db", db, "--format", fmt) for fmt in ("table", "jsonl", "csv", "json")}
    assert all(r.exit_code == 0 for r in outputs.values())
    (row,) = json.loads(outputs["json"].stdout)
    assert (row["origin"], row["reason"]) == (empty, "empty file: nothing to read")
    assert [json.loads(line) for line in outputs["jsonl"].stdout.splitlines()] == [row]
    assert list(csv.DictReader(io.StringIO(outputs["csv"].stdout))) == [row]
    table = outputs["table"].stdout.splitlines()
    assert table[0].split() == ["origin", "reason", "at"] and empty in table[2] and len(table) == 3


# ---------------------------------------------------------------------- quotes, speakers
def parse(fmt: str, out: str) -> list[dict]:
    """Rows printed in ``fmt``, with CSV's strings turned back into numbers and None."""
    if fmt == "json":
        return json.loads(out)
    if fmt == "jsonl":
        return [json.loads(line) for line in out.splitlines()]
    return [{k: (None if v == "" else int(v) if re.fullmatch(r"-?\d+", v) and k not in ("text", "name") else v)
             for k, v in r.items()} for r in csv.DictReader(io.StringIO(out))]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
@pytest.mark.parametrize("args, flt", [
    ([], {}),
    (["--speaker", "doucet"], {"speaker": "doucet"}),
    (["--search", "securite", "--kind", "indirect"], {"search": "securite", "kind": "indirect"}),
    (["--source", "20minutes", "--since", "2023-03"], {"source": "20minutes", "since": "2023-03"}),
])
def test_quotes_in_every_format_parse_back(db: str, fmt: str, args: list, flt: dict) -> None:
    result = run("quotes", "--db", db, "--format", fmt, "--limit", "1000", *args)
    assert result.exit_code == 0, result.stderr
    expected = api_quotes(db, **flt)
    assert expected, "the filter should find something"
    assert parse(fmt, result.stdout) == expected


def test_quotes_table(db: str) -> None:
    result = run("quotes", "--db", db, "--speaker", "doucet")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["article_id", "published", "speaker", "kind", "text", "source"]
    assert set(lines[1]) == {"-", " "}
    expected = api_quotes(db, speaker="doucet")
    assert len(lines) == 2 + len(expected) == 4
    for line, q in zip(lines[2:], expected):
        assert line.startswith(str(q["article_id"])) and "Grégory Doucet" in line and q["text"][:30] in line


def test_quotes_limit_and_nothing_found(db: str) -> None:
    assert len(run("quotes", "--db", db, "--format", "jsonl", "--limit", "2").stdout.splitlines()) == 2
    assert run("quotes", "--db", db, "--speaker", "personne").stdout == "(nothing found)\n"
    empty_csv = run("quotes", "--db", db, "--speaker", "personne", "--format", "csv").stdout
    assert empty_csv.splitlines() == [",".join(STATEMENT_FIELDS)]
    assert run("quotes", "--db", db, "--speaker", "personne", "--format", "json").stdout == "[]\n"


@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv", "json"])
def test_speakers_in_every_format_counts_copies_once(db: str, fmt: str) -> None:
    result = run("speakers", "--db", db, "--format", fmt, "--top", "100")
    assert result.exit_code == 0, result.stderr
    expected = api_speakers(db)
    doucet = next(r for r in expected if r["name"] == "Grégory Doucet")
    assert (doucet["statements"], doucet["articles"]) == (1, 1)      # the copy on 20 Minutes is not counted
    if fmt == "table":
        lines = result.stdout.splitlines()
        assert lines[0].split() == ["id", "name", "type", "statements", "quotations", "articles", "first_seen", "last_seen"]
        assert [re.split(r"\s{2,}", line.strip())[1] for line in lines[2:]] == [r["name"] for r in expected]
        assert [int(line.split()[0]) for line in lines[2:]] == [r["id"] for r in expected]
    else:
        assert parse(fmt, result.stdout) == expected
        assert all(list(r) == list(SPEAKER_FIELDS) for r in parse(fmt, result.stdout))


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("args, message", [
    (["quotes", "--search", '"abc'], r"porteparole: unbalanced quote in search '\"abc': close the phrase with a second \""),
    (["quotes", "--search", "otan OR"], "porteparole: OR must be followed by a word"),
    (["quotes", "--search", "-otan"], "porteparole: nothing to search for"),
    (["export", "--search", '"abc'], "porteparole: unbalanced quote in search"),
    (["quotes", "--since", "2023-13-01"], r"porteparole: --since '2023-13-01' is not a date; write it as YYYY-MM-DD"),
    (["quotes", "--limit", "-1"], "porteparole: --limit must be 0 or more"),
    (["speakers", "--top", "-1"], "porteparole: --top must be 0 or more"),
    (["show", "4242"], r"porteparole: no article with id 4242; `porteparole quotes` lists article ids"),
])
def test_errors_are_one_line_and_exit_2(db: str, args: list, message: str) -> None:
    result = run(*args, "--db", db)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and re.match(message, result.stderr), result.stderr


def test_store_that_is_not_a_store(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("des notes, pas une base de données\n" * 200)
    result = run("quotes", "--db", notes)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"porteparole: '{notes}' is not a porteparole store")


def test_usage_errors(tmp_path: Path) -> None:
    assert "give at least one SOURCE or --urls FILE" in run("ingest", "--db", tmp_path / "x.db").stderr
    assert "--format parquet needs --output FILE" in run("export", "--db", tmp_path / "x.db", "--format", "parquet").stderr


# ---------------------------------------------------------------------- show
MARK = re.compile(r"\[(\d+)\|(.*?)\]", re.S)


@pytest.mark.parametrize("name", NAMES)
def test_show_marks_every_statement_in_the_text(db: str, name: str) -> None:
    ids = ids_by_name(db)
    with Store.open(db) as store:
        art = store.article(ids[name])
    result = run("show", ids[name], "--db", db, "--no-color")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out
    assert out.startswith(f"#{art.id} {art.title}\n")
    assert MARK.sub(r"\2", out).count(art.text.strip()) == 1          # the whole text, markers aside
    marks = MARK.findall(out)
    assert marks, "every article here has statements"
    for n, piece in marks:
        s = art.statements[int(n) - 1]
        assert piece == s.text and s.nested_in is None
        assert f"\n[{n}] {s.speaker or '(unknown source)'} ({s.kind}) {s.text[:120]}" in out
    if name == "lyon":
        assert f"syndicated copies: #{ids['lyon-copy']}\n" in out
    if name == "lyon-copy":
        assert f"copy of article #{ids['lyon']}\n" in out


def test_show_numbers_marks_as_in_the_list_when_statements_nest(tmp_path: Path) -> None:
    text = ("Le ministre a parlé aux élus\n\n« Le président a déclaré que la paix est possible », a dit Jean Dupont. "
            "Marie Curie a ajouté que tout va bien.\n")

    def said(quote: str, speaker: str, kind: str, nested_in: Optional[int] = None) -> Statement:
        start = text.index(quote)
        return Statement(start, start + len(quote), quote, kind, speaker, "person", nested_in=nested_in)

    article = Article(Document(id="nested", text=text), None, (), (
        said("Le président a déclaré que la paix est possible", "Jean Dupont", "direct"),
        said("la paix est possible", "Le président", "indirect", nested_in=0),      # reported inside #1
        said("tout va bien", "Marie Curie", "indirect")))
    with Store.open(tmp_path / "nested.db") as store:
        aid = store.add_article(article).article_id
    out = run("show", aid, "--db", tmp_path / "nested.db", "--no-color").stdout
    assert "« [1|Le président a déclaré que la paix est possible] », a dit Jean Dupont. Marie Curie a ajouté que [3|tout va bien]." in out
    assert out.endswith("[1] Jean Dupont (direct) Le président a déclaré que la paix est possible\n"
                        "[2] Le président (indirect) la paix est possible\n"
                        "[3] Marie Curie (indirect) tout va bien\n")


def test_show_in_colour(db: str) -> None:
    out = run("show", ids_by_name(db)["retraites"], "--db", db, "--color").stdout
    assert "\x1b[" in out and "[1|" not in out


# ---------------------------------------------------------------------- export
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("args, flt", [([], {}), (["--speaker", "lamotte"], {"speaker": "lamotte"})])
def test_export_every_format_with_offsets_into_the_article(db: str, tmp_path: Path, fmt: str, args: list,
                                                            flt: dict) -> None:
    out = tmp_path / f"statements.{fmt}"
    result = run("export", "--db", db, "--format", fmt, "-o", out, *args)
    assert result.exit_code == 0, result.stderr
    expected = api_quotes(db, **flt)
    assert result.stderr == f"{len(expected)} statements written to {out}\n"
    if fmt == "parquet":
        got = pq.read_table(out).to_pylist()
    else:
        got = parse(fmt, out.read_text(encoding="utf-8"))
    assert got == expected
    with Store.open(db) as store:
        texts = {aid: store.article(aid).text for aid in {r["article_id"] for r in got}}
    assert all(texts[r["article_id"]][r["start"]:r["end"]] == r["text"] for r in got)
    assert all(r["speaker_id"] is not None for r in got if r["speaker"])


def test_export_to_stdout_and_nothing_matching(db: str, tmp_path: Path) -> None:
    assert parse("jsonl", run("export", "--db", db).stdout) == api_quotes(db)
    assert run("export", "--db", db, "--format", "csv", "--speaker", "personne").stdout.splitlines() == [
        ",".join(STATEMENT_FIELDS)]
    out = tmp_path / "none.parquet"
    assert run("export", "--db", db, "--format", "parquet", "-o", out, "--speaker", "personne").exit_code == 0
    assert pq.read_table(out).num_rows == 0 and pq.read_table(out).column_names == list(STATEMENT_FIELDS)


# ---------------------------------------------------------------------- progress
def test_progress_bar_on_a_terminal_log_lines_otherwise(tmp_path: Path, extractor: Extractor) -> None:
    source = write_json(tmp_path, "retraites")
    (tmp_path / "empty.txt").write_bytes(b"")
    for tty, check in [(True, lambda s: "\r\x1b[2K[" in s and s.endswith("\n")),
                       (False, lambda s: s.splitlines()[0].startswith("porteparole ingest: 1 read · ") and "\r" not in s)]:
        out = io.StringIO()
        with Store.open(tmp_path / f"p{tty}.db") as store:
            summary = ingest(store, read_sources([str(source), str(tmp_path / "empty.txt"), str(source)]), extractor,
                             progress=Progress(out, tty=tty, every=1))
        assert (summary.stored, summary.skipped, summary.failed) == (1, 1, 1)
        text = out.getvalue()
        assert check(text), text
        assert "3 read · 1 stored · 1 skipped · 1 failed · " in text and "articles/s" in text


# ---------------------------------------------------------------------- PostgreSQL
def test_postgresql_ingest_and_queries_match_sqlite(db: str, folder: Path, pg_database: Callable[..., str]) -> None:
    url = pg_database("cli")
    result = run("ingest", folder, "--db", url, "--lang", "fr")
    assert result.exit_code == 1 and "4 article(s) stored (1 syndicated copies)" in result.stderr
    for args in ([], ["--speaker", "doucet"], ["--search", "securite OR otan"], ["--since", "2023"]):
        pg, lite = (parse("jsonl", run("quotes", "--db", where, "--format", "jsonl", *args).stdout) for where in (url, db))
        assert [{**r, "id": 0, "speaker_id": 0} for r in pg] == [{**r, "id": 0, "speaker_id": 0} for r in lite], args
    pg, lite = (parse("json", run("speakers", "--db", where, "--format", "json").stdout) for where in (url, db))
    assert [{**r, "id": 0} for r in pg] == [{**r, "id": 0} for r in lite]
    bad = run("quotes", "--db", url, "--search", '"abc')
    assert bad.exit_code == 2 and bad.stderr.startswith("porteparole: unbalanced quote in search")


def test_a_failure_is_forgotten_once_the_item_is_ingested(tmp_path, runner) -> None:
    """An empty file fails; once it has text, ingesting again stores it and clears its failure."""
    from porteparole.cli import cli

    db = str(tmp_path / "f.db")
    item = tmp_path / "later.txt"
    item.write_text("", encoding="utf-8")
    first = runner.invoke(cli, ["ingest", "--db", db, str(item)])
    assert first.exit_code == 1
    assert str(item) in runner.invoke(cli, ["failures", "--db", db, "--format", "jsonl"]).stdout
    item.write_text("Le ministre a déclaré que le budget sera voté mardi.", encoding="utf-8")
    second = runner.invoke(cli, ["ingest", "--db", db, str(item)])
    assert second.exit_code == 0, second.stderr
    assert runner.invoke(cli, ["failures", "--db", db, "--format", "jsonl"]).stdout.strip() == ""
