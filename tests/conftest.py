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


SNAPSHOT = "seed_snapshot"  # on PostgreSQL: the schema holding the seeded tables, copied into public per test


def _load_seed(url: str) -> None:
    """The seed glossary into the database at url, as `glossary init` loads it."""
    from sqlalchemy.orm import sessionmaker

    from glossary.services import interchange
    from glossary.services.seed import load_seed

    engine = make_engine(url)
    with sessionmaker(engine)() as session:
        interchange.load(session, load_seed(), "seed", keep_existing=True)
        session.commit()
    engine.dispose()


def _public_tables(conn: sa.Connection) -> list[str]:
    """The app's tables (without alembic_version) in an order foreign keys can be filled in."""
    from glossary.models import Base

    query = "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
    present = set(conn.execute(sa.text(query)).scalars())
    ordered = [t.name for t in Base.metadata.sorted_tables if t.name in present]
    return ordered + sorted(present - set(ordered))


def _truncate_pg() -> None:
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(_public_tables(conn))} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(template_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seed glossary loaded once for the session (it takes seconds; copying it, milliseconds):
    a SQLite file to copy, or on PostgreSQL a schema of copies of the seeded tables, with the
    sequences' values, that _fresh_url puts back into public."""
    if not PG_URL:
        path = tmp_path_factory.mktemp("seeded") / "glossary.db"
        shutil.copy(template_db, path)
        _load_seed(f"sqlite:///{path}")
        return str(path)
    _truncate_pg()
    _load_seed(PG_URL)
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SNAPSHOT}"))
        for table in _public_tables(conn):
            conn.execute(sa.text(f"CREATE TABLE {SNAPSHOT}.{table} AS TABLE public.{table}"))
        conn.execute(
            sa.text(
                f"CREATE TABLE {SNAPSHOT}._sequences AS SELECT sequencename AS name, last_value"
                " FROM pg_sequences WHERE schemaname='public' AND last_value IS NOT NULL"
            )
        )
    engine.dispose()
    return SNAPSHOT


def _restore_snapshot_pg() -> None:
    """Copies the seeded tables back into the emptied public schema, and the sequences' values."""
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        for table in _public_tables(conn):
            conn.execute(sa.text(f"INSERT INTO public.{table} SELECT * FROM {SNAPSHOT}.{table}"))
        conn.execute(sa.text(f"SELECT setval('public.' || name, last_value) FROM {SNAPSHOT}._sequences"))
    engine.dispose()


def _fresh_url(template: str, tmp_path: Path) -> str:
    """A database of the test's own holding what the template holds; on PostgreSQL the one test
    database, emptied (and refilled from the seeded snapshot when template names it)."""
    if PG_URL:
        _truncate_pg()
        if template == SNAPSHOT:
            _restore_snapshot_pg()
        return PG_URL
    target = tmp_path / "glossary.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def db_url(template_db: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The test's database: a copy of the migrated empty one, or of the seeded one for tests
    that use `seeded` (so the seed is loaded once a session, not once a test)."""
    if "seeded" in request.fixturenames:
        return _fresh_url(request.getfixturevalue("seeded_template"), tmp_path)
    return _fresh_url(template_db, tmp_path)


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "instance"
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(path))
    return path


@pytest.fixture
def make_app(instance: Path):  # noqa: ANN201
    """Makes apps on the database GLOSSARY_DATABASE_URL names when called (a second one stands
    for another gunicorn worker) and closes their pools at teardown, so no connection is left
    for the garbage collector to find during some later test."""
    made = []

    def make(**config: object):  # noqa: ANN202
        made.append(create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False} | config))
        return made[-1]

    yield make
    for app in made:
        leaked = db.engine(app).pool.checkedout()
        db.engine(app).dispose()
        assert leaked == 0, f"{leaked} database connection(s) still checked out: a session was not closed"


@pytest.fixture
def app(db_url: str, make_app, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    return make_app()


@pytest.fixture
def client(app):  # noqa: ANN001, ANN201
    return app.test_client()


@pytest.fixture
def session(app):  # noqa: ANN001, ANN201
    """A session of the test's own, outside any app context: requests made by the test client
    get theirs, so they never share a transaction (and its snapshot) with the test."""
    from sqlalchemy.orm import sessionmaker

    session = sessionmaker(db.engine(app), expire_on_commit=False)()
    yield session
    session.close()


def _token(app, name: str, scope: str) -> str:  # noqa: ANN001
    from glossary.services.auth import create_token

    with app.app_context():
        _, token = create_token(db.session, name, scope)
        db.session.commit()
    return token


@pytest.fixture
def write_token(app) -> str:  # noqa: ANN001
    return _token(app, "tests", "write")


@pytest.fixture
def read_token(app) -> str:  # noqa: ANN001
    return _token(app, "reader", "read")


@pytest.fixture
def seeded(app):  # noqa: ANN001, ANN201
    """The app with the real seed glossary loaded: db_url gave it a copy of the seeded template."""
    return app


def needs_shared() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (seed documents and corpus) is absent")


# ---------------------------------------------------------------- markers
# `pytest -m "not slow"` is the quick loop. Tests are marked here, by name, rather than with a
# decorator each, so marking never touches the lines of the tests themselves; test_markers.py
# checks every name still names a test. Measured with --durations=0 (2 cores, under load): a test
# goes here when its call or setup takes more than about a second.
PG_ONLY = "needs a PostgreSQL server (GLOSSARY_TEST_DATABASE_URL)"
SLOW_MODULES = {"test_browser.py", "test_bootstrap.py", "test_lint.py"}
SLOW_TESTS: set[str] = set()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks browser tests, tests that need PostgreSQL (they skip with PG_ONLY as the reason
    without it) and the tests named above `slow`; browser and PostgreSQL tests `browser` and
    `postgres` as well."""
    for item in items:
        module = item.path.name
        if module == "test_browser.py":
            item.add_marker(pytest.mark.browser)
        if any(mark.kwargs.get("reason") == PG_ONLY for mark in item.iter_markers("skipif")):
            item.add_marker(pytest.mark.postgres)
        name = getattr(item, "originalname", item.name)
        if (
            module in SLOW_MODULES
            or f"{module}::{name}" in SLOW_TESTS
            or item.get_closest_marker("browser")
            or item.get_closest_marker("postgres")
        ):
            item.add_marker(pytest.mark.slow)
