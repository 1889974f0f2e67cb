"""SQL of ``stack``: stacks of an owner's assets (one primary asset shown for the whole stack)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from immich.db.repos import Conn, Row

_TOUCH = '"updatedAt" = now()'


def _uuids(values: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    return [v if isinstance(v, uuid.UUID) else uuid.UUID(str(v)) for v in values]


async def owned_ids(
    db: Conn, owner_id: uuid.UUID, ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    rows = await db.fetch(
        'SELECT "id" FROM "stack" WHERE "id" = ANY($1::uuid[]) AND "ownerId" = $2',
        _uuids(ids),
        owner_id,
    )
    return {r["id"] for r in rows}


async def get(db: Conn, stack_id: uuid.UUID | str) -> Row | None:
    return await db.fetchrow('SELECT * FROM "stack" WHERE "id" = $1', _uuids([stack_id])[0])


async def search(db: Conn, owner_id: uuid.UUID, primary_asset_id: uuid.UUID | None) -> list[Row]:
    return list(
        await db.fetch(
            'SELECT * FROM "stack" WHERE "ownerId" = $1 '
            'AND ($2::uuid IS NULL OR "primaryAssetId" = $2) ORDER BY "createdAt", "id"',
            owner_id,
            primary_asset_id,
        )
    )


async def assets_of(db: Conn, stack_ids: Iterable[uuid.UUID]) -> list[Row]:
    """Members shown in stack answers (not trashed; timeline or archive), primary first."""
    return list(
        await db.fetch(
            """
            SELECT a.* FROM "asset" a JOIN "stack" s ON s."id" = a."stackId"
            WHERE a."stackId" = ANY($1::uuid[]) AND a."deletedAt" IS NULL
              AND a."visibility" IN ('archive', 'timeline')
            ORDER BY a."stackId", a."id" <> s."primaryAssetId", a."localDateTime", a."id"
            """,
            list(stack_ids),
        )
    )


async def exif_of(db: Conn, asset_ids: Iterable[uuid.UUID]) -> list[Row]:
    return list(
        await db.fetch(
            'SELECT * FROM "asset_exif" WHERE "assetId" = ANY($1::uuid[])', list(asset_ids)
        )
    )


async def create(db: Conn, owner_id: uuid.UUID, asset_ids: list[uuid.UUID]) -> uuid.UUID:
    """A stack of ``asset_ids`` (the first primary), as Immich: stacks whose primary asset is
    among them are merged in (their members join, the old stacks go). Run in a transaction."""
    merged = await db.fetch(
        'SELECT "id" FROM "stack" WHERE "ownerId" = $1 AND "primaryAssetId" = ANY($2::uuid[]) '
        "FOR UPDATE",
        owner_id,
        asset_ids,
    )
    old = [r["id"] for r in merged]
    members = list(asset_ids)
    if old:
        rows = await db.fetch(
            'SELECT "id" FROM "asset" WHERE "stackId" = ANY($1::uuid[]) AND "deletedAt" IS NULL',
            old,
        )
        members += [r["id"] for r in rows if r["id"] not in members]
        await db.execute('DELETE FROM "stack" WHERE "id" = ANY($1::uuid[])', old)
    stack_id: uuid.UUID = await db.fetchval(
        'INSERT INTO "stack" ("ownerId", "primaryAssetId") VALUES ($1, $2) RETURNING "id"',
        owner_id,
        asset_ids[0],
    )
    await set_members(db, stack_id, members)
    return stack_id


async def set_members(db: Conn, stack_id: uuid.UUID, asset_ids: Iterable[uuid.UUID]) -> None:
    await db.execute(
        f'UPDATE "asset" SET "stackId" = $1, {_TOUCH} WHERE "id" = ANY($2::uuid[])',
        stack_id,
        list(asset_ids),
    )


async def set_primary(db: Conn, stack_id: uuid.UUID, asset_id: uuid.UUID) -> None:
    await db.execute(
        f'UPDATE "stack" SET "primaryAssetId" = $2, {_TOUCH} WHERE "id" = $1', stack_id, asset_id
    )


async def delete(db: Conn, stack_ids: Iterable[uuid.UUID]) -> None:
    """Remove stacks; their members become single assets again. Run in a transaction."""
    ids = list(stack_ids)
    await db.execute(
        f'UPDATE "asset" SET "stackId" = NULL, {_TOUCH} WHERE "stackId" = ANY($1::uuid[])', ids
    )
    await db.execute('DELETE FROM "stack" WHERE "id" = ANY($1::uuid[])', ids)


async def stack_of_asset(db: Conn, asset_id: uuid.UUID) -> Row | None:
    """``id`` and ``primaryAssetId`` of the stack holding the asset."""
    return await db.fetchrow(
        'SELECT s."id", s."primaryAssetId" FROM "asset" a JOIN "stack" s ON s."id" = a."stackId" '
        'WHERE a."id" = $1',
        asset_id,
    )


async def remove_asset(db: Conn, asset_id: uuid.UUID) -> None:
    await db.execute(f'UPDATE "asset" SET "stackId" = NULL, {_TOUCH} WHERE "id" = $1', asset_id)


async def merge_into(db: Conn, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    """Move every member of stack ``source_id`` into ``target_id`` and drop the source stack
    (Immich's copy of a stacked asset onto one already stacked)."""
    await db.execute(
        f'UPDATE "asset" SET "stackId" = $2, {_TOUCH} WHERE "stackId" = $1', source_id, target_id
    )
    await db.execute('DELETE FROM "stack" WHERE "id" = $1', source_id)


async def release_deleted(db: Conn, asset_ids: Iterable[uuid.UUID | str]) -> None:
    """Before ``asset_ids`` are deleted for good, keep their stacks right, as Immich's
    ``AssetDelete``: a stack left with fewer than two members (the primary, unless it is among
    them, plus shown members not deleted) is dissolved; a stack whose primary goes gets its
    first remaining member (by date, then id) as primary. Run in the deleting transaction."""
    ids = _uuids(asset_ids)
    rows = await db.fetch(
        """
        SELECT s."id", s."primaryAssetId", s."primaryAssetId" = ANY($1::uuid[]) AS "primaryGoes",
            ARRAY(SELECT m."id" FROM "asset" m
                  WHERE m."stackId" = s."id" AND m."id" <> s."primaryAssetId"
                    AND m."id" <> ALL($1::uuid[]) AND m."status" <> 'deleted'
                    AND m."visibility" IN ('archive', 'timeline')
                  ORDER BY m."localDateTime", m."id") AS "rest"
        FROM "stack" s
        WHERE s."id" IN (SELECT a."stackId" FROM "asset" a WHERE a."id" = ANY($1::uuid[]))
        ORDER BY s."id"
        FOR UPDATE OF s
        """,
        ids,
    )
    dissolve: list[uuid.UUID] = []
    for row in rows:
        rest: list[uuid.UUID] = list(row["rest"])
        if len(rest) + (0 if row["primaryGoes"] else 1) < 2:
            dissolve.append(row["id"])
        elif row["primaryGoes"]:
            await set_primary(db, row["id"], rest[0])
    if dissolve:
        await delete(db, dissolve)
