"""/api/activities: comments and likes under shared albums."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from immich.api._given import or_none
from immich.api.activity_dtos import (
    ActivityCreateDto,
    ActivityDto,
    ActivityResponseDto,
    ActivitySearchDto,
    ActivityStatisticsResponseDto,
    ReactionType,
    to_activity,
)
from immich.api.dto import UNSET
from immich.api.routing import Call, Router, json_response
from immich.errors import ValidationFailed
from immich.services import activities as service
from immich.services.auth import AuthContext

router = Router()
TAG = "Activities"


def _auth(call: Call[Any, Any]) -> AuthContext:
    assert call.auth is not None
    return call.auth


@router.route(
    "GET",
    "/activities",
    operation_id="getActivities",
    tag=TAG,
    response=list[ActivityResponseDto],
    permission="activity.read",
)
async def get_activities(call: Call[None, ActivitySearchDto]) -> list[ActivityResponseDto]:
    """List all activities"""
    query = call.query
    found = await service.search(
        call.db,
        _auth(call),
        query.albumId,
        asset_id=or_none(query.assetId),
        user_id=or_none(query.userId),
        level=None if query.level is UNSET else str(query.level),
        type=None if query.type is UNSET else str(query.type),
    )
    return [to_activity(row, user) for row, user in found]


@router.route(
    "POST",
    "/activities",
    operation_id="createActivity",
    tag=TAG,
    response=ActivityResponseDto,
    status=201,
    permission="activity.create",
)
async def create_activity(call: Call[ActivityCreateDto]) -> Response:
    """Create an activity"""
    body = call.body
    comment = or_none(body.comment)
    if body.type == ReactionType.comment and not (comment and comment.strip()):
        message = "Comment is required when type is COMMENT"
        raise ValidationFailed([{"path": ["comment"], "message": message}])
    if body.type != ReactionType.comment and comment:
        message = "Comment must not be provided when type is not COMMENT"
        raise ValidationFailed([{"path": ["comment"], "message": message}])
    (row, user), duplicate = await service.create(
        call.db,
        _auth(call),
        body.albumId,
        str(body.type),
        asset_id=or_none(body.assetId),
        comment=comment,
    )
    return json_response(to_activity(row, user), 200 if duplicate else 201)


@router.route(
    "GET",
    "/activities/statistics",
    operation_id="getActivityStatistics",
    tag=TAG,
    response=ActivityStatisticsResponseDto,
    permission="activity.statistics",
)
async def get_activity_statistics(call: Call[None, ActivityDto]) -> ActivityStatisticsResponseDto:
    """Retrieve activity statistics"""
    query = call.query
    stats = await service.statistics(call.db, _auth(call), query.albumId, or_none(query.assetId))
    return ActivityStatisticsResponseDto(**stats)


@router.route(
    "DELETE",
    "/activities/{id}",
    operation_id="deleteActivity",
    tag=TAG,
    status=204,
    permission="activity.delete",
)
async def delete_activity(call: Call) -> None:
    """Delete an activity"""
    await service.delete(call.db, _auth(call), call.path["id"])
