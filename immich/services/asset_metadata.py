"""Asset key/value metadata rules (Immich's AssetService metadata methods).

Reading needs ``asset.read`` (owner, or member of an album holding it), writing ``asset.update``
(owner), both checked by ``immich.services.access`` (locked assets only from an elevated
session); a missing right is 400 ``Not found or no <permission> access``. A request may name a
key (or an asset and key) once only; a missing key is 400 as Immich words it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import asset_metadata as repo
from immich.errors import BadRequest
from immich.services import access


def _unique(labels: Iterable[str]) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise BadRequest(f'Duplicate items are not allowed: "{label}"')
        seen.add(label)


async def list_for(db: Conn, user_id: Any, asset_id: str, *, elevated: bool = False) -> list[Row]:
    await access.require_assets(db, user_id, "asset.read", [asset_id], elevated=elevated)
    return await repo.list_for_asset(db, uuid.UUID(asset_id))


async def get(db: Conn, user_id: Any, asset_id: str, key: str, *, elevated: bool = False) -> Row:
    await access.require_assets(db, user_id, "asset.read", [asset_id], elevated=elevated)
    row = await repo.get(db, uuid.UUID(asset_id), key)
    if row is None:
        raise BadRequest(f'Metadata with key "{key}" not found for asset with id "{asset_id}"')
    return row


async def upsert(
    db: Conn,
    user_id: Any,
    items: Sequence[tuple[str, str, dict[str, Any]]],
    *,
    elevated: bool = False,
) -> list[Row]:
    """Set (asset id, key, value) items; every asset must be the caller's to update."""
    _unique(f"({asset_id}, {key})" for asset_id, key, _ in items)
    await access.require_assets(
        db, user_id, "asset.update", {a for a, _, _ in items}, elevated=elevated
    )
    return await repo.upsert(db, [(uuid.UUID(a), k, v) for a, k, v in items])


async def upsert_for(
    db: Conn,
    user_id: Any,
    asset_id: str,
    items: Sequence[tuple[str, dict[str, Any]]],
    *,
    elevated: bool = False,
) -> list[Row]:
    """Set key/value items of one asset."""
    _unique(key for key, _ in items)
    await access.require_assets(db, user_id, "asset.update", [asset_id], elevated=elevated)
    return await repo.upsert(db, [(uuid.UUID(asset_id), k, v) for k, v in items])


async def delete(
    db: Conn, user_id: Any, items: Sequence[tuple[str, str]], *, elevated: bool = False
) -> None:
    """Remove (asset id, key) items (a key that is not there is fine)."""
    await access.require_assets(
        db, user_id, "asset.update", {a for a, _ in items}, elevated=elevated
    )
    await repo.delete(db, [(uuid.UUID(a), k) for a, k in items])
