"""Shared-link rules (Immich's SharedLinkService): the owner's nine operations, the visitor's
login and "my link", and the share page's Open Graph tags.

The owner side answers only the caller's own links (another user's id is ``Shared link not
found``, as Immich). Creating an album link needs ``album.share`` on the album (its owner or an
editor), an individual one ``asset.share`` on every asset. ``showMetadata: false`` forces
``allowDownload`` off at creation, as Immich. A slug already taken is Immich's ``Failed to save
shared link``.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from collections.abc import Awaitable, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import asyncpg
import attrs

from immich.db.repos import Conn, Row
from immich.db.repos import albums as albums_repo
from immich.db.repos import shared_links as repo
from immich.errors import BadRequest, Forbidden, Unauthorized
from immich.services import access, album_events
from immich.services.auth import AuthContext, link_token

if TYPE_CHECKING:
    from immich.db.engine import Database

NOT_FOUND = "Shared link not found"
SAVE_FAILED = "Failed to save shared link"
ALBUM_SHARE_ROLES = ("owner", "editor")
DEFAULT_DOMAIN = "https://my.immich.app"


@attrs.frozen
class OpenGraphTags:
    title: str
    description: str
    image_url: str


def key_text(key: bytes) -> str:
    """A key as links carry it: base64url without padding (Node's ``base64url``)."""
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


async def _find(db: Conn, user_id: Any, link_id: str | uuid.UUID) -> Row:
    row = await repo.get(db, user_id, link_id)
    if row is None:
        raise BadRequest(NOT_FOUND)
    return row


async def list_links(
    db: Conn, auth: AuthContext, *, link_id: str | None = None, album_id: str | None = None
) -> list[Row]:
    return await repo.list_for_user(db, auth.user_id, link_id=link_id, album_id=album_id)


async def get(db: Conn, auth: AuthContext, link_id: str) -> Row:
    return await _find(db, auth.user_id, link_id)


async def create(db: Conn, auth: AuthContext, values: Mapping[str, Any]) -> Row:
    """A new link; ``values`` are the create DTO's given fields (Immich's names)."""
    kind = values["type"]
    asset_ids: list[uuid.UUID] = []
    if kind == repo.ALBUM:
        album_id = values.get("albumId")
        if not album_id:
            raise BadRequest("Invalid albumId")
        if not await albums_repo.ids_with_role(db, auth.user_id, [album_id], ALBUM_SHARE_ROLES):
            raise access.no_access("album.share")
    else:
        if not values.get("assetIds"):
            raise BadRequest("Invalid assetIds")
        asset_ids = await access.require_assets(db, auth, "asset.share", values["assetIds"])
    show_exif = values.get("showMetadata")
    row_values = {
        "key": secrets.token_bytes(50),
        "userId": auth.user_id,
        "type": kind,
        "albumId": uuid.UUID(str(values["albumId"])) if values.get("albumId") else None,
        "description": values.get("description") or None,
        "password": values.get("password") or None,
        "expiresAt": values.get("expiresAt"),
        "allowUpload": values.get("allowUpload", True),
        "allowDownload": False if show_exif is False else values.get("allowDownload", True),
        "showExif": True if show_exif is None else show_exif,
        "slug": values.get("slug") or None,
    }
    row = await _saved(repo.create(db, row_values))
    await repo.add_assets(db, row["id"], asset_ids)
    return row


async def _saved(write: Awaitable[Row]) -> Row:
    """Run an insert or update of a link; a taken slug is Immich's 400 (the request's
    transaction then rolls back, as it does for any error)."""
    try:
        result: Row = await write
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name == "shared_link_slug_uq":
            raise BadRequest(SAVE_FAILED) from None
        raise
    return result


async def update(db: Conn, auth: AuthContext, link_id: str, changes: Mapping[str, Any]) -> Row:
    """Change the given fields; ``slug`` is cleared when not given, as Immich's update does."""
    await _find(db, auth.user_id, link_id)
    names = {
        "description": "description",
        "password": "password",
        "expiresAt": "expiresAt",
        "allowUpload": "allowUpload",
        "allowDownload": "allowDownload",
        "showMetadata": "showExif",
    }
    values = {column: changes[field] for field, column in names.items() if field in changes}
    values["slug"] = changes.get("slug") or None
    return await _saved(repo.update(db, link_id, values))


async def remove(db: Conn, auth: AuthContext, link_id: str) -> None:
    row = await _find(db, auth.user_id, link_id)
    await repo.delete(db, row["id"])


async def add_assets(
    db: Conn, auth: AuthContext, link_id: str, asset_ids: Iterable[str]
) -> list[tuple[str, bool, str | None]]:
    """(assetId, success, error) per asked id: ``duplicate`` when already in the link,
    ``no_permission`` when the caller may not share it."""
    row = await _find(db, auth.user_id, link_id)
    if row["type"] != repo.INDIVIDUAL:
        raise BadRequest("Invalid shared link type")
    ids = [str(i) for i in asset_ids]
    present = {str(i) for i in await repo.all_asset_ids(db, row["id"])}
    allowed = {
        str(i)
        for i in await access.allowed_assets(
            db, auth, "asset.share", [i for i in ids if i not in present]
        )
    }
    results: list[tuple[str, bool, str | None]] = []
    added: list[str] = []
    for asset_id in ids:
        if asset_id in present:
            results.append((asset_id, False, "duplicate"))
        elif asset_id not in allowed:
            results.append((asset_id, False, "no_permission"))
        else:
            present.add(asset_id)
            added.append(asset_id)
            results.append((asset_id, True, None))
    await repo.add_assets(db, row["id"], added)
    return results


async def remove_assets(
    db: Conn, auth: AuthContext, link_id: str, asset_ids: Iterable[str]
) -> list[tuple[str, bool, str | None]]:
    """(assetId, success, error) per asked id: ``not_found`` when not in the link."""
    row = await _find(db, auth.user_id, link_id)
    if row["type"] != repo.INDIVIDUAL:
        raise BadRequest("Invalid shared link type")
    ids = [str(i) for i in asset_ids]
    removed = {str(i) for i in await repo.remove_assets(db, row["id"], ids)}
    return [(i, True, None) if i in removed else (i, False, "not_found") for i in ids]


def _visitor_link(auth: AuthContext) -> Any:
    if auth.shared_link is None:
        raise Forbidden("Forbidden")
    return auth.shared_link


async def login(db: Conn, auth: AuthContext, password: str) -> tuple[Row, str]:
    """The visitor's link and the token that proves its password (for their cookie)."""
    link = _visitor_link(auth)
    row = await _find(db, link.user_id, link.id)
    if not row["password"]:
        raise BadRequest("Shared link is not password protected")
    if not secrets.compare_digest(str(row["password"]), password):
        raise Unauthorized("Invalid password")
    return row, link_token(row["id"], row["password"])


async def mine(db: Conn, auth: AuthContext, tokens: Iterable[str]) -> Row:
    """The visitor's link; 401 ``Password required`` until they logged in to it."""
    link = _visitor_link(auth)
    row = await _find(db, link.user_id, link.id)
    if row["password"] and link_token(row["id"], row["password"]) not in set(tokens):
        raise Unauthorized("Password required")
    return row


async def shown_asset_ids(db: Conn, row: Row) -> list[uuid.UUID]:
    """The assets a link response lists: an individual link's (an album link lists none)."""
    if row["type"] != repo.INDIVIDUAL:
        return []
    return await repo.asset_ids(db, row["id"])


async def metadata_tags(
    db: Conn, row: Row | None, external_domain: str, default_domain: str | None
) -> OpenGraphTags | None:
    """Immich's getMetadataTags: none for a password-protected link (its page tells nothing);
    the album's name (or "Public Share"), the description (or "N shared photos & videos"),
    and the cover's thumbnail URL under ``server.externalDomain``."""
    if row is None or row["password"]:
        return None
    album = await albums_repo.get(db, row["albumId"]) if row["albumId"] else None
    assets = await shown_asset_ids(db, row)
    cover = (album["albumThumbnailAssetId"] if album else None) or (assets[0] if assets else None)
    count = len(assets) or (await repo.album_asset_count(db, row["albumId"]) if album else 0)
    path = (
        f"/api/assets/{cover}/thumbnail?key={key_text(bytes(row['key']))}"
        if cover
        else "/feature-panel.png"
    )
    base = external_domain or default_domain or DEFAULT_DOMAIN
    return OpenGraphTags(
        title=album["albumName"] if album else "Public Share",
        description=row["description"] or f"{count} shared photos & videos",
        image_url=urljoin(base, path),
    )


def expired(row: Row) -> bool:
    expires = row["expiresAt"]
    return expires is not None and expires <= dt.datetime.now(dt.UTC)


async def add_upload(db: Database, caller: Any, asset_id: str | uuid.UUID) -> None:
    """A link visitor's upload (new or a duplicate) joins the link: its album, or the link's
    own assets (Immich's addToSharedLink), in a short transaction of its own (the upload runs
    outside a request transaction and has committed). Nothing for other callers."""
    link = access.shared_link_of(caller)
    if link is None:
        return
    async with db.transaction() as conn:
        if link.album_id is None:
            await repo.add_assets(conn, link.id, [asset_id])
        elif await albums_repo.get(conn, link.album_id) is not None:
            if not await albums_repo.asset_ids_in(conn, link.album_id, [asset_id]):
                await albums_repo.add_assets(conn, link.album_id, [asset_id])
                await _album_updated_by_visitor(conn, link.album_id)


async def _album_updated_by_visitor(db: Conn, album_id: uuid.UUID) -> None:
    """Immich's ``AlbumUpdate`` of a visitor's upload: every member hears it and, the visitor
    being none of them, every member is a recipient of the delayed notification (owner too)."""
    user_ids = tuple(str(m["id"]) for m in await albums_repo.members(db, [album_id]))
    event = album_events.AlbumUpdate(str(album_id), user_ids, user_ids)
    await album_events.emit_after_commit(db, event)
