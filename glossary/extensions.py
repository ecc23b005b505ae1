"""Extensions created unbound and attached to an app in create_app()."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from sqlalchemy.orm import Session, sessionmaker

from .database import make_engine


class Database:
    """One engine per app and one session per app context (request or CLI command). Both live
    in app.extensions, so an app's engine lives exactly as long as the app."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], app.config["DATABASE_LOCK_WAIT_MS"])
        app.extensions["glossary.engine"] = engine
        app.extensions["glossary.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
        app.teardown_appcontext(self._close)

    @staticmethod
    def engine(app: Flask) -> sa.Engine:
        engine: sa.Engine = app.extensions["glossary.engine"]
        return engine

    @property
    def session(self) -> Session:
        from flask import current_app

        if "db_session" not in g:
            g.db_session = current_app.extensions["glossary.sessionmaker"]()
        session: Session = g.db_session
        return session

    @staticmethod
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
