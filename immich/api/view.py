"""/api/view: the folder view of original paths; and the calendar heat map
(``/users/me/calendar-heatmap``, ``/admin/users/{id}/calendar-heatmap``), a view of the same
assets by day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from immich.api.asset_dtos import AssetResponseDto, to_asset_response
from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.api.view_dtos import (
    CalendarHeatmapDto,
    CalendarHeatmapResponseDto,
    ViewFolderDto,
    to_heatmap_response,
)
from immich.errors import ValidationFailed
from immich.services import view as service

router = Router()
TAG = "Views"


@router.route(
    "GET",
    "/view/folder/unique-paths",
    operation_id="getUniqueOriginalPaths",
    tag=TAG,
    response=list[str],
    permission="folder.read",
)
async def get_unique_original_paths(call: Call) -> list[str]:
    """Retrieve unique paths"""
    return await service.unique_original_paths(call.db, call.user["id"])


@router.route(
    "GET",
    "/view/folder",
    operation_id="getAssetsByOriginalPath",
    tag=TAG,
    response=list[AssetResponseDto],
    permission="folder.read",
)
async def get_assets_by_original_path(call: Call[None, ViewFolderDto]) -> list[AssetResponseDto]:
    """Retrieve assets by original path"""
    me = call.user["id"]
    found = await service.assets_by_original_path(call.db, me, call.query.path)
    return [to_asset_response(asset, exif, viewer_id=me) for asset, exif in found]


def _range(query: CalendarHeatmapDto) -> dict[str, Any]:
    start: dt.date | None = None if query.from_ is UNSET else query.from_
    end: dt.date | None = None if query.to is UNSET else query.to
    if start is not None and end is not None and start > end:
        raise ValidationFailed([{"path": ["from"], "message": "from must be before to"}])
    kind = "Upload" if query.type is UNSET else query.type.value
    return {"start": start, "end": end, "kind": kind}


@router.route(
    "GET",
    "/users/me/calendar-heatmap",
    operation_id="getMyCalendarHeatmap",
    tag="Users",
    response=CalendarHeatmapResponseDto,
    permission="user.read",
)
async def get_my_calendar_heatmap(
    call: Call[None, CalendarHeatmapDto],
) -> CalendarHeatmapResponseDto:
    """Retrieve calendar heatmap activity"""
    heatmap = await service.calendar_heatmap(call.db, call.user["id"], **_range(call.query))
    return to_heatmap_response(heatmap)


@router.route(
    "GET",
    "/admin/users/{id}/calendar-heatmap",
    operation_id="getUserCalendarHeatmapAdmin",
    tag="Users (admin)",
    response=CalendarHeatmapResponseDto,
    admin=True,
    permission="adminUser.read",
)
async def get_user_calendar_heatmap_admin(
    call: Call[None, CalendarHeatmapDto],
) -> CalendarHeatmapResponseDto:
    """Retrieve calendar heatmap activity"""
    heatmap = await service.user_calendar_heatmap(call.db, call.path["id"], **_range(call.query))
    return to_heatmap_response(heatmap)
