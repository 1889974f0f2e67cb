"""A request body that stops arriving ends the request.

hypercorn's own ``read_timeout`` would also close a connection whose client is quietly
downloading a large file (it sends nothing meanwhile), so the limit is on the body instead:
``timed_receive`` wraps the ASGI ``receive`` of a request, and a wait for the next body chunk
longer than the setting (``IMMICH_UPLOAD_READ_TIMEOUT``) raises :class:`BodyStalled`, a 408
domain error. Readers meet it inside their own clean-up (the multipart reader removes the
partial file), and the request answers 408 in Immich's error shape.
"""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive

from immich.errors import DomainError


class BodyStalled(DomainError):
    status = 408


def timed_receive(receive: Receive, seconds: float) -> Receive:
    """``receive`` where a body chunk not in within ``seconds`` raises BodyStalled."""
    done = False

    async def wrapped() -> Message:
        nonlocal done
        if done:  # the body is in: later calls wait for the disconnect, unbounded
            return await receive()
        try:
            message = await asyncio.wait_for(receive(), seconds)
        except TimeoutError:
            raise BodyStalled(f"Request body stalled: no data for {seconds:g} s") from None
        if message["type"] != "http.request" or not message.get("more_body", False):
            done = True
        return message

    return wrapped
