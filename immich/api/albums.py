"""/api/albums: list, create, read, add assets (what ``immich upload --album`` uses).

The albums issue completes the resource (update, delete, users, removal, statistics).
"""

from __future__ import annotations

from typing import Any

from immich.api.album_dtos import (
    AlbumResponseDto,
    AlbumsAddAssetsDto,
    AlbumsAddAssetsResponseDto,
    CreateAlbumDto,
    GetAlbumsDto,
    to_album_response,
)
from immich.api.asset_dtos import BulkIdErrorReason, BulkIdResponseDto, BulkIdsDto
from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.services import access
from immich.services import albums as album_service

router = Router()
TAG = "Albums"


def _set(value: Any) -> Any:
    return None if value is UNSET else value


@router.route(
    "GET",
    "/albums",
    operation_id="getAllAlbums",
    tag=TAG,
    response=list[AlbumResponseDto],
    permission="album.read",
)
async def get_all_albums(call: Call[None, GetAlbumsDto]) -> list[AlbumResponseDto]:
    """List all albums"""
    query = call.query
    found = await album_service.list_albums(
        call.db,
        call.user["id"],
        is_owned=_set(query.isOwned),
        is_shared=_set(query.isShared),
        album_id=_set(query.id),
        name=_set(query.name),
        asset_id=_set(query.assetId),
    )
    return [to_album_response(album, members, call.user["id"]) for album, members in found]


@router.route(
    "POST",
    "/albums",
    operation_id="createAlbum",
    tag=TAG,
    response=AlbumResponseDto,
    status=201,
    permission="album.create",
)
async def create_album(call: Call[CreateAlbumDto]) -> AlbumResponseDto:
    """Create an album"""
    body = call.body
    album, members = await album_service.create(
        call.db,
        call.user,
        body.albumName,
        body.description or "",
        body.assetIds or [],
        [(u.userId, str(u.role)) for u in body.albumUsers or []],
    )
    return to_album_response(album, members, call.user["id"])


@router.route(
    "GET",
    "/albums/{id}",
    operation_id="getAlbumInfo",
    tag=TAG,
    response=AlbumResponseDto,
    permission="album.read",
    shared_link=True,
)
async def get_album_info(call: Call) -> AlbumResponseDto:
    """Retrieve an album"""
    await access.check_shared_link_albums(call.db, call.auth, "album.read", [call.path["id"]])
    album, members = await album_service.get(call.db, call.user["id"], call.path["id"])
    return to_album_response(album, members, call.user["id"])


@router.route(
    "PUT",
    "/albums/{id}/assets",
    operation_id="addAssetsToAlbum",
    tag=TAG,
    response=list[BulkIdResponseDto],
    permission="albumAsset.create",
)
async def add_assets_to_album(call: Call[BulkIdsDto]) -> list[BulkIdResponseDto]:
    """Add assets to an album"""
    body = call.body
    results = await album_service.add_assets(call.db, call.user["id"], call.path["id"], body.ids)
    return [
        BulkIdResponseDto(
            id=r["id"],
            success=r["success"],
            error=BulkIdErrorReason(r["error"]) if "error" in r else UNSET,
        )
        for r in results
    ]


@router.route(
    "PUT",
    "/albums/assets",
    operation_id="addAssetsToAlbums",
    tag=TAG,
    response=AlbumsAddAssetsResponseDto,
    permission="albumAsset.create",
)
async def add_assets_to_albums(call: Call[AlbumsAddAssetsDto]) -> AlbumsAddAssetsResponseDto:
    """Add assets to albums"""
    body = call.body
    success, error = await album_service.add_assets_to_albums(
        call.db, call.user["id"], body.albumIds, body.assetIds
    )
    return AlbumsAddAssetsResponseDto(
        success=success, error=BulkIdErrorReason(error) if error else UNSET
    )
