"""Two real server processes: an api-only one enqueues, a worker-only one runs the job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import IO, Any

import asyncpg
import httpx
import pytest

from tests._server import ROOT, SERVER, free_port, running_server
from tests.conftest import sign_up_and_login
from tests.jobs.conftest import TOY_REPLACES, eventually
from tests.plugins import toy_jobs

pytestmark = pytest.mark.usefixtures("clean_jobs")


def _start(env: dict[str, str], log: IO[str]) -> subprocess.Popen[bytes]:
    """A worker-only immich-server (no HTTP port), its output in ``log``."""
    return subprocess.Popen([str(SERVER)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


async def test_api_process_enqueues_worker_process_runs(
    db_url: str, tmp_path: Path, queue_env: dict[str, str]
) -> None:
    env = {
        "DB_URL": db_url,
        "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"),
        "IMMICH_PLUGIN_MODULES": "tests.plugins.toy_jobs",
        "IMMICH_PLUGINS_SKIP": TOY_REPLACES,
        "PYTHONPATH": str(ROOT),  # tests/ is not installed; the module is found from the root
        **queue_env,
    }
    worker_env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_"))}
    worker_env.update(env, IMMICH_ROLES="worker", IMMICH_PORT=str(free_port()))
    log = (tmp_path / "worker.log").open("w")
    worker = _start(worker_env, log)
    conn = await asyncpg.connect(db_url)
    try:
        with running_server({**env, "IMMICH_ROLES": "api"}) as url:
            async with httpx.AsyncClient(base_url=url, timeout=10) as client:
                admin = await sign_up_and_login(client)
                r = await client.put(
                    "/api/jobs/thumbnailGeneration",
                    json={"command": "start", "force": True},
                    headers=admin,
                )
                assert r.status_code == 200, r.text

                async def result() -> Any:
                    return await conn.fetchval(
                        "SELECT value FROM system_metadata WHERE key = $1",
                        toy_jobs.RESULT_PREFIX + "start",
                    )

                done = await eventually(result, within=30)
        value = json.loads(done)  # a bare asyncpg connection: no JSON codec
        assert value == {"pid": worker.pid, "data": {"force": True}}, (
            tmp_path / "worker.log"
        ).read_text()
    finally:
        await conn.close()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()
