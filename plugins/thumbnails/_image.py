"""The decoders' pyvips helpers: the decoded-image record, the pixel limit, raw pixels."""

from __future__ import annotations

from dataclasses import dataclass

import pyvips

from immich.media.renditions import ThumbnailError

# The libvips operation cache is keyed on file names: a regenerated thumbnail of a replaced
# file could come from a stale cached decode, and decoded images would pile up in memory.
pyvips.cache_set_max(0)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded source: upright (orientation applied), shrunk so its shorter side is at most
    the size asked for. ``width``/``height`` are the full upright source size."""

    image: pyvips.Image
    width: int
    height: int
    decoder: str


def check_pixels(width: int, height: int, limit: int) -> None:
    """Refuse, before any decoding, a source that declares more pixels than ``limit``."""
    if width <= 0 or height <= 0:
        raise ThumbnailError(f"cannot decode: invalid dimensions {width}x{height}")
    if width * height > limit:
        raise ThumbnailError(
            f"cannot decode: {width}x{height} is {width * height} pixels, over the limit of "
            f"{limit} (decompression bomb?)"
        )


def from_pixels(
    data: bytes | memoryview,
    width: int,
    height: int,
    bands: int,
    sixteen_bit: bool,
    icc: bytes | None,
) -> pyvips.Image:
    """Wrap packed interleaved pixels (8- or 16-bit) as a pyvips image, with its ICC profile."""
    fmt = "ushort" if sixteen_bit else "uchar"
    image = pyvips.Image.new_from_memory(data, width, height, bands, fmt)
    if bands >= 3:
        interpretation = "rgb16" if sixteen_bit else "srgb"
    else:
        interpretation = "grey16" if sixteen_bit else "b-w"
    image = image.copy(interpretation=interpretation)
    if icc:
        image.set_type(pyvips.GValue.blob_type, "icc-profile-data", icc)
    return image


def rotate_flip(image: pyvips.Image, libraw_flip: int) -> pyvips.Image:
    """Apply LibRaw's ``flip`` (0 none, 3 180°, 5 90° anticlockwise, 6 90° clockwise)."""
    if libraw_flip == 3:
        return image.rot180()
    if libraw_flip == 5:
        return image.rot270()
    if libraw_flip == 6:
        return image.rot90()
    return image
