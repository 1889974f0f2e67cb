"""SQL of the sync stream (Immich's sync.repository): the rows each sync type sends, in change-id
order, read through a server-side cursor so a library of any size streams in constant memory.

Every query answers ``"_id"`` first (the row's change id, or the audit row's id for a delete: the
ack the client sends back), then the columns of the line's ``data``. Windows follow Immich:
``checkpoint < id < now`` for changes and deletes, ``after < id <= before`` (and ``< now``) for a
backfill. The queries are hand-written SQL: they join and union across tables by change id,
and each is run through ``stream`` (an asyncpg cursor), which piccolo's builder cannot drive.
The album and partner queries are in ``sync_shared``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import attrs
from asyncpg import Connection
from asyncpg.pool import PoolConnectionProxy

from immich.db.repos import Row
from immich.db.repos._query import Compiled

PAGE = 500  # rows a cursor fetches per round trip


@attrs.frozen
class Window:
    """Which changes a query reads: the caller's, below ``now_id``, above the checkpoint
    ``after`` (None: from the start); a backfill also stops at ``before`` (inclusive)."""

    user_id: uuid.UUID
    now_id: uuid.UUID
    after: uuid.UUID | None = None
    before: uuid.UUID | None = None


class Sql:
    """A statement being written: ``p(value)`` binds a value and gives its ``$n``."""

    def __init__(self) -> None:
        self.args: list[Any] = []

    def p(self, value: Any, cast: str = "uuid") -> str:
        self.args.append(value)
        return f"${len(self.args)}::{cast}"

    def window(self, column: str, w: Window) -> str:
        """The conditions on ``column`` (a change id) for ``w``."""
        parts = [f"{column} < {self.p(w.now_id)}"]
        if w.after is not None:
            parts.append(f"{column} > {self.p(w.after)}")
        if w.before is not None:
            parts.append(f"{column} <= {self.p(w.before)}")
        return " AND ".join(parts)

    def done(self, text: str) -> Compiled:
        return Compiled(text, self.args)


def ordered(s: Sql, select: str, source: str, where: str, column: str, w: Window) -> Compiled:
    """``SELECT select FROM source WHERE where AND <window on column> ORDER BY column``."""
    cond = s.window(column, w)
    return s.done(f"SELECT {select} FROM {source} WHERE {where} AND {cond} ORDER BY {column}")


async def stream(
    conn: Connection[Any] | PoolConnectionProxy[Any], query: Compiled
) -> AsyncIterator[Row]:
    """The query's rows through a server-side cursor (``conn`` must be in a transaction)."""
    async for row in conn.cursor(query.text, *query.args, prefetch=PAGE):
        yield row


# --- column lists (Immich's sync columns) ------------------------------------------------------

USER = (
    'u."id", u."name", u."email", u."avatarColor", u."deletedAt", '
    'u."profileImagePath" <> \'\' AS "hasProfileImage", u."profileChangedAt"'
)
AUTH_USER = (
    f'{USER}, u."isAdmin", u."pinCode", u."oauthId", u."storageLabel", '
    'u."quotaSizeInBytes", u."quotaUsageInBytes"'
)


def asset_columns(favorite: str) -> str:
    """SyncAssetV2's columns of ``a`` (the asset); ``favorite`` is the isFavorite expression
    (the owner's flag, or false where the caller does not own the asset)."""
    return (
        'a."id", a."ownerId", a."originalFileName", a."thumbhash", a."checksum", '
        'a."fileCreatedAt", a."fileModifiedAt", a."createdAt", a."localDateTime", a."type", '
        f'a."deletedAt", {favorite} AS "isFavorite", a."visibility", a."duration", '
        'a."livePhotoVideoId", a."stackId", a."libraryId", a."width", a."height", a."isEdited"'
    )


OWN_FAVORITE = 'a."isFavorite"'
EXIF = (
    'e."assetId", e."description", e."exifImageWidth", e."exifImageHeight", e."fileSizeInByte", '
    'e."orientation", e."dateTimeOriginal", e."modifyDate", e."timeZone", e."latitude", '
    'e."longitude", e."projectionType", e."city", e."state", e."country", e."make", e."model", '
    'e."lensModel", e."fNumber", e."focalLength", e."iso", e."exposureTime", '
    'e."profileDescription", e."rating", e."fps"'
)
STACK = 'st."id", st."createdAt", st."updatedAt", st."primaryAssetId", st."ownerId"'
MEMORY = (
    'm."id", m."createdAt", m."updatedAt", m."deletedAt", m."ownerId", m."type", m."data", '
    'm."isSaved", m."memoryAt", m."seenAt", m."showAt", m."hideAt"'
)


# --- the caller's own rows ---------------------------------------------------------------------


def auth_user_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'u."id" = {s.p(w.user_id)}'
    return ordered(s, f'u."updateId" AS "_id", {AUTH_USER}', '"user" u', where, 'u."updateId"', w)


def user_deletes(w: Window) -> Compiled:
    s = Sql()
    return ordered(s, 'x."id" AS "_id", x."userId"', '"user_audit" x', "TRUE", 'x."id"', w)


def user_upserts(w: Window) -> Compiled:
    s = Sql()
    return ordered(s, f'u."updateId" AS "_id", {USER}', '"user" u', "TRUE", 'u."updateId"', w)


def asset_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."ownerId" = {s.p(w.user_id)}'
    return ordered(s, 'x."id" AS "_id", x."assetId"', '"asset_audit" x', where, 'x."id"', w)


def asset_upserts(w: Window) -> Compiled:
    s = Sql()
    select = f'a."updateId" AS "_id", {asset_columns(OWN_FAVORITE)}'
    where = f'a."ownerId" = {s.p(w.user_id)}'
    return ordered(s, select, '"asset" a', where, 'a."updateId"', w)


def asset_exif_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'e."assetId" IN (SELECT "id" FROM "asset" WHERE "ownerId" = {s.p(w.user_id)})'
    return ordered(s, f'e."updateId" AS "_id", {EXIF}', '"asset_exif" e', where, 'e."updateId"', w)


def stack_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."userId" = {s.p(w.user_id)}'
    return ordered(s, 'x."id" AS "_id", x."stackId"', '"stack_audit" x', where, 'x."id"', w)


def stack_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'st."ownerId" = {s.p(w.user_id)}'
    return ordered(s, f'st."updateId" AS "_id", {STACK}', '"stack" st', where, 'st."updateId"', w)


def memory_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."userId" = {s.p(w.user_id)}'
    return ordered(s, 'x."id" AS "_id", x."memoryId"', '"memory_audit" x', where, 'x."id"', w)


def memory_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'm."ownerId" = {s.p(w.user_id)}'
    return ordered(s, f'm."updateId" AS "_id", {MEMORY}', '"memory" m', where, 'm."updateId"', w)


def memory_asset_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."memoryId" IN (SELECT "id" FROM "memory" WHERE "ownerId" = {s.p(w.user_id)})'
    select = 'x."id" AS "_id", x."memoryId", x."assetId"'
    return ordered(s, select, '"memory_asset_audit" x', where, 'x."id"', w)


def memory_asset_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'ma."memoriesId" IN (SELECT "id" FROM "memory" WHERE "ownerId" = {s.p(w.user_id)})'
    select = 'ma."updateId" AS "_id", ma."memoriesId" AS "memoryId", ma."assetId"'
    return ordered(s, select, '"memory_asset" ma', where, 'ma."updateId"', w)


def user_metadata_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."userId" = {s.p(w.user_id)}'
    select = 'x."id" AS "_id", x."userId", x."key"'
    return ordered(s, select, '"user_metadata_audit" x', where, 'x."id"', w)


def user_metadata_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'um."userId" = {s.p(w.user_id)}'
    select = 'um."updateId" AS "_id", um."userId", um."key", um."value"'
    return ordered(s, select, '"user_metadata" um', where, 'um."updateId"', w)


def asset_metadata_deletes(w: Window) -> Compiled:
    s = Sql()
    source = '"asset_metadata_audit" x JOIN "asset" a ON a."id" = x."assetId"'
    where = f'a."ownerId" = {s.p(w.user_id)}'
    return ordered(s, 'x."id" AS "_id", x."assetId", x."key"', source, where, 'x."id"', w)


def asset_metadata_upserts(w: Window) -> Compiled:
    s = Sql()
    source = '"asset_metadata" md JOIN "asset" a ON a."id" = md."assetId"'
    where = f'a."ownerId" = {s.p(w.user_id)}'
    select = 'md."updateId" AS "_id", md."assetId", md."key", md."value"'
    return ordered(s, select, source, where, 'md."updateId"', w)
