"""The video jobs on the real database: poster, AssetEncodeVideo, queue all, the chain hook."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich import hookimpl
from immich.db.repos import asset_files, job_status
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest, JobStatus, QueuedResult, RenditionsResult
from plugins.thumbnails._jobs import generate_thumbnails
from plugins.video import VideoError, plugin
from plugins.video.jobs import encode_all, encode_video
from plugins.video.poster import generate_video_thumbnails

from .clips import exists, read, upload_file
from .conftest import decode_frames


async def set_ffmpeg(client: httpx.AsyncClient, headers: dict[str, str], **ffmpeg: Any) -> None:
    r = await client.get("/api/system-config", headers=headers)
    config = r.json()
    config["ffmpeg"].update(ffmpeg)
    r = await client.put("/api/system-config", headers=headers, json=config)
    assert r.status_code == 200, r.text


async def asset_row(app: Any, asset_id: str) -> Any:
    return await job_status.asset_for_job(app.state.ctx.db.pool, asset_id)


class _ToyPoster:
    """A provider asked before the video plugin (``tryfirst``): its answer wins."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    @hookimpl(tryfirst=True)
    def make_video_poster(self, ctx: Any, asset: Any) -> Any:
        self.asked.append(str(asset["id"]))

        async def made() -> RenditionsResult:
            return RenditionsResult(asset_id=str(asset["id"]), asset_type="VIDEO", width=1)

        return made()


async def test_hook_make_video_poster(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], clip: Callable[[str], Path]
) -> None:
    ctx = app.state.ctx
    asset_id = await upload_file(client, admin_headers, clip("h264"))
    # the video plugin provides the poster through the hook
    made = await ctx.hook.make_video_poster(ctx=ctx, asset=await asset_row(app, asset_id))
    assert isinstance(made, RenditionsResult) and made.ok and made.asset_type == "VIDEO"
    assert made.preview_path is not None and exists(made.preview_path)
    # the thumbnail job asks the hook, not the video plugin: the first provider wins ...
    toy = _ToyPoster()
    ctx.pm.register(toy, name="toy-poster")
    try:
        result = await generate_thumbnails(ctx, {"id": asset_id})
    finally:
        ctx.pm.unregister(name="toy-poster")
    assert toy.asked == [asset_id] and (result.width, result.status) == (1, JobStatus.success)
    # ... and with no provider at all a video's thumbnail job is skipped
    video_plugin = ctx.pm.unregister(name="video")
    try:
        result = await generate_thumbnails(ctx, {"id": asset_id})
    finally:
        ctx.pm.register(video_plugin, name="video")
    assert (result.status, result.reason, result.asset_type) == ("skipped", "video", "VIDEO")


async def test_poster_rows_and_thumbhash(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], clip: Callable[[str], Path]
) -> None:
    ctx = app.state.ctx
    asset_id = await upload_file(client, admin_headers, clip("black_start"))
    asset = await asset_row(app, asset_id)
    result = await generate_video_thumbnails(ctx, asset)
    assert isinstance(result, RenditionsResult)
    assert result.status == JobStatus.success and result.asset_type == "VIDEO"
    assert result.poster_time is not None and result.poster_time >= 1.0
    files = {r["type"]: r["path"] for r in await asset_files.for_asset(ctx.db.pool, asset_id)}
    assert files["preview"].endswith(f"{asset_id}_preview.jpeg")
    assert files["thumbnail"].endswith(f"{asset_id}_thumbnail.webp")
    assert exists(files["preview"]) and exists(files["thumbnail"])
    after = await asset_row(app, asset_id)
    assert after["thumbhash"] and (after["width"], after["height"]) == (160, 120)
    status = await job_status.get(ctx.db.pool, asset_id)
    assert status is not None and status["thumbnailAt"] is not None
    # again: same rows, same ThumbHash
    again = await generate_video_thumbnails(ctx, asset)
    assert again.preview_path == files["preview"]
    assert (await asset_row(app, asset_id))["thumbhash"] == after["thumbhash"]
    # the thumbnail endpoint serves the poster
    r = await client.get(f"/api/assets/{asset_id}/thumbnail", headers=admin_headers)
    assert r.status_code == 200 and r.content == read(files["thumbnail"])


async def test_poster_of_a_bad_file_records_the_reason(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 100)
    asset_id = await upload_file(client, admin_headers, bad)
    with pytest.raises(VideoError, match="cannot read video"):
        await generate_video_thumbnails(app.state.ctx, await asset_row(app, asset_id))
    failures = await job_status.failures(app.state.ctx.db.pool, asset_id)
    assert failures["thumbnailGeneration"].startswith("cannot read video")


async def test_encode_video_writes_the_mp4_and_rows(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], clip: Callable[[str], Path]
) -> None:
    ctx = app.state.ctx
    await set_ffmpeg(client, admin_headers, transcode="all", targetResolution="original")
    asset_id = await upload_file(client, admin_headers, clip("hevc_rotated"))
    result = await encode_video(ctx, {"id": asset_id})
    assert result.status == JobStatus.success and result.target == "all"
    media = ctx.settings.media_location
    owner = (await asset_row(app, asset_id))["ownerId"]
    clean = asset_id.replace("-", "")
    expected = media / "encoded-video" / str(owner) / clean[:2] / clean[2:4] / f"{asset_id}.mp4"
    assert result.path == str(expected)
    frames = decode_frames(expected)
    assert len(frames) == 30 and (frames[0].width, frames[0].height) == (120, 160)
    row = await asset_row(app, asset_id)
    assert row["encodedVideoPath"] == str(expected)
    file = await asset_files.get(ctx.db.pool, asset_id, "encoded_video")
    assert file is not None and file["path"] == str(expected)
    status = await job_status.get(ctx.db.pool, asset_id)
    assert status is not None and status["videoConvertedAt"] is not None
    data = expected.read_bytes()
    second = await encode_video(ctx, {"id": asset_id})  # idempotent
    assert second.path == str(expected) and expected.read_bytes() == data
    assert sorted(p.name for p in expected.parent.iterdir()) == [f"{asset_id}.mp4"]

    # a policy that no longer wants it removes the file and the rows
    await set_ffmpeg(client, admin_headers, transcode="disabled")
    skipped = await encode_video(ctx, {"id": asset_id})
    assert skipped.status == JobStatus.skipped
    assert not expected.exists()
    assert await asset_files.get(ctx.db.pool, asset_id, "encoded_video") is None
    assert (await asset_row(app, asset_id))["encodedVideoPath"] == ""


async def test_encode_video_failure_is_recorded(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "broken.mov"
    bad.write_text("not a movie at all " * 50)
    asset_id = await upload_file(client, admin_headers, bad)
    with pytest.raises(VideoError):
        await encode_video(app.state.ctx, {"id": asset_id})
    failures = await job_status.failures(app.state.ctx.db.pool, asset_id)
    assert "cannot read video" in failures["videoConversion"]
    assert await asset_files.get(app.state.ctx.db.pool, asset_id, "encoded_video") is None


async def test_encode_video_skips_images_and_unknown_ids(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    import pyvips

    png = tmp_path / "p.png"
    pyvips.Image.black(8, 8).pngsave(str(png))
    image_id = await upload_file(client, admin_headers, png)
    image = await encode_video(app.state.ctx, {"id": image_id})
    assert (image.status, image.reason) == (JobStatus.skipped, "not a video")
    gone = await encode_video(app.state.ctx, {"id": str(uuid.uuid4())})
    assert (gone.status, gone.reason) == (JobStatus.skipped, "asset not found")
    with pytest.raises(ValueError, match="asset id"):
        await encode_video(app.state.ctx, {})


async def test_queue_all_missing_and_force(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    clip: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = app.state.ctx
    first = await upload_file(client, admin_headers, clip("h264"))
    second = await upload_file(client, admin_headers, clip("vp9"))
    await set_ffmpeg(client, admin_headers, transcode="required")
    await encode_video(ctx, {"id": first})  # converted (or found not needed): not "missing"
    queued: list[JobRequest] = []

    async def enqueue_all(requests: Any) -> list[str]:
        queued.extend(requests)
        return []

    monkeypatch.setattr(ctx.queues, "enqueue_all", enqueue_all)
    assert await encode_all(ctx, {"force": False}) == QueuedResult(queued=1)
    assert [(q.name, q.data["id"]) for q in queued] == [("AssetEncodeVideo", second)]
    queued.clear()
    assert await encode_all(ctx, {"force": True}) == QueuedResult(queued=2)
    assert sorted(q.data["id"] for q in queued) == sorted([first, second])


def test_thumbnails_of_an_uploaded_video_chain_to_encoding() -> None:
    """The plugin answers ``on_thumbnails_generated`` (never another plugin's job by name)."""
    video = str(uuid.uuid4())
    answer = plugin.on_thumbnails_generated(
        ctx=None, asset_id=video, asset_type="VIDEO", source="upload"
    )
    assert answer == [JobRequest(JobName.AssetEncodeVideo, {"id": video, "source": "upload"})]
    copied = plugin.on_thumbnails_generated(
        ctx=None, asset_id=video, asset_type="VIDEO", source="copy"
    )
    assert copied == [JobRequest(JobName.AssetEncodeVideo, {"id": video, "source": "copy"})]
    # a refresh (no upload source) or an image: nothing
    assert (
        plugin.on_thumbnails_generated(ctx=None, asset_id=video, asset_type="VIDEO", source=None)
        is None
    )
    assert (
        plugin.on_thumbnails_generated(
            ctx=None, asset_id=video, asset_type="IMAGE", source="upload"
        )
        is None
    )
    assert not hasattr(plugin, "on_job_finished")
