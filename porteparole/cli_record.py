"""Commands over the record: ingest, quotes, speakers, show, export, failures.

Thin shells over :mod:`porteparole.store` and :mod:`porteparole.record`; every
listing command shares the same output options (``--format table|jsonl|csv|json``).
"""
from __future__ import annotations

import csv
import functools
import json
import os
import sys
from typing import Callable, Iterable, Optional, Sequence

import click

from .analyse import extractor
from .lang import AUTO, SUPPORTED
from .cli import _errors, cli
from .ingest import DEFAULT_MAX_BYTES
from .output import PALETTE, RESET
from .record import Progress, ingest as run_ingest
from .store import QuoteFilter, SpeakerRow, Store, StoredStatement

DEFAULT_DB = os.environ.get("PORTEPAROLE_DB", "porteparole.db")
KINDS = ("direct", "indirect", "mixed")
STATEMENT_FIELDS = tuple(StoredStatement.__dataclass_fields__)
SPEAKER_FIELDS = tuple(SpeakerRow.__dataclass_fields__)


def db_option(f: Callable) -> Callable:
    """``--db PATH|postgresql://…`` on every command that uses the record."""
    return click.option("--db", default=DEFAULT_DB, show_default=True, envvar="PORTEPAROLE_DB",
                        help="SQLite file, or a postgresql:// URL.")(f)


def output_options(f: Callable) -> Callable:
    """``--format table|jsonl|csv|json`` on every listing command."""
    return click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "json"]), default="table",
                        show_default=True, help="Output format.")(f)


def filter_options(f: Callable) -> Callable:
    """The statement filters shared by ``quotes`` and ``export``."""
    for opt in reversed([
        click.option("--speaker", help="Speaker name (any part of it, accents and case ignored)."),
        click.option("--search", help="Full-text search: words, \"exact phrase\", OR, NOT, prefix*."),
        click.option("--since", help="Articles published on or after this date (YYYY-MM-DD)."),
        click.option("--until", help="Articles published on or before this date (YYYY-MM-DD)."),
        click.option("--kind", type=click.Choice(KINDS), help="Kind of statement."),
        click.option("--source", help="Outlet: part of the site name or URL."),
        click.option("--lang", help="Language of the article (fr, en)."),
        click.option("--about", help="An entity the statement speaks about, by any of its names (NATO finds « l'Otan »)."),
    ]):
        f = opt(f)
    return f


def _filter(speaker, search, since, until, kind, source, lang, about=None) -> QuoteFilter:
    return QuoteFilter(speaker=speaker, search=search, since=since, until=until, kind=kind, source=source, lang=lang,
                       about=about)


@cli.command("ingest")
@click.argument("sources", nargs=-1)
@click.option("--urls", "urls_file", type=click.Path(dir_okay=False), help="A text file of URLs, one a line.")
@db_option
@click.option("--lang", type=click.Choice((AUTO,) + SUPPORTED), default=AUTO, show_default=True,
              help="Language of the articles; auto: declared by the article, else detected in its text.")
@click.option("--force", is_flag=True, help="Extract and store again documents already in the record.")
@click.option("--processes", type=int, default=1, show_default=True, help="Worker processes for the parser.")
@click.option("--max-size", type=float, default=DEFAULT_MAX_BYTES / 1e6, show_default=True, help="Largest input, in MB.")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Fetch timeout, seconds.")
@click.option("--delay", type=float, default=1.0, show_default=True, help="Seconds between two requests to one host.")
@click.option("--retries", type=int, default=2, show_default=True, help="Retries on 5xx and time-outs.")
@click.option("--ignore-robots", is_flag=True, help="Fetch pages that robots.txt disallows.")
def ingest_cmd(sources: tuple[str, ...], urls_file: Optional[str], db: str, lang: str, force: bool, processes: int,
               max_size: float, timeout: float, delay: float, retries: int, ignore_robots: bool) -> None:
    """Read SOURCES (files, folders, URLs, feeds, WARC files), extract and store their statements.

    Re-running the same command is a no-op for what is already stored (unless
    --force); an interrupted run resumes where it stopped.  Exit status 1 when any
    item failed (`porteparole failures` lists them with their reasons).
    """
    if not sources and not urls_file:
        raise click.UsageError("give at least one SOURCE or --urls FILE")
    err = sys.stderr  # click.get_text_stream is deprecated since click 8.5
    with _errors():
        items = _items(sources, urls_file, int(max_size * 1e6), timeout, delay, retries, not ignore_robots)
        with Store.open(db) as store:
            try:
                summary = run_ingest(store, items, extractor(lang), force=force, progress=Progress(err),
                                     processes=processes)
            except KeyboardInterrupt:
                click.echo("\nporteparole: interrupted; every article stored so far is kept: run the same command"
                           " again to finish", err=True)
                sys.exit(130)
            counts = store.counts()
    for f in summary.failures[:20]:
        click.echo(f"porteparole: {f.origin}: {f.reason}", err=True)
    if len(summary.failures) > 20:
        click.echo(f"porteparole: … and {len(summary.failures) - 20} more (porteparole failures --db {db})", err=True)
    click.echo(summary.line(), err=True)
    click.echo(f"record {db}: {counts['articles']} articles, {counts['statements']} statements, "
               f"{counts['speakers']} speakers, {counts['failures']} failures", err=True)
    if summary.failed:
        sys.exit(1)


def _items(sources, urls_file, max_bytes, timeout, delay, retries, robots):
    try:
        from .fetch import FetchConfig
        from .sources import iter_documents
    except ImportError:      # pragma: no cover - a build without the web sources
        from .ingest import read_sources
        return read_sources(sources, max_bytes=max_bytes)
    cfg = FetchConfig(timeout=timeout, delay=delay, retries=retries, respect_robots=robots)
    return iter_documents(sources, urls_file=urls_file, fetch=cfg, max_bytes=max_bytes)


@cli.command("quotes")
@filter_options
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many statements.")
@db_option
@output_options
def quotes_cmd(speaker, search, since, until, kind, source, lang, about, limit: int, db: str, fmt: str) -> None:
    """Statements in the record, newest first, filtered."""
    with _errors(), Store.open(db) as store:
        rows = store.quotes(_filter(speaker, search, since, until, kind, source, lang, about), limit=limit)
    columns = ("article_id", "published", "speaker", "kind", "text", "source")
    emit([r.as_dict() for r in rows], columns, fmt, fields=STATEMENT_FIELDS)


@cli.group("speakers", invoke_without_command=True)
@click.option("--top", type=int, default=20, show_default=True, help="The N speakers with the most statements.")
@db_option
@output_options
@click.pass_context
def speakers_cmd(ctx: click.Context, top: int, db: str, fmt: str) -> None:
    """Who speaks most in the record (syndicated copies counted once); editors' fixes as subcommands."""
    if ctx.invoked_subcommand is not None:
        return
    with _errors(), Store.open(db) as store:
        rows = store.speakers(top=top)
    emit([r.as_dict() for r in rows], ("id", "name", "type", "statements", "quotations", "articles", "first_seen", "last_seen"),
         fmt, fields=SPEAKER_FIELDS)


@speakers_cmd.command("show")
@click.argument("speaker")
@db_option
def speaker_show_cmd(speaker: str, db: str) -> None:
    """One speaker (an id, or one of its names): aliases, roles seen with their dates."""
    with _errors(), Store.open(db) as store:
        info = store.speaker_info(store.find_speaker(speaker))
    click.echo(f"#{info.id} {info.name} ({info.type})")
    click.echo("aliases: " + "; ".join(info.aliases))
    for role, first, last, n in info.roles:
        click.echo(f"role: {role} ({n}×, {first or '?'} – {last or '?'})")


@speakers_cmd.command("merge")
@click.argument("keep")
@click.argument("other")
@db_option
def speaker_merge_cmd(keep: str, other: str, db: str) -> None:
    """OTHER is the same person as KEEP (ids or names): their statements, aliases and roles become KEEP's."""
    with _errors(), Store.open(db) as store:
        a, b = store.find_speaker(keep), store.find_speaker(other)
        store.merge_speakers(a, b)
        info = store.speaker_info(a)
    click.echo(f"merged: #{info.id} {info.name} — aliases: {'; '.join(info.aliases)}")


@speakers_cmd.command("split")
@click.argument("speaker")
@click.argument("alias")
@db_option
def speaker_split_cmd(speaker: str, alias: str, db: str) -> None:
    """ALIAS of SPEAKER is someone else: it becomes a speaker of its own, with the statements that name them so."""
    with _errors(), Store.open(db) as store:
        new = store.split_speaker(store.find_speaker(speaker), alias)
        info = store.speaker_info(new)
    click.echo(f"split: #{info.id} {info.name}")


@speakers_cmd.command("rename")
@click.argument("speaker")
@click.argument("name")
@db_option
def speaker_rename_cmd(speaker: str, name: str, db: str) -> None:
    """Show SPEAKER under NAME from now on."""
    with _errors(), Store.open(db) as store:
        sid = store.find_speaker(speaker)
        store.rename_speaker(sid, name)
    click.echo(f"renamed: #{sid} {name}")


@speakers_cmd.command("rebuild")
@db_option
def speaker_rebuild_cmd(db: str) -> None:
    """Resolve every statement's speaker again from the store (after editing the alias file); editors' fixes kept."""
    with _errors(), Store.open(db) as store:
        n = store.rebuild_speakers()
    click.echo(f"{n} speakers")


@cli.command("failures")
@db_option
@output_options
def failures_cmd(db: str, fmt: str) -> None:
    """Every item that could not be ingested, with its reason."""
    with _errors(), Store.open(db) as store:
        rows = [dict(zip(("origin", "reason", "at"), r)) for r in store.failures()]
    emit(rows, ("origin", "reason", "at"), fmt)


@cli.command("show")
@click.argument("article_id", type=int)
@db_option
@click.option("--color/--no-color", default=None, help="Highlight statements (default: on a terminal).")
def show_cmd(article_id: int, db: str, color: Optional[bool]) -> None:
    """One article with its statements highlighted in their speakers' colours."""
    with _errors(), Store.open(db) as store:
        art = store.article(article_id)
    out = sys.stdout
    colour = out.isatty() if color is None else color
    echo = functools.partial(click.echo, color=colour)   # click strips colours off a terminal unless told
    colours: dict = {}
    for s in art.statements:
        colours.setdefault(s.speaker, PALETTE[len(colours) % len(PALETTE)])
    echo(f"#{art.id} {art.title or art.doc_id}")
    echo(" · ".join(x for x in (art.source, art.published, art.url) if x))
    if art.duplicate_of:
        echo(f"copy of article #{art.duplicate_of}")
    if art.copies:
        echo("syndicated copies: " + ", ".join(f"#{c}" for c in art.copies))
    echo("")
    echo(highlight(art.text, art.statements, colours, colour))
    echo("")
    for n, s in enumerate(art.statements, 1):
        who = s.speaker or "(unknown source)"
        echo(_paint(f"[{n}] {who}", colours[s.speaker], colour) + f" ({s.kind}) {s.text[:120]}")


def highlight(text: str, statements: Sequence[StoredStatement], colours: dict, on: bool) -> str:
    """The text with each statement marked: in colour on a terminal, in [n| … ] otherwise.

    ``n`` is the statement's number in the list under the text; statements reported
    inside a quotation (``nested_in``) are inside their quotation's mark.
    """
    out, pos = [], 0
    outer = ((n, s) for n, s in enumerate(statements, 1) if s.nested_in is None)
    for n, s in sorted(outer, key=lambda x: x[1].start):
        if s.start < pos:
            continue
        out.append(text[pos:s.start])
        piece = text[s.start:s.end]
        out.append(_paint(piece, colours[s.speaker], True) if on else f"[{n}|{piece}]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def _paint(text: str, code: int, on: bool) -> str:
    return f"\x1b[{code}m{text}{RESET}" if on else text


@cli.command("export")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file (required for parquet).")
@db_option
def export_cmd(speaker, search, since, until, kind, source, lang, about, fmt: str, output: Optional[str], db: str) -> None:
    """Every matching statement with its article's metadata and a stable speaker id."""
    if fmt == "parquet" and not output:
        raise click.UsageError("--format parquet needs --output FILE")
    with _errors(), Store.open(db) as store:
        rows = (r.as_dict() for r in store.iter_quotes(_filter(speaker, search, since, until, kind, source, lang, about)))
        if fmt == "parquet":
            n = write_parquet(rows, output)
            click.echo(f"{n} statements written to {output}", err=True)
            return
        stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            n = write_rows(rows, fmt, stream, STATEMENT_FIELDS)
        finally:
            if output:
                stream.close()
    if output:
        click.echo(f"{n} statements written to {output}", err=True)


def write_rows(rows: Iterable[dict], fmt: str, out, fields: Optional[Sequence[str]] = None) -> int:
    """Stream rows as JSON Lines or CSV; returns how many were written.

    With ``fields``, CSV has its header line even when there are no rows.
    """
    n = 0
    writer = None
    if fmt == "csv" and fields:
        writer = csv.DictWriter(out, fieldnames=list(fields))
        writer.writeheader()
    for r in rows:
        if fmt == "jsonl":
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(r))
                writer.writeheader()
            writer.writerow(r)
        n += 1
    return n


def write_parquet(rows: Iterable[dict], path: str, batch: int = 10_000) -> int:
    """Stream rows into a Parquet file in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .store import StoredStatement as S

    schema = pa.schema([(name, _arrow_type(name)) for name in S.__dataclass_fields__])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[dict] = []
        for r in rows:
            chunk.append(r)
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            n += len(chunk)
    return n


def _arrow_type(name: str):
    import pyarrow as pa

    ints = {"id", "article_id", "idx", "start", "end", "speaker_id", "nested_in", "duplicate_of", "quotation_id"}
    return pa.int64() if name in ints else pa.string()


def emit(rows: list[dict], columns: Sequence[str], fmt: str, out=None, fields: Optional[Sequence[str]] = None) -> None:
    """Print rows as a table (``columns``), JSON Lines, CSV or one JSON array (every field)."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt in ("jsonl", "csv"):
        write_rows(rows, fmt, out, fields or columns)
    else:
        out.write(table(rows, columns) + "\n")


def table(rows: list[dict], columns: Sequence[str], width: int = 70) -> str:
    """A plain text table; long cells are cut with …"""
    if not rows:
        return "(nothing found)"
    cells = [[_cell(r.get(c), width) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def _cell(v, width: int) -> str:
    s = "" if v is None else " ".join(str(v).split())
    return s if len(s) <= width else s[: width - 1] + "…"
