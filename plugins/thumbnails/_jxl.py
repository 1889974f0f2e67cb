"""JPEG XL: dimensions from the header without decoding, and decoding with libjxl.

Decoder: ``pillow-jxl-plugin`` (libjxl through Rust bindings). Measured here, it decodes both
test files (8-bit sRGB and 16-bit HDR P3; the 16-bit one comes out as 8-bit with its ICC
profile), while Debian's libvips 8.14 fails on the 16-bit file and the pyvips wheel has no JXL.
libjxl applies the codestream's orientation itself, so the pixels come out upright.
"""

from __future__ import annotations

import struct

import pillow_jxl
import pyvips

from immich.media.renditions import ThumbnailError

from ._image import check_pixels, from_pixels

CODESTREAM_SIGNATURE = b"\xff\x0a"
CONTAINER_SIGNATURE = b"\x00\x00\x00\x0cJXL \r\n\x87\n"

# SizeHeader ratio codes 1..7 -> width = height * num // den
_RATIOS = {1: (1, 1), 2: (12, 10), 3: (4, 3), 4: (3, 2), 5: (16, 9), 6: (5, 4), 7: (2, 1)}
# pillow-jxl pixel modes -> (bands, 16-bit)
_MODES = {"L": (1, False), "LA": (2, False), "RGB": (3, False), "RGBA": (4, False)}
_MODES_16 = {"I;16": (1, True)}
# -1: libjxl uses as many threads as there are cores (2x faster on the 16-bit file here)
DECODE_THREADS = -1


def is_jxl(head: bytes) -> bool:
    return head.startswith(CODESTREAM_SIGNATURE) or head.startswith(CONTAINER_SIGNATURE)


class _BitReader:
    """Reads JPEG XL's least-significant-bit-first fields."""

    def __init__(self, data: bytes, byte_offset: int) -> None:
        self.data = data
        self.pos = byte_offset * 8

    def read(self, count: int) -> int:
        value = 0
        for i in range(count):
            index = self.pos >> 3
            if index >= len(self.data):
                raise ThumbnailError("cannot decode: truncated JPEG XL header")
            value |= ((self.data[index] >> (self.pos & 7)) & 1) << i
            self.pos += 1
        return value


def _codestream(data: bytes) -> bytes:
    """The start of the codestream, unwrapping the ISO BMFF container if there is one."""
    if data.startswith(CODESTREAM_SIGNATURE):
        return data
    pos = 0
    while pos + 8 <= len(data):
        size, box_type = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > len(data):
                break
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = len(data) - pos
        if box_type == b"jxlc":
            return data[pos + header : pos + size]
        if box_type == b"jxlp":  # partial codestream: a 4-byte sequence number comes first
            return data[pos + header + 4 : pos + size]
        if size < header:
            break
        pos += size
    raise ThumbnailError("cannot decode: JPEG XL file without a codestream")


def dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) from the codestream's SizeHeader, as stored (before orientation)."""
    stream = _codestream(data)
    if not stream.startswith(CODESTREAM_SIGNATURE):
        raise ThumbnailError("cannot decode: bad JPEG XL codestream signature")
    bits = _BitReader(stream, 2)
    small = bits.read(1)

    def dim() -> int:
        if small:
            return (bits.read(5) + 1) * 8
        return bits.read((9, 13, 18, 30)[bits.read(2)]) + 1

    height = dim()
    ratio = bits.read(3)
    if ratio == 0:
        return dim(), height
    num, den = _RATIOS[ratio]
    return height * num // den, height


def decode(data: bytes, limit_pixels: int) -> pyvips.Image:
    """Decode a whole JPEG XL file (after checking its declared size against the limit)."""
    width, height = dimensions(data)
    check_pixels(width, height, limit_pixels)
    try:
        is_jpeg, info, pixels, icc, _boxes = pillow_jxl.Decoder(num_threads=DECODE_THREADS)(data)
    except Exception as exc:  # the Rust binding raises plain exceptions
        raise ThumbnailError(f"cannot decode JPEG XL: {exc}") from exc
    if is_jpeg:  # a recompressed JPEG, reconstructed bit for bit
        try:
            return pyvips.Image.new_from_buffer(pixels, "", fail_on="error")
        except pyvips.Error as exc:
            raise ThumbnailError(f"cannot decode JPEG XL (JPEG reconstruction): {exc}") from exc
    mode = _MODES.get(info.mode) or _MODES_16.get(info.mode)
    if mode is None:
        raise ThumbnailError(f"cannot decode JPEG XL: unsupported pixel mode {info.mode}")
    bands, sixteen = mode
    expected = info.width * info.height * bands * (2 if sixteen else 1)
    if len(pixels) != expected:
        raise ThumbnailError(f"cannot decode JPEG XL: got {len(pixels)} bytes, expected {expected}")
    return from_pixels(pixels, info.width, info.height, bands, sixteen, icc or None)
