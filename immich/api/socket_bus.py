"""The api role's subscription to the live events bus (``immich.events``): Redis pub/sub when
Redis is configured, else a reconnecting PostgreSQL LISTEN (``immich.db.listen``). Each message
is handed, as received, to ``on_message``; events raised while the subscription was down are
lost, as with Immich's socket.io adapter (clients refetch on reconnect)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from immich.db.listen import RECONNECT_DELAYS, Listener
from immich.events import CHANNEL

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)


class Subscriber:
    def __init__(self, ctx: AppContext, on_message: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.on_message = on_message
        self._listener: Listener | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self, ready_within: float = 10.0) -> None:
        if self.ctx.settings.redis is None:
            self._listener = Listener(self.ctx.db.url, CHANNEL, self.on_message, name="live events")
            await self._listener.start(ready_within)
            return
        self._task = asyncio.create_task(self._redis_loop(), name="live-events-redis")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), ready_within)

    async def stop(self) -> None:
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _redis_loop(self) -> None:
        from immich.jobs._redis import make_client

        assert self.ctx.settings.redis is not None
        attempt = 0
        while True:
            client: Any = make_client(self.ctx.settings.redis)
            try:
                async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    attempt = 0
                    self._ready.set()
                    async for message in pubsub.listen():
                        data = message.get("data")
                        if isinstance(data, bytes):
                            self.on_message(data.decode())
            except asyncio.CancelledError:
                raise
            except Exception as err:
                delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                log.warning("live events: Redis subscription lost (%s); retry in %.1fs", err, delay)
                attempt += 1
                await asyncio.sleep(delay)
            finally:
                self._ready.clear()
                with contextlib.suppress(Exception):
                    await client.aclose()
