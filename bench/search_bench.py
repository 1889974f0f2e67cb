"""Search benchmark (not a test): POST /api/search/metadata and GET /api/search/suggestions at
100k and 1M synthetic assets.

The data is ``bench/timeline_bench.py``'s (one user, ``generate_series`` in SQL, EXIF rows with
cities Paris/Berlin/Lisbon/none, make Canon), made by its ``add_assets``; the app is the real one
(api role, migrations applied) through httpx's ASGI transport. Each figure is p50/p95 over
``--repeat`` calls after two warm-up calls. The anchor beside each HTTP figure is the SQL Immich
3.1 runs for the same request (from its ``queries/search.repository.sql``), run directly on the
same database with asyncpg: what the database alone costs for Immich's own query.

    .venv/bin/python bench/search_bench.py [--sizes 100000,1000000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timeline_bench import ADMIN, add_assets, line, timed  # noqa: E402

from immich.app import create_app  # noqa: E402
from immich.db.engine import EmbeddedPostgres, _ensure_database, _with_database  # noqa: E402
from immich.settings import load_settings  # noqa: E402

TAKEN_AFTER = "2022-01-01T00:00:00.000Z"
# (label, body, Immich's SQL for it: $1 the owner)
METADATA: tuple[tuple[str, dict[str, Any], str, list[Any]], ...] = (
    (
        "metadata: make + isFavorite + takenAfter",
        {"make": "Canon", "isFavorite": True, "takenAfter": TAKEN_AFTER, "withExif": True},
        """select "asset".* from "asset" inner join "asset_exif" on "asset"."id" =
        "asset_exif"."assetId" where "asset"."visibility" != 'locked'
        and "asset"."fileCreatedAt" >= $2 and "asset_exif"."make" = $3
        and "asset"."ownerId" = any($1::uuid[]) and "asset"."isFavorite" = $4
        and "asset"."deletedAt" is null
        order by "asset"."fileCreatedAt" desc, "asset"."id" desc limit 251 offset 0""",
        ["2022-01-01T00:00:00Z", "Canon", True],
    ),
    (
        "metadata: city + type + fileName",
        {"city": "Berlin", "type": "VIDEO", "originalFileName": "12345", "withExif": True},
        """select "asset".* from "asset" inner join "asset_exif" on "asset"."id" =
        "asset_exif"."assetId" where "asset"."visibility" != 'locked'
        and "asset_exif"."city" = $2 and "asset"."ownerId" = any($1::uuid[])
        and f_unaccent("asset"."originalFileName") ilike '%' || f_unaccent($3) || '%'
        and "asset"."type" = $4 and "asset"."deletedAt" is null
        order by "asset"."fileCreatedAt" desc, "asset"."id" desc limit 251 offset 0""",
        ["Berlin", "12345", "VIDEO"],
    ),
)
SUGGESTIONS: tuple[tuple[str, dict[str, str], str, list[Any]], ...] = (
    (
        "suggestions: country",
        {"type": "country"},
        """select distinct on ("country") "country" from "asset_exif" inner join "asset" on
        "asset"."id" = "asset_exif"."assetId" where "ownerId" = any($1::uuid[])
        and "visibility" = 'timeline' and "deletedAt" is null and "country" is not null
        and "country" != ''""",
        [],
    ),
    (
        "suggestions: camera-model of make",
        {"type": "camera-model", "make": "Canon"},
        """select distinct on ("model") "model" from "asset_exif" inner join "asset" on
        "asset"."id" = "asset_exif"."assetId" where "ownerId" = any($1::uuid[])
        and "visibility" = 'timeline' and "deletedAt" is null and "model" is not null
        and "model" != '' and "make" = $2""",
        ["Canon"],
    ),
)


async def timed_sql(pool: Any, sql: str, args: list[Any], repeat: int) -> list[float]:
    async def call() -> Any:
        return await pool.fetch(sql, *args)

    for _ in range(2):
        await call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return times


async def measure(
    client: httpx.AsyncClient, headers: dict[str, str], pool: Any, owner: Any, repeat: int
) -> None:
    import datetime as dt

    def value(v: Any) -> Any:
        return dt.datetime.fromisoformat(v) if isinstance(v, str) and v[:2] == "20" else v

    for label, body, sql, args in METADATA:

        async def post(b: dict[str, Any] = body) -> httpx.Response:
            return await client.post("/api/search/metadata", json=b, headers=headers)

        times, r = await timed(post, repeat)
        n = r.json()["assets"]["count"]
        print(line(label, times, f"{n} assets"))
        anchor = await timed_sql(pool, sql, [[owner], *map(value, args)], repeat)
        print(line("  anchor: Immich's SQL, asyncpg", anchor, ""))
        stats = dict(body)
        stats.pop("withExif")
        r = await client.post("/api/search/statistics", json=stats, headers=headers)
        print(f"    (statistics: {r.json()['total']} match)")
    for label, params, sql, args in SUGGESTIONS:

        async def get(p: dict[str, str] = params) -> httpx.Response:
            return await client.get("/api/search/suggestions", params=p, headers=headers)

        times, r = await timed(get, repeat)
        print(line(label, times, f"{r.json()}"))
        anchor = await timed_sql(pool, sql, [[owner], *args], repeat)
        print(line("  anchor: Immich's SQL, asyncpg", anchor, ""))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="asset counts to reach, in order")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per measurement")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("command:", shlex.join([".venv/bin/python", "bench/search_bench.py", *sys.argv[1:]]))

    folder = Path(tempfile.mkdtemp(prefix="immich-search-bench-"))
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
                pool = app.state.ctx.db.pool
                done = 0
                for size in sizes:
                    took = await add_assets(pool, owner, done + 1, size)
                    done = size
                    print(f"\n{size:,} assets (inserted in {took:.0f} s, {args.repeat} calls):")
                    await measure(client, headers, pool, owner, args.repeat)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
