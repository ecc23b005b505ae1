"""Alembic environment: the engine comes from glossary.services.migrate (or GLOSSARY_DATABASE_URL)."""

from __future__ import annotations

import os

from alembic import context

from glossary.models import Base
from glossary.services.migrate import modelled

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from glossary.extensions import make_engine

        engine = make_engine(os.environ["GLOSSARY_DATABASE_URL"])
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration copies a table and drops the original; with foreign keys on, that
            # DROP would cascade to every row that references it (a term's forms, translations …).
            # The pragma is a no-op inside a transaction, so it is set before the first BEGIN.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
            include_name=modelled,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").first()):
                    raise RuntimeError(f"migration left a dangling foreign key: {tuple(broken)}")
            if connection.in_transaction():
                connection.commit()
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
