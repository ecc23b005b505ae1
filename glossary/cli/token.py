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


@token.command("list", short_help="list tokens (never their secrets)")
def list_() -> None:
    """List every token: name, scope, when it was created and, if so, when it was revoked."""
    from ..extensions import db
    from ..services import auth

    app = make_app()
    with app.app_context():
        rows = auth.list_tokens(db.session)
        lines = [
            f"{row.name}\t{row.scope}\tcreated {row.created:%Y-%m-%d %H:%M}Z\t"
            + (f"revoked {row.revoked:%Y-%m-%d %H:%M}Z" if row.revoked else "live")
            for row in rows
        ]
    click.echo("\n".join(lines) if lines else "no tokens (glossary token create NAME makes one)")


@token.command(short_help="revoke a token at once")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke every live token named NAME; requests bearing it get 401 from the next one on."""
    from ..extensions import db
    from ..services import auth

    app = make_app()
    with app.app_context():
        count = auth.revoke_tokens(db.session, name)
        db.session.commit()
    click.echo(f"revoked {count} token{'s' if count != 1 else ''} named {name!r}")
