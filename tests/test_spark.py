"""Crawl scale: ``spark extract`` (real Spark, local mode) and ``load`` (SQLite and PostgreSQL).

Two small web archives are written with warcio: four French sample articles (their
JSON text wrapped in minimal HTML pages) and two English Global Voices pages, with
three broken responses among them (an image, an empty page, a 404), and a file that is
not a web archive at all.  One Spark job (``local[2]``) runs on them; its statements
must be those of the library on the same records (``porteparole.sources`` reading the
archives, ``extractor("auto")`` extracting), its failures those the library reports,
and ``load`` must store what ``ingest`` stores, once.
"""
from __future__ import annotations

import html
import io
import json
import subprocess
from dataclasses import replace
import sys
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from click.testing import CliRunner

from porteparole.analyse import extractor as make_extractor
from porteparole.cli import cli
from porteparole.cli_record import STATEMENT_FIELDS as EXPORT_FIELDS, _arrow_type
from porteparole.load import LoadError, article_of_row, load_dataset
from porteparole.models import Article, Failure
from porteparole.record import ingest
from porteparole.sources import iter_documents
from porteparole.store import Store

pyspark = pytest.importorskip("pyspark", reason="pip install 'porteparole[spark]' to test the Spark job")

from porteparole import spark as ps  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FRENCH = sorted((ROOT / "samples" / "fr").glob("winer-*.json"))[:4]
ENGLISH = [ROOT / "samples" / "html" / "globalvoices" / n for n in ("index_1.html", "index_2.html")]
BROKEN = {"https://example.org/photo.png": "not HTML (image/png)", "https://example.org/empty": "empty page",
          "https://example.org/missing": "HTTP 404"}


def page_of(article: dict) -> bytes:
    """A minimal HTML page of a JSON sample article: its title, then one <p> a line."""
    lines = [line for line in article["text"].split("\n")[1:] if line.strip()]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    title = html.escape(article["title"])
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='date' content='{article.get('published') or ''}'></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode("utf-8")


def write_warc(path: Path, records: list[tuple[str, bytes, str, str]], gzip: bool = True) -> Path:
    """A web archive of response records (url, body, content type, HTTP status)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for url, body, ctype, status in records:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2016-03-01T12:00:00Z"}))
    return path


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of two web archives (6 articles, 3 broken responses) and a file that is not one."""
    folder = tmp_path_factory.mktemp("crawl")
    html_type = "text/html; charset=utf-8"
    fr = []
    for f in FRENCH:
        a = json.loads(f.read_text(encoding="utf-8"))
        fr.append((a["url"], page_of(a), html_type, "200 OK"))
    en = [(f"https://globalvoices.org/{p.stem}", p.read_bytes(), html_type, "200 OK") for p in ENGLISH]
    broken = [("https://example.org/photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png", "200 OK"),
              ("https://example.org/empty", b"", html_type, "200 OK"),
              ("https://example.org/missing", b"<html><body>gone</body></html>", html_type, "404 Not Found")]
    write_warc(folder / "a.warc.gz", fr[:2] + broken[:2] + en[:1])
    write_warc(folder / "b.warc", fr[2:] + en[1:] + broken[2:], gzip=False)
    (folder / "c.warc.gz").write_bytes(b"this is not a web archive")
    return folder


@pytest.fixture(scope="module")
def spark():
    session = ps.spark_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def job(spark, warcs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[ps.ExtractSummary, Path]:
    """The Spark job run once on the archives: (its summary, its output folder)."""
    out = tmp_path_factory.mktemp("out") / "statements.parquet"
    return ps.run_extract(spark, f"{warcs}/*.warc*", str(out)), out


@pytest.fixture(scope="module")
def library(warcs: Path) -> tuple[list[Article], list[Failure], object]:
    """What the library gives on the same archives: (articles, failures, the extractor)."""
    ex = make_extractor("auto")
    files = [str(p) for p in sorted(warcs.glob("*.warc*"))]
    results = list(ex.extract_many(iter_documents(files)))
    return ([r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, Failure)], ex)


def statements_of(rows: list[dict]) -> dict[str, list[tuple]]:
    """Statements by article URL, in order, as comparable tuples."""
    out: dict[str, list[tuple]] = {}
    for r in sorted(rows, key=lambda r: (r["url"], r["idx"])):
        out.setdefault(r["url"], []).append(
            (r["idx"], r["start"], r["end"], r["text"], r["kind"], r["speaker"], r["speaker_type"], r["mention"],
             r["mention_start"], r["mention_end"], r["cue"], r["cue_start"], r["cue_end"], r["nested_in"]))
    return out


def library_statements(articles: list[Article]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for a in articles:
        out[a.document.url] = [
            (i, s.start, s.end, s.text, s.kind, s.speaker, s.speaker_type, s.mention and s.mention.text,
             s.mention and s.mention.start, s.mention and s.mention.end, s.cue and s.cue.text, s.cue and s.cue.start,
             s.cue and s.cue.end, s.nested_in) for i, s in enumerate(a.statements)]
    return out


def read_statements(out: Path) -> list[dict]:
    return ds.dataset(str(out), format="parquet", partitioning="hive").to_table().to_pylist()


def test_statements_are_the_library_s(job, library) -> None:
    summary, out = job
    articles, _, _ = library
    rows = read_statements(out)
    assert len(articles) == 6 and summary.articles == 6
    assert summary.statements == len(rows) == sum(len(a.statements) for a in articles) > 10
    got, want = statements_of(rows), library_statements(articles)
    assert {u for u, s in want.items() if s} == set(got)
    for url, statements in got.items():
        assert statements == want[url], url
    by_url = {a.document.url: a for a in articles}
    for r in rows:                      # the article columns of the export, and offsets into the article's text
        a = by_url[r["url"]]
        assert (r["lang"], r["published"], r["source"], r["doc_id"], r["origin"]) == (
            a.lang, a.document.published, a.document.source, a.document.id, a.document.origin)
        assert r["title"] == (a.title.text if a.title else a.document.title)
        assert a.document.text[r["start"]:r["end"]] == r["text"]
    assert {a.lang for a in articles} == {"fr", "en"}   # routed per article by "auto"
    # every field of every statement (addressees too), nested in the articles dataset
    nested = {r["url"]: [tuple(s[n] for n, _ in ps.NESTED_STATEMENT) for s in r["statements"]]
              for r in ds.dataset(str(out / ps.ARTICLES_DIR), format="parquet", partitioning="hive").to_table().to_pylist()}
    assert nested == {a.document.url: [ps._statement_row(i, s) for i, s in enumerate(a.statements)] for a in articles}
    # and each article as load rebuilds it: the library's, field for field (the blocks are not kept: the store has none)
    rows = ds.dataset(str(out / ps.ARTICLES_DIR), format="parquet", partitioning="hive").to_table().to_pylist()
    assert {r["url"]: article_of_row(r) for r in rows} == {a.document.url: replace(a, blocks=()) for a in articles}


def test_columns_are_the_export_s_and_readers_skip_the_articles(job, spark) -> None:
    _, out = job
    assert ps.STATEMENT_FIELDS == EXPORT_FIELDS
    frame = spark.read.parquet(str(out))
    assert set(EXPORT_FIELDS) <= set(frame.columns)
    assert set(frame.columns) - set(EXPORT_FIELDS) == set(ps.STATEMENT_EXTRA)
    assert frame.count() == job[0].statements        # OUT/_articles and OUT/_failures are not read as statements
    types = dict(frame.dtypes)
    assert {f: types[f] for f in EXPORT_FIELDS} == {f: "bigint" if _arrow_type(f) == pa.int64() else "string"
                                                    for f in EXPORT_FIELDS}
    assert frame.filter("id IS NOT NULL OR article_id IS NOT NULL OR speaker_id IS NOT NULL").count() == 0


def test_output_is_partitioned_by_month_and_language(job, library) -> None:
    _, out = job
    articles, _, _ = library
    want = {(a.document.published[:7], a.lang) for a in articles if a.statements}
    parts = {(p.parent.name, p.name) for p in out.glob("published_month=*/lang=*") if any(p.glob("*.parquet"))}
    assert parts == {(f"published_month={m}", f"lang={lang}") for m, lang in want}
    assert len({lang for _, lang in want}) == 2
    article_parts = {(p.parent.name, p.name) for p in (out / ps.ARTICLES_DIR).glob("published_month=*/lang=*")}
    assert parts <= article_parts


def test_failures_are_a_dataset_with_reasons_and_the_job_goes_on(job, library, warcs: Path) -> None:
    summary, out = job
    _, want, _ = library
    got = ds.dataset(summary.failures_path, format="parquet").to_table().to_pylist()
    assert summary.failures == len(got) == 4
    assert {(f["origin"], f["reason"]) for f in got} == {(f.origin, f.reason) for f in want}
    reasons = " | ".join(f["reason"] for f in got)
    for url, reason in BROKEN.items():
        assert any(url in f["reason"] or (url.endswith("empty") and f["reason"].startswith(reason))
                   for f in got), (url, reasons)
    assert any(f["origin"] == str(warcs / "c.warc.gz") and "not a readable WARC" in f["reason"] for f in got)


def counts_and_quotes(store: Store) -> tuple[dict, list[tuple]]:
    quotes = sorted((q.url, q.idx, q.start, q.end, q.text, q.kind, q.speaker, q.speaker_type, q.mention, q.cue,
                     q.nested_in, q.title, q.published, q.lang) for q in store.iter_quotes())
    return store.counts(), quotes


def test_load_into_sqlite_is_what_ingest_stores_and_is_idempotent(job, library, warcs: Path, tmp_path: Path) -> None:
    _, out = job
    _, _, ex = library
    files = [str(p) for p in sorted(warcs.glob("*.warc*"))]
    with Store.open(tmp_path / "ingested.db") as store:
        ingest(store, iter_documents(files), ex)
        want = counts_and_quotes(store)
        want_entities = [store.entities(i) for i in range(1, 7)]
    db = tmp_path / "loaded.db"
    result = CliRunner().invoke(cli, ["load", str(out), "--db", str(db), "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        first = counts_and_quotes(store)
        entities = {store.article(i).url: store.entities(i) for i in range(1, 7)}
    assert first[0] == {"articles": 6, "statements": want[0]["statements"], "speakers": want[0]["speakers"],
                        "failures": 4}
    assert first == want
    assert sorted(map(tuple, entities.values())) == sorted(map(tuple, want_entities))
    with Store.open(db) as store:
        again = load_dataset(store, str(out), batch=4)
        assert (again.read, again.stored, again.already, again.failures) == (6, 0, 6, 4)
        assert counts_and_quotes(store) == first


def test_load_into_postgresql_is_idempotent(job, pg_database: Callable[..., str]) -> None:
    summary, out = job
    url = pg_database("spark")
    with Store.open(url) as store:
        first = load_dataset(store, str(out), batch=4)
        assert (first.read, first.stored, first.statements) == (6, 6, summary.statements)
        counts = store.counts()
        assert counts["articles"] == 6 and counts["statements"] == summary.statements and counts["failures"] == 4
        again = load_dataset(store, str(out))
        assert (again.stored, again.already) == (0, 6)
        assert store.counts() == counts


def test_load_errors_say_what_to_do(tmp_path: Path) -> None:
    with Store.open(tmp_path / "x.db") as store, pytest.raises(LoadError, match="--out folder of `porteparole spark"):
        load_dataset(store, str(tmp_path / "nothing"))
    result = CliRunner().invoke(cli, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "porteparole spark extract" in result.output


def test_cli_spark_extract_says_when_nothing_matches(tmp_path: Path) -> None:
    """The real command in its own process (its own Spark session): one line, exit status 2."""
    proc = subprocess.run([sys.executable, "-c", "from porteparole.cli import main; main()", "spark", "extract", str(tmp_path / "*.warc.gz"),
                           "--out", str(tmp_path / "out"), "--master", "local[1]"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "porteparole: no file matches" in proc.stderr and "Traceback" not in proc.stderr
