"""transcode: the MP4 plays (decoded back), is upright, faststart, atomic and repeatable."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import av
import pytest

from plugins.video import VideoError
from plugins.video.config import FFmpegConfig
from plugins.video.policy import decide
from plugins.video.probe import probe
from plugins.video.transcode import transcode

from .conftest import decode_frames, marker_corner


def ff(**values: object) -> FFmpegConfig:
    """Immich's ffmpeg settings (camelCase keys)."""
    return FFmpegConfig.from_dict(values)


def top_level_boxes(path: Path) -> list[str]:
    data, pos, kinds = path.read_bytes(), 0, []
    while pos + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, pos)
        kinds.append(kind.decode())
        pos += size if size >= 8 else len(data)
    return kinds


def test_all_policy_reencodes_and_the_result_plays(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    source = clip("h264")
    dest = tmp_path / "out" / "a.mp4"
    result = transcode(source, dest, ff(transcode="all"))
    assert (result.video_copied, result.audio_copied) == (False, False)
    assert dest.is_file() and result.bytes == dest.stat().st_size
    assert top_level_boxes(dest)[:2] == ["ftyp", "moov"]  # faststart: index before the data
    frames = decode_frames(dest)
    assert len(frames) == 60
    assert (frames[0].width, frames[0].height) == (160, 120)
    assert frames[-1].time == pytest.approx(59 / 30, abs=0.01)  # timestamps passed through
    info = probe(dest)
    assert info.audio is not None and info.audio.codec_name == "aac"
    with av.open(str(dest)) as c:
        samples = sum(f.samples for f in c.decode(audio=0))
    assert samples == pytest.approx(2 * 48000, rel=0.05)
    assert [p.name for p in dest.parent.iterdir()] == ["a.mp4"]  # no temporary file left


def test_rotated_video_is_written_upright(clip: Callable[[str], Path], tmp_path: Path) -> None:
    source = clip("hevc_rotated")
    dest = tmp_path / "r.mp4"
    result = transcode(source, dest, ff(transcode="all", targetVideoCodec="h264"))
    assert (result.width, result.height) == (120, 160)
    info = probe(dest)
    assert info.video is not None
    assert (info.video.width, info.video.height, info.video.rotation) == (120, 160, 0)
    assert info.video.codec_name == "h264"
    frame = decode_frames(dest)[0]
    # the marker, top-left in the stored frames, is bottom-left once turned a quarter
    # turn counter-clockwise (the display matrix's 90 degrees)
    assert marker_corner(frame.to_ndarray(format="rgb24")) == "bottom-left"


def test_copy_keeps_streams_and_rotation(clip: Callable[[str], Path], tmp_path: Path) -> None:
    source = clip("hevc_rotated")
    config = ff(transcode="required", acceptedVideoCodecs=["hevc"], acceptedAudioCodecs=["aac"])
    decision = decide(config, probe(source))
    assert (decision.target, decision.remux) == ("audio", True)  # opus in mkv -> aac in mp4
    result = transcode(source, tmp_path / "c.mp4", config)
    assert (result.video_copied, result.audio_copied) == (True, False)
    info = probe(result.path)
    assert info.video is not None
    assert (info.video.codec_name, info.video.rotation) == ("hevc", 90)
    assert len(decode_frames(result.path)) == 30


@pytest.mark.parametrize("codec", ["hevc", "vp9", "av1"])
def test_target_codecs(codec: str, clip: Callable[[str], Path], tmp_path: Path) -> None:
    config = ff(transcode="all", targetVideoCodec=codec, targetAudioCodec="opus")
    result = transcode(clip("vp9"), tmp_path / "t.mp4", config)
    info = probe(result.path)
    assert info.video is not None and info.video.codec_name == codec
    assert info.audio is not None and info.audio.codec_name == "opus"
    assert len(decode_frames(result.path)) == 30


def test_scaling_and_ten_bit(clip: Callable[[str], Path], tmp_path: Path) -> None:
    config = ff(transcode="required", targetResolution="480")
    source = clip("h264_10bit")
    assert decide(config, probe(source)).target == "video"  # 10-bit is never accepted
    small = ff(transcode="all", targetResolution="60")
    result = transcode(source, tmp_path / "s.mp4", small)
    info = probe(result.path)
    assert info.video is not None
    assert (info.video.width, info.video.height, info.video.pixel_format) == (80, 60, "yuv420p")


def test_running_twice_gives_the_same_file(clip: Callable[[str], Path], tmp_path: Path) -> None:
    config = ff(transcode="all", threads=1)
    dest = tmp_path / "same.mp4"
    transcode(clip("h264"), dest, config)
    first = dest.read_bytes()
    transcode(clip("h264"), dest, config)
    assert dest.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["same.mp4"]


@pytest.mark.parametrize("kind", ["empty", "text", "truncated"])
def test_bad_files_fail_and_leave_nothing(
    broken: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    with pytest.raises(VideoError, match="cannot"):
        transcode(broken[kind], out / "x.mp4", ff(transcode="all"))
    assert not out.exists() or list(out.iterdir()) == []


def test_failure_keeps_the_previous_file(
    clip: Callable[[str], Path], broken: dict[str, Path], tmp_path: Path
) -> None:
    dest = tmp_path / "keep" / "keep.mp4"
    transcode(clip("h264"), dest, ff(transcode="all"))
    before = dest.read_bytes()
    info = probe(clip("h264"))  # a decision for a file that then turns out unreadable
    with pytest.raises(VideoError):
        transcode(broken["text"], dest, ff(transcode="all"), info=info)
    assert dest.read_bytes() == before
    assert [p.name for p in dest.parent.iterdir()] == ["keep.mp4"]
