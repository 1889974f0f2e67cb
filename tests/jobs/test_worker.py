"""The worker role on both queue backends: jobs run, failures are recorded, follow-ups chain."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from immich.jobs.types import JobRequest
from immich.jobs.worker import concurrency_for
from tests.jobs.conftest import eventually, job_app, toy_result
from tests.plugins import toy_jobs
from tests.plugins.toy_raising import RaisingPlugin

pytestmark = pytest.mark.usefixtures("clean_jobs")
T = TypeVar("T")


async def test_hook_register_jobs(
    db_url: str, media_dir: Path, backend: str, queue_env: dict[str, str]
) -> None:
    """A registered job type runs on the worker, on either backend."""
    async with job_app(db_url, media_dir, "api,worker", queue_env) as ctx:
        assert ctx.queues.kind == backend
        job_id = await ctx.queues.enqueue(JobRequest("ToyRecord", {"tag": "a", "value": 7}))
        result = await eventually(lambda: toy_result(ctx, "a"))
        assert result == {"pid": os.getpid(), "data": {"tag": "a", "value": 7}}
        counts = await eventually(
            lambda: _when(
                ctx.queues.counts(("notifications",)), lambda c: c["notifications"].completed
            )
        )
        assert counts["notifications"].waiting == 0 and counts["notifications"].failed == 0
        done = await ctx.queues.jobs("notifications", ["completed"])
        assert [(j.id, j.name, dict(j.data)) for j in done] == [
            (job_id, "ToyRecord", {"tag": "a", "value": 7})
        ]
        assert ("finished", "ToyRecord") in toy_jobs.events


async def test_hook_on_job_failed(
    db_url: str, media_dir: Path, queue_env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """A failing handler is recorded (count, listing, log, hook) and the worker goes on."""
    async with job_app(db_url, media_dir, "api,worker", queue_env) as ctx:
        await ctx.queues.enqueue(JobRequest("ToyFail", {"tag": "bad"}))
        await ctx.queues.enqueue(JobRequest("ToyRecord", {"tag": "after"}))
        assert await eventually(lambda: toy_result(ctx, "after"))
        counts = await eventually(
            lambda: _when(
                ctx.queues.counts(("notifications",)), lambda c: c["notifications"].failed
            )
        )
        assert counts["notifications"].failed == 1
        assert ("failed", "ToyFail", "ValueError: toy failure bad") in toy_jobs.events
        assert "ToyFail" in caplog.text and "ValueError: toy failure bad" in caplog.text
        failed = await ctx.queues.jobs("notifications", ["failed"])
        assert [(j.name, dict(j.data)) for j in failed] == [("ToyFail", {"tag": "bad"})]
        assert await ctx.queues.clear_failed("notifications") == 1
        assert (await ctx.queues.counts(("notifications",)))["notifications"].failed == 0


async def test_hook_on_job_finished(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    """Follow-up jobs a plugin returns from on_job_finished are enqueued and run."""
    async with job_app(db_url, media_dir, "api,worker", queue_env) as ctx:
        await ctx.queues.enqueue(JobRequest("ToyChain", {"tag": "c"}))
        result = await eventually(lambda: toy_result(ctx, "c-next"))
        assert result["data"] == {"tag": "c-next", "value": "chained"}
        assert ("finished", "ToyChain") in toy_jobs.events


async def test_a_raising_plugin_drops_no_follow_up(
    db_url: str, media_dir: Path, queue_env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """A plugin asked first whose on_job_finished (awaited) and on_job_failed raise: the
    other plugins' follow-ups still run and their on_job_failed still hears; the failure is
    logged with the plugin's name."""
    raising = RaisingPlugin()
    async with job_app(
        db_url, media_dir, "api,worker", queue_env, extra=[("raising", raising)]
    ) as ctx:
        await ctx.queues.enqueue(JobRequest("ToyChain", {"tag": "r"}))
        result = await eventually(lambda: toy_result(ctx, "r-next"))
        assert result["data"] == {"tag": "r-next", "value": "chained"}
        await ctx.queues.enqueue(JobRequest("ToyFail", {"tag": "bad"}))
        failed = ("failed", "ToyFail", "ValueError: toy failure bad")
        assert await eventually(lambda: failed in toy_jobs.events)
    assert {"on_job_finished", "on_job_failed", "startup", "shutdown"} <= set(raising.called)
    assert "plugin 'raising' failed in on_job_finished" in caplog.text
    assert "plugin 'raising' failed in on_job_failed" in caplog.text
    assert "toy fails in on_job_finished (awaited)" in caplog.text


async def test_concurrency_follows_the_config_live(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    queue = toy_jobs.SLOW_QUEUE
    async with job_app(db_url, media_dir, "api,worker", queue_env) as ctx:
        worker = ctx.state["worker"].workers[queue]
        assert worker.concurrency == concurrency_for(ctx.config.get(), queue) == 5
        await ctx.config.update({"job": {queue: {"concurrency": 1}}})
        assert worker.concurrency == 1
        await eventually(lambda: _true(worker._running() == 1))  # idle slots let go
        await ctx.queues.enqueue_all(
            JobRequest("ToySlow", {"tag": i, "seconds": 0.15}) for i in range(3)
        )
        await eventually(lambda: _true(_slow_done() == 3))
        assert toy_jobs.running["max"] == 1
        await ctx.config.update({"job": {queue: {"concurrency": 3}}})
        assert worker.concurrency == 3 and worker._running() == 3
        await ctx.queues.enqueue_all(
            JobRequest("ToySlow", {"tag": i, "seconds": 0.3}) for i in range(6)
        )
        await eventually(lambda: _true(_slow_done() == 9))
        assert toy_jobs.running["max"] == 3


async def test_pause_is_shared_by_replicas(
    db_url: str, media_dir: Path, queue_env: dict[str, str]
) -> None:
    async with (
        job_app(db_url, media_dir, "api", queue_env) as api,
        job_app(db_url, media_dir, "worker", queue_env) as worker,
    ):
        await api.queues.set_paused("notifications", True)
        queue = worker.queues.queue("notifications")
        await eventually(lambda: _true(getattr(queue, "paused", False)))
        await api.queues.enqueue(JobRequest("ToyRecord", {"tag": "held"}))
        counts = await eventually(  # a worker slot waiting in Redis may take it and put it back
            lambda: _when(
                api.queues.counts(("notifications",)), lambda c: c["notifications"].paused
            )
        )
        assert (counts["notifications"].paused, counts["notifications"].waiting) == (1, 0)
        assert [j.name for j in await api.queues.jobs("notifications", ["paused"])] == ["ToyRecord"]
        await asyncio.sleep(1.2)  # longer than a worker's poll and dequeue cycles
        assert await toy_result(api, "held") is None
        await api.queues.set_paused("notifications", False)
        assert await eventually(lambda: toy_result(api, "held"))


def _slow_done() -> int:
    return sum(1 for e in toy_jobs.events if e[0] == "slow-done")


async def _true(value: bool) -> bool:
    return value


async def _when(awaitable: Awaitable[T], check: Callable[[T], Any]) -> T | None:
    value = await awaitable
    return value if check(value) else None
