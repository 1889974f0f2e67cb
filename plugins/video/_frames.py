"""Decoded video frames -> upright, scaled, 8-bit 4:2:0 frames (one libavfilter graph).

The rotation (display matrix, degrees counter-clockwise) is applied to the pixels as ffmpeg's
autorotate does: 90 -> ``transpose=cclock``, 270 -> ``transpose=clock``, 180 -> both flips.
With a ``ToneMap`` (HDR or BT.2020 source), the scaled frame goes to 16-bit RGB by the BT.2020
matrix, through the tone-mapping LUT (``lut3d``), back to 4:2:0 by the BT.709 matrix
(limited range), and is tagged BT.709.
"""

from __future__ import annotations

from typing import Any

import av
import av.filter

from ._tonemap import ToneMap, lut_file

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
        tonemap: ToneMap | None = None,
    ) -> None:
        self.graph = av.filter.Graph()
        nodes: list[Any] = [self.graph.add_buffer(template=stream)]
        for name, arg in ROTATE_FILTERS.get(rotation, []):
            nodes.append(self.graph.add(name, arg) if arg else self.graph.add(name))
        if tonemap is None:
            nodes.append(self.graph.add("scale", f"{width}:{height}:flags=bicubic"))
            nodes.append(self.graph.add("format", pix_fmt))
        else:
            nodes.extend(self._tonemap_nodes(tonemap, width, height, pix_fmt))
        nodes.append(self.graph.add("buffersink"))
        self.graph.link_nodes(*nodes).configure()

    def _tonemap_nodes(self, tm: ToneMap, width: int, height: int, pix_fmt: str) -> list[Any]:
        g = self.graph
        return [
            g.add("scale", f"{width}:{height}:flags=bicubic:in_color_matrix=bt2020"),
            g.add("format", "gbrp16le"),
            g.add("lut3d", file=str(lut_file(tm)), interp="tetrahedral"),
            g.add("scale", "out_color_matrix=bt709:out_range=tv"),
            g.add("format", pix_fmt),
            g.add(
                "setparams",
                color_primaries="bt709",
                color_trc="bt709",
                colorspace="bt709",
                range="tv",
            ),
        ]

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
