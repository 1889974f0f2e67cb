"""Job leases on both backends: a dead worker's job comes back, a bounded number of times, then
fails with the reason kept; it never blocks "start"; a live worker's long job is not taken.

A dead worker is played by the test itself: it takes a job from the queue and marks it running
exactly as saq's worker does (``Worker.process``), then never renews its lease.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from saq.job import Job, Status
from saq.utils import now

from immich.context import AppContext
from immich.jobs import lease
from immich.jobs.types import JobRequest
from tests.conftest import sign_up_and_login
from tests.jobs.conftest import eventually, job_app, running_app, toy_result
from tests.plugins import toy_jobs

pytestmark = pytest.mark.usefixtures("clean_jobs")
LEASE = {"IMMICH_JOB_LEASE_SECONDS": "1"}


async def take_and_die(ctx: AppContext, queue: str, attempts: int = 1) -> Job:
    """Take the next job of ``queue`` and mark it running for a worker that then dies."""
    job = await ctx.queues.queue(queue).dequeue(timeout=5)
    assert job is not None
    job.started = now()
    job.attempts = attempts
    job.worker_id = "dead-worker"
    await job.update(status=Status.ACTIVE)
    return job


async def test_a_dead_workers_job_is_retried_within_the_lease(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    async with job_app(db_url, media_dir, "api", {**queue_env, **LEASE}) as api:
        await api.queues.enqueue(JobRequest("ToyRecord", {"tag": "orphan"}))
        job = await take_and_die(api, "notifications")
        assert job.heartbeat == 1 and job.retries == lease.CRASH_ATTEMPTS
        assert (await api.queues.counts(("notifications",)))["notifications"].active == 1
        started = time.monotonic()
        async with job_app(db_url, media_dir, "worker", {**queue_env, **LEASE}):
            assert await eventually(lambda: toy_result(api, "orphan"), within=10)
        assert time.monotonic() - started < 1 + 2 * lease.sweep_every(1) + 2
        counts = (await api.queues.counts(("notifications",)))["notifications"]
        assert (counts.active, counts.waiting, counts.failed) == (0, 0, 0)


async def test_after_its_last_attempt_a_lost_job_fails_with_the_reason(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    async with job_app(db_url, media_dir, "api", {**queue_env, **LEASE}) as ctx:
        await ctx.queues.enqueue(JobRequest("ToyRecord", {"tag": "doomed"}))
        await take_and_die(ctx, "notifications", attempts=lease.CRASH_ATTEMPTS)
        async with job_app(db_url, media_dir, "worker", {**queue_env, **LEASE}):
            failed = await eventually(lambda: ctx.queues.failed("notifications"), within=10)
        assert [(f.name, dict(f.data), f.attempts) for f in failed] == [
            ("ToyRecord", {"tag": "doomed"}, lease.CRASH_ATTEMPTS)
        ]
        assert failed[0].reason == "worker lost: no heartbeat for 1s (attempt 3 of 3)"
        assert ("failed", "ToyRecord", failed[0].reason) in toy_jobs.events
        assert await toy_result(ctx, "doomed") is None
        counts = (await ctx.queues.counts(("notifications",)))["notifications"]
        assert (counts.active, counts.waiting, counts.failed) == (0, 0, 1)


async def test_start_is_not_blocked_by_a_dead_workers_job(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    """Immich's "Job is already running" holds only for a live job; a dead one is put back."""
    async with running_app(db_url, media_dir, "api", {**queue_env, **LEASE}) as app:
        ctx: AppContext = app.state.ctx
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            client.headers.update(await sign_up_and_login(client))
            start = {"command": "start", "force": False}
            url = "/api/jobs/thumbnailGeneration"
            await ctx.queues.enqueue(JobRequest("AssetGenerateThumbnailsQueueAll", {}))
            job = await take_and_die(ctx, "thumbnailGeneration")
            live = await client.put(url, json=start)
            assert live.status_code == 400, live.text
            assert live.json()["message"] == "Job is already running"
            await asyncio.sleep(1.3)  # the lease runs out; nobody renews it
            answer = await client.put(url, json=start)
            assert answer.status_code == 200, answer.text
            counts = (await ctx.queues.counts(("thumbnailGeneration",)))["thumbnailGeneration"]
            assert (counts.active, counts.waiting) == (0, 2)  # the dead one back, and the new
            waiting = await ctx.queues.jobs("thumbnailGeneration", ["waiting"])
            assert job.key in {j.id for j in waiting}


async def test_a_live_workers_long_job_keeps_its_lease(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    """A job running five leases long is renewed, never swept, and runs once."""
    async with job_app(db_url, media_dir, "api,worker", {**queue_env, **LEASE}) as ctx:
        await ctx.queues.enqueue(JobRequest("ToySlow", {"tag": "long", "seconds": 5}))
        await eventually(lambda: ("slow-done", "long") in toy_jobs.events, within=15)
        await asyncio.sleep(1.5)  # a sweep that wrongly took it would run it again by now
        assert toy_jobs.events.count(("slow-done", "long")) == 1
        assert toy_jobs.running["max"] == 1
        counts = (await ctx.queues.counts(("search",)))["search"]
        assert (counts.active, counts.waiting, counts.failed, counts.completed) == (0, 0, 0, 1)


async def test_a_handlers_error_is_not_retried_as_a_lost_worker(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    """The extra attempts are for dead workers: a bad job fails at once, its error kept."""
    async with job_app(db_url, media_dir, "api,worker", {**queue_env, **LEASE}) as ctx:
        await ctx.queues.enqueue(JobRequest("ToyFail", {"tag": "bad"}))
        failed = await eventually(lambda: ctx.queues.failed("notifications"), within=10)
        assert [(f.name, f.attempts, f.reason) for f in failed] == [
            ("ToyFail", 1, "ValueError: toy failure bad")
        ]
        assert "Traceback" in failed[0].error


async def test_a_job_taken_but_never_started_comes_back(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    """A worker killed between taking a job from the queue and starting it."""
    async with job_app(db_url, media_dir, "api", {**queue_env, **LEASE}) as api:
        await api.queues.enqueue(JobRequest("ToyRecord", {"tag": "taken"}))
        assert await api.queues.queue("notifications").dequeue(timeout=5) is not None
        async with job_app(db_url, media_dir, "worker", {**queue_env, **LEASE}):
            assert await eventually(lambda: toy_result(api, "taken"), within=10)
        counts = (await api.queues.counts(("notifications",)))["notifications"]
        assert (counts.active, counts.waiting, counts.failed) == (0, 0, 0)
