"""A request body that stops arriving, or that only trickles in, ends the request.

hypercorn's own ``read_timeout`` would also close a connection whose client is quietly
downloading a large file (it sends nothing meanwhile), so the limit is on the body instead:
``timed_receive`` wraps the ASGI ``receive`` of a request, and a wait for the next body chunk
longer than the setting (``IMMICH_UPLOAD_READ_TIMEOUT``) raises :class:`BodyStalled`, a 408
domain error. A client can defeat that limit by sending one byte just inside it, so once
``grace`` seconds have passed since the body began (``IMMICH_UPLOAD_MIN_RATE_GRACE``) the
body must also have averaged ``min_rate`` bytes per second (``IMMICH_UPLOAD_MIN_RATE``; the
default, 1 KiB/s, is far below a phone's slowest upload). Readers meet either error inside
their own clean-up (the multipart reader removes the partial file), and the request answers
408 in Immich's error shape.
"""

from __future__ import annotations

import asyncio
import time

from starlette.types import Message, Receive

from immich.errors import DomainError


class BodyStalled(DomainError):
    status = 408


def timed_receive(
    receive: Receive, seconds: float, min_rate: float = 0, grace: float = 30
) -> Receive:
    """``receive`` where a body chunk not in within ``seconds`` (when > 0), or a body that
    has averaged under ``min_rate`` bytes/s (when > 0) after ``grace`` s, raises BodyStalled."""
    done = False
    started = time.monotonic()
    received = 0

    async def wrapped() -> Message:
        nonlocal done, received
        if done:  # the body is in: later calls wait for the disconnect, unbounded
            return await receive()
        try:
            message = await asyncio.wait_for(receive(), seconds if seconds > 0 else None)
        except TimeoutError:
            raise BodyStalled(f"Request body stalled: no data for {seconds:g} s") from None
        if message["type"] != "http.request" or not message.get("more_body", False):
            done = True
            return message
        received += len(message.get("body", b""))
        elapsed = time.monotonic() - started
        if min_rate > 0 and elapsed > grace and received < min_rate * elapsed:
            raise BodyStalled(
                f"Request body too slow: {received / elapsed:.0f} bytes/s after "
                f"{elapsed:.0f} s (minimum {min_rate:g})"
            )
        return message

    return wrapped
