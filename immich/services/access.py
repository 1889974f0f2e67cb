"""The one access check for assets, and the PIN elevation that opens the Locked Folder.

Immich's ``requireAccess``: every asked id must pass, else 400 ``Not found or no <permission>
access`` (see ``immich.db.repos.access`` for who passes what). A session is *elevated* while
its ``pinExpiresAt`` lies ahead (``POST /auth/session/unlock``); an API key never is. Locked
assets pass only for an elevated owner; ``requireElevatedPermission`` is the 401 of routes that
need elevation outright (the locked timeline and statistics). As in Immich, moving an asset
into the Locked Folder needs only ``asset.update`` access; moving one out needs elevation, since
a locked asset is out of reach without it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from immich.db.repos import Conn
from immich.db.repos import access as repo
from immich.errors import BadRequest, Unauthorized

if TYPE_CHECKING:
    from immich.services.auth import AuthContext, SharedLinkAuth

ELEVATED_REQUIRED = "Elevated permission is required"


def no_access(permission: str) -> BadRequest:
    return BadRequest(f"Not found or no {permission} access")


def is_elevated(caller: AuthContext | Any) -> bool:
    """Whether the caller (an ``AuthContext``, or the session+user row of one) has its PIN
    unlocked. API keys carry no session, so they never are."""
    row: Any = caller
    if getattr(caller, "shared_link", None) is not None:
        return False
    if hasattr(caller, "session_id"):
        if caller.session_id is None:
            return False
        row = caller.user
    try:
        until = row["pinExpiresAt"]
    except (KeyError, IndexError, TypeError):
        return False
    return until is not None and until > dt.datetime.now(dt.UTC)


def require_elevated(caller: AuthContext | Any) -> None:
    if not is_elevated(caller):
        raise Unauthorized(ELEVATED_REQUIRED)


async def allowed_assets(
    db: Conn,
    user_id: Any,
    permission: str,
    ids: Iterable[str | uuid.UUID],
    *,
    elevated: bool = False,
) -> set[uuid.UUID]:
    """Those of ``ids`` the user holds ``permission`` on (for per-id answers). ``user_id`` may
    be the whole ``AuthContext``: a shared-link visitor's is then answered by the link."""
    link = shared_link_of(user_id)
    if link is not None:
        return await shared_link_assets(db, link, permission, ids)
    return await repo.asset_ids_for(db, _user_id(user_id), ids, permission, elevated)


async def require_assets(
    db: Conn,
    user_id: Any,
    permission: str,
    ids: Iterable[str | uuid.UUID],
    *,
    elevated: bool = False,
) -> list[uuid.UUID]:
    """The asked ids (deduplicated, in order) if the user (or ``AuthContext``) holds
    ``permission`` on each."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await allowed_assets(db, user_id, permission, wanted, elevated=elevated) != set(
        wanted
    ):
        raise no_access(permission)
    return wanted


def _user_id(who: Any) -> Any:
    return who.user_id if hasattr(who, "shared_link") else who


# -- shared links (Immich's checkSharedLinkAccess) ------------------------------------------


def shared_link_of(who: Any) -> SharedLinkAuth | None:
    """The shared link a caller (an ``AuthContext``, or a bare user id: none) came with."""
    link = getattr(who, "shared_link", None)
    return link if link is not None else None


async def shared_link_assets(
    db: Conn, link: SharedLinkAuth, permission: str, ids: Iterable[str | uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``ids`` a link's visitor holds ``permission`` on: read and view on the link's
    assets, download too while the link allows it; nothing else, ever (uploads are checked
    by ``require_shared_link_upload``)."""
    if permission in ("asset.read", "asset.view") or (
        permission == "asset.download" and link.allow_download
    ):
        return await repo.shared_link_asset_ids(db, link.id, ids)
    return set()


async def shared_link_albums(
    db: Conn, link: SharedLinkAuth, permission: str, ids: Iterable[str | uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``ids`` a link's visitor holds ``permission`` on: its album, to read, to
    download while downloads are allowed, to add assets to while uploads are."""
    if (
        permission == "album.read"
        or (permission == "album.download" and link.allow_download)
        or (permission == "albumAsset.create" and link.allow_upload)
    ):
        return await repo.shared_link_album_ids(db, link.id, ids)
    return set()


async def require_shared_link_albums(
    db: Conn, link: SharedLinkAuth, permission: str, ids: Iterable[str | uuid.UUID]
) -> None:
    """Immich's 400 unless the link holds ``permission`` on every one of ``ids``."""
    wanted = {uuid.UUID(str(i)) for i in ids}
    if await shared_link_albums(db, link, permission, wanted) != wanted:
        raise no_access(permission)


async def check_shared_link_albums(
    db: Conn, caller: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> None:
    """For a link's visitor, ``require_shared_link_albums``; nothing for anyone else (whose
    album rules the caller applies itself)."""
    link = shared_link_of(caller)
    if link is not None:
        await require_shared_link_albums(db, link, permission, ids)


async def check_shared_link_timeline(
    db: Conn, caller: Any, query: dict[str, Any]
) -> dict[str, Any]:
    """A time-bucket query as a link's visitor may ask it: only their album's timeline (Immich
    asks ``timeline.read`` of the owner's otherwise, which a link never holds), never its
    trashed or locked assets, no coordinates when the link hides metadata. Unchanged for
    anyone else."""
    link = shared_link_of(caller)
    if link is None:
        return query
    album_id = query.get("albumId")
    if album_id is None:
        raise no_access("timeline.read")
    await require_shared_link_albums(db, link, "album.read", [album_id])
    if query.get("isTrashed") or query.get("visibility") == "locked":
        raise no_access("album.read")
    if not link.show_exif:
        query = {**query, "withCoordinates": False}
    return query


def require_shared_link_search(caller: Any, album_ids: Iterable[str | uuid.UUID]) -> None:
    """Immich's rule: a link's visitor searches only with an ``albumIds`` filter (each of
    which is then checked as ``album.read``)."""
    if shared_link_of(caller) is not None and not list(album_ids):
        raise BadRequest(
            "Shared link access is only allowed in combination with an albumIds filter"
        )


def require_shared_link_upload(caller: Any) -> None:
    """Immich's ``requireUploadAccess``: a link's visitor uploads only where it allows it."""
    link = shared_link_of(caller)
    if link is not None and not link.allow_upload:
        raise Unauthorized("Unauthorized")


async def allowed_tags(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``ids`` the user holds ``permission`` (``tag.*``) on: their own tags."""
    return await repo.tag_ids_for(db, user_id, ids, permission)


async def require_tags(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> list[uuid.UUID]:
    """The asked tag ids (deduplicated, in order) if each is the user's, else Immich's 400."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.tag_ids_for(db, user_id, wanted, permission) != set(wanted):
        raise no_access(permission)
    return wanted


async def require_memories(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> list[uuid.UUID]:
    """The asked memory ids (deduplicated, in order) if each is the user's, else Immich's 400."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.memory_ids_for(db, user_id, wanted, permission) != set(wanted):
        raise no_access(permission)
    return wanted


async def allowed_albums(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``ids`` the user holds ``permission`` (``album.*``, ``albumAsset.*``) on."""
    return await repo.album_ids_for(db, user_id, ids, permission)


async def require_albums(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> list[uuid.UUID]:
    """The asked album ids (deduplicated, in order) if the user holds ``permission`` on each,
    else Immich's 400."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.album_ids_for(db, user_id, wanted, permission) != set(wanted):
        raise no_access(permission)
    return wanted


async def require_activity_create(db: Conn, user_id: Any, album_id: str | uuid.UUID) -> None:
    """Comment or like: a member (any role) or the owner, where activity is enabled."""
    if not await repo.activity_create_album_ids(db, user_id, [album_id]):
        raise no_access("activity.create")


async def require_activity_delete(db: Conn, user_id: Any, activity_id: str | uuid.UUID) -> None:
    """Delete an activity: its author, or the album's owner."""
    if not await repo.activity_delete_ids(db, user_id, [activity_id]):
        raise no_access("activity.delete")


async def require_partner_sharers(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> list[uuid.UUID]:
    """The asked user ids if each shares their library with the caller (``timeline.read`` of a
    partner's timeline, ``partner.update`` of the partnership), else Immich's 400."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.partner_sharer_ids(db, user_id, wanted) != set(wanted):
        raise no_access(permission)
    return wanted


async def sort_additions(
    db: Conn, user_id: Any, ids: Iterable[uuid.UUID], present: set[uuid.UUID]
) -> tuple[list[dict[str, Any]], list[uuid.UUID]]:
    """Immich's rule for adding assets to a container (album, memory, tag): a
    BulkIdResponseDto-shaped result per asked id, in order (``duplicate`` when ``present``
    holds it, ``no_permission`` without ``asset.share``), and the ids to add."""
    wanted = list(ids)
    allowed = await allowed_assets(
        db, user_id, "asset.share", [i for i in wanted if i not in present]
    )
    seen = set(present)
    results: list[dict[str, Any]] = []
    added: list[uuid.UUID] = []
    for asset_id in wanted:
        if asset_id in seen:
            results.append({"id": str(asset_id), "success": False, "error": "duplicate"})
        elif asset_id not in allowed:
            results.append({"id": str(asset_id), "success": False, "error": "no_permission"})
        else:
            seen.add(asset_id)
            added.append(asset_id)
            results.append({"id": str(asset_id), "success": True})
    return results, added
