"""The glossary service: create_app() wires configuration, extensions, blueprints and errors.

Importing the package imports nothing else: `glossary --help` and any `glossary.text` user must
not pay for Flask, SQLAlchemy and the blueprints, so create_app() imports them when it runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from flask import Flask

    from .config import check_ratelimit_storage, from_environment, instance_path
    from .extensions import db, limiter

    instance = instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(from_environment(instance))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
        RATELIMIT_HEADERS_ENABLED=True,
        # limits 5.8's in-memory storage can raise "threads can only be started once" when two
        # threads restart its expiry timer at once; a limiter fault must not fail the request
        RATELIMIT_SWALLOW_ERRORS=True,
    )
    if config:
        app.config.update(config)
    # room for MAX_TEXT_CHARS characters however a client encodes them (\uXXXX escapes included)
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: unlimited
        app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_TEXT_CHARS"] * 6 + (1 << 20)
    from flask.json.provider import DefaultJSONProvider

    assert isinstance(app.json, DefaultJSONProvider)  # the provider Flask() installs
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    if proxies := app.config["TRUSTED_PROXIES"]:
        # behind N load balancers: client address and scheme from their X-Forwarded-For/-Proto,
        # so rate limits count per client, not per balancer (never trusted unless configured)
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask documents wrapping wsgi_app by assignment; its stubs type it as a method
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    db.init_app(app)
    check_ratelimit_storage(app.config["RATELIMIT_STORAGE_URI"])
    from . import ratelimit  # noqa: F401  (registers the database:// storage with the limits library)

    limiter.init_app(app)

    from .services.annotation import AnnotatorCache

    app.extensions["glossary.annotator"] = annotators = AnnotatorCache()
    annotators.watch(app.extensions["glossary.sessionmaker"])
    from .api.term_cache import TRENDS_CACHE_SHARE, TermCache

    app.extensions["glossary.term_cache"] = TermCache(app.config["TERM_CACHE_BYTES"])
    app.extensions["glossary.trends_cache"] = TermCache(app.config["TERM_CACHE_BYTES"] // TRENDS_CACHE_SHARE)

    from . import annotate_pool, errors, fairness, reindexer, security
    from .api import bp as api_bp
    from .web import bp as web_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    errors.init_app(app)
    security.init_app(app)
    fairness.init_app(app)
    annotate_pool.init_app(app)
    reindexer.init_app(app)
    return app
