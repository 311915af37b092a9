"""CSRF protection for the one HTML form that writes (Save in /try): a double-submit cookie.

Why this and not a signed session token: the app has no SECRET_KEY to configure and keep, and
the double-submit check needs none. The browser gets a random token in a cookie (SameSite=Strict,
HttpOnly) and the same token in a hidden field; a write is accepted only when both match. Another
site can make a browser post a form here but can neither read the cookie nor, with SameSite=Strict,
have it sent along, so a forged post fails the comparison.
"""
import hmac
import secrets

from flask import g, request
from flask.wrappers import Response

COOKIE = "quotes_csrf"
FIELD = "csrf_token"


def csrf_token() -> str:
    """This browser's token: the one its cookie holds, or a new one the response will set."""
    token = request.cookies.get(COOKIE, "")
    if len(token) < 32:
        if "csrf_new" not in g:
            g.csrf_new = secrets.token_urlsafe(32)
        token = g.csrf_new
    return token


def set_cookie(response: Response) -> Response:
    """Send the token cookie when this request made a new one."""
    token = g.pop("csrf_new", None)
    if token is not None:
        response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure, path="/")
    return response


def is_valid(form) -> bool:
    """Whether the posted field matches the cookie (compared in constant time)."""
    cookie = request.cookies.get(COOKIE, "")
    sent = form.get(FIELD, "")
    return len(cookie) >= 32 and hmac.compare_digest(cookie.encode(), sent.encode())
