"""Paths under the media folder, as Immich lays them out."""

from __future__ import annotations

from pathlib import Path

from immich.storage import layout

USER = "8e2f3c1a-0000-4000-8000-000000000001"
ASSET = "a1b2c3d4-e5f6-4711-8000-000000000002"


def test_motion_video_sits_beside_transcodes_with_the_mp_suffix() -> None:
    media = Path("/media")
    shard = media / "encoded-video" / USER / "a1" / "b2"
    assert layout.motion_video_path(media, USER, ASSET) == shard / f"{ASSET}-MP.mp4"
    assert layout.encoded_video_path(media, USER, ASSET) == shard / f"{ASSET}.mp4"
    assert layout.upload_path(media, USER, ASSET, "jpg").parent.parts[-4:] == (
        "upload",
        USER,
        "a1",
        "b2",
    )
