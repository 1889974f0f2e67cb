"""/api/albums: the whole resource (list, create, read, update, delete, assets, members,
statistics, map markers).

Static paths (``/albums/statistics``, ``/albums/assets``) are declared before ``/albums/{id}``:
the first matching route wins.
"""

from __future__ import annotations

from typing import Any

from immich.api._bulk_ids import bulk_id_responses
from immich.api._given import given, or_none
from immich.api.album_dtos import (
    AddUsersDto,
    AlbumResponseDto,
    AlbumsAddAssetsDto,
    AlbumsAddAssetsResponseDto,
    AlbumStatisticsResponseDto,
    CreateAlbumDto,
    GetAlbumsDto,
    UpdateAlbumDto,
    UpdateAlbumUserDto,
    to_album_response,
)
from immich.api.asset_dtos import BulkIdErrorReason, BulkIdResponseDto, BulkIdsDto
from immich.api.dto import UNSET
from immich.api.map_dtos import MapMarkerResponseDto
from immich.api.routing import Call, Router
from immich.services import access
from immich.services import albums as album_service
from immich.services.auth import AuthContext

router = Router()
TAG = "Albums"


def _auth(call: Call[Any, Any]) -> AuthContext:
    assert call.auth is not None
    return call.auth


@router.route(
    "GET",
    "/albums/statistics",
    operation_id="getAlbumStatistics",
    tag=TAG,
    response=AlbumStatisticsResponseDto,
    permission="album.statistics",
)
async def get_album_statistics(call: Call) -> AlbumStatisticsResponseDto:
    """Retrieve album statistics"""
    return AlbumStatisticsResponseDto(**await album_service.statistics(call.db, _auth(call)))


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
        is_owned=or_none(query.isOwned),
        is_shared=or_none(query.isShared),
        album_id=or_none(query.id),
        name=or_none(query.name),
        asset_id=or_none(query.assetId),
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
    contributors = await album_service.contributor_counts(call.db, album, members)
    return to_album_response(album, members, call.user["id"], contributors)


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
    return bulk_id_responses(results)


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


@router.route(
    "PATCH",
    "/albums/{id}",
    operation_id="updateAlbumInfo",
    tag=TAG,
    response=AlbumResponseDto,
    permission="album.update",
)
async def update_album_info(call: Call[UpdateAlbumDto]) -> AlbumResponseDto:
    """Update an album"""
    changes = given(call.body)
    if "order" in changes:
        changes["order"] = str(changes["order"])
    album, members = await album_service.update(call.db, _auth(call), call.path["id"], changes)
    return to_album_response(album, members, call.user["id"])


@router.route(
    "DELETE",
    "/albums/{id}",
    operation_id="deleteAlbum",
    tag=TAG,
    status=204,
    permission="album.delete",
)
async def delete_album(call: Call) -> None:
    """Delete an album"""
    await album_service.delete(call.db, _auth(call), call.path["id"])


@router.route(
    "DELETE",
    "/albums/{id}/assets",
    operation_id="removeAssetFromAlbum",
    tag=TAG,
    response=list[BulkIdResponseDto],
    permission="albumAsset.delete",
)
async def remove_asset_from_album(call: Call[BulkIdsDto]) -> list[BulkIdResponseDto]:
    """Remove assets from an album"""
    results = await album_service.remove_assets(
        call.db, _auth(call), call.path["id"], call.body.ids
    )
    return bulk_id_responses(results)


@router.route(
    "PUT",
    "/albums/{id}/users",
    operation_id="addUsersToAlbum",
    tag=TAG,
    response=AlbumResponseDto,
    permission="albumUser.create",
)
async def add_users_to_album(call: Call[AddUsersDto]) -> AlbumResponseDto:
    """Share album with users"""
    users = [(u.userId, str(u.role)) for u in call.body.albumUsers]
    album, members = await album_service.add_users(call.db, _auth(call), call.path["id"], users)
    return to_album_response(album, members, call.user["id"])


@router.route(
    "PUT",
    "/albums/{id}/user/{userId}",
    operation_id="updateAlbumUser",
    tag=TAG,
    status=204,
    permission="albumUser.update",
)
async def update_album_user(call: Call[UpdateAlbumUserDto]) -> None:
    """Update user role"""
    await album_service.update_user(
        call.db, _auth(call), call.path["id"], call.path["userId"], str(call.body.role)
    )


@router.route(
    "DELETE",
    "/albums/{id}/user/{userId}",
    operation_id="removeUserFromAlbum",
    tag=TAG,
    status=204,
    permission="albumUser.delete",
)
async def remove_user_from_album(call: Call) -> None:
    """Remove user from album"""
    await album_service.remove_user(call.db, _auth(call), call.path["id"], call.path["userId"])


@router.route(
    "GET",
    "/albums/{id}/map-markers",
    operation_id="getAlbumMapMarkers",
    tag=TAG,
    response=list[MapMarkerResponseDto],
    permission="album.read",
    shared_link=True,
)
async def get_album_map_markers(call: Call) -> list[MapMarkerResponseDto]:
    """Retrieve album map markers"""
    rows = await album_service.map_markers(call.db, _auth(call), call.path["id"])
    return [
        MapMarkerResponseDto(
            city=r["city"],
            country=r["country"],
            id=str(r["id"]),
            lat=r["lat"],
            lon=r["lon"],
            state=r["state"],
        )
        for r in rows
    ]
