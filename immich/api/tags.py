"""/api/tags: the caller's tags (list, create, upsert paths, read, colour, delete) and the
assets carrying them (per tag, or many tags on many assets at once)."""

from __future__ import annotations

from immich.api._bulk_ids import bulk_id_responses
from immich.api.asset_dtos import (
    BulkIdResponseDto,
    BulkIdsDto,
    TagResponseDto,
    to_tag,
)
from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.api.tag_dtos import (
    TagBulkAssetsDto,
    TagBulkAssetsResponseDto,
    TagCreateDto,
    TagUpdateDto,
    TagUpsertDto,
    hex_color,
)
from immich.services import tags as tag_service
from immich.services.auth import AuthContext

router = Router()
TAG = "Tags"


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None
    return call.auth


@router.route(
    "GET",
    "/tags",
    operation_id="getAllTags",
    tag=TAG,
    response=list[TagResponseDto],
    permission="tag.read",
)
async def get_all_tags(call: Call) -> list[TagResponseDto]:
    """Retrieve tags"""
    return [to_tag(t) for t in await tag_service.get_all(call.db, _auth(call))]


@router.route(
    "POST",
    "/tags",
    operation_id="createTag",
    tag=TAG,
    response=TagResponseDto,
    status=201,
    permission="tag.create",
)
async def create_tag(call: Call[TagCreateDto]) -> TagResponseDto:
    """Create a tag"""
    dto = call.body
    row = await tag_service.create(
        call.db,
        _auth(call),
        dto.name,
        dto.parentId if dto.parentId is not UNSET else None,
        hex_color(dto.color) if dto.color is not UNSET else None,
    )
    return to_tag(row)


@router.route(
    "PUT",
    "/tags",
    operation_id="upsertTags",
    tag=TAG,
    response=list[TagResponseDto],
    permission="tag.create",
)
async def upsert_tags(call: Call[TagUpsertDto]) -> list[TagResponseDto]:
    """Upsert tags"""
    rows = await tag_service.upsert(call.db, _auth(call), call.body.tags)
    return [to_tag(t) for t in rows]


@router.route(
    "PUT",
    "/tags/assets",
    operation_id="bulkTagAssets",
    tag=TAG,
    response=TagBulkAssetsResponseDto,
    permission="tag.asset",
)
async def bulk_tag_assets(call: Call[TagBulkAssetsDto]) -> TagBulkAssetsResponseDto:
    """Tag assets"""
    dto = call.body
    count = await tag_service.bulk_tag_assets(
        call.db, _auth(call), dto.tagIds, dto.assetIds, queues=call.ctx.queues
    )
    return TagBulkAssetsResponseDto(count=count)


@router.route(
    "GET",
    "/tags/{id}",
    operation_id="getTagById",
    tag=TAG,
    response=TagResponseDto,
    permission="tag.read",
)
async def get_tag_by_id(call: Call) -> TagResponseDto:
    """Retrieve a tag"""
    return to_tag(await tag_service.get(call.db, _auth(call), call.path["id"]))


@router.route(
    "PUT",
    "/tags/{id}",
    operation_id="updateTag",
    tag=TAG,
    response=TagResponseDto,
    permission="tag.update",
)
async def update_tag(call: Call[TagUpdateDto]) -> TagResponseDto:
    """Update a tag"""
    dto = call.body
    changes = {} if dto.color is UNSET else {"color": hex_color(dto.color)}
    row = await tag_service.update(call.db, _auth(call), call.path["id"], changes)
    return to_tag(row)


@router.route(
    "DELETE",
    "/tags/{id}",
    operation_id="deleteTag",
    tag=TAG,
    status=204,
    permission="tag.delete",
)
async def delete_tag(call: Call) -> None:
    """Delete a tag"""
    await tag_service.delete(call.db, _auth(call), call.path["id"])


@router.route(
    "PUT",
    "/tags/{id}/assets",
    operation_id="tagAssets",
    tag=TAG,
    response=list[BulkIdResponseDto],
    permission="tag.asset",
)
async def tag_assets(call: Call[BulkIdsDto]) -> list[BulkIdResponseDto]:
    """Tag assets"""
    results = await tag_service.tag_assets(
        call.db, _auth(call), call.path["id"], call.body.ids, queues=call.ctx.queues
    )
    return bulk_id_responses(results)


@router.route(
    "DELETE",
    "/tags/{id}/assets",
    operation_id="untagAssets",
    tag=TAG,
    response=list[BulkIdResponseDto],
    permission="tag.asset",
)
async def untag_assets(call: Call[BulkIdsDto]) -> list[BulkIdResponseDto]:
    """Untag assets"""
    results = await tag_service.untag_assets(
        call.db, _auth(call), call.path["id"], call.body.ids, queues=call.ctx.queues
    )
    return bulk_id_responses(results)
