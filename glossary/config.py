"""Configuration read from the environment; importing this module has no side effects."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_MAX_TEXT_CHARS = 2_000_000
DEFAULT_LOCK_WAIT_MS = 30_000
DEFAULT_TERM_CACHE_BYTES = 32 * 1024 * 1024  # per worker


def _int_env(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be {'positive' if minimum == 1 else f'at least {minimum}'}, got {value}")
    return value


def _choice_env(name: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (the first when unset)."""
    raw = os.environ.get(name) or choices[0]
    if raw not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def secret_key(instance_path: Path) -> str:
    """GLOSSARY_SECRET_KEY, or a key generated once into instance/secret_key (never committed)."""
    if key := os.environ.get("GLOSSARY_SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Written whole under a name of its own (mode 0600), then linked into place: of processes
        # starting at once on a new instance folder one wins and the others read its whole key,
        # never a half-written (empty) file, nor a FileExistsError.
        fd, spare = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):
                os.link(spare, path)
        finally:
            os.unlink(spare)
    if not (key := path.read_text().strip()):
        raise ValueError(f"{path} is empty: delete it (a new key is made) or set GLOSSARY_SECRET_KEY")
    return key


def default_storage_uri(database_url: str, instance_path: str) -> str:
    """Rate-limit counters every worker shares: in the app's PostgreSQL database, or in a SQLite
    file of their own beside a SQLite glossary (glossary/ratelimit.py)."""
    if database_url.startswith("postgresql"):
        return "database://"
    return f"database+sqlite:///{instance_path}/ratelimits.db"


def instance_path() -> Path:
    """GLOSSARY_INSTANCE_PATH, or instance/ beside the package: where a SQLite glossary, the
    secret key and the rate-limit counters live."""
    default = Path(__file__).resolve().parent.parent / "instance"
    return Path(os.environ.get("GLOSSARY_INSTANCE_PATH") or default).resolve()


def database_url(instance: Path) -> str:
    """GLOSSARY_DATABASE_URL, or a SQLite file in the instance folder."""
    return os.environ.get("GLOSSARY_DATABASE_URL") or f"sqlite:///{instance / 'glossary.db'}"


def from_environment(instance_path: Path) -> dict[str, Any]:
    """The settings a deployment controls, with their defaults."""
    db_url = database_url(instance_path)
    return {
        "DATABASE_URL": db_url,
        "SECRET_KEY": secret_key(instance_path),
        "MAX_TEXT_CHARS": _int_env("GLOSSARY_MAX_TEXT_CHARS", DEFAULT_MAX_TEXT_CHARS),
        "TERM_CACHE_BYTES": _int_env("GLOSSARY_TERM_CACHE_BYTES", DEFAULT_TERM_CACHE_BYTES, minimum=0),
        # how long a SQLite writer waits for another's lock before answering 503 "busy"
        "DATABASE_LOCK_WAIT_MS": _int_env("GLOSSARY_DATABASE_LOCK_WAIT_MS", DEFAULT_LOCK_WAIT_MS),
        "RATELIMIT_SEARCH": os.environ.get("GLOSSARY_RATELIMIT_SEARCH", "600 per minute"),
        "RATELIMIT_ANNOTATE": os.environ.get("GLOSSARY_RATELIMIT_ANNOTATE", "120 per minute"),
        # annotate's cost: characters per client, whatever the number of requests
        "RATELIMIT_ANNOTATE_CHARS": os.environ.get("GLOSSARY_RATELIMIT_ANNOTATE_CHARS", "4000000 per minute"),
        # an annotate request of this many bytes or more is large (about 100,000 Chinese characters):
        # at most ANNOTATE_LARGE_CONCURRENCY run at once on the host (all workers), others get 503 at once
        "ANNOTATE_LARGE_BYTES": _int_env("GLOSSARY_ANNOTATE_LARGE_BYTES", 300_000),
        "ANNOTATE_LARGE_CONCURRENCY": _int_env("GLOSSARY_ANNOTATE_LARGE_CONCURRENCY", 1),
        # where a large annotate's annotation runs: a child process of the worker, or the request thread
        "ANNOTATE_POOL": _choice_env("GLOSSARY_ANNOTATE_POOL", ("process", "off")),
        # the longest text annotated to HTML (the page, or format html): its reply is ~10× the text
        "ANNOTATE_HTML_MAX_CHARS": _int_env("GLOSSARY_ANNOTATE_HTML_MAX_CHARS", 200_000),
        # the longest annotated text an editor or token holder may save to share (/a/<id>)
        "SHARE_MAX_CHARS": _int_env("GLOSSARY_SHARE_MAX_CHARS", 100_000),
        "RATELIMIT_LOGIN": os.environ.get("GLOSSARY_RATELIMIT_LOGIN", "10 per minute"),
        # failed sign-ins per account name, from any address
        "RATELIMIT_LOGIN_ACCOUNT": os.environ.get("GLOSSARY_RATELIMIT_LOGIN_ACCOUNT", "5 per 10 minutes"),
        # shared by the workers of a host by default (see glossary/ratelimit.py); redis:// for several hosts
        "RATELIMIT_STORAGE_URI": os.environ.get("GLOSSARY_RATELIMIT_STORAGE_URI")
        or default_storage_uri(db_url, str(instance_path)),
        "RATELIMIT_ENABLED": os.environ.get("GLOSSARY_RATELIMIT_ENABLED", "1") != "0",
        # how many proxies (load balancers) in front of the app set X-Forwarded-For/-Proto; 0 trusts none
        "TRUSTED_PROXIES": _int_env("GLOSSARY_TRUSTED_PROXIES", 0, minimum=0),
        "SESSION_COOKIE_SECURE": os.environ.get("GLOSSARY_INSECURE_COOKIES", "0") != "1",
        # an editor's session ends after this long without a request, and this long after sign-in
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=_int_env("GLOSSARY_SESSION_IDLE_MINUTES", 60)),
        "SESSION_MAX_HOURS": _int_env("GLOSSARY_SESSION_MAX_HOURS", 12),
        # who re-indexes the corpus after a term edit: background | inline | off (glossary/reindexer.py)
        "CORPUS_REINDEX": _choice_env("GLOSSARY_CORPUS_REINDEX", ("background", "inline", "off")),
    }


def check_ratelimit_storage(uri: str) -> None:
    """A Redis storage URI needs the redis client, an optional extra: say how to get it, instead
    of the limits library's "'redis' prerequisite not available" at start-up."""
    scheme = uri.partition("://")[0].lower()
    if scheme.startswith("redis") and importlib.util.find_spec("redis") is None:
        raise ValueError(
            f"GLOSSARY_RATELIMIT_STORAGE_URI is a {scheme}:// URI, which needs the redis package: "
            "pip install -e '.[redis]' (or pip install redis)"
        )
