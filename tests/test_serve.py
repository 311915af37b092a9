"""`python -m quotes serve` as a user meets it: accented words typed into a URL, a taken port, the README's curl line."""
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from quotes import migrate, serve, store
from quotes.db import Database
from tests.conftest import quote_in

ROOT = Path(__file__).resolve().parents[1]
TEXT = "«La sécurité de l’Europe se joue ici», a déclaré Josep Borrell."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(url: str, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "quotes", "--database-url", url, "serve", "--port", str(port)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, "QUOTES_RATELIMIT_ENABLED": "0"},
    )


def raw_get(port: int, target: bytes) -> tuple[int, bytes]:
    """Status and body of a GET whose request line is sent byte for byte, as curl sends what is typed."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(port, database URL) of a served archive holding one article by Josep Borrell."""
    url = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'quotes.db'}"
    migrate.upgrade(url)
    database = Database(url)
    with database.session_scope() as session:
        store.save_document(session, store.DocumentInput(TEXT, source="Libération", published_at=datetime(2022, 1, 20)),
                            [quote_in(TEXT, "La sécurité de l’Europe se joue ici", speaker="Josep Borrell")])
    database.dispose()
    port = free_port()
    server = start(url, port)
    try:
        for _ in range(900):  # waits for start-up (the model loads first), not a timing assertion
            try:
                if raw_get(port, b"/api/health")[0] == 200:
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.1)
        yield port, url
    finally:
        server.terminate()
        server.communicate(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("target", [
    "/api/quotes?q=sécurité".encode(),  # raw UTF-8, as curl sends it
    b"/api/quotes?q=s%C3%A9curit%C3%A9",  # percent-encoded, as a browser sends it
    "/api/quotes?source=libération".encode(),
    "/api/quotes?source=LIBERATION&speaker=Bórrell".encode(),
])
def test_accented_words_typed_into_a_url_are_searched(live, target):
    status, body = raw_get(live[0], target)
    assert status == 200, body
    assert b'"total":1' in body and "sécurité".encode() in body


@pytest.mark.slow
def test_a_taken_port_is_one_clear_line_and_a_failure(live):
    port, url = live
    result = subprocess.run([sys.executable, "-m", "quotes", "--database-url", url, "serve", "--port", str(port)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: port {port} on 127.0.0.1 is already in use: stop what serves there, "
        f"or choose another port (PORT={port + 1} make run)"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_readme_csv_download_works_twice_in_a_row(live, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [line] = [line.strip() for line in readme.splitlines() if line.strip().startswith("curl") and "quotes.csv" in line]
    command = line.replace("localhost:5000", f"localhost:{live[0]}")
    for _ in range(2):
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    [written] = list(tmp_path.iterdir())
    assert written.name == "quotes-borrell-from-2022-01.csv"
    assert "La sécurité de l’Europe se joue ici" in written.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("line, expected", [
    ("GET /api/quotes?q=sécurité HTTP/1.1", b"GET /api/quotes?q=s%C3%A9curit%C3%A9 HTTP/1.1"),
    ("GET /pé HTTP/1.1", b"GET /p%C3%A9 HTTP/1.1"),
    ("GET /api/quotes?q=abc HTTP/1.1", b"GET /api/quotes?q=abc HTTP/1.1"),
])
def test_the_request_line_is_percent_encoded_as_a_browser_would(line, expected):
    header = line.encode() + "\r\nHost: é\r\n\r\n".encode()
    assert serve.percent_encode_request_line(header) == expected + b"\r\nHost: \xc3\xa9\r\n\r\n"
