"""Where files live under the media folder, as Immich lays them out.

    upload/<userId>/<aa>/<bb>/<uuid>.<ext>        originals uploaded through the API
    thumbs/<userId>/<aa>/<bb>/<assetId>_<kind>.<ext>  preview / thumbnail / fullsize
    encoded-video/<userId>/<aa>/<bb>/<assetId>.mp4  transcodes
    encoded-video/hls/<sessionId>/<variant>/      HLS segments of live streaming sessions
    encoded-video/<userId>/<aa>/<bb>/<assetId>-MP.mp4  videos taken out of motion photos
    profile/<userId>/<uuid>.<ext>                 profile images
    library/<storageLabel or userId>/...          storage-template destination
    backups/                                       database dumps

``<aa>/<bb>`` are the first four hex characters of the file's uuid (Immich's sharding).
"""

from __future__ import annotations

from pathlib import Path

FOLDERS = ("upload", "thumbs", "encoded-video", "profile", "library", "backups")
MARKER = ".immich"


def _shard(base: Path, user_id: str, file_id: str) -> Path:
    clean = file_id.replace("-", "")
    return base / str(user_id) / clean[0:2] / clean[2:4]


def upload_path(media: Path, user_id: str, file_id: str, ext: str) -> Path:
    return _shard(media / "upload", user_id, file_id) / f"{file_id}{_dot(ext)}"


def thumbnail_path(media: Path, user_id: str, asset_id: str, kind: str, ext: str) -> Path:
    """kind: preview, thumbnail or fullsize."""
    return _shard(media / "thumbs", user_id, asset_id) / f"{asset_id}_{kind}{_dot(ext)}"


def encoded_video_path(media: Path, user_id: str, asset_id: str) -> Path:
    return _shard(media / "encoded-video", user_id, asset_id) / f"{asset_id}.mp4"


def motion_video_path(media: Path, user_id: str, asset_id: str) -> Path:
    """The video of a Samsung/Google motion photo, the original of its hidden asset
    ``asset_id`` (Immich's ``StorageCore.getAndroidMotionPath``)."""
    return _shard(media / "encoded-video", user_id, asset_id) / f"{asset_id}-MP.mp4"


def hls_root(media: Path) -> Path:
    """The folder of the HLS streaming sessions' segments (shared by every replica)."""
    return media / "encoded-video" / "hls"


def profile_path(media: Path, user_id: str, file_id: str, ext: str) -> Path:
    return media / "profile" / str(user_id) / f"{file_id}{_dot(ext)}"


def _dot(ext: str) -> str:
    return ext if not ext or ext.startswith(".") else f".{ext}"
