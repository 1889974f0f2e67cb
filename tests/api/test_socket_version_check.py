"""The version check (``VersionCheck`` job) against a release service on a loopback port:
it stores what it found (``getVersionCheck``), broadcasts ``on_new_release`` to every connected
client when that release is newer, stays quiet otherwise, and fails gently without a network.
Never reaches the internet."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from immich.db.repos import system_metadata
from immich.jobs.names import JobName
from immich.jobs.types import JobStatus
from immich.services import version_check
from immich.settings import VERSION_CHECK_URL, load_settings
from plugins import nightly
from tests._server import free_port
from tests.api.socket_helpers import connected, served
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
STATE = "version-check-state"


class ReleaseService:
    """Immich's version endpoint: ``{"version", "published_at"}``; records each query."""

    def __init__(self) -> None:
        self.version = "v3.2.0"
        self.queries: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self.queries.append(scope["query_string"].decode())
        body = json.dumps({"version": self.version, "published_at": "2026-11-30T10:00:00Z"})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body.encode()})


@pytest.fixture
async def release_service() -> AsyncIterator[tuple[ReleaseService, str]]:
    service = ReleaseService()
    async with served(service) as url:
        yield service, f"{url}/version"


@pytest.fixture
async def live_url(app: Any) -> AsyncIterator[str]:
    async with served(app) as url:
        yield url


@pytest.fixture(autouse=True)
async def fresh_state(app: Any) -> AsyncIterator[None]:
    await system_metadata.delete(app.state.ctx.db.pool, STATE)
    yield
    await system_metadata.delete(app.state.ctx.db.pool, STATE)


async def test_a_newer_release_is_broadcast(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: Headers,
    live_url: str,
    release_service: tuple[ReleaseService, str],
) -> None:
    service, url = release_service
    ctx = app.state.ctx
    _, user = await user_and_login(client, admin_headers)
    async with connected(live_url, admin_headers) as admin, connected(live_url, user) as other:
        admin.received("on_new_release")  # what a connect sent (nothing stored yet)
        result = await version_check.run(ctx, url=url)
        assert result.status is JobStatus.success
        assert service.queries == ["channel=stable"]
        expected = {
            "isAvailable": True,
            "serverVersion": {"major": 3, "minor": 1, "patch": 0, "prerelease": None},
            "releaseVersion": {"major": 3, "minor": 2, "patch": 0, "prerelease": None},
            "type": "minor",
        }
        for live in (admin, other):  # a broadcast: every user
            (event,) = await live.next("on_new_release")
            assert event["checkedAt"].endswith("Z")
            assert {k: v for k, v in event.items() if k != "checkedAt"} == expected
    r = await client.get("/api/server/version-check", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["releaseVersion"] == "v3.2.0" and r.json()["checkedAt"] == event["checkedAt"]
    # within 50 s of the last check: skipped, the service is not asked again
    assert (await version_check.run(ctx, url=url)).status is JobStatus.skipped
    assert len(service.queries) == 1


async def test_no_event_when_up_to_date_or_a_pre_release(
    app: Any, admin_headers: Headers, live_url: str, release_service: tuple[ReleaseService, str]
) -> None:
    service, url = release_service
    ctx = app.state.ctx
    async with connected(live_url, admin_headers) as live:
        for version in ("v3.1.0", "v3.2.0-rc.1"):  # ours; a pre-release on the stable channel
            await system_metadata.delete(ctx.db.pool, STATE)
            service.version = version
            assert (await version_check.run(ctx, url=url)).status is JobStatus.success
            state = await system_metadata.get(ctx.db.pool, STATE)
            assert state["releaseVersion"] == version
        await asyncio.sleep(0.5)  # what the bus would have delivered by now
        assert live.received("on_new_release") == []


async def test_without_a_network_the_job_fails_gently(app: Any) -> None:
    dead = f"http://127.0.0.1:{free_port()}/version"  # nothing listens there
    result = await version_check.run(app.state.ctx, url=dead)
    assert result.status is JobStatus.failed and result.reason
    assert result.reason.startswith("version check failed")
    assert await system_metadata.get(app.state.ctx.db.pool, STATE) is None


async def test_disabled_check_asks_nobody(
    app: Any, release_service: tuple[ReleaseService, str]
) -> None:
    service, url = release_service
    ctx = app.state.ctx
    await ctx.config.update({"newVersionCheck": {"enabled": False}})
    try:
        assert (await version_check.run(ctx, url=url)).status is JobStatus.skipped
        assert service.queries == []
    finally:
        await ctx.config.update({"newVersionCheck": {"enabled": True}})


async def test_switching_the_check_on_queues_one(app: Any) -> None:
    ctx = app.state.ctx

    async def queued() -> int:
        jobs = await ctx.queues.jobs("backgroundTask", ["waiting"])
        return sum(job.name == JobName.VersionCheck for job in jobs)

    before = await queued()
    nightly._watch_version_check(ctx)
    try:
        await ctx.config.update({"newVersionCheck": {"enabled": False}})
        assert await queued() == before
        await ctx.config.update({"newVersionCheck": {"enabled": True}})
        assert await queued() == before + 1
    finally:
        unwatch = ctx.state.pop("nightly.version-check")
        unwatch()
        await ctx.queues.empty("backgroundTask")


def test_the_url_is_a_setting() -> None:
    assert load_settings(environ={}, env_file=None).version_check_url == VERSION_CHECK_URL
    env = {"IMMICH_VERSION_CHECK_URL": "http://127.0.0.1:9/v"}
    assert load_settings(environ=env, env_file=None).version_check_url == env[next(iter(env))]
