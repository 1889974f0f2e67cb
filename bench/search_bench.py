"""Search benchmark (not a test): POST /api/search/metadata, GET /api/search/suggestions and
GET /api/map/markers at 100k and 1M synthetic assets.

The data is ``bench/timeline_bench.py``'s, made by its ``add_assets`` (imported, not copied: one
user, ``generate_series`` in SQL, EXIF rows with GPS on every asset, cities Paris/Berlin/Lisbon/
none, make Canon); for ``withPartners`` a partner shares 10k assets of their own (made by the
same builder). Map markers answer every located asset, so the unfiltered calls return ~90% of
the library (their cost grows with it, in Immich too); the filtered ones (favourites, one year)
show what an index does. The app is the real one
(api role, migrations applied) through httpx's ASGI transport. Each figure is p50/p95 over
``--repeat`` calls after two warm-up calls. The anchor beside each HTTP figure is the SQL Immich
3.1 runs for the same request (from its ``queries/search.repository.sql``), run directly on the
same database with asyncpg: what the database alone costs for Immich's own query.

    .venv/bin/python bench/search_bench.py [--sizes 100000,1000000] [--repeat 30] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timeline_bench import add_assets, bench_app, line, timed  # noqa: E402

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

# Immich's MapRepository.getMapMarkers (its queries/map.repository.sql): $1 the owners
# (the caller, plus partners with withPartners), then each filter's value.
MARKERS_SQL = """select "id", "asset_exif"."latitude" as "lat", "asset_exif"."longitude" as "lon",
    "asset_exif"."city", "asset_exif"."state", "asset_exif"."country"
    from "asset" inner join "asset_exif" on "asset"."id" = "asset_exif"."assetId"
    and "asset_exif"."latitude" is not null and "asset_exif"."longitude" is not null
    where "asset"."deletedAt" is null and "asset"."visibility" = 'timeline' {}
    and ("ownerId" = any($1::uuid[])) order by "fileCreatedAt" desc"""
FAVOURITE = 'and "isFavorite" = $2'
YEAR = 'and "fileCreatedAt" >= $2 and "fileCreatedAt" <= $3'
YEAR_PARAMS = {
    "fileCreatedAfter": "2024-01-01T00:00:00.000Z",
    "fileCreatedBefore": "2024-12-31T23:59:59.999Z",
}
YEAR_ARGS = ["2024-01-01T00:00:00+00:00", "2024-12-31T23:59:59.999+00:00"]
# (label, query, Immich's SQL for it, its arguments after the owners, with partners, big answer)
MARKERS: tuple[tuple[str, dict[str, str], str, list[Any], bool, bool], ...] = (
    ("map markers: all", {}, MARKERS_SQL.format(""), [], False, True),
    (
        "map markers: isFavorite",
        {"isFavorite": "true"},
        MARKERS_SQL.format(FAVOURITE),
        [True],
        False,
        False,
    ),
    ("map markers: 2024", YEAR_PARAMS, MARKERS_SQL.format(YEAR), YEAR_ARGS, False, False),
    ("map markers: withPartners", {"withPartners": "true"}, MARKERS_SQL.format(""), [], True, True),
    (
        "map markers: withPartners + isFavorite",
        {"withPartners": "true", "isFavorite": "true"},
        MARKERS_SQL.format(FAVOURITE),
        [True],
        True,
        False,
    ),
    (
        "map markers: withPartners + 2024",
        {"withPartners": "true", **YEAR_PARAMS},
        MARKERS_SQL.format(YEAR),
        YEAR_ARGS,
        True,
        False,
    ),
)
PARTNER = {"email": "partner@example.com", "password": "bench-password", "name": "Partner"}
PARTNER_ASSETS = (5_000_001, 5_010_000)  # asset numbers of the partner's own 10k (dated 1894)


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


async def measure_markers(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    pool: Any,
    owners: tuple[Any, Any],
    repeat: int,
    big_repeat: int,
) -> None:
    """GET /api/map/markers per case, beside Immich's SQL for it."""
    import datetime as dt

    for label, params, sql, args, partners, big in MARKERS:
        n = big_repeat if big else repeat

        async def get(p: dict[str, str] = params) -> httpx.Response:
            return await client.get("/api/map/markers", params=p, headers=headers)

        times, r = await timed(get, n)
        print(line(label, times, f"{len(r.json())} markers, {len(r.content) / 1e6:.1f} MB"))
        whose = list(owners) if partners else [owners[0]]
        values = [dt.datetime.fromisoformat(v) if isinstance(v, str) else v for v in args]
        anchor = await timed_sql(pool, sql, [whose, *values], n)
        print(line("  anchor: Immich's SQL, asyncpg", anchor, ""))


async def add_partner(client: httpx.AsyncClient, headers: dict[str, str], pool: Any) -> Any:
    """A second user with 10k located assets of their own, sharing them with the bench user."""
    r = await client.post(
        "/api/admin/users", json={**PARTNER, "shouldChangePassword": False}, headers=headers
    )
    r.raise_for_status()
    partner = r.json()["id"]
    r = await client.post("/api/auth/login", json=PARTNER)
    r.raise_for_status()
    client.cookies.clear()
    theirs = {"Authorization": f"Bearer {r.json()['accessToken']}"}
    me = (await client.get("/api/users/me", headers=headers)).json()["id"]
    r = await client.post("/api/partners", json={"sharedWithId": me}, headers=theirs)
    r.raise_for_status()
    await add_assets(pool, partner, *PARTNER_ASSETS)
    return partner


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
    parser.add_argument(
        "--big-repeat", type=int, default=5, help="timed calls for the unfiltered map markers"
    )
    parser.add_argument("--only-map", action="store_true", help="skip search and suggestions")
    parser.add_argument(
        "--keep", action="store_true", help="leave PostgreSQL running with the data (for EXPLAIN)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("command:", shlex.join([".venv/bin/python", "bench/search_bench.py", *sys.argv[1:]]))
    async with bench_app("immich-search-bench-", args.keep) as b:
        partner = await add_partner(b.client, b.headers, b.pool)
        done = 0
        for size in sizes:
            took = await add_assets(b.pool, b.owner, done + 1, size)
            done = size
            print(f"\n{size:,} assets (inserted in {took:.0f} s, {args.repeat} calls):")
            if not args.only_map:
                await measure(b.client, b.headers, b.pool, b.owner, args.repeat)
            await measure_markers(
                b.client, b.headers, b.pool, (b.owner, partner), args.repeat, args.big_repeat
            )


if __name__ == "__main__":
    asyncio.run(main())
