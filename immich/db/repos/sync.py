"""SQL of the sync stream (Immich's sync.repository): the rows each sync type sends, in change-id
order, read through a server-side cursor so a library of any size streams in constant memory.

Every query answers ``"_id"`` (the row's change id, or the audit row's id for a delete: the ack
the client sends back) and ``"data"``: the line's data as JSON text, made by PostgreSQL
(``row_to_json``, timestamps in Immich's form, bytes as base64): encoding every row in Python
cost several times the read. Windows follow Immich: ``checkpoint < id < now`` for changes and
deletes, ``after < id <= before`` (and ``< now``) for a backfill. The queries are hand-written
SQL: they join and union across tables by change id, build JSON, and run through ``stream``
(an asyncpg cursor), none of which piccolo's builder can say. The album and partner queries are
in ``sync_shared``.
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


def ordered(s: Sql, data: str, source: str, where: str, column: str, w: Window) -> Compiled:
    """``column`` as ``"_id"`` and the JSON object of the ``data`` columns, of ``source``'s
    rows matching ``where`` in the window ``w`` on ``column``, in ``column`` order."""
    cond = s.window(column, w)
    select = f'{column} AS "_id", (SELECT row_to_json(d)::text FROM (SELECT {data}) d) AS "data"'
    return s.done(f"SELECT {select} FROM {source} WHERE {where} AND {cond} ORDER BY {column}")


def at(column: str, name: str) -> str:
    """A timestamp in Immich's JSON form (UTC, milliseconds, Z)."""
    return f"to_char({column} AT TIME ZONE 'UTC', '{ISO}') AS \"{name}\""


ISO = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'


def b64(column: str, name: str) -> str:
    """Bytes as base64, as Immich sends checksums and thumbhashes (no line breaks)."""
    return f"translate(encode({column}, 'base64'), E'\\n', '') AS \"{name}\""


def millis(column: str, name: str) -> str:
    """A duration stored as ``"H:MM:SS.ffffff"`` (or plain milliseconds) as milliseconds."""
    number = r"'^[0-9]+(\.[0-9]+)?$'"
    clock = r"'^[0-9]+:[0-9]+:[0-9]+(\.[0-9]+)?$'"
    parts = [f"split_part({column}, ':', {i})::numeric" for i in (1, 2, 3)]
    seconds = f"{parts[0]} * 3600 + {parts[1]} * 60 + {parts[2]}"
    return (
        f"CASE WHEN {column} ~ {number} THEN round({column}::numeric)::bigint "
        f'WHEN {column} ~ {clock} THEN round(({seconds}) * 1000)::bigint END AS "{name}"'
    )


async def stream(
    conn: Connection[Any] | PoolConnectionProxy[Any], query: Compiled
) -> AsyncIterator[Row]:
    """The query's rows through a server-side cursor (``conn`` must be in a transaction)."""
    async for row in conn.cursor(query.text, *query.args, prefetch=PAGE):
        yield row


# --- column lists (Immich's sync columns) ------------------------------------------------------

USER = ", ".join(
    (
        'u."id", u."name", u."email", u."avatarColor"',
        at('u."deletedAt"', "deletedAt"),
        """u."profileImagePath" <> '' AS "hasProfileImage\"""",
        at('u."profileChangedAt"', "profileChangedAt"),
    )
)
AUTH_USER = (
    f'{USER}, u."isAdmin", u."pinCode", u."oauthId", u."storageLabel", '
    'u."quotaSizeInBytes", u."quotaUsageInBytes"'
)


def asset_columns(favorite: str) -> str:
    """SyncAssetV2's columns of ``a`` (the asset); ``favorite`` is the isFavorite expression
    (the owner's flag, or false where the caller does not own the asset)."""
    times = ("fileCreatedAt", "fileModifiedAt", "createdAt", "localDateTime")
    return ", ".join(
        (
            'a."id", a."ownerId", a."originalFileName"',
            b64('a."thumbhash"', "thumbhash"),
            b64('a."checksum"', "checksum"),
            *(at(f'a."{name}"', name) for name in times),
            'a."type"',
            at('a."deletedAt"', "deletedAt"),
            f'{favorite} AS "isFavorite", a."visibility"',
            millis('a."duration"', "duration"),
            'a."livePhotoVideoId", a."stackId", a."libraryId", a."width", a."height", a."isEdited"',
        )
    )


OWN_FAVORITE = 'a."isFavorite"'
EXIF = ", ".join(
    (
        'e."assetId", e."description", e."exifImageWidth", e."exifImageHeight"',
        'e."fileSizeInByte", e."orientation"',
        at('e."dateTimeOriginal"', "dateTimeOriginal"),
        at('e."modifyDate"', "modifyDate"),
        'e."timeZone", e."latitude", e."longitude", e."projectionType", e."city", e."state"',
        'e."country", e."make", e."model", e."lensModel", e."fNumber", e."focalLength"',
        'e."iso", e."exposureTime", e."profileDescription", e."rating", e."fps"',
    )
)
STACK = ", ".join(
    (
        'st."id"',
        at('st."createdAt"', "createdAt"),
        at('st."updatedAt"', "updatedAt"),
        'st."primaryAssetId", st."ownerId"',
    )
)
MEMORY = ", ".join(
    (
        'm."id"',
        *(at(f'm."{name}"', name) for name in ("createdAt", "updatedAt", "deletedAt")),
        'm."ownerId", m."type", m."data", m."isSaved"',
        *(at(f'm."{name}"', name) for name in ("memoryAt", "seenAt", "showAt", "hideAt")),
    )
)


# --- the caller's own rows ---------------------------------------------------------------------


def auth_user_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'u."id" = {s.p(w.user_id)}'
    return ordered(s, f"{AUTH_USER}", '"user" u', where, 'u."updateId"', w)


def user_deletes(w: Window) -> Compiled:
    s = Sql()
    return ordered(s, 'x."userId"', '"user_audit" x', "TRUE", 'x."id"', w)


def user_upserts(w: Window) -> Compiled:
    s = Sql()
    return ordered(s, f"{USER}", '"user" u', "TRUE", 'u."updateId"', w)


def asset_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."ownerId" = {s.p(w.user_id)}'
    return ordered(s, 'x."assetId"', '"asset_audit" x', where, 'x."id"', w)


def asset_upserts(w: Window) -> Compiled:
    s = Sql()
    data = asset_columns(OWN_FAVORITE)
    where = f'a."ownerId" = {s.p(w.user_id)}'
    return ordered(s, data, '"asset" a', where, 'a."updateId"', w)


def asset_exif_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'e."assetId" IN (SELECT "id" FROM "asset" WHERE "ownerId" = {s.p(w.user_id)})'
    return ordered(s, f"{EXIF}", '"asset_exif" e', where, 'e."updateId"', w)


def stack_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."userId" = {s.p(w.user_id)}'
    return ordered(s, 'x."stackId"', '"stack_audit" x', where, 'x."id"', w)


def stack_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'st."ownerId" = {s.p(w.user_id)}'
    return ordered(s, f"{STACK}", '"stack" st', where, 'st."updateId"', w)


def memory_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."userId" = {s.p(w.user_id)}'
    return ordered(s, 'x."memoryId"', '"memory_audit" x', where, 'x."id"', w)


def memory_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'm."ownerId" = {s.p(w.user_id)}'
    return ordered(s, f"{MEMORY}", '"memory" m', where, 'm."updateId"', w)


def memory_asset_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."memoryId" IN (SELECT "id" FROM "memory" WHERE "ownerId" = {s.p(w.user_id)})'
    data = 'x."memoryId", x."assetId"'
    return ordered(s, data, '"memory_asset_audit" x', where, 'x."id"', w)


def memory_asset_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'ma."memoriesId" IN (SELECT "id" FROM "memory" WHERE "ownerId" = {s.p(w.user_id)})'
    data = 'ma."memoriesId" AS "memoryId", ma."assetId"'
    return ordered(s, data, '"memory_asset" ma', where, 'ma."updateId"', w)


def user_metadata_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."userId" = {s.p(w.user_id)}'
    data = 'x."userId", x."key"'
    return ordered(s, data, '"user_metadata_audit" x', where, 'x."id"', w)


def user_metadata_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'um."userId" = {s.p(w.user_id)}'
    data = 'um."userId", um."key", um."value"'
    return ordered(s, data, '"user_metadata" um', where, 'um."updateId"', w)


def asset_metadata_deletes(w: Window) -> Compiled:
    s = Sql()
    source = '"asset_metadata_audit" x JOIN "asset" a ON a."id" = x."assetId"'
    where = f'a."ownerId" = {s.p(w.user_id)}'
    return ordered(s, 'x."assetId", x."key"', source, where, 'x."id"', w)


def asset_metadata_upserts(w: Window) -> Compiled:
    s = Sql()
    source = '"asset_metadata" md JOIN "asset" a ON a."id" = md."assetId"'
    where = f'a."ownerId" = {s.p(w.user_id)}'
    data = 'md."assetId", md."key", md."value"'
    return ordered(s, data, source, where, 'md."updateId"', w)
