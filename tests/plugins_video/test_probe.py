"""probe: container, codecs, duration, rotation, fps, bitrates and audio of real clips."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from plugins.video import VideoError
from plugins.video.probe import normalise_rotation, probe


def test_h264_mp4(clip: Callable[[str], Path]) -> None:
    info = probe(clip("h264"))
    assert info.format_long_name == "QuickTime / MOV"
    assert info.container == "mov"  # as Immich reads MP4/MOV files
    assert info.duration == pytest.approx(2.0, abs=0.1)
    assert info.bitrate > 0
    v = info.video
    assert v is not None
    assert (v.codec_name, v.pixel_format, v.width, v.height) == ("h264", "yuv420p", 160, 120)
    assert (v.rotation, v.fps, v.frame_count) == (0, 30.0, 60)
    assert v.bitrate > 0
    a = info.audio
    assert a is not None
    assert (a.codec_name, a.sample_rate, a.channels) == ("aac", 48000, 2)
    assert a.bitrate > 0


def test_hevc_matroska_rotated(clip: Callable[[str], Path]) -> None:
    info = probe(clip("hevc_rotated"))
    assert info.format_name.startswith("matroska")
    assert info.container == "mkv"  # HEVC is not a WebM codec
    v = info.video
    assert v is not None
    assert (v.codec_name, v.rotation) == ("hevc", 90)
    assert (v.width, v.height) == (160, 120)
    assert (v.display_width, v.display_height) == (120, 160)
    assert v.frame_count in (30, 31)  # estimated from the duration: Matroska keeps no count
    assert info.audio is not None and info.audio.codec_name == "opus"


def test_vp9_webm(clip: Callable[[str], Path]) -> None:
    info = probe(clip("vp9"))
    assert info.container == "webm"
    assert info.video is not None and info.video.codec_name == "vp9"
    assert info.video.bitrate > 0  # from the container when the stream has none


def test_ten_bit_without_audio(clip: Callable[[str], Path]) -> None:
    info = probe(clip("h264_10bit"))
    assert info.video is not None and info.video.pixel_format == "yuv420p10le"
    assert info.audio is None and info.audio_streams == []


@pytest.mark.parametrize("kind", ["empty", "text", "truncated"])
def test_unreadable_files_raise_with_a_reason(broken: dict[str, Path], kind: str) -> None:
    # (the truncated MP4 lost its index, which PyAV's muxer writes at the end)
    with pytest.raises(VideoError, match="cannot read video: "):
        probe(broken[kind])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="No such file"):
        probe(tmp_path / "gone.mp4")


@pytest.mark.parametrize(
    ("angle", "expected"), [(0, 0), (90, 90), (-90, 270), (180, 180), (-180, 180), (89.6, 90)]
)
def test_rotation_is_a_quarter_turn(angle: float, expected: int) -> None:
    assert normalise_rotation(angle) == expected
