"""Headers over waitress's limit get waitress's own plain-text 431, before the application sees them: the one
answer outside the JSON error shape, so the README says so, with the limit."""
import http.client

import pytest
from waitress.adjustments import Adjustments

from .conftest import ROOT, Server

README = ROOT / "README.md"
LIMIT = Adjustments.max_request_header_size


@pytest.fixture
def served(migrated_db_url, tmp_path):
    """`python -m quotes serve` on a free port."""
    server = Server(migrated_db_url, tmp_path / "server.log", threads=1)
    try:
        server.wait_ready()
        yield server.port
    finally:
        server.stop()


def get(port: int, header_size: int) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("GET", "/api/health")
    connection.putheader("X-Padding", "a" * header_size)
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.mark.slow
def test_headers_over_the_limit_get_the_documented_431(served):
    assert get(served, LIMIT // 2).status == 200
    refused = get(served, LIMIT + 1)
    assert refused.status == 431
    assert refused.getheader("Content-Type").startswith("text/plain")
    readme = README.read_text(encoding="utf-8")
    assert "431" in readme and f"{LIMIT // 1024} KiB" in readme
