"""Throughput of ``porteparole spark extract`` (local[1], local[2]) against the extractor in one process.

The input is the same for every run: web archives written from the bundled French
samples (each article's JSON text in a minimal HTML page; ``--copies K`` repeats the
corpus under other URLs), ``--files`` WARC files of about equal size.  Every run starts
in its own fresh Python process, so that its peak memory is its own:

* ``extract -p1`` / ``extract -p2``: ``porteparole.sources`` reads the archives (as
  ``porteparole ingest`` does) and ``extractor("auto").extract_many(processes=P)``
  extracts; nothing is written;
* ``spark local[1]`` / ``spark local[2]``: :func:`porteparole.spark.run_extract`, which
  also writes the Parquet datasets.

Models (and, for Spark, the session, the JVM and the Python workers) are loaded and
warmed up on a few other articles before the clock starts: the session start is shown
apart.  Peak memory is the largest sum, over the run's process tree (the JVM and
Spark's Python workers included), of each process's proportional set size (PSS: a page
shared by N processes counts 1/N in each), sampled every 0.2 s.

    .venv/bin/python bench/spark.py                 # 60 articles, 8 files
    .venv/bin/python bench/spark.py --copies 2 --files 8
"""
from __future__ import annotations

import argparse
import html
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "fr"
RUNS = ("extract-1", "extract-2", "spark-1", "spark-2")
NAMES = {"extract-1": "extract -p1", "extract-2": "extract -p2", "spark-1": "spark local[1]",
         "spark-2": "spark local[2]"}
WARMUP_ARTICLES = 6


# ---------------------------------------------------------------- the corpus

def page_of(article: dict) -> bytes:
    lines = [line for line in article["text"].split("\n")[1:] if line.strip()]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    title = html.escape(article.get("title") or "")
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='date' content='{article.get('published') or ''}'></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode("utf-8")


def write_corpus(folder: Path, articles: list[dict], files: int, tag: str) -> list[Path]:
    """``articles`` as HTML responses in ``files`` WARC files (round-robin, so of about equal size)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{tag}-{i:02d}.warc.gz" for i in range(files)]
    handles = [p.open("wb") for p in paths]
    writers = [WARCWriter(h, gzip=True) for h in handles]
    try:
        for n, a in enumerate(articles):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w = writers[n % files]
            w.write_record(w.create_warc_record(a["url"], "response", payload=io.BytesIO(page_of(a)), http_headers=http,
                                                warc_headers_dict={"WARC-Date": "2016-01-01T00:00:00Z"}))
    finally:
        for h in handles:
            h.close()
    return paths


def corpus(copies: int) -> list[dict]:
    base = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.json"))]
    out = []
    for k in range(copies):
        for a in base:
            url = a.get("url") or f"https://example.org/{a['id']}"
            out.append({**a, "url": url if k == 0 else f"{url}?copy={k}"})
    return out


# ---------------------------------------------------------------- memory

class PeakMemory:
    """Samples the PSS of this process and all its descendants; ``peak_mb`` is the largest sum seen."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_pss_mb(os.getpid()))
            self._stop.wait(self.every)


def tree_pss_mb(root: int) -> float:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total / 1024


def tree_cpu_s(root: int) -> float:
    """CPU seconds (user + system) of ``root`` and its live descendants, plus its waited-for children."""
    import resource

    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0.0))[1]
        todo.extend(p for p, (ppid, _) in stats.items() if ppid == pid)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return total + kids.ru_utime + kids.ru_stime


# ---------------------------------------------------------------- child side

def measure(which: str, work: Path, timeout: float) -> dict:
    import faulthandler

    faulthandler.dump_traceback_later(timeout, exit=True)
    warm = sorted((work / "warm").glob("*.warc.gz"))
    files = sorted((work / "corpus").glob("*.warc.gz"))
    result: dict = {"run": which}
    with PeakMemory() as mem:
        if which.startswith("extract"):
            from porteparole.analyse import extractor
            from porteparole.models import Article
            from porteparole.sources import iter_documents

            processes = int(which[-1])
            ex = extractor("auto")
            for _ in ex.extract_many(iter_documents([str(p) for p in warm])):
                pass
            c0, t0 = tree_cpu_s(os.getpid()), time.perf_counter()
            done = failed = 0
            for item in ex.extract_many(iter_documents([str(p) for p in files]), processes=processes):
                done += isinstance(item, Article)
                failed += not isinstance(item, Article)
            result.update(seconds=time.perf_counter() - t0, cpu_s=tree_cpu_s(os.getpid()) - c0, articles=done,
                          failed=failed)
        else:
            from porteparole.spark import run_extract, spark_session

            cores = int(which[-1])
            t0 = time.perf_counter()
            spark = spark_session(f"local[{cores}]")
            result["session_s"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            run_extract(spark, f"{work}/warm/*.warc.gz", str(work / f"warm-out-{cores}"))
            result["warmup_s"] = time.perf_counter() - t0
            c0, t0 = tree_cpu_s(os.getpid()), time.perf_counter()
            s = run_extract(spark, f"{work}/corpus/*.warc.gz", str(work / f"out-{cores}"))
            result.update(seconds=time.perf_counter() - t0, cpu_s=tree_cpu_s(os.getpid()) - c0, articles=s.articles,
                          failed=s.failures, statements=s.statements)
            spark.stop()
    result["peak_mb"] = mem.peak_mb
    return result


# --------------------------------------------------------------- parent side

def run_child(which: str, work: Path, timeout: float) -> dict:
    out = work / f"{which}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", which, "--work", str(work),
           "--timeout", str(timeout), "--result", str(out)]
    proc = subprocess.run(cmd, timeout=timeout + 60, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"error: the {which} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(out.read_text())


def load_rates(out: Path, work: Path) -> list[tuple[str, float, int]]:
    """Seconds to load the Spark output into a fresh SQLite store, per article and in batches."""
    from porteparole.load import load_dataset
    from porteparole.store import Store

    rates = []
    for batch in (1, 100):
        with Store.open(work / f"load-{batch}.db") as store:
            s = load_dataset(store, str(out), batch=batch)
        rates.append((f"sqlite batch {batch}", s.seconds, s.read))
    pg = os.environ.get("PORTEPAROLE_BENCH_PG")
    if pg:
        with Store.open(pg) as store:
            s = load_dataset(store, str(out), batch=100)
        rates.append(("postgresql batch 100", s.seconds, s.read))
    return rates


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--copies", type=int, default=1, help="repeat the 60 samples K times under other URLs (default: 1)")
    p.add_argument("--files", type=int, default=8, help="WARC files the corpus is written to (default: 8)")
    p.add_argument("--runs", default=",".join(RUNS), help=f"which runs, comma-separated (default: {','.join(RUNS)})")
    p.add_argument("--timeout", type=float, default=900, help="give up on a run after this many seconds")
    p.add_argument("--child", choices=RUNS, help=argparse.SUPPRESS)
    p.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        args.result.write_text(json.dumps(measure(args.child, args.work, args.timeout)))
        return
    with tempfile.TemporaryDirectory(prefix="porteparole-bench-") as tmp:
        work = Path(tmp)
        articles = corpus(args.copies)
        warm = [{**a, "url": f"https://warm.example.org/{a['id']}"} for a in articles[-WARMUP_ARTICLES:]]
        write_corpus(work / "warm", warm, 4, "warm")
        write_corpus(work / "corpus", articles, args.files, "corpus")
        words = sum(len(a["text"].split()) for a in articles)
        print(f"corpus: {len(articles)} French articles ({words} words) in {args.files} WARC files; "
              f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}", flush=True)
        results = {}
        for which in args.runs.split(","):
            results[which] = r = run_child(which, work, args.timeout)
            extra = (f"  (session start {r['session_s']:.1f} s, warm-up {r['warmup_s']:.1f} s, not counted)"
                     if "session_s" in r else "")
            print(f"{NAMES[which]:<15} {r['articles']:>4} articles  {r['seconds']:6.2f} s  "
                  f"{r['articles'] / r['seconds']:6.2f} articles/s  CPU {r['cpu_s']:6.1f} s  peak PSS {r['peak_mb']:6.0f} MB{extra}", flush=True)
        rate = {k: r["articles"] / r["seconds"] for k, r in results.items()}
        if "spark-1" in rate and "spark-2" in rate:
            print(f"spark 2 cores / 1 core: {rate['spark-2'] / rate['spark-1']:.2f} (goal >= 1.8)")
        if "extract-1" in rate and "extract-2" in rate:
            print(f"extract 2 processes / 1: {rate['extract-2'] / rate['extract-1']:.2f}")
        if "spark-2" in rate and "extract-2" in rate:
            print(f"spark local[2] overhead vs extract --processes 2: {rate['extract-2'] / rate['spark-2'] - 1:+.0%}"
                  " of its time (goal <= 15%)")
        if "spark-2" in rate and "extract-2" in rate:
            cpu = {k: r["cpu_s"] for k, r in results.items()}
            print(f"CPU seconds, spark local[2] / extract --processes 2: {cpu['spark-2'] / cpu['extract-2']:.2f}"
                  " (steadier than wall time on a busy machine)")
        if "spark-1" in rate and "extract-1" in rate:
            print(f"spark local[1] overhead vs extract --processes 1: {rate['extract-1'] / rate['spark-1'] - 1:+.0%}")
        out = next((work / f"out-{c}" for c in (2, 1) if (work / f"out-{c}").is_dir()), None)
        if out is not None:
            for name, seconds, n in load_rates(out, work):
                print(f"load {name:<22} {n} articles  {seconds:5.2f} s  {n / seconds:6.1f} articles/s")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
