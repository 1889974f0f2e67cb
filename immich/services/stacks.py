"""Stack rules (Immich's StackService).

Stacks are their owner's: reading, changing or deleting one needs it to be the caller's (400
``Not found or no stack.<read|update|delete> access`` otherwise), and stacking assets needs
``asset.update`` on each of them. Creating a stack with an asset that is the primary of another
stack merges that stack in, as Immich does; the first asset becomes the primary. The primary
asset cannot be taken out of its stack; the stack can be deleted instead.

Deleting assets for good keeps their stacks right (``repo.release_deleted``, called by
``immich.services.assets.delete_permanently``): a deleted primary hands over to the first
remaining member, and a stack left with fewer than two assets is dissolved, as Immich's
``AssetDelete``. Trashing changes nothing: the stack waits for a restore.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import stacks as repo
from immich.errors import BadRequest
from immich.services import access


def _no_access(permission: str) -> BadRequest:
    return BadRequest(f"Not found or no {permission} access")


async def require_access(
    db: Conn, user_id: uuid.UUID, permission: str, ids: Iterable[str | uuid.UUID]
) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.owned_ids(db, user_id, wanted) != set(wanted):
        raise _no_access(permission)
    return wanted


async def with_assets(db: Conn, stacks: list[Row]) -> list[tuple[Row, list[Row], dict[Any, Row]]]:
    """Each stack with its shown members and their EXIF rows (by asset id)."""
    members = await repo.assets_of(db, [s["id"] for s in stacks])
    exif = {r["assetId"]: r for r in await repo.exif_of(db, [m["id"] for m in members])}
    by_stack: dict[uuid.UUID, list[Row]] = {}
    for row in members:
        by_stack.setdefault(row["stackId"], []).append(row)
    return [(s, by_stack.get(s["id"], []), exif) for s in stacks]


async def search(db: Conn, user_id: uuid.UUID, primary_asset_id: str | None) -> list[Row]:
    primary = uuid.UUID(primary_asset_id) if primary_asset_id else None
    return await repo.search(db, user_id, primary)


async def get(db: Conn, user_id: uuid.UUID, stack_id: str) -> Row:
    await require_access(db, user_id, "stack.read", [stack_id])
    return await _find(db, stack_id)


async def _find(db: Conn, stack_id: str | uuid.UUID) -> Row:
    row = await repo.get(db, stack_id)
    if row is None:
        raise BadRequest("Asset stack not found")
    return row


async def create(
    db: Conn, user_id: uuid.UUID, asset_ids: list[str], *, elevated: bool = False
) -> Row:
    ids = await access.require_assets(db, user_id, "asset.update", asset_ids, elevated=elevated)
    stack_id = await repo.create(db, user_id, ids)
    return await _find(db, stack_id)


async def update(db: Conn, user_id: uuid.UUID, stack_id: str, primary_asset_id: str | None) -> Row:
    await require_access(db, user_id, "stack.update", [stack_id])
    stack = await _find(db, stack_id)
    if primary_asset_id is not None:
        primary = uuid.UUID(primary_asset_id)
        members = {m["id"] for m in await repo.assets_of(db, [stack["id"]])}
        if primary not in members:
            raise BadRequest("Primary asset must be in the stack")
        await repo.set_primary(db, stack["id"], primary)
    return await _find(db, stack_id)


async def delete(db: Conn, user_id: uuid.UUID, stack_ids: Iterable[str]) -> None:
    ids = await require_access(db, user_id, "stack.delete", stack_ids)
    if not ids:
        return
    await repo.delete(db, ids)


async def remove_asset(db: Conn, user_id: uuid.UUID, stack_id: str, asset_id: str) -> None:
    await require_access(db, user_id, "stack.update", [stack_id])
    stack = await repo.stack_of_asset(db, uuid.UUID(asset_id))
    if stack is None or stack["id"] != uuid.UUID(stack_id):
        raise BadRequest("Asset not in stack")
    if stack["primaryAssetId"] == uuid.UUID(asset_id):
        raise BadRequest("Cannot remove stack's primary asset")
    await repo.remove_asset(db, uuid.UUID(asset_id))
