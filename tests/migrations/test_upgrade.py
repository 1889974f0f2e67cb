"""The whole schema on an empty database and on a filled one made by an older server.

The video plugin's table was made by core migrations 0006 and 0008 until the plugin owned it
(``plugins/video/migrations``; the old files are kept in ``tests/migrations/legacy``). A fresh
database gets the table only through the plugin; an old one keeps its rows and ends with the
same schema as a fresh one.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from immich.db.migrate import folder_files, migrate, migration_files
from immich.plugins import make_manager
from tests.conftest import EXAMPLE_PLUGIN as EXAMPLE
from tests.migrations.databases import (
    apply_as_recorded,
    recorded,
    schema,
    scratch_database,
    tables,
)

LEGACY = Path(__file__).resolve().parent / "legacy"
VIDEO_FILE = "video/0001_video_stream_session.sql"
PRODUCER_COLUMNS = {
    "producerId",
    "producerSeenAt",
    "producerError",
    "wantVariant",
    "wantIndex",
    "wantedAt",
}


def _in_tree() -> Any:
    return make_manager(skip=[EXAMPLE])


def _old_layout(legacy: list[str]) -> list[tuple[str, str]]:
    """The core's files as a server before the move had them, up to 0009."""
    old = [(n, sql) for n, sql in migration_files() if n < "0010"]
    old += [(n, sql) for n, sql in folder_files(LEGACY) if n in legacy]
    return sorted(old)


async def _fill(pool: asyncpg.Pool, *, producer: bool) -> uuid.UUID:
    owner: uuid.UUID = await pool.fetchval(
        """INSERT INTO "user" ("email") VALUES ('old@example.com') RETURNING "id" """
    )
    await pool.execute(
        """INSERT INTO "asset" ("deviceAssetId", "ownerId", "deviceId", "type", "originalPath",
            "originalFileName", "fileCreatedAt", "localDateTime", "fileModifiedAt", "checksum")
        SELECT 'd' || i, $1, 'test', 'VIDEO', '/p/' || i, i || '.mp4', now(), now(), now(),
            sha256(i::text::bytea)
        FROM generate_series(1, 3) AS i""",
        owner,
    )
    stream = json.dumps({"duration": 5.0, "fps": 30, "width": 320, "height": 240})
    await pool.execute(
        """INSERT INTO "video_stream_session" ("id", "assetId", "ownerId", "stream", "lastSeenAt")
        SELECT gen_random_uuid(), "id", $1, $2::jsonb, now() - interval '1 minute'
        FROM "asset" """,
        owner,
        stream,
    )
    if producer:
        await pool.execute(
            """UPDATE "video_stream_session" SET "producerId" = 'worker-1',
                "producerSeenAt" = now(), "wantVariant" = 0, "wantIndex" = 2, "wantedAt" = now()"""
        )
    return owner


async def _rows(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch(
        """SELECT to_jsonb(s)::text AS row FROM "video_stream_session" s ORDER BY "assetId" """
    )
    return [r["row"] for r in rows]


async def test_empty_database_gets_the_core_then_the_plugins(pg_server: Any) -> None:
    pm = _in_tree()
    async with scratch_database(pg_server, "migrate_empty") as db:
        applied = await migrate(db.pool, pm)
        assert applied == [n for n, _ in migration_files(pm)]
        assert applied.index(VIDEO_FILE) > applied.index("0001_foundation.sql")
        assert "video_stream_session" in await tables(db.pool)
        assert not any(n.startswith(("0006", "0008")) for n in applied)  # no longer the core's
        await _fill(db.pool, producer=True)
        assert await migrate(db.pool, pm) == []


async def test_a_fresh_database_without_the_video_plugin_has_no_video_table(
    pg_server: Any,
) -> None:
    async with scratch_database(pg_server, "migrate_novideo") as db:
        await migrate(db.pool, make_manager(skip=["video", EXAMPLE]))
        assert "video_stream_session" not in await tables(db.pool)
        assert await migrate(db.pool, _in_tree()) == [VIDEO_FILE]  # loaded later: created then
        assert "video_stream_session" in await tables(db.pool)


@pytest.mark.parametrize(
    "legacy",
    [
        ["0006_video_stream_session.sql", "0008_video_stream_producer.sql"],
        ["0006_video_stream_session.sql"],  # a server that stopped between the two
    ],
    ids=["first-schema", "before-0008"],
)
async def test_filled_old_database_upgrades_without_loss(pg_server: Any, legacy: list[str]) -> None:
    pm = _in_tree()
    async with (
        scratch_database(pg_server, "migrate_old") as old,
        scratch_database(pg_server, "migrate_new") as new,
    ):
        await apply_as_recorded(old.pool, _old_layout(legacy))
        owner = await _fill(old.pool, producer=len(legacy) == 2)
        before = await _rows(old.pool)
        assets = await old.pool.fetch('SELECT "id" FROM "asset" ORDER BY "id"')
        assert len(before) == 3

        applied = await migrate(old.pool, pm)
        newer_core = [n for n, _ in migration_files() if n >= "0010"]
        assert applied == [*newer_core, VIDEO_FILE]
        assert set(legacy) <= set(await recorded(old.pool))  # the old names stay recorded
        assert await migrate(old.pool, pm) == []

        after = [json.loads(r) for r in await _rows(old.pool)]
        old_rows = [json.loads(r) for r in before]
        for a, b in zip(after, old_rows, strict=True):
            assert {k: a[k] for k in b} == b  # every old value kept
            assert all(a[k] is None for k in PRODUCER_COLUMNS - b.keys())  # added, empty
        assert await old.pool.fetch('SELECT "id" FROM "asset" ORDER BY "id"') == assets
        assert await old.pool.fetchval('SELECT "id" FROM "user"') == owner

        await migrate(new.pool, pm)
        assert await schema(old.pool) == await schema(new.pool)  # the same end state
