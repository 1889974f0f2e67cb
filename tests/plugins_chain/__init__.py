"""Helpers of the ingest-chain tests (metadata and thumbnail plugins, their endpoints).

Assets are made as an upload makes them: the file copied under ``upload/<owner>/..`` of the
media folder, its SHA-1 as checksum, the row inserted; the chain is started the way an upload
starts it (``on_asset_uploaded`` answers enqueued).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette

from immich.app import create_app
from immich.context import AppContext
from immich.db.repos import assets as assets_repo
from immich.plugins import follow_ups
from immich.storage import layout
from tests.conftest import make_settings
from tests.jobs.conftest import clear_queues, eventually

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ASSETS = SHARED / "testdata" / "immich-test-assets"
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".mkv"})


def shared_assets() -> Path:
    """The shared test media; the calling test skips when the folder is absent."""
    if not ASSETS.is_dir():
        pytest.skip(f"shared test assets not found: {ASSETS} (the ../shared folder)")
    return ASSETS


@contextlib.asynccontextmanager
async def worker_app(
    db_url: str, media: Path, extra: Sequence[tuple[str, object]] = (), **env: str
) -> AsyncIterator[Starlette]:
    """An app with the api and worker roles on the PostgreSQL queue, on clean tables/queues
    (``extra``: more plugin objects, by name)."""
    await clear_queues(db_url)
    settings = make_settings(db_url, media, IMMICH_ROLES="api,worker", **env)
    app = create_app(settings, extra_plugins=extra)
    async with app.router.lifespan_context(app):
        yield app


@contextlib.asynccontextmanager
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://chain") as client:
        yield client


async def make_user(db: Any, email: str = "owner@example.com") -> uuid.UUID:
    from immich.db.repos import users

    row = await users.create(db, {"email": email, "name": email.split("@")[0]})
    return row["id"]  # type: ignore[no-any-return]


def copy_file(source: Path, dest: Path) -> tuple[datetime, bytes]:
    """Copy with the source's mtime (as an upload sets ``fileModifiedAt``); (mtime, bytes)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
    stamp = datetime.fromtimestamp(source.stat().st_mtime, UTC)
    os.utime(dest, (stamp.timestamp(), stamp.timestamp()))
    return stamp, dest.read_bytes()


def file_facts(path: str | Path) -> tuple[int, bytes, bytes]:
    """(size, first 16 bytes, SHA-1) of a file."""
    data = Path(path).read_bytes()
    return len(data), data[:16], hashlib.sha1(data).digest()


async def add_asset(
    db: Any,
    media: Path,
    owner: uuid.UUID,
    source: Path,
    *,
    name: str | None = None,
    sidecar: Path | None = None,
    visibility: str = "timeline",
) -> uuid.UUID:
    """Store ``source`` as the owner's upload (file, checksum, row); return the asset id."""
    asset_id = uuid.uuid4()
    dest = layout.upload_path(media, str(owner), str(asset_id), source.suffix.lower())
    stamp, data = copy_file(source, dest)
    await assets_repo.create(
        db,
        {
            "id": asset_id,
            "ownerId": owner,
            "deviceAssetId": name or source.name,
            "deviceId": "tests",
            "type": "VIDEO" if source.suffix.lower() in VIDEO_SUFFIXES else "IMAGE",
            "originalPath": str(dest),
            "originalFileName": name or source.name,
            "fileCreatedAt": stamp,
            "localDateTime": stamp,
            "fileModifiedAt": stamp,
            # the name salts the checksum, so one file can be stored twice under two names
            "checksum": hashlib.sha1(data + (name or "").encode()).digest(),
            "visibility": visibility,
        },
    )
    if sidecar is not None:
        side = dest.with_name(dest.name + ".xmp")
        copy_file(sidecar, side)
        await db.execute(
            'INSERT INTO "asset_file" ("assetId", "type", "path") VALUES ($1, \'sidecar\', $2)',
            asset_id,
            str(side),
        )
    return asset_id


def tiny_mp4(path: Path) -> Path:
    """A 0.4 s, 64x48 H.264 clip."""
    import av
    import numpy as np

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(4):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 40, np.uint8), "rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


async def start_chain(ctx: AppContext, asset_id: uuid.UUID) -> None:
    """What an upload does once its row is committed: enqueue the plugins' answers."""
    row = await ctx.db.pool.fetchrow('SELECT * FROM "asset" WHERE "id" = $1', asset_id)
    for request in await follow_ups(ctx.hook.on_asset_uploaded, ctx=ctx, asset=row):
        await ctx.queues.enqueue(request)


async def job_state(db: Any, asset_id: uuid.UUID) -> asyncpg.Record | None:
    return await db.fetchrow(  # type: ignore[no-any-return]
        'SELECT *, "failures"::text AS "failuresText" FROM "asset_job_status" WHERE "assetId" = $1',
        asset_id,
    )


async def settled(db: Any, asset_id: uuid.UUID, column: str, queue: str) -> asyncpg.Record:
    """Wait until the asset's ``column`` step succeeded or its ``queue`` recorded a failure."""

    async def probe() -> asyncpg.Record | None:
        row = await job_state(db, asset_id)
        if row is not None and (row[column] is not None or f'"{queue}"' in row["failuresText"]):
            return row
        return None

    return await eventually(probe, within=60)


async def queues_idle(ctx: AppContext, *names: str) -> bool:
    counts = await ctx.queues.counts(names)
    return all(c.waiting == 0 and c.active == 0 for c in counts.values())
