"""Timeline DTOs (Immich 3.1's names): time-bucket queries and the columnar bucket answer."""

from __future__ import annotations

import enum

import attrs

from immich.api.dto import UNSET, field
from immich.api.preference_dtos import AssetOrder
from immich.api.user_dtos import MAX_SAFE_INTEGER, AssetVisibility


class AssetOrderBy(enum.StrEnum):
    """Asset sorting property"""

    takenAt = "takenAt"
    createdAt = "createdAt"


@attrs.frozen
class TimeBucketDto:
    """Query of GET /timeline/buckets (``key``/``slug``, shared links, are not served yet)."""

    albumId: str = field(
        default=UNSET, description="Filter assets belonging to a specific album", format="uuid"
    )
    bbox: str = field(
        default=UNSET, description="Bounding box coordinates as west,south,east,north (WGS84)"
    )
    isFavorite: bool = field(
        default=UNSET,
        description="Filter by favorite status (true for favorites only, false for non-favorites only)",
    )
    isTrashed: bool = field(
        default=UNSET,
        description="Filter by trash status (true for trashed assets only, false for non-trashed only)",
    )
    order: AssetOrder = field(default=UNSET)
    orderBy: AssetOrderBy = field(default=UNSET)
    personId: str = field(
        default=UNSET,
        description="Filter assets containing a specific person (face recognition)",
        format="uuid",
    )
    tagId: str = field(
        default=UNSET, description="Filter assets with a specific tag", format="uuid"
    )
    userId: str = field(
        default=UNSET, description="Filter assets by specific user ID", format="uuid"
    )
    visibility: AssetVisibility = field(default=UNSET)
    withCoordinates: bool = field(
        default=UNSET, description="Include location data in the response"
    )
    withPartners: bool = field(default=UNSET, description="Include assets shared by partners")
    withStacked: bool = field(
        default=UNSET,
        description="Include stacked assets in the response. When true, only primary assets from stacks are returned.",
    )


@attrs.frozen(kw_only=True)
class TimeBucketAssetDto(TimeBucketDto):
    """Query of GET /timeline/bucket: the filters plus the month."""

    timeBucket: str = field(
        description='Time bucket identifier in YYYY-MM-DD format (e.g., "2024-01-01" for January 2024)'
    )


@attrs.frozen
class TimeBucketsResponseDto:
    count: int = field(
        description="Number of assets in this time bucket",
        minimum=-MAX_SAFE_INTEGER,
        maximum=MAX_SAFE_INTEGER,
    )
    timeBucket: str = field(
        description="Time bucket identifier in YYYY-MM-DD format representing the start of the time period"
    )


@attrs.frozen
class TimeBucketAssetResponseDto:
    """One month's assets as parallel arrays (index i of every array is asset i)."""

    createdAt: list[str] = field(
        description="Array of UTC timestamps when each asset was originally uploaded to Immich"
    )
    duration: list[int | None] = field(
        description="Array of video/gif durations in milliseconds (null for static images)",
        minimum=0,
        maximum=2147483647,
    )
    fileCreatedAt: list[str] = field(description="Array of file creation timestamps in UTC")
    id: list[str] = field(description="Array of asset IDs in the time bucket")
    isFavorite: list[bool] = field(description="Array indicating whether each asset is favorited")
    isImage: list[bool] = field(
        description="Array indicating whether each asset is an image (false for videos)"
    )
    isTrashed: list[bool] = field(description="Array indicating whether each asset is in the trash")
    livePhotoVideoId: list[str | None] = field(
        description="Array of live photo video asset IDs (null for non-live photos)"
    )
    localOffsetHours: list[float] = field(
        description="Array of UTC offset hours at the time each photo was taken"
    )
    ownerId: list[str] = field(description="Array of owner IDs for each asset")
    projectionType: list[str | None] = field(
        description="Array of projection types for 360° content"
    )
    ratio: list[float] = field(description="Array of aspect ratios (width/height) for each asset")
    thumbhash: list[str | None] = field(
        description="Array of BlurHash strings for generating asset previews (base64 encoded)"
    )
    visibility: list[AssetVisibility] = field(
        description="Array of visibility statuses for each asset"
    )
    city: list[str | None] = field(
        default=UNSET, description="Array of city names extracted from EXIF GPS data"
    )
    country: list[str | None] = field(
        default=UNSET, description="Array of country names extracted from EXIF GPS data"
    )
    latitude: list[float | None] = field(
        default=UNSET, description="Array of latitude coordinates extracted from EXIF GPS data"
    )
    longitude: list[float | None] = field(
        default=UNSET, description="Array of longitude coordinates extracted from EXIF GPS data"
    )
    stack: list[list[str] | None] = field(
        default=UNSET,
        description="Array of stack information as [stackId, assetCount] tuples (null for non-stacked assets)",
    )
