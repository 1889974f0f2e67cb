"""``generate``: one decode -> preview, thumbnail (and fullsize) files plus the ThumbHash."""

from __future__ import annotations

from pathlib import Path

from immich.media.renditions import ImageConfig, Result, render

from ._decode import decode

# Formats browsers show as they are: no fullsize copy is made for them (Immich's list).
WEB_SUPPORTED_EXTENSIONS = frozenset({".avif", ".gif", ".jpeg", ".jpg", ".png", ".webp"})


def generate(
    source: Path,
    out_preview: Path,
    out_thumbnail: Path,
    cfg: ImageConfig,
    *,
    out_fullsize: Path | None = None,
    is_srgb: bool | None = None,
) -> Result:
    """Decode ``source`` once (shrink-on-load where the format allows) and write the preview
    and thumbnail (and, when ``cfg.fullsize.enabled`` and the format is not web-friendly,
    ``out_fullsize``) with ``immich.media.renditions.render``.

    EXIF orientation is applied; on any error no output file is created or changed. Raises
    ThumbnailError with the reason when the source cannot be decoded.
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
    return render(
        decoded.image,
        out_preview,
        out_thumbnail,
        cfg,
        size=(decoded.width, decoded.height),
        decoder=decoded.decoder,
        name=source.name,
        out_fullsize=out_fullsize if want_full else None,
        is_srgb=is_srgb,
    )
