"""plugins/memories: the nightly "on this day" generation (the right years and days by the
assets' local date, only processed timeline assets, no duplicates when run twice, the
``memories.enabled`` preference, 29 February, one run at a time under the lock), the cleanup,
and the nightly duty that enqueues both."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.app import create_app
from immich.db import locks
from immich.jobs.registry import cron_duties
from immich.plugins import ENTRY_POINT_GROUP
from plugins.memories import plugin
from tests.api.asset_factory import make_asset, trash, user_id
from tests.api.user_helpers import user_and_login
from tests.conftest import make_settings, reset_database, sign_up_and_login

QUEUE = "backgroundTask"
JUNE_15 = dt.date(2024, 6, 15)


def _settings(db_url: str, media: Path) -> Any:
    """Load the plugin by module path unless its entry point is installed (it is once the
    package is reinstalled with this pyproject)."""
    installed = any(ep.name == "memories" for ep in entry_points(group=ENTRY_POINT_GROUP))
    env = {} if installed else {"IMMICH_PLUGIN_MODULES": "plugins.memories.plugin"}
    return make_settings(db_url, media, **env)


@pytest.fixture(scope="module")
async def mem_app(db_url: str, media_dir: Path) -> AsyncIterator[Any]:
    application = create_app(_settings(db_url, media_dir))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def ctx(mem_app: Any) -> Any:
    context = mem_app.state.ctx
    await reset_database(context.db.pool)
    await context.config.load()
    await context.queues.empty(QUEUE)
    return context


@pytest.fixture
async def client(mem_app: Any, ctx: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=mem_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def admin_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return await sign_up_and_login(client)


async def photo(pool: Any, owner: Any, taken: str, *, preview: bool = True, **columns: Any) -> Any:
    """A processed photo (job status row, preview file) taken at local time ``taken``."""
    row = await make_asset(pool, owner, taken, **columns)
    await pool.execute(
        'INSERT INTO "asset_job_status" ("assetId", "metadataExtractedAt") VALUES ($1, now())',
        row["id"],
    )
    if preview:
        await pool.execute(
            'INSERT INTO "asset_file" ("assetId", "type", "path") VALUES ($1, \'preview\', $2)',
            row["id"],
            f"/media/thumbs/{row['id']}.jpg",
        )
    return row


async def memories(pool: Any) -> list[tuple[uuid.UUID, int, dt.date, list[uuid.UUID]]]:
    """(owner, year, day shown, asset ids) of every memory, sorted."""
    rows = await pool.fetch(
        'SELECT m."ownerId", m."data", m."showAt", m."hideAt", m."memoryAt", m."type", '
        'array_agg(ma."assetId" ORDER BY ma."assetId") AS "assets" FROM "memory" m '
        'JOIN "memory_asset" ma ON ma."memoriesId" = m."id" GROUP BY m."id"'
    )
    found = []
    for r in rows:
        shown = r["showAt"].astimezone(dt.UTC)
        assert r["type"] == "on_this_day"
        assert shown.time() == dt.time() and r["hideAt"] - r["showAt"] < dt.timedelta(days=1)
        assert r["hideAt"].astimezone(dt.UTC).date() == shown.date()
        assert r["memoryAt"].astimezone(dt.UTC) == shown.replace(year=r["data"]["year"])
        found.append((r["ownerId"], r["data"]["year"], shown.date(), sorted(r["assets"])))
    return sorted(found)


async def test_on_this_day_years_days_and_assets(
    client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: Any
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    a2020 = await photo(pool, me, "2020-06-15T09:00:00")
    b2020 = await photo(pool, me, "2020-06-15T10:00:00")
    # late evening where it was taken (04:30 UTC the next day): still 15 June
    c2021 = await photo(pool, me, "2021-06-15T23:30:00", offset_hours=-5)
    d2019 = await photo(pool, me, "2019-06-16T08:00:00")
    e2022 = await photo(pool, me, "2022-06-18T08:00:00")
    # never in a memory: this year, another day, unprocessed, archived, trashed, locked
    await photo(pool, me, "2024-06-15T08:00:00")
    await photo(pool, me, "2020-06-20T08:00:00")
    await photo(pool, me, "2020-06-15T11:00:00", preview=False)
    await photo(pool, me, "2020-06-15T12:00:00", visibility="archive")
    await photo(pool, me, "2020-06-15T13:00:00", visibility="locked")
    gone = await photo(pool, me, "2020-06-15T14:00:00")
    await trash(pool, [gone["id"]])
    # the first run: 12 June (three days before) counts as done, as in Immich
    older = await photo(pool, me, "2018-06-12T08:00:00")

    result = await plugin.generate(ctx, JUNE_15)
    assert (result.days, result.created) == (6, 4)
    assert await memories(pool) == sorted(
        [
            (me, 2020, JUNE_15, sorted([a2020["id"], b2020["id"]])),
            (me, 2021, JUNE_15, [c2021["id"]]),
            (me, 2019, dt.date(2024, 6, 16), [d2019["id"]]),
            (me, 2022, dt.date(2024, 6, 18), [e2022["id"]]),
        ]
    )
    assert older["id"] not in {a for m in await memories(pool) for a in m[3]}

    # the API shows today's memories
    r = await client.get("/api/memories", params={"for": "2024-06-15"}, headers=admin_headers)
    assert r.status_code == 200
    assert sorted(m["data"]["year"] for m in r.json()) == [2020, 2021]


async def test_twice_makes_nothing_twice_and_the_next_day_only_what_is_new(
    client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: Any
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    await photo(pool, me, "2020-06-15T09:00:00")
    await photo(pool, me, "2020-06-19T09:00:00")
    first = await plugin.generate(ctx, JUNE_15)
    assert first.created == 1
    again = await plugin.generate(ctx, JUNE_15)
    assert (again.days, again.created) == (0, 0)
    following = await plugin.generate(ctx, JUNE_15 + dt.timedelta(days=1))
    assert (following.days, following.created) == (1, 1)  # 19 June came into the window
    assert [m[2] for m in await memories(pool)] == [dt.date(2024, 6, 15), dt.date(2024, 6, 19)]
    state = await pool.fetchval(
        'SELECT "value" FROM "system_metadata" WHERE "key" = \'memories-state\''
    )
    assert state == {"lastOnThisDayDate": "2024-06-19T00:00:00Z"}


async def test_only_users_with_memories_enabled(
    client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: Any
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    user, headers = await user_and_login(client, admin_headers)
    await photo(pool, me, "2020-06-15T09:00:00")
    theirs = await photo(pool, user["id"], "2021-06-15T09:00:00")
    r = await client.put(
        "/api/users/me/preferences", json={"memories": {"enabled": False}}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    await plugin.generate(ctx, JUNE_15)
    assert await memories(pool) == [(uuid.UUID(user["id"]), 2021, JUNE_15, [theirs["id"]])]
    r = await client.get("/api/memories", headers=headers)
    assert [m["assets"][0]["id"] for m in r.json()] == [str(theirs["id"])]


async def test_29_february(
    client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: Any
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    leap = await photo(pool, me, "2020-02-29T09:00:00")
    march = await photo(pool, me, "2023-03-01T09:00:00")
    result = await plugin.generate(ctx, dt.date(2024, 2, 29))
    assert result.days == 6
    found = await memories(pool)
    assert (me, 2020, dt.date(2024, 2, 29), [leap["id"]]) in found
    assert (me, 2023, dt.date(2024, 3, 1), [march["id"]]) in found


async def test_one_run_at_a_time(
    client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: Any
) -> None:
    pool = ctx.db.pool
    await photo(pool, await user_id(pool), "2020-06-15T09:00:00")
    async with pool.acquire() as other:
        await other.execute("SELECT pg_advisory_lock($1)", locks.MEMORY_CREATION)
        run = asyncio.create_task(plugin.generate(ctx, JUNE_15))
        await asyncio.sleep(0.3)
        assert not run.done() and await memories(pool) == []
        await other.execute("SELECT pg_advisory_unlock($1)", locks.MEMORY_CREATION)
        assert (await asyncio.wait_for(run, 10)).created == 1


async def test_cleanup(client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: Any) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    shown = await photo(pool, me, "2020-06-15T09:00:00")
    archived = await photo(pool, me, "2020-06-15T10:00:00")
    ids = []
    for saved in (False, True, False):
        r = await client.post(
            "/api/memories",
            json={
                "type": "on_this_day",
                "data": {"year": 2020},
                "memoryAt": "2020-06-15T00:00:00.000Z",
                "isSaved": saved,
                "assetIds": [str(shown["id"]), str(archived["id"])],
            },
            headers=admin_headers,
        )
        ids.append(uuid.UUID(r.json()["id"]))
    await pool.execute(
        'UPDATE "memory" SET "createdAt" = now() - interval \'31 days\' WHERE "id" = ANY($1)',
        ids[:2],
    )
    await pool.execute(
        'UPDATE "asset" SET "visibility" = \'archive\' WHERE "id" = $1', archived["id"]
    )
    result = await plugin.memory_cleanup(ctx, {})
    assert (result.unlinked, result.removed) == (3, 1)
    left = await pool.fetch('SELECT "memoriesId", "assetId" FROM "memory_asset"')
    assert sorted((r["memoriesId"], r["assetId"]) for r in left) == sorted(
        [(ids[1], shown["id"]), (ids[2], shown["id"])]
    )
    assert (await plugin.memory_cleanup(ctx, {})).removed == 0


async def test_nightly_duty_enqueues_by_the_config(ctx: Any) -> None:
    assert "memories" in {d.name for d in cron_duties(ctx.pm)}
    registry = ctx.queues.registry
    assert registry.get("MemoryGenerate").queue == QUEUE
    assert registry.get("MemoryCleanup").queue == QUEUE

    async def waiting() -> list[str]:
        return sorted(j.name for j in await ctx.queues.jobs(QUEUE, ["waiting"]))

    await plugin.nightly_memories(ctx)
    assert await waiting() == ["MemoryCleanup", "MemoryGenerate"]
    await ctx.queues.empty(QUEUE)
    await ctx.config.update({"nightlyTasks": {"generateMemories": False}})
    await plugin.nightly_memories(ctx)
    assert await waiting() == ["MemoryCleanup"]
    await ctx.queues.empty(QUEUE)
    await ctx.config.update({"nightlyTasks": {"databaseCleanup": False}})
    await plugin.nightly_memories(ctx)
    assert await waiting() == []
