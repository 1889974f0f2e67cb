"""The thumbnails plugin's events: it answers ``on_metadata_extracted`` and fires
``on_thumbnails_generated`` after its own job succeeded (no other plugin's job by name)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from immich import hookimpl
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest, JobStatus, RenditionsResult
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
        return [JobRequest(JobName.SmartSearch, {"id": asset_id})]


@attrs.define
class _Ctx:
    hook: Any


async def test_hook_on_thumbnails_generated() -> None:
    listener = _Listener()
    pm = make_manager(allow=(), extra=[("listener", listener)])
    ctx = _Ctx(hook=pm.hook)
    ok = RenditionsResult(asset_id="a1", asset_type="VIDEO")
    follow = thumbnails.on_job_finished(
        ctx=ctx,
        name=JobName.AssetGenerateThumbnails,
        data={"id": "a1", "source": "upload"},
        result=ok,
    )
    assert follow is not None
    assert await follow == [JobRequest(JobName.SmartSearch, {"id": "a1"})]
    assert listener.seen == [("a1", "VIDEO", "upload")]
    failed = RenditionsResult(status=JobStatus.skipped, asset_id="a2", reason="hidden")
    follow = thumbnails.on_job_finished(
        ctx=ctx, name=JobName.AssetGenerateThumbnails, data={"id": "a2"}, result=failed
    )
    assert follow is None and len(listener.seen) == 1  # skips and failures fire nothing
    # another plugin's job never triggers it, whatever its result
    other = thumbnails.on_job_finished(
        ctx=ctx, name=JobName.AssetExtractMetadata, data={"id": "a3", "source": "upload"}, result=ok
    )
    assert other is None


def test_answers_metadata_extracted_of_uploads_and_copies() -> None:
    for source in ("upload", "copy"):
        answer = thumbnails.on_metadata_extracted(
            ctx=None, asset_id="a1", asset_type="IMAGE", source=source
        )
        assert answer == [
            JobRequest(JobName.AssetGenerateThumbnails, {"id": "a1", "source": source})
        ]
    # a metadata refresh on its own does not regenerate thumbnails
    assert (
        thumbnails.on_metadata_extracted(ctx=None, asset_id="a1", asset_type="IMAGE", source=None)
        is None
    )
