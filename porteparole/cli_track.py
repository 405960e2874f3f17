"""``porteparole commitments`` and ``porteparole events``: what speakers promised and whom they met."""
from __future__ import annotations

import json
from typing import Optional

import click

from .cli import _errors, cli
from .cli_record import db_option, emit, output_options
from .commitments import MARKS, STATUSES, claim_review
from .store import Store

COMMITMENT_COLUMNS = ("id", "status", "deadline_last", "holder", "action", "source", "article_id")


@cli.group("commitments", invoke_without_command=True)
@click.option("--due", is_flag=True, help="Only those whose deadline has passed with no verdict yet.")
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@click.option("--speaker", help="Only this speaker's (any of their names).")
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
@output_options
@click.pass_context
def commitments_cmd(ctx: click.Context, due: bool, status: Optional[str], speaker: Optional[str], limit: int, db: str,
                    fmt: str) -> None:
    """Commitments found in statements, nearest deadline first: open until the deadline, then due,
    until an editor marks them kept, broken or unclear."""
    if ctx.invoked_subcommand is not None:
        return
    with _errors(), Store.open(db) as store:
        rows = store.commitments(speaker=speaker, status="due" if due else status, limit=limit)
    emit([c.as_dict() for c in rows], COMMITMENT_COLUMNS, fmt)


@commitments_cmd.command("mark")
@click.argument("commitment_id", type=int)
@click.argument("verdict", type=click.Choice(MARKS + ("open",)))
@click.option("--evidence", help="The article (ID) or statement (ID:N, N from 1) that shows it.")
@click.option("--note", help="Why, in a sentence (exported as the review's body).")
@db_option
def commitments_mark_cmd(commitment_id: int, verdict: str, evidence: Optional[str], note: Optional[str], db: str) -> None:
    """Mark a commitment kept, broken or unclear (open: clear the mark)."""
    article, idx = _evidence(evidence)
    with _errors(), Store.open(db) as store:
        c = store.mark_commitment(commitment_id, verdict, article, idx, note)
    click.echo(f"#{c.id} {c.status()}: {c.holder or '?'} — {c.action}")


@commitments_cmd.command("claimreview")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file (default: stdout).")
@click.option("--publisher", default="porteparole", show_default=True, help="The reviewing organisation's name.")
@db_option
def commitments_claimreview_cmd(output: Optional[str], publisher: str, db: str) -> None:
    """Reviewed commitments (kept, broken, unclear) as schema.org ClaimReview JSON-LD, for fact-checkers."""
    with _errors(), Store.open(db) as store:
        reviews = []
        for c in store.commitments():
            if c.mark in MARKS:
                url = store.article(c.evidence_article).url if c.evidence_article else None
                reviews.append(claim_review(c, publisher, url))
    text = json.dumps(reviews, ensure_ascii=False, indent=1) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
        click.echo(f"{len(reviews)} review(s) in {output}", err=True)
    else:
        click.echo(text, nl=False)


def _evidence(value: Optional[str]) -> tuple[Optional[int], Optional[int]]:
    if not value:
        return None, None
    article, _, n = value.partition(":")
    try:
        return int(article), (int(n) - 1 if n else None)
    except ValueError:
        raise click.UsageError(f"--evidence {value!r}: give an article id (12) or a statement (12:3)") from None


@cli.command("events")
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
@output_options
def events_cmd(limit: int, db: str, fmt: str) -> None:
    """Meetings, calls and summits reported in the record: participants, format, date, duration, topics."""
    with _errors(), Store.open(db) as store:
        rows = store.events(limit=limit)
    emit([{**e.as_dict(), "participants": "; ".join(e.participants), "topics": "; ".join(e.topics)} if fmt in ("table", "csv")
          else e.as_dict() for e in rows],
         ("id", "date_first", "participants", "format", "duration", "topics", "article_id"), fmt)
