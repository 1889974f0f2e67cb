"""Migration 0010 (change ids for sync) on a database that already holds users, assets, albums
and stacks: nothing is lost, every existing change id becomes a v7 made from the row's own
``updatedAt`` (so the old order is kept), and the new columns are filled."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from immich.db.engine import _ensure_database, _with_database
from immich.db.migrate import migrate, migration_files

# Every table with a change id, and its key columns (to match rows before and after).
TABLES = {
    "user": ('"id"',),
    "session": ('"id"',),
    "api_key": ('"id"',),
    "asset": ('"id"',),
    "asset_exif": ('"assetId"',),
    "asset_file": ('"id"',),
    "asset_metadata": ('"assetId"', '"key"'),
    "stack": ('"id"',),
    "album": ('"id"',),
    "album_asset": ('"albumId"', '"assetId"'),
    "album_user": ('"albumId"', '"userId"'),
}
NEW_IDS = ("updateId", "createId")
ASSETS = 40
THEN = dt.datetime(2023, 3, 4, 5, 6, 7, 123456, tzinfo=dt.UTC)


def v7_millis(value: uuid.UUID) -> int:
    return int.from_bytes(value.bytes[:6], "big")


async def _fill(conn: Any) -> None:
    """Rows in every table 0010 touches, written as the schema before it allows."""
    owner = await conn.fetchval(
        """INSERT INTO "user" ("email", "updatedAt") VALUES ('filled@example.com', $1)
        RETURNING "id" """,
        THEN,
    )
    member = await conn.fetchval(
        """INSERT INTO "user" ("email") VALUES ('member@example.com') RETURNING "id" """
    )
    await conn.execute(
        """INSERT INTO "user_metadata" ("userId", "key", "value")
        VALUES ($1, 'preferences', '{"a": 1}')""",
        owner,
    )
    await conn.execute("""INSERT INTO "session" ("token", "userId") VALUES ('\\x01', $1)""", owner)
    await conn.execute(
        """INSERT INTO "api_key" ("name", "key", "userId", "permissions")
        VALUES ('k', '\\x02', $1, '{all}')""",
        owner,
    )
    await conn.execute(
        """INSERT INTO "asset" ("deviceAssetId", "ownerId", "deviceId", "type",
            "originalPath", "originalFileName", "fileCreatedAt", "localDateTime",
            "fileModifiedAt", "checksum", "updatedAt")
        SELECT 'd' || i, $1, 'test', 'IMAGE', '/p/' || i, i || '.jpg', now(), now(),
            now(), sha256(i::text::bytea), $2::timestamptz + i * interval '1 minute'
        FROM generate_series(1, $3) AS i""",
        owner,
        THEN,
        ASSETS,
    )
    await conn.execute(
        """INSERT INTO "asset_exif" ("assetId", "city") SELECT "id", 'Paris' FROM "asset" """
    )
    await conn.execute(
        """INSERT INTO "asset_file" ("assetId", "type", "path")
        SELECT "id", 'thumbnail', '/t/' || "id" FROM "asset" """
    )
    await conn.execute(
        """INSERT INTO "asset_metadata" ("assetId", "key", "value")
        SELECT "id", 'k', '{}' FROM "asset" """
    )
    first = await conn.fetchval("""SELECT "id" FROM "asset" ORDER BY "updatedAt" LIMIT 1""")
    stack = await conn.fetchval(
        """INSERT INTO "stack" ("ownerId", "primaryAssetId") VALUES ($1, $2) RETURNING "id" """,
        owner,
        first,
    )
    await conn.execute("""UPDATE "asset" SET "stackId" = $1 WHERE "id" = $2""", stack, first)
    album = await conn.fetchval(
        """INSERT INTO "album" ("ownerId", "albumName") VALUES ($1, 'A') RETURNING "id" """,
        owner,
    )
    await conn.execute(
        """INSERT INTO "album_asset" ("albumId", "assetId") SELECT $1, "id" FROM "asset" """,
        album,
    )
    await conn.execute(
        """INSERT INTO "album_user" ("albumId", "userId", "createdAt") VALUES ($1, $2, $3)""",
        album,
        member,
        THEN,
    )


async def _snapshot(pool: asyncpg.Pool) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every change-id table by key, without the change ids (0010 writes them)."""
    out: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for table, keys in TABLES.items():
        rows = await pool.fetch(f'SELECT * FROM "{table}"')
        names = [k.strip('"') for k in keys]
        out[table] = {
            tuple(r[n] for n in names): {k: v for k, v in dict(r).items() if k not in NEW_IDS}
            for r in rows
        }
    return out


@pytest.fixture
async def before_0010(pg_server: Any) -> AsyncIterator[asyncpg.Pool]:
    """A database migrated up to 0009 and filled."""
    _, admin_url = pg_server
    name = f"migrate_0010_{uuid.uuid4().hex[:8]}"
    await _ensure_database(admin_url, name)
    pool = await asyncpg.create_pool(_with_database(admin_url, name), min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            await conn.execute(
                "CREATE TABLE immich_py_migrations ("
                " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for file_name, sql in migration_files():
                if file_name >= "0010":
                    break
                await conn.execute(sql)
                await conn.execute("INSERT INTO immich_py_migrations (name) VALUES ($1)", file_name)
            await _fill(conn)
        yield pool
    finally:
        await pool.close()
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f'DROP DATABASE "{name}"')
        finally:
            await admin.close()


async def test_applies_to_a_filled_database_without_loss(before_0010: asyncpg.Pool) -> None:
    pool = before_0010
    before = await _snapshot(pool)
    months = await pool.fetch('SELECT * FROM "asset_timeline_month" ORDER BY 1, 2, 3, 4, 5, 6')
    applied = await migrate(pool)
    assert applied[0] == "0010_change_ids.sql"

    # Same rows, same values (the change id aside), in every table; the counters untouched.
    assert await _snapshot(pool) == before
    assert sum(len(rows) for rows in before.values()) > 5 * ASSETS
    assert (
        await pool.fetch('SELECT * FROM "asset_timeline_month" ORDER BY 1, 2, 3, 4, 5, 6') == months
    )
    enabled = await pool.fetchval(
        "SELECT tgenabled FROM pg_trigger WHERE tgname = 'asset_timeline_month_update'"
    )
    assert enabled == b"O"  # back on after the rewrite
    # Rewriting the ids deleted nothing, so nothing was audited.
    for audit in ("asset_audit", "album_audit", "album_asset_audit", "stack_audit", "user_audit"):
        assert await pool.fetchval(f'SELECT count(*) FROM "{audit}"') == 0

    for table in TABLES:
        rows = await pool.fetch(f'SELECT "updateId", "updatedAt" FROM "{table}"')
        assert rows, table
        for row in rows:
            assert row["updateId"].version == 7, table
            # the id is the row's own "updatedAt", to the millisecond
            stamp = row["updatedAt"]
            assert v7_millis(row["updateId"]) == int(stamp.timestamp() * 1000), table

    # The old order of changes is the order of the new ids.
    rows = await pool.fetch('SELECT "updateId" FROM "asset" ORDER BY "updatedAt"')
    ids = [r["updateId"].bytes for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == ASSETS

    # The new columns are filled: user_metadata's change id, album_user's create id.
    meta = await pool.fetchrow('SELECT "updateId", "updatedAt" FROM "user_metadata"')
    assert meta is not None
    assert meta["updateId"].version == 7 and meta["updatedAt"] is not None
    member = await pool.fetchrow('SELECT "createId", "createdAt" FROM "album_user"')
    assert member is not None
    assert member["createId"].version == 7
    assert v7_millis(member["createId"]) == int(member["createdAt"].timestamp() * 1000)
    assert member["createdAt"] == THEN

    assert await migrate(pool) == []


async def test_rows_changed_after_it_sort_above_every_migrated_row(
    before_0010: asyncpg.Pool,
) -> None:
    pool = before_0010
    await migrate(pool)
    newest_old = await pool.fetchval(
        'SELECT "updateId" FROM "asset" ORDER BY "updateId" DESC LIMIT 1'
    )
    oldest = await pool.fetchval('SELECT "id" FROM "asset" ORDER BY "updateId" LIMIT 1')
    await pool.execute('UPDATE "asset" SET "isFavorite" = true WHERE "id" = $1', oldest)
    changed = await pool.fetchval('SELECT "updateId" FROM "asset" WHERE "id" = $1', oldest)
    assert changed.bytes > newest_old.bytes
    # ... and the sync's upper bound (a millisecond ago) lies above every migrated row.
    bound = await pool.fetchval("SELECT immich_uuid_v7(now() - interval '1 millisecond')")
    assert newest_old.bytes < bound.bytes
