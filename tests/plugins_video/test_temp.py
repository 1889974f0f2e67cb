"""Temporary files a killed transcode leaves under ``encoded-video/`` (its MP4 and its
two-pass stats folder): swept by the job's retry and by the "queue all" run (the nightly
missing-derived-files duty), only once older than the job lease (a younger one may be a
running transcode's). The name forms and the sweep itself: tests/storage/test_temp.py."""

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
from immich.storage import temp as _temp
from plugins.video import _twopass, transcode
from plugins.video.config import FFmpegConfig
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

    dest = tmp_path / "out" / f"{uuid.uuid4()}.mp4"
    cfg = FFmpegConfig.from_dict({"transcode": "all", "targetResolution": "original"})
    transcode.transcode(clip("h264"), dest, cfg)
    assert len(named) == 1 and named[0].parent == dest.parent
    assert _temp._TOKENED.match(named[0].name)["stem"] == dest.stem  # type: ignore[index]
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]


def test_two_pass_stats_live_beside_the_output_not_in_tmp(
    tmp_path: Path, clip: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first pass's stats go to the temp file's ``.2pass`` folder in the destination's
    folder (the media filesystem, swept with the rest), and the folder goes afterwards."""
    seen: list[list[str]] = []
    real = _twopass.first_pass

    def spying(*args: Any) -> int:
        frames = real(*args)
        stats: Path = args[-1]
        seen.append(sorted(p.name for p in stats.parent.parent.iterdir()))
        assert stats.parent.name.endswith(".2pass") and stats.is_file()
        return frames

    monkeypatch.setattr(_twopass, "first_pass", spying)
    dest = tmp_path / "out" / f"{uuid.uuid4()}.mp4"
    cfg = FFmpegConfig.from_dict(
        {"transcode": "all", "maxBitrate": "400k", "twoPass": True, "preset": "ultrafast"}
    )
    transcode.transcode(clip("h264"), dest, cfg)
    assert len(seen) == 1 and [n for n in seen[0] if n.endswith(".2pass")]
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
    killed_stats = _temp.work_folder_for(killed)  # its two-pass stats, as old
    killed_stats.mkdir()
    (killed_stats / "video.stats").write_bytes(b"stats")
    for part in (killed_stats / "video.stats", killed_stats):
        os.utime(part, (now - lease - 30, now - lease - 30))
    running = _leftover(dest.parent, asset_id, 1, now)  # another worker's, still being written
    result = await encode_video(ctx, {"id": asset_id})
    assert result.status == JobStatus.success
    assert not killed.exists() and not killed_stats.exists() and running.exists()
    assert dest.is_file()

    other = str(uuid.uuid4())
    elsewhere = layout.encoded_video_path(ctx.settings.media_location, owner, other).parent
    stale = _leftover(elsewhere, other, lease + 30, now)
    fresh = _leftover(elsewhere, other, 1, now)
    await encode_all(ctx, {"force": False})
    assert not stale.exists() and fresh.exists() and running.exists() and dest.is_file()
    running.unlink()
    fresh.unlink()
