"""SQL of ``notification``: a user's in-app messages, read or not, soft-deleted.

Deleted notifications keep their row (``deletedAt`` set) until ``cleanup`` removes them; every
read and change here sees only live ones.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Notification

# What an answer shows (Immich's ``columns.notification``), plus the owner for the service.
_COLUMNS = (
    Notification.id,
    Notification.created_at,
    Notification.level,
    Notification.type,
    Notification.title,
    Notification.description,
    Notification.data,
    Notification.read_at,
    Notification.user_id,
)
_RETURNING = ", ".join(f'"{c._meta.db_column_name}"' for c in _COLUMNS)
_LIVE = Notification.deleted_at.is_null()


def _uuids(values: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    return [v if isinstance(v, uuid.UUID) else uuid.UUID(str(v)) for v in values]


async def create(
    db: Conn,
    user_id: uuid.UUID | str,
    *,
    level: str,
    type: str,  # noqa: A002 - Immich's column
    title: str,
    description: str | None = None,
    data: dict[str, Any] | None = None,
    read_at: dt.datetime | None = None,
) -> Row:
    # raw SQL: "data" is jsonb, which piccolo would encode once more than the pool's codec
    row: Row | None = await db.fetchrow(
        'INSERT INTO "notification" ("userId", "level", "type", "title", "description", '
        f'"data", "readAt") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {_RETURNING}',
        _uuids([user_id])[0],
        level,
        type,
        title,
        description,
        data,
        read_at,
    )
    assert row is not None
    return row


async def search(
    db: Conn,
    user_id: uuid.UUID,
    *,
    notification_id: uuid.UUID | None = None,
    level: str | None = None,
    type: str | None = None,  # noqa: A002 - Immich's filter
    unread: bool = False,
) -> list[Row]:
    """The user's live notifications, newest first, narrowed by whichever filters are given."""
    where: Any = (Notification.user_id == user_id) & _LIVE
    if notification_id is not None:
        where &= Notification.id == notification_id
    if level is not None:
        where &= Notification.level == level
    if type is not None:
        where &= Notification.type == type
    if unread:
        where &= Notification.read_at.is_null()
    query = (
        Notification.select(*_COLUMNS)
        .where(where)
        .order_by(Notification.created_at, ascending=False)
        .order_by(Notification.id, ascending=False)
    )
    return await q.fetch(db, query)


async def owned_ids(db: Conn, user_id: uuid.UUID, ids: Iterable[uuid.UUID | str]) -> set[uuid.UUID]:
    """Those of ``ids`` that are the user's (deleted or not: Immich's access check)."""
    query = Notification.select(Notification.id).where(
        (Notification.id == q.any_of(_uuids(ids), "uuid")) & (Notification.user_id == user_id)
    )
    return {r["id"] for r in await q.fetch(db, query)}


async def get(db: Conn, notification_id: uuid.UUID | str) -> Row | None:
    query = Notification.select(*_COLUMNS).where(
        (Notification.id == _uuids([notification_id])[0]) & _LIVE
    )
    return await q.fetchrow(db, query)


async def set_read(
    db: Conn, ids: Iterable[uuid.UUID | str], read_at: dt.datetime | None
) -> list[Row]:
    """Set (or clear, with None) ``readAt`` of the live ones of ``ids``; their new rows."""
    sets: dict[Column | str, Any] = {Notification.read_at: read_at}
    query = (
        Notification.update(sets)
        .where((Notification.id == q.any_of(_uuids(ids), "uuid")) & _LIVE)
        .returning(*_COLUMNS)
    )
    return await q.fetch(db, query)


async def delete(db: Conn, ids: Iterable[uuid.UUID | str]) -> int:
    """Soft-delete the live ones of ``ids`` (a second delete keeps the first date)."""
    sets: dict[Column | str, Any] = {Notification.deleted_at: q.NOW}
    query = Notification.update(sets).where(
        (Notification.id == q.any_of(_uuids(ids), "uuid")) & _LIVE
    )
    return q.affected(await q.execute(db, query))


async def cleanup(db: Conn) -> int:
    """Remove for good: deleted more than 3 days ago, read more than 2 days ago and older than
    15 days, unread and older than 30 days (Immich's ``cleanup``, as its comments mean it:
    its query keeps only the recently read and never matches the unread). How many went."""
    deleted = WhereRaw("\"deletedAt\" < now() - interval '3 days'")
    read = WhereRaw(
        "\"readAt\" < now() - interval '2 days' AND \"createdAt\" < now() - interval '15 days'"
    )
    unread = WhereRaw('"readAt" IS NULL AND "createdAt" < now() - interval \'30 days\'')
    return q.affected(await q.execute(db, Notification.delete().where(deleted | read | unread)))
