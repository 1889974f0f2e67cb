"""A real socket.io client against an app served by hypercorn on a local port."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import socketio
from hypercorn.asyncio import serve
from hypercorn.config import Config

from tests._server import free_port

WAIT = 15.0  # seconds an expected event may take (a loaded CI machine)


def _without_lifespan(app: Any) -> Any:
    """The app as an ASGI callable whose lifespan is a no-op (the fixture already started it)."""

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        await app(scope, receive, send)

    return asgi


@contextlib.asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    """Serve a started app over real HTTP and websockets; yield its base URL."""
    config = Config()
    port = free_port()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = None
    config.errorlog = None
    config.graceful_timeout = 1.0  # open sockets need not hold the test session's end
    stop = asyncio.Event()
    task = asyncio.create_task(serve(_without_lifespan(app), config, shutdown_trigger=stop.wait))
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            break
        except OSError:
            await asyncio.sleep(0.05)
    try:
        yield url
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 10)


class Recorder:
    """A connected client and every event it received, by name."""

    def __init__(self, sio: socketio.AsyncClient) -> None:
        self.sio = sio
        self.events: dict[str, asyncio.Queue[tuple[Any, ...]]] = {}
        self.disconnected = asyncio.Event()

        async def record(event: str, *args: Any) -> None:
            self.queue(event).put_nowait(args)

        async def gone(*_args: Any) -> None:
            self.disconnected.set()

        sio.on("*", record)
        sio.on("disconnect", gone)

    def queue(self, event: str) -> asyncio.Queue[tuple[Any, ...]]:
        return self.events.setdefault(event, asyncio.Queue())

    async def next(self, event: str) -> tuple[Any, ...]:
        """The arguments of the next ``event`` received (waits up to ``WAIT`` seconds)."""
        return await asyncio.wait_for(self.queue(event).get(), WAIT)

    async def gone(self) -> None:
        """Wait (up to ``WAIT`` seconds) until the server has disconnected this client."""
        await asyncio.wait_for(self.disconnected.wait(), WAIT)

    def received(self, event: str) -> list[tuple[Any, ...]]:
        """What was received of ``event`` so far (consumed)."""
        queue, found = self.queue(event), []
        while not queue.empty():
            found.append(queue.get_nowait())
        return found


@contextlib.asynccontextmanager
async def connected(
    url: str, headers: dict[str, str] | None = None, transports: list[str] | None = None
) -> AsyncIterator[Recorder]:
    """A socket.io client connected to ``url``'s ``/api/socket.io`` (as Immich's web app)."""
    sio = socketio.AsyncClient(reconnection=False)
    recorder = Recorder(sio)
    await sio.connect(
        url,
        headers=headers or {},
        socketio_path="/api/socket.io",
        transports=transports or ["websocket"],
        wait_timeout=10,
    )
    try:
        yield recorder
    finally:
        if sio.transport() == "polling":
            # a polling client waits for its pending long poll (up to the 25 s ping interval)
            for namespace in sio.namespaces:
                await sio._send_packet(sio.packet_class(socketio.packet.DISCONNECT, namespace))
            await sio.eio.disconnect(abort=True)
        else:
            await sio.disconnect()
