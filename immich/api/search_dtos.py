"""Search DTOs (Immich 3.1's names): the asset filters, the search answers, suggestions, places.

The filter DTOs share ``BaseSearchDto`` as Immich's do; ``LargeAssetSearchDto`` is read from the
query string of ``POST /search/large-assets`` (as Immich declares it).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from immich.api.album_dtos import AlbumResponseDto
from immich.api.asset_dtos import AssetResponseDto, AssetTypeEnum
from immich.api.dto import UNSET, field
from immich.api.preference_dtos import AssetOrder
from immich.api.user_dtos import MAX_SAFE_INTEGER, AssetVisibility


class SearchSuggestionType(enum.StrEnum):
    """Suggestion type"""

    country = "country"
    state = "state"
    city = "city"
    camera_make = "camera-make"
    camera_model = "camera-model"
    camera_lens_model = "camera-lens-model"


@attrs.frozen
class BaseSearchDto:
    """The filters every asset search takes (Immich's BaseSearchDto)."""

    albumIds: list[str] = field(default=UNSET, description="Filter by album IDs", format="uuid")
    city: str | None = field(default=UNSET, description="Filter by city name")
    country: str | None = field(default=UNSET, description="Filter by country name")
    createdAfter: dt.datetime = field(
        default=UNSET, description="Filter by creation date (after)", format="date-time"
    )
    createdBefore: dt.datetime = field(
        default=UNSET, description="Filter by creation date (before)", format="date-time"
    )
    isEncoded: bool = field(default=UNSET, description="Filter by encoded status")
    isFavorite: bool = field(default=UNSET, description="Filter by favorite status")
    isMotion: bool = field(default=UNSET, description="Filter by motion photo status")
    isNotInAlbum: bool = field(default=UNSET, description="Filter assets not in any album")
    isOffline: bool = field(default=UNSET, description="Filter by offline status")
    lensModel: str | None = field(default=UNSET, description="Filter by lens model")
    libraryId: str | None = field(
        default=UNSET, description="Library ID to filter by", format="uuid"
    )
    make: str | None = field(default=UNSET, description="Filter by camera make")
    model: str | None = field(default=UNSET, description="Filter by camera model")
    ocr: str = field(default=UNSET, description="Filter by OCR text content")
    personIds: list[str] = field(default=UNSET, description="Filter by person IDs", format="uuid")
    rating: int | None = field(
        default=UNSET,
        description="Filter by rating [1-5], or null for unrated",
        minimum=1,
        maximum=5,
    )
    state: str | None = field(default=UNSET, description="Filter by state/province name")
    tagIds: list[str] | None = field(default=UNSET, description="Filter by tag IDs", format="uuid")
    takenAfter: dt.datetime = field(
        default=UNSET, description="Filter by taken date (after)", format="date-time"
    )
    takenBefore: dt.datetime = field(
        default=UNSET, description="Filter by taken date (before)", format="date-time"
    )
    trashedAfter: dt.datetime = field(
        default=UNSET, description="Filter by trash date (after)", format="date-time"
    )
    trashedBefore: dt.datetime = field(
        default=UNSET, description="Filter by trash date (before)", format="date-time"
    )
    type: AssetTypeEnum = field(default=UNSET)
    updatedAfter: dt.datetime = field(
        default=UNSET, description="Filter by update date (after)", format="date-time"
    )
    updatedBefore: dt.datetime = field(
        default=UNSET, description="Filter by update date (before)", format="date-time"
    )
    visibility: AssetVisibility = field(default=UNSET)


@attrs.frozen(kw_only=True)
class StatisticsSearchDto(BaseSearchDto):
    description: str = field(default=UNSET, description="Filter by description text")


@attrs.frozen(kw_only=True)
class RandomSearchDto(BaseSearchDto):
    size: int = field(
        default=UNSET, description="Number of results to return", minimum=1, maximum=1000
    )
    withDeleted: bool = field(default=UNSET, description="Include deleted assets")
    withExif: bool = field(default=UNSET, description="Include EXIF data in response")
    withPeople: bool = field(default=UNSET, description="Include people data in response")
    withStacked: bool = field(default=UNSET, description="Include stacked assets")


@attrs.frozen(kw_only=True)
class LargeAssetSearchDto(BaseSearchDto):
    """Query of POST /search/large-assets (the filters are query parameters)."""

    minFileSize: int = field(
        default=UNSET, description="Minimum file size in bytes", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    size: int = field(
        default=UNSET, description="Number of results to return", minimum=1, maximum=1000
    )
    withDeleted: bool = field(default=UNSET, description="Include deleted assets")
    withExif: bool = field(default=UNSET, description="Include EXIF data in response")


@attrs.frozen(kw_only=True)
class MetadataSearchDto(BaseSearchDto):
    checksum: str = field(default=UNSET, description="Filter by file checksum")
    description: str = field(default=UNSET, description="Filter by description text")
    encodedVideoPath: str = field(default=UNSET, description="Filter by encoded video file path")
    id: str = field(default=UNSET, description="Filter by asset ID", format="uuid")
    order: AssetOrder = field(default=UNSET, description="Sort order")
    originalFileName: str = field(default=UNSET, description="Filter by original file name")
    originalPath: str = field(default=UNSET, description="Filter by original file path")
    page: int = field(default=UNSET, description="Page number", minimum=1, maximum=MAX_SAFE_INTEGER)
    previewPath: str = field(default=UNSET, description="Filter by preview file path")
    size: int = field(
        default=UNSET, description="Number of results to return", minimum=1, maximum=1000
    )
    thumbnailPath: str = field(default=UNSET, description="Filter by thumbnail file path")
    withDeleted: bool = field(default=UNSET, description="Include deleted assets")
    withExif: bool = field(default=UNSET, description="Include EXIF data in response")
    withPeople: bool = field(default=UNSET, description="Include people data in response")
    withStacked: bool = field(default=UNSET, description="Include stacked assets")


@attrs.frozen
class SearchSuggestionRequestDto:
    """Query of GET /search/suggestions."""

    type: SearchSuggestionType = field()
    country: str = field(default=UNSET, description="Filter by country")
    includeNull: bool = field(default=UNSET, description="Include null values in suggestions")
    lensModel: str = field(default=UNSET, description="Filter by lens model")
    make: str = field(default=UNSET, description="Filter by camera make")
    model: str = field(default=UNSET, description="Filter by camera model")
    state: str = field(default=UNSET, description="Filter by state/province")


@attrs.frozen
class SearchPlacesDto:
    name: str = field(description="Place name to search for")


@attrs.frozen
class SearchFacetCountResponseDto:
    count: int = field(
        description="Number of assets with this facet value", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    value: str = field(description="Facet value")


@attrs.frozen
class SearchFacetResponseDto:
    counts: list[SearchFacetCountResponseDto] = field()
    fieldName: str = field(description="Facet field name")


@attrs.frozen
class SearchAlbumResponseDto:
    count: int = field(
        description="Number of albums in this page", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    facets: list[SearchFacetResponseDto] = field()
    items: list[AlbumResponseDto] = field()
    total: int = field(
        description="Total number of matching albums", minimum=0, maximum=MAX_SAFE_INTEGER
    )


@attrs.frozen
class SearchAssetResponseDto:
    count: int = field(
        description="Number of assets in this page", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    facets: list[SearchFacetResponseDto] = field()
    items: list[AssetResponseDto] = field()
    nextPage: str | None = field(description="Next page token")
    total: int = field(
        description="Total number of matching assets", minimum=0, maximum=MAX_SAFE_INTEGER
    )


@attrs.frozen
class SearchResponseDto:
    albums: SearchAlbumResponseDto = field()
    assets: SearchAssetResponseDto = field()


@attrs.frozen
class SearchStatisticsResponseDto:
    total: int = field(
        description="Total number of matching assets",
        minimum=-MAX_SAFE_INTEGER,
        maximum=MAX_SAFE_INTEGER,
    )


@attrs.frozen
class SearchExploreItem:
    data: AssetResponseDto = field()
    value: str = field(description="Explore value")


@attrs.frozen
class SearchExploreResponseDto:
    fieldName: str = field(description="Explore field name")
    items: list[SearchExploreItem] = field()


@attrs.frozen
class PlacesResponseDto:
    latitude: float = field(description="Latitude coordinate")
    longitude: float = field(description="Longitude coordinate")
    name: str = field(description="Place name")
    admin1name: str = field(
        default=UNSET, description="Administrative level 1 name (state/province)"
    )
    admin2name: str = field(
        default=UNSET, description="Administrative level 2 name (county/district)"
    )
