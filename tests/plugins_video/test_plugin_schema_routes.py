"""The video plugin owns its table (``plugins/video/migrations``) and its routes
(``plugins/video/routes.py``): skipping it takes its routes, jobs, cron duty and spec entries
with it, and leaves its table and rows untouched."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from immich.app import create_app
from immich.context import AppContext
from immich.jobs.registry import cron_duties
from tests.conftest import make_settings
from tests.migrations.databases import recorded, scratch_database, tables

VIDEO_OPERATIONS = {
    "playAssetVideo",
    "getMainPlaylist",
    "getMediaPlaylist",
    "getSegment",
    "endSession",
}
VIDEO_JOBS = {"AssetEncodeVideo", "AssetEncodeVideoQueueAll", "HlsSessionCleanup"}


@contextlib.asynccontextmanager
async def _server(
    url: str, media: Path, **env: str
) -> AsyncIterator[tuple[httpx.AsyncClient, AppContext]]:
    app = create_app(make_settings(url, media, **env))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client, app.state.ctx


async def _operation_ids(client: httpx.AsyncClient) -> set[str]:
    spec = (await client.get("/api/spec.json")).json()
    return {op["operationId"] for item in spec["paths"].values() for op in item.values()}


async def _add_session(ctx: AppContext) -> None:
    owner = await ctx.db.pool.fetchval(
        """INSERT INTO "user" ("email") VALUES ('v@example.com') RETURNING "id" """
    )
    asset = await ctx.db.pool.fetchval(
        """INSERT INTO "asset" ("deviceAssetId", "ownerId", "deviceId", "type", "originalPath",
            "originalFileName", "fileCreatedAt", "localDateTime", "fileModifiedAt", "checksum")
        VALUES ('d', $1, 'test', 'VIDEO', '/v.mp4', 'v.mp4', now(), now(), now(), '\\x01')
        RETURNING "id" """,
        owner,
    )
    await ctx.db.pool.execute(
        """INSERT INTO "video_stream_session" ("id", "assetId", "ownerId", "stream")
        VALUES ($1, $2, $3, $4::jsonb)""",
        uuid.uuid4(),
        asset,
        owner,
        json.dumps({"duration": 1.0}),
    )


async def test_skipping_the_video_plugin_removes_its_surface_and_keeps_its_table(
    pg_server: Any, tmp_path: Path
) -> None:
    playback = f"/api/assets/{uuid.uuid4()}/video/playback"
    async with scratch_database(pg_server, "video_skip") as db:
        async with _server(db.url, tmp_path) as (client, ctx):
            assert (await client.get(playback)).status_code == 401  # served: auth first
            assert VIDEO_OPERATIONS <= await _operation_ids(client)
            assert VIDEO_JOBS <= set(ctx.queues.registry.jobs)
            assert "hls-session-cleanup" in {d.name for d in cron_duties(ctx.pm)}
            await _add_session(ctx)
            rows = await db.pool.fetch('SELECT * FROM "video_stream_session"')
            schema = await db.pool.fetch(
                """SELECT column_name, data_type FROM information_schema.columns
                WHERE table_name = 'video_stream_session' ORDER BY ordinal_position"""
            )

        async with _server(db.url, tmp_path, IMMICH_PLUGINS_SKIP="video") as (client, ctx):
            r = await client.get(playback)
            assert r.status_code == 404 and r.json() == {"message": f"Cannot GET {playback}"}
            r = await client.get(playback.replace("playback", "stream/main.m3u8"))
            assert r.status_code == 404
            assert not VIDEO_OPERATIONS & await _operation_ids(client)
            assert not VIDEO_JOBS & set(ctx.queues.registry.jobs)
            assert "hls-session-cleanup" not in {d.name for d in cron_duties(ctx.pm)}
            # its table, rows and migration record stay as they were
            assert "video_stream_session" in await tables(db.pool)
            assert await db.pool.fetch('SELECT * FROM "video_stream_session"') == rows
            assert (
                await db.pool.fetch(
                    """SELECT column_name, data_type FROM information_schema.columns
                    WHERE table_name = 'video_stream_session' ORDER BY ordinal_position"""
                )
                == schema
            )
            assert "video/0001_video_stream_session.sql" in await recorded(db.pool)

        async with _server(db.url, tmp_path) as (client, _):  # loaded again: all back
            assert (await client.get(playback)).status_code == 401
            assert await db.pool.fetch('SELECT * FROM "video_stream_session"') == rows
