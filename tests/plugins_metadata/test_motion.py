"""Motion photos: the MP4 inside Samsung/Google photos is written out, atomically."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from plugins.metadata import ExifTool, MotionInfo, extract, extract_motion_video, motion_info


def fake_mp4(size: int = 4096) -> bytes:
    box = (24).to_bytes(4, "big") + b"ftypmp42" + b"\0\0\0\0" + b"mp42isom"
    return box + b"\x01" * (size - len(box))


async def test_samsung_heic(tmp_path: Path, assets: Path, exiftool: ExifTool) -> None:
    # samsung-one-ui-6.heic: QuickTime MotionPhotoVideo (3226469 bytes); its EmbeddedVideoFile
    # is a 12-byte stub, so the order (MotionPhotoVideo first) matters.
    out = tmp_path / "video" / "motion.mp4"
    photo = assets / "formats/motionphoto/samsung-one-ui-6.heic"
    assert await extract_motion_video(photo, out, exiftool=exiftool)
    data = out.read_bytes()
    assert data[4:8] == b"ftyp"
    assert len(data) == 3226469
    assert os.listdir(out.parent) == ["motion.mp4"]  # no temporary file left


async def test_still_photo_has_no_video(tmp_path: Path, assets: Path, exiftool: ExifTool) -> None:
    out = tmp_path / "none.mp4"
    assert not await extract_motion_video(
        assets / "metadata/tags/picasa.jpg", out, exiftool=exiftool
    )
    assert not out.exists()
    assert os.listdir(tmp_path) == []


async def test_trailer_from_container_directory(tmp_path: Path) -> None:
    # Google layout: the video is the last `length` bytes before `padding` bytes of the file
    video = fake_mp4()
    photo = tmp_path / "PXL.MP.jpg"
    photo.write_bytes(b"\xff\xd8jpeg-bytes\xff\xd9" + video + b"\0" * 8)
    info = motion_info(
        {
            "MotionPhoto": 1,
            "Directory": [
                {"Item": {"Semantic": "Primary", "Length": 0}},
                {"Item": {"Semantic": "MotionPhoto", "Length": len(video), "Padding": 8}},
            ],
        }
    )
    assert info == MotionInfo(tag=None, length=len(video), padding=8)
    out = tmp_path / "out.mp4"
    assert await extract_motion_video(photo, out, info=info)
    assert out.read_bytes() == video


async def test_not_an_mp4_is_not_written(tmp_path: Path) -> None:
    photo = tmp_path / "MVIMG.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * 5000)
    info = motion_info({"MicroVideo": 1, "MicroVideoOffset": 3000})
    assert info == MotionInfo(tag=None, length=3000, padding=0)
    out = tmp_path / "out.mp4"
    assert not await extract_motion_video(photo, out, info=info)
    assert not out.exists()
    # an offset beyond the file's start is refused, not read from a negative position
    far = MotionInfo(tag=None, length=10**9, padding=0)
    assert not await extract_motion_video(photo, out, info=far)
    assert os.listdir(tmp_path) == ["MVIMG.jpg"]


def test_motion_info_detection() -> None:
    assert motion_info({}) is None
    assert motion_info({"MotionPhoto": 0}) is None
    samsung_jpeg = {
        "EmbeddedVideoType": "MotionPhoto_Data",
        "EmbeddedVideoFile": "(Binary data 2000000 bytes, use -b option to extract)",
    }
    assert motion_info(samsung_jpeg) == MotionInfo(tag="EmbeddedVideoFile", length=0, padding=0)
    # flagged, but nothing says where the video is
    assert motion_info({"MotionPhoto": 1}) is None


async def test_extracted_video_metadata(tmp_path: Path, assets: Path, exiftool: ExifTool) -> None:
    # the Samsung clip itself, read as a video: QuickTime Duration 3.1301 s, VideoFrameRate
    # 13.418, Rotation 90 (clockwise, so EXIF orientation 6), CreateDate 2024:01:13 05:38:55
    # which QuickTime stores in UTC (no other zone clue: timeZone "UTC", as defaultVideosToUTC)
    clip = tmp_path / "clip.mp4"
    photo = assets / "formats/motionphoto/samsung-one-ui-6.heic"
    assert await extract_motion_video(photo, clip, exiftool=exiftool)
    exif = await extract(clip, exiftool=exiftool)
    assert exif.duration == 3130
    assert exif.fps == pytest.approx(13.418)
    assert exif.orientation == "6"
    assert (exif.exifImageWidth, exif.exifImageHeight) == (1440, 1080)
    assert exif.dateTimeOriginal == datetime(2024, 1, 13, 5, 38, 55, tzinfo=UTC)
    assert exif.timeZone == "UTC"
    assert exif.motion is None
