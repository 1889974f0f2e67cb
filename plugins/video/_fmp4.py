"""Fragmented MP4 for HLS: split the MP4 muxer's byte stream into ``init.mp4`` and segments.

With ``movflags=frag_keyframe+empty_moov+default_base_moof`` the muxer writes ftyp + moov
first (``init.mp4``: codec set-up, no samples), then one moof + mdat pair per keyframe. The
segment number of a fragment is read back from its decode time (``tfdt``) and the video
track's timescale (``mdhd``), so it does not depend on where a producer started.
"""

from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _box_header(data: bytes | bytearray, pos: int) -> tuple[int, str, int]:
    """(size, type, header length) of the box at ``pos``."""
    size, kind = struct.unpack_from(">I4s", data, pos)
    if size == 1:
        (size,) = struct.unpack_from(">Q", data, pos + 8)
        return size, kind.decode("latin-1"), 16
    return size, kind.decode("latin-1"), 8


def _children(box: bytes, start: int = 8) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    pos = start
    while pos + 8 <= len(box):
        size, kind, _ = _box_header(box, pos)
        if size < 8:
            break
        out.append((kind, box[pos : pos + size]))
        pos += size
    return out


def _timescales(moov: bytes) -> dict[int, int]:
    """track_ID -> media timescale, from moov/trak/{tkhd, mdia/mdhd}."""
    scales: dict[int, int] = {}
    for kind, trak in _children(moov):
        if kind != "trak":
            continue
        track_id, scale = 0, 0
        for sub, body in _children(trak):
            if sub == "tkhd":
                track_id = struct.unpack_from(">I", body, 28 if body[8] == 1 else 20)[0]
            elif sub == "mdia":
                for leaf, mdhd in _children(body):
                    if leaf == "mdhd":
                        scale = struct.unpack_from(">I", mdhd, 28 if mdhd[8] == 1 else 20)[0]
        scales[track_id] = scale
    return scales


def _decode_times(moof: bytes) -> dict[int, int]:
    """track_ID -> baseMediaDecodeTime of each traf in a moof."""
    times: dict[int, int] = {}
    for kind, traf in _children(moof):
        if kind != "traf":
            continue
        track_id, base = 0, 0
        for sub, body in _children(traf):
            if sub == "tfhd":
                track_id = struct.unpack_from(">I", body, 12)[0]
            elif sub == "tfdt":
                base = struct.unpack_from(">Q" if body[8] == 1 else ">I", body, 12)[0]
        times[track_id] = base
    return times


def write_atomically(path: Path, data: bytes) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


class FragmentWriter:
    """A write-only file for the MP4 muxer that cuts its output into HLS files.

    The muxer writes a fragment (moof + mdat) once it is complete, at the next keyframe or at
    the end; keyframes are only made on segment starts, so each fragment is one segment and
    is written out at once. (Should an encoder add a keyframe inside a segment, the extra
    fragment is appended to that segment's file.) ``discard`` drops what comes after a stop:
    the muxer then writes the unfinished fragment.
    """

    def __init__(
        self,
        folder: Path,
        segment_duration: float,
        tolerance: float,
        on_segment: Callable[[int], None],
    ) -> None:
        self.folder = folder
        self.segment_duration = segment_duration
        self.tolerance = tolerance
        self.on_segment = on_segment
        self.buffer = bytearray()
        self.head = b""
        self.video_scale = 0
        self.moof = b""
        self.last_index = -1
        self.discard = False

    def write(self, data: Any) -> int:
        self.buffer += data
        while len(self.buffer) >= 8:
            size, kind, _ = _box_header(self.buffer, 0)
            if size == 0 or len(self.buffer) < size:
                break
            box = bytes(self.buffer[:size])
            del self.buffer[:size]
            if not self.discard:
                self._box(kind, box)
        return len(data)

    def _box(self, kind: str, box: bytes) -> None:
        if kind == "ftyp":
            self.head = box
        elif kind == "moov":
            self.video_scale = _timescales(box).get(1, 0)
            init = self.folder / "init.mp4"
            if not init.exists():
                write_atomically(init, self.head + box)
        elif kind == "moof":
            self.moof = box
        elif kind == "mdat" and self.moof:
            base = _decode_times(self.moof).get(1, 0)
            seconds = base / self.video_scale if self.video_scale else 0.0
            index = int((seconds + self.tolerance) // self.segment_duration)
            path = self.folder / f"seg_{index}.m4s"
            data = self.moof + box
            if index == self.last_index and path.is_file():
                data = path.read_bytes() + data
            write_atomically(path, data)
            self.moof = b""
            self.last_index = index
            self.on_segment(index)
