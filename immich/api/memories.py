"""/api/memories: the caller's memories (search, count, create, read, update, delete) and the
assets in them. The nightly "on this day" generation lives in plugins/memories."""

from __future__ import annotations

from typing import Any

from immich.api._bulk_ids import bulk_id_responses
from immich.api._given import given, or_none
from immich.api.asset_dtos import BulkIdResponseDto, BulkIdsDto
from immich.api.dto import UNSET
from immich.api.memory_dtos import (
    MemoryCreateDto,
    MemoryResponseDto,
    MemorySearchDto,
    MemoryStatisticsResponseDto,
    MemoryUpdateDto,
    to_memory,
)
from immich.api.routing import Call, Router
from immich.db.repos.memories import MemorySearch
from immich.services import memories as service
from immich.services.auth import AuthContext

router = Router()
TAG = "Memories"


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None
    return call.auth


def _search(query: MemorySearchDto) -> MemorySearch:
    return MemorySearch(
        type=or_none(query.type),
        for_date=or_none(query.for_),
        is_trashed=bool(or_none(query.isTrashed)),
        is_saved=or_none(query.isSaved),
        size=or_none(query.size),
        order=or_none(query.order),
    )


@router.route(
    "GET",
    "/memories",
    operation_id="searchMemories",
    tag=TAG,
    response=list[MemoryResponseDto],
    permission="memory.read",
)
async def search_memories(call: Call[None, MemorySearchDto]) -> list[MemoryResponseDto]:
    """Retrieve memories"""
    found = await service.search(call.db, _auth(call), _search(call.query))
    return [to_memory(m, assets, call.user["id"]) for m, assets in found]


@router.route(
    "POST",
    "/memories",
    operation_id="createMemory",
    tag=TAG,
    response=MemoryResponseDto,
    status=201,
    permission="memory.create",
)
async def create_memory(call: Call[MemoryCreateDto]) -> MemoryResponseDto:
    """Create a memory"""
    dto = call.body
    values: dict[str, Any] = {
        "type": dto.type.value,
        "data": {"year": dto.data.year},
        "memoryAt": dto.memoryAt,
    }
    for name in ("isSaved", "seenAt", "showAt", "hideAt"):
        if getattr(dto, name) is not UNSET:
            values[name] = getattr(dto, name)
    assets = dto.assetIds if dto.assetIds is not UNSET else []
    memory, rows = await service.create(call.db, _auth(call), values, assets)
    return to_memory(memory, rows, call.user["id"])


@router.route(
    "GET",
    "/memories/statistics",
    operation_id="memoriesStatistics",
    tag=TAG,
    response=MemoryStatisticsResponseDto,
    permission="memory.statistics",
)
async def memories_statistics(call: Call[None, MemorySearchDto]) -> MemoryStatisticsResponseDto:
    """Retrieve memories statistics"""
    total = await service.statistics(call.db, _auth(call), _search(call.query))
    return MemoryStatisticsResponseDto(total=total)


@router.route(
    "GET",
    "/memories/{id}",
    operation_id="getMemory",
    tag=TAG,
    response=MemoryResponseDto,
    permission="memory.read",
)
async def get_memory(call: Call) -> MemoryResponseDto:
    """Retrieve a memory"""
    memory, assets = await service.get(call.db, _auth(call), call.path["id"])
    return to_memory(memory, assets, call.user["id"])


@router.route(
    "PUT",
    "/memories/{id}",
    operation_id="updateMemory",
    tag=TAG,
    response=MemoryResponseDto,
    permission="memory.update",
)
async def update_memory(call: Call[MemoryUpdateDto]) -> MemoryResponseDto:
    """Update a memory"""
    changes = given(call.body)
    memory, assets = await service.update(call.db, _auth(call), call.path["id"], changes)
    return to_memory(memory, assets, call.user["id"])


@router.route(
    "DELETE",
    "/memories/{id}",
    operation_id="deleteMemory",
    tag=TAG,
    status=204,
    permission="memory.delete",
)
async def delete_memory(call: Call) -> None:
    """Delete a memory"""
    await service.delete(call.db, _auth(call), call.path["id"])


@router.route(
    "PUT",
    "/memories/{id}/assets",
    operation_id="addMemoryAssets",
    tag=TAG,
    response=list[BulkIdResponseDto],
    permission="memoryAsset.create",
)
async def add_memory_assets(call: Call[BulkIdsDto]) -> list[BulkIdResponseDto]:
    """Add assets to a memory"""
    results = await service.add_assets(call.db, _auth(call), call.path["id"], call.body.ids)
    return bulk_id_responses(results)


@router.route(
    "DELETE",
    "/memories/{id}/assets",
    operation_id="removeMemoryAssets",
    tag=TAG,
    response=list[BulkIdResponseDto],
    permission="memoryAsset.delete",
)
async def remove_memory_assets(call: Call[BulkIdsDto]) -> list[BulkIdResponseDto]:
    """Remove assets from a memory"""
    results = await service.remove_assets(call.db, _auth(call), call.path["id"], call.body.ids)
    return bulk_id_responses(results)
