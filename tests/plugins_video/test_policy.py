"""Transcode decisions per policy (Immich's media service rules), sizes and the config."""

from __future__ import annotations

import dataclasses

import pytest

from plugins.video.config import FFmpegConfig, parse_bitrate
from plugins.video.policy import decide, output_size, scaled_size
from plugins.video.probe import AudioStreamInfo, MediaInfo, VideoStreamInfo

VIDEO = VideoStreamInfo(
    index=0,
    codec_name="h264",
    profile="High",
    pixel_format="yuv420p",
    width=1920,
    height=1080,
    rotation=0,
    fps=30.0,
    bitrate=8_000_000,
    frame_count=300,
    time_base=1 / 15360,
    start_time=0.0,
)
AUDIO = AudioStreamInfo(
    index=1, codec_name="aac", sample_rate=48000, channels=2, bitrate=128000, frame_count=400
)
MOV = ("mov,mp4,m4a,3gp,3g2,mj2", "QuickTime / MOV")


def media(
    video: VideoStreamInfo | None = VIDEO,
    audio: AudioStreamInfo | None = AUDIO,
    fmt: tuple[str, str] = MOV,
    **changes: object,
) -> MediaInfo:
    if video is not None and changes:
        video = dataclasses.replace(video, **changes)  # type: ignore[arg-type]
    return MediaInfo(
        format_name=fmt[0],
        format_long_name=fmt[1],
        duration=10.0,
        bitrate=8_128_000,
        video_streams=[video] if video else [],
        audio_streams=[audio] if audio else [],
    )


def cfg(**values: object) -> FFmpegConfig:
    return FFmpegConfig.from_dict(values)


@pytest.mark.parametrize(
    ("policy", "info", "target"),
    [
        # an accepted stream: only "all" re-encodes it
        ("required", media(), "none"),
        ("optimal", media(height=720, width=1280), "none"),
        ("bitrate", media(), "video"),  # maxBitrate "0": every bitrate is over it (as Immich)
        ("all", media(), "all"),
        ("disabled", media(codec_name="hevc"), "none"),
        # codec not accepted
        ("required", media(codec_name="hevc"), "video"),
        ("optimal", media(codec_name="vp9"), "video"),
        # 10-bit or 4:2:2 is never "accepted"
        ("required", media(pixel_format="yuv420p10le"), "video"),
        ("required", media(pixel_format="yuv422p"), "video"),
        ("required", media(pixel_format="yuvj420p"), "none"),
        # larger than the target resolution: only "optimal" cares
        ("optimal", media(), "video"),
        ("required", media(width=3840, height=2160), "none"),
        # audio codec not accepted
        ("required", media(audio=dataclasses.replace(AUDIO, codec_name="pcm_s24le")), "audio"),
        (
            "optimal",
            media(audio=dataclasses.replace(AUDIO, codec_name="ac3"), codec_name="hevc"),
            "all",
        ),
        ("disabled", media(audio=dataclasses.replace(AUDIO, codec_name="ac3")), "none"),
        # no audio stream: nothing to transcode there, even under "all"
        ("all", media(audio=None), "video"),
    ],
)
def test_target_per_policy(policy: str, info: MediaInfo, target: str) -> None:
    assert decide(cfg(transcode=policy), info).target == target


def test_bitrate_policy_compares_with_max_bitrate() -> None:
    config = cfg(transcode="bitrate", maxBitrate="10M")
    assert decide(config, media(bitrate=8_000_000)).target == "none"
    assert decide(config, media(bitrate=12_000_000)).target == "video"
    assert parse_bitrate("5000k") == 5_000_000
    assert parse_bitrate("0") == 0
    assert parse_bitrate("garbage") == 0


def test_optimal_with_original_resolution_keeps_size() -> None:
    config = cfg(transcode="optimal", targetResolution="original")
    assert decide(config, media(width=3840, height=2160)).target == "none"


def test_accepted_codecs_follow_the_config() -> None:
    config = cfg(transcode="required", acceptedVideoCodecs=["h264", "hevc"])
    assert decide(config, media(codec_name="hevc")).target == "none"


@pytest.mark.parametrize(
    ("fmt", "policy", "accepted", "remux"),
    [
        (MOV, "required", ["mov", "ogg", "webm"], False),
        (MOV, "required", ["ogg"], True),  # MP4/MOV files count as "mov" (Immich)
        (("matroska,webm", "Matroska / WebM"), "required", ["mov", "ogg", "webm"], True),
        (("avi", "AVI (Audio Video Interleaved)"), "optimal", ["mov"], True),
        (("avi", "AVI (Audio Video Interleaved)"), "disabled", ["mov"], False),
    ],
)
def test_remux_when_the_container_is_not_accepted(
    fmt: tuple[str, str], policy: str, accepted: list[str], remux: bool
) -> None:
    decision = decide(cfg(transcode=policy, acceptedContainers=accepted), media(fmt=fmt))
    assert decision.remux is remux
    assert decision.needed is remux  # the streams themselves are accepted
    if remux:
        assert "container" in decision.reason


def test_no_video_stream_needs_nothing() -> None:
    decision = decide(cfg(transcode="all"), media(video=None))
    assert (decision.target, decision.needed) == ("none", False)


@pytest.mark.parametrize(
    ("size", "rotation", "target", "expected"),
    [
        ((1920, 1080), 0, "720", (1280, 720)),
        ((1080, 1920), 0, "720", (720, 1280)),
        ((1920, 1080), 90, "720", (720, 1280)),  # upright: portrait
        ((1280, 720), 0, "1080", (1280, 720)),  # never enlarged
        ((1921, 1081), 0, "original", (1920, 1080)),  # even sides
        ((4000, 3000), 270, "480", (480, 640)),
        ((640, 360), 0, "360", (640, 360)),
    ],
)
def test_output_size(
    size: tuple[int, int], rotation: int, target: str, expected: tuple[int, int]
) -> None:
    stream = dataclasses.replace(VIDEO, width=size[0], height=size[1], rotation=rotation)
    assert output_size(cfg(targetResolution=target), stream) == expected


def test_scaled_size_keeps_aspect_ratio() -> None:
    assert scaled_size(1440, 1080, 720) == (960, 720)
    assert scaled_size(3, 3, 720) == (2, 2)


def test_config_defaults_are_immichs() -> None:
    config = FFmpegConfig.from_dict(None)
    assert (config.transcode, config.target_video_codec, config.crf) == ("required", "h264", 23)
    assert config.accepted_containers == ("mov", "ogg", "webm")
    assert config.realtime.enabled is False
    assert config.realtime.resolutions == (720, 1080)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"transcode": "sometimes"}, "ffmpeg.transcode must be one of"),
        ({"targetVideoCodec": "mpeg2"}, "ffmpeg.targetVideoCodec"),
        ({"crf": "23"}, "ffmpeg.crf must be an integer"),
        ({"acceptedVideoCodecs": "h264"}, "ffmpeg.acceptedVideoCodecs must be a list"),
    ],
)
def test_bad_config_values_name_the_key(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FFmpegConfig.from_dict(values)
