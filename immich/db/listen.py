"""A PostgreSQL LISTEN that outlives connection losses (one connection of its own, outside the
pool, since a pooled connection may be handed to a query at any time).

``Listener.run()`` connects, listens on ``channel`` and hands every payload to ``on_notify``; when
the connection drops (server restart, network) it reconnects with growing delays, and calls
``on_reconnect`` once listening again, so its owner can catch up on what it missed.
``start()`` runs it as a task and waits (up to ``ready_within`` seconds) until the first LISTEN is in place.

A NOTIFY only reaches us when the writer sends one: an admin restoring a backup, ``psql``, or a
server of another version writes without it, and a pooler in transaction mode drops LISTEN. A
``Watch`` closes that gap: a cheap query (a row's ``xmin``, a counter) run every ``every`` seconds
on the same connection, its owner told when the answer moves. One query a second per process,
not one per request. A poll that gets no answer within ``POLL_TIMEOUT`` counts as a lost
connection, so a half-open TCP connection (which never delivers a NOTIFY either) is replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import attrs

log = logging.getLogger(__name__)

RECONNECT_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
POLL_TIMEOUT = 10.0
"""Seconds a watch query may take before the connection is taken for dead and replaced."""

_UNSEEN = object()


@attrs.frozen
class Watch:
    """Poll ``query`` (with ``args``) every ``every`` seconds; await ``on_change()`` whenever its
    answer differs from the previous one (the first answer counts as a change, so nothing
    written between the owner's own load and the first poll is missed)."""

    query: str
    args: tuple[Any, ...]
    on_change: Callable[[], Awaitable[None]]
    every: float = 1.0

    @classmethod
    def row(
        cls,
        table: str,
        column: str,
        value: Any,
        on_change: Callable[[], Awaitable[None]],
        every: float = 1.0,
    ) -> Watch:
        """Watch one row, found by ``column = value``: its ``xmin`` (the id of the transaction
        that last wrote it) moves on every committed INSERT or UPDATE, even one that rewrites
        the same value, and reads as NULL once the row is deleted. No trigger or counter table
        is needed, and a restored backup (new rows, new xmin) is seen too."""
        query = f'SELECT "xmin"::text FROM "{table}" WHERE "{column}" = $1'
        return cls(query, (value,), on_change, every)


class Listener:
    def __init__(
        self,
        url: str,
        channel: str,
        on_notify: Callable[[str], None],
        *,
        name: str,
        on_reconnect: Callable[[], Awaitable[None]] | None = None,
        watch: Watch | None = None,
    ) -> None:
        self.url = url
        self.channel = channel
        self.on_notify = on_notify
        self.name = name
        self.on_reconnect = on_reconnect
        self.watch = watch
        self._seen: object = _UNSEEN
        self.listening = asyncio.Event()
        self.conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    def watch_row(
        self,
        table: str,
        column: str,
        value: Any,
        on_change: Callable[[], Awaitable[None]],
        every: float = 1.0,
    ) -> None:
        """Also watch one row (``Watch.row``); call before ``start()``."""
        self.watch = Watch.row(table, column, value, on_change, every)

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
                await self._until_lost(conn, lost)
                log.warning("%s: listen connection lost; reconnecting", self.name)
            finally:
                self.conn = None
                self.listening.clear()
                if not conn.is_closed():
                    conn.terminate()
            await asyncio.sleep(RECONNECT_DELAYS[0])  # the server may be restarting

    async def _until_lost(self, conn: asyncpg.Connection, lost: asyncio.Event) -> None:
        """Wait for the connection to drop, running the watch query meanwhile."""
        watch = self.watch
        if watch is None:
            await lost.wait()
            return
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), watch.every)
                return
            try:
                async with asyncio.timeout(POLL_TIMEOUT):
                    value = await conn.fetchval(watch.query, *watch.args)
            except (TimeoutError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError):
                return  # dead or hung: the caller drops it and reconnects
            except asyncpg.PostgresError as err:  # e.g. the table is being restored
                if conn.is_closed():
                    return
                log.debug("%s: watch query failed: %s", self.name, err)
                continue
            if value == self._seen:
                continue
            self._seen = value
            try:
                await watch.on_change()
            except Exception:
                log.exception("%s: reacting to a watched change failed", self.name)
