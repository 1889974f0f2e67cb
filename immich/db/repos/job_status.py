"""SQL for ``asset_job_status`` (what ran for each asset) and the asset look-ups of the ingest jobs.

A step's column (``metadataExtractedAt``, ``thumbnailAt``, ...) holds when it last succeeded;
``failures`` maps a queue name (``metadataExtraction``, ``thumbnailGeneration``, ...) to the
reason its last run failed. A success clears that queue's failure. "Missing" runs queue the
assets whose step never succeeded and did not fail (a bad file is not retried forever; "all"
runs retry it).
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal

from immich.db.repos import Conn, Row

Step = Literal[
    "metadataExtractedAt",
    "thumbnailAt",
    "videoConvertedAt",
    "facesRecognizedAt",
    "duplicatesDetectedAt",
    "ocrAt",
]
STEPS: frozenset[str] = frozenset(Step.__args__)  # type: ignore[attr-defined]
PAGE = 1000


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def asset_for_job(db: Conn, asset_id: uuid.UUID | str) -> Row | None:
    """The asset row, plus ``sidecarFile`` (its sidecar ``asset_file`` path, if any)."""
    return await db.fetchrow(
        """
        SELECT a.*, (
            SELECT f."path" FROM "asset_file" f
            WHERE f."assetId" = a."id" AND f."type" = 'sidecar' AND NOT f."isEdited"
        ) AS "sidecarFile"
        FROM "asset" a WHERE a."id" = $1
        """,
        _uuid(asset_id),
    )


async def get(db: Conn, asset_id: uuid.UUID | str) -> Row | None:
    return await db.fetchrow(
        'SELECT * FROM "asset_job_status" WHERE "assetId" = $1', _uuid(asset_id)
    )


async def mark_done(db: Conn, asset_id: uuid.UUID | str, step: Step, queue: str) -> None:
    """Record that ``step`` succeeded now; forget ``queue``'s failure. No-op for a gone asset."""
    if step not in STEPS:
        raise ValueError(f"not an asset_job_status step: {step}")
    await db.execute(
        f"""
        INSERT INTO "asset_job_status" ("assetId", "{step}")
        SELECT "id", now() FROM "asset" WHERE "id" = $1
        ON CONFLICT ("assetId") DO UPDATE
        SET "{step}" = now(), "failures" = "asset_job_status"."failures" - $2::text
        """,
        _uuid(asset_id),
        queue,
    )


async def record_failure(db: Conn, asset_id: uuid.UUID | str, queue: str, reason: str) -> None:
    """Keep why ``queue``'s job failed for this asset (``failures[queue] = reason``)."""
    await db.execute(
        """
        INSERT INTO "asset_job_status" ("assetId", "failures")
        SELECT "id", jsonb_build_object($2::text, $3::text) FROM "asset" WHERE "id" = $1
        ON CONFLICT ("assetId") DO UPDATE
        SET "failures" = "asset_job_status"."failures" || EXCLUDED."failures"
        """,
        _uuid(asset_id),
        queue,
        reason,
    )


async def failures(db: Conn, asset_id: uuid.UUID | str) -> dict[str, Any]:
    """The asset's recorded failures (queue name -> reason); ``{}`` when none."""
    value = await db.fetchval(
        'SELECT "failures"::text FROM "asset_job_status" WHERE "assetId" = $1', _uuid(asset_id)
    )
    if value is None:
        return {}
    return dict(json.loads(value))


async def metadata_page(db: Conn, force: bool, after: uuid.UUID | None) -> list[uuid.UUID]:
    """Ids (after ``after``, in id order) of assets to extract: all, or those never extracted."""
    return await _page(
        db,
        """
        SELECT a."id" FROM "asset" a
        LEFT JOIN "asset_job_status" s ON s."assetId" = a."id"
        WHERE a."deletedAt" IS NULL AND ($1 OR (
            s."metadataExtractedAt" IS NULL
            AND NOT COALESCE(s."failures" ? 'metadataExtraction', false)))
        """,
        force,
        after,
    )


async def thumbnail_page(db: Conn, force: bool, after: uuid.UUID | None) -> list[uuid.UUID]:
    """Ids of visible assets to make thumbnails for: all, or those missing a preview, a
    thumbnail or a thumbhash (unless their last try failed)."""
    return await _page(
        db,
        """
        SELECT a."id" FROM "asset" a
        LEFT JOIN "asset_job_status" s ON s."assetId" = a."id"
        WHERE a."deletedAt" IS NULL AND a."visibility" <> 'hidden' AND ($1 OR (
            NOT COALESCE(s."failures" ? 'thumbnailGeneration', false) AND (
                s."thumbnailAt" IS NULL OR a."thumbhash" IS NULL
                OR NOT EXISTS (SELECT 1 FROM "asset_file" f WHERE f."assetId" = a."id"
                               AND f."type" = 'preview' AND NOT f."isEdited")
                OR NOT EXISTS (SELECT 1 FROM "asset_file" f WHERE f."assetId" = a."id"
                               AND f."type" = 'thumbnail' AND NOT f."isEdited"))))
        """,
        force,
        after,
    )


async def sidecar_page(db: Conn, force: bool, after: uuid.UUID | None) -> list[uuid.UUID]:
    """Ids of visible assets to look for sidecars for: all, or those without one."""
    return await _page(
        db,
        """
        SELECT a."id" FROM "asset" a
        WHERE a."deletedAt" IS NULL AND a."visibility" <> 'hidden' AND ($1 OR NOT EXISTS (
            SELECT 1 FROM "asset_file" f WHERE f."assetId" = a."id" AND f."type" = 'sidecar'))
        """,
        force,
        after,
    )


async def _page(db: Conn, sql: str, force: bool, after: uuid.UUID | None) -> list[uuid.UUID]:
    rows = await db.fetch(
        f'{sql} AND ($2::uuid IS NULL OR a."id" > $2) ORDER BY a."id" LIMIT {PAGE}',
        force,
        after,
    )
    return [row["id"] for row in rows]
