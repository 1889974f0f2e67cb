"""Immich's sentinel form of REDIS_URL: the queues find the master through a real sentinel."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis

from immich.jobs.types import JobRequest
from tests._server import free_port
from tests.jobs.conftest import clear_queues, eventually, job_app, toy_result


@pytest.fixture(scope="module")
def sentinel_url(redis_url: str) -> Iterator[str]:
    """A redis sentinel watching the session's redis-server, as Immich's ioredis:// URL."""
    master = urlparse(redis_url)
    folder = Path(tempfile.mkdtemp(prefix="immich-test-sentinel-"))
    port = free_port()
    conf = folder / "sentinel.conf"
    conf.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {folder}\n"
        f"sentinel monitor immich {master.hostname} {master.port} 1\n"
    )
    proc = subprocess.Popen(
        [str(shutil.which("redis-server")), str(conf), "--sentinel"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            if client.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "immich"):  # type: ignore[no-untyped-call]
                break
        except redis.ConnectionError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("redis sentinel did not start")
        time.sleep(0.05)
    options = {"sentinels": [{"host": "127.0.0.1", "port": port}], "name": "immich", "db": 0}
    yield "ioredis://" + base64.b64encode(json.dumps(options).encode()).decode()
    client.close()
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(folder, ignore_errors=True)


async def test_worker_runs_jobs_through_a_sentinel(
    app: object, db_url: str, media_dir: Path, redis_url: str, sentinel_url: str
) -> None:
    await clear_queues(db_url, redis_url)
    env = {"REDIS_URL": sentinel_url}
    async with job_app(db_url, media_dir, "api,worker", env) as ctx:
        assert ctx.queues.kind == "redis"
        await ctx.queues.enqueue(JobRequest("ToyRecord", {"tag": "sentinel"}))
        assert await eventually(lambda: toy_result(ctx, "sentinel"))
    # the job went through the master the sentinel named: its completed index is there
    client = redis.Redis.from_url(redis_url)
    assert client.zcard("saq:notifications:completed") == 1
    client.close()
