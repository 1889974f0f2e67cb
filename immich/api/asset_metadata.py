"""/api/assets/{id}/metadata and /api/assets/metadata: assets' key/value metadata."""

from __future__ import annotations

from immich.api.asset_metadata_dtos import (
    AssetMetadataBulkDeleteDto,
    AssetMetadataBulkResponseDto,
    AssetMetadataBulkUpsertDto,
    AssetMetadataResponseDto,
    AssetMetadataUpsertDto,
    to_bulk_metadata,
    to_metadata,
)
from immich.api.routing import Call, Router
from immich.services import access
from immich.services import asset_metadata as metadata_service

router = Router()
TAG = "Assets"


@router.route(
    "PUT",
    "/assets/metadata",
    operation_id="updateBulkAssetMetadata",
    tag=TAG,
    response=list[AssetMetadataBulkResponseDto],
    permission="asset.update",
)
async def update_bulk_asset_metadata(
    call: Call[AssetMetadataBulkUpsertDto],
) -> list[AssetMetadataBulkResponseDto]:
    """Upsert asset metadata"""
    dto = call.body
    items = [(i.assetId, i.key, i.value) for i in dto.items]
    rows = await metadata_service.upsert(
        call.db, call.user["id"], items, elevated=access.is_elevated(call.auth)
    )
    return [to_bulk_metadata(row) for row in rows]


@router.route(
    "DELETE",
    "/assets/metadata",
    operation_id="deleteBulkAssetMetadata",
    tag=TAG,
    status=204,
    permission="asset.update",
)
async def delete_bulk_asset_metadata(call: Call[AssetMetadataBulkDeleteDto]) -> None:
    """Delete asset metadata"""
    dto = call.body
    items = [(i.assetId, i.key) for i in dto.items]
    await metadata_service.delete(
        call.db, call.user["id"], items, elevated=access.is_elevated(call.auth)
    )


@router.route(
    "GET",
    "/assets/{id}/metadata",
    operation_id="getAssetMetadata",
    tag=TAG,
    response=list[AssetMetadataResponseDto],
    permission="asset.read",
)
async def get_asset_metadata(call: Call) -> list[AssetMetadataResponseDto]:
    """Get asset metadata"""
    rows = await metadata_service.list_for(
        call.db, call.user["id"], call.path["id"], elevated=access.is_elevated(call.auth)
    )
    return [to_metadata(row) for row in rows]


@router.route(
    "PUT",
    "/assets/{id}/metadata",
    operation_id="updateAssetMetadata",
    tag=TAG,
    response=list[AssetMetadataResponseDto],
    permission="asset.update",
)
async def update_asset_metadata(
    call: Call[AssetMetadataUpsertDto],
) -> list[AssetMetadataResponseDto]:
    """Update asset metadata"""
    dto = call.body
    items = [(i.key, i.value) for i in dto.items]
    rows = await metadata_service.upsert_for(
        call.db, call.user["id"], call.path["id"], items, elevated=access.is_elevated(call.auth)
    )
    return [to_metadata(row) for row in rows]


@router.route(
    "GET",
    "/assets/{id}/metadata/{key}",
    operation_id="getAssetMetadataByKey",
    tag=TAG,
    response=AssetMetadataResponseDto,
    permission="asset.read",
)
async def get_asset_metadata_by_key(call: Call) -> AssetMetadataResponseDto:
    """Retrieve asset metadata by key"""
    row = await metadata_service.get(
        call.db,
        call.user["id"],
        call.path["id"],
        call.path["key"],
        elevated=access.is_elevated(call.auth),
    )
    return to_metadata(row)


@router.route(
    "DELETE",
    "/assets/{id}/metadata/{key}",
    operation_id="deleteAssetMetadata",
    tag=TAG,
    status=204,
    permission="asset.update",
)
async def delete_asset_metadata(call: Call) -> None:
    """Delete asset metadata by key"""
    await metadata_service.delete(
        call.db,
        call.user["id"],
        [(call.path["id"], call.path["key"])],
        elevated=access.is_elevated(call.auth),
    )
