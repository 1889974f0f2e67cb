"""Album rules (the part of Immich's AlbumService the upload issue needs).

Access: ``album.read`` for the owner and every member; adding assets (``albumAsset.create``)
for the owner and editors. An asset can be added by whoever may share it (its owner); one the
caller may not share (never a locked one) is reported ``no_permission``, one already there
``duplicate``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import albums as repo
from immich.db.repos import users as users_repo
from immich.errors import BadRequest
from immich.services import access, preferences

READ_ROLES = ("editor", "viewer")
EDIT_ROLES = ("editor",)


def _no_access(permission: str) -> BadRequest:
    return BadRequest(f"Not found or no {permission} access")


async def with_members(db: Conn, albums: Sequence[Row]) -> list[tuple[Row, list[Row]]]:
    """Each album with its users (owner first as role ``owner``)."""
    rows = await repo.members(db, [a["id"] for a in albums])
    by_album: dict[uuid.UUID, list[Row]] = {}
    for row in rows:
        by_album.setdefault(row["albumId"], []).append(row)
    return [(a, by_album.get(a["id"], [])) for a in albums]


async def get(db: Conn, user_id: Any, album_id: str) -> tuple[Row, list[Row]]:
    if not await repo.ids_with_role(db, user_id, [album_id], READ_ROLES):
        raise _no_access("album.read")
    album = await repo.get(db, album_id)
    if album is None:
        raise BadRequest("Album not found")
    return (await with_members(db, [album]))[0]


async def list_albums(db: Conn, user_id: Any, **filters: Any) -> list[tuple[Row, list[Row]]]:
    return await with_members(db, await repo.list_for_user(db, user_id, **filters))


async def create(
    db: Conn,
    user: Mapping[str, Any],
    name: str,
    description: str,
    asset_ids: Iterable[str],
    album_users: Iterable[tuple[str, str]],
) -> tuple[Row, list[Row]]:
    """Immich's create: members must exist (the creator among them is left out); assets the
    owner may not share are left out silently; the first asset becomes the thumbnail."""
    members = [(m, role) for m, role in album_users if str(m) != str(user["id"])]
    for member_id, _ in members:
        if await users_repo.get(db, member_id) is None:
            raise BadRequest("Invalid user")
    wanted = list(dict.fromkeys(uuid.UUID(i) for i in asset_ids))
    allowed = await access.allowed_assets(db, user["id"], "asset.share", wanted)
    ids = [i for i in wanted if i in allowed]
    order = await _default_order(db, user["id"])
    row = await repo.create(db, user["id"], name, description, order, ids[0] if ids else None)
    await repo.add_users(db, row["id"], members)
    await repo.add_assets(db, row["id"], ids)
    return await get(db, user["id"], str(row["id"]))


async def _default_order(db: Conn, user_id: Any) -> str:
    try:
        prefs = await preferences.get(db, user_id)
        return str(prefs["albums"]["defaultAssetOrder"])
    except (KeyError, TypeError, AttributeError):
        return "desc"


async def add_assets(
    db: Conn, user_id: Any, album_id: str, asset_ids: list[str]
) -> list[dict[str, Any]]:
    """PUT /albums/{id}/assets: a BulkIdResponseDto-shaped result per id, in order."""
    if not await repo.ids_with_role(db, user_id, [album_id], EDIT_ROLES):
        raise _no_access("albumAsset.create")
    ids = [uuid.UUID(i) for i in asset_ids]
    present = await repo.asset_ids_in(db, album_id, ids)
    allowed = await access.allowed_assets(
        db, user_id, "asset.share", [i for i in ids if i not in present]
    )
    results: list[dict[str, Any]] = []
    added: list[uuid.UUID] = []
    for asset_id in ids:
        if asset_id in present:
            results.append({"id": str(asset_id), "success": False, "error": "duplicate"})
        elif asset_id not in allowed:
            results.append({"id": str(asset_id), "success": False, "error": "no_permission"})
        else:
            present.add(asset_id)
            added.append(asset_id)
            results.append({"id": str(asset_id), "success": True})
    if added:
        await repo.add_assets(db, album_id, added)
    return results


async def add_assets_to_albums(
    db: Conn, user_id: Any, album_ids: list[str], asset_ids: list[str]
) -> tuple[bool, str | None]:
    """PUT /albums/assets: (success, error) as Immich's addAssetsToAlbums."""
    albums = await repo.ids_with_role(db, user_id, album_ids, EDIT_ROLES)
    if not albums:
        return False, "no_permission"
    assets = await access.allowed_assets(db, user_id, "asset.share", asset_ids)
    if not assets:
        return False, "no_permission"
    success = False
    for album_id in [uuid.UUID(a) for a in dict.fromkeys(album_ids)]:
        if album_id not in albums:
            continue
        present = await repo.asset_ids_in(db, album_id, assets)
        new = [a for a in (uuid.UUID(i) for i in dict.fromkeys(asset_ids)) if a in assets]
        new = [a for a in new if a not in present]
        if new:
            await repo.add_assets(db, album_id, new)
            success = True
    return (True, None) if success else (False, "duplicate")
