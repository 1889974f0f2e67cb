"""The video plugin's routes (plugins/video/routes.py): /api/assets/{id}/video/playback (Range)
and the HLS streaming endpoints, over HTTP."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import av
import httpx
import pytest

from plugins.video._hls_worker import HlsWorker
from plugins.video.jobs import encode_video
from tests.api.asset_helpers import shared_album
from tests.api.user_helpers import user_and_login
from tests.plugins_video.clips import make_clip, read, upload_file


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("api-clips")
    yield {
        "short": make_clip(folder / "short.mp4", seconds=1.0),
        "long": make_clip(folder / "long.mp4", seconds=5.0, width=320, height=240),
    }


@pytest.fixture
async def hls_worker(app: Any) -> AsyncIterator[HlsWorker]:
    """The test app has the api role only: its segments come from a worker (in-process here;
    tests/plugins_video/test_hls_worker.py runs a real worker process)."""
    worker = HlsWorker(app.state.ctx)
    await worker.start()
    yield worker
    await worker.stop()


async def enable_streaming(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    config = (await client.get("/api/system-config", headers=headers)).json()
    config["ffmpeg"]["realtime"] = {
        "enabled": True,
        "resolutions": [480, 720],
        "videoCodecs": ["h264"],
    }
    r = await client.put("/api/system-config", headers=headers, json=config)
    assert r.status_code == 200, r.text


# --- playback ----------------------------------------------------------------------------------


async def test_playback_serves_the_original_with_ranges(
    client: httpx.AsyncClient, admin_headers: dict[str, str], clips: dict[str, Path]
) -> None:
    data = clips["short"].read_bytes()
    size = len(data)
    asset_id = await upload_file(client, admin_headers, clips["short"])
    url = f"/api/assets/{asset_id}/video/playback"
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200
    assert r.content == data
    assert r.headers["content-type"] == "video/mp4"
    assert r.headers["accept-ranges"] == "bytes"
    assert r.headers["cache-control"] == "private, max-age=86400, no-transform"

    r = await client.get(url, headers={**admin_headers, "Range": "bytes=0-99"})
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes 0-99/{size}"
    assert r.content == data[:100]

    r = await client.get(url, headers={**admin_headers, "Range": "bytes=-50"})
    assert (r.status_code, r.content) == (206, data[-50:])
    assert r.headers["content-range"] == f"bytes {size - 50}-{size - 1}/{size}"

    r = await client.get(url, headers={**admin_headers, "Range": f"bytes=1000-{size + 500}"})
    assert r.status_code == 206 and r.content == data[1000:]  # clipped at the end

    r = await client.get(url, headers={**admin_headers, "Range": f"bytes={size}-"})
    assert r.status_code == 416
    assert r.headers["content-range"] == f"bytes */{size}"


async def test_playback_prefers_the_transcode(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], clips: dict[str, Path]
) -> None:
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    config["ffmpeg"]["transcode"] = "all"
    await client.put("/api/system-config", headers=admin_headers, json=config)
    asset_id = await upload_file(client, admin_headers, clips["short"])
    result = await encode_video(app.state.ctx, {"id": asset_id})
    encoded = read(str(result.path))
    url = f"/api/assets/{asset_id}/video/playback"
    r = await client.get(url, headers={**admin_headers, "Range": "bytes=10-19"})
    assert r.status_code == 206 and r.content == encoded[10:20]
    r = await client.get(url, headers=admin_headers)
    assert r.content == encoded and r.content != clips["short"].read_bytes()


async def test_playback_access_and_bad_input(
    client: httpx.AsyncClient, admin_headers: dict[str, str], clips: dict[str, Path], tmp_path: Path
) -> None:
    asset_id = await upload_file(client, admin_headers, clips["short"])
    _, other = await user_and_login(client, admin_headers)
    r = await client.get(f"/api/assets/{asset_id}/video/playback", headers=other)
    assert r.status_code == 400
    assert r.json() == {"message": "Not found or no asset.view access"}
    r = await client.get(f"/api/assets/{uuid.uuid4()}/video/playback", headers=admin_headers)
    assert r.status_code == 400
    r = await client.get("/api/assets/not-a-uuid/video/playback", headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    r = await client.get(f"/api/assets/{asset_id}/video/playback")
    assert r.status_code == 401

    import pyvips

    png = tmp_path / "still.png"
    pyvips.Image.black(8, 8).pngsave(str(png))
    image_id = await upload_file(client, admin_headers, png)
    r = await client.get(f"/api/assets/{image_id}/video/playback", headers=admin_headers)
    assert r.status_code == 400 and r.json() == {"message": "Asset is not a video"}


async def test_album_members_may_play(
    client: httpx.AsyncClient, admin_headers: dict[str, str], clips: dict[str, Path]
) -> None:
    asset_id = await upload_file(client, admin_headers, clips["short"])
    user, other = await user_and_login(client, admin_headers)
    await shared_album(client, admin_headers, [asset_id], user["id"])
    r = await client.get(f"/api/assets/{asset_id}/video/playback", headers=other)
    assert r.status_code == 200 and r.content == clips["short"].read_bytes()


# --- HLS -----------------------------------------------------------------------------------------


def variant_urls(master: str) -> list[tuple[str, str]]:
    lines = master.splitlines()
    return [
        (lines[i], lines[i + 1])
        for i, line in enumerate(lines)
        if line.startswith("#EXT-X-STREAM-INF:")
    ]


async def test_streaming_needs_realtime_enabled(
    client: httpx.AsyncClient, admin_headers: dict[str, str], clips: dict[str, Path]
) -> None:
    asset_id = await upload_file(client, admin_headers, clips["short"])
    r = await client.get(f"/api/assets/{asset_id}/video/stream/main.m3u8", headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Real-time transcoding is not enabled"}


@pytest.mark.usefixtures("hls_worker")
async def test_hls_session_plays_and_ends(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], clips: dict[str, Path]
) -> None:
    await enable_streaming(client, admin_headers)
    asset_id = await upload_file(client, admin_headers, clips["long"])
    base = f"/api/assets/{asset_id}/video/stream"
    r = await client.get(f"{base}/main.m3u8", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.apple.mpegurl")
    variants = variant_urls(r.text)
    assert len(variants) == 1  # a 240p source: the 480 variant only (720 would enlarge)
    info, uri = variants[0]
    assert 'CODECS="avc1.42c01e,mp4a.40.2"' in info and "RESOLUTION=320x240" in info
    session_id, variant, name = uri.split("/")
    assert (variant, name) == ("2", "playlist.m3u8")
    uuid.UUID(session_id)

    r = await client.get(f"{base}/{uri}", headers=admin_headers)
    assert r.status_code == 200
    segments = re.findall(r"seg_\d+\.m4s", r.text)
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", r.text)]
    assert segments == ["seg_0.m4s", "seg_1.m4s", "seg_2.m4s"]
    assert sum(durations) == pytest.approx(5.0)

    folder = f"{base}/{session_id}/{variant}"
    init = await client.get(f"{folder}/init.mp4", headers=admin_headers)
    assert init.status_code == 200 and init.headers["content-type"] == "video/mp4"
    avcc = init.content.find(b"avcC") + 5  # profile, compatibility and level bytes
    assert f'CODECS="avc1.{init.content[avcc : avcc + 3].hex()},' in info  # the truth
    seg1 = await client.get(f"{folder}/seg_1.m4s", headers=admin_headers)
    assert seg1.status_code == 200
    seg0 = await client.get(f"{folder}/seg_0.m4s", headers=admin_headers)
    assert seg0.status_code == 200
    joined = Path(app.state.ctx.settings.media_location) / f"joined-{session_id}.mp4"
    joined.write_bytes(init.content + seg0.content + seg1.content)
    try:
        with av.open(str(joined)) as c:
            frames = list(c.decode(video=0))
    finally:
        joined.unlink()
    assert len(frames) == 120 and (frames[0].width, frames[0].height) == (320, 240)
    assert [round(f.time * 30) for f in frames] == list(range(120))

    r = await client.get(f"{folder}/seg_3.m4s", headers=admin_headers)
    assert r.status_code == 404  # past the end
    r = await client.get(f"{folder}/seg_x.m4s", headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["filename"]
    r = await client.get(f"{base}/{session_id}/9/playlist.m3u8", headers=admin_headers)
    assert r.status_code == 404

    _, other = await user_and_login(client, admin_headers)
    r = await client.get(f"{folder}/seg_0.m4s", headers=other)
    assert r.status_code == 400  # no access to the asset

    service = app.state.ctx.state["video.streaming"]
    cache = service.root / session_id
    assert (cache / variant / "seg_0.m4s").is_file()
    r = await client.delete(f"{base}/{session_id}", headers=admin_headers)
    assert r.status_code == 204
    assert not cache.exists()
    r = await client.get(f"{folder}/seg_0.m4s", headers=admin_headers)
    assert r.status_code == 404 and r.json() == {"message": "Session not found"}
    r = await client.delete(f"{base}/{session_id}", headers=admin_headers)
    assert r.status_code == 204


async def test_hls_bad_session_ids(
    client: httpx.AsyncClient, admin_headers: dict[str, str], clips: dict[str, Path]
) -> None:
    asset_id = await upload_file(client, admin_headers, clips["short"])
    base = f"/api/assets/{asset_id}/video/stream"
    r = await client.get(f"{base}/nope/0/playlist.m3u8", headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"] == [
        {"path": ["sessionId"], "message": "Invalid UUID"}
    ]
    r = await client.get(f"{base}/{uuid.uuid4()}/x/playlist.m3u8", headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["variantIndex"]
    r = await client.get(f"{base}/{uuid.uuid4()}/0/playlist.m3u8", headers=admin_headers)
    assert r.status_code == 404
    r = await client.get(
        f"{base}/{uuid.uuid4()}/0/playlist.m3u8",
        headers={**admin_headers, "x-immich-hls-pos": "-1"},
    )
    assert r.status_code == 400


@pytest.mark.usefixtures("hls_worker")
async def test_idle_sessions_are_cleaned_up(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], clips: dict[str, Path]
) -> None:
    await enable_streaming(client, admin_headers)
    asset_id = await upload_file(client, admin_headers, clips["short"])
    base = f"/api/assets/{asset_id}/video/stream"
    master = (await client.get(f"{base}/main.m3u8", headers=admin_headers)).text
    uri = variant_urls(master)[0][1]
    session_id = uri.split("/")[0]
    r = await client.get(
        f"{base}/{uri.replace('playlist.m3u8', 'seg_0.m4s')}", headers=admin_headers
    )
    assert r.status_code == 200
    service = app.state.ctx.state["video.streaming"]
    cache = service.root / session_id
    await service.cleanup(idle_seconds=3600)  # still fresh: kept
    assert cache.is_dir() and uuid.UUID(session_id) in service.sessions
    assert await service.cleanup(idle_seconds=0) >= 1
    assert not cache.exists() and uuid.UUID(session_id) not in service.sessions
    r = await client.get(f"{base}/{uri}", headers=admin_headers)
    assert r.status_code == 404


async def test_not_a_video_cannot_stream(
    client: httpx.AsyncClient, admin_headers: dict[str, str], tmp_path: Path
) -> None:
    import pyvips

    await enable_streaming(client, admin_headers)
    png = tmp_path / "still.png"
    pyvips.Image.black(8, 8).pngsave(str(png))
    image_id = await upload_file(client, admin_headers, png)
    r = await client.get(f"/api/assets/{image_id}/video/stream/main.m3u8", headers=admin_headers)
    assert r.status_code == 404
