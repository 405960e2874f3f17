"""The ingest job: sources → documents → extraction → store, resumable and safe.

Each article is stored in its own transaction; documents already in the store
(same URL or same content) are skipped before extraction, so running the same
command again after an interruption finishes the job without doubling anything.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, TextIO, Union

from .analyse import AutoExtractor, Extractor
from .models import Article, Document, Failure
from .store import Store


@dataclass
class IngestSummary:
    """Counts of one ingest run."""

    stored: int = 0
    copies: int = 0          # articles that became syndicated copies of an earlier one
    skipped: int = 0         # already in the store
    failed: int = 0
    statements: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        rate = (self.stored / self.seconds) if self.seconds else 0.0
        return (f"{self.stored} article(s) stored ({self.copies} syndicated copies), {self.statements} statement(s), "
                f"{self.skipped} already stored, {self.failed} failed, {self.seconds:.1f} s ({rate:.1f} articles/s)")


class Progress:
    """A one-line progress bar on a terminal; a plain log line every ``every`` items otherwise."""

    def __init__(self, out: TextIO, tty: Optional[bool] = None, every: int = 50) -> None:
        self.out = out
        self.tty = out.isatty() if tty is None else tty
        self.every = every
        self.start = time.monotonic()
        self.seen = 0

    def update(self, s: IngestSummary) -> None:
        self.seen += 1
        elapsed = time.monotonic() - self.start
        rate = s.stored / elapsed if elapsed else 0.0
        text = f"{self.seen} read · {s.stored} stored · {s.skipped} skipped · {s.failed} failed · {rate:.1f} articles/s"
        if self.tty:
            self.out.write("\r\x1b[2K" + _bar(self.seen) + " " + text)
            self.out.flush()
        elif self.seen % self.every == 0:
            self.out.write(f"porteparole ingest: {text}\n")
            self.out.flush()

    def done(self) -> None:
        if self.tty and self.seen:
            self.out.write("\n")
            self.out.flush()


def _bar(n: int, width: int = 12) -> str:
    pos = n % (2 * width - 2)
    pos = pos if pos < width else 2 * width - 2 - pos
    return "[" + " " * pos + "■" + " " * (width - 1 - pos) + "]"


def ingest(store: Store, items: Iterable[Union[Document, Failure]], extractor: "Extractor | AutoExtractor", force: bool = False,
           progress: Optional[Progress] = None, processes: int = 1) -> IngestSummary:
    """Extract and store every document of ``items``; record every failure with its reason."""
    summary = IngestSummary()
    t0 = time.monotonic()
    for item in extractor.extract_many(_new_only(store, items, summary, force, progress), processes=processes):
        if isinstance(item, Failure):
            _fail(store, summary, item)
        else:
            _store(store, summary, item, force)
        if progress:
            progress.update(summary)
    summary.seconds = time.monotonic() - t0
    if progress:
        progress.done()
    return summary


def _new_only(store: Store, items: Iterable[Union[Document, Failure]], summary: IngestSummary, force: bool,
              progress: Optional[Progress]) -> Iterator[Union[Document, Failure]]:
    """Documents not yet stored (failures pass through, to be recorded in order)."""
    for item in items:
        if isinstance(item, Document) and not force and (store.has_url(item.url) or store.has_text(item.text)):
            summary.skipped += 1
            if progress:
                progress.update(summary)
            continue
        yield item


def _store(store: Store, summary: IngestSummary, article: Article, force: bool) -> None:
    result = store.add_article(article, force=force)
    store.clear_failures(article.document.origin)    # it failed before and has now been read
    if result.status == "stored":
        summary.stored += 1
        summary.statements += len(article.statements)
        summary.copies += result.linked
    else:
        summary.skipped += 1


def _fail(store: Store, summary: IngestSummary, failure: Failure) -> None:
    summary.failed += 1
    summary.failures.append(failure)
    store.add_failure(failure.origin, failure.reason)
