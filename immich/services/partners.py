"""Partners (Immich's PartnerService): a user shares their whole library with another.

The sharer creates and removes the partnership (``sharedById`` is always the caller there); the
receiver alone decides whether the sharer's assets join their timeline (``inTimeline``, which
needs ``partner.update`` access: the partnership must share with the caller). Answers name the
other user of each partnership, with its ``inTimeline``. As Immich: sharing twice is a 400
"Partner already exists", removing a partnership that does not exist a 400 "Partner not found",
and sharing with oneself is not refused (it grants nothing new). Beyond Immich (whose database
refuses it with a 500): an unknown or deleted user is a 400 "User not found".
"""

from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING, Any

import attrs

from immich.db.repos import Conn, Row
from immich.db.repos import partners as repo
from immich.db.repos import users as users_repo
from immich.errors import BadRequest
from immich.services.access import require_partner_sharers

if TYPE_CHECKING:
    from immich.services.auth import AuthContext


class Direction(enum.StrEnum):
    SHARED_BY = "shared-by"  # partnerships the caller started: answers name the receivers
    SHARED_WITH = "shared-with"  # partnerships sharing with the caller: answers the sharers


@attrs.frozen
class PartnerView:
    """The other user of a partnership, and whether the sharer's assets are in the receiver's
    timeline."""

    user: Row
    in_timeline: bool


async def _views(db: Conn, rows: list[Row], direction: Direction) -> list[PartnerView]:
    key = "sharedWithId" if direction is Direction.SHARED_BY else "sharedById"
    users = await repo.users_by_id(db, [r[key] for r in rows])
    return [PartnerView(users[r[key]], bool(r["inTimeline"])) for r in rows]


async def search(db: Conn, auth: AuthContext, direction: str) -> list[PartnerView]:
    way = Direction(direction)
    key = "sharedById" if way is Direction.SHARED_BY else "sharedWithId"
    rows = [r for r in await repo.list_for_user(db, auth.user_id) if r[key] == auth.user_id]
    return await _views(db, rows, way)


async def create(db: Conn, auth: AuthContext, shared_with_id: str | uuid.UUID) -> PartnerView:
    receiver = uuid.UUID(str(shared_with_id))
    if await repo.get(db, auth.user_id, receiver) is not None:
        raise BadRequest("Partner already exists")
    if await users_repo.get(db, receiver) is None:
        raise BadRequest("User not found")
    row = await repo.create(db, auth.user_id, receiver)
    (view,) = await _views(db, [row], Direction.SHARED_BY)
    return view


async def update(
    db: Conn, auth: AuthContext, shared_by_id: str | uuid.UUID, in_timeline: bool
) -> PartnerView:
    (sharer,) = await require_partner_sharers(db, auth.user_id, "partner.update", [shared_by_id])
    row = await repo.update_in_timeline(db, sharer, auth.user_id, in_timeline)
    assert row is not None  # the access check found it
    (view,) = await _views(db, [row], Direction.SHARED_WITH)
    return view


async def remove(db: Conn, auth: AuthContext, shared_with_id: str | uuid.UUID) -> None:
    if await repo.get(db, auth.user_id, shared_with_id) is None:
        raise BadRequest("Partner not found")
    await repo.remove(db, auth.user_id, shared_with_id)


async def timeline_partner_ids(db: Conn, user_id: Any) -> list[uuid.UUID]:
    """The users sharing with ``user_id`` whose assets they show in their timeline (Immich's
    ``getMyPartnerIds`` with ``timelineEnabled``: the timeline's and searches' partners)."""
    return await repo.sharer_ids(db, user_id, in_timeline_only=True)


async def partner_ids(db: Conn, user_id: Any) -> list[uuid.UUID]:
    """Every user sharing with ``user_id`` (the map's ``withPartners``)."""
    return await repo.sharer_ids(db, user_id)
