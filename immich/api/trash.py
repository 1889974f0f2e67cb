"""/api/trash: empty the caller's trash, restore all of it or some assets."""

from __future__ import annotations

from immich import events
from immich.api.asset_dtos import BulkIdsDto
from immich.api.routing import Call, Router
from immich.api.trash_dtos import TrashResponseDto
from immich.services import access
from immich.services import trash as trash_service

router = Router()
TAG = "Trash"


@router.route(
    "POST",
    "/trash/empty",
    operation_id="emptyTrash",
    tag=TAG,
    response=TrashResponseDto,
    permission="asset.delete",
)
async def empty_trash(call: Call) -> TrashResponseDto:
    """Empty trash"""
    return TrashResponseDto(
        count=await trash_service.empty(call.db, call.ctx.queues, call.user["id"])
    )


@router.route(
    "POST",
    "/trash/restore",
    operation_id="restoreTrash",
    tag=TAG,
    response=TrashResponseDto,
    permission="asset.delete",
)
async def restore_trash(call: Call) -> TrashResponseDto:
    """Restore trash"""
    return TrashResponseDto(count=await trash_service.restore(call.db, call.user["id"]))


@router.route(
    "POST",
    "/trash/restore/assets",
    operation_id="restoreAssets",
    tag=TAG,
    response=TrashResponseDto,
    permission="asset.delete",
)
async def restore_assets(call: Call[BulkIdsDto]) -> TrashResponseDto:
    """Restore assets"""
    dto = call.body
    count = await trash_service.restore_assets(
        call.db, call.user["id"], dto.ids, elevated=access.is_elevated(call.auth)
    )
    if dto.ids:  # as Immich: the ids asked for, once restored
        ids = [str(i) for i in dto.ids]
        await events.emit_after_commit(
            call.ctx, call.db, [call.user["id"]], "on_asset_restore", ids
        )
    return TrashResponseDto(count=count)
