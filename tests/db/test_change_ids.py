"""Change ids for sync (migration 0010): the database stamps a time-ordered UUIDv7 ``updateId``
on every INSERT and UPDATE, and records deletes in Immich's ``*_audit`` tables."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import httpx

from tests.api.asset_factory import make_album, make_asset, make_stack, user_id
from tests.api.user_helpers import create_user

# Every table with a change id, and an UPDATE of all its rows that changes no value.
UPDATES = {
    "user": 'UPDATE "user" SET "name" = "name"',
    "session": 'UPDATE "session" SET "deviceOS" = "deviceOS"',
    "api_key": 'UPDATE "api_key" SET "name" = "name"',
    "user_metadata": 'UPDATE "user_metadata" SET "value" = "value"',
    "asset": 'UPDATE "asset" SET "isFavorite" = "isFavorite"',
    "asset_exif": 'UPDATE "asset_exif" SET "city" = "city"',
    "asset_file": 'UPDATE "asset_file" SET "path" = "path"',
    "asset_metadata": 'UPDATE "asset_metadata" SET "value" = "value"',
    "stack": 'UPDATE "stack" SET "ownerId" = "ownerId"',
    "album": 'UPDATE "album" SET "albumName" = "albumName"',
    "album_asset": 'UPDATE "album_asset" SET "createdAt" = "createdAt"',
    "album_user": 'UPDATE "album_user" SET "role" = "role"',
    "notification": 'UPDATE "notification" SET "title" = "title"',
    "tag": 'UPDATE "tag" SET "value" = "value"',
    "memory": 'UPDATE "memory" SET "isSaved" = "isSaved"',
    "memory_asset": 'UPDATE "memory_asset" SET "createdAt" = "createdAt"',
    "activity": 'UPDATE "activity" SET "isLiked" = "isLiked"',
    "partner": 'UPDATE "partner" SET "inTimeline" = "inTimeline"',
    "session_sync_checkpoint": 'UPDATE "session_sync_checkpoint" SET "ack" = "ack"',
}


def v7_millis(value: uuid.UUID) -> int:
    return int.from_bytes(value.bytes[:6], "big")


def is_v7(value: uuid.UUID) -> bool:
    return value.version == 7 and value.variant == uuid.RFC_4122


async def _filled(pool: asyncpg.Pool, client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
    """A row in every change-id table: the admin's assets, stack, album with a member."""
    owner = await user_id(pool)
    member = uuid.UUID((await create_user(client, headers, "member@example.com"))["id"])
    photos = [await make_asset(pool, owner, exif={"city": "Paris"}) for _ in range(2)]
    await pool.execute(
        'INSERT INTO "asset_file" ("assetId", "type", "path") VALUES ($1, \'thumbnail\', \'/t\')',
        photos[0]["id"],
    )
    await pool.execute(
        'INSERT INTO "asset_metadata" ("assetId", "key", "value") VALUES ($1, \'k\', \'{}\')',
        photos[0]["id"],
    )
    await pool.execute(
        'INSERT INTO "user_metadata" ("userId", "key", "value") VALUES ($1, \'k\', \'{}\')', owner
    )
    await pool.execute(
        'INSERT INTO "api_key" ("name", "key", "userId", "permissions") '
        "VALUES ('k', '\\x01', $1, '{all}')",
        owner,
    )
    await pool.execute('INSERT INTO "tag" ("userId", "value") VALUES ($1, \'t\')', owner)
    stack = await make_stack(pool, owner, [p["id"] for p in photos])
    album = await make_album(pool, owner, [p["id"] for p in photos])
    await pool.execute(
        'INSERT INTO "album_user" ("albumId", "userId") VALUES ($1, $2)', album, member
    )
    await pool.execute('INSERT INTO "notification" ("userId", "title") VALUES ($1, \'t\')', owner)
    memory = await pool.fetchval(
        'INSERT INTO "memory" ("ownerId", "type", "data", "memoryAt") '
        "VALUES ($1, 'on_this_day', '{\"year\": 2020}', now()) RETURNING \"id\"",
        owner,
    )
    await pool.execute(
        'INSERT INTO "memory_asset" ("memoriesId", "assetId") VALUES ($1, $2)',
        memory,
        photos[0]["id"],
    )
    await pool.execute(
        'INSERT INTO "activity" ("albumId", "userId", "isLiked") VALUES ($1, $2, true)',
        album,
        member,
    )
    await pool.execute(
        'INSERT INTO "partner" ("sharedById", "sharedWithId") VALUES ($1, $2)', owner, member
    )
    await pool.execute(
        'INSERT INTO "session_sync_checkpoint" ("sessionId", "type", "ack") '
        'SELECT "id", \'AssetV2\', \'AssetV2|x\' FROM "session" WHERE "userId" = $1',
        owner,
    )
    return owner, member, photos, stack, album


async def _ids(pool: asyncpg.Pool, table: str) -> list[tuple[uuid.UUID, dt.datetime]]:
    rows = await pool.fetch(f'SELECT "updateId", "updatedAt" FROM "{table}"')
    return [(r["updateId"], r["updatedAt"]) for r in rows]


# --- the v7 function ----------------------------------------------------------------------


async def test_uuid_v7_carries_its_instant(app: Any) -> None:
    pool = app.state.ctx.db.pool
    when = dt.datetime(2024, 5, 10, 12, 0, 0, 123456, tzinfo=dt.UTC)
    value = await pool.fetchval("SELECT immich_uuid_v7($1)", when)
    assert is_v7(value)
    assert v7_millis(value) == 1_715_342_400_123
    # the 12 bits after the version are the microseconds within that millisecond (456/1000)
    assert int.from_bytes(value.bytes[6:8], "big") & 0x0FFF == 456 * 4096 // 1000
    # the rest is random: two ids of one instant differ
    assert await pool.fetchval("SELECT immich_uuid_v7($1)", when) != value


async def test_uuid_v7_defaults_to_the_clock(app: Any) -> None:
    pool = app.state.ctx.db.pool
    before = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    value = await pool.fetchval("SELECT immich_uuid_v7()")
    after = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    assert is_v7(value)
    assert before - 1000 <= v7_millis(value) <= after + 1000  # clocks of one machine


async def test_uuid_v7_orders_instants_a_microsecond_apart(app: Any) -> None:
    pool = app.state.ctx.db.pool
    rows = await pool.fetch(
        "SELECT immich_uuid_v7(timestamptz '2024-05-10 12:00:00Z' + i * interval '1 microsecond')"
        " AS id FROM generate_series(0, 2999) AS i ORDER BY i"
    )
    ids = [r["id"].bytes for r in rows]
    assert ids == sorted(ids)
    assert len(set(ids)) == 3000


# --- change ids on write ----------------------------------------------------------------------


async def test_every_table_with_a_change_id_has_the_default_and_both_triggers(app: Any) -> None:
    """The rule for tables to come (core's and plugins'): an ``updateId`` column is stamped by
    the database, never by a repository."""
    pool = app.state.ctx.db.pool
    tables = await pool.fetch(
        "SELECT table_name, column_default, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = 'updateId'"
    )
    assert len(tables) >= len(UPDATES)
    for table in tables:
        name = table["table_name"]
        assert table["column_default"] == "immich_uuid_v7()", name
        assert table["is_nullable"] == "NO", name
        triggers = {
            (r["function"], r["before"], r["insert"], r["update"], r["row"])
            for r in await pool.fetch(
                "SELECT p.proname AS function, (t.tgtype & 2) <> 0 AS before, "
                "(t.tgtype & 4) <> 0 AS insert, (t.tgtype & 16) <> 0 AS update, "
                "(t.tgtype & 1) <> 0 AS row "
                "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgrelid = format('%I', $1::text)::regclass AND t.tgenabled = 'O'",
                name,
            )
        }
        assert ("updated_at", True, False, True, True) in triggers, name
        assert ("update_id_on_insert", True, True, False, True) in triggers, name


async def test_every_update_moves_the_change_id_forward(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    await _filled(pool, client, admin_headers)
    assert set(UPDATES) == set(
        r["table_name"]
        for r in await pool.fetch(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name = 'updateId'"
        )
    ), "a table with updateId lacks a test here"
    for table, sql in UPDATES.items():
        before = await _ids(pool, table)
        assert before, table
        assert all(is_v7(i) for i, _ in before), table
        await pool.execute(sql)
        after = await _ids(pool, table)
        assert len(after) == len(before), table
        newest_before = max(i.bytes for i, _ in before)
        for new_id, new_at in after:
            assert is_v7(new_id), table
            assert new_id.bytes > newest_before, table
            assert new_at > max(at for _, at in before), table


async def test_later_updates_get_larger_ids(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    asset = await make_asset(pool, await user_id(pool))
    seen = []
    for favorite in (True, False) * 10:
        seen.append(
            await pool.fetchval(
                'UPDATE "asset" SET "isFavorite" = $2 WHERE "id" = $1 RETURNING "updateId"',
                asset["id"],
                favorite,
            )
        )
    assert [s.bytes for s in seen] == sorted(s.bytes for s in seen)
    assert len(set(seen)) == len(seen)


async def test_inserts_get_the_databases_id_even_when_a_client_sends_one(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """An ORM that sends every column (piccolo, with its Python-made v4 default) cannot put a
    random id into the sync order."""
    pool = app.state.ctx.db.pool
    owner = await user_id(pool)
    member = uuid.UUID((await create_user(client, admin_headers, "member@example.com"))["id"])
    v4 = uuid.uuid4()
    bound = await pool.fetchval("SELECT immich_uuid_v7()")
    stored = await pool.fetchval(
        'INSERT INTO "user_metadata" ("userId", "key", "value", "updateId") '
        "VALUES ($1, 'k', '{}', $2) RETURNING \"updateId\"",
        owner,
        v4,
    )
    assert is_v7(stored) and stored.bytes > bound.bytes
    album = await make_album(pool, owner, [])
    row = await pool.fetchrow(
        'INSERT INTO "album_user" ("albumId", "userId", "updateId", "createId") '
        'VALUES ($1, $2, $3, $3) RETURNING "updateId", "createId"',
        album,
        member,
        v4,
    )
    assert is_v7(row["updateId"]) and is_v7(row["createId"])
    assert row["createId"].bytes > bound.bytes


async def test_a_new_member_makes_the_album_a_change(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """A user added to an album must receive it, even if the album changed before their
    checkpoint: the album's change id moves (Immich's album_user_after_insert)."""
    pool = app.state.ctx.db.pool
    owner = await user_id(pool)
    member = uuid.UUID((await create_user(client, admin_headers, "member@example.com"))["id"])
    album = await make_album(pool, owner, [])
    before = await pool.fetchval('SELECT "updateId" FROM "album" WHERE "id" = $1', album)
    await pool.execute(
        'INSERT INTO "album_user" ("albumId", "userId") VALUES ($1, $2)', album, member
    )
    after = await pool.fetchval('SELECT "updateId" FROM "album" WHERE "id" = $1', album)
    assert after.bytes > before.bytes


async def test_api_changes_get_new_change_ids(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """Repositories no longer set ``updateId``; the trigger does, for every route's write."""
    pool = app.state.ctx.db.pool
    owner = await user_id(pool)
    asset = await make_asset(pool, owner)
    r = await client.put(
        f"/api/assets/{asset['id']}", headers=admin_headers, json={"isFavorite": True}
    )
    assert r.status_code == 200, r.text
    assert r.json()["isFavorite"] is True
    after = await pool.fetchval('SELECT "updateId" FROM "asset" WHERE "id" = $1', asset["id"])
    assert is_v7(after) and after.bytes > asset["updateId"].bytes

    user_before = await pool.fetchrow('SELECT * FROM "user" WHERE "id" = $1', owner)
    r = await client.put("/api/users/me", headers=admin_headers, json={"name": "Renamed"})
    assert r.status_code == 200, r.text
    user_after = await pool.fetchrow('SELECT * FROM "user" WHERE "id" = $1', owner)
    assert user_after["updateId"].bytes > user_before["updateId"].bytes
    assert user_after["updatedAt"] > user_before["updatedAt"]
    answered = dt.datetime.fromisoformat(r.json()["updatedAt"])  # milliseconds, as Immich
    assert abs(answered - user_after["updatedAt"]) < dt.timedelta(milliseconds=1)


# --- deletes ---------------------------------------------------------------------------------


async def _audit(pool: asyncpg.Pool, table: str, *columns: str) -> list[tuple[Any, ...]]:
    rows = await pool.fetch(f'SELECT * FROM "{table}" ORDER BY "id"')
    for row in rows:
        assert is_v7(row["id"]), table
        assert abs(row["deletedAt"] - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    return [tuple(r[c] for c in columns) for r in rows]


async def test_deleting_an_asset_is_recorded_with_its_album_and_stack(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    owner, _, photos, stack, album = await _filled(pool, client, admin_headers)
    primary = photos[0]["id"]
    await pool.execute('DELETE FROM "asset" WHERE "id" = $1', primary)

    assert await _audit(pool, "asset_audit", "assetId", "ownerId") == [(primary, owner)]
    assert await _audit(pool, "album_asset_audit", "albumId", "assetId") == [(album, primary)]
    # our stack goes with its primary asset (the foreign key cascades): recorded too
    assert await _audit(pool, "stack_audit", "stackId", "userId") == [(stack, owner)]
    assert await _audit(pool, "asset_metadata_audit", "assetId") == []  # cascaded
    assert await _audit(pool, "user_audit", "userId") == []


async def test_deletes_are_recorded_in_the_order_they_happen(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    owner = await user_id(pool)
    assets = [await make_asset(pool, owner) for _ in range(5)]
    for asset in assets:
        await pool.execute('DELETE FROM "asset" WHERE "id" = $1', asset["id"])
    recorded = await _audit(pool, "asset_audit", "assetId")  # ordered by the audit's id
    assert recorded == [(a["id"],) for a in assets]


async def test_deleting_a_user_is_one_user_audit_row(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """What goes with the user (assets, stacks, albums, metadata) is covered by user_audit."""
    pool = app.state.ctx.db.pool
    owner = uuid.UUID((await create_user(client, admin_headers, "owner@example.com"))["id"])
    photos = [await make_asset(pool, owner) for _ in range(2)]
    await make_stack(pool, owner, [p["id"] for p in photos])
    await make_album(pool, owner, [p["id"] for p in photos])
    await pool.execute(
        'INSERT INTO "user_metadata" ("userId", "key", "value") VALUES ($1, \'k\', \'{}\')', owner
    )
    await pool.execute('DELETE FROM "user" WHERE "id" = $1', owner)

    assert await _audit(pool, "user_audit", "userId") == [(owner,)]
    for table in (
        "asset_audit",
        "stack_audit",
        "album_audit",
        "album_asset_audit",
        "album_user_audit",
        "user_metadata_audit",
    ):
        assert await _audit(pool, table, "id") == [], table


async def test_deleting_an_album_is_recorded_for_its_owner_and_members(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    owner, member, _, _, album = await _filled(pool, client, admin_headers)
    await pool.execute('DELETE FROM "album" WHERE "id" = $1', album)

    assert sorted(await _audit(pool, "album_audit", "albumId", "userId")) == sorted(
        [(album, owner), (album, member)]
    )
    # the album's assets and memberships went with it: nothing more to tell
    assert await _audit(pool, "album_asset_audit", "id") == []
    assert await _audit(pool, "album_user_audit", "id") == []
    assert await _audit(pool, "asset_audit", "id") == []


async def test_removing_a_member_or_an_asset_from_an_album_is_recorded(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    _, member, photos, _, album = await _filled(pool, client, admin_headers)
    await pool.execute(
        'DELETE FROM "album_user" WHERE "albumId" = $1 AND "userId" = $2', album, member
    )
    assert await _audit(pool, "album_audit", "albumId", "userId") == [(album, member)]
    assert await _audit(pool, "album_user_audit", "albumId", "userId") == [(album, member)]

    await pool.execute(
        'DELETE FROM "album_asset" WHERE "albumId" = $1 AND "assetId" = $2',
        album,
        photos[1]["id"],
    )
    assert await _audit(pool, "album_asset_audit", "albumId", "assetId") == [
        (album, photos[1]["id"])
    ]
    assert await _audit(pool, "asset_audit", "id") == []


async def test_deleting_a_stack_through_the_api_is_recorded(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    owner, _, photos, stack, _ = await _filled(pool, client, admin_headers)
    before = await pool.fetchval('SELECT "updateId" FROM "asset" WHERE "id" = $1', photos[1]["id"])
    r = await client.delete(f"/api/stacks/{stack}", headers=admin_headers)
    assert r.status_code == 204, r.text
    assert await _audit(pool, "stack_audit", "stackId", "userId") == [(stack, owner)]
    # its assets are changes too (their stackId is cleared)
    after = await pool.fetchval('SELECT "updateId" FROM "asset" WHERE "id" = $1', photos[1]["id"])
    assert after.bytes > before.bytes


async def test_deleting_metadata_is_recorded(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    owner, _, photos, _, _ = await _filled(pool, client, admin_headers)
    r = await client.delete(f"/api/assets/{photos[0]['id']}/metadata/k", headers=admin_headers)
    assert r.status_code == 204, r.text
    assert await _audit(pool, "asset_metadata_audit", "assetId", "key") == [(photos[0]["id"], "k")]
    await pool.execute('DELETE FROM "user_metadata" WHERE "userId" = $1', owner)
    assert await _audit(pool, "user_metadata_audit", "userId", "key") == [(owner, "k")]
