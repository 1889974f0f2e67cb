"""Thumbnails plugin: preview, thumbnail and ThumbHash for images, as Immich makes them.

The image part is a plain library (no database, no queue)::

    from plugins.thumbnails import ImageConfig, generate
    result = generate(src, preview_path, thumb_path, ImageConfig.from_dict(config["image"]))

The job handler that wires it to assets and queues comes later (no hooks yet).
"""

from ._config import (
    DEFAULT_LIMIT_INPUT_PIXELS,
    FullsizeImageConfig,
    GeneratedImageConfig,
    ImageConfig,
)
from ._generate import generate
from ._types import OutputInfo, Result, ThumbnailError

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
