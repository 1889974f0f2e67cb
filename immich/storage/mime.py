"""What a file is, by its name, as Immich decides (server/src/utils/mime-types.ts).

The accepted extensions (``GET /api/server/media-types`` lists them, ``immich.api.server``
reads them from here), their MIME types and asset types.
"""

from __future__ import annotations

from pathlib import PurePath

# Extensions Immich 3.1 accepts (server/src/utils/mime-types.ts), in Immich's order.
RAW_EXTENSIONS: tuple[str, ...] = (
    ".3fr", ".ari", ".arw", ".cap", ".cin", ".cr2", ".cr3", ".crw", ".dcr", ".dng", ".erf",
    ".fff", ".iiq", ".k25", ".kdc", ".mrw", ".nef", ".nrw", ".orf", ".ori", ".pef", ".psd",
    ".raf", ".raw", ".rw2", ".rwl", ".sr2", ".srf", ".srw", ".x3f",
)  # fmt: skip
IMAGE_EXTENSIONS: tuple[str, ...] = RAW_EXTENSIONS + (
    ".avif", ".bmp", ".gif", ".heic", ".heif", ".hif", ".insp", ".jpe", ".jpeg", ".jpg",
    ".jxl", ".png", ".svg", ".tif", ".tiff", ".webp",
)  # fmt: skip
VIDEO_EXTENSIONS: tuple[str, ...] = (
    ".3gp", ".3gpp", ".avi", ".flv", ".insv", ".m2ts", ".m4v", ".mkv", ".mov", ".mp4", ".mpe",
    ".mpeg", ".mpg", ".mts", ".vob", ".webm", ".wmv",
)  # fmt: skip
SIDECAR_EXTENSIONS: tuple[str, ...] = (".xmp",)

_RAW_TYPES = {
    ".psd": "image/vnd.adobe.photoshop",
}
_IMAGE_TYPES = {
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".gif": "image/gif",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".hif": "image/hif",
    ".insp": "image/jpeg",
    ".jpe": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".jxl": "image/jxl",
    ".png": "image/png",
    ".svg": "image/svg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
}
_VIDEO_TYPES = {
    ".3gp": "video/3gpp",
    ".3gpp": "video/3gpp",
    ".avi": "video/avi",
    ".flv": "video/x-flv",
    ".insv": "video/mp4",
    ".m2ts": "video/mp2t",
    ".m4v": "video/x-m4v",
    ".mkv": "video/x-matroska",
    ".mov": "video/quicktime",
    ".mp4": "video/mp4",
    ".mpe": "video/mpeg",
    ".mpeg": "video/mpeg",
    ".mpg": "video/mpeg",
    ".mts": "video/mp2t",
    ".vob": "video/mpeg",
    ".webm": "video/webm",
    ".wmv": "video/x-ms-wmv",
}
OCTET_STREAM = "application/octet-stream"


def extension(filename: str) -> str:
    """The lower-cased extension with its dot ('' when there is none)."""
    return PurePath(filename).suffix.lower()


def asset_type(filename: str) -> str | None:
    """``IMAGE`` or ``VIDEO`` for an accepted media file name, else None."""
    ext = extension(filename)
    if ext in IMAGE_EXTENSIONS:
        return "IMAGE"
    if ext in VIDEO_EXTENSIONS:
        return "VIDEO"
    return None


def is_sidecar(filename: str) -> bool:
    return extension(filename) in SIDECAR_EXTENSIONS


def mime_type(filename: str) -> str:
    """Immich's ``mimeTypes.lookup``: the first MIME type of the extension."""
    ext = extension(filename)
    if ext in _IMAGE_TYPES:
        return _IMAGE_TYPES[ext]
    if ext in _VIDEO_TYPES:
        return _VIDEO_TYPES[ext]
    if ext in RAW_EXTENSIONS:
        return _RAW_TYPES.get(ext, f"image/{ext[1:]}")
    if ext in SIDECAR_EXTENSIONS:
        return "application/xml"
    return OCTET_STREAM
