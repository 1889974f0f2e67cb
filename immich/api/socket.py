"""Immich's live events endpoint: socket.io v4 at ``/api/socket.io`` (polling and websocket).

A client authenticates as on REST (``x-api-key``, ``Authorization: Bearer``, the
``immich_access_token`` cookie, ...; Immich's ``websocket.repository.ts``): refused without
valid credentials, else it joins its user's room and its session's room (its API key's, for a
key) and gets ``on_server_version`` (and ``on_new_release`` when a version check found one).

Events come from the bus (``immich.events``): every api replica subscribes and delivers what
any replica or worker published, resolving asset references here, where the answer's mapping
lives. A ``disconnect`` message (a logout, a deleted session) drops those sockets at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any

import socketio
from starlette.requests import Request
from starlette.routing import Mount

from immich import IMMICH_API_VERSION, events
from immich.api import _auth
from immich.api import socket_payloads as payloads
from immich.api.dto import dump
from immich.api.notification_dtos import to_notification
from immich.api.socket_bus import Subscriber
from immich.db.repos import notifications as notifications_repo
from immich.errors import BadRequest
from immich.services import album_events
from immich.services import assets as asset_service
from immich.services import auth as auth_service
from immich.services import system_metadata as system_metadata_service
from immich.services import tags as tag_service

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)

PATH = "/api/socket.io"
_STATE_KEY = "live_server"
REFERENCES = ("$asset", "$assetUpdate", "$uploadReady", "$notification", "$release")
SHOWN_VISIBILITIES = ("timeline", "archive")  # Immich sends on_upload_success for these only


class LiveServer:
    """One process's socket.io server and its bus subscription."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.sio = socketio.AsyncServer(
            async_mode="asgi", cors_allowed_origins="*", logger=False, engineio_logger=False
        )
        self.app = socketio.ASGIApp(self.sio, socketio_path=PATH)
        self.sio.on("connect", self._connect)
        self.subscriber = Subscriber(ctx, self._on_message)

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        # the websocket transport's scope too: _auth reads only headers, cookies and the query
        request = Request({**environ["asgi.scope"], "type": "http"})
        try:
            caller = await auth_service.authenticate(
                self.ctx.db.pool,
                api_key=_auth.api_key(request),
                session_token=_auth.session_token(request),
            )
        except Exception as err:
            log.debug("socket.io connection refused: %s", err)
            caller = None
        if caller is None:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        user_id = str(caller.user_id)
        await self.sio.enter_room(sid, user_id)
        if caller.session_id is not None:
            await self.sio.enter_room(sid, str(caller.session_id))
        if caller.api_key_id is not None:
            await self.sio.enter_room(sid, events.api_key_room(caller.api_key_id))
        # as Immich's version service on WebsocketConnect: to the user's room
        await self.sio.emit(
            "on_server_version", payloads.version_dto(IMMICH_API_VERSION), room=user_id
        )
        check = self.ctx.config.get().get("newVersionCheck", {})
        if check.get("enabled"):
            state = await system_metadata_service.version_check_state(self.ctx.db.pool)
            release = payloads.release_event(IMMICH_API_VERSION, state, check.get("channel", ""))
            if release is not None:
                await self.sio.emit("on_new_release", release, room=user_id)

    def _on_message(self, payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            log.warning("ignoring a malformed live event: %.200s", payload)
            return
        task = asyncio.ensure_future(self._deliver(message))
        task.add_done_callback(_log_failure)

    async def _deliver(self, message: dict[str, Any]) -> None:
        delay = message.get("delay")
        if isinstance(delay, int | float) and 0 < delay <= 10:
            await asyncio.sleep(delay)
        if "disconnect" in message:
            await self._disconnect(message["disconnect"])
            return
        args = list(message.get("args", []))
        rooms = message.get("rooms")
        for i, arg in enumerate(args):
            ref = _reference(arg)
            if ref is None:
                continue
            resolved = await self._resolve(*ref)
            if resolved is None:
                return  # gone meanwhile, or not for the clients (a hidden asset)
            args[i], owner = resolved
            rooms = [owner] if rooms is None and owner is not None else rooms
        data = tuple(args)
        if rooms is None:
            await self.sio.emit(message["event"], data)
            return
        for room in rooms:
            await self.sio.emit(message["event"], data, room=room)

    async def _resolve(self, kind: str, row_id: str) -> tuple[Any, str | None] | None:
        """The payload a reference stands for, and its owner's room (None: everyone's); None
        to send nothing."""
        pool = self.ctx.db.pool
        if kind == "$release":  # the version check's find (row_id: the channel)
            state = await system_metadata_service.version_check_state(pool)
            release = payloads.release_event(IMMICH_API_VERSION, state, row_id)
            return None if release is None else (release, None)
        try:
            if kind == "$notification":
                row = await notifications_repo.get(pool, row_id)
                if row is None:
                    return None
                return dump(to_notification(row)), str(row["userId"])
            found = await asset_service.get_for_response(pool, row_id)
            if kind == "$assetUpdate":  # on_asset_update: any visibility, with its tags
                tags = await tag_service.of_asset(pool, row_id)
                return payloads.asset_update(found, tags), str(found["row"]["ownerId"])
        except (BadRequest, ValueError):
            return None
        if found["row"]["visibility"] not in SHOWN_VISIBILITIES:
            return None
        owner = str(found["row"]["ownerId"])
        if kind == "$uploadReady":
            ready = payloads.upload_ready(found)
            return None if ready is None else (ready, owner)
        return payloads.asset_answer(found), owner

    async def _disconnect(self, rooms: list[str]) -> None:
        await asyncio.sleep(0.05)  # let the farewell event (on_session_delete) go out first
        for room in rooms:
            for sid, _eio_sid in list(self.sio.manager.get_participants("/", room)):
                await self.sio.disconnect(sid)


def _reference(arg: Any) -> tuple[str, str] | None:
    """(kind, asset id) of an argument sent by reference (``immich.events.asset_ref``...)."""
    if isinstance(arg, dict) and len(arg) == 1:
        ((key, value),) = arg.items()
        if key in REFERENCES and isinstance(value, str):
            return key, value
    return None


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("delivering a live event failed", exc_info=task.exception())


def live_server(ctx: AppContext) -> LiveServer:
    """This process's server (made on first use; the api role mounts it)."""
    server = ctx.state.get(_STATE_KEY)
    if not isinstance(server, LiveServer):
        server = LiveServer(ctx)
        ctx.state[_STATE_KEY] = server
    return server


def mount(ctx: AppContext) -> Mount:
    """The route serving ``/api/socket.io`` (socket.io keeps the full path under a Mount)."""
    return Mount(PATH, app=live_server(ctx).app)


_ALBUM_EVENTS_KEY = "live.album-events"


async def start(ctx: AppContext) -> None:
    """Subscribe to the bus (api role); the rest of the process only publishes. Album changes
    (immich.services.album_events, raised after commit) become Immich's ``on_album_update``
    for every member, owner included (notification.service.ts onAlbumUpdate)."""
    if "api" in ctx.settings.roles:
        await live_server(ctx).subscriber.start()

    async def on_album_event(event: album_events.AlbumEvent) -> None:
        if isinstance(event, album_events.AlbumUpdate):
            await events.emit(ctx, event.user_ids, "on_album_update", event.album_id)

    ctx.state[_ALBUM_EVENTS_KEY] = album_events.subscribe(on_album_event)


async def stop(ctx: AppContext) -> None:
    unsubscribe = ctx.state.pop(_ALBUM_EVENTS_KEY, None)
    if unsubscribe is not None:
        unsubscribe()
    server = ctx.state.get(_STATE_KEY)
    if isinstance(server, LiveServer):
        await server.subscriber.stop()
    await events.close(ctx)
