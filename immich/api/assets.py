"""/api/assets: upload, duplicate check, read, edit, delete, original download, statistics."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import attrs
from starlette.requests import ClientDisconnect
from starlette.responses import FileResponse, Response

from immich.api._given import given
from immich.api._upload_form import parse_upload_fields
from immich.api.asset_dtos import (
    AssetBulkDeleteDto,
    AssetBulkUpdateDto,
    AssetBulkUploadCheckDto,
    AssetBulkUploadCheckResponseDto,
    AssetBulkUploadCheckResult,
    AssetDownloadOriginalDto,
    AssetMediaCreateDto,
    AssetMediaResponseDto,
    AssetMediaStatus,
    AssetResponseDto,
    UpdateAssetDto,
    to_asset_response,
    to_tag,
)
from immich.api.dto import UNSET
from immich.api.errors import NotFound
from immich.api.routing import Call, Multipart, Router, json_response
from immich.api.shared_link_dtos import shared_link_file_name, shared_link_view
from immich.api.user_dtos import AssetStatsDto, AssetStatsResponseDto
from immich.db.repos import assets as assets_repo
from immich.db.repos import users as users_repo
from immich.services import access
from immich.services import assets as asset_service
from immich.services import shared_links as shared_link_service
from immich.services import tags as tag_service
from immich.services import upload as upload_service
from immich.services import users as user_service
from immich.storage.mime import mime_type

log = logging.getLogger(__name__)
router = Router()
TAG = "Assets"
CACHE_CONTROL = "private, max-age=86400, no-transform"  # Immich's PrivateWithCache


@router.route(
    "GET",
    "/assets/statistics",
    operation_id="getAssetStatistics",
    tag=TAG,
    response=AssetStatsResponseDto,
    permission="asset.statistics",
)
async def get_asset_statistics(call: Call[None, AssetStatsDto]) -> AssetStatsResponseDto:
    """Get asset statistics"""
    query = call.query
    if query.visibility is not UNSET and str(query.visibility) == "locked":
        access.require_elevated(call.auth)
    counts = await users_repo.asset_statistics(
        call.db,
        call.user["id"],
        is_favorite=query.isFavorite if query.isFavorite is not UNSET else None,
        is_trashed=query.isTrashed if query.isTrashed is not UNSET else None,
        visibility=str(query.visibility) if query.visibility is not UNSET else None,
    )
    return AssetStatsResponseDto(**user_service.asset_stats(counts))


@router.route(
    "POST",
    "/assets",
    operation_id="uploadAsset",
    tag=TAG,
    response=AssetMediaResponseDto,
    status=201,
    other_statuses=(200,),
    permission="asset.upload",
    transaction=False,  # streams the body; the upload service's own short transaction
    shared_link=True,
)
async def upload_asset(call: Call[Multipart[AssetMediaCreateDto]]) -> Response:
    """Upload asset"""
    request = call.request
    access.require_shared_link_upload(call.auth)
    try:
        result = await upload_service.upload(
            call.ctx,
            call.user,
            request.stream(),
            request.headers.get("content-type"),
            request.headers.get("x-immich-checksum"),
            parse_fields=parse_upload_fields,
        )
    except ClientDisconnect:  # nothing was kept; nobody is left to answer
        log.info("upload by %s interrupted: client went away", call.user["id"])
        return Response(status_code=400)
    await shared_link_service.add_upload(call.ctx.db, call.auth, result.id)
    status = AssetMediaStatus.duplicate if result.duplicate else AssetMediaStatus.created
    return json_response(
        AssetMediaResponseDto(id=result.id, status=status), 200 if result.duplicate else 201
    )


@router.route(
    "POST",
    "/assets/bulk-upload-check",
    operation_id="checkBulkUpload",
    tag=TAG,
    response=AssetBulkUploadCheckResponseDto,
    permission="asset.upload",
)
async def check_bulk_upload(call: Call[AssetBulkUploadCheckDto]) -> AssetBulkUploadCheckResponseDto:
    """Check bulk upload"""
    body = call.body
    items = [(item.id, item.checksum) for item in body.assets]
    results = await upload_service.bulk_upload_check(call.db, call.user["id"], items)
    return AssetBulkUploadCheckResponseDto(
        results=[AssetBulkUploadCheckResult(**r) for r in results]
    )


async def asset_response(call: Call, asset_id: str) -> AssetResponseDto:
    found = await asset_service.get_for_response(call.db, asset_id)
    return to_asset_response(
        found["row"],
        found["exif"],
        viewer_id=call.user["id"],
        owner=found["owner"],
        stack=found["stack"],
        resized=found["resized"],
    )


@router.route(
    "GET",
    "/assets/{id}",
    operation_id="getAssetInfo",
    tag=TAG,
    response=AssetResponseDto,
    permission="asset.read",
    shared_link=True,
)
async def get_asset_info(call: Call) -> AssetResponseDto:
    """Retrieve an asset"""
    asset_id = call.path["id"]
    await access.require_assets(
        call.db,
        call.auth,
        "asset.read",
        [asset_id],
        elevated=access.is_elevated(call.auth),
    )
    tags = [to_tag(t) for t in await tag_service.of_asset(call.db, asset_id)]
    answer = attrs.evolve(await asset_response(call, asset_id), tags=tags)
    return shared_link_view(call.auth, answer)


@router.route(
    "PUT",
    "/assets/{id}",
    operation_id="updateAsset",
    tag=TAG,
    response=AssetResponseDto,
    permission="asset.update",
)
async def update_asset(call: Call[UpdateAssetDto]) -> AssetResponseDto:
    """Update an asset"""
    await asset_service.update(
        call.db,
        call.user["id"],
        call.path["id"],
        given(call.body),
        elevated=access.is_elevated(call.auth),
        queues=call.ctx.queues,
    )
    return await asset_response(call, call.path["id"])


@router.route(
    "PUT",
    "/assets",
    operation_id="updateAssets",
    tag=TAG,
    permission="asset.update",
)
async def update_assets(call: Call[AssetBulkUpdateDto]) -> None:
    """Update assets"""
    await asset_service.update_all(
        call.db,
        call.user["id"],
        given(call.body),
        elevated=access.is_elevated(call.auth),
        queues=call.ctx.queues,
    )


@router.route(
    "DELETE",
    "/assets",
    operation_id="deleteAssets",
    tag=TAG,
    permission="asset.delete",
)
async def delete_assets(call: Call[AssetBulkDeleteDto]) -> None:
    """Delete assets"""
    body = call.body
    await asset_service.delete(
        call.db,
        call.ctx.queues,
        call.ctx.config.get(),
        call.user["id"],
        body.ids,
        bool(body.force),
        elevated=access.is_elevated(call.auth),
    )


@router.route(
    "GET",
    "/assets/{id}/original",
    operation_id="downloadAsset",
    tag=TAG,
    response=bytes,
    content_type="application/octet-stream",
    permission="asset.download",
    shared_link=True,
)
async def download_asset(call: Call[None, AssetDownloadOriginalDto]) -> Response:
    """Download original asset

    The file as stored, with its MIME type, its original name (Content-Disposition), an ETag
    and Last-Modified, and HTTP Range support (206 with Content-Range).
    """
    asset_id = call.path["id"]
    pool = call.db
    await access.require_assets(
        pool, call.auth, "asset.download", [asset_id], elevated=access.is_elevated(call.auth)
    )
    row = await assets_repo.get(pool, asset_id)
    if row is None:
        raise NotFound("Asset not found")
    path = Path(row["originalPath"])
    try:
        stat = await asyncio.to_thread(path.stat)
    except OSError:
        raise NotFound("Asset media not found") from None
    response = FileResponse(
        path,
        media_type=mime_type(row["originalPath"]),
        filename=shared_link_file_name(call.auth, asset_id, row["originalFileName"]),
        headers={"Cache-Control": CACHE_CONTROL},
        stat_result=stat,
    )
    etag = response.headers["etag"]
    if etag in call.request.headers.get("if-none-match", "").split(", "):
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": CACHE_CONTROL})
    return response
