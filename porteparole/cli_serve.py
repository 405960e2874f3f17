"""``porteparole serve``: the JSON API over the record (:mod:`porteparole.serve`)."""
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
              help="Bearer token that POST /api/articles requires (without one, posting is disabled).")
def serve_cmd(db: str, host: str, port: int, token: Optional[str]) -> None:
    """Serve the record as a JSON API (OpenAPI docs at /docs)."""
    import uvicorn

    from .serve.api import create_app

    with _errors():
        app = create_app(db, admin_token=token)
    click.echo(f"porteparole: serving {db} on http://{host}:{port} (docs: /docs; posting articles "
               f"{'needs the token' if token else 'disabled'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
