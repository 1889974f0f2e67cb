"""/api/map: markers of located assets and reverse geocoding (through the ``reverse_geocode``
provider hook: the api never imports a plugin)."""

from __future__ import annotations

from starlette.responses import Response

from immich.api._given import or_none
from immich.api.map_dtos import (
    MapMarkerDto,
    MapMarkerResponseDto,
    MapReverseGeocodeDto,
    MapReverseGeocodeResponseDto,
)
from immich.api.routing import Call, Router
from immich.services import map as service

router = Router()
TAG = "Map"


@router.route(
    "GET",
    "/map/markers",
    operation_id="getMapMarkers",
    tag=TAG,
    response=list[MapMarkerResponseDto],
    permission="map.read",
)
async def get_map_markers(call: Call[None, MapMarkerDto]) -> Response:
    """Retrieve map markers"""
    query = call.query
    assert call.auth is not None
    body = await service.get_map_markers(
        call.db,
        call.auth,
        is_archived=or_none(query.isArchived),
        is_favorite=or_none(query.isFavorite),
        with_partners=query.withPartners is True,
        with_shared_albums=query.withSharedAlbums is True,
        created_after=or_none(query.fileCreatedAfter),
        created_before=or_none(query.fileCreatedBefore),
    )
    return Response(body, media_type="application/json")  # MapMarkerResponseDto[]


@router.route(
    "GET",
    "/map/reverse-geocode",
    operation_id="reverseGeocode",
    tag=TAG,
    response=list[MapReverseGeocodeResponseDto],
    permission="map.search",
)
async def reverse_geocode(
    call: Call[None, MapReverseGeocodeDto],
) -> list[MapReverseGeocodeResponseDto]:
    """Reverse geocode coordinates"""
    query = call.query
    places = await service.reverse_geocode(call.ctx.hook, call.ctx, query.lat, query.lon)
    return [
        MapReverseGeocodeResponseDto(city=p.city, country=p.country, state=p.state) for p in places
    ]
