"""/api/shared-links: the owner's links (list, read, create, update, delete, add and remove
assets) and the visitor's side (``/me``, ``/login``), as Immich's SharedLinkController.

A visitor authenticates with the link's key or slug (``immich.api._auth``); only operations
flagged ``shared_link=True`` (Immich's ``@Authenticated({ sharedLink: true })``) accept them.
"""

from __future__ import annotations

from typing import Any

import attrs

from immich.api._auth import SHARED_LINK_COOKIE, set_shared_link_cookie
from immich.api._given import given
from immich.api.album_dtos import to_album_response
from immich.api.asset_dtos import to_asset_response
from immich.api.dto import UNSET
from immich.api.routing import Call, Router, json_response
from immich.api.shared_link_dtos import (
    AssetIdErrorReason,
    AssetIdsDto,
    AssetIdsResponseDto,
    SharedLinkCreateDto,
    SharedLinkEditDto,
    SharedLinkLoginDto,
    SharedLinkResponseDto,
    SharedLinkSearchDto,
    SharedLinkType,
    sanitize,
)
from immich.db.repos import Conn, Row
from immich.db.repos import albums as albums_repo
from immich.services import albums as album_service
from immich.services import assets as asset_service
from immich.services import shared_links as service

router = Router()
TAG = "Shared links"


async def to_response(db: Conn, row: Row, *, strip: bool) -> SharedLinkResponseDto:
    """Immich's mapSharedLink: an individual link's assets (sanitized when ``strip``), an
    album link's album (marked shared and linked)."""
    assets = []
    for asset_id in await service.shown_asset_ids(db, row):
        found = await asset_service.get_for_response(db, str(asset_id))
        asset = to_asset_response(found["row"], found["exif"], viewer_id=row["userId"])
        assets.append(sanitize(asset) if strip else asset)
    album: Any = UNSET
    if row["albumId"] is not None:
        album_row = await albums_repo.get(db, row["albumId"])
        if album_row is not None:
            album_row, members = (await album_service.with_members(db, [album_row]))[0]
            album = to_album_response(album_row, members, row["userId"])
            album = attrs.evolve(album, hasSharedLink=True, shared=True)
    return SharedLinkResponseDto(
        allowDownload=row["allowDownload"],
        allowUpload=row["allowUpload"],
        assets=assets,
        createdAt=row["createdAt"],
        description=row["description"],
        expiresAt=row["expiresAt"],
        id=str(row["id"]),
        key=service.key_text(bytes(row["key"])),
        password=row["password"],
        showMetadata=row["showExif"],
        slug=row["slug"],
        type=SharedLinkType(row["type"]),
        userId=str(row["userId"]),
        album=album,
    )


def _results(found: list[tuple[str, bool, str | None]]) -> list[AssetIdsResponseDto]:
    return [
        AssetIdsResponseDto(
            assetId=asset_id,
            success=ok,
            error=AssetIdErrorReason(error) if error else UNSET,
        )
        for asset_id, ok, error in found
    ]


@router.route(
    "GET",
    "/shared-links",
    operation_id="getAllSharedLinks",
    tag=TAG,
    response=list[SharedLinkResponseDto],
    permission="sharedLink.read",
)
async def get_all_shared_links(
    call: Call[None, SharedLinkSearchDto],
) -> list[SharedLinkResponseDto]:
    """Retrieve all shared links"""
    query = given(call.query)
    assert call.auth is not None
    rows = await service.list_links(
        call.db, call.auth, link_id=query.get("id"), album_id=query.get("albumId")
    )
    return [await to_response(call.db, row, strip=False) for row in rows]


@router.route(
    "POST",
    "/shared-links/login",
    operation_id="sharedLinkLogin",
    tag=TAG,
    response=SharedLinkResponseDto,
    status=201,
    permission=False,
    shared_link=True,
)
async def shared_link_login(call: Call[SharedLinkLoginDto]) -> Any:
    """Shared link login"""
    assert call.auth is not None
    row, token = await service.login(call.db, call.auth, call.body.password)
    answer = await to_response(call.db, row, strip=not row["showExif"])
    response = json_response(answer, 201)
    set_shared_link_cookie(response, call.request, token, call.request.url.scheme == "https")
    return response


@router.route(
    "GET",
    "/shared-links/me",
    operation_id="getMySharedLink",
    tag=TAG,
    response=SharedLinkResponseDto,
    permission=False,
    shared_link=True,
)
async def get_my_shared_link(call: Call) -> SharedLinkResponseDto:
    """Retrieve current shared link"""
    assert call.auth is not None
    tokens = (call.request.cookies.get(SHARED_LINK_COOKIE) or "").split(",")
    row = await service.mine(call.db, call.auth, tokens)
    return await to_response(call.db, row, strip=not row["showExif"])


@router.route(
    "GET",
    "/shared-links/{id}",
    operation_id="getSharedLinkById",
    tag=TAG,
    response=SharedLinkResponseDto,
    permission="sharedLink.read",
)
async def get_shared_link_by_id(call: Call) -> SharedLinkResponseDto:
    """Retrieve a shared link"""
    assert call.auth is not None
    row = await service.get(call.db, call.auth, call.path["id"])
    return await to_response(call.db, row, strip=False)


@router.route(
    "POST",
    "/shared-links",
    operation_id="createSharedLink",
    tag=TAG,
    response=SharedLinkResponseDto,
    status=201,
    permission="sharedLink.create",
)
async def create_shared_link(call: Call[SharedLinkCreateDto]) -> SharedLinkResponseDto:
    """Create a shared link"""
    assert call.auth is not None
    row = await service.create(call.db, call.auth, given(call.body))
    return await to_response(call.db, row, strip=False)


@router.route(
    "PATCH",
    "/shared-links/{id}",
    operation_id="updateSharedLink",
    tag=TAG,
    response=SharedLinkResponseDto,
    permission="sharedLink.update",
)
async def update_shared_link(call: Call[SharedLinkEditDto]) -> SharedLinkResponseDto:
    """Update a shared link"""
    assert call.auth is not None
    row = await service.update(call.db, call.auth, call.path["id"], given(call.body))
    return await to_response(call.db, row, strip=False)


@router.route(
    "DELETE",
    "/shared-links/{id}",
    operation_id="removeSharedLink",
    tag=TAG,
    status=204,
    permission="sharedLink.delete",
)
async def remove_shared_link(call: Call) -> None:
    """Delete a shared link"""
    assert call.auth is not None
    await service.remove(call.db, call.auth, call.path["id"])


@router.route(
    "PUT",
    "/shared-links/{id}/assets",
    operation_id="addSharedLinkAssets",
    tag=TAG,
    response=list[AssetIdsResponseDto],
    permission="sharedLink.update",
)
async def add_shared_link_assets(call: Call[AssetIdsDto]) -> list[AssetIdsResponseDto]:
    """Add assets to a shared link"""
    assert call.auth is not None
    found = await service.add_assets(call.db, call.auth, call.path["id"], call.body.assetIds)
    return _results(found)


@router.route(
    "DELETE",
    "/shared-links/{id}/assets",
    operation_id="removeSharedLinkAssets",
    tag=TAG,
    response=list[AssetIdsResponseDto],
    permission="sharedLink.update",
)
async def remove_shared_link_assets(call: Call[AssetIdsDto]) -> list[AssetIdsResponseDto]:
    """Remove assets from a shared link"""
    assert call.auth is not None
    found = await service.remove_assets(call.db, call.auth, call.path["id"], call.body.assetIds)
    return _results(found)
