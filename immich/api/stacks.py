"""/api/stacks: stacks of the caller's assets (search, create, read, change, delete)."""

from __future__ import annotations

from immich import events
from immich.api.asset_dtos import BulkIdsDto
from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.api.stack_dtos import (
    StackCreateDto,
    StackResponseDto,
    StackSearchDto,
    StackUpdateDto,
    to_stack,
)
from immich.db.repos import Row
from immich.services import access
from immich.services import stacks as stack_service

router = Router()
TAG = "Stacks"


async def _changed(call: Call) -> None:
    """As Immich: the caller's clients refetch their stacks."""
    await events.emit_after_commit(call.ctx, call.db, [call.user["id"]], "on_asset_stack_update")


async def _answer(call: Call, stacks: list[Row]) -> list[StackResponseDto]:
    found = await stack_service.with_assets(call.db, stacks)
    return [to_stack(stack, members, exif, call.user["id"]) for stack, members, exif in found]


@router.route(
    "GET",
    "/stacks",
    operation_id="searchStacks",
    tag=TAG,
    response=list[StackResponseDto],
    permission="stack.read",
)
async def search_stacks(call: Call[None, StackSearchDto]) -> list[StackResponseDto]:
    """Retrieve stacks"""
    query = call.query
    primary = query.primaryAssetId if query.primaryAssetId is not UNSET else None
    return await _answer(call, await stack_service.search(call.db, call.user["id"], primary))


@router.route(
    "POST",
    "/stacks",
    operation_id="createStack",
    tag=TAG,
    response=StackResponseDto,
    status=201,
    permission="stack.create",
)
async def create_stack(call: Call[StackCreateDto]) -> StackResponseDto:
    """Create a stack"""
    dto = call.body
    stack = await stack_service.create(
        call.db, call.user["id"], dto.assetIds, elevated=access.is_elevated(call.auth)
    )
    await _changed(call)
    return (await _answer(call, [stack]))[0]


@router.route(
    "DELETE",
    "/stacks",
    operation_id="deleteStacks",
    tag=TAG,
    status=204,
    permission="stack.delete",
)
async def delete_stacks(call: Call[BulkIdsDto]) -> None:
    """Delete stacks"""
    dto = call.body
    await stack_service.delete(call.db, call.user["id"], dto.ids)
    await _changed(call)


@router.route(
    "GET",
    "/stacks/{id}",
    operation_id="getStack",
    tag=TAG,
    response=StackResponseDto,
    permission="stack.read",
)
async def get_stack(call: Call) -> StackResponseDto:
    """Retrieve a stack"""
    stack = await stack_service.get(call.db, call.user["id"], call.path["id"])
    return (await _answer(call, [stack]))[0]


@router.route(
    "PUT",
    "/stacks/{id}",
    operation_id="updateStack",
    tag=TAG,
    response=StackResponseDto,
    permission="stack.update",
)
async def update_stack(call: Call[StackUpdateDto]) -> StackResponseDto:
    """Update a stack"""
    dto = call.body
    primary = dto.primaryAssetId if dto.primaryAssetId is not UNSET else None
    stack = await stack_service.update(call.db, call.user["id"], call.path["id"], primary)
    await _changed(call)
    return (await _answer(call, [stack]))[0]


@router.route(
    "DELETE",
    "/stacks/{id}",
    operation_id="deleteStack",
    tag=TAG,
    status=204,
    permission="stack.delete",
)
async def delete_stack(call: Call) -> None:
    """Delete a stack"""
    await stack_service.delete(call.db, call.user["id"], [call.path["id"]])
    await _changed(call)


@router.route(
    "DELETE",
    "/stacks/{id}/assets/{assetId}",
    operation_id="removeAssetFromStack",
    tag=TAG,
    status=204,
    permission="stack.update",
)
async def remove_asset_from_stack(call: Call) -> None:
    """Remove an asset from a stack"""
    await stack_service.remove_asset(
        call.db, call.user["id"], call.path["id"], call.path["assetId"]
    )
    await _changed(call)
