"""/api/trash (empty, restore, restore assets) and the jobs that delete trashed assets for good."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

import plugins.assets
import plugins.trash
from immich.jobs.registry import cron_duties
from tests.api.asset_factory import UNKNOWN_ID, make_asset, trash, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
QUEUE = "backgroundTask"


@pytest.fixture
async def ctx(app: Any, client: httpx.AsyncClient) -> Any:
    context = app.state.ctx
    await context.queues.empty(QUEUE)
    return context


async def waiting(ctx: Any) -> list[tuple[str, dict[str, Any]]]:
    jobs = await ctx.queues.jobs(QUEUE, ["waiting"])
    return sorted((j.name, dict(j.data)) for j in jobs)


async def ids_in_db(ctx: Any) -> set[uuid.UUID]:
    return {r["id"] for r in await ctx.db.pool.fetch('SELECT "id" FROM "asset"')}


async def with_file(ctx: Any, folder: Path, owner: Any, name: str, **columns: Any) -> Any:
    path = folder / name
    path.write_bytes(b"original")
    return await make_asset(ctx.db.pool, owner, originalPath=str(path), **columns)


async def test_restore_all_and_some(
    client: httpx.AsyncClient, admin_headers: Headers, ctx: Any
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    a, b, c = [await make_asset(pool, me) for _ in range(3)]
    await trash(pool, [a["id"], b["id"], c["id"]])

    r = await client.post(
        "/api/trash/restore/assets", json={"ids": [str(a["id"])]}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"count": 1}
    row = await pool.fetchrow('SELECT * FROM "asset" WHERE "id" = $1', a["id"])
    assert (row["status"], row["deletedAt"]) == ("active", None)

    r = await client.post("/api/trash/restore", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"count": 2}
    r = await client.post("/api/trash/restore", headers=admin_headers)
    assert r.json() == {"count": 0}
    r = await client.get(
        "/api/timeline/buckets", params={"isTrashed": "true"}, headers=admin_headers
    )
    assert r.json() == []
    r = await client.post("/api/trash/restore/assets", json={"ids": []}, headers=admin_headers)
    assert r.json() == {"count": 0}


async def test_empty_marks_deleted_and_the_job_deletes_rows_then_files(
    client: httpx.AsyncClient, admin_headers: Headers, ctx: Any, tmp_path: Path
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    kept = await with_file(ctx, tmp_path, me, "kept.jpg")
    doomed = await with_file(ctx, tmp_path, me, "doomed.jpg")
    await trash(pool, [doomed["id"]])

    r = await client.post("/api/trash/empty", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"count": 1}
    status = await pool.fetchval('SELECT "status" FROM "asset" WHERE "id" = $1', doomed["id"])
    assert status == "deleted"
    assert await waiting(ctx) == [("AssetEmptyTrash", {})]
    r = await client.get(
        "/api/timeline/buckets", params={"isTrashed": "true"}, headers=admin_headers
    )
    assert r.json() == []  # out of the trash view at once
    assert (tmp_path / "doomed.jpg").exists()  # files go only after the row

    await ctx.queues.empty(QUEUE)
    result = await plugins.trash.empty_trash(ctx, {})
    assert result["deleted"] == 1
    assert await ids_in_db(ctx) == {kept["id"]}
    ((name, data),) = await waiting(ctx)
    assert (name, data) == ("FileDelete", {"files": [str(tmp_path / "doomed.jpg")]})
    await plugins.assets.file_delete(ctx, data)
    assert not (tmp_path / "doomed.jpg").exists()
    assert (tmp_path / "kept.jpg").exists()

    again = await plugins.trash.empty_trash(ctx, {})  # idempotent
    assert again == {"deleted": 0, "files": 0}
    r = await client.post("/api/trash/empty", headers=admin_headers)
    assert r.json() == {"count": 0}


async def test_nightly_check_purges_what_is_older_than_trash_days(
    client: httpx.AsyncClient, admin_headers: Headers, ctx: Any
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    now = dt.datetime.now(dt.UTC)
    old, recent, live = [await make_asset(pool, me) for _ in range(3)]
    await trash(pool, [old["id"]], now - dt.timedelta(days=31))
    await trash(pool, [recent["id"]], now - dt.timedelta(days=2))

    await plugins.trash.nightly_trash_cleanup(ctx)
    assert await waiting(ctx) == [("AssetDeleteCheck", {})]
    result = await plugins.trash.delete_check(ctx, {})
    assert result["deleted"] == 1
    assert await ids_in_db(ctx) == {recent["id"], live["id"]}

    await ctx.config.update({"trash": {"days": 1}})
    await plugins.trash.delete_check(ctx, {})
    assert await ids_in_db(ctx) == {live["id"]}

    gone = await make_asset(pool, me)
    await trash(pool, [gone["id"]])
    await ctx.config.update({"trash": {"enabled": False}})  # trash off: no waiting at all
    await plugins.trash.delete_check(ctx, {})
    assert await ids_in_db(ctx) == {live["id"]}

    await ctx.queues.empty(QUEUE)
    await ctx.config.update({"nightlyTasks": {"databaseCleanup": False}})
    await plugins.trash.nightly_trash_cleanup(ctx)
    assert await waiting(ctx) == []


def test_the_trash_plugin_registers_its_jobs_and_nightly_duty(app: Any) -> None:
    pm = app.state.ctx.pm
    assert "trash-cleanup" in {d.name for d in cron_duties(pm)}
    registry = app.state.ctx.queues.registry
    assert registry.get("AssetEmptyTrash").queue == QUEUE
    assert registry.get("AssetDeleteCheck").queue == QUEUE


async def test_restore_refuses_others_assets_and_bad_ids(
    client: httpx.AsyncClient, admin_headers: Headers, ctx: Any
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    mine = await make_asset(pool, me)
    await trash(pool, [mine["id"]])
    other, other_headers = await user_and_login(client, admin_headers)
    theirs = await make_asset(pool, other["id"])
    await trash(pool, [theirs["id"]])

    for ids in ([str(theirs["id"])], [str(mine["id"]), UNKNOWN_ID]):
        r = await client.post("/api/trash/restore/assets", json={"ids": ids}, headers=admin_headers)
        assert r.status_code == 400, r.text
        assert r.json() == {"message": "Not found or no asset.delete access"}
    for body in ({"ids": ["nope"]}, {"ids": "x"}, {}):
        r = await client.post("/api/trash/restore/assets", json=body, headers=admin_headers)
        assert r.status_code == 400, r.text
        assert r.json()["message"] == "Validation failed"
    # Someone else's trash is theirs: emptying mine leaves it alone.
    r = await client.post("/api/trash/empty", headers=admin_headers)
    assert r.json() == {"count": 1}
    status = await pool.fetchval('SELECT "status" FROM "asset" WHERE "id" = $1', theirs["id"])
    assert status == "trashed"
    r = await client.post("/api/trash/restore", headers=other_headers)
    assert r.json() == {"count": 1}
    r = await client.post("/api/trash/empty")
    assert r.status_code == 401
