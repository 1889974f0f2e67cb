"""The map (Immich's MapService): markers of located assets, and reverse geocoding.

Markers: the caller's assets, those of every user sharing with them with ``withPartners``
(their ``timeline`` assets only: never archived, hidden or locked ones), and those of every
album the caller owns or is a member of with ``withSharedAlbums``. Reverse geocoding is a
plugin's capability (the metadata plugin's offline GeoNames index) that the core reaches
through the ``reverse_geocode`` provider hook; with no provider loaded the answer is empty and
the server reports the feature off.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import TYPE_CHECKING, Any

import attrs

from immich.db.repos import Conn
from immich.db.repos import albums as albums_repo
from immich.db.repos import map as repo
from immich.services import partners

if TYPE_CHECKING:
    from immich.services.auth import AuthContext


@attrs.frozen
class GeoPlace:
    """A named place, as Immich stores it in ``asset_exif`` (city, state, country)."""

    city: str | None
    state: str | None
    country: str | None


async def get_map_markers(
    db: Conn,
    auth: AuthContext,
    *,
    is_archived: bool | None = None,
    is_favorite: bool | None = None,
    with_partners: bool = False,
    with_shared_albums: bool = False,
    created_after: dt.datetime | None = None,
    created_before: dt.datetime | None = None,
) -> bytes:
    """The markers as the JSON (UTF-8) of a list of ``MapMarkerResponseDto`` (made by the database:
    a whole library's markers, too many to make objects of one by one)."""
    me = auth.user_id
    owners = [me]
    if with_partners:  # every partner, whatever their inTimeline (as Immich)
        owners += [p for p in await partners.partner_ids(db, me) if p != me]
    albums = await albums_repo.list_for_user(db, me) if with_shared_albums else []
    return await repo.markers_json(
        db,
        me,
        owners,
        [a["id"] for a in albums],
        is_archived=is_archived,
        is_favorite=is_favorite,
        created_after=created_after,
        created_before=created_before,
    )


def has_geocoder(hook: Any) -> bool:
    """Whether a loaded plugin implements the ``reverse_geocode`` provider."""
    return bool(hook.reverse_geocode.get_hookimpls())


async def reverse_geocode(hook: Any, ctx: Any, latitude: float, longitude: float) -> list[GeoPlace]:
    """Immich's answer: the nearest place as a one-element list, or none."""
    found = hook.reverse_geocode(ctx=ctx, latitude=latitude, longitude=longitude)
    if inspect.isawaitable(found):
        found = await found
    if found is None:
        return []
    return [GeoPlace(city=found.city, state=found.state, country=found.country)]
