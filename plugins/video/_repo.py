"""The video plugin's own SQL: the encoded-video path on the asset, the "queue all" pages, and
the streaming sessions (``video_stream_session``, migrations 0006 and 0008). Asset files, job
status and access checks use the core repositories (``immich.db.repos.asset_files`` /
``job_status``).
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
        UPDATE "asset" SET "encodedVideoPath" = $2, "updatedAt" = now()
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


# --- segments made by a worker (migration 0008) ------------------------------------------------


async def want_segment(
    db: Conn, channel: str, session_id: uuid.UUID, variant: int, index: int
) -> bool:
    """Record the segment an api replica waits for, clear the last reported error and tell the
    workers (the NOTIFY goes out on commit); False when the session is gone."""
    sent = await db.fetchval(
        """
        WITH wanted AS (
            UPDATE "video_stream_session"
            SET "wantVariant" = $3::int, "wantIndex" = $4::int, "wantedAt" = now(),
                "producerError" = NULL
            WHERE "id" = $2 RETURNING "id", "wantVariant", "wantIndex"
        )
        SELECT count(pg_notify($1, concat_ws(' ', 'want', "id", "wantVariant", "wantIndex")))
        FROM wanted
        """,
        channel,
        session_id,
        variant,
        index,
    )
    return bool(sent)


async def notify(db: Conn, channel: str, payload: str) -> None:
    await db.execute("SELECT pg_notify($1, $2)", channel, payload)


async def claim_session(
    db: Conn, session_id: uuid.UUID, producer_id: str, stale_seconds: float
) -> Row | None:
    """Make ``producer_id`` the session's producer unless another live one holds it; the
    session's stream facts and original file when claimed."""
    row: Row | None = await db.fetchrow(
        """
        UPDATE "video_stream_session" s
        SET "producerId" = $2, "producerSeenAt" = now()
        FROM "asset" a
        WHERE s."id" = $1 AND a."id" = s."assetId"
          AND (s."producerId" IS NULL OR s."producerId" = $2
               OR s."producerSeenAt" < now() - make_interval(secs => $3))
        RETURNING s."stream", a."originalPath"
        """,
        session_id,
        producer_id,
        float(stale_seconds),
    )
    return row


async def producer_heartbeat(db: Conn, producer_id: str, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Keep ``producer_id``'s claims fresh; those of ``ids`` it still holds."""
    rows = await db.fetch(
        'UPDATE "video_stream_session" SET "producerSeenAt" = now() '
        'WHERE "id" = ANY($2::uuid[]) AND "producerId" = $1 RETURNING "id"',
        producer_id,
        ids,
    )
    return {row["id"] for row in rows}


async def report_producer_error(
    db: Conn, session_id: uuid.UUID, producer_id: str, error: str
) -> None:
    await db.execute(
        'UPDATE "video_stream_session" SET "producerError" = $3 '
        'WHERE "id" = $1 AND "producerId" = $2',
        session_id,
        producer_id,
        error,
    )


async def producer_state(db: Conn, session_id: uuid.UUID, stale_seconds: float) -> Row | None:
    """The session's producer (``producerId``, ``live``: seen within ``stale_seconds``) and
    its last reported error; None when the session is gone."""
    row: Row | None = await db.fetchrow(
        'SELECT "producerId", "producerError", '
        '"producerSeenAt" >= now() - make_interval(secs => $2) AS "live" '
        'FROM "video_stream_session" WHERE "id" = $1',
        session_id,
        float(stale_seconds),
    )
    return row
