"""Security headers on every response."""
from flask import Flask, Response, request

# JSON and CSV never need to load anything; HTML pages load only their own files.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# apiflask's interactive docs page starts Swagger UI (served from here, see api.openapi) with an inline script.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def init_app(app: Flask) -> None:
    app.after_request(set_security_headers)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    if "Content-Security-Policy" not in headers:
        if request.path == "/api/docs":
            csp = DOCS_CSP
        elif response.mimetype == "text/html":
            csp = HTML_CSP
        else:
            csp = API_CSP
        headers["Content-Security-Policy"] = csp
    return response
