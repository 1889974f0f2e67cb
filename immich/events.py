"""Live events for Immich's clients (socket.io), raised by any role, delivered by the api role.

Services and jobs raise an event once their rows are committed (``emit_after_commit``, or
``emit`` where nothing is pending); it is *published* on a bus every replica shares, and each
api replica's socket.io server (``immich.api.socket``) hands it to the clients in the rooms it
names. So an event a worker raises reaches a phone connected to any api replica.

The bus: Redis pub/sub when Redis is configured (the job queues' server), else PostgreSQL's
LISTEN/NOTIFY on ``CHANNEL``. A NOTIFY payload is limited to 8000 bytes, so messages stay small:
an asset answer travels *by reference* (``asset_ref``: its id; the api replica loads the row and
builds the answer), and a long id list is split into several events of the same name.

Rooms are Immich's: a user's id (every client of that user) and a session's id (that one
device). ``rooms=None`` broadcasts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from immich.db.session import after_commit

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)

CHANNEL = "immich_live_events"
NOTIFY_LIMIT = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
ID_CHUNK = 150  # ids per event when a list would not fit one NOTIFY (36 bytes + quotes each)
SESSION_DELETE_DELAY = 0.5  # seconds; Immich's setTimeout before on_session_delete
_REDIS_KEY = "live_events_redis"


def asset_ref(asset_id: object) -> dict[str, str]:
    """An argument the api replica replaces by the asset's answer (``AssetResponseDto``); with
    ``rooms=None`` the event goes to the asset's owner. Nothing is sent when the asset is gone
    or not on the timeline/archive (as Immich's ``on_upload_success``)."""
    return {"$asset": str(asset_id)}


def asset_update_ref(asset_id: object) -> dict[str, str]:
    """Replaced by the asset's answer as Immich's ``on_asset_update`` carries it (with its tags,
    whatever its visibility, no owner or stack); with ``rooms=None`` it goes to the owner."""
    return {"$assetUpdate": str(asset_id)}


def upload_ready_ref(asset_id: object) -> dict[str, str]:
    """Replaced by ``AssetUploadReadyV2``'s ``{asset, exif}`` (nothing sent without EXIF)."""
    return {"$uploadReady": str(asset_id)}


def notification_ref(notification_id: object) -> dict[str, str]:
    """Replaced by the notification's ``NotificationDto``."""
    return {"$notification": str(notification_id)}


def _message(event: str, rooms: Sequence[str] | None, args: Sequence[Any]) -> dict[str, Any]:
    return {"event": event, "rooms": None if rooms is None else list(rooms), "args": list(args)}


def _encode(message: dict[str, Any]) -> list[str]:
    """The message as one or more JSON payloads that fit a NOTIFY."""
    text = json.dumps(message, default=str, separators=(",", ":"))
    if len(text.encode()) <= NOTIFY_LIMIT:
        return [text]
    args = message["args"]
    if len(args) == 1 and isinstance(args[0], list) and len(args[0]) > ID_CHUNK:
        items = args[0]
        parts = [items[i : i + ID_CHUNK] for i in range(0, len(items), ID_CHUNK)]
        return [p for part in parts for p in _encode({**message, "args": [part]})]
    if message["rooms"] and len(message["rooms"]) > 1:
        return [p for room in message["rooms"] for p in _encode({**message, "rooms": [room]})]
    raise ValueError(f"live event {message['event']} is too large for the bus ({len(text)} B)")


async def publish(ctx: AppContext, message: dict[str, Any]) -> None:
    """Put a message on the bus (every api replica gets it). Never raises: a live event that
    cannot be sent is logged, the change it reports is committed anyway."""
    try:
        payloads = _encode(message)
        if ctx.settings.redis is not None:
            client = _redis(ctx)
            for payload in payloads:
                await client.publish(CHANNEL, payload)
        else:
            for payload in payloads:
                await ctx.db.pool.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
    except Exception:
        log.exception("live event %s not sent", message.get("event"))


async def emit(ctx: AppContext, rooms: Iterable[object] | None, event: str, *args: Any) -> None:
    """Send ``event(*args)`` to the clients in ``rooms`` (user or session ids; None: all)."""
    names = None if rooms is None else [str(room) for room in rooms]
    if names is not None and not names:
        return
    await publish(ctx, _message(event, names, args))


async def emit_after_commit(
    ctx: AppContext, db: Any, rooms: Iterable[object] | None, event: str, *args: Any
) -> None:
    """``emit`` once ``db``'s transaction has committed (at once when ``db`` is the pool)."""
    names = None if rooms is None else [str(room) for room in rooms]

    async def send() -> None:
        await emit(ctx, names, event, *args)

    await after_commit(db, send)


async def end_sessions(ctx: AppContext, db: Any, session_ids: Iterable[object]) -> None:
    """After commit: tell each revoked session's device (``on_session_delete``, as Immich) and
    disconnect its sockets on every api replica; both ``SESSION_DELETE_DELAY`` later, as
    Immich, so a device logging itself out gets its HTTP answer first."""
    ids = [str(i) for i in session_ids]
    if not ids:
        return

    async def send() -> None:
        for session_id in ids:
            message = _message("on_session_delete", [session_id], [session_id])
            await publish(ctx, {**message, "delay": SESSION_DELETE_DELAY})
        await publish(ctx, {"disconnect": ids, "delay": SESSION_DELETE_DELAY})

    await after_commit(db, send)


def api_key_room(api_key_id: object) -> str:
    """The room of the sockets an API key opened (so deleting the key can close them)."""
    return f"api-key:{api_key_id}"


async def disconnect(ctx: AppContext, db: Any, rooms: Iterable[object]) -> None:
    """After commit: close the sockets in ``rooms`` on every api replica (revoked credentials)."""
    names = [str(room) for room in rooms]

    async def send() -> None:
        await publish(ctx, {"disconnect": names})

    if names:
        await after_commit(db, send)


def _redis(ctx: AppContext) -> Any:
    client = ctx.state.get(_REDIS_KEY)
    if client is None:
        from immich.jobs._redis import make_client  # sentinel and ioredis URLs as the queues

        assert ctx.settings.redis is not None
        client = make_client(ctx.settings.redis)
        ctx.state[_REDIS_KEY] = client
    return client


async def close(ctx: AppContext) -> None:
    """Release the publishing connection (process shutdown)."""
    client = ctx.state.pop(_REDIS_KEY, None)
    if client is not None:
        try:
            await client.aclose()
        except Exception:
            log.debug("closing the live events' Redis client failed", exc_info=True)
