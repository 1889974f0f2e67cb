"""Immich's system config section ``ffmpeg.*`` as typed values.

``FFmpegConfig.from_dict(config["ffmpeg"])``: missing keys take Immich's defaults; a value of
the wrong kind raises ValueError naming the key. Hardware acceleration (``accel``,
``accelDecode``, ``preferredHwDevice``) is accepted and ignored: PyAV encodes on the CPU.
``tonemap`` is ``hable``, ``mobius``, ``reinhard`` or ``disabled`` (HDR sources kept as they are).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

POLICIES = ("all", "optimal", "bitrate", "required", "disabled")
VIDEO_CODECS = ("h264", "hevc", "vp9", "av1")
AUDIO_CODECS = ("mp3", "aac", "opus", "pcm_s16le")
PRESETS = (
    "veryslow",
    "slower",
    "slow",
    "medium",
    "fast",
    "faster",
    "veryfast",
    "superfast",
    "ultrafast",
)
TONEMAPS = ("hable", "mobius", "reinhard", "disabled")


@dataclass(frozen=True, slots=True)
class RealtimeConfig:
    """``ffmpeg.realtime``: HLS streaming (Immich 3.1, alpha)."""

    enabled: bool = False
    resolutions: tuple[int, ...] = (720, 1080)
    video_codecs: tuple[str, ...] = ("h264",)


@dataclass(frozen=True, slots=True)
class FFmpegConfig:
    transcode: str = "required"
    target_video_codec: str = "h264"
    accepted_video_codecs: tuple[str, ...] = ("h264",)
    target_audio_codec: str = "aac"
    accepted_audio_codecs: tuple[str, ...] = ("aac", "mp3", "opus")
    accepted_containers: tuple[str, ...] = ("mov", "ogg", "webm")
    target_resolution: str = "720"
    max_bitrate: str = "0"
    crf: int = 23
    preset: str = "ultrafast"
    threads: int = 0
    two_pass: bool = False
    bframes: int = -1
    refs: int = 0
    gop_size: int = 0
    tonemap: str = "hable"
    realtime: RealtimeConfig = field(default_factory=RealtimeConfig)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> FFmpegConfig:
        data = data or {}
        rt = data.get("realtime") or {}
        if not isinstance(rt, Mapping):
            raise ValueError("ffmpeg.realtime must be an object")
        d = cls()
        return cls(
            transcode=_choice(data, "transcode", d.transcode, POLICIES),
            target_video_codec=_choice(
                data, "targetVideoCodec", d.target_video_codec, VIDEO_CODECS
            ),
            accepted_video_codecs=_strings(data, "acceptedVideoCodecs", d.accepted_video_codecs),
            target_audio_codec=_choice(
                data, "targetAudioCodec", d.target_audio_codec, AUDIO_CODECS
            ),
            accepted_audio_codecs=_strings(data, "acceptedAudioCodecs", d.accepted_audio_codecs),
            accepted_containers=_strings(data, "acceptedContainers", d.accepted_containers),
            target_resolution=str(data.get("targetResolution", d.target_resolution)),
            max_bitrate=str(data.get("maxBitrate", d.max_bitrate)),
            crf=_int(data, "crf", d.crf),
            preset=str(data.get("preset", d.preset)),
            threads=_int(data, "threads", d.threads),
            two_pass=bool(data.get("twoPass", d.two_pass)),
            bframes=_int(data, "bframes", d.bframes),
            refs=_int(data, "refs", d.refs),
            gop_size=_int(data, "gopSize", d.gop_size),
            tonemap=_choice(data, "tonemap", d.tonemap, TONEMAPS),
            realtime=RealtimeConfig(
                enabled=bool(rt.get("enabled", False)),
                resolutions=tuple(int(r) for r in rt.get("resolutions", (720, 1080))),
                video_codecs=_strings(rt, "videoCodecs", ("h264",)),
            ),
        )

    @property
    def max_bitrate_bps(self) -> int:
        return parse_bitrate(self.max_bitrate)

    @property
    def encoder_bitrate_bps(self) -> int:
        """``maxBitrate`` as the encoder gets it: Immich passes a bare number on as kbit/s."""
        text = self.max_bitrate.strip()
        return parse_bitrate(text + "k" if text.isdigit() else text)

    @property
    def preset_index(self) -> int:
        """The preset's place from veryslow (0) to ultrafast (8); medium when unknown."""
        return PRESETS.index(self.preset) if self.preset in PRESETS else PRESETS.index("medium")


def parse_bitrate(value: str) -> int:
    """Immich's maxBitrate: "0" (none), "5000k", "10M" or plain bits per second."""
    text = value.strip().lower()
    digits = ""
    for ch in text:
        if not ch.isdigit():
            break
        digits += ch
    if not digits:
        return 0
    number = int(digits)
    if text.endswith("k"):
        return number * 1000
    if text.endswith("m"):
        return number * 1_000_000
    return number


def _choice(data: Mapping[str, Any], key: str, default: str, allowed: tuple[str, ...]) -> str:
    value = data.get(key, default)
    if value not in allowed:
        raise ValueError(f"ffmpeg.{key} must be one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def _strings(data: Mapping[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = data.get(key, default)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"ffmpeg.{key} must be a list of strings, got {value!r}")
    return tuple(value)


def _int(data: Mapping[str, Any], key: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"ffmpeg.{key} must be an integer, got {value!r}")
    return value
