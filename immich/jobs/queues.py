"""Job queues (saq). FOUNDATION SLICE: placeholder until the queue work lands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from immich.jobs.types import JobRequest

if TYPE_CHECKING:
    from immich.context import AppContext


class JobQueues:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    async def start(self) -> None:
        return None

    async def enqueue(self, request: JobRequest) -> None:
        raise NotImplementedError("queues are not wired yet")

    async def close(self) -> None:
        return None
