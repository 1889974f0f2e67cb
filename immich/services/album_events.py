"""Album events for live updates (Immich's ``AlbumInvite`` / ``AlbumUpdate``), raised after the
change commits.

The live-updates side (socket.io) subscribes with :func:`subscribe`; the album service calls
:func:`emit_after_commit`. A listener that raises is logged and never stops the others, nor the
request (its change is committed already).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import attrs

from immich.db.session import after_commit

log = logging.getLogger(__name__)


@attrs.frozen
class AlbumInvite:
    """``user_id`` was added to album ``album_id`` by ``sender_name``."""

    album_id: str
    user_id: str
    sender_name: str


@attrs.frozen
class AlbumUpdate:
    """Album ``album_id`` changed (assets added or removed). ``user_ids``: every member, owner
    included; ``recipient_ids``: those to notify (Immich leaves out the caller; a link
    visitor's upload notifies every member). ``album_events_notify`` queues their delayed
    notification."""

    album_id: str
    user_ids: tuple[str, ...]
    recipient_ids: tuple[str, ...]


AlbumEvent = AlbumInvite | AlbumUpdate
Listener = Callable[[AlbumEvent], Awaitable[None]]

_listeners: list[Listener] = []


def subscribe(listener: Listener) -> Callable[[], None]:
    """Call ``listener(event)`` for every album event from now on; returns the unsubscriber."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


async def _dispatch(event: AlbumEvent) -> None:
    for listener in list(_listeners):
        try:
            await listener(event)
        except Exception:
            log.exception("album event listener %r failed on %r", listener, event)


async def emit_after_commit(db: Any, event: AlbumEvent) -> None:
    """Deliver ``event`` to the listeners once ``db``'s transaction commits."""

    async def deliver() -> None:
        await _dispatch(event)

    await after_commit(db, deliver)
