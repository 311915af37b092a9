"""HTML error pages for the web views: people get a sentence in French, not the API's JSON."""
from flask import render_template
from werkzeug.exceptions import HTTPException

MESSAGES = {
    413: "Ce texte est trop long pour être analysé en une fois. Découpez-le en plusieurs articles.",
    429: "Trop de demandes en peu de temps. Patientez une minute puis réessayez.",
}


def error_page(error: HTTPException):
    """The error as an HTML page with the same status (headers such as Retry-After kept)."""
    response = error.get_response()
    body = render_template("web/error.html", status=error.code, message=MESSAGES.get(error.code, error.description))
    response.set_data(body)
    response.mimetype = "text/html"
    return response


def init_blueprint(bp) -> None:
    # Blueprint handlers win over the app's JSON ones for errors raised inside these views.
    for code in MESSAGES:
        bp.register_error_handler(code, error_page)
