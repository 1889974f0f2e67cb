"""The one access check for assets, and the PIN elevation that opens the Locked Folder.

Immich's ``requireAccess``: every asked id must pass, else 400 ``Not found or no <permission>
access`` (see ``immich.db.repos.access`` for who passes what). A session is *elevated* while
its ``pinExpiresAt`` lies ahead (``POST /auth/session/unlock``); an API key never is. Locked
assets pass only for an elevated owner; ``requireElevatedPermission`` is the 401 of routes that
need elevation outright (the locked timeline and statistics). As in Immich, moving an asset
into the Locked Folder needs only ``asset.update`` access; moving one out needs elevation, since
a locked asset is out of reach without it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from immich.db.repos import Conn
from immich.db.repos import access as repo
from immich.errors import BadRequest, Unauthorized

if TYPE_CHECKING:
    from immich.services.auth import AuthContext

ELEVATED_REQUIRED = "Elevated permission is required"


def no_access(permission: str) -> BadRequest:
    return BadRequest(f"Not found or no {permission} access")


def is_elevated(caller: AuthContext | Any) -> bool:
    """Whether the caller (an ``AuthContext``, or the session+user row of one) has its PIN
    unlocked. API keys carry no session, so they never are."""
    row: Any = caller
    if hasattr(caller, "session_id"):
        if caller.session_id is None:
            return False
        row = caller.user
    try:
        until = row["pinExpiresAt"]
    except (KeyError, IndexError, TypeError):
        return False
    return until is not None and until > dt.datetime.now(dt.UTC)


def require_elevated(caller: AuthContext | Any) -> None:
    if not is_elevated(caller):
        raise Unauthorized(ELEVATED_REQUIRED)


async def allowed_assets(
    db: Conn,
    user_id: Any,
    permission: str,
    ids: Iterable[str | uuid.UUID],
    *,
    elevated: bool = False,
) -> set[uuid.UUID]:
    """Those of ``ids`` the user holds ``permission`` on (for per-id answers)."""
    return await repo.asset_ids_for(db, user_id, ids, permission, elevated)


async def require_assets(
    db: Conn,
    user_id: Any,
    permission: str,
    ids: Iterable[str | uuid.UUID],
    *,
    elevated: bool = False,
) -> list[uuid.UUID]:
    """The asked ids (deduplicated, in order) if the user holds ``permission`` on each."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.asset_ids_for(db, user_id, wanted, permission, elevated) != set(
        wanted
    ):
        raise no_access(permission)
    return wanted


async def allowed_tags(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``ids`` the user holds ``permission`` (``tag.*``) on: their own tags."""
    return await repo.tag_ids_for(db, user_id, ids, permission)


async def require_tags(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> list[uuid.UUID]:
    """The asked tag ids (deduplicated, in order) if each is the user's, else Immich's 400."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.tag_ids_for(db, user_id, wanted, permission) != set(wanted):
        raise no_access(permission)
    return wanted


async def require_partner_sharers(
    db: Conn, user_id: Any, permission: str, ids: Iterable[str | uuid.UUID]
) -> list[uuid.UUID]:
    """The asked user ids if each shares their library with the caller (``timeline.read`` of a
    partner's timeline, ``partner.update`` of the partnership), else Immich's 400."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.partner_sharer_ids(db, user_id, wanted) != set(wanted):
        raise no_access(permission)
    return wanted
