"""DTO dump (and parse) speed on a realistic answer: 1000 AssetResponseDto with EXIF and owner.

Run: .venv/bin/python -m bench.dto_bench   (prints ms per call, best of 5 runs of 20 calls)
"""

from __future__ import annotations

import datetime as dt
import timeit
import uuid

from immich.api.asset_dtos import AssetResponseDto, ExifResponseDto, to_asset_response
from immich.api.dto import dump, parse


def assets(n: int) -> list[AssetResponseDto]:
    now = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)
    owner = {
        "avatarColor": "blue",
        "email": "a@example.com",
        "id": uuid.uuid4(),
        "name": "A",
        "profileChangedAt": now,
        "profileImagePath": "",
    }
    out = []
    for i in range(n):
        row = {
            "checksum": b"0123456789abcdefghij",
            "createdAt": now,
            "duration": None,
            "fileCreatedAt": now,
            "fileModifiedAt": now,
            "height": 3000,
            "width": 4000,
            "id": uuid.uuid4(),
            "visibility": "timeline",
            "isFavorite": i % 2 == 0,
            "isOffline": False,
            "deletedAt": None,
            "localDateTime": now,
            "originalFileName": f"IMG_{i}.jpg",
            "originalPath": f"/upload/IMG_{i}.jpg",
            "ownerId": owner["id"],
            "thumbhash": b"thumbhash-bytes",
            "type": "IMAGE",
            "updatedAt": now,
            "livePhotoVideoId": None,
            "duplicateId": None,
            "libraryId": None,
            "originalMimeType": "image/jpeg",
        }
        dto = to_asset_response(row, None, owner=owner)
        exif = ExifResponseDto(
            city="Paris", dateTimeOriginal=now, exifImageHeight=3000, fNumber=1.8, make="X"
        )
        out.append(AssetResponseDto(**{**_fields(dto), "exifInfo": exif}))
    return out


def _fields(dto: AssetResponseDto) -> dict[str, object]:
    return {a.name: getattr(dto, a.name) for a in AssetResponseDto.__attrs_attrs__}


def main() -> None:
    data = assets(1000)
    dumped = dump(data)
    best = min(timeit.repeat(lambda: dump(data), number=20, repeat=5)) / 20
    print(f"dump 1000 AssetResponseDto: {best * 1000:.2f} ms")
    users = [{"email": f"u{i}@example.com", "name": "N", "password": "x" * 10} for i in range(1000)]
    from immich.api.user_dtos import UserAdminCreateDto

    best = (
        min(
            timeit.repeat(lambda: [parse(UserAdminCreateDto, u) for u in users], number=5, repeat=5)
        )
        / 5
    )
    print(f"parse 1000 UserAdminCreateDto: {best * 1000:.2f} ms")
    assert len(dumped) == 1000


if __name__ == "__main__":
    main()
