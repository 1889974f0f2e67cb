"""The thumbnails plugin fires ``on_thumbnails_generated`` after a successful thumbnail job."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from immich import hookimpl
from immich.jobs.types import JobRequest
from immich.plugins import make_manager
from plugins.thumbnails import plugin as thumbnails


class _Listener:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str | None]] = []

    @hookimpl
    def on_thumbnails_generated(
        self, ctx: Any, asset_id: str, asset_type: str, source: str | None
    ) -> Sequence[JobRequest]:
        self.seen.append((asset_id, asset_type, source))
        return [JobRequest("SmartSearch", {"id": asset_id})]


@attrs.define
class _Ctx:
    hook: Any


def test_hook_on_thumbnails_generated() -> None:
    listener = _Listener()
    pm = make_manager(allow=(), extra=[("listener", listener)])
    ctx = _Ctx(hook=pm.hook)
    ok = {"status": "success", "assetType": "VIDEO"}
    follow = thumbnails.on_job_finished(
        ctx=ctx, name=thumbnails.GENERATE, data={"id": "a1", "source": "upload"}, result=ok
    )
    assert listener.seen == [("a1", "VIDEO", "upload")]
    assert follow == [JobRequest("SmartSearch", {"id": "a1"})]
    failed = {"status": "failed", "reason": "cannot decode"}
    follow = thumbnails.on_job_finished(
        ctx=ctx, name=thumbnails.GENERATE, data={"id": "a2"}, result=failed
    )
    assert follow is None and len(listener.seen) == 1  # failures fire nothing
