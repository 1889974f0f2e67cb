"""SQL of asset search: one filter record, composed filter by filter (Immich's
``searchAssetBuilderLegacy``), and the queries that use it (a page, a count, random, largest),
plus the suggestion lists and the city/recent picks of Explore.

Every filter is a piccolo expression on ``asset`` or ``asset_exif``; the statements are raw
only around them, for the ``LEFT JOIN asset_exif`` piccolo cannot say (it joins only along a
foreign key held by the table selected from) and ``f_unaccent(...) ILIKE`` (migration 0012).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.repos import tags as tags_repo
from immich.db.tables import AlbumAsset, Asset, AssetExif, AssetFile

# asset_exif columns that filter by equality (``None``: IS NULL), keyed by the database name
EXIF_EQUALS: dict[str, Column] = {
    "city": AssetExif.city,
    "state": AssetExif.state,
    "country": AssetExif.country,
    "make": AssetExif.make,
    "model": AssetExif.model,
    "lensModel": AssetExif.lens_model,
    "rating": AssetExif.rating,
}

_FROM = (
    'SELECT "asset".* FROM "asset" '
    'LEFT JOIN "asset_exif" ON "asset_exif"."assetId" = "asset"."id" WHERE {} '
)


@attrs.frozen
class AssetSearch:
    """Which assets a search answers (``None``: no filter on that field).

    ``visibility``: one visibility, ``"not-locked"`` (all but locked) or None (all);
    ``exif``: ``{column: value}`` of ``EXIF_EQUALS`` (a None value matches a missing one);
    ``tag_ids``: assets carrying every given tag, directly or through a descendant (Immich's
    ``hasTags``); None (``tagIds: null``) assets with no tag at all; empty: no filter.
    ``partner_ids``: users sharing with the caller whose assets are searched too (only those
    a partner may open, whatever ``visibility``);
    ``person_ids`` / ``ocr``: no face or OCR tables yet, so a non-empty one matches nothing
    (as unknown ids do in Immich).
    """

    user_ids: tuple[uuid.UUID, ...] | None = None
    partner_ids: tuple[uuid.UUID, ...] = ()
    visibility: str | None = "not-locked"
    album_ids: tuple[uuid.UUID, ...] = ()
    person_ids: tuple[uuid.UUID, ...] = ()
    ocr: str | None = None
    tag_ids: tuple[uuid.UUID, ...] | None = ()
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    updated_after: dt.datetime | None = None
    updated_before: dt.datetime | None = None
    trashed_after: dt.datetime | None = None
    trashed_before: dt.datetime | None = None
    taken_after: dt.datetime | None = None
    taken_before: dt.datetime | None = None
    exif: Mapping[str, Any] = attrs.field(factory=dict)
    checksum: bytes | None = None
    id: uuid.UUID | None = None
    library_id: uuid.UUID | None = None
    encoded_video_path: str | None = None
    original_path: str | None = None
    original_file_name: str | None = None
    description: str | None = None
    type: str | None = None
    is_favorite: bool | None = None
    is_offline: bool | None = None
    is_encoded: bool | None = None
    is_motion: bool | None = None
    is_not_in_album: bool = False
    with_stacked: bool | None = None
    with_deleted: bool = False


def _contains(column: str, value: str) -> WhereRaw:
    """Immich's accent- and case-blind substring match (``%`` and ``_`` stay wildcards)."""
    # raw SQL: piccolo's ilike cannot wrap both sides in a function
    return WhereRaw(f"f_unaccent({column}) ILIKE '%' || f_unaccent({{}}) || '%'", value)


def _files(file_type: str) -> Any:
    return AssetFile.select(AssetFile.asset_id).where(AssetFile.type == file_type)


def _shared(partner_ids: Iterable[uuid.UUID]) -> Any:
    """The partners' assets a partner may open (``repos/access.py``): not trashed, archived
    or locked."""
    return (
        (Asset.owner_id == q.any_of(list(partner_ids), "uuid"))
        & Asset.visibility.is_in(["timeline", "hidden"])
        & Asset.deleted_at.is_null()
    )


def where(f: AssetSearch) -> Any:
    """The filter as one piccolo expression over ``asset`` (and ``asset_exif``, left-joined)."""
    w: Any = Asset.status != "deleted"  # rows kept only until their files are gone
    if f.user_ids is not None and f.partner_ids:
        w &= (Asset.owner_id == q.any_of(f.user_ids, "uuid")) | _shared(f.partner_ids)
    elif f.user_ids is not None:
        w &= Asset.owner_id == q.any_of(f.user_ids, "uuid")
    if f.visibility == "not-locked":
        w &= Asset.visibility != "locked"
    elif f.visibility is not None:
        w &= Asset.visibility == f.visibility
    for album_id in f.album_ids:  # in every asked album
        w &= Asset.id.is_in(
            AlbumAsset.select(AlbumAsset.asset_id).where(AlbumAsset.album_id == album_id)
        )
    if f.tag_ids is None:
        w &= tags_repo.has_no_tags()
    elif f.tag_ids:
        w &= tags_repo.has_tags(f.tag_ids)
    if f.person_ids or f.ocr:
        w &= WhereRaw("FALSE")  # no faces or OCR text yet: no asset has the asked ones
    for value, test in (
        (f.created_after, lambda v: Asset.created_at >= v),
        (f.created_before, lambda v: Asset.created_at <= v),
        (f.updated_after, lambda v: Asset.updated_at >= v),
        (f.updated_before, lambda v: Asset.updated_at <= v),
        (f.trashed_after, lambda v: Asset.deleted_at >= v),
        (f.trashed_before, lambda v: Asset.deleted_at <= v),
        (f.taken_after, lambda v: Asset.file_created_at >= v),
        (f.taken_before, lambda v: Asset.file_created_at <= v),
        (f.checksum, lambda v: Asset.checksum == v),
        (f.id, lambda v: Asset.id == v),
        (f.library_id, lambda v: Asset.library_id == v),
        (f.type, lambda v: Asset.type == v),
        (f.is_favorite, lambda v: Asset.is_favorite == v),
        (f.is_offline, lambda v: Asset.is_offline == v),
    ):
        if value is not None:
            w &= test(value)  # type: ignore[no-untyped-call]
    if f.exif or f.description:
        w &= AssetExif.asset_id.is_not_null()  # Immich joins asset_exif inner
    for name, value in f.exif.items():
        column = EXIF_EQUALS[name]
        w &= column.is_null() if value is None else column == value
    if f.description:
        w &= _contains('"asset_exif"."description"', f.description)
    if f.original_path:
        w &= _contains('"asset"."originalPath"', f.original_path)
    if f.original_file_name:
        w &= _contains('"asset"."originalFileName"', f.original_file_name)
    if f.encoded_video_path:
        w &= Asset.id.is_in(
            _files("encoded_video").where(
                (AssetFile.path == f.encoded_video_path) & (AssetFile.is_edited == False)  # noqa: E712
            )
        )
    if f.is_encoded is not None:
        encoded = _files("encoded_video")
        w &= Asset.id.is_in(encoded) if f.is_encoded else Asset.id.not_in(encoded)
    if f.is_motion is not None:
        w &= (
            Asset.live_photo_video_id.is_not_null()
            if f.is_motion
            else Asset.live_photo_video_id.is_null()
        )
    if f.is_not_in_album and not f.album_ids:
        w &= Asset.id.not_in(AlbumAsset.select(AlbumAsset.asset_id))
    if f.with_stacked is False:
        w &= Asset.stack_id.is_null()
    if not (f.with_deleted or f.trashed_after or f.trashed_before or f.is_offline):
        w &= Asset.deleted_at.is_null()
    return w


async def page(db: Conn, f: AssetSearch, *, size: int, offset: int, order: str) -> list[Row]:
    """Up to ``size`` + 1 assets from ``offset``, by date taken (then id), ``asc``/``desc``:
    the extra row tells that a next page exists."""
    direction = "ASC" if order == "asc" else "DESC"
    text = (
        _FROM + f'ORDER BY "asset"."fileCreatedAt" {direction}, "asset"."id" {direction} '
        "LIMIT {} OFFSET {}"
    )
    return await q.fetch(db, q.raw(text, where(f), size + 1, offset))


async def count(db: Conn, f: AssetSearch) -> int:
    text = 'SELECT count(*) FROM "asset" LEFT JOIN "asset_exif" ON "asset_exif"."assetId" = "asset"."id" WHERE {}'
    return int(await q.fetchval(db, q.raw(text, where(f))))


async def random(db: Conn, f: AssetSearch, size: int) -> list[Row]:
    return await q.fetch(db, q.raw(_FROM + "ORDER BY random() LIMIT {}", where(f), size))


async def largest(
    db: Conn, f: AssetSearch, size: int, min_file_size: int, order: str = "desc"
) -> list[Row]:
    """The largest files (``asset_exif.fileSizeInByte`` above ``min_file_size``)."""
    direction = "ASC" if order == "asc" else "DESC"
    w = where(f) & (AssetExif.file_size_in_byte > min_file_size)
    text = _FROM + f'ORDER BY "asset_exif"."fileSizeInByte" {direction} LIMIT {{}}'
    return await q.fetch(db, q.raw(text, w, size))


async def exif_of(db: Conn, asset_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Row]:
    """The ``asset_exif`` rows of these assets, by asset id."""
    query = AssetExif.select().where(AssetExif.asset_id == q.any_of(list(asset_ids), "uuid"))
    return {row["assetId"]: row for row in await q.fetch(db, query)}


def _visible(user_ids: Iterable[uuid.UUID]) -> Any:
    """Immich's suggestion and city scope: the users' timeline assets, not trashed."""
    return (
        (Asset.owner_id == q.any_of(list(user_ids), "uuid"))
        & (Asset.visibility == "timeline")
        & Asset.deleted_at.is_null()
    )


async def suggestions(
    db: Conn, user_ids: Iterable[uuid.UUID], column: str, narrow: Mapping[str, str]
) -> list[str]:
    """The distinct non-empty values of an ``asset_exif`` column over the users' timeline
    assets whose other columns equal ``narrow``, sorted.

    A skip scan: each step takes the next value above the last one from the column's index
    (migration 0012) and stops at its first matching asset, so the cost grows with the number
    of distinct values, not of assets (Immich's DISTINCT reads every row of the user's).
    """
    if column not in EXIF_EQUALS:
        raise ValueError(f"not a suggestion column: {column}")
    w = _visible(user_ids)
    for name, value in narrow.items():
        w &= EXIF_EQUALS[name] == value
    col = f'"asset_exif"."{column}"'
    step = (
        f'SELECT {col} FROM "asset_exif" JOIN "asset" ON "asset"."id" = "asset_exif"."assetId" '
        f"WHERE {col} > {{}} AND {{}} ORDER BY {col} LIMIT 1"
    )
    # raw SQL: a recursive CTE (piccolo has no words for it); the filters are piccolo's
    text = (
        f"WITH RECURSIVE r(v) AS (({step}) UNION ALL "
        f"SELECT ({step.replace('{} AND', 'r.v AND', 1)}) FROM r WHERE r.v IS NOT NULL) "
        "SELECT v FROM r WHERE v IS NOT NULL"
    )
    return [row["v"] for row in await q.fetch(db, q.raw(text, "", w, w))]


async def one_per_city(db: Conn, user_ids: Iterable[uuid.UUID]) -> list[Row]:
    """One image of each city (the first by id), cities in order: asset rows with ``city``."""
    w = _visible(user_ids) & (Asset.type == "IMAGE") & AssetExif.city.is_not_null()
    # raw SQL: DISTINCT ON (piccolo's distinct has no ON list with a join)
    text = (
        'SELECT DISTINCT ON ("asset_exif"."city") "asset".*, "asset_exif"."city" AS "city" '
        'FROM "asset" JOIN "asset_exif" ON "asset_exif"."assetId" = "asset"."id" '
        'WHERE {} ORDER BY "asset_exif"."city", "asset"."id"'
    )
    return await q.fetch(db, q.raw(text, w))


async def explore_cities(
    db: Conn, user_id: uuid.UUID, max_fields: int, min_assets: int
) -> list[Row]:
    """Immich's ``getAssetIdByCity``: the first ``max_fields`` cities (by name) where the user
    has a timeline image, each with one of them, among the cities with at least ``min_assets``
    assets. As Immich, that count is over every ``asset_exif`` row (every user's assets, of
    any kind or state): a single photo of a city many others photographed shows; what is
    shown is always the user's own image (never a partner's)."""
    w = _visible([user_id]) & (Asset.type == "IMAGE") & AssetExif.city.is_not_null()
    # raw SQL: a grouped count over all rows, joined back to one of the user's assets per city
    text = (
        'WITH cities AS (SELECT "city" FROM "asset_exif" WHERE "city" IS NOT NULL '
        'GROUP BY 1 HAVING count("assetId") >= {}), '
        'c AS (SELECT "asset_exif"."city", min("asset"."id"::text) AS id '
        'FROM "asset" JOIN "asset_exif" ON "asset_exif"."assetId" = "asset"."id" '
        'WHERE {} AND "asset_exif"."city" IN (SELECT "city" FROM cities) '
        "GROUP BY 1 ORDER BY 1 LIMIT {}) "
        'SELECT "asset".*, c."city" AS "city" FROM c JOIN "asset" ON "asset"."id" = c.id::uuid '
        'ORDER BY c."city"'
    )
    return await q.fetch(db, q.raw(text, min_assets, w, max_fields))


async def recently_created(db: Conn, user_id: uuid.UUID, limit: int) -> list[Row]:
    """The user's newest uploads (timeline images, not trashed)."""
    query = (
        Asset.select()
        .where(_visible([user_id]) & (Asset.type == "IMAGE"))
        .order_by(Asset.created_at, ascending=False)
        .limit(limit)
    )
    return await q.fetch(db, query)
