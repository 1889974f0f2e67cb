"""/api/assets: statistics of the caller's assets (upload, timeline and the rest come with ingest)."""

from __future__ import annotations

from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.api.user_dtos import AssetStatsDto, AssetStatsResponseDto
from immich.db.repos import users as users_repo
from immich.services import users as user_service

router = Router()
TAG = "Assets"


@router.route(
    "GET",
    "/assets/statistics",
    operation_id="getAssetStatistics",
    tag=TAG,
    query=AssetStatsDto,
    response=AssetStatsResponseDto,
    permission="asset.statistics",
)
async def get_asset_statistics(call: Call) -> AssetStatsResponseDto:
    """Get asset statistics"""
    query: AssetStatsDto = call.query
    counts = await users_repo.asset_statistics(
        call.ctx.db.pool,
        call.user["id"],
        is_favorite=query.isFavorite if query.isFavorite is not UNSET else None,
        is_trashed=query.isTrashed if query.isTrashed is not UNSET else None,
        visibility=str(query.visibility) if query.visibility is not UNSET else None,
    )
    return AssetStatsResponseDto(**user_service.asset_stats(counts))
