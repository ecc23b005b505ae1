"""`glossary init`: the schema migrated to its newest revision, and the seed glossary loaded."""

from __future__ import annotations

import click

from .app import make_app
from .files import progress


@click.command(short_help="migrate the database and load the seed glossary and default corpus")
@click.option("--no-seed", is_flag=True, help="only migrate")
def init(no_seed: bool) -> None:
    """Migrate to the newest schema and load seed/ and the default corpus (idempotent: what exists is kept)."""
    from ..extensions import db
    from ..services import interchange, migrate, seed
    from .corpus import import_default

    app = make_app()
    with app.app_context():
        engine = db.engine(app)
        migrated = migrate.upgrade(engine)
        click.echo(f"database: {'migrated to' if migrated else 'already at'} revision {migrate.head(engine)}")
        if no_seed:
            if migrated:  # a migration may rebuild tables, leaving the planner without statistics
                interchange.refresh_statistics(db.session)
            return
        report = seed.load_into(db.session, progress=progress("seed"))
        click.echo(f"seed: {report.summary()}" if report.changed else "seed: already loaded, nothing changed")
        # the corpus shipped in corpus/, indexed with the glossary just loaded; idempotent by checksum
        click.echo(f"corpus: {import_default(db.session)}")
