"""Fixtures: an app per test on a fresh database (SQLite by default; PostgreSQL when
GLOSSARY_TEST_DATABASE_URL names one), a client, a CLI runner and small factories."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from glossary import create_app
from glossary.extensions import db, make_engine
from glossary.services import migrate

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("GLOSSARY_TEST_DATABASE_URL")


def pytest_report_header(config: pytest.Config) -> str:
    backend = f"PostgreSQL ({PG_URL})" if PG_URL else "SQLite (set GLOSSARY_TEST_DATABASE_URL for PostgreSQL)"
    return f"glossary database backend: {backend}; shared documents: {'present' if SHARED.is_dir() else 'absent'}"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated empty database: a SQLite file to copy, or the PostgreSQL database itself."""
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        migrate.upgrade(engine)
        engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "glossary.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return str(path)


def _fresh_url(template: str, tmp_path: Path) -> str:
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            tables = (
                conn.execute(
                    sa.text(
                        "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
                    )
                )
                .scalars()
                .all()
            )
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return PG_URL
    target = tmp_path / "glossary.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def db_url(template_db: str, tmp_path: Path) -> str:
    return _fresh_url(template_db, tmp_path)


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "instance"
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(path))
    return path


@pytest.fixture
def make_app(instance: Path):
    """Makes apps on the database GLOSSARY_DATABASE_URL names when called (a second one stands
    for another gunicorn worker) and closes their pools at teardown, so no connection is left
    for the garbage collector to find during some later test."""
    made = []

    def make(**config: object):
        made.append(create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False} | config))
        return made[-1]

    yield make
    for app in made:
        leaked = db.engine(app).pool.checkedout()
        db.engine(app).dispose()
        assert leaked == 0, f"{leaked} database connection(s) still checked out: a session was not closed"


@pytest.fixture
def app(db_url: str, make_app, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """A session of the test's own, outside any app context: requests made by the test client
    get theirs, so they never share a transaction (and its snapshot) with the test."""
    from sqlalchemy.orm import sessionmaker

    session = sessionmaker(db.engine(app), expire_on_commit=False)()
    yield session
    session.close()


def _token(app, name: str, scope: str) -> str:
    from glossary.services.auth import create_token

    with app.app_context():
        _, token = create_token(db.session, name, scope)
        db.session.commit()
    return token


@pytest.fixture
def write_token(app) -> str:
    return _token(app, "tests", "write")


@pytest.fixture
def read_token(app) -> str:
    return _token(app, "reader", "read")


@pytest.fixture
def seeded(app):
    """The app with the real seed glossary loaded."""
    from glossary.services import interchange
    from glossary.services.seed import load_seed

    with app.app_context():
        interchange.load(db.session, load_seed(), "seed", keep_existing=True)
        db.session.commit()
    return app


def needs_shared() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (seed documents and corpus) is absent")
