"""FFmpeg encoders (as bundled with PyAV) and their options for Immich's ffmpeg settings.

Video: h264 -> libx264, hevc -> libx265 (tagged ``hvc1`` for Apple players), vp9 ->
libvpx-vp9, av1 -> libsvtav1; audio: aac, mp3 (libmp3lame), opus (libopus), pcm_s16le.
Quality as Immich sets it: CRF, capped by ``maxBitrate`` (maxrate + a buffer of twice that)
when set; the preset maps to libvpx's ``cpu-used`` (at most 5) and SVT-AV1's preset (+4).
"""

from __future__ import annotations

from .config import PRESETS, FFmpegConfig

VIDEO_ENCODERS = {"h264": "libx264", "hevc": "libx265", "vp9": "libvpx-vp9", "av1": "libsvtav1"}
AUDIO_ENCODERS = {"aac": "aac", "mp3": "libmp3lame", "opus": "libopus", "pcm_s16le": "pcm_s16le"}


def video_options(cfg: FFmpegConfig, codec: str, crf: int | None = None) -> dict[str, str]:
    """Encoder options for ``codec`` (Immich's VideoCodec) from the ffmpeg settings."""
    crf = cfg.crf if crf is None else crf
    max_rate = cfg.encoder_bitrate_bps
    opts: dict[str, str] = {}
    if codec in ("h264", "hevc"):
        opts["preset"] = cfg.preset if cfg.preset in PRESETS else "medium"
        opts["crf"] = str(crf)
        if max_rate:
            opts["maxrate"] = str(max_rate)
            opts["bufsize"] = str(2 * max_rate)
        if cfg.bframes >= 0:
            opts["bf"] = str(cfg.bframes)
        if cfg.refs > 0:
            opts["refs"] = str(cfg.refs)
        if codec == "hevc":
            opts["x265-params"] = "log-level=error"
    elif codec == "vp9":
        opts["crf"] = str(crf)
        opts["b"] = str(max_rate) if max_rate else "0"
        opts["cpu-used"] = str(min(cfg.preset_index, 5))
        opts["deadline"] = "good"
        opts["row-mt"] = "1"
    elif codec == "av1":
        opts["preset"] = str(min(cfg.preset_index + 4, 12))
        opts["crf"] = str(crf)
        if max_rate:
            opts["svtav1-params"] = f"mbr={max_rate // 1000}"
    else:
        raise ValueError(f"no encoder for video codec {codec!r}")
    if cfg.gop_size > 0:
        opts["g"] = str(cfg.gop_size)
    return opts


def audio_rate(codec: str, source_rate: int) -> int:
    """A sample rate the encoder takes: Opus only 48 kHz; MP3 at most 48 kHz."""
    if codec == "opus":
        return 48000
    if codec == "mp3" and source_rate not in (
        8000,
        11025,
        12000,
        16000,
        22050,
        24000,
        32000,
        44100,
        48000,
    ):
        return 48000
    return source_rate or 48000
