"""Synthetic test images: every format made here, so the tests run without shared test data."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
import pillow_jxl
import pyvips

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ASSETS = SHARED / "testdata" / "immich-test-assets"

# Quadrant colours of the test pattern (top-left, top-right, bottom-left, bottom-right).
RED, GREEN, BLUE, WHITE = (220, 20, 20), (20, 200, 20), (20, 20, 220), (250, 250, 250)


def pattern(width: int, height: int) -> np.ndarray:
    """An RGB image with four coloured quadrants, so rotations and flips can be told apart."""
    arr = np.zeros((height, width, 3), np.uint8)
    hw, hh = width // 2, height // 2
    arr[:hh, :hw], arr[:hh, hw:], arr[hh:, :hw], arr[hh:, hw:] = RED, GREEN, BLUE, WHITE
    return arr


def vips_image(arr: np.ndarray) -> pyvips.Image:
    return pyvips.Image.new_from_array(arr).copy(interpretation="srgb")


def write(path: Path, width: int = 600, height: int = 400, orientation: int | None = None) -> Path:
    """Write the test pattern in the format of ``path``'s extension."""
    arr = pattern(width, height)
    suffix = path.suffix.lower()
    if suffix == ".heic":
        heif = pillow_heif.from_bytes(mode="RGB", size=(width, height), data=arr.tobytes())
        buf = io.BytesIO()
        heif.save(buf, quality=90)
        path.write_bytes(buf.getvalue())
    elif suffix == ".jxl":
        enc = pillow_jxl.Encoder(mode="RGB", lossless=False, quality=90)  # type: ignore[call-arg]
        path.write_bytes(enc(arr.tobytes(), width, height, jpeg_encode=False))
    else:
        image = vips_image(arr)
        if orientation is not None:
            image = image.copy()
            image.set_type(pyvips.GValue.gint_type, "orientation", orientation)
        if suffix == ".avif":
            image.heifsave(str(path), compression="av1", Q=90)
        elif suffix in (".jpg", ".jpeg"):
            image.jpegsave(str(path), Q=95)
        else:
            image.write_to_file(str(path))
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A valid, tiny PNG header declaring ``width``x``height`` RGB pixels (a few hundred bytes
    that would inflate to 30 GB if decoded)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )
    return path


def jxl_bomb(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A JPEG XL codestream whose SizeHeader declares ``width``x``height`` (then garbage)."""
    bits: list[int] = []

    def put(value: int, count: int) -> None:
        bits.extend((value >> i) & 1 for i in range(count))

    put(0, 1)  # not "small"
    put(3, 2)  # 30-bit height
    put(height - 1, 30)
    put(0, 3)  # no ratio: explicit width
    put(3, 2)
    put(width - 1, 30)
    bits.extend([0] * (-len(bits) % 8))
    body = bytes(
        sum(bit << i for i, bit in enumerate(bits[n : n + 8])) for n in range(0, len(bits), 8)
    )
    path.write_bytes(b"\xff\x0a" + body + b"\0" * 64)
    return path
