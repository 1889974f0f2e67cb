"""Temporary files a killed transcode leaves under ``encoded-video/``: swept by the job's
retry and by the "queue all" run (the nightly missing-derived-files duty), only once older
than the job lease (a younger one may be a running transcode's)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.jobs.types import JobStatus
from immich.storage import layout
from plugins.video import _temp, transcode
from plugins.video.jobs import encode_all, encode_video

from .clips import upload_file
from .test_jobs import asset_row, set_ffmpeg

LEASE = 60


def _leftover(folder: Path, stem: str, age_s: float, now: float) -> Path:
    """A temp file as a transcode names it, last written ``age_s`` seconds before ``now``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = _temp.temp_for(folder / f"{stem}.mp4")
    path.write_bytes(b"\0" * 1024)
    os.utime(path, (now - age_s, now - age_s))
    return path


def test_the_sweep_takes_stale_temp_files_only(tmp_path: Path) -> None:
    now = time.time()
    root = tmp_path / "encoded-video"
    shard = root / "owner" / "ab" / "cd"
    stale = _leftover(shard, "abcd-1", LEASE + 5, now)
    fresh = _leftover(shard, "abcd-2", LEASE - 5, now)  # a transcode still writing
    motion = _leftover(shard, "abcd-3-MP.mp4", 3600, now)  # a motion-photo video's
    final = shard / "abcd-4.mp4"
    final.write_bytes(b"mp4")
    os.utime(final, (now - 3600, now - 3600))
    other = shard / ".abcd-5.mp4.tmp"  # not our name form (no 32-hex nonce): not ours to take
    other.write_bytes(b"x")
    os.utime(other, (now - 3600, now - 3600))
    hls = _leftover(root / "hls" / "session" / "720", "seg", 3600, now)  # HlsSessionCleanup's
    assert sorted(_temp.sweep(root, LEASE, now)) == sorted([stale, motion])
    assert not stale.exists() and not motion.exists()
    assert fresh.exists() and final.exists() and other.exists() and hls.exists()
    assert _temp.sweep(tmp_path / "nowhere", LEASE, now) == []


def test_the_jobs_own_sweep_takes_only_its_assets_leftovers(tmp_path: Path) -> None:
    now = time.time()
    dest = tmp_path / "aaaa.mp4"
    mine = _leftover(tmp_path, "aaaa", LEASE + 1, now)
    mine_fresh = _leftover(tmp_path, "aaaa", 1, now)
    theirs = _leftover(tmp_path, "aaaa-MP.mp4", LEASE + 1, now)
    assert _temp.sweep_leftovers_of(dest, LEASE, now) == [mine]
    assert mine_fresh.exists() and theirs.exists()
    assert _temp.sweep_leftovers_of(tmp_path / "none" / "x.mp4", LEASE, now) == []


def test_the_transcode_writes_the_name_the_sweep_knows(
    tmp_path: Path, clip: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The transcode's temp file is ``_temp.temp_for``'s (in the destination's folder), and a
    finished one leaves nothing but the MP4."""
    named: list[Path] = []
    real = _temp.temp_for

    def recording(dest: Path) -> Path:
        named.append(real(dest))
        return named[-1]

    monkeypatch.setattr(_temp, "temp_for", recording)
    from plugins.video.config import FFmpegConfig

    dest = tmp_path / "out" / f"{uuid.uuid4()}.mp4"
    cfg = FFmpegConfig.from_dict({"transcode": "all", "targetResolution": "original"})
    transcode.transcode(clip("h264"), dest, cfg)
    assert len(named) == 1 and named[0].parent == dest.parent
    assert _temp._TEMP.match(named[0].name)["stem"] == dest.stem  # type: ignore[index]
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]


async def test_the_retry_and_the_nightly_run_sweep_what_a_kill_left(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], clip: Callable[[str], Path]
) -> None:
    """A killed transcode's temp file goes when its job runs again (once older than the lease);
    the "queue all" run takes every other stale one under ``encoded-video/``."""
    ctx = app.state.ctx
    lease = ctx.settings.job_lease_s
    now = time.time()
    await set_ffmpeg(client, admin_headers, transcode="all", targetResolution="original")
    asset_id = await upload_file(client, admin_headers, clip("h264"))
    owner = str((await asset_row(app, asset_id))["ownerId"])
    dest = layout.encoded_video_path(ctx.settings.media_location, owner, asset_id)
    killed = _leftover(dest.parent, asset_id, lease + 30, now)
    running = _leftover(dest.parent, asset_id, 1, now)  # another worker's, still being written
    result = await encode_video(ctx, {"id": asset_id})
    assert result.status == JobStatus.success
    assert not killed.exists() and running.exists()
    assert dest.is_file()

    other = str(uuid.uuid4())
    elsewhere = layout.encoded_video_path(ctx.settings.media_location, owner, other).parent
    stale = _leftover(elsewhere, other, lease + 30, now)
    fresh = _leftover(elsewhere, other, 1, now)
    await encode_all(ctx, {"force": False})
    assert not stale.exists() and fresh.exists() and running.exists() and dest.is_file()
    running.unlink()
    fresh.unlink()
