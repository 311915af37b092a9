"""HTML error pages: people get a sentence in French, not the API's JSON.

Used by the pages' blueprint for errors in its views, and by the app's error handlers
(``api.errors``) for errors outside any view, such as an unknown path asked by a browser.
The page is the web blueprint's template ``web/error.html``.
"""
from flask import render_template
from werkzeug.exceptions import HTTPException

MESSAGES = {
    404: "Cette page n’existe pas.",
    405: "Cette page ne s’ouvre pas ainsi.",
    413: "Ce texte est trop long pour être analysé en une fois. Découpez-le en plusieurs articles.",
    429: "Trop de demandes en peu de temps. Patientez une minute puis réessayez.",
    500: "Une erreur s’est produite de notre côté. Réessayez plus tard ; si elle revient, signalez-la.",
}


def error_page(error: HTTPException):
    """The error as an HTML page with the same status (headers such as Retry-After kept)."""
    response = error.get_response()
    body = render_template("web/error.html", status=error.code, message=MESSAGES.get(error.code, error.description))
    response.set_data(body)
    response.mimetype = "text/html"
    return response


def wants_html_page(request) -> bool:
    """True for a browser asking for a page outside the JSON API."""
    return not request.path.startswith("/api") and request.accept_mimetypes.accept_html


def html_error(status: int, message: str, headers=None):
    """A response with the error page for ``status`` (used for errors outside any view, e.g. an unknown path)."""
    body = render_template("web/error.html", status=status, message=MESSAGES.get(status, message))
    return body, status, {**(headers or {}), "Content-Type": "text/html; charset=utf-8"}


def init_blueprint(bp) -> None:
    # Blueprint handlers win over the app's JSON ones for errors raised inside these views.
    for code in MESSAGES:
        bp.register_error_handler(code, error_page)
