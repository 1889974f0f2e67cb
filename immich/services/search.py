"""Search rules (Immich's SearchService): whose assets a search sees, and the answers' rows.

As Immich: a search sees the caller's own assets and those of the partners they show in their
timeline (``inTimeline``; never a partner's locked ones, and beyond Immich, nor their archived
or trashed ones: only what a partner may open). The metadata search's ``albumIds`` widens that
to the assets of albums the caller may read (``album.read`` on every one, else 400); the
statistics, random and large-asset searches only narrow the caller's own (and partners')
assets to those in the albums, whoever's albums they are (no access check: another user's album
finds nothing). Locked assets only in an elevated session (asking for ``visibility: locked``
without one is a 401), and then only the caller's own. Pages are numbered from 1; ``nextPage``
is the next number while more rows follow.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

import attrs

from immich.context import AppContext
from immich.db.repos import Conn, Row
from immich.db.repos import albums as albums_repo
from immich.db.repos import search as repo
from immich.db.repos.search import AssetSearch as AssetSearch  # the filter record, for callers
from immich.places import PlaceMatch
from immich.services import access, partners
from immich.services.access import is_elevated, no_access, require_elevated
from immich.services.auth import AuthContext

DEFAULT_PAGE_SIZE = 250
EXPLORE_MAX_FIELDS = 12
EXPLORE_MIN_ASSETS = 5

# suggestion type -> (asset_exif column, the other choices that narrow it)
SUGGESTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "country": ("country", ()),
    "state": ("state", ("country",)),
    "city": ("city", ("country", "state")),
    "camera-make": ("make", ("model", "lensModel")),
    "camera-model": ("model", ("make", "lensModel")),
    "camera-lens-model": ("lensModel", ("make", "model")),
}


@attrs.frozen
class Found:
    """Assets of an answer, in order, with their EXIF rows when asked for."""

    assets: list[Row]
    exif: dict[uuid.UUID, Row] | None = None
    next_page: str | None = None


def checksum_bytes(value: str) -> bytes:
    """Immich reads a 28-character checksum as base64, any other as hex; text that is
    neither matches no asset (an empty checksum)."""
    try:
        if len(value) == 28:
            return base64.b64decode(value, validate=True)
        return bytes.fromhex(value)
    except (ValueError, binascii.Error):
        return b""


async def scope(
    db: Conn,
    auth: AuthContext,
    filters: AssetSearch,
    album_ids: Iterable[str] = (),
    *,
    albums_widen: bool = False,
) -> AssetSearch:
    """``filters`` narrowed to what the caller may see (Immich's ``getUserIdsToSearch`` and
    visibility defaults; ``visibility`` None is "not given"). ``albums_widen``: the metadata
    search's ``albumIds``, which answer the albums' assets, whoever owns them."""
    visibility = filters.visibility
    if visibility == "locked":
        require_elevated(auth)
    albums = tuple(dict.fromkeys(uuid.UUID(a) for a in album_ids))
    widened = bool(albums) and albums_widen
    user_ids: tuple[uuid.UUID, ...] | None = (auth.user_id,)
    if albums_widen:
        access.require_shared_link_search(auth, albums)
        await access.check_shared_link_albums(db, auth, "album.read", albums)
    if widened:
        readable = await albums_repo.ids_with_role(
            db, auth.user_id, albums, ("owner", "editor", "viewer")
        )
        if readable != set(albums):
            raise no_access("album.read")
        user_ids = None
    partner_ids: tuple[uuid.UUID, ...] = ()
    if visibility == "locked":
        user_ids = (auth.user_id,)  # locked assets are personal, whatever album holds them
    elif visibility is None and (widened or not is_elevated(auth)):
        visibility = "not-locked"
    if visibility != "locked" and not widened:
        partner_ids = await _partners(db, auth)
    return attrs.evolve(
        filters,
        user_ids=user_ids,
        partner_ids=partner_ids,
        visibility=visibility,
        album_ids=albums,
    )


async def _partners(db: Conn, auth: AuthContext) -> tuple[uuid.UUID, ...]:
    """The users sharing with the caller that the caller shows in their timeline: searched too
    (Immich's ``getUserIdsToSearch``)."""
    return tuple(
        p for p in await partners.timeline_partner_ids(db, auth.user_id) if p != auth.user_id
    )


async def _exif(db: Conn, rows: list[Row]) -> dict[uuid.UUID, Row]:
    return await repo.exif_of(db, [r["id"] for r in rows]) if rows else {}


async def _with_exif(db: Conn, rows: list[Row], with_exif: bool) -> dict[uuid.UUID, Row] | None:
    return await _exif(db, rows) if with_exif else None


async def search_metadata(
    db: Conn,
    filters: AssetSearch,
    *,
    page: int,
    size: int | None,
    order: str,
    with_exif: bool,
) -> Found:
    size = size or DEFAULT_PAGE_SIZE
    rows = await repo.page(db, filters, size=size, offset=(page - 1) * size, order=order)
    more = len(rows) > size
    rows = rows[:size]
    return Found(rows, await _with_exif(db, rows, with_exif), str(page + 1) if more else None)


async def statistics(db: Conn, filters: AssetSearch) -> int:
    return await repo.count(db, filters)


async def random(db: Conn, filters: AssetSearch, size: int | None, with_exif: bool) -> Found:
    rows = await repo.random(db, filters, size or DEFAULT_PAGE_SIZE)
    return Found(rows, await _with_exif(db, rows, with_exif))


async def large_assets(
    db: Conn, filters: AssetSearch, size: int | None, min_file_size: int | None, with_exif: bool
) -> Found:
    rows = await repo.largest(db, filters, size or DEFAULT_PAGE_SIZE, min_file_size or 0)
    return Found(rows, await _with_exif(db, rows, with_exif))


async def suggestions(
    db: Conn, auth: AuthContext, kind: str, choices: Mapping[str, str | None], include_null: bool
) -> list[str | None]:
    """Values of one EXIF field among the caller's timeline assets, narrowed by the other
    choices the client made (empty ones ignored); ``None`` appended when asked."""
    column, narrowing = SUGGESTIONS[kind]
    narrow = {name: value for name in narrowing if (value := choices.get(name))}
    users = [auth.user_id, *await _partners(db, auth)]
    found: list[str | None] = list(await repo.suggestions(db, users, column, narrow))
    if include_null:
        found.append(None)
    return found


async def places(ctx: AppContext, name: str) -> list[PlaceMatch]:
    """Places named like ``name`` from the plugin that provides place data (``search_places``);
    none without one."""
    found = ctx.hook.search_places(ctx=ctx, name=name)
    return list(await found) if found is not None else []


async def assets_by_city(db: Conn, auth: AuthContext) -> Found:
    rows = await repo.one_per_city(db, [auth.user_id, *await _partners(db, auth)])
    return Found(rows, await _exif(db, rows))


async def explore(db: Conn, auth: AuthContext) -> list[tuple[str, list[str], Found]]:
    """Immich's Explore fields: ``exifInfo.city`` (a picture of each well-covered city) and
    ``createdAt`` (the newest uploads), as (field name, values, their assets)."""
    cities = await repo.explore_cities(db, auth.user_id, EXPLORE_MAX_FIELDS, EXPLORE_MIN_ASSETS)
    recent = await repo.recently_created(db, auth.user_id, EXPLORE_MAX_FIELDS)
    return [
        ("exifInfo.city", [r["city"] for r in cities], Found(cities, await _exif(db, cities))),
        (
            "createdAt",
            [_iso(r["createdAt"]) for r in recent],
            Found(recent, await _exif(db, recent)),
        ),
    ]


def _iso(value: dt.datetime) -> str:
    """JavaScript's ``toISOString()``: UTC, milliseconds, ``Z``."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
