"""Bearer-token auth on writes: open when QUOTES_API_TOKEN is unset, required when it is set."""
import hmac

from apiflask import HTTPTokenAuth
from flask import current_app

from .errors import error_response

token_auth = HTTPTokenAuth(
    scheme="Bearer",
    description="Needed for writes when the server sets QUOTES_API_TOKEN.",
)


@token_auth.verify_token
def verify_token(token: str | None):
    expected = current_app.config.get("API_TOKEN")
    if not expected:
        # No token configured: writes are open (the loopback default of `make run`).
        return "anonymous"
    # Constant-time comparison so the token cannot be guessed byte by byte from timings.
    if token and hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        return "token"
    return None


@token_auth.error_processor
def auth_error(error):
    return error_response(
        401,
        "Missing or invalid bearer token: send 'Authorization: Bearer <QUOTES_API_TOKEN>'.",
        headers={"WWW-Authenticate": 'Bearer realm="quotes"'},
    )
