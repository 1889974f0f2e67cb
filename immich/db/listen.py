"""A PostgreSQL LISTEN that outlives connection losses (one connection of its own, outside the
pool, since a pooled connection may be handed to a query at any time).

``Listener.run()`` connects, listens on ``channel`` and hands every payload to ``on_notify``; when
the connection drops (server restart, network) it reconnects with growing delays, and calls
``on_reconnect`` once listening again, so its owner can catch up on what it missed.
``start()`` runs it as a task and waits (up to ``ready_within`` seconds) until the first LISTEN is in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg

log = logging.getLogger(__name__)

RECONNECT_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class Listener:
    def __init__(
        self,
        url: str,
        channel: str,
        on_notify: Callable[[str], None],
        *,
        name: str,
        on_reconnect: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.url = url
        self.channel = channel
        self.on_notify = on_notify
        self.name = name
        self.on_reconnect = on_reconnect
        self.listening = asyncio.Event()
        self.conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, ready_within: float = 10.0) -> None:
        self._task = asyncio.create_task(self.run(), name=f"{self.name}-listener")
        ready = asyncio.ensure_future(self.listening.wait())
        await asyncio.wait([ready, self._task], timeout=ready_within, return_when="FIRST_COMPLETED")
        ready.cancel()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _deliver(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        self.on_notify(str(payload))

    async def run(self) -> None:
        attempt = 0
        while True:
            try:
                conn = await asyncpg.connect(self.url)
            except (TimeoutError, OSError, asyncpg.PostgresError) as err:
                delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                log.warning("%s: cannot listen (%s); retrying in %.1fs", self.name, err, delay)
                attempt += 1
                await asyncio.sleep(delay)
                continue
            lost = asyncio.Event()
            try:
                conn.add_termination_listener(lambda _conn, lost=lost: lost.set())
                await conn.add_listener(self.channel, self._deliver)
                self.conn = conn
                if attempt and self.on_reconnect is not None:
                    await self.on_reconnect()
                attempt = 1
                self.listening.set()
                await lost.wait()
                log.warning("%s: listen connection lost; reconnecting", self.name)
            finally:
                self.conn = None
                self.listening.clear()
                if not conn.is_closed():
                    conn.terminate()
            await asyncio.sleep(RECONNECT_DELAYS[0])  # the server may be restarting
