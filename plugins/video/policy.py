"""Transcode decisions, as Immich's media service makes them.

For the main video stream V and main audio stream A (if any) of a probed file::

    policy     | video transcoded when                         | audio transcoded when
    -----------+-----------------------------------------------+---------------------------
    disabled   | never                                         | never
    all        | always                                        | always (if there is audio)
    required   | REQ                                           | A's codec not accepted
    optimal    | REQ or shorter side > targetResolution        | A's codec not accepted
    bitrate    | REQ or V's bitrate > maxBitrate               | A's codec not accepted

    REQ = V's codec is not in acceptedVideoCodecs, or its pixel format is not 4:2:0 8-bit
          (Immich: the format name does not end in "420p").
    "original" as targetResolution never counts as larger; maxBitrate "0" means 0 bit/s, so
    "bitrate" with no maximum transcodes every video (as Immich).

The target is ``all`` (both), ``video``, ``audio`` or ``none``. With ``none`` the file is still
remuxed into MP4 (streams copied) when its container is neither MP4 nor in
``acceptedContainers`` (never under ``disabled``); otherwise no encoded video is made and an
existing one is removed. A transcoded video stream is scaled so that its shorter side (after
rotation) is ``targetResolution`` when larger (``original``: kept), with even dimensions, and
is written upright (the rotation applied to the pixels, as ffmpeg's autorotate does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .config import FFmpegConfig
from .probe import AudioStreamInfo, MediaInfo, VideoStreamInfo

Target = Literal["all", "video", "audio", "none"]


@dataclass(frozen=True, slots=True)
class Decision:
    target: Target
    remux: bool  # container change needed even if no stream is re-encoded
    reason: str

    @property
    def needed(self) -> bool:
        """Whether an encoded video is to be made at all."""
        return self.target != "none" or self.remux

    @property
    def video(self) -> bool:
        return self.target in ("all", "video")

    @property
    def audio(self) -> bool:
        return self.target in ("all", "audio")


def video_transcode_required(cfg: FFmpegConfig, stream: VideoStreamInfo) -> bool:
    scaling = cfg.target_resolution != "original"
    larger_than_target = scaling and min(stream.width, stream.height) > _int(cfg.target_resolution)
    over_bitrate = stream.bitrate > cfg.max_bitrate_bps
    required = (
        stream.codec_name not in cfg.accepted_video_codecs
        or not stream.pixel_format.endswith("420p")
    )
    if cfg.transcode == "disabled":
        return False
    if cfg.transcode == "all":
        return True
    if cfg.transcode == "required":
        return required
    if cfg.transcode == "optimal":
        return required or larger_than_target
    if cfg.transcode == "bitrate":
        return required or over_bitrate
    raise ValueError(f"unsupported transcode policy: {cfg.transcode}")


def audio_transcode_required(cfg: FFmpegConfig, stream: AudioStreamInfo | None) -> bool:
    if stream is None or cfg.transcode == "disabled":
        return False
    if cfg.transcode == "all":
        return True
    return stream.codec_name not in cfg.accepted_audio_codecs


def remux_required(cfg: FFmpegConfig, info: MediaInfo) -> bool:
    if cfg.transcode == "disabled":
        return False
    return info.container != "mp4" and info.container not in cfg.accepted_containers


def decide(cfg: FFmpegConfig, info: MediaInfo) -> Decision:
    """What to do with this file under this config (see the module's table)."""
    video = info.video
    if video is None:
        return Decision("none", False, "no video stream")
    v = video_transcode_required(cfg, video)
    a = audio_transcode_required(cfg, info.audio)
    target: Target = "all" if v and a else "video" if v else "audio" if a else "none"
    remux = remux_required(cfg, info)
    parts = []
    if v:
        parts.append(f"video {video.codec_name}/{video.pixel_format} under policy {cfg.transcode}")
    if a and info.audio is not None:
        parts.append(f"audio {info.audio.codec_name} not accepted or policy all")
    if remux:
        parts.append(f"container {info.container} not accepted")
    return Decision(target, remux, "; ".join(parts) or "nothing to change")


def output_size(cfg: FFmpegConfig, stream: VideoStreamInfo) -> tuple[int, int]:
    """Upright (width, height) of the transcoded video: shorter side at most the target
    resolution, never enlarged, both sides even."""
    width, height = stream.display_width, stream.display_height
    return scaled_size(
        width, height, None if cfg.target_resolution == "original" else _int(cfg.target_resolution)
    )


def scaled_size(width: int, height: int, target_short: int | None) -> tuple[int, int]:
    """``width``x``height`` with its shorter side reduced to ``target_short`` (None: kept),
    keeping the aspect ratio; both sides rounded down to even numbers (at least 2)."""
    short = min(width, height)
    goal = short if target_short is None else min(short, target_short)
    if goal == short:
        out_w, out_h = width, height
    elif width <= height:
        out_w, out_h = goal, round(height * goal / width)
    else:
        out_w, out_h = round(width * goal / height), goal
    return max(2, out_w - out_w % 2), max(2, out_h - out_h % 2)


def _int(text: str) -> int:
    try:
        return int(text.strip().rstrip("p"))
    except ValueError:
        return 720
