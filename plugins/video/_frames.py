"""Decoded video frames -> upright, scaled, 8-bit 4:2:0 frames (one libavfilter graph).

The rotation (display matrix, degrees counter-clockwise) is applied to the pixels as ffmpeg's
autorotate does: 90 -> ``transpose=cclock``, 270 -> ``transpose=clock``, 180 -> both flips.
"""

from __future__ import annotations

from typing import Any

import av
import av.filter

ROTATE_FILTERS: dict[int, list[tuple[str, str]]] = {
    0: [],
    90: [("transpose", "cclock")],
    180: [("hflip", ""), ("vflip", "")],
    270: [("transpose", "clock")],
}


class FramePipe:
    """Push decoded frames in, get converted frames out (timestamps kept)."""

    def __init__(
        self,
        stream: av.video.stream.VideoStream,
        rotation: int,
        width: int,
        height: int,
        pix_fmt: str = "yuv420p",
    ) -> None:
        self.graph = av.filter.Graph()
        nodes: list[Any] = [self.graph.add_buffer(template=stream)]
        for name, arg in ROTATE_FILTERS.get(rotation, []):
            nodes.append(self.graph.add(name, arg) if arg else self.graph.add(name))
        nodes.append(self.graph.add("scale", f"{width}:{height}:flags=bicubic"))
        nodes.append(self.graph.add("format", pix_fmt))
        nodes.append(self.graph.add("buffersink"))
        self.graph.link_nodes(*nodes).configure()

    def push(self, frame: av.VideoFrame | None) -> list[av.VideoFrame]:
        """Convert ``frame`` (None: flush at the end) and return the frames ready."""
        self.graph.push(frame)
        out: list[av.VideoFrame] = []
        while True:
            try:
                result = self.graph.pull()
            except (av.BlockingIOError, av.EOFError):
                return out
            assert isinstance(result, av.VideoFrame)
            out.append(result)
