"""A minimal DNG writer (uncompressed 16-bit RGGB Bayer data), for RAW tests without samples."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

_SHORT, _LONG, _BYTE, _ASCII, _RATIONAL, _SRATIONAL = 3, 4, 1, 2, 5, 10


def _ifd(entries: list[tuple[int, int, int, bytes]], offset: int, next_ifd: int) -> bytes:
    """One IFD at file ``offset``; values over 4 bytes follow it."""
    entries = sorted(entries)
    size = 2 + 12 * len(entries) + 4
    out, extra = struct.pack("<H", len(entries)), b""
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            out += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            out += struct.pack("<HHII", tag, kind, count, offset + size + len(extra))
            extra += value + b"\0" * (len(value) % 2)
    return out + struct.pack("<I", next_ifd) + extra


def _h(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}H", *values)


def _i(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


def bayer(width: int, height: int) -> bytes:
    """RGGB mosaic of a scene that is reddish on the left half and bluish on the right."""
    red = np.where(np.arange(width) < width // 2, 3500, 600)[None, :].repeat(height, 0)
    blue = np.where(np.arange(width) < width // 2, 600, 3500)[None, :].repeat(height, 0)
    mosaic = np.full((height, width), 1200)
    mosaic[0::2, 0::2] = red[0::2, 0::2]
    mosaic[1::2, 1::2] = blue[1::2, 1::2]
    return mosaic.astype("<u2").tobytes()


def write_dng(
    path: Path,
    width: int = 64,
    height: int = 48,
    orientation: int = 1,
    preview_jpeg: bytes | None = None,
    preview_size: tuple[int, int] = (0, 0),
) -> Path:
    """Write a DNG; with ``preview_jpeg``, a second IFD holds it as the embedded preview."""
    pixels = bayer(width, height)

    def main_ifd(data_offset: int) -> list[tuple[int, int, int, bytes]]:
        return [
            (254, _LONG, 1, _i(0)), (256, _LONG, 1, _i(width)), (257, _LONG, 1, _i(height)),
            (258, _SHORT, 1, _h(16)), (259, _SHORT, 1, _h(1)), (262, _SHORT, 1, _h(32803)),
            (271, _ASCII, 5, b"Test\0"), (272, _ASCII, 5, b"Cam1\0"),
            (273, _LONG, 1, _i(data_offset)), (274, _SHORT, 1, _h(orientation)),
            (277, _SHORT, 1, _h(1)), (278, _LONG, 1, _i(height)),
            (279, _LONG, 1, _i(len(pixels))), (284, _SHORT, 1, _h(1)),
            (33421, _SHORT, 2, _h(2, 2)), (33422, _BYTE, 4, bytes([0, 1, 1, 2])),
            (50706, _BYTE, 4, bytes([1, 4, 0, 0])), (50708, _ASCII, 5, b"Test\0"),
            (50714, _LONG, 1, _i(0)), (50717, _LONG, 1, _i(4095)),
            (50721, _SRATIONAL, 9, b"".join(struct.pack("<ii", int(v), 1) for v in
                                            (1, 0, 0, 0, 1, 0, 0, 0, 1))),
            (50728, _RATIONAL, 3, _i(1, 1, 1, 1, 1, 1)), (50778, _SHORT, 1, _h(21)),
        ]  # fmt: skip

    start = 8
    ifd0_size = len(_ifd(main_ifd(0), start, 0))
    data_offset = start + ifd0_size
    ifd1_offset = data_offset + len(pixels) if preview_jpeg else 0
    out = b"II*\0" + _i(start) + _ifd(main_ifd(data_offset), start, ifd1_offset) + pixels
    if preview_jpeg:
        pw, ph = preview_size

        def preview_ifd(jpeg_offset: int) -> list[tuple[int, int, int, bytes]]:
            return [
                (254, _LONG, 1, _i(1)), (256, _LONG, 1, _i(pw)), (257, _LONG, 1, _i(ph)),
                (258, _SHORT, 3, _h(8, 8, 8)), (259, _SHORT, 1, _h(7)), (262, _SHORT, 1, _h(6)),
                (273, _LONG, 1, _i(jpeg_offset)), (277, _SHORT, 1, _h(3)),
                (279, _LONG, 1, _i(len(preview_jpeg))), (513, _LONG, 1, _i(jpeg_offset)),
                (514, _LONG, 1, _i(len(preview_jpeg))),
            ]  # fmt: skip

        jpeg_offset = ifd1_offset + len(_ifd(preview_ifd(0), ifd1_offset, 0))
        out += _ifd(preview_ifd(jpeg_offset), ifd1_offset, 0) + preview_jpeg
    path.write_bytes(out)
    return path
