"""`serve` warns when it listens beyond loopback with no token set (writes would be open to anyone who can reach it)."""
import logging

import pytest

import quotes.api.health  # noqa: F401  bound to the real load_nlp before the fixture below replaces it
from quotes import cli

WARNING = "without QUOTES_API_TOKEN"


class _Bound:
    """A server that returns from run() at once."""

    def run(self):
        pass


@pytest.fixture
def served(monkeypatch):
    """Run `python -m quotes serve` in-process with the server and the model load replaced; the hosts served."""
    hosts = []

    def make_server(app, host, port, threads):
        hosts.append(host)
        return _Bound()

    monkeypatch.setattr("quotes.serve.make_server", make_server)
    monkeypatch.setattr("quotes.nlp.load_nlp", lambda name=None: None)
    return hosts


@pytest.mark.parametrize("host, token, warned", [
    ("0.0.0.0", None, True),
    ("192.0.2.10", None, True),
    ("::", None, True),
    ("0.0.0.0", "s3cret", False),
    ("127.0.0.1", None, False),
    ("::1", None, False),
    ("localhost", None, False),
])
def test_serve_warns_beyond_loopback_without_token(migrated_db_url, served, monkeypatch, caplog, host, token, warned):
    monkeypatch.setattr("config.Config.API_TOKEN", token)
    with caplog.at_level(logging.WARNING, logger="quotes.cli"):
        assert cli.main(["--database-url", migrated_db_url, "serve", "--host", host, "--port", "5999"]) == 0
    assert served == [host]
    assert any(WARNING in record.getMessage() for record in caplog.records) is warned
