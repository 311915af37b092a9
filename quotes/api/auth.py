"""Bearer-token auth on writes: open when QUOTES_API_TOKEN is unset, required when it is set."""
import hmac

from apiflask import HTTPTokenAuth
from flask import current_app

from .errors import error_response


class ConfiguredTokenAuth(HTTPTokenAuth):
    """Token auth whose token comes from the configuration, checked in constant time."""

    def authenticate(self, auth, stored_password):
        # Flask-HTTPAuth rejects a request without a token before asking us;
        # here no configured token means writes are open, so we decide.
        expected = current_app.config.get("API_TOKEN")
        if not expected:
            return "anonymous"
        token = getattr(auth, "token", None)
        # compare_digest: the time taken does not tell how many leading bytes matched.
        if token and hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
            return "token"
        return None


token_auth = ConfiguredTokenAuth(
    scheme="Bearer",
    description="Needed for writes when the server sets QUOTES_API_TOKEN.",
)


@token_auth.error_processor
def auth_error(error):
    return error_response(
        401,
        "Missing or invalid bearer token: send 'Authorization: Bearer <QUOTES_API_TOKEN>'.",
        headers={"WWW-Authenticate": 'Bearer realm="quotes"'},
    )
