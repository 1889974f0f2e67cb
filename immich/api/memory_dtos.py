"""Memory DTOs (Immich 3.1's names)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from immich.api.asset_dtos import AssetResponseDto, to_asset_response
from immich.api.dto import UNSET, field
from immich.api.user_dtos import MAX_SAFE_INTEGER


class MemoryType(enum.StrEnum):
    """Memory type"""

    on_this_day = "on_this_day"


class MemorySearchOrder(enum.StrEnum):
    """Sort order"""

    asc = "asc"
    desc = "desc"
    random = "random"


@attrs.frozen
class MemorySearchDto:
    """Query of GET /memories and /memories/statistics."""

    for_: dt.date = field(default=UNSET, description="Filter by date", name="for")
    isSaved: bool = field(default=UNSET, description="Filter by saved status")
    isTrashed: bool = field(default=UNSET, description="Include trashed memories")
    order: MemorySearchOrder = field(default=UNSET)
    size: int = field(
        default=UNSET,
        description="Number of memories to return",
        minimum=1,
        maximum=MAX_SAFE_INTEGER,
    )
    type: MemoryType = field(default=UNSET)


@attrs.frozen
class OnThisDayDto:
    year: int = field(description="Year for on this day memory", minimum=1000, maximum=9999)


@attrs.frozen
class MemoryCreateDto:
    data: OnThisDayDto = field()
    memoryAt: dt.datetime = field(description="Memory date", format="date-time")
    type: MemoryType = field()
    assetIds: list[str] = field(
        default=UNSET, description="Asset IDs to associate with memory", format="uuid"
    )
    hideAt: dt.datetime = field(
        default=UNSET, description="Date when memory should be hidden", format="date-time"
    )
    isSaved: bool = field(default=UNSET, description="Is memory saved")
    seenAt: dt.datetime = field(
        default=UNSET, description="Date when memory was seen", format="date-time"
    )
    showAt: dt.datetime = field(
        default=UNSET, description="Date when memory should be shown", format="date-time"
    )


@attrs.frozen
class MemoryUpdateDto:
    isSaved: bool = field(default=UNSET, description="Is memory saved")
    memoryAt: dt.datetime = field(default=UNSET, description="Memory date", format="date-time")
    seenAt: dt.datetime = field(
        default=UNSET, description="Date when memory was seen", format="date-time"
    )


@attrs.frozen
class MemoryStatisticsResponseDto:
    total: int = field(
        description="Total number of memories", minimum=-MAX_SAFE_INTEGER, maximum=MAX_SAFE_INTEGER
    )


@attrs.frozen
class MemoryResponseDto:
    assets: list[AssetResponseDto] = field()
    createdAt: dt.datetime = field(description="Creation date", format="date-time")
    data: OnThisDayDto = field()
    id: str = field(description="Memory ID", format="uuid")
    isSaved: bool = field(description="Is memory saved")
    memoryAt: dt.datetime = field(description="Memory date", format="date-time")
    ownerId: str = field(description="Owner user ID", format="uuid")
    type: MemoryType = field()
    updatedAt: dt.datetime = field(description="Last update date", format="date-time")
    deletedAt: dt.datetime = field(default=UNSET, description="Deletion date", format="date-time")
    hideAt: dt.datetime = field(
        default=UNSET, description="Date when memory should be hidden", format="date-time"
    )
    seenAt: dt.datetime = field(
        default=UNSET, description="Date when memory was seen", format="date-time"
    )
    showAt: dt.datetime = field(
        default=UNSET, description="Date when memory should be shown", format="date-time"
    )


def _opt(value: Any) -> Any:
    return UNSET if value is None else value


def to_memory(row: Any, assets: list[Any], viewer_id: Any) -> MemoryResponseDto:
    """MemoryResponseDto of a ``memory`` row and its asset rows (Immich's ``mapMemory``)."""
    data = row["data"] if isinstance(row["data"], dict) else {}
    return MemoryResponseDto(
        assets=[to_asset_response(a, viewer_id=viewer_id, resized=True) for a in assets],
        createdAt=row["createdAt"],
        data=OnThisDayDto(year=int(data.get("year", 0))),
        id=str(row["id"]),
        isSaved=bool(row["isSaved"]),
        memoryAt=row["memoryAt"],
        ownerId=str(row["ownerId"]),
        type=MemoryType(row["type"]),
        updatedAt=row["updatedAt"],
        deletedAt=_opt(row["deletedAt"]),
        hideAt=_opt(row["hideAt"]),
        seenAt=_opt(row["seenAt"]),
        showAt=_opt(row["showAt"]),
    )
