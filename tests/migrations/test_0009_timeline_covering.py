"""Migration 0009 (timeline covering indexes) on a database that already holds assets."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from immich.db.engine import _ensure_database, _with_database
from immich.db.migrate import migrate, migration_files

NEW_INDEXES = (
    "asset_ownerId_localDateTime_timeline_idx",
    "asset_exif_assetId_timeline_idx",
    "asset_stackId_timeline_idx",
)


async def test_applies_to_a_filled_database_and_replaces_the_narrow_index(pg_server: Any) -> None:
    _, admin_url = pg_server
    name = f"migrate_0009_{uuid.uuid4().hex[:8]}"
    await _ensure_database(admin_url, name)
    pool = await asyncpg.create_pool(_with_database(admin_url, name), min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            await conn.execute(
                "CREATE TABLE immich_py_migrations ("
                " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for file_name, sql in migration_files():
                if file_name >= "0009":
                    break
                await conn.execute(sql)
                await conn.execute("INSERT INTO immich_py_migrations (name) VALUES ($1)", file_name)
            owner = await conn.fetchval(
                """INSERT INTO "user" ("email") VALUES ('filled@example.com') RETURNING "id" """
            )
            await conn.execute(
                """INSERT INTO "asset" ("deviceAssetId", "ownerId", "deviceId", "type",
                    "originalPath", "originalFileName", "fileCreatedAt", "localDateTime",
                    "fileModifiedAt", "checksum", "stackId")
                SELECT 'd' || i, $1, 'test', 'IMAGE', '/p/' || i, i || '.jpg', now(), now(),
                    now(), sha256(i::text::bytea), NULL
                FROM generate_series(1, 50) AS i""",
                owner,
            )
            await conn.execute(
                """INSERT INTO "asset_exif" ("assetId", "city") SELECT "id", 'Paris' FROM "asset" """
            )

        later = [n for n, _ in migration_files() if n >= "0009"]
        assert await migrate(pool) == later
        assert later[0] == "0009_timeline_covering.sql"

        indexes = {r["indexname"] for r in await pool.fetch("SELECT indexname FROM pg_indexes")}
        assert set(NEW_INDEXES) <= indexes
        assert "asset_ownerId_localDateTime_idx" not in indexes
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SET LOCAL enable_seqscan = off")
            await conn.execute("SET LOCAL enable_bitmapscan = off")
            plan = "\n".join(
                r[0]
                for r in await conn.fetch(
                    """EXPLAIN SELECT count(*) FROM "asset" WHERE "ownerId" = $1
                    AND "localDateTime" >= now() - interval '1 day'""",
                    owner,
                )
            )
        assert "asset_ownerId_localDateTime_timeline_idx" in plan, plan
        assert await migrate(pool) == []
    finally:
        await pool.close()
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f'DROP DATABASE "{name}"')
        finally:
            await admin.close()
