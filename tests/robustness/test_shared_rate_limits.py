"""Two API servers counting rate limits in one Redis, as servers behind a load balancer would."""
import os
import shutil

import pytest

from . import clients
from .conftest import Server

REDIS_URL = os.environ.get("TEST_REDIS_URL") or None


def statuses(bases: list[str], count: int) -> list[int]:
    """``count`` writes (deleting a document that is not there), alternately to each server."""
    return [clients.request("DELETE", f"{bases[n % len(bases)]}/api/documents/999")[0] for n in range(count)]


def servers(migrated_template, tmp_path, storage: str) -> list[Server]:
    tmp_path.mkdir()
    path = tmp_path / "quotes.db"
    shutil.copyfile(migrated_template, path)
    env = {"QUOTES_RATELIMIT_ENABLED": "1", "QUOTES_RATELIMIT_WRITE": "3 per minute",
           "QUOTES_RATELIMIT_STORAGE_URI": storage}
    return [Server(f"sqlite:///{path}", tmp_path / f"server{n}.log", threads=2, env=env) for n in range(2)]


@pytest.mark.slow
@pytest.mark.skipif(REDIS_URL is None, reason="TEST_REDIS_URL is not set")
def test_servers_sharing_redis_share_one_budget_and_memory_counts_per_server(migrated_template, tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # the tests' own Redis database: no counter of an earlier run
    shared = servers(migrated_template, tmp_path / "shared", REDIS_URL)
    apart = servers(migrated_template, tmp_path / "apart", "memory://")
    try:
        for server in shared + apart:
            server.wait_ready()
        # One budget of 3 for both servers: the 4th write is refused, whichever server takes it.
        assert statuses([s.base for s in shared], 6) == [404, 404, 404, 429, 429, 429]
        # In memory, each server counts alone: 3 each.
        assert statuses([s.base for s in apart], 6) == [404] * 6
        assert statuses([s.base for s in apart], 2) == [429, 429]
    finally:
        for server in shared + apart:
            server.stop()
