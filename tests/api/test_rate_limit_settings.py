"""Rate-limit settings: whose budget a request spends (the peer's address, or behind trusted proxies the
client's, never a header a client wrote), and what happens when the shared storage is out of reach."""
import pytest

from quotes import create_app


@pytest.fixture
def limited(test_config):
    """An app allowing two writes a minute per client, behind ``proxies`` trusted proxies."""
    apps = []

    def make(proxies: int = 0, storage: str = "memory://"):
        app = create_app(type("Limited", (test_config,), {
            "RATELIMIT_ENABLED": True, "RATELIMIT_WRITE": "2 per minute", "TRUSTED_PROXIES": proxies,
            "RATELIMIT_STORAGE_URI": storage, "PROPAGATE_EXCEPTIONS": False}))
        apps.append(app)
        return app.test_client()

    yield make
    for app in apps:
        app.extensions["db"].dispose()


def delete(client, forwarded_for: str | None = None, peer: str = "10.0.0.1") -> int:
    """A write (deleting a document that is not there: 404 until the budget is spent, then 429)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.delete("/api/documents/999", headers=headers, environ_base={"REMOTE_ADDR": peer}).status_code


def test_without_trusted_proxies_a_forwarded_for_header_is_ignored(limited):
    client = limited(0)
    # A client changing the header at each request still spends one budget: its own address's.
    assert [delete(client, f"203.0.113.{n}") for n in range(3)] == [404, 404, 429]
    assert delete(client, peer="10.0.0.2") == 404  # another peer has its own


def test_behind_one_trusted_proxy_each_client_has_its_own_budget(limited):
    client = limited(1)
    # Every request comes from the proxy's address; the proxy appends the address it saw.
    assert [delete(client, "203.0.113.5") for _ in range(3)] == [404, 404, 429]
    assert delete(client, "198.51.100.7") == 404
    # What a client writes in the header before the proxy's entry changes nothing.
    assert delete(client, "198.51.100.7, 203.0.113.5") == 429
    assert delete(client, "192.0.2.1, 198.51.100.7") == 404


def test_behind_two_trusted_proxies_the_client_is_the_address_the_first_one_saw(limited):
    client = limited(2)
    assert [delete(client, f"192.0.2.{n}, 203.0.113.5, 10.1.1.1") for n in range(3)] == [404, 404, 429]
    assert delete(client, "198.51.100.7, 10.1.1.1") == 404


def test_a_negative_proxy_count_is_refused(test_config):
    with pytest.raises(RuntimeError, match="QUOTES_TRUSTED_PROXIES"):
        create_app(type("Bad", (test_config,), {"TRUSTED_PROXIES": -1}))


def test_a_shared_storage_out_of_reach_leaves_each_server_counting_in_memory(limited):
    client = limited(storage="redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert [delete(client) for _ in range(3)] == [404, 404, 429]  # answered and limited, never a 500
