"""Crawl scale: the extraction of ``porteparole ingest`` on Apache Spark.

:func:`run_extract` reads web archives (WARC/ARC files, a glob on any file system
Hadoop knows: a local path, ``hdfs://``, ``s3a://``…), turns every HTML response into a
:class:`~porteparole.models.Document` with the very code ``porteparole ingest`` uses
(:mod:`porteparole.sources`: HTTP status, media type, size cap, charset, trafilatura,
index pages), extracts the statements with :func:`porteparole.analyse.extractor`
(``"auto"``: each document in its language) once per partition with ``mapPartitions``
(the spaCy models load once per Python worker, which Spark reuses), and writes
Parquet:

* ``OUT/`` — one row per statement, the columns of ``porteparole export --format
  parquet`` (:data:`STATEMENT_FIELDS`, read from :class:`porteparole.store.StoredStatement`;
  what only the store knows — ``id``, ``article_id``, ``speaker_id``, ``duplicate_of``… —
  is null: the store gives it at ``load``) plus :data:`STATEMENT_EXTRA`: ``doc_id``,
  ``origin`` and the offsets of every span (mention, cue…);
* ``OUT/_articles/`` — one row per article: its text, metadata, named entities, its
  statements (nested: every field of :class:`~porteparole.models.Statement`, spans as
  three columns) and its other fields as JSON (``extras``): what :mod:`porteparole.load`
  rebuilds and stores;
* ``OUT/_failures/`` (or ``failures=``) — one row per record or file that could not be
  read or analysed, with its origin and reason.  A failure never fails the job.

The statements and articles are partitioned by ``published_month`` (``YYYY-MM``; no
date: Spark's ``__HIVE_DEFAULT_PARTITION__``) and ``lang``.  Readers skip folders whose
name starts with ``_``, so ``OUT`` reads as the statements alone.

The module also runs under ``spark-submit`` (``spark-submit porteparole/spark.py GLOB
--out OUT``): the master is then spark-submit's.
"""
from __future__ import annotations

import os
import sys

if __name__ == "__main__":  # run by spark-submit: its folder (porteparole/) must not shadow top-level modules
    _HERE = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != _HERE]

import io
import json
import re
import shutil
import time
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Union

from porteparole.errors import ModelMissing, PorteparoleError
from porteparole.ingest import DEFAULT_MAX_BYTES
from porteparole.models import Article, Document, Failure, Statement

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

__all__ = ["SparkError", "ExtractSummary", "ARTICLES_DIR", "FAILURES_DIR", "PARTITION_COLUMNS", "STATEMENT_FIELDS",
           "STATEMENT_EXTRA", "NESTED_STATEMENT", "SPAN_FIELDS", "spark_session", "list_inputs", "items_of_path",
           "items_of_bytes", "extract_items", "article_row", "failure_row", "run_extract", "published_month"]

ARTICLES_DIR = "_articles"
FAILURES_DIR = "_failures"
PARTITION_COLUMNS = ("published_month", "lang")
DEFAULT_MASTER = "local[*]"
DEFAULT_DRIVER_MEMORY = "1g"
CHUNK = 256          # documents extracted in one nlp.pipe stream before the next (bounds a partition's memory)
INSTALL = "pip install 'porteparole[spark]'"


def _kind_of(annotation: object) -> str:
    """"span", "long" or "string": how a dataclass field of the models is stored."""
    text = str(annotation)
    return "span" if "Span" in text else "long" if re.search(r"\bint\b", text) else "string"


def _statement_fields() -> tuple[tuple[str, str], ...]:
    """A statement nested in an article row: every field of :class:`~porteparole.models.Statement`,
    a span as its ``_start``, ``_end`` and ``_text``; ``idx`` first."""
    from dataclasses import fields

    out = [("idx", "long")]
    for f in fields(Statement):
        kind = _kind_of(f.type)
        out += ([(f"{f.name}_start", "long"), (f"{f.name}_end", "long"), (f"{f.name}_text", "string")]
                if kind == "span" else [(f.name, kind)])
    return tuple(out)


def _export_fields() -> tuple[tuple[str, str], ...]:
    """The columns of ``porteparole export --format parquet``: the fields of the store's statements."""
    from dataclasses import fields

    from porteparole.store import StoredStatement

    return tuple((f.name, _kind_of(f.type)) for f in fields(StoredStatement))


NESTED_STATEMENT = _statement_fields()
EXPORT_COLUMNS = _export_fields()
# The columns of `porteparole export --format parquet` (porteparole.store.StoredStatement), in order.
STATEMENT_FIELDS = tuple(n for n, _ in EXPORT_COLUMNS)
# Export columns the Spark job fills from the article (the others from the statement, or null: the store's own).
ARTICLE_FIELDS = ("title", "url", "source", "published", "lang")
# What the statements dataset has beyond the export's columns: the article's key, every offset, the partition.
STATEMENT_EXTRA = ("doc_id", "origin") + tuple(n for n, _ in NESTED_STATEMENT if n.endswith(("_start", "_end"))) + (
    "published_month",)
ENTITY = (("start", "long"), ("end", "long"), ("text", "string"), ("label", "string"))
ARTICLE_COLUMNS = (("origin", "string"), ("doc_id", "string"), ("url", "string"), ("source", "string"),
                   ("title", "string"), ("title_start", "long"), ("title_end", "long"), ("title_text", "string"),
                   ("published", "string"), ("published_month", "string"), ("lang", "string"),
                   ("doc_lang", "string"), ("author", "string"), ("text", "string"), ("extras", "string"))
# Article fields in columns of their own; any other (commitments, events…) goes to ``extras`` as JSON.
ARTICLE_OWN = frozenset({"document", "title", "blocks", "statements", "lang", "entities"})
FAILURE_COLUMNS = (("origin", "string"), ("reason", "string"), ("doc_id", "string"))


class SparkError(PorteparoleError):
    """Spark cannot run: pyspark or Java missing, the session does not start, no input file."""


@dataclass(frozen=True)
class ExtractSummary:
    """What one :func:`run_extract` did."""

    files: int
    articles: int
    statements: int
    failures: int
    seconds: float
    out: str
    articles_path: str
    failures_path: str

    def line(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (f"{self.files} file(s): {self.articles} article(s), {self.statements} statement(s), "
                f"{self.failures} failure(s), {self.seconds:.1f} s ({rate:.2f} articles/s)")


# ------------------------------------------------------------------ the session

def _require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkError(f"Spark support needs pyspark: {INSTALL}") from None


def _java() -> Optional[str]:
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").exists():
        return str(Path(home, "bin", "java"))
    return shutil.which("java")


def spark_session(master: Optional[str] = None, app_name: str = "porteparole", driver_memory: str = DEFAULT_DRIVER_MEMORY,
                  conf: Optional[dict[str, str]] = None) -> "SparkSession":
    """A small Spark session: no UI, no progress bar, warnings only.

    ``master``: ``local[N]``, ``local[*]``, ``spark://host:7077``…; ``None`` takes
    spark-submit's when run under it, else :data:`DEFAULT_MASTER`.  In local mode Spark
    binds to 127.0.0.1 and the workers run this Python (``sys.executable``).
    Raises :class:`SparkError` when pyspark or Java is missing or the session does not start.
    """
    _require_pyspark()
    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ
    if not under_submit and _java() is None:
        raise SparkError("Spark needs Java 17 or 21 and none was found: install it (Debian/Ubuntu: apt-get install "
                         "openjdk-17-jre-headless) or set JAVA_HOME")
    if master is None and not under_submit:
        master = DEFAULT_MASTER
    local = master is not None and master.startswith("local")
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    settings = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                "spark.python.worker.reuse": "true", "spark.sql.shuffle.partitions": "8",
                "spark.sql.sources.partitionOverwriteMode": "static"}
    if local:
        settings.update({"spark.driver.memory": driver_memory, "spark.driver.host": "127.0.0.1",
                         "spark.driver.bindAddress": "127.0.0.1"})
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as e:  # the JVM did not start: Java too old, no memory, a port…
        raise SparkError(f"the Spark session did not start ({_short(e)}); check Java (17 or 21) and "
                         f"`{INSTALL}`") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


# ------------------------------------------------------------------ reading web archives

def list_inputs(spark: "SparkSession", pattern: str) -> list[str]:
    """Every file matching ``pattern`` (a path or glob on any Hadoop file system), sorted.

    Several patterns may be given separated by commas.  Raises :class:`SparkError` when
    nothing matches.
    """
    sc = spark.sparkContext
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    found: list[str] = []
    for one in (p.strip() for p in pattern.split(",")):
        if not one:
            continue
        path = jvm.org.apache.hadoop.fs.Path(one)
        try:
            statuses = path.getFileSystem(conf).globStatus(path)
        except Exception as e:
            raise SparkError(f"cannot list {one} ({_short(e)}); for s3a:// put hadoop-aws on the classpath "
                             "(--packages org.apache.hadoop:hadoop-aws:VERSION) and give credentials") from None
        for st in statuses or []:
            if st.isFile():
                found.append(st.getPath().toString())
    if not found:
        raise SparkError(f"no file matches {pattern!r}: give a path or glob of .warc/.warc.gz/.arc.gz files "
                         "(quote the glob so that the shell does not expand it)")
    return sorted(set(found))


def _local_path(uri: str) -> Optional[str]:
    """The local path of a ``file:`` URI (as Hadoop prints it), else ``None``."""
    if not uri.startswith("file:"):
        return None
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(uri).path)


def items_of_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Document, Failure]]:
    """The documents and failures of one local web archive, exactly as ``porteparole ingest`` reads it."""
    from porteparole.sources import web_archive_items

    yield from web_archive_items(Path(path), max_bytes)


class _ArchiveBytes:
    """A web archive already in memory, with the little of :class:`pathlib.Path` that
    :mod:`porteparole.sources` uses to read one (``open``, ``is_file``, ``exists``, ``str``)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data

    def open(self, mode: str = "rb") -> io.BytesIO:
        return io.BytesIO(self.data)

    def is_file(self) -> bool:
        return True

    def exists(self) -> bool:
        return True

    def __str__(self) -> str:
        return self.name

    __fspath__ = __str__


def items_of_bytes(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Document, Failure]]:
    """The documents and failures of a web archive given as bytes (read by Spark from s3a://, hdfs://…)."""
    from porteparole.sources import web_archive_items

    yield from web_archive_items(_ArchiveBytes(name, data), max_bytes)


# ------------------------------------------------------------------ extraction

def extract_items(items: Iterable[Union[Document, Failure]], ex: Any = None,
                  chunk: int = CHUNK) -> Iterator[Union[Article, Failure]]:
    """Extract documents in streams of ``chunk``; failures pass through.

    Should a stream raise (a bug on one document before the extractor's own guard), its
    documents are extracted one by one and the culprit becomes a failure: the job goes
    on.  A missing spaCy model is a setup error and is raised.
    """
    if ex is None:
        from porteparole.analyse import extractor

        ex = extractor("auto")
    it = iter(items)
    while True:
        batch = list(islice(it, chunk))
        if not batch:
            return
        try:
            results = list(ex.extract_many(batch))
        except ModelMissing:
            raise
        except Exception:  # noqa: BLE001 - find the document, keep the others
            results = []
            for item in batch:
                try:
                    results.extend(ex.extract_many([item]))
                except ModelMissing:
                    raise
                except Exception as e:  # noqa: BLE001
                    doc_id = item.id if isinstance(item, Document) else item.doc_id
                    results.append(Failure(item.origin or doc_id or "", f"internal error while analysing "
                                           f"({type(e).__name__}: {_short(e)}); please report it with this document",
                                           doc_id))
        yield from results


_MONTH = re.compile(r"^(\d{4})-(\d{2})")
# Statement fields that are spans (stored as NAME_start, NAME_end, NAME_text).
SPAN_FIELDS = frozenset(n[:-len("_text")] for n, _ in NESTED_STATEMENT
                        if n.endswith("_text") and f"{n[:-len('_text')]}_start" in dict(NESTED_STATEMENT))


def published_month(published: Optional[str]) -> Optional[str]:
    """``YYYY-MM`` of a published date (``YYYY-MM-DD…``), else ``None``."""
    m = _MONTH.match(published or "")
    return f"{m[1]}-{m[2]}" if m else None


def article_row(article: Article) -> tuple:
    """An article as a row of the articles dataset (:data:`ARTICLE_COLUMNS`, then statements, then entities)."""
    d = article.document
    t = article.title
    statements = [_statement_row(i, s) for i, s in enumerate(article.statements)]
    entities = [(e.start, e.end, e.text, e.label) for e in article.entities]
    return (d.origin, d.id, d.url, d.source, d.title, t.start if t else None, t.end if t else None,
            t.text if t else None, d.published, published_month(d.published), article.lang, d.lang, d.author, d.text,
            article_extras(article), statements, entities)


def article_extras(article: Article) -> Optional[str]:
    """The article's other fields (beyond :data:`ARTICLE_OWN`) as JSON, or ``None`` when they are all empty.

    :func:`porteparole.load.from_plain` rebuilds them from their type hints."""
    from dataclasses import asdict, fields

    extras = {f.name: getattr(article, f.name) for f in fields(article) if f.name not in ARTICLE_OWN}
    extras = {k: v for k, v in extras.items() if v not in (None, (), [])}
    if not extras:
        return None
    plain = {k: [asdict(x) for x in v] if isinstance(v, (tuple, list)) and v and hasattr(v[0], "__dataclass_fields__")
             else asdict(v) if hasattr(v, "__dataclass_fields__") else v for k, v in extras.items()}
    return json.dumps(plain, ensure_ascii=False)


def _statement_row(idx: int, s: Statement) -> tuple:
    row: list = [idx]
    for name, kind in NESTED_STATEMENT[1:]:
        field, _, part = name.rpartition("_")
        if field in SPAN_FIELDS and part in ("start", "end", "text"):
            span = getattr(s, field, None)
            row.append(None if span is None else getattr(span, part))
        else:
            value = getattr(s, name, None)
            if value is not None and kind == "string" and not isinstance(value, str):
                value = json.dumps(value, ensure_ascii=False, default=str)   # a field of another type, kept readable
            row.append(value)
    return tuple(row)


def failure_row(failure: Failure) -> tuple:
    """A failure as a row of the failures dataset (:data:`FAILURE_COLUMNS`)."""
    return (failure.origin, failure.reason, failure.doc_id)


def _read_local(paths: Iterable[str], max_bytes: int) -> Iterator[Union[Document, Failure]]:
    for p in paths:
        yield from items_of_path(p, max_bytes)


def _read_remote(files: Iterable[tuple[str, bytes]], max_bytes: int) -> Iterator[Union[Document, Failure]]:
    for name, data in files:
        yield from items_of_bytes(name, data, max_bytes)


def _extract_partition(items: Iterable[Union[Document, Failure]]) -> Iterator[tuple]:
    """mapPartitions: documents → result rows, with the worker's extractor (its models load once, then stay)."""
    return _result_rows(extract_items(items))


def _read_and_extract(paths: Iterable[str], max_bytes: int) -> Iterator[tuple]:
    """mapPartitions: local archives → result rows, in one stage (no shuffle)."""
    return _extract_partition(_read_local(paths, max_bytes))


# ------------------------------------------------------------------ the job

def _struct(fields: Iterable[tuple[str, str]]):
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    kinds = {"long": LongType(), "string": StringType()}
    return StructType([StructField(n, kinds[k], True) for n, k in fields])


def article_schema():
    """The Spark schema of the articles dataset."""
    from pyspark.sql.types import ArrayType, StructField

    schema = _struct(ARTICLE_COLUMNS)
    schema.add(StructField("statements", ArrayType(_struct(NESTED_STATEMENT), False), True))
    schema.add(StructField("entities", ArrayType(_struct(ENTITY), False), True))
    return schema


def _result_schema():
    """One row per result: an article (``reason`` null) or a failure (``reason`` set, origin and doc_id)."""
    from pyspark.sql.types import StringType, StructField

    return article_schema().add(StructField("reason", StringType(), True))


_EMPTY_ARTICLE = (None,) * (len(ARTICLE_COLUMNS) + 2)   # the columns, statements and entities


def _result_rows(results: Iterable[Union[Article, Failure]]) -> Iterator[tuple]:
    for r in results:
        if isinstance(r, Article):
            yield article_row(r) + (None,)
        else:
            yield (r.origin, r.doc_id) + _EMPTY_ARTICLE[2:] + (r.reason,)


def failure_schema():
    """The Spark schema of the failures dataset."""
    return _struct(FAILURE_COLUMNS)


def _statements_frame(articles):
    """The flat statements (the export's columns and ours) of an articles DataFrame."""
    from pyspark.sql import functions as F

    s = F.col("s")
    nested = {n for n, _ in NESTED_STATEMENT}
    cols = {}
    for name, kind in EXPORT_COLUMNS:
        if name in ARTICLE_FIELDS:
            col = F.coalesce(F.col("title_text"), F.col("title")) if name == "title" else F.col(name)
        elif name == "speaker_in_article":          # the store resolves ``speaker``; here both are the article's
            col = s.speaker
        elif name == "addressee" and "addressee_name" in nested:    # as the store keeps it
            col = F.coalesce(s.addressee_name, s.addressee_text)
        elif name in nested:
            col = s[name]
        elif f"{name}_text" in nested:            # a span: its text, as the export has it
            col = s[f"{name}_text"]
        else:                                       # the store's own ids: given at load
            col = F.lit(None)
        cols[name] = col.cast("bigint" if kind == "long" else "string")
    for name in STATEMENT_EXTRA:
        cols[name] = F.col(name) if name in ("doc_id", "origin", "published_month") else s[name]
    exploded = articles.select("*", F.posexplode("statements").alias("_pos", "s"))
    return exploded.select(*[c.alias(n) for n, c in cols.items()])


def run_extract(spark: "SparkSession", pattern: str, out: str, failures: Optional[str] = None,
                partitions: Optional[int] = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ExtractSummary:
    """Extract the statements of every web archive matching ``pattern`` into Parquet under ``out``.

    ``out`` (a path or URI) is replaced.  ``failures`` defaults to ``OUT/_failures``.
    ``partitions``: how many extraction tasks; by default one per file when there are
    at least twice as many files as cores (no shuffle), else the documents are spread
    round-robin over twice as many partitions as cores.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    t0 = time.perf_counter()
    sc = spark.sparkContext
    files = list_inputs(spark, pattern)
    local = [_local_path(f) for f in files]
    cores = max(1, sc.defaultParallelism)
    if all(p is not None for p in local):
        paths = sc.parallelize(local, len(local))
        if partitions is None and len(local) >= 2 * cores:     # one task per file: read and extract, no shuffle
            rows = paths.mapPartitions(partial(_read_and_extract, max_bytes=max_bytes))
        else:
            docs = paths.mapPartitions(partial(_read_local, max_bytes=max_bytes))
            rows = docs.repartition(partitions or 2 * cores).mapPartitions(_extract_partition)
    else:  # s3a://, hdfs://…: Spark reads each file whole, then the documents are spread
        docs = sc.binaryFiles(",".join(files), minPartitions=len(files)).mapPartitions(
            partial(_read_remote, max_bytes=max_bytes))
        rows = docs.repartition(partitions or max(2 * cores, len(files))).mapPartitions(_extract_partition)
    # Python runs once, here; the cached rows are then written three times by the JVM alone.
    results = spark.createDataFrame(rows, _result_schema(), verifySchema=False).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        out = out.rstrip("/")
        articles_path = f"{out}/{ARTICLES_DIR}"
        failures_path = failures or f"{out}/{FAILURES_DIR}"
        counts = results.select(F.count(F.when(F.col("reason").isNull(), 1)).alias("a"),
                                F.count("reason").alias("f"),
                                F.sum(F.when(F.col("reason").isNull(), F.size("statements"))).alias("s")).first()
        # few write tasks (each one costs a task's start-up): as many as cores, from the cache
        cached = results.coalesce(cores)
        articles = cached.filter(F.col("reason").isNull()).drop("reason")
        # OUT first (overwrite replaces the folder), then the datasets inside it
        _statements_frame(articles).write.mode("overwrite").partitionBy(*PARTITION_COLUMNS).parquet(out)
        articles.write.mode("overwrite").partitionBy(*PARTITION_COLUMNS).parquet(articles_path)
        (cached.filter(F.col("reason").isNotNull()).select(*[n for n, _ in FAILURE_COLUMNS])
         .coalesce(1).write.mode("overwrite").parquet(failures_path))
    finally:
        results.unpersist()
    return ExtractSummary(files=len(files), articles=counts["a"], statements=counts["s"] or 0, failures=counts["f"],
                          seconds=time.perf_counter() - t0, out=out, articles_path=articles_path,
                          failures_path=failures_path)


def _short(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return (text[:300] + "…") if len(text) > 300 else (text or type(e).__name__)


def main(argv: Optional[list[str]] = None) -> None:
    """``spark-submit porteparole/spark.py GLOB --out OUT [--failures F]``: the ``spark extract`` command."""
    from porteparole.cli import main as cli_main

    cli_main(["spark", "extract", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
