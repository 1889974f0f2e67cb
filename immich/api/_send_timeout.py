"""A client that stops reading a response loses its connection after IMMICH_SEND_TIMEOUT.

hypercorn writes a response with ``writer.write`` + ``await writer.drain()`` and no time limit:
a client that requests a large download (an original, an archive, a sync stream) and then
never reads holds the request forever, and with it whatever the request holds (a database
connection, an open file). Closing the connection the ordinary way would not help either:
``transport.close()`` waits for the unsent buffer to drain first.

``bounded_tcp_server`` is hypercorn's asyncio ``TCPServer`` with one change: a write that
waits on the client for longer than the limit aborts the transport (the buffer is dropped,
the socket closed at once) and tells the protocol the connection is gone, exactly as
hypercorn does when a write fails. The request then sees a disconnect: its later ``send``
calls return at once, Starlette's streaming responses stop on ``http.disconnect``, and the
request's resources are freed. ``install`` puts it where hypercorn's asyncio ``serve``
creates its connections (hypercorn 0.18 looks the class up by name in ``hypercorn.asyncio.run``;
tests/test_slow_clients.py checks the behaviour through a real server).
"""

from __future__ import annotations

import asyncio
import logging

import hypercorn.asyncio.run as hypercorn_run
from hypercorn.asyncio.tcp_server import TCPServer
from hypercorn.events import Closed, Event, RawData

log = logging.getLogger(__name__)


def bounded_tcp_server(seconds: float) -> type[TCPServer]:
    """hypercorn's TCPServer whose writes give up (and drop the connection) after ``seconds``."""

    class BoundedSendTCPServer(TCPServer):
        async def protocol_send(self, event: Event) -> None:
            if not isinstance(event, RawData):
                await super().protocol_send(event)
                return
            try:
                await asyncio.wait_for(super().protocol_send(event), seconds)
            except TimeoutError:
                peer = self.writer.get_extra_info("peername")
                log.info("client %s read nothing for %g s: connection dropped", peer, seconds)
                self.writer.transport.abort()
                await self.protocol.handle(Closed())

    return BoundedSendTCPServer


def install(seconds: float) -> None:
    """Make hypercorn's asyncio server bound every write by ``seconds`` (0: hypercorn's own)."""
    server = bounded_tcp_server(seconds) if seconds > 0 else TCPServer
    setattr(hypercorn_run, "TCPServer", server)  # noqa: B010  # a module global, not exported
