"""The fault run shared by the CI fault test and ``bench/fault_bench.py``.

An api process and a worker process (real ``immich-server`` subprocesses) on one PostgreSQL,
with the job queue on it or on Redis, and the real ingest chain (metadata extraction, then
thumbnails). Small distinct photos are uploaded through the API while the worker is SIGKILLed
at random moments and started again. Then the run waits until every queue is idle, presses the
"missing" buttons once if some asset is still incomplete (the crash-recovery figure counts
those as lost), and checks the end state: every asset has its EXIF row, its metadata and
thumbnail steps recorded, exactly one preview and one thumbnail (rows and files), no job is
active, waiting or delayed, and no temporary file is left in the media folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import asyncpg
import attrs
import httpx
import numpy as np
import pyvips

from tests._server import ROOT, SERVER, free_port, running_server
from tests.api.asset_helpers import upload
from tests.conftest import sign_up_and_login

CHAIN_QUEUES = ("metadataExtraction", "thumbnailGeneration")
# every temporary name a writer uses in the media folder (immich.storage.temp): files, and the
# ``.2pass`` folders of two-pass encodes; uploads' ``.partial`` bodies too
TEMP_SUFFIXES = (".tmp", ".partial", ".2pass")


@attrs.define
class FaultReport:
    backend: str
    uploads: int
    kills: int  # SIGKILLs of the worker done
    interrupted: int  # jobs running when their worker was killed (swept back: "worker lost")
    seconds: float  # from the first upload to every asset complete
    lost: int  # assets incomplete once the queues went idle after the kills, with no failed
    # job to say why (a job failed for good is reported in ``failed``; "missing" finishes it)
    failed: dict[str, list[str]]  # queue -> reasons of its failed jobs
    problems: list[str]  # what the end state got wrong (empty: all good)

    def figures(self) -> str:
        failed = sum(len(v) for v in self.failed.values())
        return (
            f"{self.backend}: {self.uploads} uploads, {self.kills} SIGKILLs survived "
            f"({self.interrupted} running jobs interrupted), jobs lost {self.lost}, failed jobs "
            f"{failed}, {self.seconds:.1f} s, problems {len(self.problems)}"
        )


def photos(count: int, seed: int) -> list[bytes]:
    """Distinct small JPEGs (random noise over a gradient: no two share a checksum)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        pixels = rng.integers(0, 255, size=(96, 128, 3), dtype=np.uint8)
        image = pyvips.Image.new_from_memory(pixels.tobytes(), 128, 96, 3, "uchar")
        out.append(image.resize(3).jpegsave_buffer(Q=80))
    return out


class Worker:
    """The worker-only immich-server, killed and started again."""

    READY = "[immich.jobs.worker] [-] worker: "  # its start-up line: consuming from now on

    def __init__(self, env: dict[str, str], log: IO[str], path: Path) -> None:
        self.env, self.log, self.path = env, log, path
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    async def ready(self, within: float = 90.0) -> None:
        """Until the latest start has begun consuming jobs."""
        deadline = time.monotonic() + within
        while (await asyncio.to_thread(self.path.read_text)).count(self.READY) < self.starts:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"the worker exited {self.proc.returncode}; see {self.path}")
            if time.monotonic() > deadline:
                raise AssertionError("the worker did not start")
            await asyncio.sleep(0.1)

    def start(self) -> None:
        self.starts += 1
        env = {**self.env, "IMMICH_PORT": str(free_port())}
        self.proc = subprocess.Popen(
            [str(SERVER)], env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()


async def queue_counts(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    r = await client.get("/api/jobs", headers=headers)
    r.raise_for_status()
    return {name: status["jobCounts"] for name, status in r.json().items()}


async def busy(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    counts = await queue_counts(client, headers)
    return sum(c["active"] + c["waiting"] + c["delayed"] for c in counts.values())


async def wait_idle(
    client: httpx.AsyncClient, headers: dict[str, str], within: float, quiet: float = 1.5
) -> None:
    """Until no queue has a job active, waiting or delayed for ``quiet`` seconds."""
    deadline = time.monotonic() + within
    idle_since: float | None = None
    while True:
        if await busy(client, headers):
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= quiet:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"queues not idle: {await queue_counts(client, headers)}")
        await asyncio.sleep(0.2)


INCOMPLETE = """
SELECT a."id" FROM "asset" a
LEFT JOIN "asset_job_status" s ON s."assetId" = a."id"
WHERE s."metadataExtractedAt" IS NULL OR s."thumbnailAt" IS NULL
   OR NOT EXISTS (SELECT 1 FROM "asset_exif" e WHERE e."assetId" = a."id")
   OR (SELECT count(*) FROM "asset_file" f WHERE f."assetId" = a."id"
       AND f."type" = 'preview') <> 1
   OR (SELECT count(*) FROM "asset_file" f WHERE f."assetId" = a."id"
       AND f."type" = 'thumbnail') <> 1
"""


async def end_state(db: asyncpg.Connection, media: Path, uploads: int) -> list[str]:
    """What is wrong with the end state (nothing: an empty list)."""
    problems = []
    assets = await db.fetchval('SELECT count(*) FROM "asset"')
    if assets != uploads:
        problems.append(f"{assets} assets for {uploads} uploads")
    incomplete = await db.fetch(INCOMPLETE)
    if incomplete:
        problems.append(f"{len(incomplete)} asset(s) incomplete: {incomplete[:3]}")
    rows = await db.fetch(
        """SELECT "path" FROM "asset_file" WHERE "type" IN ('preview', 'thumbnail')"""
    )
    named = {r["path"] for r in rows}
    return problems + await asyncio.to_thread(file_problems, named, media)


def file_problems(named: set[str], media: Path) -> list[str]:
    """Derived files on disk exactly as the rows name them; no temporary file anywhere."""
    problems = []
    missing = [path for path in named if not os.path.isfile(path)]
    if missing:
        problems.append(f"{len(missing)} derived file(s) missing: {missing[:3]}")
    on_disk = [p for p in (media / "thumbs").rglob("*") if p.is_file() and p.name != ".immich"]
    strays = [str(p) for p in on_disk if str(p) not in named]
    if strays:
        problems.append(f"{len(strays)} file(s) under thumbs/ no row names: {strays[:3]}")
    temps = [str(p) for p in media.rglob("*") if p.name.endswith(TEMP_SUFFIXES)]
    if temps:
        problems.append(f"temporary file(s) left: {temps[:5]}")
    return problems


async def failed_jobs(env: Mapping[str, str], counts: Mapping[str, Any]) -> dict[str, list[str]]:
    """Reasons of the failed jobs, read as an admin would (``immich-admin jobs failed``)."""
    out: dict[str, list[str]] = {}
    for queue, numbers in counts.items():
        if not numbers["failed"]:
            continue
        proc = await asyncio.create_subprocess_exec(
            str(SERVER.with_name("immich-admin")),
            "jobs",
            "failed",
            queue,
            env=dict(env),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        stdout, _ = await proc.communicate()
        out[queue] = [job["reason"] for job in json.loads(stdout or b"[]")]
    return out


async def run_fault(
    *,
    backend: str,
    db_url: str,
    media: Path,
    logs: Path,
    queue_env: Mapping[str, str],
    uploads: int,
    kills: int,
    lease_s: int = 2,
    gap_s: tuple[float, float] = (0.5, 4.0),
    seed: int = 9,
) -> FaultReport:
    """Upload ``uploads`` photos in ``kills + 1`` batches; after each batch but the last, kill
    the worker (SIGKILL) at a random moment ``gap_s`` seconds after it began consuming, and
    start it again. Return what happened."""
    rng = random.Random(seed)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_", "IMMICH_"))},
        "DB_URL": db_url,
        "IMMICH_MEDIA_LOCATION": str(media),
        "IMMICH_JOB_LEASE_SECONDS": str(lease_s),
        "IMMICH_PLUGINS_SKIP": "example",  # the installed example plugin is not under test
        "PYTHONPATH": str(ROOT),
        **queue_env,
    }
    content = photos(uploads, seed)
    log_path = logs / f"worker-{backend}.log"
    log = log_path.open("w")
    worker = Worker({**env, "IMMICH_ROLES": "worker"}, log, log_path)
    db = await asyncpg.connect(db_url)
    killed = 0
    try:
        worker.start()
        # one after the other: two processes starting together on a new media folder would
        # both find its .immich markers missing
        await worker.ready()
        with running_server({**env, "IMMICH_ROLES": "api"}) as url:
            async with httpx.AsyncClient(base_url=url, timeout=30) as client:
                headers = await sign_up_and_login(client)
                started = time.monotonic()
                batches = [list(range(uploads))[b :: kills + 1] for b in range(kills + 1)]

                async def send(batch: list[int]) -> None:
                    for i in batch:
                        r = await upload(client, headers, content[i], f"fault-{i}.jpg")
                        assert r.status_code == 201, r.text

                for batch in batches[:-1]:  # some work, then a kill at a random moment in it
                    await send(batch)
                    await worker.ready()
                    await asyncio.sleep(rng.uniform(*gap_s))
                    worker.kill()
                    killed += 1
                    await asyncio.sleep(rng.uniform(0.0, 0.3))
                    worker.start()
                await send(batches[-1])
                await wait_idle(client, headers, within=60 + 4 * lease_s)
                incomplete = len(await db.fetch(INCOMPLETE))
                counts = await queue_counts(client, headers)
                failed = await failed_jobs(env, counts)
                lost = max(0, incomplete - sum(len(v) for v in failed.values()))
                if incomplete:  # what the nightly duty would do: the "missing" buttons
                    for queue in CHAIN_QUEUES:
                        r = await client.put(
                            f"/api/jobs/{queue}",
                            json={"command": "start", "force": False},
                            headers=headers,
                        )
                        assert r.status_code == 200, r.text
                        await wait_idle(client, headers, within=60)
                seconds = time.monotonic() - started
                problems = await end_state(db, media, uploads)
                final = await queue_counts(client, headers)
                busy_left = {q: c for q, c in final.items() if c["active"] + c["waiting"]}
                if busy_left:
                    problems.append(f"jobs left: {busy_left}")
    finally:
        await db.close()
        worker.stop()
        log.close()
    interrupted = log_path.read_text().count("worker lost:")
    return FaultReport(backend, uploads, killed, interrupted, seconds, lost, failed, problems)
