"""Toy plugins for the failure-isolation and event-chain tests.

``RaisingPlugin`` raises in every event hook, directly or from the awaitable it returns, and
is asked first (``tryfirst``): with plain pluggy calls its failure would hide every other
plugin's answer. ``ThumbnailsListener`` answers ``on_thumbnails_generated`` with a toy job
that records what it ran for: the chain's next link, swapped in without naming any job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from immich import hookimpl
from immich.context import AppContext
from immich.jobs.types import JobDefinition, JobRequest, JobResult

FOLLOW_UP = "ToyAfterThumbnails"
FOLLOW_UP_QUEUE = "smartSearch"


class ToyHookError(RuntimeError):
    """What the raising toy raises."""


async def _raise(hook: str) -> None:
    raise ToyHookError(f"toy fails in {hook} (awaited)")


class RaisingPlugin:
    def __init__(self) -> None:
        self.called: list[str] = []

    def _fail(self, hook: str) -> Any:
        self.called.append(hook)
        raise ToyHookError(f"toy fails in {hook}")

    @hookimpl(tryfirst=True)
    def on_asset_uploaded(self, ctx: AppContext, asset: Mapping[str, Any]) -> Any:
        return self._fail("on_asset_uploaded")

    @hookimpl(tryfirst=True)
    def on_metadata_extracted(
        self, ctx: AppContext, asset_id: str, asset_type: str, source: str | None
    ) -> Any:
        return self._fail("on_metadata_extracted")

    @hookimpl(tryfirst=True)
    def on_thumbnails_generated(
        self, ctx: AppContext, asset_id: str, asset_type: str, source: str | None
    ) -> Any:
        self.called.append("on_thumbnails_generated")
        return _raise("on_thumbnails_generated")  # this one fails when awaited

    @hookimpl(tryfirst=True)
    def on_job_finished(
        self, ctx: AppContext, name: str, data: Mapping[str, Any], result: Any
    ) -> Any:
        self.called.append("on_job_finished")
        return _raise("on_job_finished")

    @hookimpl(tryfirst=True)
    def on_job_failed(
        self, ctx: AppContext, name: str, data: Mapping[str, Any], error: str
    ) -> None:
        self._fail("on_job_failed")

    @hookimpl(tryfirst=True)
    def startup(self, ctx: AppContext) -> None:
        self._fail("startup")

    @hookimpl(tryfirst=True)
    def shutdown(self, ctx: AppContext) -> None:
        self._fail("shutdown")


class ThumbnailsListener:
    """Registers ``ToyAfterThumbnails`` and asks for it whenever thumbnails were made."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, str, str | None]] = []
        self.ran: list[dict[str, Any]] = []

    async def _follow_up(self, ctx: AppContext, data: Mapping[str, Any]) -> JobResult:
        self.ran.append(dict(data))
        return JobResult(asset_id=str(data["id"]))

    @hookimpl
    def register_jobs(self) -> Sequence[JobDefinition]:
        return [JobDefinition(name=FOLLOW_UP, queue=FOLLOW_UP_QUEUE, handler=self._follow_up)]

    @hookimpl
    def on_thumbnails_generated(
        self, ctx: AppContext, asset_id: str, asset_type: str, source: str | None
    ) -> Sequence[JobRequest]:
        self.heard.append((asset_id, asset_type, source))
        return [JobRequest(FOLLOW_UP, {"id": asset_id, "source": source, "type": asset_type})]
