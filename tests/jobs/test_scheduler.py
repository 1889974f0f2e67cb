"""The scheduler role: cron duties under an advisory lock, once per scheduled time."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from immich.jobs.roles import scheduler_role
from immich.jobs.scheduler import SchedulerRole
from tests.jobs.conftest import clear_queues, eventually, job_app
from tests.plugins import toy_jobs


@pytest.fixture(autouse=True)
async def _clean(app: Any, db_url: str) -> None:
    await clear_queues(db_url)


def _scheduler(ctx: Any) -> SchedulerRole:
    role = scheduler_role(ctx)
    assert role is not None
    return role


async def test_hook_register_cron_jobs(db_url: str, media_dir: Path) -> None:
    """With two schedulers, a duty runs once per scheduled minute (lock + slot)."""
    async with (
        job_app(db_url, media_dir, "scheduler") as one,
        job_app(db_url, media_dir, "scheduler") as two,
    ):
        a, b = _scheduler(one), _scheduler(two)
        # the duty takes 0.2 s: the second replica finds it locked
        assert sorted(await asyncio.gather(a.fire("toy-duty"), b.fire("toy-duty"))) == [
            False,
            True,
        ]
        assert toy_jobs.running["duty_runs"] == 1
        # a replica firing later in the same minute finds that minute already run
        assert await b.fire("toy-duty") is False
        assert toy_jobs.running["duty_runs"] == 1
        # a manual run is not tied to a minute
        assert await b.run_now("toy-duty") is True
        assert toy_jobs.running["duty_runs"] == 2


async def test_apscheduler_fires_the_duty_on_one_replica(db_url: str, media_dir: Path) -> None:
    async with (
        job_app(db_url, media_dir, "scheduler") as one,
        job_app(db_url, media_dir, "scheduler") as two,
    ):
        for ctx in (one, two):
            scheduler = _scheduler(ctx).scheduler
            job = scheduler.get_job("toy-duty")
            assert (str(job.trigger.fields[5]), str(job.trigger.fields[6])) == ("3", "0")
            job.modify(next_run_time=dt.datetime.now(dt.UTC))  # due now on both replicas
            scheduler.wakeup()
        await eventually(lambda: _true(toy_jobs.running["duty_runs"] >= 1))
        await asyncio.sleep(0.5)  # the other replica's attempt has come and gone
        assert toy_jobs.running["duty_runs"] == 1


async def test_nightly_duties_follow_the_config_and_enqueue_cleanup(
    db_url: str, media_dir: Path
) -> None:
    async with job_app(db_url, media_dir, "api,scheduler") as ctx:
        role = _scheduler(ctx)
        trigger = role.scheduler.get_job("session-cleanup").trigger
        assert (str(trigger.fields[5]), str(trigger.fields[6])) == ("0", "0")
        await ctx.config.update({"nightlyTasks": {"startTime": "02:30"}})
        trigger = role.scheduler.get_job("session-cleanup").trigger
        assert (str(trigger.fields[5]), str(trigger.fields[6])) == ("2", "30")
        assert await role.run_now("session-cleanup") is True
        assert await role.run_now("user-cleanup") is True
        waiting = await ctx.queues.jobs("backgroundTask", ["waiting"])
        # UploadCleanup: the scheduler's start-up sweep of crashed uploads
        assert sorted(j.name for j in waiting) == [
            "SessionCleanup",
            "UploadCleanup",
            "UserDeleteCheck",
        ]
        await ctx.config.update({"nightlyTasks": {"databaseCleanup": False}})
        await ctx.queues.empty("backgroundTask")
        assert await role.run_now("session-cleanup") is True
        assert await ctx.queues.jobs("backgroundTask", ["waiting"]) == []


async def _true(value: bool) -> bool:
    return value
