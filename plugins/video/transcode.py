"""``transcode``: make the MP4 that Immich plays instead of the original, with PyAV.

One pass over the file: the main video stream is re-encoded (upright, scaled, 8-bit 4:2:0,
timestamps passed through) or copied with its rotation; the main audio stream re-encoded or
copied; other streams dropped. The MP4 is written to a temporary file beside the destination
with ``movflags=+faststart`` (index first, so playback starts before the download ends) and
renamed into place: a reader never sees a partial file, a failure leaves nothing behind.
HDR (PQ, HLG) and BT.2020 sources are tone mapped to BT.709 SDR (``_tonemap``) unless
``ffmpeg.tonemap`` is ``disabled``; then the source's colour tags are kept on the output.
With ``twoPass`` (``_twopass``) an analysis pass writes the encoder's stats first.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import av

from immich.storage import temp as temp_files

from . import _twopass
from ._encoders import AUDIO_ENCODERS, VIDEO_ENCODERS, audio_rate, video_options
from ._errors import VideoError, av_reason
from ._frames import FramePipe
from ._tonemap import ToneMap, plan, tag_encoder
from .config import FFmpegConfig
from .policy import Decision, decide, output_size
from .probe import MediaInfo, probe


@dataclass(frozen=True, slots=True)
class TranscodeResult:
    path: Path
    width: int  # upright size of the output's video
    height: int
    video_codec: str
    audio_codec: str | None
    video_copied: bool
    audio_copied: bool
    bytes: int


def transcode(
    source: Path,
    dest: Path,
    cfg: FFmpegConfig,
    info: MediaInfo | None = None,
    decision: Decision | None = None,
) -> TranscodeResult:
    """Write ``dest`` (MP4) from ``source`` as ``decision`` (default: ``decide``) says.

    Raises VideoError with the reason when the source cannot be read or encoded."""
    info = info or probe(source)
    decision = decision or decide(cfg, info)
    video = info.video
    if video is None:
        raise VideoError("cannot transcode: no video stream")
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_files.temp_for(dest)  # swept after a kill: immich.storage.temp
    try:
        with contextlib.ExitStack() as stack:
            second = None
            if decision.video and _twopass.usable(cfg):
                stats_dir = stack.enter_context(_twopass.stats_folder(temp))
                second = _twopass.Pass(2, stats_dir / "video.stats")
                tm = plan(cfg.tonemap, video.color_trc, video.color_primaries)
                size = output_size(cfg, video)
                _twopass.first_pass(
                    source, video.index, cfg, video.rotation, size, tm, second.stats
                )
            result = _run(source, temp, cfg, info, decision, second)
        os.chmod(temp, 0o644)
        os.replace(temp, dest)
    except av.FFmpegError as exc:
        raise VideoError(f"cannot transcode: {av_reason(exc)}") from exc
    finally:
        temp.unlink(missing_ok=True)
    return TranscodeResult(dest, *result, bytes=dest.stat().st_size)


def _run(
    source: Path,
    temp: Path,
    cfg: FFmpegConfig,
    info: MediaInfo,
    decision: Decision,
    second: _twopass.Pass | None = None,
) -> tuple[int, int, str, str | None, bool, bool]:
    video, audio = info.video, info.audio
    assert video is not None
    with (
        av.open(str(source), metadata_errors="ignore") as inp,
        av.open(str(temp), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        vin = inp.streams[video.index]
        ain = inp.streams[audio.index] if audio is not None else None
        if decision.video:
            width, height = output_size(cfg, video)
            tm = plan(cfg.tonemap, video.color_trc, video.color_primaries)
            vtx: _Transcoder | None = _VideoTranscoder(
                vin, out, cfg, video.rotation, (width, height), tm, second
            )
            vout = vtx.stream  # type: ignore[union-attr]
            codec = cfg.target_video_codec
        else:
            vtx = None
            vout = cast(av.video.stream.VideoStream, out.add_stream_from_template(vin))
            if video.rotation:
                vout.set_display_rotation(video.rotation)
            width, height, codec = video.display_width, video.display_height, video.codec_name
        atx: _Transcoder | None = None
        aout: Any = None
        if ain is not None and audio is not None:
            if decision.audio:
                atx = _AudioTranscoder(ain, out, cfg.target_audio_codec, audio.sample_rate)
                aout = atx.stream
            else:
                aout = out.add_stream_from_template(ain)
        streams = [vin] + ([ain] if ain is not None else [])
        copies = {vin.index: _Copy(vout, vin), **({ain.index: _Copy(aout, ain)} if ain else {})}
        for packet in inp.demux(streams):
            is_video = packet.stream.index == vin.index
            tx = vtx if is_video else atx
            if tx is not None:
                for p in tx.feed(packet):
                    out.mux(p)
            else:
                out.mux(copies[packet.stream.index].fix(packet))
        for tx in (vtx, atx):
            if tx is not None:
                for p in tx.flush():
                    out.mux(p)
    audio_codec = None
    if audio is not None:
        audio_codec = cfg.target_audio_codec if decision.audio else audio.codec_name
    return width, height, codec, audio_codec, not decision.video, not decision.audio


class _Copy:
    """Copied packets with decode timestamps the MP4 muxer accepts: Matroska leaves the first
    ones of a stream with B-frames unknown; they get the steps before the first known one."""

    def __init__(self, out_stream: Any, in_stream: Any) -> None:
        self.stream = out_stream
        rate = getattr(in_stream, "average_rate", None)
        tb = in_stream.time_base
        self.step = max(1, round(1 / (float(rate) * float(tb)))) if rate and tb else 1
        self.pending: list[Any] = []
        self.last: int | None = None

    def fix(self, packet: Any) -> list[Any]:
        if packet.pts is None and packet.dts is None:
            return []  # the demuxer's end-of-stream marker
        if packet.dts is None and self.last is None:
            self.pending.append(packet)
            return []
        if packet.dts is None:
            packet.dts = min(self.last + self.step, packet.pts)  # type: ignore[operator]
        ready: list[Any] = []
        for back, early in enumerate(reversed(self.pending), start=1):
            early.dts = packet.dts - back * self.step
            ready.insert(0, early)
        self.pending = []
        ready.append(packet)
        out = []
        for p in ready:
            if self.last is not None and p.dts <= self.last:
                continue  # a repeated timestamp the muxer would refuse
            self.last = p.dts
            p.stream = self.stream
            out.append(p)
        return out


class _Transcoder:
    stream: Any

    def feed(self, packet: av.Packet[Any]) -> list[av.Packet[Any]]:
        raise NotImplementedError

    def flush(self) -> list[av.Packet[Any]]:
        raise NotImplementedError


class _VideoTranscoder(_Transcoder):
    def __init__(
        self,
        vin: Any,
        out: Any,
        cfg: FFmpegConfig,
        rotation: int,
        size: tuple[int, int],
        tonemap: ToneMap | None,
        second: _twopass.Pass | None,
    ) -> None:
        vin.codec_context.thread_type = "AUTO"
        self.decoder = vin.codec_context
        width, height = size
        self.pipe = FramePipe(vin, rotation, width, height, tonemap=tonemap)
        codec = cfg.target_video_codec
        rate = vin.average_rate or vin.guessed_rate or Fraction(30)
        self.stream = out.add_stream(VIDEO_ENCODERS[codec], rate=rate)
        ctx = self.stream.codec_context
        ctx.width, ctx.height, ctx.pix_fmt = width, height, "yuv420p"
        ctx.time_base = vin.time_base
        self.stream.time_base = vin.time_base
        ctx.thread_count = cfg.threads
        if second is None:
            ctx.options = video_options(cfg, codec)
        else:
            second.apply(ctx, codec, _twopass.options(cfg, codec))
        tag_encoder(ctx, vin.codec_context, tonemap is not None)
        if codec == "hevc":
            ctx.codec_tag = "hvc1"
        self.last_pts: int | None = None

    def _encode(self, frames: list[av.VideoFrame]) -> list[av.Packet[Any]]:
        packets: list[av.Packet[Any]] = []
        for frame in frames:
            if frame.pts is None:
                continue
            if self.last_pts is not None and frame.pts <= self.last_pts:
                frame.pts = self.last_pts + 1  # passthrough timing, strictly increasing
            self.last_pts = frame.pts
            frame.pict_type = av.video.frame.PictureType.NONE
            packets.extend(self.stream.encode(frame))
        return packets

    def feed(self, packet: av.Packet[Any]) -> list[av.Packet[Any]]:
        packets: list[av.Packet[Any]] = []
        for frame in self.decoder.decode(packet):
            packets.extend(self._encode(self.pipe.push(frame)))
        return packets

    def flush(self) -> list[av.Packet[Any]]:
        packets: list[av.Packet[Any]] = []
        for frame in _drain(self.decoder):
            packets.extend(self._encode(self.pipe.push(frame)))
        packets.extend(self._encode(self.pipe.push(None)))
        packets.extend(self.stream.encode(None))
        return packets


class _AudioTranscoder(_Transcoder):
    def __init__(self, ain: Any, out: Any, codec: str, source_rate: int) -> None:
        self.decoder = ain.codec_context
        rate = audio_rate(codec, source_rate)
        layout = ain.codec_context.layout
        channels = layout.nb_channels if layout else 2
        self.stream = out.add_stream(
            AUDIO_ENCODERS[codec],
            rate=rate,
            layout="stereo" if channels > 2 or channels == 0 else layout.name,
        )

    def _encode(self, frames: list[Any]) -> list[av.Packet[Any]]:
        packets: list[av.Packet[Any]] = []
        for frame in frames:
            packets.extend(self.stream.encode(frame))
        return packets

    def feed(self, packet: av.Packet[Any]) -> list[av.Packet[Any]]:
        return self._encode(list(self.decoder.decode(packet)))

    def flush(self) -> list[av.Packet[Any]]:
        return self._encode(_drain(self.decoder)) + list(self.stream.encode(None))


def _drain(decoder: Any) -> list[Any]:
    """Frames still held by a decoder (none when demux's end packet already flushed it)."""
    try:
        return list(decoder.decode(None))
    except av.EOFError:
        return []
