"""SQL of ``partner`` (Immich's PartnerRepository): who shares their library with whom.

A partnership whose sharer or receiver is soft-deleted (``user.deletedAt``) is out of every
answer here and grants nothing (``repos/access.py``), as in Immich; it comes back with the user.
"""

from __future__ import annotations

import uuid
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Partner, User


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _live_users() -> Any:
    """Both ends are users not soft-deleted."""
    live = User.select(User.id).where(User.deleted_at.is_null())
    return Partner.shared_by_id.is_in(live) & Partner.shared_with_id.is_in(live)


def _key(shared_by_id: uuid.UUID | str, shared_with_id: uuid.UUID | str) -> Any:
    return (Partner.shared_by_id == _uuid(shared_by_id)) & (
        Partner.shared_with_id == _uuid(shared_with_id)
    )


async def get(
    db: Conn, shared_by_id: uuid.UUID | str, shared_with_id: uuid.UUID | str
) -> Row | None:
    """The partnership of these two users, in this direction (both users live)."""
    query = Partner.select().where(_key(shared_by_id, shared_with_id) & _live_users())
    return await q.fetchrow(db, query)


async def list_for_user(db: Conn, user_id: uuid.UUID | str) -> list[Row]:
    """The partnerships the user is either end of, oldest first."""
    me = _uuid(user_id)
    query = (
        Partner.select()
        .where(((Partner.shared_by_id == me) | (Partner.shared_with_id == me)) & _live_users())
        .order_by(Partner.created_at)
    )
    return await q.fetch(db, query)


async def create(db: Conn, shared_by_id: uuid.UUID | str, shared_with_id: uuid.UUID | str) -> Row:
    values = {"sharedById": _uuid(shared_by_id), "sharedWithId": _uuid(shared_with_id)}
    row = await q.fetchrow(
        db, Partner.insert(q.new_row(Partner, values)).returning(*Partner.all_columns())
    )
    assert row is not None
    return row


async def update_in_timeline(
    db: Conn, shared_by_id: uuid.UUID | str, shared_with_id: uuid.UUID | str, in_timeline: bool
) -> Row | None:
    query = (
        Partner.update({Partner.in_timeline: in_timeline})
        .where(_key(shared_by_id, shared_with_id))
        .returning(*Partner.all_columns())
    )
    return await q.fetchrow(db, query)


async def remove(db: Conn, shared_by_id: uuid.UUID | str, shared_with_id: uuid.UUID | str) -> None:
    await q.execute(db, Partner.delete().where(_key(shared_by_id, shared_with_id)))


def _sharers(in_timeline_only: bool) -> Any:
    def build(me: Any) -> Any:
        where = (Partner.shared_with_id == me) & _live_users()
        if in_timeline_only:
            where &= Partner.in_timeline == True  # noqa: E712
        return Partner.select(Partner.shared_by_id).where(where).order_by(Partner.created_at)

    return q.template(build)


# Compiled once: the timeline asks on every call with ``withPartners`` (the web's default).
_SHARERS = {False: _sharers(False), True: _sharers(True)}


async def sharer_ids(
    db: Conn, shared_with_id: uuid.UUID | str, *, in_timeline_only: bool = False
) -> list[uuid.UUID]:
    """The users who share with ``shared_with_id`` (Immich's ``getMyPartnerIds``); with
    ``in_timeline_only``, only those the receiver shows in their timeline."""
    query = _SHARERS[in_timeline_only](_uuid(shared_with_id))
    return [r["sharedById"] for r in await q.fetch(db, query)]


async def users_by_id(db: Conn, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Row]:
    """The rows of these users (soft-deleted ones too), by id."""
    if not user_ids:
        return {}
    query = User.select().where(User.id == q.any_of(user_ids, "uuid"))
    return {row["id"]: row for row in await q.fetch(db, query)}
