"""Assets, EXIF rows and stacks straight into the database, for the timeline-side tests.

Rows go in through the repositories (no upload, no files), so a test says exactly which dates,
flags and owners it needs. ``taken`` is the local wall-clock time, stored as if UTC (Immich's
``localDateTime``); ``fileCreatedAt`` is that instant minus ``offset_hours``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from immich.db.repos import Row, assets, users

UNKNOWN_ID = "4a1b0a7e-5c1d-4c1e-9d2a-0b7c3e5f6a11"
ADMIN_EMAIL = "admin@example.com"


def at(text: str) -> dt.datetime:
    """A UTC datetime from ``YYYY-MM-DD[THH:MM[:SS]]``."""
    value = dt.datetime.fromisoformat(text)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


async def user_id(pool: Any, email: str = ADMIN_EMAIL) -> uuid.UUID:
    row = await users.get_by_email(pool, email)
    assert row is not None, email
    return row["id"]  # type: ignore[no-any-return]


async def make_asset(
    pool: Any,
    owner: uuid.UUID | str,
    taken: str = "2024-05-10T12:00:00",
    *,
    offset_hours: float = 0,
    exif: dict[str, Any] | None = None,
    name: str | None = None,
    **columns: Any,
) -> Row:
    """An asset row (a 4000x3000 image unless ``columns`` say otherwise) and, with ``exif``,
    its ``asset_exif`` row."""
    local = at(taken)
    asset_id = uuid.uuid4()
    values: dict[str, Any] = {
        "id": asset_id,
        "deviceAssetId": asset_id.hex,
        "ownerId": uuid.UUID(str(owner)),
        "deviceId": "test",
        "type": "IMAGE",
        "originalPath": f"/media/upload/{asset_id}.jpg",
        "originalFileName": name or f"{asset_id.hex[:8]}.jpg",
        "fileCreatedAt": local - dt.timedelta(hours=offset_hours),
        "localDateTime": local,
        "fileModifiedAt": local,
        "checksum": asset_id.bytes + b"\0\0\0\0",
        "width": 4000,
        "height": 3000,
        **columns,
    }
    row = await assets.create(pool, values)
    if exif is not None:
        await assets.upsert_exif(pool, {"assetId": asset_id, **exif})
    return row


async def make_stack(pool: Any, owner: uuid.UUID | str, asset_ids: list[Any]) -> uuid.UUID:
    """A stack of these assets, the first one primary."""
    stack_id: uuid.UUID = await pool.fetchval(
        'INSERT INTO "stack" ("ownerId", "primaryAssetId") VALUES ($1, $2) RETURNING "id"',
        uuid.UUID(str(owner)),
        uuid.UUID(str(asset_ids[0])),
    )
    await pool.execute(
        'UPDATE "asset" SET "stackId" = $1 WHERE "id" = ANY($2::uuid[])',
        stack_id,
        [uuid.UUID(str(i)) for i in asset_ids],
    )
    return stack_id


async def trash(pool: Any, asset_ids: list[Any], when: dt.datetime | None = None) -> None:
    """Move assets to the trash (status ``trashed``), ``when`` (default now)."""
    await pool.execute(
        'UPDATE "asset" SET "status" = \'trashed\', "deletedAt" = $2 WHERE "id" = ANY($1::uuid[])',
        [uuid.UUID(str(i)) for i in asset_ids],
        when or dt.datetime.now(dt.UTC),
    )


async def make_album(pool: Any, owner: uuid.UUID | str, asset_ids: list[Any]) -> uuid.UUID:
    """An album of the owner holding these assets."""
    album_id: uuid.UUID = await pool.fetchval(
        'INSERT INTO "album" ("ownerId", "albumName") VALUES ($1, $2) RETURNING "id"',
        uuid.UUID(str(owner)),
        "Album",
    )
    await pool.executemany(
        'INSERT INTO "album_asset" ("albumId", "assetId") VALUES ($1, $2)',
        [(album_id, uuid.UUID(str(i))) for i in asset_ids],
    )
    return album_id


async def unlock_sessions(pool: Any, owner: uuid.UUID | str, minutes: int = 5) -> None:
    """Give the owner's sessions an unlocked PIN (``pinExpiresAt`` ahead): elevated access."""
    await pool.execute(
        'UPDATE "session" SET "pinExpiresAt" = now() + make_interval(mins => $2) '
        'WHERE "userId" = $1',
        uuid.UUID(str(owner)),
        minutes,
    )
