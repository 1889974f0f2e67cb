"""Camera RAW files through LibRaw (``rawpy``): the embedded JPEG preview when allowed and
big enough (Immich's ``image.extractEmbedded``), otherwise a demosaiced decode."""

from __future__ import annotations

from pathlib import Path

import pyvips
import rawpy

from immich.media.renditions import ThumbnailError, box_for, shrink_to

from ._image import Decoded, check_pixels, from_pixels, rotate_flip

# Immich's list of RAW file extensions (server/src/utils/mime-types.ts).
RAW_EXTENSIONS = frozenset(
    ".3fr .ari .arw .cap .cin .cr2 .cr3 .crw .dcr .dng .erf .fff .iiq .k25 .kdc .mrw .nef .nrw "
    ".orf .ori .pef .raf .raw .rw2 .rwl .sr2 .srf .srw .x3f".split()
)


def decode(
    path: Path, short_side: int | None, limit_pixels: int, extract_embedded: bool
) -> Decoded:
    try:
        raw = rawpy.imread(str(path))
    except (rawpy.LibRawError, OSError) as exc:
        raise ThumbnailError(f"cannot decode RAW: {exc}") from exc
    with raw:
        sizes = raw.sizes
        check_pixels(sizes.raw_width, sizes.raw_height, limit_pixels)
        flip = int(sizes.flip)
        width, height = int(sizes.width), int(sizes.height)
        if flip in (5, 6):
            width, height = height, width
        if extract_embedded:
            embedded = _embedded(raw, short_side, flip, limit_pixels)
            if embedded is not None:
                return Decoded(embedded, width, height, "rawpy:embedded")
        # half_size skips demosaicing (each 2x2 block becomes one pixel): 4x less work,
        # used when half the size is still at least what the preview needs.
        half = short_side is not None and min(width, height) // 2 >= short_side
        try:
            rgb = raw.postprocess(use_camera_wb=True, half_size=half, output_bps=8)
        except rawpy.LibRawError as exc:
            raise ThumbnailError(f"cannot decode RAW: {exc}") from exc
    out_h, out_w = int(rgb.shape[0]), int(rgb.shape[1])
    image = from_pixels(rgb.tobytes(), out_w, out_h, int(rgb.shape[2]), False, None)
    return Decoded(shrink_to(image, short_side).copy_memory(), width, height, "rawpy")


def _embedded(
    raw: rawpy.RawPy, short_side: int | None, flip: int, limit_pixels: int
) -> pyvips.Image | None:
    """The embedded preview, upright, if it exists and its shorter side reaches ``short_side``
    (for a full-size decode any JPEG preview is used, as Immich does with extractEmbedded)."""
    try:
        thumb = raw.extract_thumb()
    except (rawpy.LibRawError, OSError):
        return None
    if thumb.format != rawpy.ThumbFormat.JPEG:
        return None
    data = bytes(thumb.data)
    try:
        header = pyvips.Image.new_from_buffer(data, "", fail_on="error")
        check_pixels(header.width, header.height, limit_pixels)
        if short_side is not None and min(header.width, header.height) < short_side:
            return None
        if short_side is None:
            image = header
        else:
            box_w, box_h = box_for(header.width, header.height, short_side)
            # the RAW's orientation applies (the preview's own EXIF is not trusted: no_rotate)
            image = pyvips.Image.thumbnail_buffer(
                data,
                box_w,
                height=box_h,
                size="down",
                no_rotate=True,
                option_string="fail_on=error",
            )
        return rotate_flip(image, flip).copy_memory()
    except (pyvips.Error, ThumbnailError):  # unreadable or oversized preview: decode the RAW
        return None
