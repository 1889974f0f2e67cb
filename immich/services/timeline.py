"""Timeline rules (Immich's TimelineService): who may see which assets, bucket parameters.

As Immich: a ``locked`` timeline needs an elevated session (PIN unlocked, else 401); without
``albumId`` the timeline is the caller's own (``userId`` defaults to them; another user's is
``timeline.read`` access, which partners have); ``withPartners`` refuses the
archive, favourites, trash and locked views; a ``tagId`` must be the caller's tag (``tag.read``)
and shows the assets carrying it or a tag under it. ``withPartners`` adds the users who share
with the caller and chose ``inTimeline`` (no partners: the one-owner filter, as before). A
partner's timeline (``userId`` of a user sharing with the caller) shows their ``timeline`` (or
asked ``hidden``) assets, never their archive, trash or locked ones (beyond Immich, whose
default visibility there includes the archive). A ``personId`` matches no asset.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import uuid
from collections.abc import Mapping
from typing import Any

from immich.db.repos import Conn
from immich.db.repos import albums as albums_repo
from immich.db.repos import timeline as repo
from immich.errors import BadRequest, ValidationFailed
from immich.services import partners
from immich.services.access import require_elevated, require_partner_sharers, require_tags

WITH_PARTNERS_ONLY = (
    "withPartners is only supported for non-archived, non-trashed, non-favorited, non-locked assets"
)


def _no_access(permission: str) -> BadRequest:
    return BadRequest(f"Not found or no {permission} access")


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees (west > east crosses the antimeridian)."""
    try:
        parts = [float(p) for p in value.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        raise ValidationFailed(
            [{"path": ["bbox"], "message": "bbox must be west,south,east,north"}]
        )
    west, south, east, north = parts
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise ValidationFailed([{"path": ["bbox"], "message": "longitude out of range"}])
    if not (-90 <= south <= north <= 90):
        raise ValidationFailed([{"path": ["bbox"], "message": "latitude out of range"}])
    return west, south, east, north


def parse_time_bucket(value: str) -> dt.datetime | None:
    """The UTC start of the month ``value`` (``YYYY-MM-DD``, or an ISO date-time) names.

    ``None`` when it names no bucket start (not the first of a month at midnight): such a
    bucket holds no asset, as in Immich.
    """
    text = value.strip().lstrip("+")
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            when = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        else:
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            when = when.astimezone(dt.UTC)
    except ValueError:
        raise ValidationFailed(
            [{"path": ["timeBucket"], "message": "Invalid time bucket: expected YYYY-MM-DD"}]
        ) from None
    if when != when.replace(day=1, hour=0, minute=0, second=0, microsecond=0):
        return None
    return when


async def build_filter(db: Conn, user: Any, query: Mapping[str, Any]) -> repo.TimelineFilter | None:
    """The filter of a time-bucket query (the parameters the client sent) after Immich's
    checks; ``None``: nothing can match."""
    me = user["id"]
    visibility = _opt(query, "visibility")
    is_favorite, is_trashed = _opt(query, "isFavorite"), _opt(query, "isTrashed")
    if visibility == "locked":
        require_elevated(user)
    album_id = _opt(query, "albumId")
    user_id = _opt(query, "userId")
    if album_id is not None:
        if not await albums_repo.ids_with_role(db, me, [album_id], ("editor", "viewer")):
            raise _no_access("album.read")
    elif user_id is None:
        user_id = str(me)
    partner_view = user_id is not None and uuid.UUID(user_id) != me
    if partner_view:
        await _check_partner_timeline(db, me, uuid.UUID(user_id), visibility)
    tag_id = _opt(query, "tagId")
    if tag_id is not None:
        await require_tags(db, me, "tag.read", [tag_id])
    if _opt(query, "withPartners") and (
        visibility in (None, "archive", "locked") or is_favorite is not None or is_trashed
    ):
        raise BadRequest(WITH_PARTNERS_ONLY)
    owner_ids: tuple[uuid.UUID, ...] | None = None
    if user_id is not None:
        owner_ids = (uuid.UUID(user_id),)
        if _opt(query, "withPartners"):
            owner_ids += tuple(
                p for p in await partners.timeline_partner_ids(db, me) if p not in owner_ids
            )
    if partner_view:
        if is_trashed:
            return None  # a partner's trash is theirs alone
        visibility = visibility or "timeline"  # nor are their archived assets shared
    bbox = _opt(query, "bbox")
    timeline_filter = repo.TimelineFilter(
        owner_ids=owner_ids,
        album_id=uuid.UUID(album_id) if album_id is not None else None,
        visibility=visibility,
        is_favorite=is_favorite,
        is_trashed=is_trashed,
        with_stacked=bool(_opt(query, "withStacked")),
        order=_opt(query, "order") or "desc",
        order_by=_opt(query, "orderBy") or "takenAt",
        bbox=parse_bbox(bbox) if bbox is not None else None,
        tag_id=uuid.UUID(tag_id) if tag_id is not None else None,
    )
    if _opt(query, "personId") is not None:
        return None  # no faces are recognised yet: no asset shows this person
    return timeline_filter


async def _check_partner_timeline(
    db: Conn, me: uuid.UUID, user_id: uuid.UUID, visibility: str | None
) -> None:
    """Another user's timeline: theirs to read only if they share with the caller
    (``timeline.read``), never archived (``archive.read`` is the owner's) nor locked."""
    await require_partner_sharers(db, me, "timeline.read", [user_id])
    if visibility == "archive":
        raise _no_access("archive.read")
    if visibility == "locked":
        raise BadRequest("You may not access another user's locked timeline")


async def buckets(db: Conn, user: Any, query: Mapping[str, Any]) -> list[tuple[str, int]]:
    timeline_filter = await build_filter(db, user, query)
    if timeline_filter is None:
        return []
    return await repo.buckets(db, timeline_filter)


async def bucket_json(db: Conn, user: Any, query: Mapping[str, Any]) -> bytes:
    """One month's assets as Immich's columnar JSON (UTF-8)."""
    timeline_filter = await build_filter(db, user, query)
    start = parse_time_bucket(query["timeBucket"])
    with_coordinates = bool(_opt(query, "withCoordinates"))
    if timeline_filter is None or start is None:
        return empty_bucket(
            with_coordinates, bool(timeline_filter and timeline_filter.with_stacked)
        )
    return await repo.bucket_json(
        db, timeline_filter, start, user["id"], with_coordinates=with_coordinates
    )


def empty_bucket(with_coordinates: bool, with_stacked: bool) -> bytes:
    keys = list(repo.KEYS) + (list(repo.COORDINATE_KEYS) if with_coordinates else [])
    body: dict[str, list[Any]] = {key: [] for key in keys}
    if with_stacked:
        body["stack"] = []
    return json.dumps(body, separators=(",", ":")).encode()


def _opt(query: Mapping[str, Any], name: str) -> Any:
    """A parameter's value (an enum's as its string), ``None`` when the client left it out."""
    value = query.get(name)
    return value.value if isinstance(value, enum.Enum) else value
