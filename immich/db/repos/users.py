"""SQL for the ``user`` and ``user_metadata`` tables."""

from __future__ import annotations

import functools
import operator
import uuid
from collections.abc import Mapping
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Asset, User, UserMetadata

# Columns a caller may set through create/update (all others are managed here).
WRITABLE = frozenset(
    {
        "email",
        "password",
        "name",
        "isAdmin",
        "avatarColor",
        "profileImagePath",
        "profileChangedAt",
        "shouldChangePassword",
        "storageLabel",
        "oauthId",
        "pinCode",
        "quotaSizeInBytes",
        "quotaUsageInBytes",
        "status",
        "deletedAt",
    }
)


def _check(values: Mapping[str, Any]) -> None:
    bad = set(values) - WRITABLE
    if bad:
        raise ValueError(f"not a writable user column: {sorted(bad)}")


def _alive(with_deleted: bool) -> Any:
    return None if with_deleted else User.deleted_at.is_null()


def _where(*conditions: Any) -> Any:
    """``a & b & ...`` of the conditions that are not None (None when there are none)."""
    present = [c for c in conditions if c is not None]
    return functools.reduce(operator.and_, present) if present else None


def _select(*conditions: Any) -> Any:
    query = User.select()
    where = _where(*conditions)
    return query if where is None else query.where(where)


_GET = q.template(lambda user_id: _select(User.id == user_id, User.deleted_at.is_null()))
_GET_ANY = q.template(lambda user_id: _select(User.id == user_id))


async def get(db: Conn, user_id: uuid.UUID | str, *, with_deleted: bool = False) -> Row | None:
    return await q.fetchrow(db, (_GET_ANY if with_deleted else _GET)(uuid.UUID(str(user_id))))


async def get_by_email(db: Conn, email: str, *, with_deleted: bool = False) -> Row | None:
    # lower() on both sides: the unique index is on lower("email")
    same = WhereRaw('lower("email") = lower({})', email)
    return await q.fetchrow(db, _select(same, _alive(with_deleted)))


async def get_by_storage_label(db: Conn, label: str) -> Row | None:
    return await q.fetchrow(db, _select(User.storage_label == label))


async def get_admin(db: Conn) -> Row | None:
    query = _select(User.is_admin.eq(True), User.deleted_at.is_null())
    return await q.fetchrow(db, query.order_by(User.created_at).limit(1))


async def has_admin(db: Conn) -> bool:
    return bool(await q.fetchval(db, User.exists().where(User.is_admin.eq(True))))


async def list_users(
    db: Conn, *, with_deleted: bool = False, user_id: str | None = None, newest_first: bool = False
) -> list[Row]:
    only = None if user_id is None else User.id == uuid.UUID(user_id)
    query = _select(_alive(with_deleted), only).order_by(
        User.created_at, ascending=not newest_first
    )
    return await q.fetch(db, query)


async def create(db: Conn, values: Mapping[str, Any]) -> Row:
    _check(values)
    query = User.insert(q.new_row(User, values)).returning(*User.all_columns())
    row = await q.fetchrow(db, query)
    assert row is not None
    return row


async def update(db: Conn, user_id: uuid.UUID | str, values: Mapping[str, Any]) -> Row | None:
    _check(values)
    if not values:
        return await get(db, user_id, with_deleted=True)
    sets = {**q.by_column_name(User, values), User.updated_at: q.NOW}
    query = (
        User.update(sets).where(User.id == uuid.UUID(str(user_id))).returning(*User.all_columns())
    )
    return await q.fetchrow(db, query)


async def delete_hard(db: Conn, user_id: uuid.UUID | str) -> None:
    await q.execute(db, User.delete().where(User.id == uuid.UUID(str(user_id))))


async def restore(db: Conn, user_id: uuid.UUID | str) -> Row | None:
    """Undo a soft delete: active again, no deletion date."""
    sets: dict[Column | str, Any] = {
        User.status: "active",
        User.deleted_at: None,
        User.updated_at: q.NOW,
    }
    query = (
        User.update(sets).where(User.id == uuid.UUID(str(user_id))).returning(*User.all_columns())
    )
    return await q.fetchrow(db, query)


async def deleted_before(db: Conn, days: int) -> list[Row]:
    """Soft-deleted users to remove: delete delay passed, or force-deleted ("removing")."""
    due = WhereRaw('"deletedAt" <= now() - make_interval(days => {})', days)
    query = _select(User.deleted_at.is_not_null(), due | (User.status == "removing"))
    return await q.fetch(db, query)


# compiled once: read on every GET /users/me (the license) and preferences call
_GET_METADATA = q.template(
    lambda user_id: UserMetadata.select(UserMetadata.key, UserMetadata.value).where(
        UserMetadata.user_id == user_id
    )
)


async def get_metadata(db: Conn, user_id: uuid.UUID | str) -> dict[str, Any]:
    query = _GET_METADATA(uuid.UUID(str(user_id)))
    return {r["key"]: r["value"] for r in await q.fetch(db, query)}


async def set_metadata(db: Conn, user_id: uuid.UUID | str, key: str, value: Any) -> None:
    # raw SQL: a jsonb value (the pool's codec encodes it; piccolo would encode it twice)
    await db.execute(
        'INSERT INTO "user_metadata" ("userId", "key", "value") VALUES ($1, $2, $3) '
        'ON CONFLICT ("userId", "key") DO UPDATE SET "value" = EXCLUDED."value"',
        uuid.UUID(str(user_id)),
        key,
        value,
    )


async def delete_metadata(db: Conn, user_id: uuid.UUID | str, key: str) -> None:
    query = UserMetadata.delete().where(
        (UserMetadata.user_id == uuid.UUID(str(user_id))) & (UserMetadata.key == key)
    )
    await q.execute(db, query)


async def get_licenses(db: Conn, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """The stored license of each of these users that has one."""
    query = UserMetadata.select(UserMetadata.user_id, UserMetadata.value).where(
        (UserMetadata.key == "license") & (UserMetadata.user_id == q.any_of(user_ids, "uuid"))
    )
    return {r["userId"]: r["value"] for r in await q.fetch(db, query)}


async def asset_statistics(
    db: Conn,
    user_id: uuid.UUID | str,
    *,
    is_favorite: bool | None = None,
    is_trashed: bool | None = None,
    visibility: str | None = None,
) -> dict[str, int]:
    """Counts of a user's assets by type (IMAGE, VIDEO, AUDIO, OTHER); zeros with no asset table."""
    counts = {"IMAGE": 0, "VIDEO": 0, "AUDIO": 0, "OTHER": 0}
    if await db.fetchval("SELECT to_regclass('public.asset')") is None:
        return counts
    trashed = Asset.deleted_at.is_not_null() if is_trashed else Asset.deleted_at.is_null()
    where = _where(
        Asset.owner_id == uuid.UUID(str(user_id)),
        trashed,
        (Asset.status != "deleted") if is_trashed else None,
        Asset.visibility.is_in(["archive", "timeline"])
        if visibility is None
        else Asset.visibility == visibility,
        None if is_favorite is None else Asset.is_favorite == is_favorite,
    )
    query = Asset.select(Asset.type, Count(alias="n")).where(where).group_by(Asset.type)
    rows = await q.fetch(db, query)
    for row in rows:
        counts[row["type"]] = int(row["n"])
    return counts
