"""The command line: a thin shell over the library.

It parses options, calls :mod:`porteparole`, formats the output, and turns the
library's errors into one line on stderr and an exit status.
"""
from __future__ import annotations

import json
import signal
import sys
from typing import Iterable, Optional

import click

from . import evaluate as ev
from .analyse import Extractor, extractor
from .errors import PorteparoleError
from .ingest import DEFAULT_MAX_BYTES, read_sources
from .lang import AUTO, SUPPORTED, detect
from .models import Article, Document, Failure
from .output import write_failure, write_jsonl, write_text


@click.group()
@click.version_option(package_name="porteparole")
def cli() -> None:
    """porteparole: who said what in news articles."""


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: readable, speakers coloured; jsonl: one JSON line per article (the extraction contract).")
@click.option("--lang", type=click.Choice((AUTO,) + SUPPORTED), default=AUTO, show_default=True,
              help="Language of the articles; auto: the one each article declares (JSON \"lang\"), else the one detected in its text.")
@click.option("--processes", type=int, default=1, show_default=True, help="Worker processes for the parser.")
@click.option("--batch-size", type=int, default=64, show_default=True, help="Blocks per parser batch.")
@click.option("--max-size", type=float, default=DEFAULT_MAX_BYTES / 1e6, show_default=True, help="Largest input file, in MB.")
@click.option("--color/--no-color", default=None, help="Colour speakers (default: when writing to a terminal).")
def extract(sources: tuple[str, ...], fmt: str, lang: str, processes: int, batch_size: int, max_size: float,
            color: Optional[bool]) -> None:
    """Extract the statements of SOURCES (.txt .html .json .jsonl files, folders, or - for stdin).

    Exit status: 0 when every document was processed, 1 when any failed (each
    failure is one line on stderr naming the file and the reason).
    """
    out = sys.stdout  # click.get_text_stream is deprecated since click 8.5
    colour = out.isatty() if color is None else color
    failed = 0
    with _errors():
        ex = extractor(lang)
        items = read_sources(sources, max_bytes=int(max_size * 1e6))
        for item in ex.extract_many(items, processes=processes, batch_size=batch_size):
            if isinstance(item, Failure):
                failed += 1
                write_failure(item, sys.stderr)
            elif fmt == "jsonl":
                write_jsonl(item, out)
            else:
                write_text(item, out, colour)
            out.flush()
    if failed:
        click.echo(f"porteparole: {failed} document(s) failed", err=True)
        sys.exit(1)


@cli.command()
@click.argument("gold_dir", type=click.Path(file_okay=False))
@click.option("--predictions", type=click.Path(dir_okay=False), help="Score this JSONL instead of running the extractor.")
@click.option("--details", is_flag=True, help="List every miss, spurious statement and wrong speaker.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--lang", type=click.Choice(SUPPORTED), default=None, help="Language (default: from the gold files).")
@click.option("--events", is_flag=True, help="Also score commitments and meetings (gold files that carry them).")
def evaluate(gold_dir: str, predictions: Optional[str], details: bool, as_json: bool, lang: Optional[str],
             events: bool) -> None:
    """Precision, recall and F1 of the extractor against the gold files of GOLD_DIR."""
    with _errors():
        gold = ev.load_gold(gold_dir)
        if predictions:
            articles = ev.read_articles_file(predictions)
        else:
            articles = predict_gold(gold, lang)
        r = ev.score(gold, {k: a.get("statements", []) for k, a in articles.items()})
    if as_json:
        d = {k: getattr(r, k) for k in ("articles", "articles_predicted", "detection", "attribution_accuracy",
                                         "end_to_end", "recall_by_kind")}
        click.echo(json.dumps(d, indent=1))
        return
    if details:
        click.echo("\n".join(r.details))
    click.echo(ev.report(r))
    if events:
        from .evaluate_events import report_items, score_items

        click.echo(report_items(score_items(gold, articles, "commitments"), score_items(gold, articles, "events")))


def predict_gold(gold: dict, lang: Optional[str]) -> dict[str, dict]:
    """Run the extractor on gold articles; predicted articles by id, as the JSONL contract has them.

    A gold file's ``published_for_events`` (its publication date, when ``published`` is
    not given) anchors the relative dates of commitments and meetings."""
    from .output import article_dict

    by_lang: dict[str, list[Document]] = {}
    for a in gold.values():
        code = lang or a.get("lang") or detect(a["text"])
        by_lang.setdefault(code, []).append(Document(id=a["id"], text=a["text"], title=a.get("title"),
                                                     published=a.get("published") or a.get("published_for_events")))
    preds: dict[str, dict] = {}
    for code, docs in by_lang.items():
        for art in Extractor(code).extract_many(docs):
            if isinstance(art, Article):
                preds[art.document.id] = article_dict(art)
    return preds


class _errors:
    """Turn library errors into one line on stderr and exit status 2."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, et, e, tb) -> bool:
        if isinstance(e, PorteparoleError):
            click.echo(f"porteparole: {e}", err=True)
            sys.exit(2)
        return False


from . import cli_record  # noqa: E402,F401  (registers ingest, quotes, speakers, show, export, failures)
from . import cli_serve  # noqa: E402,F401  (registers serve)
from . import cli_spark  # noqa: E402,F401  (registers spark extract, load)
from . import cli_track  # noqa: E402,F401  (registers commitments, events)


def main(argv: Optional[Iterable[str]] = None) -> None:
    """Entry point of the ``porteparole`` command."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # `porteparole extract … | head` ends quietly
    cli.main(args=list(argv) if argv is not None else None, prog_name="porteparole")


if __name__ == "__main__":
    main()
