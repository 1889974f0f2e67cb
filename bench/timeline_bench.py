"""Timeline benchmark (not a test): GET /api/timeline/buckets and /bucket at 100k and 1M assets.

Starts an embedded PostgreSQL in a temporary folder, builds the real app (api role, migrations
applied) and talks to it through httpx's ASGI transport. One user gets synthetic assets made by
``generate_series`` in SQL (no Python loops): ~3,000 a month going back in time, one month in
twenty of the rest (5% of all) piled into June 2020, with EXIF rows, favourites (5%), archived
(10%), hidden (1%), trashed (1%), videos (10%) and stacks of three (every 50th asset starts one).
Secondary indexes are dropped during the bulk insert and rebuilt after it; the table is then
vacuumed and analysed, as a long-running server would have it.

Measured, each after two warm-up calls, as p50/p95 over ``--repeat`` calls: the buckets as
Immich's web app asks for them (``visibility=timeline&withStacked=true&withPartners=true``),
with no parameters, and grouped by upload date (``orderBy=createdAt``, which counts asset rows
instead of reading the per-month table: the cost the table saves), then the columnar month for
a ~3k-asset month, the large month, the ~3k month's favourites and an empty month.

    .venv/bin/python bench/timeline_bench.py [--sizes 100000,1000000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from immich.app import create_app  # noqa: E402
from immich.db.engine import EmbeddedPostgres, _ensure_database, _with_database  # noqa: E402
from immich.settings import load_settings  # noqa: E402

ADMIN = {"email": "bench@example.com", "password": "bench-password", "name": "Bench"}
WEB = {"visibility": "timeline", "withStacked": "true", "withPartners": "true"}
PER_MONTH_BLOCK = 3158  # consecutive asset numbers per month: ~3,000 once 5% go to June 2020
BIG_MONTH = "2020-06-01"

INSERT_ASSETS = f"""
INSERT INTO "asset" ("id", "deviceAssetId", "ownerId", "deviceId", "type", "originalPath",
    "originalFileName", "fileCreatedAt", "localDateTime", "fileModifiedAt", "checksum",
    "isFavorite", "visibility", "width", "height", "deletedAt", "status", "thumbhash", "duration")
SELECT md5('asset' || i)::uuid, 'bench-' || i, $1, 'bench',
    CASE WHEN i % 10 = 5 THEN 'VIDEO' ELSE 'IMAGE' END,
    '/bench/upload/' || i || '.jpg', 'IMG_' || i || '.jpg',
    ts - interval '2 hours', ts, ts, sha256(('asset' || i)::bytea),
    i % 20 = 1,
    CASE WHEN i % 10 = 3 THEN 'archive' WHEN i % 100 = 7 THEN 'hidden' ELSE 'timeline' END,
    CASE WHEN i % 4 = 0 THEN 3000 ELSE 4000 END, CASE WHEN i % 4 = 0 THEN 4000 ELSE 3000 END,
    CASE WHEN i % 100 = 9 THEN now() - (i % 20) * interval '1 day' END,
    CASE WHEN i % 100 = 9 THEN 'trashed' ELSE 'active' END,
    substring(sha256(('hash' || i)::bytea) FROM 1 FOR 25),
    CASE WHEN i % 10 = 5 THEN '0:00:' || lpad((i % 60)::text, 2, '0') || '.000000' END
FROM (
    SELECT i, CASE WHEN i % 20 = 0
        THEN timestamptz '{BIG_MONTH}T00:00:00Z' + (i % 29) * interval '1 day'
             + (i % 86400) * interval '1 second'
        ELSE (timestamp '2026-10-01' - ((i - 1) / {PER_MONTH_BLOCK}) * interval '1 month')
             AT TIME ZONE 'UTC' + ((i * 7919) % (27 * 86400)) * interval '1 second'
        END AS ts
    FROM generate_series($2::bigint, $3::bigint) AS i
) AS s
"""
INSERT_EXIF = """
INSERT INTO "asset_exif" ("assetId", "make", "model", "exifImageWidth", "exifImageHeight",
    "fileSizeInByte", "city", "state", "country", "latitude", "longitude", "dateTimeOriginal",
    "timeZone")
SELECT a."id", 'Canon', 'EOS R6', a."width", a."height", 3000000 + (i % 1000000),
    (ARRAY['Paris', 'Berlin', 'Lisbon', NULL])[1 + i % 4], NULL,
    (ARRAY['France', 'Germany', 'Portugal', NULL])[1 + i % 4],
    40 + (i % 100) / 10.0, (i % 300) / 10.0, a."fileCreatedAt", 'UTC+2'
FROM generate_series($1::bigint, $2::bigint) AS i
JOIN "asset" a ON a."id" = md5('asset' || i)::uuid
"""
INSERT_STACKS = """
INSERT INTO "stack" ("id", "ownerId", "primaryAssetId")
SELECT md5('stack' || i)::uuid, $1, md5('asset' || i)::uuid
FROM generate_series($2::bigint, $3::bigint) AS i WHERE i % 50 = 0 AND i + 2 <= $3
"""
JOIN_STACKS = """
UPDATE "asset" a SET "stackId" = md5('stack' || (s.i - s.i % 50))::uuid
FROM generate_series($1::bigint, $2::bigint) AS s(i)
WHERE s.i % 50 < 3 AND s.i - s.i % 50 >= greatest($1, 50) AND s.i - s.i % 50 + 2 <= $2
  AND a."id" = md5('asset' || s.i)::uuid
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


async def timed(
    call: Callable[[], Awaitable[httpx.Response]], repeat: int
) -> tuple[list[float], httpx.Response]:
    for _ in range(2):
        response = await call()
        response.raise_for_status()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await call()
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times, response


async def add_assets(pool: Any, owner: Any, first: int, last: int) -> float:
    """Insert assets ``first..last`` (with EXIF and stacks); seconds taken."""
    started = time.perf_counter()
    async with pool.acquire() as conn:
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('asset', 'asset_exif') "
            "AND indexname NOT LIKE '%pkey'"
        )
        for row in indexes:
            await conn.execute(f'DROP INDEX "{row["indexname"]}"')
        step = 100_000
        for lo in range(first, last + 1, step):
            hi = min(lo + step - 1, last)
            await conn.execute(INSERT_ASSETS, owner, lo, hi)
            await conn.execute(INSERT_EXIF, lo, hi)
        await conn.execute(INSERT_STACKS, owner, first, last)
        await conn.execute(JOIN_STACKS, first, last)
        for row in indexes:
            await conn.execute(row["indexdef"])
        await conn.execute('VACUUM ANALYZE "asset"')
        await conn.execute('VACUUM ANALYZE "asset_exif"')
        await conn.execute('VACUUM ANALYZE "stack"')
        await conn.execute('VACUUM ANALYZE "asset_timeline_month"')
    return time.perf_counter() - started


def line(label: str, times: list[float], extra: str) -> str:
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    return f"  {label:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   {extra}"


async def measure(client: httpx.AsyncClient, headers: dict[str, str], repeat: int) -> None:
    async def get(path: str, params: dict[str, str]) -> httpx.Response:
        return await client.get(path, params=params, headers=headers)

    times, r = await timed(lambda: get("/api/timeline/buckets", WEB), repeat)
    months = r.json()
    total = sum(b["count"] for b in months)
    print(
        line(
            "buckets (web: timeline, stacked, partners)",
            times,
            f"{len(months)} months, {total} assets",
        )
    )
    times, r = await timed(lambda: get("/api/timeline/buckets", {}), repeat)
    print(line("buckets (no filter: timeline + archive)", times, f"{len(r.json())} months"))
    # Grouped by upload date: counted from the asset rows (no per-month table), for contrast.
    times, r = await timed(lambda: get("/api/timeline/buckets", {"orderBy": "createdAt"}), repeat)
    print(line("buckets (orderBy=createdAt: asset rows)", times, f"{len(r.json())} months"))
    typical = min(months, key=lambda b: abs(b["count"] - 3000))
    big = max(months, key=lambda b: b["count"])
    for name, month, n in (("typical", typical, repeat), ("large", big, max(5, repeat // 3))):
        params = {**WEB, "timeBucket": month["timeBucket"]}
        times, r = await timed(lambda p=params: get("/api/timeline/bucket", p), n)
        count = len(r.json()["id"])
        label = f"bucket {month['timeBucket']} ({name})"
        print(line(label, times, f"{count} assets, {len(r.content) / 1e6:.2f} MB"))
    # Small answers: the typical month's favourites, and a month without assets.
    small = (
        ("favourites", typical["timeBucket"], {"isFavorite": "true"}),
        ("empty", "1990-01-01", {}),
    )
    for name, bucket_start, extra in small:
        params = {**WEB, "withPartners": "false", "timeBucket": bucket_start, **extra}
        times, r = await timed(lambda p=params: get("/api/timeline/bucket", p), repeat)
        label = f"bucket {bucket_start} ({name})"
        print(line(label, times, f"{len(r.json()['id'])} assets"))


@attrs.frozen
class BenchApp:
    """The in-process app on a fresh embedded PostgreSQL, its admin signed in."""

    client: httpx.AsyncClient
    headers: dict[str, str]
    owner: str
    pool: Any


@contextlib.asynccontextmanager
async def bench_app(prefix: str, keep: bool) -> AsyncIterator[BenchApp]:
    """A throw-away database and media folder (kept with ``keep``, for EXPLAIN) and the app on
    them, called through ASGI in-process; shared by the bench scripts that need a big library."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    server = EmbeddedPostgres(folder / "pg")
    admin_url = server.start()
    try:
        await _ensure_database(admin_url, "bench")
        env = {
            "DB_URL": _with_database(admin_url, "bench"),
            "IMMICH_MEDIA_LOCATION": str(folder / "media"),
            "IMMICH_ROLES": "api",
        }
        app = create_app(load_settings(environ=env, env_file=None))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                r = await client.post("/api/auth/admin-sign-up", json=ADMIN)
                r.raise_for_status()
                owner = r.json()["id"]
                r = await client.post("/api/auth/login", json=ADMIN)
                r.raise_for_status()
                client.cookies.clear()
                headers = {"Authorization": f"Bearer {r.json()['accessToken']}"}
                yield BenchApp(client, headers, owner, app.state.ctx.db.pool)
    finally:
        if keep:
            url = _with_database(admin_url, "bench")
            print(f"\nkept: {url} (stop: pg_ctl -D {folder / 'pg'} stop)")
        else:
            server.stop()
            shutil.rmtree(folder, ignore_errors=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="asset counts to reach, in order")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per measurement")
    parser.add_argument(
        "--keep", action="store_true", help="leave PostgreSQL running with the data (for EXPLAIN)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("command:", shlex.join([".venv/bin/python", "bench/timeline_bench.py", *sys.argv[1:]]))
    async with bench_app("immich-timeline-bench-", args.keep) as b:
        done = 0
        for size in sizes:
            took = await add_assets(b.pool, b.owner, done + 1, size)
            done = size
            print(
                f"\n{size:,} assets (inserted in {took:.0f} s, ASGI in-process, {args.repeat} calls):"
            )
            await measure(b.client, b.headers, args.repeat)


if __name__ == "__main__":
    asyncio.run(main())
