"""/api/queues through the real app: counts, pause/resume, job listings, emptying, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from immich.jobs.types import QUEUE_NAMES, JobRequest
from tests.conftest import sign_up_and_login
from tests.jobs.conftest import clear_queues, eventually, running_app
from tests.jobs.conftest import toy_fixture as toy_fixture

STATS = {"active", "completed", "delayed", "failed", "paused", "waiting"}
Q = "notifications"  # the toy plugin's queue


async def user_headers(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, str]:
    """A signed-in non-admin user's headers."""
    user = {"email": "user@example.com", "password": "user-password", "name": "User"}
    r = await client.post("/api/admin/users", json=user, headers=admin)
    assert r.status_code == 201, r.text
    r = await client.post(
        "/api/auth/login", json={"email": user["email"], "password": user["password"]}
    )
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['accessToken']}"}


async def test_list_queues_as_immich(toy: tuple[httpx.AsyncClient, Any]) -> None:
    client, ctx = toy
    admin = await sign_up_and_login(client)
    await ctx.queues.enqueue_all([JobRequest("ToyRecord", {"tag": "1"}), JobRequest("ToyRecord")])
    r = await client.get("/api/queues", headers=admin)
    assert r.status_code == 200
    body = r.json()
    assert [q["name"] for q in body] == list(QUEUE_NAMES)
    for queue in body:
        assert set(queue) == {"name", "isPaused", "statistics"}
        assert set(queue["statistics"]) == STATS and queue["isPaused"] is False
    by_name = {q["name"]: q["statistics"] for q in body}
    assert by_name[Q] == {**dict.fromkeys(STATS, 0), "waiting": 2}
    r = await client.get(f"/api/queues/{Q}", headers=admin)
    assert r.status_code == 200 and r.json() == {
        "name": Q,
        "isPaused": False,
        "statistics": {**dict.fromkeys(STATS, 0), "waiting": 2},
    }


async def test_pause_resume_and_job_listing(toy: tuple[httpx.AsyncClient, Any]) -> None:
    client, ctx = toy
    admin = await sign_up_and_login(client)
    job_id = await ctx.queues.enqueue(JobRequest("ToyRecord", {"tag": "x"}))
    r = await client.put(f"/api/queues/{Q}", json={"isPaused": True}, headers=admin)
    assert r.status_code == 200
    assert r.json()["isPaused"] is True
    assert r.json()["statistics"]["paused"] == 1 and r.json()["statistics"]["waiting"] == 0
    r = await client.get(f"/api/queues/{Q}/jobs", params={"status": "paused"}, headers=admin)
    assert r.status_code == 200
    [job] = r.json()
    assert job["id"] == job_id and job["name"] == "ToyRecord" and job["data"] == {"tag": "x"}
    assert isinstance(job["timestamp"], int) and job["timestamp"] > 1_600_000_000_000
    r = await client.get(f"/api/queues/{Q}/jobs?status=waiting&status=active", headers=admin)
    assert r.json() == []
    r = await client.put(f"/api/queues/{Q}", json={}, headers=admin)  # no change asked
    assert r.json()["isPaused"] is True
    r = await client.put(f"/api/queues/{Q}", json={"isPaused": False}, headers=admin)
    assert r.json()["isPaused"] is False and r.json()["statistics"]["waiting"] == 1
    r = await client.get(f"/api/queues/{Q}/jobs?status=waiting,delayed", headers=admin)
    assert [j["id"] for j in r.json()] == [job_id]
    r = await client.get(f"/api/queues/{Q}/jobs", headers=admin)
    assert [j["id"] for j in r.json()] == [job_id]


async def test_empty_queue(toy: tuple[httpx.AsyncClient, Any]) -> None:
    client, ctx = toy
    admin = await sign_up_and_login(client)
    await ctx.queues.enqueue_all([JobRequest("ToyRecord"), JobRequest("ToyChain", {"tag": "t"})])
    r = await client.request("DELETE", f"/api/queues/{Q}/jobs", json={}, headers=admin)
    assert r.status_code == 204 and r.content == b""
    r = await client.get(f"/api/queues/{Q}", headers=admin)
    assert r.json()["statistics"]["waiting"] == 0
    r = await client.request(
        "DELETE", f"/api/queues/{Q}/jobs", json={"failed": True}, headers=admin
    )
    assert r.status_code == 204


async def test_failed_jobs_counted_and_cleared(app: Any, db_url: str, media_dir: Path) -> None:
    await clear_queues(db_url)
    async with running_app(db_url, media_dir, "api,worker") as worker_app:
        ctx = worker_app.state.ctx
        transport = httpx.ASGITransport(app=worker_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
            admin = await sign_up_and_login(client)
            await ctx.queues.enqueue(JobRequest("ToyFail", {"tag": "f"}))

            async def failed() -> int:
                r = await client.get(f"/api/queues/{Q}", headers=admin)
                return int(r.json()["statistics"]["failed"])

            assert await eventually(failed) == 1
            r = await client.get(f"/api/queues/{Q}/jobs?status=failed", headers=admin)
            assert [(j["name"], j["data"]) for j in r.json()] == [("ToyFail", {"tag": "f"})]
            r = await client.request(
                "DELETE", f"/api/queues/{Q}/jobs", json={"failed": True}, headers=admin
            )
            assert r.status_code == 204 and await failed() == 0


async def test_background_task_queue_cannot_be_paused(toy: tuple[httpx.AsyncClient, Any]) -> None:
    client, _ = toy
    admin = await sign_up_and_login(client)
    r = await client.put("/api/queues/backgroundTask", json={"isPaused": True}, headers=admin)
    assert r.status_code == 400
    assert r.json() == {"message": "The BackgroundTask queue cannot be paused"}


async def test_bad_input(toy: tuple[httpx.AsyncClient, Any]) -> None:
    client, _ = toy
    admin = await sign_up_and_login(client)
    for method, url in [
        ("GET", "/api/queues/nope"),
        ("PUT", "/api/queues/nope"),
        ("GET", "/api/queues/nope/jobs"),
        ("DELETE", "/api/queues/nope/jobs"),
    ]:
        r = await client.request(method, url, json={}, headers=admin)
        assert r.status_code == 400, (method, url)
        body = r.json()
        assert body["message"] == "Validation failed"
        assert [e["path"] for e in body["errors"]] == [["name"]]
        assert "thumbnailGeneration" in body["errors"][0]["message"]
    r = await client.put(f"/api/queues/{Q}", json={"isPaused": "yes"}, headers=admin)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["isPaused"]
    r = await client.get(f"/api/queues/{Q}/jobs?status=done", headers=admin)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["status", 0]


async def test_auth_rules(toy: tuple[httpx.AsyncClient, Any]) -> None:
    client, _ = toy
    r = await client.get("/api/queues")
    assert r.status_code == 401 and r.json() == {"message": "Authentication required"}
    admin = await sign_up_and_login(client)
    user = await user_headers(client, admin)
    for method, url in [
        ("GET", "/api/queues"),
        ("GET", f"/api/queues/{Q}"),
        ("PUT", f"/api/queues/{Q}"),
        ("GET", f"/api/queues/{Q}/jobs"),
        ("DELETE", f"/api/queues/{Q}/jobs"),
    ]:
        r = await client.request(method, url, json={}, headers=user)
        assert r.status_code == 403, (method, url)
    r = await client.post(
        "/api/api-keys", json={"name": "k", "permissions": ["queue.read"]}, headers=admin
    )
    assert r.status_code == 201, r.text
    key = {"x-api-key": r.json()["secret"]}
    assert (await client.get("/api/queues", headers=key)).status_code == 200
    r = await client.get(f"/api/queues/{Q}/jobs", headers=key)
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: queueJob.read"}
