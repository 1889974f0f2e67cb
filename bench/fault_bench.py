"""The long fault run of issue 9: hundreds of uploads, the worker SIGKILLed 20 times.

An api process and a worker process (``immich-server`` subprocesses) share an embedded
PostgreSQL started here; the job queue is on it, then on a ``redis-server`` started here. The
photos are uploaded through the API in batches; after each, the worker is SIGKILLed at a random
moment while it works, and started again. Printed per backend: kills survived, running jobs
they interrupted (each swept back as "worker lost"), jobs lost (assets
still incomplete once the queues went idle, before any "missing" button), failed jobs, the time
until every asset was complete, and what the end state got wrong (nothing, we hope). The
anchor beside them: the same run with no kill.

    .venv/bin/python bench/fault_bench.py [--uploads 300] [--kills 20] [--backend postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from immich.db.engine import EmbeddedPostgres, _ensure_database, _with_database  # noqa: E402
from tests._server import free_port  # noqa: E402
from tests.jobs.fault import FaultReport, run_fault  # noqa: E402


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    exe = shutil.which("redis-server")
    if exe is None:
        raise SystemExit("redis-server is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return proc, url
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.05)


async def one(
    backend: str,
    admin_url: str,
    folder: Path,
    redis_url: str | None,
    uploads: int,
    kills: int,
) -> FaultReport:
    name = f"fault_{backend}_{kills}"
    work = folder / name
    work.mkdir()
    await _ensure_database(admin_url, name)
    return await run_fault(
        backend=backend,
        db_url=_with_database(admin_url, name),
        media=work / "media",
        logs=work,
        queue_env={"REDIS_URL": redis_url} if redis_url else {},
        uploads=uploads,
        kills=kills,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=300)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--backend", choices=("postgres", "redis"), action="append")
    parser.add_argument("--no-anchor", action="store_true", help="skip the run without kills")
    args = parser.parse_args()
    backends = args.backend or ["postgres", "redis"]
    folder = Path(tempfile.mkdtemp(prefix="immich-fault-bench-"))
    pg = EmbeddedPostgres(folder / "pg")
    admin_url = pg.start()
    redis_proc, redis_url = start_redis(folder)
    print(f"command: {' '.join(sys.argv)}  (logs under {folder})")
    clean = True
    try:
        for backend in backends:
            queue = redis_url if backend == "redis" else None
            if not args.no_anchor:
                anchor = asyncio.run(one(backend, admin_url, folder, queue, args.uploads, 0))
                print("anchor  ", anchor.figures())
            report = asyncio.run(one(backend, admin_url, folder, queue, args.uploads, args.kills))
            print("faults  ", report.figures())
            for queue_name, reasons in report.failed.items():
                print(f"  failed in {queue_name}: {reasons[:5]}")
            for problem in report.problems:
                print(f"  PROBLEM: {problem}")
            clean = clean and not report.problems and not report.lost
    finally:
        redis_proc.terminate()
        redis_proc.wait(10)
        pg.stop()
    if clean:  # keep the logs of a run that went wrong
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
