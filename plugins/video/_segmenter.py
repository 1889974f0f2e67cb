"""HLS segments on demand: a thread that transcodes from one segment onwards into fMP4 pieces.

A ``Producer`` seeks the original to the start of segment N, decodes, makes the frames upright
and scaled, and encodes them (H.264 or HEVC, keyframes forced on segment starts, no B-frames;
audio as 48 kHz stereo AAC) into a fragmented MP4 (``frag_keyframe+empty_moov+
default_base_moof+frag_discont``, timestamps kept absolute), so each fragment is one segment
that plays on its own (HDR sources tone mapped as in the full transcode; always one pass).
``_fmp4.FragmentWriter`` splits the muxer's byte stream into ``init.mp4``
(ftyp + moov: the same bytes whichever segment a producer starts at) and ``seg_<n>.m4s``
(moof + mdat; ``n`` read back from the fragment's decode time), each written to a temporary
file and renamed. A producer runs ahead of the last segment asked for by at most
``AHEAD_PAUSE`` segments and sleeps until the player catches up (Immich's back-pressure).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import av

from ._errors import av_reason
from ._fmp4 import FragmentWriter
from ._frames import FramePipe
from ._tonemap import plan, tag_encoder
from .config import PRESETS

log = logging.getLogger(__name__)

AHEAD_PAUSE = 30  # segments produced ahead of the player before the producer waits
AHEAD_RESUME = 15
AUDIO_RATE = 48000
MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof+frag_discont+skip_trailer"


@dataclass(frozen=True, slots=True)
class Rendition:
    """What one producer makes: the encoder settings of a variant."""

    codec: str  # h264 or hevc
    width: int
    height: int
    bitrate: int  # the variant's target, used as the rate cap
    crf: int
    preset: str
    level: str  # e.g. "4.0" (H.264) or "4" (HEVC), as the playlist's CODECS says
    threads: int = 0
    tonemap: str = "disabled"  # ffmpeg.tonemap: applied when the source is HDR/BT.2020


@dataclass(frozen=True, slots=True)
class Timeline:
    """The stream facts segments are cut by (seconds, from the video's first frame)."""

    video_index: int
    audio_index: int | None
    start_time: float
    rotation: int
    segment_duration: float
    segment_count: int
    fps: float


def _video_options(r: Rendition, frames_per_segment: int) -> dict[str, str]:
    preset = r.preset if r.preset in PRESETS else "ultrafast"
    opts = {
        "preset": preset,
        "crf": str(r.crf),
        "maxrate": str(r.bitrate),
        "bufsize": str(2 * r.bitrate),
        "bf": "0",
        "g": str(frames_per_segment * 4),
        "sc_threshold": "0",
        "forced-idr": "1",
    }
    if r.codec == "h264":
        opts["level"] = r.level  # the profile follows the preset (see _playlists.codec_string)
    else:
        opts["x265-params"] = f"log-level=error:scenecut=0:bframes=0:open-gop=0:level-idc={r.level}"
    return opts


class Producer(threading.Thread):
    """Makes segments ``start``, ``start+1``, ... of one variant into ``folder``."""

    def __init__(
        self,
        source: Path,
        folder: Path,
        timeline: Timeline,
        rendition: Rendition,
        start: int,
        on_segment: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(name=f"hls-{folder.parent.name[:8]}-{start}", daemon=True)
        self.source, self.folder = source, folder
        self.timeline, self.rendition = timeline, rendition
        self.start_index = start
        self.next_index = start  # the next segment this producer will write
        self.last_requested = start
        self.error: str | None = None
        self.finished = threading.Event()
        self._halt = threading.Event()
        self._wake = threading.Condition()
        self._notify = on_segment

    # --- control, from other threads -----------------------------------------------------------

    def stop(self) -> None:
        self._halt.set()
        with self._wake:
            self._wake.notify_all()

    def requested(self, index: int) -> None:
        with self._wake:
            self.last_requested = max(self.last_requested, index)
            self._wake.notify_all()

    def covers(self, index: int, slack: int = 2) -> bool:
        """Whether this producer will reach segment ``index`` soon (without a new seek)."""
        return not self.finished.is_set() and self.start_index <= index <= self.next_index + slack

    # --- the thread ----------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self._produce()
        except Exception as exc:  # the player gets a 500; the reason is logged
            self.error = av_reason(exc) if isinstance(exc, av.FFmpegError) else str(exc)
            log.warning(
                "hls: segment %d+ of %s failed: %s", self.next_index, self.source, self.error
            )
        finally:
            self.finished.set()

    def _written(self, index: int) -> None:
        self.next_index = index + 1
        if self._notify is not None:
            self._notify(index)
        with self._wake:
            if index > self.last_requested + AHEAD_PAUSE:
                self._wake.wait_for(
                    lambda: self._halt.is_set() or self.last_requested >= index - AHEAD_RESUME
                )

    def _produce(self) -> None:
        tl, r = self.timeline, self.rendition
        self.folder.mkdir(parents=True, exist_ok=True)
        seg = tl.segment_duration
        start_t = self.start_index * seg
        half_frame = 0.5 / tl.fps if tl.fps else 0.001
        frames_per_segment = max(1, round(seg * tl.fps)) if tl.fps else 60
        writer = FragmentWriter(self.folder, seg, half_frame, self._written)
        with av.open(str(self.source), metadata_errors="ignore") as inp:
            vin = cast(av.video.stream.VideoStream, inp.streams[tl.video_index])
            vin.codec_context.thread_type = "AUTO"
            ain = inp.streams[tl.audio_index] if tl.audio_index is not None else None
            tb = vin.time_base or Fraction(1, 90000)
            if start_t > 0:
                inp.seek(int((tl.start_time + start_t) / tb), stream=vin, backward=True)
            origin = round(tl.start_time / tb)
            out = av.open(
                writer,
                "w",
                format="mp4",
                options={"movflags": MOVFLAGS, "avoid_negative_ts": "disabled"},
            )
            try:
                video = out.add_stream(
                    "libx264" if r.codec == "h264" else "libx265",
                    rate=vin.average_rate or Fraction(30),
                )
                vctx = video.codec_context
                vctx.width, vctx.height, vctx.pix_fmt = r.width, r.height, "yuv420p"
                vctx.time_base = tb
                video.time_base = tb
                vctx.thread_count = r.threads
                vctx.options = _video_options(r, frames_per_segment)
                if r.codec == "hevc":
                    vctx.codec_tag = "hvc1"
                source = vin.codec_context
                tm = plan(r.tonemap, source.color_trc, source.color_primaries)
                tag_encoder(vctx, source, tm is not None)
                pipe = FramePipe(vin, tl.rotation, r.width, r.height, tonemap=tm)
                audio = _AudioTrack(out, start_t) if ain is not None else None
                current = self.start_index - 1
                last_pts = -1
                streams = [vin] + ([ain] if ain is not None else [])
                for packet in inp.demux(streams):
                    if self._halt.is_set():
                        writer.discard = True  # the fragment being built is incomplete
                        return
                    if packet.stream.index != vin.index:
                        if audio is not None:
                            out.mux(audio.feed(packet.decode(), tl.start_time))
                        continue
                    for frame in packet.decode():
                        if not isinstance(frame, av.VideoFrame):
                            continue
                        for f in pipe.push(frame):
                            if f.pts is None:
                                continue
                            pts = f.pts - origin
                            t = pts * float(tb)
                            if t < start_t - half_frame or pts <= last_pts:
                                continue
                            index = min(int((t + half_frame) // seg), tl.segment_count - 1)
                            f.pts, last_pts = pts, pts
                            f.pict_type = (
                                av.video.frame.PictureType.I
                                if index != current
                                else av.video.frame.PictureType.NONE
                            )
                            current = index
                            out.mux(video.encode(f))
                for f in pipe.push(None):
                    if f.pts is not None and f.pts - origin > last_pts:
                        f.pts = last_pts = f.pts - origin
                        out.mux(video.encode(f))
                out.mux(video.encode(None))
                if audio is not None:
                    out.mux(audio.flush())
            finally:
                out.close()


class _AudioTrack:
    """Audio as 48 kHz stereo AAC, its samples counted from the segment start."""

    def __init__(self, out: Any, start_t: float) -> None:
        self.stream = out.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
        self.stream.codec_context.bit_rate = 128_000
        self.resampler = av.AudioResampler(
            format="fltp", layout="stereo", rate=AUDIO_RATE, frame_size=1024
        )
        self.start = round(start_t * AUDIO_RATE)
        self.next_pts: int | None = None

    def feed(self, frames: list[Any], origin: float) -> list[av.Packet[Any]]:
        packets: list[av.Packet[Any]] = []
        for frame in frames:
            if self.next_pts is None:
                t = float(frame.time or 0.0) - origin
                end = t + frame.samples / max(frame.sample_rate, 1)
                if end * AUDIO_RATE < self.start:
                    continue  # before the first segment
                self.next_pts = round(t * AUDIO_RATE)
            packets.extend(self._encode(self.resampler.resample(frame)))
        return packets

    def _encode(self, frames: list[Any]) -> list[av.Packet[Any]]:
        packets: list[av.Packet[Any]] = []
        for frame in frames:
            assert self.next_pts is not None
            frame.pts = self.next_pts
            frame.time_base = Fraction(1, AUDIO_RATE)
            self.next_pts += frame.samples
            packets.extend(
                p for p in self.stream.encode(frame) if p.pts is not None and p.pts >= self.start
            )
        return packets

    def flush(self) -> list[av.Packet[Any]]:
        if self.next_pts is None:
            return []
        packets = self._encode(self.resampler.resample(None))
        packets.extend(
            p for p in self.stream.encode(None) if p.pts is not None and p.pts >= self.start
        )
        return packets
