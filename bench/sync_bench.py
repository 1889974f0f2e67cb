"""Sync benchmark (not a test): a full ``POST /api/sync/stream`` of N synthetic assets.

Starts an embedded PostgreSQL in a temporary folder and a real ``immich-server`` (api role) on
it, signs up a user and gives them N assets with EXIF rows, made by ``generate_series`` in SQL.
For each size it measures a phone's first sync of ``AssetsV2`` and ``AssetExifsV1`` (2N + 1
JSON lines, read line by line over HTTP as the app does): lines per second at the client, and
the server's resident memory before and at its peak during the stream (sampled every 20 ms), to
show the stream's memory does not grow with the library. The anchor, in the same run: the same
rows read straight from PostgreSQL by asyncpg through a cursor in this process (no HTTP, no
JSON): the floor the stream's own work adds to.

    .venv/bin/python bench/sync_bench.py [--sizes 20000,100000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _server import login, running_server  # noqa: E402

from immich.db.engine import EmbeddedPostgres, _ensure_database, _with_database  # noqa: E402

TYPES = ["AssetsV2", "AssetExifsV1"]
INSERT_ASSETS = """
INSERT INTO "asset" ("id", "deviceAssetId", "ownerId", "deviceId", "type", "originalPath",
    "originalFileName", "fileCreatedAt", "localDateTime", "fileModifiedAt", "checksum",
    "isFavorite", "width", "height", "thumbhash", "duration")
SELECT md5('asset' || i)::uuid, 'bench-' || i, $1, 'bench',
    CASE WHEN i % 10 = 5 THEN 'VIDEO' ELSE 'IMAGE' END,
    '/bench/upload/' || i || '.jpg', 'IMG_' || i || '.jpg',
    ts, ts, ts, sha256(('asset' || i)::bytea), i % 20 = 1, 4000, 3000,
    substring(sha256(('hash' || i)::bytea) FROM 1 FOR 25),
    CASE WHEN i % 10 = 5 THEN '0:00:12.000000' END
FROM (SELECT i, timestamptz '2020-01-01' + i * interval '1 minute' AS ts
      FROM generate_series($2::bigint, $3::bigint) AS i) s
"""
INSERT_EXIF = """
INSERT INTO "asset_exif" ("assetId", "make", "model", "exifImageWidth", "exifImageHeight",
    "fileSizeInByte", "city", "country", "latitude", "longitude", "dateTimeOriginal", "timeZone")
SELECT md5('asset' || i)::uuid, 'Canon', 'EOS R6', 4000, 3000, 3000000 + i, 'Paris', 'France',
    48.85, 2.35, timestamptz '2020-01-01' + i * interval '1 minute', 'UTC+2'
FROM generate_series($1::bigint, $2::bigint) AS i
"""
ANCHOR = (
    'SELECT a.* FROM "asset" a WHERE a."ownerId" = $1 ORDER BY a."updateId"',
    'SELECT e.* FROM "asset_exif" e WHERE e."assetId" IN '
    '(SELECT "id" FROM "asset" WHERE "ownerId" = $1) ORDER BY e."updateId"',
)


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def rss(self) -> int:
        return int(self.process.memory_info().rss)

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.02)


async def anchor(url: str, owner: str) -> tuple[int, float]:
    """Rows and seconds for the same rows read by asyncpg through a cursor."""
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        rows = 0
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            for query in ANCHOR:
                async for _ in conn.cursor(query, owner, prefetch=500):
                    rows += 1
        return rows, time.perf_counter() - started
    finally:
        await conn.close()


def sync_once(base: str, headers: dict[str, str], pid: int) -> tuple[int, int, float, int]:
    """Lines, bytes and seconds of one full sync, and the server's peak RSS during it."""
    sampler = RssSampler(pid)
    sampler.start()
    lines = size = 0
    started = time.perf_counter()
    body = {"types": TYPES, "reset": True}
    with httpx.stream(
        "POST", f"{base}/api/sync/stream", headers=headers, json=body, timeout=None
    ) as r:
        r.raise_for_status()
        for text in r.iter_lines():
            lines += 1
            size += len(text) + 1
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    if not text.startswith('{"type":"SyncCompleteV1"'):
        raise RuntimeError(f"the stream did not complete: {text[:200]}")
    return lines, size, seconds, sampler.peak


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="20000,100000", help="asset counts to reach, in order")
    parser.add_argument("--repeat", type=int, default=2, help="syncs per size (best one kept)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("command:", shlex.join([".venv/bin/python", "bench/sync_bench.py", *sys.argv[1:]]))
    folder = Path(tempfile.mkdtemp(prefix="immich-sync-bench-"))
    pg = EmbeddedPostgres(folder / "pg")
    admin_url = pg.start()
    try:
        await _ensure_database(admin_url, "bench")
        url = _with_database(admin_url, "bench")
        # this checkout's code (the shared venv's immich-server may point at another)
        env = {"DB_URL": url, "IMMICH_ROLES": "api", "PYTHONPATH": str(ROOT)}
        with running_server(folder / "media", env) as server:
            headers = login(server.base)
            # blocking calls are fine here: nothing else runs on this loop
            me = httpx.get(f"{server.base}/api/users/me", headers=headers).json()["id"]  # noqa: ASYNC210
            conn = await asyncpg.connect(url)
            idle = psutil.Process(server.proc.pid).memory_info().rss
            print(f"server: immich-server api role, RSS {idle / 2**20:.0f} MiB idle after login")
            done = 0
            for size in sizes:
                await conn.execute(INSERT_ASSETS, me, done + 1, size)
                await conn.execute(INSERT_EXIF, done + 1, size)
                await conn.execute('VACUUM ANALYZE "asset"')
                await conn.execute('VACUUM ANALYZE "asset_exif"')
                done = size
                rows, anchor_s = await anchor(url, me)
                runs: list[Any] = []
                for _ in range(args.repeat):
                    before = psutil.Process(server.proc.pid).memory_info().rss
                    runs.append((*sync_once(server.base, headers, server.proc.pid), before))
                lines, nbytes, seconds, peak, before = min(runs, key=lambda r: r[2])
                print(f"\n{size:,} assets ({lines:,} lines, {nbytes / 2**20:.1f} MiB of JSON):")
                print(
                    f"  sync stream     {lines / seconds:9,.0f} lines/s  ({seconds:.2f} s)   "
                    f"server RSS {before / 2**20:.0f} MiB before, peak {peak / 2**20:.0f} MiB "
                    f"(+{(peak - before) / 2**20:.0f})"
                )
                print(
                    f"  anchor: asyncpg {rows / anchor_s:9,.0f} rows/s   ({anchor_s:.2f} s, "
                    "the same rows through a cursor, no HTTP/JSON)"
                )
            await conn.close()
    finally:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
