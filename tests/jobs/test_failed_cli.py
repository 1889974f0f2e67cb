"""``immich-admin jobs failed <queue>`` reads the failed jobs and their reasons from the store the
server uses (PostgreSQL or Redis)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from immich.cli import admin
from immich.jobs.types import JobRequest
from tests.jobs.conftest import eventually, job_app

pytestmark = pytest.mark.usefixtures("clean_jobs")


@pytest.fixture(autouse=True)
def _cli_env(db_url: str, media_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DB_HOSTNAME", "REDIS_URL", "REDIS_HOSTNAME", "IMMICH_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DB_URL", db_url)
    monkeypatch.setenv("IMMICH_MEDIA_LOCATION", str(media_dir))
    monkeypatch.chdir(tmp_path)


async def test_jobs_failed_lists_the_reasons(
    db_url: str,
    media_dir: Path,
    queue_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    for name, value in queue_env.items():
        monkeypatch.setenv(name, value)
    async with job_app(db_url, media_dir, "api,worker", queue_env) as ctx:
        await ctx.queues.enqueue(JobRequest("ToyFail", {"tag": "cli"}))
        await eventually(lambda: ctx.queues.failed("notifications"), within=10)
    capsys.readouterr()
    assert await asyncio.to_thread(admin.main, ["jobs", "failed", "notifications"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(j["name"], j["data"], j["attempts"], j["reason"]) for j in listed] == [
        ("ToyFail", {"tag": "cli"}, 1, "ValueError: toy failure cli")
    ]
    assert listed[0]["failedAt"].endswith("Z") and "error" not in listed[0]

    assert await asyncio.to_thread(admin.main, ["jobs", "failed", "search", "--traceback"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    argv = ["jobs", "failed", "notifications", "--traceback"]
    assert await asyncio.to_thread(admin.main, argv) == 0
    assert "Traceback" in json.loads(capsys.readouterr().out)[0]["error"]


async def test_jobs_failed_refuses_an_unknown_queue(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_:
        admin.main(["jobs", "failed", "nope"])
    assert exit_.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err
