"""What storing costs: ingest throughput as a ratio to extract-only on the same articles.

Runs, in one process after loading the model once, (a) ``Extractor.extract_many``
over the sample corpus and (b) the full ingest job into a fresh SQLite store (and
PostgreSQL with ``--pg URL``), and prints articles/s of each and
``ratio_ingest_vs_extract`` (goal ≥ 0.9).  ``--scale K`` repeats the corpus K times
(each copy made unique) to check that peak memory does not grow with the corpus.

    .venv/bin/python bench/ingest.py
    .venv/bin/python bench/ingest.py --scale 10
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from porteparole.analyse import Extractor  # noqa: E402
from porteparole.ingest import read_sources  # noqa: E402
from porteparole.models import Document  # noqa: E402
from porteparole.record import ingest  # noqa: E402
from porteparole.store import Store  # noqa: E402


def documents(corpus: Path, scale: int) -> Iterator[Document]:
    """The corpus, ``scale`` times, each copy with its own id, URL and an extra line (so not a duplicate)."""
    for k in range(scale):
        for d in read_sources([str(corpus)]):
            if isinstance(d, Document):
                yield Document(id=f"{d.id}-{k}", text=d.text + ("" if k == 0 else f"\n\nCopie {k}."),
                               title=d.title, published=d.published, url=f"{d.url or d.id}#{k}", source=d.source)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=ROOT / "samples" / "fr")
    p.add_argument("--scale", type=int, default=1)
    p.add_argument("--pg", help="also ingest into this postgresql:// database (emptied first by the caller)")
    args = p.parse_args()
    ex = Extractor("fr")
    list(ex.extract_many(list(documents(args.corpus, 1))[:3]))          # warm-up
    n = sum(1 for _ in documents(args.corpus, args.scale))

    t0 = time.perf_counter()
    for _ in ex.extract_many(documents(args.corpus, args.scale)):
        pass
    extract_s = time.perf_counter() - t0
    mem_extract = peak_mb()

    rows = [("extract only", extract_s)]
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "bench.db") as store:
            t0 = time.perf_counter()
            ingest(store, documents(args.corpus, args.scale), ex)
            rows.append(("ingest sqlite", time.perf_counter() - t0))
    if args.pg:
        with Store.open(args.pg) as store:
            t0 = time.perf_counter()
            ingest(store, documents(args.corpus, args.scale), ex)
            rows.append(("ingest postgresql", time.perf_counter() - t0))
    print(f"{'run':18} {'articles':>8} {'seconds':>8} {'articles/s':>10}")
    for name, s in rows:
        print(f"{name:18} {n:8d} {s:8.2f} {n / s:10.2f}")
    print(f"peak RSS: {peak_mb():.0f} MB (after extract only: {mem_extract:.0f} MB)")
    print(f"ratio_ingest_vs_extract: {extract_s / rows[1][1]:.2f}")


if __name__ == "__main__":
    main()
