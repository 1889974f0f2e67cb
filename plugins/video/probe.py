"""``probe``: what ffprobe tells Immich about a video, read with PyAV.

Container (demuxer name, Immich's container name), duration, overall bitrate, and per stream:
codec, profile, pixel format, size, display rotation, frame rate, bitrate and frame count.
The rotation comes from the display matrix, which FFmpeg hands over with the first decoded
frame, so one frame of the main video stream is decoded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import av

from ._errors import VideoError, av_reason

# Codecs whose streams can live in a WebM file (the rest of Matroska is "mkv").
_WEBM_CODECS = frozenset({"vp8", "vp9", "av1", "opus", "vorbis"})


@dataclass(frozen=True, slots=True)
class VideoStreamInfo:
    index: int
    codec_name: str  # ffprobe's name: h264, hevc, vp9, av1, ...
    profile: str
    pixel_format: str  # yuv420p, yuv420p10le, ...
    width: int  # coded size, before rotation
    height: int
    rotation: int  # display rotation, degrees counter-clockwise: 0, 90, 180 or 270
    fps: float
    bitrate: int  # bits per second, 0 when unknown
    frame_count: int
    time_base: float
    start_time: float  # seconds
    color_transfer: str = ""  # "smpte2084", "arib-std-b67" or "" (anything else)
    color_trc: int = 0  # AVColorTransferCharacteristic of the first frame (0: unknown)
    color_primaries: int = 0  # AVColorPrimaries (9: BT.2020)

    @property
    def display_width(self) -> int:
        return self.height if self.rotation in (90, 270) else self.width

    @property
    def display_height(self) -> int:
        return self.width if self.rotation in (90, 270) else self.height

    @property
    def is_hdr(self) -> bool:
        return self.color_transfer in ("smpte2084", "arib-std-b67") or self.color_primaries == 9


@dataclass(frozen=True, slots=True)
class AudioStreamInfo:
    index: int
    codec_name: str
    sample_rate: int
    channels: int
    bitrate: int
    frame_count: int


@dataclass(frozen=True, slots=True)
class MediaInfo:
    format_name: str  # the demuxer's names, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    format_long_name: str
    duration: float  # seconds, 0 when unknown
    bitrate: int
    video_streams: list[VideoStreamInfo] = field(default_factory=list)
    audio_streams: list[AudioStreamInfo] = field(default_factory=list)

    @property
    def video(self) -> VideoStreamInfo | None:
        """The main video stream: as Immich, the known codec with the most frames."""
        return _main(self.video_streams)

    @property
    def audio(self) -> AudioStreamInfo | None:
        return _main(self.audio_streams)

    @property
    def container(self) -> str:
        """Immich's container name (its VideoContainer enum where it applies).

        QuickTime/MP4 files are "mov" (as Immich reads ffprobe's long name); Matroska is "webm"
        when every stream is a WebM codec, else "mkv"; otherwise the demuxer's first name.
        """
        if self.format_long_name == "QuickTime / MOV":
            return "mov"
        first = self.format_name.split(",")[0]
        if first == "matroska":
            codecs = {s.codec_name for s in self.video_streams} | {
                s.codec_name for s in self.audio_streams
            }
            return "webm" if codecs <= _WEBM_CODECS else "mkv"
        return first


S = TypeVar("S", VideoStreamInfo, AudioStreamInfo)


def _main(streams: list[S]) -> S | None:
    known = [s for s in streams if s.codec_name != "unknown"]
    if not known:
        return None
    return max(known, key=lambda s: s.frame_count)


def probe(path: Path) -> MediaInfo:
    """Read the container and stream facts of ``path``; VideoError with the reason when the
    file is missing, empty or not a media file FFmpeg can read."""
    try:
        if path.stat().st_size == 0:
            raise VideoError("cannot read video: empty file (0 bytes)")
        container = av.open(str(path), metadata_errors="ignore")
    except VideoError:
        raise
    except (OSError, av.FFmpegError) as exc:
        raise VideoError(f"cannot read video: {av_reason(exc)}") from exc
    with container:
        duration = container.duration / av.time_base if container.duration else 0.0
        total_bitrate = int(container.bit_rate or 0)
        audio = [_audio(s, duration) for s in container.streams.audio]
        audio_bitrate = sum(a.bitrate for a in audio)
        video = [
            _video(container, s, duration, total_bitrate - audio_bitrate)
            for s in container.streams.video
            if not _is_cover_art(s)
        ]
        return MediaInfo(
            format_name=container.format.name,
            format_long_name=container.format.long_name,
            duration=duration,
            bitrate=total_bitrate,
            video_streams=video,
            audio_streams=audio,
        )


def _is_cover_art(stream: av.video.stream.VideoStream) -> bool:
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _codec_name(ctx: av.CodecContext) -> str:
    try:
        return str(ctx.codec.canonical_name)
    except (AttributeError, av.FFmpegError):
        return "unknown"


def _video(
    container: Any, stream: av.video.stream.VideoStream, duration: float, rest_bitrate: int
) -> VideoStreamInfo:
    ctx = stream.codec_context
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    fps = float(rate) if rate else 0.0
    tb = float(stream.time_base) if stream.time_base else 0.0
    stream_duration = stream.duration * tb if stream.duration else duration
    frames = stream.frames or (math.ceil(stream_duration * fps) if fps else 0)
    rotation, pix_fmt, trc, primaries = _first_frame_facts(container, stream)
    return VideoStreamInfo(
        index=stream.index,
        codec_name=_codec_name(ctx),
        profile=str(ctx.profile or ""),
        pixel_format=pix_fmt or (ctx.format.name if ctx.format else ""),
        width=ctx.width,
        height=ctx.height,
        rotation=rotation,
        fps=fps,
        bitrate=int(ctx.bit_rate or 0) or max(rest_bitrate, 0),
        frame_count=int(frames),
        time_base=tb,
        start_time=stream.start_time * tb if stream.start_time is not None else 0.0,
        color_transfer=_transfer_name(trc),
        color_trc=trc,
        color_primaries=primaries,
    )


def _audio(stream: av.audio.stream.AudioStream, duration: float) -> AudioStreamInfo:
    ctx = stream.codec_context
    return AudioStreamInfo(
        index=stream.index,
        codec_name=_codec_name(ctx),
        sample_rate=int(ctx.sample_rate or 0),
        channels=int(ctx.layout.nb_channels) if ctx.layout else 0,
        bitrate=int(ctx.bit_rate or 0),
        frame_count=int(stream.frames or 0),
    )


def _first_frame_facts(
    container: Any, stream: av.video.stream.VideoStream
) -> tuple[int, str, int, int]:
    """(rotation, pixel format, colour transfer, primaries) from the first decodable frame."""
    ctx = stream.codec_context
    try:
        for frame in container.decode(stream):
            return (
                normalise_rotation(frame.rotation),
                frame.format.name,
                _code(frame.color_trc) or _code(ctx.color_trc),
                _code(frame.color_primaries) or _code(ctx.color_primaries),
            )
    except av.FFmpegError:
        pass
    return 0, "", _code(ctx.color_trc), _code(ctx.color_primaries)


def _code(value: Any) -> int:
    """An FFmpeg colour enum as a number; 0 for unknown (2, "unspecified", counts as 0)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return 0 if number == 2 else number


_TRANSFERS = {16: "smpte2084", 18: "arib-std-b67"}


def _transfer_name(value: Any) -> str:
    try:
        return _TRANSFERS.get(int(value), "")
    except (TypeError, ValueError):
        return ""


def normalise_rotation(degrees: float) -> int:
    """A display-matrix angle as 0, 90, 180 or 270 degrees counter-clockwise."""
    return int(round(degrees / 90.0)) % 4 * 90
