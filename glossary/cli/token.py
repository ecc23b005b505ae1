"""`glossary token …`: API bearer tokens."""

from __future__ import annotations

import click

from .app import make_app
from .groups import Group
from .params import Choice


@click.group(cls=Group, short_help="manage API tokens")
def token() -> None:
    """Manage API bearer tokens."""


@token.command(short_help="create a token (printed once)")
@click.argument("name")
@click.option("--scope", type=Choice(("read", "write")), default="read", show_default=True)
def create(name: str, scope: str) -> None:
    """Create a bearer token; it is printed once on the last line, only its hash is kept."""
    from ..extensions import db
    from ..services import auth

    app = make_app()
    with app.app_context():
        _, secret = auth.create_token(db.session, name, scope)
        db.session.commit()
    click.echo(f"created {scope} token {name!r}; it is shown once, store it now:")
    click.echo(secret)
