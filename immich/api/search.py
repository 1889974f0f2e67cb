"""/api/search: metadata search, statistics, random and large assets, suggestions, cities,
and Explore, and places (the reverse geocoder's, through the ``search_places`` provider hook).
Smart search and person search come with their plugins."""

from __future__ import annotations

import uuid
from typing import Any

from immich.api.asset_dtos import AssetResponseDto, to_asset_response
from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.api.search_dtos import (
    BaseSearchDto,
    LargeAssetSearchDto,
    MetadataSearchDto,
    PlacesResponseDto,
    RandomSearchDto,
    SearchAlbumResponseDto,
    SearchAssetResponseDto,
    SearchExploreItem,
    SearchExploreResponseDto,
    SearchPlacesDto,
    SearchResponseDto,
    SearchStatisticsResponseDto,
    SearchSuggestionRequestDto,
    StatisticsSearchDto,
)
from immich.services import search as service
from immich.services.auth import AuthContext
from immich.services.search import AssetSearch, Found

router = Router()
TAG = "Search"
_EXIF = ("city", "state", "country", "make", "model", "lensModel", "rating")
_DATES = (
    "createdAfter",
    "createdBefore",
    "updatedAfter",
    "updatedBefore",
    "trashedAfter",
    "trashedBefore",
    "takenAfter",
    "takenBefore",
)


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None  # every route here needs a caller
    return call.auth


def _given(dto: Any, name: str, default: Any = None) -> Any:
    value = getattr(dto, name, UNSET)
    return default if value is UNSET else value


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _filters(dto: BaseSearchDto) -> AssetSearch:
    """The search record of a request's filters (before ``service.scope``)."""
    tag_ids = _given(dto, "tagIds", ())
    library_id = _given(dto, "libraryId")
    asset_id = _given(dto, "id")
    checksum = _given(dto, "checksum")
    return AssetSearch(
        visibility=_given(dto, "visibility"),
        person_ids=tuple(uuid.UUID(p) for p in _given(dto, "personIds", ())),
        tag_ids=None if tag_ids is None else tuple(uuid.UUID(t) for t in tag_ids),
        ocr=_given(dto, "ocr") or None,
        exif={name: getattr(dto, name) for name in _EXIF if getattr(dto, name) is not UNSET},
        checksum=service.checksum_bytes(checksum) if checksum else None,
        id=uuid.UUID(asset_id) if asset_id else None,
        library_id=uuid.UUID(library_id) if library_id else None,
        encoded_video_path=_given(dto, "encodedVideoPath") or None,
        original_path=_given(dto, "originalPath") or None,
        original_file_name=_given(dto, "originalFileName") or None,
        description=_given(dto, "description") or None,
        type=_given(dto, "type"),
        is_favorite=_given(dto, "isFavorite"),
        is_offline=_given(dto, "isOffline"),
        is_encoded=_given(dto, "isEncoded"),
        is_motion=_given(dto, "isMotion"),
        is_not_in_album=bool(_given(dto, "isNotInAlbum")),
        with_stacked=_given(dto, "withStacked"),
        with_deleted=bool(_given(dto, "withDeleted")),
        **{_snake(name): _given(dto, name) for name in _DATES},
    )


async def _scoped(call: Call, dto: BaseSearchDto, *, albums_widen: bool = False) -> AssetSearch:
    album_ids = _given(dto, "albumIds", ())
    return await service.scope(
        call.db, _auth(call), _filters(dto), album_ids, albums_widen=albums_widen
    )


def _assets(call: Call, found: Found) -> list[AssetResponseDto]:
    exif = found.exif
    return [
        to_asset_response(
            row,
            exif.get(row["id"]) if exif is not None else None,
            viewer_id=call.user["id"],
            resized=True,
        )
        for row in found.assets
    ]


@router.route(
    "POST",
    "/search/metadata",
    operation_id="searchAssets",
    tag=TAG,
    response=SearchResponseDto,
    permission="asset.read",
    shared_link=True,
)
async def search_assets(call: Call[MetadataSearchDto]) -> SearchResponseDto:
    """Search assets by metadata"""
    dto = call.body
    found = await service.search_metadata(
        call.db,
        await _scoped(call, dto, albums_widen=True),
        page=_given(dto, "page", 1),
        size=_given(dto, "size"),
        order=_given(dto, "order", "desc"),
        with_exif=bool(_given(dto, "withExif")),
    )
    items = _assets(call, found)
    return SearchResponseDto(
        albums=SearchAlbumResponseDto(count=0, facets=[], items=[], total=0),
        assets=SearchAssetResponseDto(
            count=len(items), facets=[], items=items, nextPage=found.next_page, total=len(items)
        ),
    )


@router.route(
    "POST",
    "/search/statistics",
    operation_id="searchAssetStatistics",
    tag=TAG,
    response=SearchStatisticsResponseDto,
    permission="asset.statistics",
)
async def search_asset_statistics(call: Call[StatisticsSearchDto]) -> SearchStatisticsResponseDto:
    """Search asset statistics"""
    total = await service.statistics(call.db, await _scoped(call, call.body))
    return SearchStatisticsResponseDto(total=total)


@router.route(
    "POST",
    "/search/random",
    operation_id="searchRandom",
    tag=TAG,
    response=list[AssetResponseDto],
    permission="asset.read",
)
async def search_random(call: Call[RandomSearchDto]) -> list[AssetResponseDto]:
    """Search random assets"""
    dto = call.body
    found = await service.random(
        call.db,
        await _scoped(call, dto),
        _given(dto, "size"),
        bool(_given(dto, "withExif")),
    )
    return _assets(call, found)


@router.route(
    "POST",
    "/search/large-assets",
    operation_id="searchLargeAssets",
    tag=TAG,
    response=list[AssetResponseDto],
    permission="asset.read",
)
async def search_large_assets(call: Call[None, LargeAssetSearchDto]) -> list[AssetResponseDto]:
    """Search large assets"""
    dto = call.query
    found = await service.large_assets(
        call.db,
        await _scoped(call, dto),
        _given(dto, "size"),
        _given(dto, "minFileSize"),
        bool(_given(dto, "withExif")),
    )
    return _assets(call, found)


@router.route(
    "GET",
    "/search/suggestions",
    operation_id="getSearchSuggestions",
    tag=TAG,
    response=list[str],
    permission="asset.read",
)
async def get_search_suggestions(call: Call[None, SearchSuggestionRequestDto]) -> list[Any]:
    """Retrieve search suggestions"""
    dto = call.query
    choices = {n: _given(dto, n) for n in ("country", "state", "make", "model", "lensModel")}
    return await service.suggestions(
        call.db, _auth(call), dto.type.value, choices, bool(_given(dto, "includeNull"))
    )


@router.route(
    "GET",
    "/search/cities",
    operation_id="getAssetsByCity",
    tag=TAG,
    response=list[AssetResponseDto],
    permission="asset.read",
)
async def get_assets_by_city(call: Call) -> list[AssetResponseDto]:
    """Retrieve assets by city"""
    return _assets(call, await service.assets_by_city(call.db, _auth(call)))


@router.route(
    "GET",
    "/search/explore",
    operation_id="getExploreData",
    tag=TAG,
    response=list[SearchExploreResponseDto],
    permission="asset.read",
)
async def get_explore_data(call: Call) -> list[SearchExploreResponseDto]:
    """Retrieve explore data"""
    fields = await service.explore(call.db, _auth(call))
    return [
        SearchExploreResponseDto(
            fieldName=name,
            items=[
                SearchExploreItem(data=asset, value=value)
                for value, asset in zip(values, _assets(call, found), strict=True)
            ],
        )
        for name, values, found in fields
    ]


@router.route(
    "GET",
    "/search/places",
    operation_id="searchPlaces",
    tag=TAG,
    response=list[PlacesResponseDto],
    permission="asset.read",
)
async def search_places(call: Call[None, SearchPlacesDto]) -> list[PlacesResponseDto]:
    """Search places"""
    return [
        PlacesResponseDto(
            latitude=p.latitude,
            longitude=p.longitude,
            name=p.name,
            admin1name=p.admin1_name if p.admin1_name is not None else UNSET,
            admin2name=p.admin2_name if p.admin2_name is not None else UNSET,
        )
        for p in await service.places(call.ctx, call.query.name)
    ]
