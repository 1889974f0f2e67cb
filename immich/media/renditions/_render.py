"""``render``: a decoded image -> preview, thumbnail (and fullsize) files plus the ThumbHash."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pyvips

from immich.storage.orphans import remove_orphans, temp_prefix

from ._color import to_output
from ._config import ImageConfig, ImageFormat
from ._thumbhash import rgba_to_thumbhash
from ._types import OutputInfo, Result, ThumbnailError

THUMBHASH_MAX_SIDE = 100
# libvips' largest coordinate (VIPS_MAX_COORD): a "no limit" value for one side of a box.
MAX_COORD = 10_000_000


def vips_reason(exc: pyvips.Error) -> str:
    """libvips' own explanation, on one line (its detail holds the loader's messages)."""
    lines = [line.strip() for line in str(exc.detail or exc.message).splitlines()]
    return "; ".join(line for line in lines if line) or str(exc.message)


def box_for(width: int, height: int, short_side: int) -> tuple[int, int]:
    """The (width, height) box that makes a ``width``x``height`` image's SHORTER side
    ``short_side`` when fitted inside it (sharp's ``fit: "outside"``)."""
    return (MAX_COORD, short_side) if width >= height else (short_side, MAX_COORD)


def shrink_to(image: pyvips.Image, short_side: int | None) -> pyvips.Image:
    """Downsize an in-memory image so its shorter side is ``short_side``; never enlarge."""
    if short_side is None or min(image.width, image.height) <= short_side:
        return image
    width, height = box_for(image.width, image.height, short_side)
    return image.thumbnail_image(width, height=height, size="down")


def render(
    image: pyvips.Image,
    out_preview: Path,
    out_thumbnail: Path,
    cfg: ImageConfig,
    *,
    size: tuple[int, int],
    decoder: str,
    name: str,
    out_fullsize: Path | None = None,
    is_srgb: bool | None = None,
) -> Result:
    """Write the preview and thumbnail (and ``out_fullsize`` when given) of a decoded,
    upright ``image`` (the whole picture, at least preview-sized unless smaller already).

    ``size`` is the source's full upright size, ``decoder`` what read it, ``name`` the source
    named in error messages. Sizes are for the SHORTER side and never enlarge (sharp's
    ``fit: "outside"`` with ``withoutEnlargement``, as Immich). Files are written atomically
    (temporary file in the same folder, then rename), and only after every output was
    encoded: on any error no output file is created or changed. ``is_srgb`` (e.g. from EXIF
    ColorSpace) overrides the guess from the ICC profile. Raises ThumbnailError.
    """
    files: list[tuple[Path, bytes]] = []
    infos: list[OutputInfo] = []

    def add(path: Path, image: pyvips.Image, fmt: ImageFormat, quality: int, prog: bool) -> None:
        data = encode(image, fmt, quality, prog)
        files.append((path, data))
        infos.append(OutputInfo(path, fmt, image.width, image.height, len(data)))

    try:
        base, colorspace = to_output(image, cfg.colorspace, is_srgb)
        base = base.copy_memory()
        if out_fullsize is not None:
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
        raise ThumbnailError(f"cannot convert {name}: {vips_reason(exc)}") from exc
    write_atomically(files)
    return Result(
        width=size[0],
        height=size[1],
        thumbhash=hash_bytes,
        preview=infos[-2],
        thumbnail=infos[-1],
        fullsize=infos[0] if out_fullsize is not None else None,
        colorspace=colorspace,
        decoder=decoder,
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
            remove_orphans(dest)  # a killed earlier run's
            fd, name = tempfile.mkstemp(prefix=temp_prefix(dest), suffix=".tmp", dir=dest.parent)
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
