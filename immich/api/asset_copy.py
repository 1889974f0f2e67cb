"""PUT /api/assets/copy: move albums, stack, favourite and sidecar from one asset to another."""

from __future__ import annotations

from immich.api.asset_copy_dtos import AssetCopyDto
from immich.api.routing import Call, Router
from immich.services import access
from immich.services import asset_copy as copy_service

router = Router()
TAG = "Assets"


@router.route(
    "PUT",
    "/assets/copy",
    operation_id="copyAsset",
    tag=TAG,
    status=204,
    permission="asset.copy",
)
async def copy_asset(call: Call[AssetCopyDto]) -> None:
    """Copy asset"""
    dto = call.body
    await copy_service.copy(
        call.db,
        call.ctx.queues,
        call.user["id"],
        dto.sourceId,
        dto.targetId,
        albums=dto.albums,
        shared_links=dto.sharedLinks,
        stack=dto.stack,
        favorite=dto.favorite,
        sidecar=dto.sidecar,
        elevated=access.is_elevated(call.auth),
    )
