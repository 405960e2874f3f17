"""``porteparole serve`` (the web pages and the JSON API) and the editors' commands: feedback, review, mark-reviewed, export-gold."""
from __future__ import annotations

from typing import Optional

import click

from .cli import _errors, cli
from .cli_record import db_option


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--token", envvar="PORTEPAROLE_ADMIN_TOKEN", default=None, show_envvar=True,
              help="The editors' token: POST /api/articles and the review pages (/admin) need it (without one, both are disabled).")
def serve_cmd(db: str, host: str, port: int, token: Optional[str]) -> None:
    """Serve the record: web pages for people, a JSON API for tools (OpenAPI docs at /docs)."""
    import uvicorn

    from .serve.api import create_app

    with _errors():
        app = create_app(db, admin_token=token)
    click.echo(f"porteparole: serving {db} on http://{host}:{port} (API docs: /docs; posting articles and review "
               f"{'need the token' if token else 'disabled'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


# ---------------------------------------------------------------------- readers' corrections, in the terminal
@cli.command("feedback")
@db_option
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected"]), default="pending", show_default=True)
@click.option("--article", "article_id", type=int, help="Only this article's.")
def feedback_cmd(db: str, status: str, article_id: Optional[int]) -> None:
    """List readers' corrections and comments (the e-mail addresses are never shown)."""
    from . import feedback as fb
    from .store import Store

    with _errors(), Store.open(db) as store:
        items = fb.feedback(store, article_id=article_id, status=status, limit=None)
    for f in items:
        value = f" → {f.value}" if f.value else ""
        click.echo(f"#{f.id}\t{f.kind}\tarticle {f.article_id} statement {f.idx + 1}\t{f.name}{value}\t{' '.join(f.body.split())}")
    click.echo(f"{len(items)} {status}", err=True)


@cli.command("review")
@click.argument("feedback_id", type=int)
@click.argument("decision", type=click.Choice(["accept", "reject"]))
@db_option
def review_cmd(feedback_id: int, decision: str, db: str) -> None:
    """Accept (and apply) or reject a reader's correction or comment."""
    from . import feedback as fb
    from .store import Store

    with _errors(), Store.open(db) as store:
        item = fb.review(store, feedback_id, accept=decision == "accept")
    click.echo(f"#{item.id} {item.status}")


@cli.command("mark-reviewed")
@click.argument("article_ids", type=int, nargs=-1, required=True)
@click.option("--undo", is_flag=True, help="Unmark them.")
@db_option
def mark_reviewed_cmd(article_ids: tuple[int, ...], undo: bool, db: str) -> None:
    """Mark articles as reviewed by an editor (export-gold writes them)."""
    from . import feedback as fb
    from .store import Store

    with _errors(), Store.open(db) as store:
        for aid in article_ids:
            fb.mark_reviewed(store, aid, reviewed=not undo)
    click.echo(f"{len(article_ids)} article(s) {'unmarked' if undo else 'marked as reviewed'}")


@cli.command("export-gold")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the gold files.")
@click.option("--article", "article_ids", type=int, multiple=True, help="These articles (default: every reviewed one).")
@db_option
def export_gold_cmd(out_dir: str, article_ids: tuple[int, ...], db: str) -> None:
    """Write reviewed articles as gold files (../shared/gold/FORMAT.md), readers' accepted corrections included."""
    from . import feedback as fb
    from .store import Store

    with _errors(), Store.open(db) as store:
        paths = fb.export_gold(store, out_dir, list(article_ids) if article_ids else None)
    for p in paths:
        click.echo(str(p))
    click.echo(f"{len(paths)} gold file(s) in {out_dir}"
               + ("" if paths else "; mark articles as reviewed first (web /admin, or `porteparole mark-reviewed ID`)"),
               err=True)
