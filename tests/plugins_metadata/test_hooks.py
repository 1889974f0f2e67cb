"""The metadata plugin's events: a successful extraction fires ``on_metadata_extracted``; the
motion photo's own follow-ups go only to jobs some plugin registers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from immich import hookimpl
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest, JobResult, JobStatus
from immich.plugins import make_manager
from plugins.metadata import plugin as metadata
from plugins.metadata._jobs import MetadataResult


class _Listener:
    def __init__(self) -> None:
        self.heard: list[tuple[str, str, str | None]] = []

    @hookimpl
    def on_metadata_extracted(
        self, ctx: Any, asset_id: str, asset_type: str, source: str | None
    ) -> Sequence[JobRequest]:
        self.heard.append((asset_id, asset_type, source))
        return [JobRequest("ToyNext", {"id": asset_id})]


@attrs.define
class _Queues:
    registry: frozenset[str]


@attrs.define
class _Ctx:
    hook: Any
    queues: _Queues


def _ctx(listener: _Listener, registered: frozenset[str] = frozenset()) -> _Ctx:
    pm = make_manager(allow=(), extra=[("listener", listener)])
    return _Ctx(hook=pm.hook, queues=_Queues(registered))


async def test_hook_on_metadata_extracted() -> None:
    listener = _Listener()
    ctx = _ctx(listener)
    done = MetadataResult(asset_id="a1", asset_type="VIDEO")
    data = {"id": "a1", "source": "upload"}
    follow = metadata.on_job_finished(
        ctx=ctx, name=JobName.AssetExtractMetadata, data=data, result=done
    )
    assert follow is not None and not isinstance(follow, Sequence)
    assert await follow == [JobRequest("ToyNext", {"id": "a1"})]
    assert listener.heard == [("a1", "VIDEO", "upload")]
    # a refresh fires it too, without a source (the thumbnails plugin then does nothing)
    refresh = metadata.on_job_finished(
        ctx=ctx, name=JobName.AssetExtractMetadata, data={"id": "a1"}, result=done
    )
    assert refresh is not None and not isinstance(refresh, Sequence)
    await refresh
    assert listener.heard[-1] == ("a1", "VIDEO", None)
    # a skipped or failed extraction, or another plugin's job: no event
    gone = MetadataResult(status=JobStatus.skipped, asset_id="a2", reason="asset not found")
    assert (
        metadata.on_job_finished(
            ctx=ctx, name=JobName.AssetExtractMetadata, data={"id": "a2"}, result=gone
        )
        is None
    )
    other = JobResult(asset_id="a3", asset_type="IMAGE")
    assert (
        metadata.on_job_finished(
            ctx=ctx, name=JobName.AssetGenerateThumbnails, data={"id": "a3"}, result=other
        )
        is None
    )
    assert len(listener.heard) == 2


async def test_motion_part_follow_ups_only_for_registered_jobs() -> None:
    result = MetadataResult(
        asset_id="photo",
        asset_type="IMAGE",
        motion_asset_id="motion",
        motion_asset_created=True,
        replaced_motion_asset_id="old",
    )
    data = {"id": "photo", "source": "upload"}
    everything = frozenset(
        {JobName.AssetExtractMetadata, JobName.AssetEncodeVideo, JobName.AssetDelete}
    )
    follow = metadata.on_job_finished(
        ctx=_ctx(_Listener(), everything),
        name=JobName.AssetExtractMetadata,
        data=data,
        result=result,
    )
    assert follow is not None and not isinstance(follow, Sequence)
    assert await follow == [
        JobRequest("ToyNext", {"id": "photo"}),
        JobRequest(JobName.AssetExtractMetadata, {"id": "motion"}),
        JobRequest(JobName.AssetEncodeVideo, {"id": "motion"}),
        JobRequest(JobName.AssetDelete, {"id": "old", "deleteOnDisk": True}),
    ]
    # no plugin transcodes video and none deletes: those follow-ups are left out
    only = frozenset({JobName.AssetExtractMetadata})
    follow = metadata.on_job_finished(
        ctx=_ctx(_Listener(), only), name=JobName.AssetExtractMetadata, data=data, result=result
    )
    assert follow is not None and not isinstance(follow, Sequence)
    assert [j.name for j in await follow] == ["ToyNext", JobName.AssetExtractMetadata]
