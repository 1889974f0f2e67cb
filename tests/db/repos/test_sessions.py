"""immich.db.repos.sessions through piccolo: the stale-session purge and listing filters."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import httpx

from immich.db.repos import sessions, users


async def test_stale_sessions_go_and_live_ones_stay(app: Any, client: httpx.AsyncClient) -> None:
    pool = app.state.ctx.db.pool
    user = await users.create(pool, {"email": "s@example.com"})
    now = dt.datetime.now(dt.UTC)
    fresh = await sessions.create(pool, user["id"], os.urandom(32), device_type="Chrome")
    expired = await sessions.create(
        pool, user["id"], os.urandom(32), expires_at=now - dt.timedelta(minutes=1)
    )
    idle = await sessions.create(pool, user["id"], os.urandom(32))
    later = await sessions.create(
        pool, user["id"], os.urandom(32), expires_at=now + dt.timedelta(days=1)
    )
    async with pool.acquire() as conn, conn.transaction():
        # the updated_at trigger stamps every UPDATE; an idle session is made with triggers off
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(
            'UPDATE "session" SET "updatedAt" = now() - interval \'91 days\' WHERE "id" = $1',
            idle["id"],
        )
    listed = [r["id"] for r in await sessions.list_for_user(pool, user["id"])]
    assert expired["id"] not in listed and set(listed) == {fresh["id"], idle["id"], later["id"]}
    assert fresh["deviceType"] == "Chrome" and fresh["deviceOS"] == ""

    assert await sessions.delete_stale(pool, idle_days=90) == 2
    left = {r["id"] for r in await pool.fetch('SELECT "id" FROM "session"')}
    assert left == {fresh["id"], later["id"]}

    await sessions.delete_for_user(pool, user["id"], except_id=fresh["id"])
    assert [r["id"] for r in await sessions.list_for_user(pool, user["id"])] == [fresh["id"]]
    await sessions.delete_for_user(pool, user["id"])
    assert await sessions.list_for_user(pool, user["id"]) == []


async def test_users_removed_after_the_delay_or_when_forced(
    app: Any, client: httpx.AsyncClient
) -> None:
    pool = app.state.ctx.db.pool
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
    due = await users.create(pool, {"email": "due@example.com", "deletedAt": old})
    await users.create(pool, {"email": "recent@example.com", "deletedAt": dt.datetime.now(dt.UTC)})
    forced = await users.create(
        pool,
        {"email": "forced@example.com", "deletedAt": dt.datetime.now(dt.UTC), "status": "removing"},
    )
    await users.create(pool, {"email": "alive@example.com"})
    assert {r["id"] for r in await users.deleted_before(pool, 7)} == {due["id"], forced["id"]}
    assert [r["email"] for r in await users.list_users(pool)] == ["alive@example.com"]
    assert len(await users.list_users(pool, with_deleted=True, newest_first=True)) == 4
    assert (await users.get_by_email(pool, "ALIVE@example.com"))["email"] == "alive@example.com"
    assert await users.get(pool, due["id"]) is None
    assert (await users.get(pool, due["id"], with_deleted=True))["id"] == due["id"]
