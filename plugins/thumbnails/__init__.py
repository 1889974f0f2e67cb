"""Thumbnails plugin: preview, thumbnail and ThumbHash for images, as Immich makes them.

The plugin owns the decoders (one per format: libvips, HEIC, JPEG XL, RAW) and the
``AssetGenerateThumbnails`` jobs; the renditions themselves (sizes, colour, encoding,
ThumbHash) come from the core's ``immich.media.renditions``, which the video plugin's posters
share. The image part is a plain library (no database, no queue)::

    from plugins.thumbnails import ImageConfig, generate
    result = generate(src, preview_path, thumb_path, ImageConfig.from_dict(config["image"]))
"""

from immich.media.renditions import (
    DEFAULT_LIMIT_INPUT_PIXELS,
    FullsizeImageConfig,
    GeneratedImageConfig,
    ImageConfig,
    OutputInfo,
    Result,
    ThumbnailError,
)

from ._generate import generate

__all__ = [
    "DEFAULT_LIMIT_INPUT_PIXELS",
    "FullsizeImageConfig",
    "GeneratedImageConfig",
    "ImageConfig",
    "OutputInfo",
    "Result",
    "ThumbnailError",
    "generate",
]
