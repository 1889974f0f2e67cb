"""Map DTOs (Immich 3.1's names)."""

from __future__ import annotations

import datetime as dt

import attrs

from immich.api.dto import UNSET, field


@attrs.frozen
class MapMarkerDto:
    fileCreatedAfter: dt.datetime = field(
        default=UNSET, description="Filter assets created after this date", format="date-time"
    )
    fileCreatedBefore: dt.datetime = field(
        default=UNSET, description="Filter assets created before this date", format="date-time"
    )
    isArchived: bool = field(default=UNSET, description="Filter by archived status")
    isFavorite: bool = field(default=UNSET, description="Filter by favorite status")
    withPartners: bool = field(default=UNSET, description="Include partner assets")
    withSharedAlbums: bool = field(default=UNSET, description="Include shared album assets")


@attrs.frozen
class MapReverseGeocodeDto:
    lat: float = field(description="Latitude (-90 to 90)", format="double", minimum=-90, maximum=90)
    lon: float = field(
        description="Longitude (-180 to 180)", format="double", minimum=-180, maximum=180
    )


@attrs.frozen
class MapMarkerResponseDto:
    city: str | None = field(description="City name")
    country: str | None = field(description="Country name")
    id: str = field(description="Asset ID", format="uuid")
    lat: float = field(description="Latitude", format="double")
    lon: float = field(description="Longitude", format="double")
    state: str | None = field(description="State/Province name")


@attrs.frozen
class MapReverseGeocodeResponseDto:
    city: str | None = field(description="City name")
    country: str | None = field(description="Country name")
    state: str | None = field(description="State/Province name")
