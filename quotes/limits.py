"""Rate limits, read from the configuration at request time (Flask-Limiter syntax): the API's writes and
extraction, and the pages that run the same work (/try's preview and save)."""
from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Created unbound, bound to each app by create_app.
limiter = Limiter(key_func=get_remote_address)


def _write_limit() -> str:
    return current_app.config["RATELIMIT_WRITE"]


def _extract_limit() -> str:
    return current_app.config["RATELIMIT_EXTRACT"]


write_limit = limiter.limit(_write_limit)
extract_limit = limiter.limit(_extract_limit)
