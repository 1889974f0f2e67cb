"""The video plugin's own SQL: the encoded-video path on the asset, the "queue all" pages, and
the streaming sessions (``video_stream_session``, migration 0006). Asset files, job status and
access checks use the core repositories (``immich.db.repos.asset_files`` / ``job_status``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from immich.db.repos import Conn, Row

PAGE = 1000


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def set_encoded_video_path(db: Conn, asset_id: uuid.UUID | str, path: str | None) -> None:
    """``asset.encodedVideoPath`` (Immich's column; ``''`` when there is none)."""
    await db.execute(
        """
        UPDATE "asset" SET "encodedVideoPath" = $2, "updatedAt" = now(),
            "updateId" = gen_random_uuid()
        WHERE "id" = $1 AND "encodedVideoPath" IS DISTINCT FROM $2
        """,
        _uuid(asset_id),
        path or "",
    )


async def video_page(db: Conn, force: bool, after: uuid.UUID | None) -> list[uuid.UUID]:
    """Ids (after ``after``, in id order) of videos to convert: every visible video
    (``force``), or those never converted whose last try did not fail."""
    rows = await db.fetch(
        f"""
        SELECT a."id" FROM "asset" a
        LEFT JOIN "asset_job_status" s ON s."assetId" = a."id"
        WHERE a."type" = 'VIDEO' AND a."deletedAt" IS NULL AND a."visibility" <> 'hidden'
          AND ($1 OR (s."videoConvertedAt" IS NULL
                      AND NOT COALESCE(s."failures" ? 'videoConversion', false)))
          AND ($2::uuid IS NULL OR a."id" > $2)
        ORDER BY a."id" LIMIT {PAGE}
        """,
        force,
        after,
    )
    return [row["id"] for row in rows]


# --- streaming sessions ----------------------------------------------------------------------


async def create_session(
    db: Conn,
    session_id: uuid.UUID,
    asset_id: uuid.UUID | str,
    owner_id: uuid.UUID | str,
    stream: Mapping[str, Any],
) -> None:
    await db.execute(
        'INSERT INTO "video_stream_session" ("id", "assetId", "ownerId", "stream") '
        "VALUES ($1, $2, $3, $4)",
        session_id,
        _uuid(asset_id),
        _uuid(owner_id),
        dict(stream),  # the pool encodes json/jsonb
    )


async def get_session(
    db: Conn, session_id: uuid.UUID | str, asset_id: uuid.UUID | str, owner_id: uuid.UUID | str
) -> dict[str, Any] | None:
    """The session's stream facts, if it exists for this asset and user."""
    value = await db.fetchval(
        'SELECT "stream" FROM "video_stream_session" '
        'WHERE "id" = $1 AND "assetId" = $2 AND "ownerId" = $3',
        _uuid(session_id),
        _uuid(asset_id),
        _uuid(owner_id),
    )
    return None if value is None else dict(value)


async def touch_session(db: Conn, session_id: uuid.UUID | str) -> None:
    await db.execute(
        'UPDATE "video_stream_session" SET "lastSeenAt" = now() WHERE "id" = $1',
        _uuid(session_id),
    )


async def delete_session(db: Conn, session_id: uuid.UUID | str) -> bool:
    status: str = await db.execute(
        'DELETE FROM "video_stream_session" WHERE "id" = $1', _uuid(session_id)
    )
    return status != "DELETE 0"


async def delete_idle_sessions(db: Conn, idle_seconds: float) -> list[uuid.UUID]:
    """Remove sessions unseen for ``idle_seconds``; return their ids."""
    rows: list[Row] = await db.fetch(
        'DELETE FROM "video_stream_session" '
        'WHERE "lastSeenAt" < now() - make_interval(secs => $1) RETURNING "id"',
        float(idle_seconds),
    )
    return [row["id"] for row in rows]


async def session_ids(db: Conn, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``ids`` that are still sessions."""
    rows = await db.fetch(
        'SELECT "id" FROM "video_stream_session" WHERE "id" = ANY($1::uuid[])', ids
    )
    return {row["id"] for row in rows}
