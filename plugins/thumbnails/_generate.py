"""``generate``: one decode -> preview, thumbnail (and fullsize) files plus the ThumbHash."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pyvips

from ._color import to_output
from ._config import ImageConfig, ImageFormat
from ._decode import decode, vips_reason
from ._image import shrink_to
from ._thumbhash import rgba_to_thumbhash
from ._types import OutputInfo, Result, ThumbnailError

# Formats browsers show as they are: no fullsize copy is made for them (Immich's list).
WEB_SUPPORTED_EXTENSIONS = frozenset({".avif", ".gif", ".jpeg", ".jpg", ".png", ".webp"})
THUMBHASH_MAX_SIDE = 100


def generate(
    source: Path,
    out_preview: Path,
    out_thumbnail: Path,
    cfg: ImageConfig,
    *,
    out_fullsize: Path | None = None,
    is_srgb: bool | None = None,
) -> Result:
    """Decode ``source`` once and write the preview and thumbnail (and, when
    ``cfg.fullsize.enabled`` and the format is not web-friendly, ``out_fullsize``).

    Sizes are for the SHORTER side and never enlarge (sharp's ``fit: "outside"`` with
    ``withoutEnlargement``, as Immich). EXIF orientation is applied. Files are written
    atomically (temporary file in the same folder, then rename), and only after every output
    was encoded: on any error no output file is created or changed.
    ``is_srgb`` (e.g. from EXIF ColorSpace) overrides the guess from the ICC profile.
    Raises ThumbnailError with the reason when the source cannot be decoded.
    """
    want_full = (
        cfg.fullsize.enabled
        and out_fullsize is not None
        and source.suffix.lower() not in WEB_SUPPORTED_EXTENSIONS
    )
    decoded = decode(
        source,
        None if want_full else cfg.preview.size,
        cfg.limit_input_pixels,
        cfg.extract_embedded,
    )
    files: list[tuple[Path, bytes]] = []
    infos: list[OutputInfo] = []

    def add(path: Path, image: pyvips.Image, fmt: ImageFormat, quality: int, prog: bool) -> None:
        data = encode(image, fmt, quality, prog)
        files.append((path, data))
        infos.append(OutputInfo(path, fmt, image.width, image.height, len(data)))

    try:
        base, colorspace = to_output(decoded.image, cfg.colorspace, is_srgb)
        base = base.copy_memory()
        if want_full and out_fullsize is not None:
            full = cfg.fullsize
            add(out_fullsize, base, full.format, full.quality, full.progressive)
        preview = shrink_to(base, cfg.preview.size).copy_memory()
        add(out_preview, preview, cfg.preview.format, cfg.preview.quality, cfg.preview.progressive)
        small_source = preview if min(preview.width, preview.height) >= cfg.thumbnail.size else base
        thumb = shrink_to(small_source, cfg.thumbnail.size).copy_memory()
        tcfg = cfg.thumbnail
        add(out_thumbnail, thumb, tcfg.format, tcfg.quality, tcfg.progressive)
        hash_bytes = thumbhash(thumb)
    except pyvips.Error as exc:
        raise ThumbnailError(f"cannot convert {source.name}: {vips_reason(exc)}") from exc
    write_atomically(files)
    fullsize_info = infos[0] if want_full else None
    preview_info, thumb_info = infos[-2], infos[-1]
    return Result(
        width=decoded.width,
        height=decoded.height,
        thumbhash=hash_bytes,
        preview=preview_info,
        thumbnail=thumb_info,
        fullsize=fullsize_info,
        colorspace=colorspace,
        decoder=decoded.decoder,
    )


def encode(image: pyvips.Image, fmt: ImageFormat, quality: int, progressive: bool) -> bytes:
    """Encode as Immich's sharp settings do; the ICC profile is kept, other metadata dropped."""
    if fmt == "jpeg":
        if image.hasalpha():
            image = image.flatten(background=[255, 255, 255])
        data = image.jpegsave_buffer(
            Q=quality,
            interlace=progressive,
            optimize_coding=True,  # sharp's default
            subsample_mode="off" if quality >= 80 else "on",  # Immich: 4:4:4 from quality 80
            keep="icc",
        )
    else:
        data = image.webpsave_buffer(Q=quality, keep="icc")
    return bytes(data)


def thumbhash(image: pyvips.Image) -> bytes:
    """ThumbHash of an 8-bit RGB(A) image, from a copy fitted inside 100x100 (as Immich)."""
    small = image.thumbnail_image(THUMBHASH_MAX_SIDE, height=THUMBHASH_MAX_SIDE, size="down")
    if not small.hasalpha():
        small = small.bandjoin(255)
    rgba = np.frombuffer(small.write_to_memory(), dtype=np.uint8)
    return rgba_to_thumbhash(small.width, small.height, rgba)


def write_atomically(files: list[tuple[Path, bytes]]) -> None:
    """Write each file to a temporary file beside it, then rename them all into place;
    on failure remove the temporary files (a reader never sees a partial file)."""
    temps: list[Path] = []
    try:
        for dest, data in files:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
            temps.append(Path(name))
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o644)
                fh.write(data)
        for (dest, _), temp in zip(files, temps, strict=True):
            os.replace(temp, dest)
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
