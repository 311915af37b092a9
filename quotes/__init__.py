"""The quotes service: the Flask application factory and the per-request database session.

Flask and its extensions are imported by the factory, not here: the command line
(ingest, export, extract) imports this package too, and would pay half a second
for a web stack it does not use.
"""
import logging
from typing import TYPE_CHECKING

from config import Config

if TYPE_CHECKING:
    from apiflask import APIFlask

__version__ = "0.1.0"

log = logging.getLogger(__name__)


def create_app(config_class=Config) -> "APIFlask":
    """Build the application for ``config_class`` (a ``Config`` subclass)."""
    from apiflask import APIFlask

    from .limits import limiter

    app = APIFlask(
        __name__,
        title="quotes",
        version=__version__,
        spec_path="/api/openapi.json",
        docs_path="/api/docs",
    )
    app.config.from_object(config_class)
    # French text stays readable in JSON (é, not \u00e9); still valid UTF-8 JSON.
    app.json.ensure_ascii = False
    _configure_logging(app)

    from .db import Database

    app.extensions["db"] = Database(
        app.config["SQLALCHEMY_DATABASE_URI"],
        pool_size=app.config["DB_POOL_SIZE"],
        max_overflow=app.config["DB_MAX_OVERFLOW"],
    )
    app.teardown_appcontext(_close_session)

    _trust_proxies(app)
    # Clients learn their budget (X-RateLimit-*) and when to retry (Retry-After).
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # A shared storage out of reach: each process counts in its own memory until it is back,
    # rather than refusing every write.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)

    from . import api
    from .api import documents, errors, extract, health, openapi, security, speakers
    from .api import quotes as quotes_api

    api.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    openapi.init_app(app)
    for module in (documents, quotes_api, speakers, extract, health):
        app.register_blueprint(module.bp, url_prefix="/api")

    from .web import bp as web_bp

    app.register_blueprint(web_bp)

    from .cli import register_flask_commands

    register_flask_commands(app)

    if app.config.get("WARM_MODEL"):
        _warm_model(app)
    return app


def _trust_proxies(app: "APIFlask") -> None:
    """Behind TRUSTED_PROXIES proxies, the client is the address the first of them saw.

    ProxyFix reads that many addresses from the right of X-Forwarded-For, those the
    trusted proxies appended; what a client wrote to the left of them is ignored.
    """
    count = app.config["TRUSTED_PROXIES"]
    if count < 0:
        raise RuntimeError(f"QUOTES_TRUSTED_PROXIES must be 0 or more, got {count}")
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=0, x_host=0, x_port=0, x_prefix=0)


def get_session():
    """The current request's SQLAlchemy session, opened on first use, closed at teardown."""
    from flask import current_app, g

    if "db_session" not in g:
        g.db_session = current_app.extensions["db"].Session()
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    from flask import g

    session = g.pop("db_session", None)
    if session is not None:
        # Closing rolls back whatever the view did not commit.
        session.close()


def _configure_logging(app: "APIFlask") -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.DEBUG if app.debug else logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )


def _warm_model(app: "APIFlask") -> None:
    """Load the spaCy pipeline now so that the first request does not pay for it."""
    from .nlp import load_nlp

    load_nlp(app.config["SPACY_MODEL"])
