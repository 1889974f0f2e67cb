"""saq's per-job log lines are DEBUG; the worker's failure lines keep their level and reason;
saq's ``setex`` deprecation warnings (Redis queue) are silenced, and only those."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from immich.jobs._redis import ignore_saq_setex_deprecation
from immich.jobs.types import JobRequest
from tests.jobs.conftest import eventually, job_app, toy_result


async def _run_one_good_one_bad(db_url: str, media: Path, env: dict[str, str]) -> None:
    async with job_app(db_url, media, "api,worker", env) as ctx:
        await ctx.queues.enqueue(JobRequest("ToyFail", {"tag": "bad"}))
        await ctx.queues.enqueue(JobRequest("ToyRecord", {"tag": "good"}))
        assert await eventually(lambda: toy_result(ctx, "good"))

        async def failed() -> int:
            return (await ctx.queues.counts(("notifications",)))["notifications"].failed

        assert await eventually(failed) == 1


@pytest.mark.usefixtures("clean_jobs")
async def test_per_job_lines_are_debug_and_setex_is_not_warned(
    db_url: str,
    media_dir: Path,
    queue_env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    recwarn: pytest.WarningsRecorder,
) -> None:
    caplog.set_level(logging.INFO)
    await _run_one_good_one_bad(db_url, media_dir, queue_env)
    assert not [w for w in recwarn if "setex" in str(w.message)]
    saq = [r for r in caplog.records if r.name == "saq"]
    assert not [r.getMessage() for r in saq if r.levelno >= logging.INFO]
    ours = [
        (r.levelno, r.getMessage())
        for r in caplog.records
        if r.name == "immich.jobs.worker" and "ToyFail" in r.getMessage()
    ]
    assert len(ours) == 1 and ours[0][0] == logging.ERROR
    assert ours[0][1].endswith("failed: ValueError: toy failure bad")


@pytest.mark.usefixtures("clean_jobs")
async def test_per_job_lines_show_at_debug(
    db_url: str, media_dir: Path, queue_env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="saq")
    await _run_one_good_one_bad(db_url, media_dir, queue_env)
    saq = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "saq"]
    messages = [m for _, m in saq]
    assert any(m.startswith("Processing ") for m in messages)
    assert any(m.startswith("Error processing job ") for m in messages)
    assert {level for level, m in saq if m.startswith(("Processing ", "Finished "))} == {
        logging.DEBUG
    }


def test_only_that_warning_is_silenced(recwarn: pytest.WarningsRecorder) -> None:
    ignore_saq_setex_deprecation()
    for message, module in (
        ("Call to deprecated setex. (Use 'set' instead.)", "saq.queue.redis"),  # silenced
        ("Call to deprecated hmset.", "saq.queue.redis"),  # another call
        ("Call to deprecated setex. (Use 'set' instead.)", "immich.jobs._redis"),  # ours
    ):
        warnings.warn_explicit(message, DeprecationWarning, "x.py", 1, module=module)
    assert [(str(w.message)[:26], w.filename) for w in recwarn] == [
        ("Call to deprecated hmset.", "x.py"),
        ("Call to deprecated setex. ", "x.py"),
    ]
