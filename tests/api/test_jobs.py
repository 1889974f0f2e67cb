"""/api/jobs (Immich's legacy queue endpoints and manual jobs) through the real app."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx

from immich.jobs.types import QUEUE_NAMES, JobRequest
from tests.api.test_queues import STATS, Q, user_headers
from tests.conftest import sign_up_and_login
from tests.jobs.conftest import clear_queues, eventually, running_app, toy_result
from tests.jobs.conftest import toy_fixture as toy_fixture
from tests.plugins import toy_jobs

Toy = tuple[httpx.AsyncClient, Any]


async def test_legacy_queue_list(toy: Toy) -> None:
    client, ctx = toy
    admin = await sign_up_and_login(client)
    await ctx.queues.enqueue(JobRequest("ToyRecord"))
    r = await client.get("/api/jobs", headers=admin)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == set(QUEUE_NAMES)
    assert body[Q] == {
        "jobCounts": {**dict.fromkeys(STATS, 0), "waiting": 1},
        "queueStatus": {"isActive": False, "isPaused": False},
    }


async def test_legacy_commands(toy: Toy) -> None:
    client, ctx = toy
    admin = await sign_up_and_login(client)
    await ctx.queues.enqueue(JobRequest("ToyRecord"))
    r = await client.put(f"/api/jobs/{Q}", json={"command": "pause"}, headers=admin)
    assert r.status_code == 200
    assert r.json()["queueStatus"] == {"isActive": False, "isPaused": True}
    assert r.json()["jobCounts"]["paused"] == 1
    r = await client.put(f"/api/jobs/{Q}", json={"command": "resume"}, headers=admin)
    assert r.json()["queueStatus"]["isPaused"] is False and r.json()["jobCounts"]["waiting"] == 1
    r = await client.put(f"/api/jobs/{Q}", json={"command": "empty"}, headers=admin)
    assert r.json()["jobCounts"]["waiting"] == 0
    r = await client.put(f"/api/jobs/{Q}", json={"command": "clear-failed"}, headers=admin)
    assert r.status_code == 200 and r.json()["jobCounts"]["failed"] == 0


async def test_start_enqueues_immichs_queue_all_job(toy: Toy) -> None:
    client, ctx = toy
    admin = await sign_up_and_login(client)
    r = await client.put(
        "/api/jobs/thumbnailGeneration", json={"command": "start", "force": True}, headers=admin
    )
    assert r.status_code == 200 and r.json()["jobCounts"]["waiting"] == 1
    [job] = await ctx.queues.jobs("thumbnailGeneration", ["waiting"])
    assert (job.name, dict(job.data)) == ("AssetGenerateThumbnailsQueueAll", {"force": True})
    await ctx.queues.empty("thumbnailGeneration")
    r = await client.put("/api/jobs/thumbnailGeneration", json={"command": "start"}, headers=admin)
    [job] = await ctx.queues.jobs("thumbnailGeneration", ["waiting"])
    assert dict(job.data) == {}  # "missing": no force given
    # a queue whose start job no plugin handles starts nothing, as a no-op
    r = await client.put("/api/jobs/smartSearch", json={"command": "start"}, headers=admin)
    assert r.status_code == 200 and r.json()["jobCounts"]["waiting"] == 0
    # Immich has no start job for these queues
    r = await client.put("/api/jobs/backgroundTask", json={"command": "start"}, headers=admin)
    assert r.status_code == 400
    assert r.json() == {"message": "Invalid job name: backgroundTask"}


async def test_start_refused_while_a_job_runs(app: Any, db_url: str, media_dir: Path) -> None:
    await clear_queues(db_url)
    async with running_app(db_url, media_dir, "api,worker") as worker_app:
        ctx = worker_app.state.ctx
        transport = httpx.ASGITransport(app=worker_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
            admin = await sign_up_and_login(client)
            await ctx.queues.enqueue(JobRequest("ToySlow", {"seconds": 1.5}))
            await eventually(lambda: _true(toy_jobs.running["now"] == 1))
            r = await client.put(
                f"/api/jobs/{toy_jobs.SLOW_QUEUE}", json={"command": "start"}, headers=admin
            )
            assert r.status_code == 400 and r.json() == {"message": "Job is already running"}


async def test_manual_user_cleanup_runs_on_a_worker(app: Any, db_url: str, media_dir: Path) -> None:
    await clear_queues(db_url)
    async with running_app(db_url, media_dir, "api,worker") as worker_app:
        pool = worker_app.state.ctx.db.pool
        transport = httpx.ASGITransport(app=worker_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
            admin = await sign_up_and_login(client)
            user = {"email": "gone@example.com", "password": "gone-password", "name": "Gone"}
            r = await client.post("/api/admin/users", json=user, headers=admin)
            user_id = uuid.UUID(r.json()["id"])
            r = await client.request(
                "DELETE", f"/api/admin/users/{user_id}", json={}, headers=admin
            )
            assert r.json()["status"] == "deleted"
            long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
            await pool.execute(
                'UPDATE "user" SET "deletedAt" = $1 WHERE id = $2', long_ago, user_id
            )
            r = await client.post("/api/jobs", json={"name": "user-cleanup"}, headers=admin)
            assert r.status_code == 204 and r.content == b""

            async def gone() -> bool:
                return (
                    await pool.fetchval('SELECT count(*) FROM "user" WHERE id = $1', user_id) == 0
                )

            assert await eventually(gone)


async def test_manual_jobs_bad_input_and_auth(toy: Toy) -> None:
    client, ctx = toy
    assert (await client.post("/api/jobs", json={"name": "user-cleanup"})).status_code == 401
    admin = await sign_up_and_login(client)
    r = await client.post("/api/jobs", json={"name": "person-cleanup"}, headers=admin)
    assert r.status_code == 400 and r.json() == {"message": "Invalid job name"}  # no faces yet
    r = await client.post("/api/jobs", json={"name": "bogus"}, headers=admin)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["name"]
    r = await client.put(f"/api/jobs/{Q}", json={"command": "go"}, headers=admin)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["command"]
    r = await client.put("/api/jobs/nope", json={"command": "pause"}, headers=admin)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["name"]
    user = await user_headers(client, admin)
    assert (await client.get("/api/jobs", headers=user)).status_code == 403
    r = await client.post("/api/jobs", json={"name": "user-cleanup"}, headers=user)
    assert r.status_code == 403
    r = await client.put(f"/api/jobs/{Q}", json={"command": "pause"}, headers=user)
    assert r.status_code == 403
    assert await ctx.queues.paused() == set()
    assert await toy_result(ctx, "start") is None


async def _true(value: bool) -> bool:
    return value


async def test_manual_tag_cleanup_removes_unused_tags(
    app: Any, db_url: str, media_dir: Path
) -> None:
    await clear_queues(db_url)
    async with running_app(db_url, media_dir, "api,worker") as worker_app:
        pool = worker_app.state.ctx.db.pool
        transport = httpx.ASGITransport(app=worker_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
            admin = await sign_up_and_login(client)
            r = await client.put("/api/tags", json={"tags": ["trip/2024"]}, headers=admin)
            assert r.status_code == 200, r.text
            assert await pool.fetchval('SELECT count(*) FROM "tag"') == 2  # with its parent
            r = await client.post("/api/jobs", json={"name": "tag-cleanup"}, headers=admin)
            assert r.status_code == 204, r.text

            async def gone() -> bool:
                return await pool.fetchval('SELECT count(*) FROM "tag"') == 0

            assert await eventually(gone)
