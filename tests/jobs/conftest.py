"""Fixtures for the job tests: a real redis-server, apps with chosen roles and backends."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
import redis
from starlette.applications import Starlette

from immich.app import create_app
from immich.context import AppContext
from tests._server import free_port
from tests.conftest import make_settings, reset_database
from tests.plugins import toy_jobs

T = TypeVar("T")
TOY_REPLACES = "thumbnails"  # installed plugins whose job names the toy plugin takes over


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """One real redis-server for the session, on a free port, persisting nothing."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="immich-test-redis-"))
    port = free_port()
    args = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(
        [*args, "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    yield url
    client.close()
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["postgres", "redis"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def queue_env(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """Settings that pick the queue backend under test."""
    if backend == "redis":
        return {"REDIS_URL": request.getfixturevalue("redis_url")}
    return {}


async def clear_queues(db_url: str, redis_url: str | None = None) -> None:
    """Empty every table and forget every job (saq's table and Redis), toy records too."""
    conn = await asyncpg.connect(db_url)
    try:
        await reset_database(conn)  # type: ignore[arg-type]
        if await conn.fetchval("SELECT to_regclass('saq_jobs') IS NOT NULL"):
            await conn.execute("DELETE FROM saq_jobs")
    finally:
        await conn.close()
    if redis_url:
        client = redis.Redis.from_url(redis_url)
        client.flushdb()
        client.close()
    toy_jobs.reset()


@pytest.fixture
async def clean_jobs(app: Any, db_url: str, queue_env: dict[str, str]) -> None:
    """No jobs, no toy records (``app``: the session's app has migrated the database)."""
    await clear_queues(db_url, queue_env.get("REDIS_URL"))


@contextlib.asynccontextmanager
async def running_app(
    db_url: str,
    media: Path,
    roles: str,
    env: dict[str, str] | None = None,
    extra: Sequence[tuple[str, object]] = (),
) -> AsyncIterator[Starlette]:
    """An app with the toy job plugin (and ``extra`` plugins) and the given roles, running
    for the block.

    The toy stands in for the thumbnails plugin's AssetGenerateThumbnailsQueueAll, so that
    plugin is skipped (a job name registered twice stops start-up)."""
    env = {"IMMICH_PLUGINS_SKIP": TOY_REPLACES, **(env or {})}
    settings = make_settings(db_url, media, IMMICH_ROLES=roles, **env)
    app = create_app(settings, extra_plugins=[("toy_jobs", toy_jobs), *extra])
    async with app.router.lifespan_context(app):
        yield app


@contextlib.asynccontextmanager
async def job_app(
    db_url: str,
    media: Path,
    roles: str,
    env: dict[str, str] | None = None,
    extra: Sequence[tuple[str, object]] = (),
) -> AsyncIterator[AppContext]:
    """``running_app``'s context."""
    async with running_app(db_url, media, roles, env, extra) as app:
        ctx: AppContext = app.state.ctx
        yield ctx


async def eventually(
    probe: Callable[[], Awaitable[T | None]] | Callable[[], T | None],
    within: float = 10.0,
    interval: float = 0.05,
) -> T:
    """Poll ``probe`` (sync or async) until it returns something truthy; return that (fail at
    the deadline)."""
    deadline = time.monotonic() + within
    while True:
        result = probe()
        value = await result if inspect.isawaitable(result) else result
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s (last: {value!r})")
        await asyncio.sleep(interval)


@pytest.fixture(name="toy")
async def toy_fixture(
    app: Any, db_url: str, media_dir: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, AppContext]]:
    """A client on an api-only app with the toy jobs (nothing consumes: jobs stay waiting)."""
    await clear_queues(db_url)
    async with running_app(db_url, media_dir, "api") as toy_app:
        transport = httpx.ASGITransport(app=toy_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
            yield client, toy_app.state.ctx


async def toy_result(ctx: AppContext, tag: str) -> Any:
    from immich.db.repos import system_metadata

    return await system_metadata.get(ctx.db.pool, toy_jobs.RESULT_PREFIX + tag)
