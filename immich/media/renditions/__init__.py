"""Renditions of a picture as Immich makes them: preview, thumbnail, fullsize copy, ThumbHash.

Shared by the thumbnails plugin (photos, decoded by its own per-format decoders) and the video
plugin (a poster frame), so a video's poster gets exactly the image settings, formats, colour
handling and ThumbHash of photos, and neither plugin imports the other::

    from immich.media.renditions import ImageConfig, render
    result = render(image, preview_path, thumb_path, ImageConfig.from_dict(config["image"]),
                    size=(width, height), decoder="frame", name="clip.mp4")

libvips (``pyvips``) lives here and in the decoders, never in modules the api role imports.
"""

from ._color import icc_description, source_is_srgb
from ._config import (
    DEFAULT_LIMIT_INPUT_PIXELS,
    Colorspace,
    FullsizeImageConfig,
    GeneratedImageConfig,
    ImageConfig,
    ImageFormat,
)
from ._render import (
    MAX_COORD,
    box_for,
    encode,
    render,
    shrink_to,
    thumbhash,
    vips_reason,
    write_atomically,
)
from ._thumbhash import rgba_to_thumbhash
from ._types import OutputInfo, Result, ThumbnailError

__all__ = [
    "DEFAULT_LIMIT_INPUT_PIXELS",
    "MAX_COORD",
    "Colorspace",
    "FullsizeImageConfig",
    "GeneratedImageConfig",
    "ImageConfig",
    "ImageFormat",
    "OutputInfo",
    "Result",
    "ThumbnailError",
    "box_for",
    "encode",
    "icc_description",
    "render",
    "rgba_to_thumbhash",
    "shrink_to",
    "source_is_srgb",
    "thumbhash",
    "vips_reason",
    "write_atomically",
]
