"""Result and error types of the thumbnail generator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


class ThumbnailError(Exception):
    """The source cannot be turned into thumbnails; the message says why (shown to users)."""


@dataclass(frozen=True, slots=True)
class OutputInfo:
    """One file written: where, in which format, its pixel size and its byte size."""

    path: Path
    format: Literal["jpeg", "webp"]
    width: int
    height: int
    bytes: int


@dataclass(frozen=True, slots=True)
class Result:
    """What ``generate`` made.

    ``width``/``height`` are the source's dimensions as displayed (after EXIF rotation);
    ``thumbhash`` is the raw ThumbHash (what Immich stores in ``asset.thumbhash``);
    ``colorspace`` is the colour space the outputs were written in (their ICC profile);
    ``decoder`` names the decoder that read the source (e.g. ``vips:jpegload``, ``pillow-heif``).
    """

    width: int
    height: int
    thumbhash: bytes
    preview: OutputInfo
    thumbnail: OutputInfo
    fullsize: OutputInfo | None
    colorspace: Literal["srgb", "p3"]
    decoder: str
