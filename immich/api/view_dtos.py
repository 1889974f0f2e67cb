"""Folder-view and calendar-heat-map DTOs (Immich 3.1's names)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from immich.api.dto import UNSET, field
from immich.services.view import Heatmap


@attrs.frozen
class ViewFolderDto:
    """Query of GET /view/folder."""

    path: str = field()


class CalendarHeatmapType(enum.StrEnum):
    """Type of calendar heatmap"""

    Upload = "Upload"
    Taken = "Taken"


@attrs.frozen
class CalendarHeatmapDto:
    from_: dt.date = field(default=UNSET, description="Start date in UTC", name="from")
    to: dt.date = field(default=UNSET, description="End date in UTC")
    type: CalendarHeatmapType = field(default=UNSET)


@attrs.frozen
class CalendarHeatmapSeriesItem:
    __inline_schema__ = True  # an anonymous object in Immich's document
    count: int = field(description="Activity count", minimum=0, maximum=9007199254740991)
    date: str = field(description="Date in UTC")


@attrs.frozen
class CalendarHeatmapResponseDto:
    from_: str = field(description="Start date in UTC", name="from")
    series: list[CalendarHeatmapSeriesItem] = field()
    to: str = field(description="End date in UTC")
    totalCount: int = field(
        description="Total activity count over the period", minimum=0, maximum=9007199254740991
    )


def to_heatmap_response(heatmap: Heatmap) -> CalendarHeatmapResponseDto:
    return CalendarHeatmapResponseDto(
        from_=heatmap.start.isoformat(),
        series=[CalendarHeatmapSeriesItem(count=c, date=d.isoformat()) for d, c in heatmap.series],
        to=heatmap.end.isoformat(),
        totalCount=heatmap.total,
    )
