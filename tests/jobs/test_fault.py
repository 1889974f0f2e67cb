"""The fault test (issue 9): an api process and a worker process on one PostgreSQL, the queue on
it and again on Redis; photos uploaded while the worker is SIGKILLed at random moments. In the
end every asset has all its derived files exactly once, no job is active or waiting, no
temporary file remains, and no job was lost to the kills (a job killed on all its attempts
fails with that reason, and the "missing" run finishes its asset). Sized for CI (about a minute per
backend); ``bench/fault_bench.py`` is the long run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.jobs.fault import run_fault

pytestmark = pytest.mark.usefixtures("clean_jobs")


async def test_worker_sigkilled_at_random_loses_nothing(
    db_url: str, tmp_path: Path, backend: str, queue_env: dict[str, str]
) -> None:
    report = await run_fault(
        backend=backend,
        db_url=db_url,
        media=tmp_path / "media",
        logs=tmp_path,
        queue_env=queue_env,
        uploads=40,
        kills=8,
    )
    print(report.figures())
    log = (tmp_path / f"worker-{backend}.log").read_text()[-3000:]
    assert report.kills == 8
    assert report.problems == [], log
    assert report.lost == 0, (report, log)
    # a job whose worker was killed under it on all its 3 attempts fails, with that reason;
    # the "missing" run then finished its asset (the end state above is whole)
    reasons = {reason for reasons in report.failed.values() for reason in reasons}
    assert reasons <= {"worker lost: no heartbeat for 2s (attempt 3 of 3)"}, report
