"""Throughput of the extractor against a bare spaCy ``nlp.pipe`` of the same model.

One run measures, each in its own fresh Python process (so that peak memory is
measured separately):

* ``spacy nlp.pipe``: ``spacy.load(model)`` with its full default pipeline, piping
  each whole article text, as a user of spaCy would;
* ``porteparole``: ``Extractor(lang).extract_many(documents)``, which cleans each
  article, parses it as paragraph blocks and finds the statements.

Both get the same documents, worker processes (``--processes``) and batch size
(``--batch-size``).  Models are loaded and warmed up on a few articles before the
clock starts; the timed run includes starting the parser's worker processes, as
every call does.  The last line is ``ratio_vs_spacy: R``, the extractor's
articles/s divided by the bare pipe's.

    .venv/bin/python bench/throughput.py --limit 100
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"  # + /<lang>, when this checkout sits next to ../shared
SAMPLES = ROOT / "samples"  # + /<lang>, bundled
WARMUP_ARTICLES = 5
RUNS = ("spacy", "extractor")
NAMES = {"spacy": "spacy nlp.pipe", "extractor": "porteparole"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=None,
                   help="folder of articles (.json .jsonl .txt .html), read with porteparole.ingest"
                        " (default: ../shared/corpus/LANG if it exists, else samples/LANG)")
    p.add_argument("--limit", type=int, default=None, help="first N articles only (default: all)")
    p.add_argument("--lang", default="fr", choices=("fr", "en"),
                   help="language of the articles; its spaCy model is the one compared (default: fr)")
    p.add_argument("--processes", type=int, default=2, help="worker processes for nlp.pipe, in both runs (default: 2)")
    p.add_argument("--batch-size", type=int, default=64,
                   help="nlp.pipe batch size, in both runs (whole articles for spaCy, paragraph blocks for porteparole; default: 64)")
    p.add_argument("--repeat", type=int, default=1, help="time each run K times and keep the best (default: 1)")
    p.add_argument("--timeout", type=float, default=600,
                   help="give up on a measurement (load, warm-up and runs) after this many seconds (default: 600);"
                        " an error inside nlp.pipe with --processes > 1 hangs instead of raising")
    p.add_argument("--child", choices=RUNS, help=argparse.SUPPRESS)
    p.add_argument("--model", help=argparse.SUPPRESS)
    p.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.processes < 1 or args.batch_size < 1 or args.repeat < 1 or (args.limit is not None and args.limit < 1):
        p.error("--processes, --batch-size, --repeat and --limit must be at least 1")
    if args.corpus is None:
        shared = SHARED_CORPUS / args.lang
        args.corpus = shared if shared.is_dir() else SAMPLES / args.lang
    return args


# ---------------------------------------------------------------- child side

def read_documents(corpus: Path, limit: int | None) -> list:
    """The readable documents of ``corpus`` in file order (unreadable ones are skipped)."""
    from porteparole.ingest import read_sources
    from porteparole.models import Document

    docs = (d for d in read_sources([str(corpus)]) if isinstance(d, Document))
    return list(islice(docs, limit))


def usage() -> dict:
    """Peak resident memory (MB) and CPU time (s) of this process and of its finished children.

    ``ru_maxrss`` of the children is that of the largest one, not their sum.
    """
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rss_main_mb": own.ru_maxrss / scale, "rss_worker_mb": kids.ru_maxrss / scale,
            "cpu_main_s": own.ru_utime + own.ru_stime, "cpu_workers_s": kids.ru_utime + kids.ru_stime}


def measure(args: argparse.Namespace) -> dict:
    """Load, warm up, then time one run ``args.repeat`` times; runs in its own process."""
    faulthandler.dump_traceback_later(args.timeout, exit=True)  # say where it hung, if it does
    docs = read_documents(args.corpus, args.limit)
    if not docs:
        raise SystemExit(f"no readable articles in {args.corpus}")
    warm = docs[:WARMUP_ARTICLES]
    if args.child == "spacy":
        import spacy

        nlp = spacy.load(args.model)
        texts = [d.text for d in docs]
        for _ in nlp.pipe([d.text for d in warm], batch_size=args.batch_size):
            pass

        def run() -> tuple[int, int]:
            n = 0
            for _ in nlp.pipe(texts, n_process=args.processes, batch_size=args.batch_size):
                n += 1
            return n, 0
    else:
        from porteparole.analyse import Extractor
        from porteparole.models import Article

        ex = Extractor(args.lang)
        for _ in ex.extract_many(warm, batch_size=args.batch_size):
            pass

        def run() -> tuple[int, int]:
            n = failed = 0
            for item in ex.extract_many(docs, processes=args.processes, batch_size=args.batch_size):
                if isinstance(item, Article):
                    n += 1
                else:
                    failed += 1
            return n, failed

    times = []
    before = usage()
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        done, failed = run()
        times.append(time.perf_counter() - t0)
    after = usage()
    cpu = {k: (after[k] - before[k]) / args.repeat for k in ("cpu_main_s", "cpu_workers_s")}
    return {"run": args.child, "articles": done, "failed": failed, "words": sum(len(d.text.split()) for d in docs),
            "seconds": min(times), "times": times, **after, **cpu}


# --------------------------------------------------------------- parent side

def model_name(lang: str) -> str:
    """The installed spaCy package the extractor uses for ``lang`` (English: the official
    ``en_core_web_sm`` when installed, else its pinned copy), so both runs use the same model."""
    from porteparole.analyse.nlp import model_name as installed_model
    from porteparole.errors import PorteparoleError

    try:
        return installed_model(lang)
    except PorteparoleError as e:
        raise SystemExit(f"error: {e}") from None


def run_child(which: str, args: argparse.Namespace, model: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", which, "--model", model,
           "--corpus", str(args.corpus), "--lang", args.lang, "--processes", str(args.processes),
           "--batch-size", str(args.batch_size), "--repeat", str(args.repeat), "--timeout", str(args.timeout)]
    if args.limit is not None:
        cmd += ["--limit", str(args.limit)]
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        # Own session, so that the child's parser workers go with it even when orphaned.
        proc = subprocess.Popen(cmd + ["--result", str(result)], start_new_session=True)
        try:
            proc.wait(timeout=args.timeout + 30)
        except subprocess.TimeoutExpired:
            pass
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
        if proc.returncode != 0 or not result.exists():
            hint = " (with --processes > 1 an error inside nlp.pipe hangs; rerun with --processes 1 to see it)"
            raise SystemExit(f"error: the {which} run failed or timed out{hint if args.processes > 1 else ''}")
        return json.loads(result.read_text())


def table(results: list[dict]) -> str:
    head = ("name", "articles", "words", "seconds", "articles/s", "words/s", "peak RSS MB")
    rows = [head]
    for r in results:
        s = r["seconds"]
        rows.append((NAMES[r["run"]], str(r["articles"]), str(r["words"]), f"{s:.2f}", f"{r['articles'] / s:.2f}",
                     f"{r['words'] / s:.0f}", f"{r['rss_main_mb'] + r['rss_worker_mb']:.0f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]

    def fmt(row: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([fmt(rows[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows[1:]])


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        result = json.dumps(measure(args))
        if args.result:
            args.result.write_text(result)
        else:
            print(result)
        return
    model = model_name(args.lang)
    print(f"corpus {args.corpus}  limit {args.limit or 'all'}  lang {args.lang}  model {model}  "
          f"processes {args.processes}  batch size {args.batch_size}  repeat {args.repeat}", flush=True)
    load_before = os.getloadavg()[0]
    results = [run_child(which, args, model) for which in RUNS]
    print(table(results))
    for r in results:
        extra = f", {r['failed']} failed" if r["failed"] else ""
        tries = " ".join(f"{t:.2f}" for t in r["times"])
        print(f"  {NAMES[r['run']]}: runs {tries} s; RSS main {r['rss_main_mb']:.0f} MB"
              f" + largest worker {r['rss_worker_mb']:.0f} MB; CPU per run main {r['cpu_main_s']:.1f} s,"
              f" workers {r['cpu_workers_s']:.1f} s{extra}")
    spacy_cpu, our_cpu = (r["cpu_main_s"] + r["cpu_workers_s"] for r in results)
    print(f"  CPU time ratio (spaCy / porteparole, less sensitive to a busy machine): {spacy_cpu / our_cpu:.2f};"
          f" load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs")
    spacy_rate, ours = (r["articles"] / r["seconds"] for r in results)
    print(f"ratio_vs_spacy: {ours / spacy_rate:.2f}")


if __name__ == "__main__":
    main()
