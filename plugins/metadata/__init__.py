"""Metadata plugin: exiftool-based extraction of what Immich stores in ``asset_exif``.

The extraction library (no job wiring yet): ``extract()`` reads a file and its XMP sidecar,
``reverse_geocode()`` names a position, ``extract_motion_video()`` pulls the MP4 out of a
Samsung/Google motion photo. One exiftool process per worker (``shared_exiftool()``).
"""

from plugins.metadata.exiftool import ExifTool, ExifToolError, ExifToolTimeout, shared_exiftool
from plugins.metadata.extract import Exif, MetadataError, extract, read_tags
from plugins.metadata.geocode import Place, preload, reverse_geocode
from plugins.metadata.motion import MotionInfo, extract_motion_video, motion_info
from plugins.metadata.sidecar import find_sidecar

__all__ = [
    "Exif",
    "ExifTool",
    "ExifToolError",
    "ExifToolTimeout",
    "MetadataError",
    "MotionInfo",
    "Place",
    "extract",
    "extract_motion_video",
    "find_sidecar",
    "motion_info",
    "preload",
    "read_tags",
    "reverse_geocode",
    "shared_exiftool",
]
