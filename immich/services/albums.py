"""Album rules (Immich's AlbumService).

Access (``immich.services.access.require_albums``): ``album.read`` / ``album.download`` for the
owner and every member; ``album.update``, ``album.share``, ``albumAsset.create`` /
``albumAsset.delete`` for the owner and editors; ``album.delete`` for the owner alone. An asset
can be added by whoever may share it (its owner); one the caller may not share (never a locked
one) is reported ``no_permission``, one already there ``duplicate``. Members and asset changes
raise notifications in the same transaction and live events after commit (``album_events``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from immich.db.repos import Conn, Row
from immich.db.repos import albums as repo
from immich.db.repos import users as users_repo
from immich.errors import BadRequest

if TYPE_CHECKING:
    from immich.services.auth import AuthContext
from immich.services import access, album_events, notifications, preferences

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
    await repo.update_thumbnails(db)
    album = await repo.get(db, album_id)
    if album is None:
        raise BadRequest("Album not found")
    return (await with_members(db, [album]))[0]


async def contributor_counts(db: Conn, album: Row, members: Sequence[Row]) -> list[Row] | None:
    """Immich's ``contributorCounts`` of one album's answer: assets per owner, for a shared
    album (a member or a link) only; None otherwise."""
    if len(members) <= 1 and not album["hasSharedLink"]:
        return None
    return await repo.contributor_counts(db, album["id"])


async def list_albums(db: Conn, user_id: Any, **filters: Any) -> list[tuple[Row, list[Row]]]:
    """Immich's getAll; like it, first mends thumbnails whose asset left (trashed, removed)."""
    await repo.update_thumbnails(db)
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
    for member_id, _ in members:
        await _invited(db, row["id"], name, member_id, str(user["name"]))
    return await get(db, user["id"], str(row["id"]))


async def _invited(db: Conn, album_id: Any, album_name: str, user_id: Any, sender: str) -> None:
    """Immich's ``AlbumInvite``: the in-app notification now, the live event after commit."""
    await notifications.notify_album_invite(db, user_id, album_id, album_name, sender)
    event = album_events.AlbumInvite(str(album_id), str(user_id), sender)
    await album_events.emit_after_commit(db, event)


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
    results, added = await access.sort_additions(db, user_id, ids, present)
    if added:
        await repo.add_assets(db, album_id, added)
        await _album_updated(db, album_id, user_id, added=True)
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
            await _album_updated(db, album_id, user_id, added=True)
            success = True
    return (True, None) if success else (False, "duplicate")


async def _member_ids(db: Conn, album_id: Any) -> list[str]:
    return [str(m["id"]) for m in await repo.members(db, [album_id])]


async def _album_updated(db: Conn, album_id: Any, caller_id: Any, *, added: bool) -> None:
    """Immich's ``AlbumUpdate`` after commit: every member's id, and (when assets were
    ``added``) the other members as recipients of the delayed "Shared Album Update"
    notification (``album_events_notify``: one per recipient five minutes after the last
    addition, as Immich)."""
    user_ids = await _member_ids(db, album_id)
    recipients = [u for u in user_ids if u != str(caller_id)] if added else []
    event = album_events.AlbumUpdate(str(album_id), tuple(user_ids), tuple(recipients))
    await album_events.emit_after_commit(db, event)


async def statistics(db: Conn, auth: AuthContext) -> dict[str, int]:
    """Owned, shared (owned or joined, with members) and owned-not-shared album counts."""
    owned = await repo.list_for_user(db, auth.user_id, is_owned=True)
    shared = await repo.list_for_user(db, auth.user_id, is_shared=True)
    not_shared = await repo.list_for_user(db, auth.user_id, is_owned=True, is_shared=False)
    return {"owned": len(owned), "shared": len(shared), "notShared": len(not_shared)}


async def update(
    db: Conn, auth: AuthContext, album_id: str, changes: dict[str, Any]
) -> tuple[Row, list[Row]]:
    """PATCH: name, description, thumbnail (an asset of the album), order, activity."""
    await access.require_albums(db, auth.user_id, "album.update", [album_id])
    thumbnail = changes.get("albumThumbnailAssetId")
    if thumbnail and not await repo.asset_ids_in(db, album_id, [thumbnail]):
        raise BadRequest("Invalid album thumbnail")
    if changes:
        await repo.update(db, album_id, changes)
    return await get(db, auth.user_id, album_id)


async def delete(db: Conn, auth: AuthContext, album_id: str) -> None:
    await access.require_albums(db, auth.user_id, "album.delete", [album_id])
    await repo.delete(db, album_id)


async def remove_assets(
    db: Conn, auth: AuthContext, album_id: str, asset_ids: list[str]
) -> list[dict[str, Any]]:
    """DELETE /albums/{id}/assets: ``not_found`` for an asset not in the album; the owner removes
    any, an editor those they may share (their own), else ``no_permission``. A removed
    thumbnail is replaced (Immich's ``updateThumbnails``)."""
    await access.require_albums(db, auth.user_id, "albumAsset.delete", [album_id])
    album = await repo.get(db, album_id)
    if album is None:
        raise BadRequest("Album not found")
    ids = [uuid.UUID(i) for i in asset_ids]
    present = await repo.asset_ids_in(db, album_id, ids)
    if await access.allowed_albums(db, auth.user_id, "album.delete", [album_id]):
        allowed = set(present)
    else:
        allowed = await access.allowed_assets(db, auth.user_id, "asset.share", present)
    results: list[dict[str, Any]] = []
    removed: list[uuid.UUID] = []
    for asset_id in ids:
        if asset_id not in present:
            results.append({"id": str(asset_id), "success": False, "error": "not_found"})
        elif asset_id not in allowed:
            results.append({"id": str(asset_id), "success": False, "error": "no_permission"})
        else:
            present.discard(asset_id)
            removed.append(asset_id)
            results.append({"id": str(asset_id), "success": True})
    if removed:
        await repo.remove_assets(db, album_id, removed)
        if album["albumThumbnailAssetId"] in removed:
            await repo.update_thumbnails(db)
        await _album_updated(db, album_id, auth.user_id, added=False)
    return results


async def add_users(
    db: Conn, auth: AuthContext, album_id: str, album_users: Iterable[tuple[str, str]]
) -> tuple[Row, list[Row]]:
    """Share the album: each new member is invited (notification, then a live event); one
    already in it is skipped."""
    await access.require_albums(db, auth.user_id, "album.share", [album_id])
    album, members = await get(db, auth.user_id, album_id)
    present = {str(m["id"]) for m in members}
    for user_id, role in album_users:
        if role == "owner":
            raise BadRequest("Cannot add another owner")
        if str(user_id) in present:
            continue
        if await users_repo.get(db, user_id) is None:
            raise BadRequest("Invalid user")
        await repo.add_users(db, album_id, [(user_id, role)])
        present.add(str(user_id))
        await _invited(db, album_id, album["albumName"], user_id, str(auth.user["name"]))
    return await get(db, auth.user_id, album_id)


async def _membership(db: Conn, auth: AuthContext, album_id: str) -> list[Row]:
    """The album's users (owner first) as the caller may see them: Immich's ``findOrFail``."""
    album = await repo.get(db, album_id)
    if album is None:
        raise BadRequest("Album not found")
    return sorted(await repo.members(db, [album_id]), key=lambda m: m["role"] != "owner")


async def update_user(db: Conn, auth: AuthContext, album_id: str, user_id: str, role: str) -> None:
    await access.require_albums(db, auth.user_id, "album.share", [album_id])
    members = await _membership(db, auth, album_id)
    if str(members[0]["id"]) == str(user_id):
        raise BadRequest("User is owner")
    if role == "owner":
        raise BadRequest("Cannot add another owner")
    await repo.update_user_role(db, album_id, user_id, role)


async def remove_user(db: Conn, auth: AuthContext, album_id: str, user_id: str) -> None:
    """A member may leave on their own ("me" or their id); removing someone else needs
    ``album.share``; the owner never leaves. As Immich, membership is checked before access:
    a stranger naming themselves hears "Album not shared with user"."""
    if user_id == "me":
        user_id = str(auth.user_id)
    members = await _membership(db, auth, album_id)
    found = next((m for m in members if str(m["id"]) == str(user_id)), None)
    if found is None:
        raise BadRequest("Album not shared with user")
    if found["role"] == "owner":
        raise BadRequest("Cannot remove the last album owner")
    if str(user_id) != str(auth.user_id):
        await access.require_albums(db, auth.user_id, "album.share", [album_id])
    await repo.remove_user(db, album_id, user_id)


async def map_markers(db: Conn, auth: AuthContext, album_id: str) -> list[Row]:
    """Immich's getMapMarkers: a link's visitor reads its album's markers, none at all when
    the link hides metadata (coordinates are metadata)."""
    link = access.shared_link_of(auth)
    if link is not None:
        await access.require_shared_link_albums(db, link, "album.read", [album_id])
        if not link.show_exif:
            return []
    else:
        await access.require_albums(db, auth.user_id, "album.read", [album_id])
    return await repo.map_markers(db, album_id)
