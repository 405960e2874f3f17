"""Bulk load: the Parquet output of ``porteparole spark extract`` into the record.

:func:`load_dataset` reads ``OUT/_articles`` (:mod:`porteparole.spark`) with pyarrow —
no Spark or Java needed — rebuilds every :class:`~porteparole.models.Article` (document,
title, statements with their mentions and cues, named entities, all with their offsets)
and stores it with :meth:`porteparole.store.Store.add_article`, ``batch`` articles a
transaction.  The store stores the same URL or the same text once, so loading the same
dataset again (or a dataset that overlaps one already loaded, or what ``ingest``
stored) stores nothing twice; an interrupted load loses at most its current batch and
finishes when run again.  The failures dataset is recorded as ``ingest`` records its
failures (once per origin and reason).

Why ``add_article`` and not PostgreSQL ``COPY``: storing an article is more than
inserting rows — duplicate checks by URL and content hash under the store's write
lock, speakers merged by name key, MinHash bands and the linking of syndicated copies,
the search index.  A ``COPY`` path would be a second implementation of all that, out
of :mod:`porteparole.store`; batching the transactions takes the per-commit cost away,
which is most of what ``COPY`` would save on SQLite (see the report of ``bench/spark.py``).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union, get_args, get_origin, get_type_hints

from .errors import PorteparoleError
from .models import Article, Document, NamedEntity, Span, Statement
from .spark import ARTICLES_DIR, FAILURES_DIR, SPAN_FIELDS

DEFAULT_BATCH = 100


class LoadError(PorteparoleError):
    """The dataset to load is missing or is not the output of ``porteparole spark extract``."""


@dataclass(frozen=True)
class LoadSummary:
    """What one :func:`load_dataset` did."""

    read: int            # articles in the dataset
    stored: int          # newly stored
    already: int         # already in the record (same URL or same text)
    statements: int      # statements of the newly stored articles
    copies: int          # articles that became syndicated copies
    failures: int        # failures read from the failures dataset
    seconds: float

    def line(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        return (f"{self.stored} article(s) stored ({self.copies} syndicated copies), {self.statements} statement(s), "
                f"{self.already} already stored, {self.failures} failure(s) recorded, {self.seconds:.1f} s "
                f"({rate:.1f} articles/s)")


def article_of_row(row: dict) -> Article:
    """Rebuild the extracted article from a row of the articles dataset."""
    doc = Document(id=row["doc_id"], text=row["text"], title=row.get("title"), lang=row.get("doc_lang"),
                   published=row.get("published"), url=row.get("url"), source=row.get("source"),
                   origin=row.get("origin") or "", author=row.get("author"))
    title = (Span(row["title_start"], row["title_end"], row["title_text"])
             if row.get("title_start") is not None else None)
    statements = tuple(statement_of_row(s) for s in sorted(row.get("statements") or (), key=lambda s: s["idx"]))
    entities = tuple(NamedEntity(e["start"], e["end"], e["text"], e["label"]) for e in row.get("entities") or ())
    extras = json.loads(row["extras"]) if row.get("extras") else {}
    hints = get_type_hints(Article)
    more = {k: from_plain(hints[k], v) for k, v in extras.items() if k in hints}
    return Article(document=doc, title=title, blocks=(), statements=statements, lang=row["lang"],
                   entities=entities, **more)


def from_plain(tp: Any, value: Any) -> Any:
    """``value`` (JSON: dicts, lists, scalars) as type ``tp``: dataclasses of the models, tuples, Optional."""
    if value is None:
        return None
    origin, args = get_origin(tp), get_args(tp)
    if origin is Union:
        inner = [a for a in args if a is not type(None)]
        return from_plain(inner[0], value) if len(inner) == 1 else value
    if origin in (tuple, list):
        item = args[0] if args else Any
        return tuple(from_plain(item, v) for v in value)
    if is_dataclass(tp) and isinstance(value, dict):
        hints = get_type_hints(tp)
        return tp(**{k: from_plain(hints.get(k, Any), v) for k, v in value.items() if k in hints})
    return value


def statement_of_row(s: dict) -> Statement:
    """Rebuild a statement from its nested row (every field of :class:`Statement`; a span from its three columns)."""
    values = {}
    for f in fields(Statement):
        if f.name in SPAN_FIELDS:
            start = s.get(f"{f.name}_start")
            values[f.name] = None if start is None else Span(start, s[f"{f.name}_end"], s[f"{f.name}_text"])
        elif f.name in s:
            values[f.name] = s[f.name]
    return Statement(**values)


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _local(path: str) -> str:
    return path[len("file://"):] if path.startswith("file://") else path


def iter_articles(dataset: str, batch_rows: int = 1000) -> Iterator[Article]:
    """Every article of the dataset ``dataset`` (the ``--out`` of ``spark extract``), streamed."""
    import pyarrow.dataset as ds

    root = Path(_local(dataset))
    where = root / ARTICLES_DIR
    if not _is_local(dataset):
        raise LoadError(f"{dataset}: load reads a local folder; copy the dataset here first "
                        "(e.g. `aws s3 cp --recursive` or `hdfs dfs -get`)")
    if not where.is_dir():
        hint = "" if root.exists() else " (no such folder)"
        raise LoadError(f"{dataset}: no {ARTICLES_DIR}/ folder in it{hint}; give the --out folder of "
                        "`porteparole spark extract`")
    try:
        data = ds.dataset(str(where), format="parquet", partitioning="hive")
        scanner = data.scanner(batch_size=batch_rows)
        for batch in scanner.to_batches():
            for row in batch.to_pylist():
                yield article_of_row(row)
    except (OSError, ValueError, KeyError) as e:  # pyarrow's errors derive from these
        raise LoadError(f"{where}: not a readable articles dataset ({' '.join(str(e).split())[:300]}); run "
                        "`porteparole spark extract` again") from None


def iter_failures(path: str) -> Iterator[tuple[str, str]]:
    """(origin, reason) of every row of a failures dataset; nothing when there is none."""
    import pyarrow.dataset as ds

    where = Path(_local(path))
    if not where.exists():
        return
    for batch in ds.dataset(str(where), format="parquet").to_batches(columns=["origin", "reason"]):
        for row in batch.to_pylist():
            yield row["origin"], row["reason"]


def load_dataset(store, dataset: str, failures: Optional[str] = None, batch: int = DEFAULT_BATCH,
                 progress: Optional[Callable[[int], None]] = None) -> LoadSummary:
    """Store every article of ``dataset`` (and record its failures) in ``store``, ``batch`` articles a transaction.

    ``failures`` defaults to ``DATASET/_failures``.  ``progress`` is called with the
    number of articles read so far after each batch.
    """
    if batch < 1:
        raise LoadError(f"--batch-size must be at least 1, not {batch}")
    t0 = time.perf_counter()
    read = stored = already = statements = copies = 0
    chunk: list[Article] = []

    def flush() -> None:
        nonlocal stored, already, statements, copies
        with store.db.transaction():   # one commit per batch; add_article's own transactions nest in it
            for art in chunk:
                result = store.add_article(art)
                if result.status == "stored":
                    stored += 1
                    statements += len(art.statements)
                    copies += result.linked
                    store.clear_failures(art.document.origin)   # it failed once (ingest), and is now stored
                else:
                    already += 1
        chunk.clear()
        if progress:
            progress(read)

    for art in iter_articles(dataset):
        read += 1
        chunk.append(art)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    n_failures = 0
    for origin, reason in iter_failures(failures or f"{dataset.rstrip('/')}/{FAILURES_DIR}"):
        store.add_failure(origin, reason)
        n_failures += 1
    return LoadSummary(read=read, stored=stored, already=already, statements=statements, copies=copies,
                       failures=n_failures, seconds=time.perf_counter() - t0)
