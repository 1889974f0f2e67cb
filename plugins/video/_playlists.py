"""HLS playlists as Immich 3.1 writes them: variants, codec strings, segmentation.

Facts from Immich's streaming code: 2-second segments (a whole number of frames), playlist
version 7, fMP4 segments ``seg_<n>.m4s`` after ``init.mp4``, the variant ladder below (a
variant's index in it is its number in the URLs), CRF per codec, and a variant offered when its
resolution is at most the source's (480p always) and listed in ``ffmpeg.realtime``. Here only
the H.264 and HEVC variants are produced (AV1 is listed by Immich but too slow on a CPU).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from .config import PRESETS, FFmpegConfig
from .policy import scaled_size
from .probe import MediaInfo

SEGMENT_SECONDS = 2
HLS_VERSION = 7
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
CRF = {"h264": 23, "hevc": 28, "vp9": 31, "av1": 35}
SUPPORTED_CODECS = frozenset({"h264", "hevc"})
VARIANTS: tuple[tuple[int, str, int], ...] = (
    (480, "av1", 1_000_000),
    (480, "hevc", 1_200_000),
    (480, "h264", 2_500_000),
    (720, "av1", 2_000_000),
    (720, "hevc", 2_500_000),
    (720, "h264", 5_000_000),
    (1080, "av1", 4_000_000),
    (1080, "hevc", 4_500_000),
    (1080, "h264", 8_000_000),
    (1440, "av1", 7_000_000),
    (1440, "hevc", 8_000_000),
    (1440, "h264", 14_000_000),
    (2160, "av1", 12_000_000),
    (2160, "hevc", 14_000_000),
    (2160, "h264", 25_000_000),
)
# (max frame size, max rate, level): H.264 in macroblocks (16x16), HEVC in luma samples.
H264_LEVELS = (
    (1620, 40_500, "3.0"),
    (3600, 108_000, "3.1"),
    (5120, 216_000, "3.2"),
    (8192, 245_760, "4.0"),
    (8704, 522_240, "4.2"),
    (22_080, 589_824, "5.0"),
    (36_864, 983_040, "5.1"),
    (36_864, 2_073_600, "5.2"),
    (139_264, 4_177_920, "6.0"),
    (139_264, 8_355_840, "6.1"),
    (139_264, 16_711_680, "6.2"),
)
HEVC_LEVELS = (
    (552_960, 16_588_800, "3"),
    (983_040, 33_177_600, "3.1"),
    (2_228_224, 66_846_720, "4"),
    (2_228_224, 133_693_440, "4.1"),
    (8_912_896, 267_386_880, "5"),
    (8_912_896, 534_773_760, "5.1"),
    (8_912_896, 1_069_547_520, "5.2"),
    (35_651_584, 1_069_547_520, "6"),
    (35_651_584, 2_139_095_040, "6.1"),
    (35_651_584, 4_278_190_080, "6.2"),
)


@dataclass(frozen=True, slots=True)
class Variant:
    index: int
    resolution: int
    codec: str
    bitrate: int
    width: int
    height: int
    level: str


@dataclass(frozen=True, slots=True)
class StreamFacts:
    """What a session's playlists and segments are made from (stored with the session)."""

    video_index: int
    audio_index: int | None
    start_time: float
    rotation: int
    fps: float
    frames: int
    segment_duration: float
    segment_count: int
    variants: tuple[Variant, ...]
    preset: str = "ultrafast"  # x264/x265 preset of the session's segments

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StreamFacts:
        values = dict(data)
        values["variants"] = tuple(Variant(**v) for v in values["variants"])
        return cls(**values)

    def variant(self, index: int) -> Variant | None:
        return next((v for v in self.variants if v.index == index), None)


def level_for(codec: str, width: int, height: int, fps: float) -> str:
    table: tuple[tuple[int, int, str], ...]
    if codec == "h264":
        size = math.ceil(width / 16) * math.ceil(height / 16)
        table = H264_LEVELS
    else:
        size = width * height
        table = HEVC_LEVELS
    rate = size * max(fps, 1.0)
    for max_frame, max_rate, level in table:
        if size <= max_frame and rate <= max_rate:
            return level
    return table[-1][2]


def codec_string(codec: str, level: str, preset: str = "ultrafast") -> str:
    """RFC 6381 codec of the video: H.264 Constrained Baseline (avc1.42c0xx: x264's
    ultrafast) or High (avc1.6400xx: the other presets), or HEVC Main (hvc1.1.6.Lxx.B0)."""
    if codec == "h264":
        profile = "42c0" if preset == "ultrafast" else "6400"
        return f"avc1.{profile}{round(float(level) * 10):02x}"
    return f"hvc1.1.6.L{round(float(level) * 30)}.B0"


def stream_facts(info: MediaInfo, cfg: FFmpegConfig) -> StreamFacts | None:
    """Segmentation and the variants offered for this video, or None when there is no usable
    video stream or no variant fits."""
    video = info.video
    if video is None or not video.width or not video.height or video.fps <= 0:
        return None
    frames_per_segment = math.ceil(SEGMENT_SECONDS * video.fps)
    frames = video.frame_count or math.ceil(info.duration * video.fps)
    if frames <= 0:
        return None
    short = min(video.width, video.height)
    ceiling = max(short, VARIANTS[0][0])
    variants = []
    for index, (resolution, codec, bitrate) in enumerate(VARIANTS):
        if (
            resolution > ceiling
            or codec not in cfg.realtime.video_codecs
            or resolution not in cfg.realtime.resolutions
            or codec not in SUPPORTED_CODECS
        ):
            continue
        width, height = scaled_size(video.display_width, video.display_height, resolution)
        level = level_for(codec, width, height, video.fps)
        variants.append(Variant(index, resolution, codec, bitrate, width, height, level))
    if not variants:
        return None
    return StreamFacts(
        video_index=video.index,
        audio_index=info.audio.index if info.audio is not None else None,
        start_time=video.start_time,
        rotation=video.rotation,
        fps=video.fps,
        frames=frames,
        segment_duration=frames_per_segment / video.fps,
        segment_count=math.ceil(frames / frames_per_segment),
        variants=tuple(variants),
        preset=cfg.preset if cfg.preset in PRESETS else "ultrafast",
    )


def main_playlist(session_id: str, facts: StreamFacts) -> str:
    lines = ["#EXTM3U", f"#EXT-X-VERSION:{HLS_VERSION}", "#EXT-X-INDEPENDENT-SEGMENTS"]
    audio = ",mp4a.40.2" if facts.audio_index is not None else ""
    for v in facts.variants:
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={round(v.bitrate * 1.35)},"
            f'RESOLUTION={v.width}x{v.height},CODECS="{codec_string(v.codec, v.level, facts.preset)}{audio}",'
            f"VIDEO-RANGE=SDR,FRAME-RATE={facts.fps:.3f}"
        )
        lines.append(f"{session_id}/{v.index}/playlist.m3u8")
    lines.append("")
    return "\n".join(lines)


def media_playlist(facts: StreamFacts) -> str:
    frames_per_segment = round(facts.segment_duration * facts.fps)
    last_frames = facts.frames - frames_per_segment * (facts.segment_count - 1)
    lines = [
        "#EXTM3U",
        f"#EXT-X-VERSION:{HLS_VERSION}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        '#EXT-X-MAP:URI="init.mp4"',
    ]
    for i in range(facts.segment_count - 1):
        lines += [f"#EXTINF:{facts.segment_duration:.6f},", f"seg_{i}.m4s"]
    lines += [
        f"#EXTINF:{last_frames / facts.fps:.6f},",
        f"seg_{facts.segment_count - 1}.m4s",
        "#EXT-X-ENDLIST",
        "",
    ]
    return "\n".join(lines)


def segment_of(facts: StreamFacts, position: float) -> int:
    """The segment playing at ``position`` seconds."""
    index = math.floor(position / facts.segment_duration) if facts.segment_duration else 0
    return min(max(index, 0), facts.segment_count - 1)
