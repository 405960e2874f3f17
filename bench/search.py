"""Query latency of the record on a large synthetic store.

Builds (once, cached in --db) a SQLite store of N synthetic statements — real
speaker names and statement texts from the sample corpus, recombined — in articles
of ten statements spread over eight years and twenty outlets, then times typical
queries through ``Store.quotes`` and prints p50/p95 latency of each.

    .venv/bin/python bench/search.py                 # 1,000,000 statements
    .venv/bin/python bench/search.py --statements 100000 --db /tmp/s.db
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from porteparole.store import QuoteFilter, Store, content_hash, speaker_key  # noqa: E402

PER_ARTICLE = 10


def seed_material(sample: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """Speakers and statement texts: extracted from the sample corpus (real names, real words)."""
    from porteparole.analyse import Extractor
    from porteparole.ingest import read_sources
    from porteparole.models import Article

    speakers, texts = set(), []
    for art in Extractor("fr").extract_many(read_sources([str(sample)])):
        if isinstance(art, Article):
            for s in art.statements:
                texts.append(s.text)
                if s.speaker:
                    speakers.add((s.speaker, s.speaker_type))
    return sorted(speakers), texts


def build(db: str, n: int, seed: int = 7) -> None:
    """Fill ``db`` with ``n`` synthetic statements (skipped when it already has them)."""
    store = Store.open(db)
    if store.counts()["statements"] >= n:
        store.close()
        return
    print(f"building {n:,} statements in {db} …", file=sys.stderr)
    rnd = random.Random(seed)
    speakers, texts = seed_material(ROOT / "samples" / "fr")
    speakers = list({speaker_key(n): (n, t) for n, t in speakers}.values())
    conn = store.db.conn
    conn.execute("BEGIN")
    conn.executemany("INSERT OR IGNORE INTO speakers (id, name, type, key) VALUES (?, ?, ?, ?)",
                     [(i + 1, name, t, speaker_key(name)) for i, (name, t) in enumerate(speakers)])
    outlets = [f"outlet{i}.example" for i in range(20)]
    sid = 0
    for aid in range(1, n // PER_ARTICLE + 1):
        day = f"{rnd.randint(2016, 2023)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        chosen = [rnd.choice(texts) for _ in range(PER_ARTICLE)]
        text = "\n\n".join(chosen)
        src = rnd.choice(outlets)
        conn.execute("INSERT INTO articles (id, doc_id, url, source, title, published, lang, text, content_hash, ingested_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, 'fr', ?, ?, ?)",
                     (aid, f"a{aid}", f"https://{src}/{aid}", src, chosen[0][:60], day, text, content_hash(text + str(aid)), day))
        pos = 0
        rows = []
        for idx, t in enumerate(chosen):
            sid += 1
            spk = rnd.randrange(len(speakers))
            rows.append((sid, aid, idx, pos, pos + len(t), t, rnd.choice(("direct", "indirect", "mixed")), spk + 1,
                         speakers[spk][0], speakers[spk][1]))
            pos += len(t) + 2
        conn.executemany("INSERT INTO statements (id, article_id, idx, start_offset, end_offset, text, kind, speaker_id, speaker,"
                         " speaker_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO statements_fts (rowid, text, speaker) VALUES (?, ?, ?)", [(r[0], r[5], r[8]) for r in rows])
        if aid % 10_000 == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            print(f"  {aid * PER_ARTICLE:,}", file=sys.stderr)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    store.close()


QUERIES = {
    "speaker": lambda r, names: QuoteFilter(speaker=r.choice(names)),
    "full text": lambda r, names: QuoteFilter(search=r.choice(["otan", "gouvernement", "sécurité", "président", "élection"])),
    "date range": lambda r, names: QuoteFilter(since=f"{r.randint(2016, 2022)}-{r.randint(1, 12):02d}-01",
                                               until=f"{r.randint(2016, 2022)}-12-31"),
    "combined": lambda r, names: QuoteFilter(speaker=r.choice(names), search=r.choice(["gouvernement", "président"]),
                                             since="2018-01-01", kind="direct"),
    "outlet": lambda r, names: QuoteFilter(source=f"outlet{r.randint(0, 19)}.example"),
    # words in a third or more of the statements: looked up statement by statement, newest first
    "common word": lambda r, names: QuoteFilter(search=r.choice(["de", "la", "le", "et", "pas"])),
}


def measure(db: str, runs: int, seed: int = 11, keyset: bool = False) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) per query kind, through ``Store.quotes`` or, with ``keyset``, the
    ``Store.quotes_after`` pages that the API and the web pages use."""
    rnd = random.Random(seed)
    store = Store.open(db)
    names = [r[0] for r in store.db.all("SELECT name FROM speakers")]
    out = {}
    for name, make in QUERIES.items():
        times = []
        for _ in range(runs):
            flt = make(rnd, names)
            t0 = time.perf_counter()
            if keyset:
                store.quotes_after(flt, None, 51)
            else:
                store.quotes(flt, limit=50)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        out[name] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
    store.close()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--statements", type=int, default=1_000_000)
    p.add_argument("--db", default="/tmp/porteparole-bench-search.db")
    p.add_argument("--runs", type=int, default=50, help="queries timed per kind")
    args = p.parse_args()
    build(args.db, args.statements)
    results = measure(args.db, args.runs)
    pages = measure(args.db, args.runs, keyset=True)
    print(f"{'query':12} {'p50 ms':>8} {'p95 ms':>8} {'API p50':>8} {'API p95':>8}   ({args.statements:,} statements, SQLite;"
          " API: the first keyset page of the API and web pages)")
    for name, (p50, p95) in results.items():
        print(f"{name:12} {p50:8.1f} {p95:8.1f} {pages[name][0]:8.1f} {pages[name][1]:8.1f}")
    worst = max(p95 for _, p95 in results.values())
    print(f"p95_max_ms: {worst:.1f}")
    print(f"api_p95_max_ms: {max(p95 for _, p95 in pages.values()):.1f}")


if __name__ == "__main__":
    main()
