"""/api/download: archive plans (``getDownloadInfo``) and the streamed zip (``downloadArchive``)
through the real app: exact bytes, unique names, motion parts, access."""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import UNKNOWN_ID, make_asset, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
PIN = "123456"


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


@pytest.fixture
def media(app: Any) -> Path:
    return Path(app.state.ctx.settings.media_location)


async def file_asset(
    pool: Any, owner: Any, folder: Path, name: str, data: bytes, **columns: Any
) -> Any:
    """An asset whose original is a real file holding ``data``; its EXIF records the size."""
    path = folder / f"{uuid.uuid4().hex}{Path(name).suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return await make_asset(
        pool,
        owner,
        name=name,
        originalPath=str(path),
        exif={"fileSizeInByte": len(data)},
        **columns,
    )


async def info(client: httpx.AsyncClient, headers: Headers, **body: Any) -> httpx.Response:
    return await client.post("/api/download/info", json=body, headers=headers)


def ids(*rows: Any) -> list[str]:
    return [str(r["id"]) for r in rows]


async def test_archive_is_a_valid_zip_with_exact_bytes_and_unique_names(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, media: Path
) -> None:
    me = await user_id(pool)
    folder = media / "upload" / "dl-test"
    payloads = [os.urandom(size) for size in (70_000, 3, 200_000, 0, 1234, 5, 6, 7)]
    names = ["IMG_1.jpg", "IMG_1.jpg", "IMG_1.jpg", "clip.mov", "a/b:c?.jpg", "IMG_1+1.jpg",
             "..", "IMG_1.jpg"]  # fmt: skip
    rows = [await file_asset(pool, me, folder, n, p) for n, p in zip(names, payloads, strict=True)]
    r = await client.post(
        "/api/download/archive", json={"assetIds": ids(*rows)}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/octet-stream"
    assert int(r.headers["content-length"]) == len(r.content)
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [
            "IMG_1.jpg",
            "IMG_1+1.jpg",
            "IMG_1+2.jpg",
            "clip.mov",
            "abc.jpg",
            "IMG_1+1+1.jpg",  # Immich would repeat "IMG_1+1.jpg"
            "unnamed",
            "IMG_1+3.jpg",
        ]
        for info_, payload in zip(archive.infolist(), payloads, strict=True):
            assert info_.compress_type == zipfile.ZIP_STORED
            assert archive.read(info_) == payload


async def test_archive_needs_download_access_on_every_asset(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, media: Path
) -> None:
    me = await user_id(pool)
    mine = await file_asset(pool, me, media / "upload" / "x", "mine.jpg", b"mine")
    user, headers = await user_and_login(client, admin_headers)
    theirs = await file_asset(pool, user["id"], media / "upload" / "y", "theirs.jpg", b"theirs")
    r = await client.post(
        "/api/download/archive", json={"assetIds": ids(mine, theirs)}, headers=admin_headers
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no asset.download access"
    r = await client.post("/api/download/archive", json={"assetIds": [UNKNOWN_ID]}, headers=headers)
    assert r.status_code == 400
    # The owner's locked asset needs an elevated (PIN unlocked) session.
    locked = await file_asset(
        pool, me, media / "upload" / "x", "locked.jpg", b"locked", visibility="locked"
    )
    r = await client.post(
        "/api/download/archive", json={"assetIds": ids(locked)}, headers=admin_headers
    )
    assert r.status_code == 400
    r = await info(client, admin_headers, assetIds=ids(locked))
    assert r.status_code == 400
    r = await client.post("/api/download/archive", json={"assetIds": ["nope"]}, headers=headers)
    assert r.status_code == 400
    assert r.json()["message"] == "Validation failed"
    r = await client.post("/api/download/archive", json={}, headers=headers)
    assert r.status_code == 400
    # An album member may download the album's assets.
    r = await client.post(
        "/api/albums",
        json={
            "albumName": "shared",
            "assetIds": ids(mine),
            "albumUsers": [{"userId": user["id"], "role": "viewer"}],
        },
        headers=admin_headers,
    )
    assert r.status_code == 201, r.text
    r = await client.post("/api/download/archive", json={"assetIds": ids(mine)}, headers=headers)
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        assert archive.read("mine.jpg") == b"mine"


async def test_a_missing_file_is_left_out(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, media: Path
) -> None:
    me = await user_id(pool)
    kept = await file_asset(pool, me, media / "upload" / "m", "kept.jpg", b"kept")
    gone = await make_asset(pool, me, name="gone.jpg", originalPath=str(media / "no-such.jpg"))
    r = await client.post(
        "/api/download/archive", json={"assetIds": ids(gone, kept)}, headers=admin_headers
    )
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        assert archive.namelist() == ["kept.jpg"]


async def test_info_splits_by_archive_size(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    rows = [
        await make_asset(pool, me, f"2024-05-0{i + 1}", exif={"fileSizeInByte": size})
        for i, size in enumerate((600, 600, 100, 901, 50))
    ]
    r = await info(client, admin_headers, assetIds=ids(*rows), archiveSize=1000)
    assert r.status_code == 201, r.text
    # Immich closes an archive once it is over the target.
    assert r.json() == {
        "totalSize": 2251,
        "archives": [
            {"assetIds": ids(*rows[:2]), "size": 1200},
            {"assetIds": ids(*rows[2:4]), "size": 1001},
            {"assetIds": ids(rows[4]), "size": 50},
        ],
    }
    r = await info(client, admin_headers, assetIds=ids(*rows))  # default: 4 GiB
    assert [len(a["assetIds"]) for a in r.json()["archives"]] == [5]


async def test_info_of_a_user_skips_hidden_trashed_locked_and_others(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, media: Path
) -> None:
    me = await user_id(pool)
    seen = await make_asset(pool, me, "2024-01-01", exif={"fileSizeInByte": 10})
    archived = await make_asset(pool, me, "2024-01-02", visibility="archive")
    await make_asset(pool, me, "2024-01-03", visibility="hidden")
    locked = await make_asset(pool, me, "2024-01-04", visibility="locked")
    await make_asset(pool, me, "2024-01-05", deletedAt=seen["fileCreatedAt"], status="trashed")
    user, headers = await user_and_login(client, admin_headers)
    await make_asset(pool, user["id"])
    r = await info(client, admin_headers, userId=str(me))
    assert r.status_code == 201, r.text
    assert r.json() == {
        "totalSize": 10,
        "archives": [{"assetIds": ids(seen, archived), "size": 10}],
    }
    # Another user's timeline is not ours to download.
    r = await info(client, headers, userId=str(me))
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no timeline.download access"
    # Elevated (PIN unlocked), the owner's locked assets come too.
    r = await client.post("/api/auth/pin-code", headers=admin_headers, json={"pinCode": PIN})
    assert r.status_code == 204, r.text
    r = await client.post("/api/auth/session/unlock", headers=admin_headers, json={"pinCode": PIN})
    assert r.status_code == 204, r.text
    r = await info(client, admin_headers, userId=str(me))
    assert r.json()["archives"][0]["assetIds"] == ids(seen, archived, locked)


async def test_info_of_an_album_for_members_only(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me, "2024-01-01", exif={"fileSizeInByte": 5})
    b = await make_asset(pool, me, "2024-01-02", exif={"fileSizeInByte": 7})
    await make_asset(pool, me, "2024-01-03")  # not in the album
    r = await client.post(
        "/api/albums", json={"albumName": "x", "assetIds": ids(a, b)}, headers=admin_headers
    )
    album_id = r.json()["id"]
    r = await info(client, admin_headers, albumId=album_id)
    assert r.json() == {"totalSize": 12, "archives": [{"assetIds": ids(a, b), "size": 12}]}
    _, headers = await user_and_login(client, admin_headers)
    r = await info(client, headers, albumId=album_id)
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no album.download access"


async def test_info_adds_live_photo_videos_as_immich(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, media: Path
) -> None:
    """An iPhone live photo's video always comes; a Samsung/Google motion photo's video (cut
    out into encoded-video/) only with the ``includeEmbeddedVideos`` preference."""
    me = await user_id(pool)
    video = await make_asset(
        pool, me, type="VIDEO", visibility="hidden", exif={"fileSizeInByte": 30}
    )
    photo = await make_asset(
        pool, me, "2024-05-01", livePhotoVideoId=video["id"], exif={"fileSizeInByte": 100}
    )
    embedded = await make_asset(
        pool,
        me,
        type="VIDEO",
        visibility="hidden",
        originalPath=str(media / "encoded-video" / str(me) / "ab" / "cd" / "x-MP.mp4"),
        exif={"fileSizeInByte": 20},
    )
    motion = await make_asset(pool, me, "2024-05-02", livePhotoVideoId=embedded["id"])
    r = await info(client, admin_headers, assetIds=ids(photo, motion))
    assert r.json()["archives"] == [{"assetIds": ids(photo, motion, video), "size": 130}]
    r = await client.put(
        "/api/users/me/preferences",
        json={"download": {"includeEmbeddedVideos": True}},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    r = await info(client, admin_headers, assetIds=ids(photo, motion))
    assert set(r.json()["archives"][0]["assetIds"]) == set(ids(photo, motion, video, embedded))
    assert r.json()["totalSize"] == 150


async def test_info_bad_input(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    r = await info(client, admin_headers)
    assert r.status_code == 400
    assert r.json()["message"] == "assetIds, albumId, or userId is required"
    r = await info(client, admin_headers, assetIds=[UNKNOWN_ID])
    assert r.json()["message"] == "Not found or no asset.download access"
    r = await info(client, admin_headers, albumId="nope")
    assert r.json()["message"] == "Validation failed"
    r = await info(client, admin_headers, userId=UNKNOWN_ID, archiveSize=0)
    assert r.status_code == 400
    assert r.json()["message"] == "Validation failed"
    r = await client.post("/api/download/info", json={"userId": UNKNOWN_ID})
    assert r.status_code == 401


async def test_edited_archive_takes_the_edited_rendition(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, media: Path
) -> None:
    me = await user_id(pool)
    folder = media / "upload" / "e"
    edited_one = await file_asset(pool, me, folder, "e.jpg", b"original-e")
    plain = await file_asset(pool, me, folder, "p.jpg", b"original-p")
    edit = folder / "e-edited.jpg"
    edit.write_bytes(b"edited-e")
    await pool.execute(
        'INSERT INTO "asset_file" ("assetId", "type", "path", "isEdited") '
        "VALUES ($1, 'fullsize', $2, true)",
        edited_one["id"],
        str(edit),
    )
    body = {"assetIds": ids(edited_one, plain)}
    for edited, expected in ((True, b"edited-e"), (False, b"original-e")):
        r = await client.post(
            "/api/download/archive", json={**body, "edited": edited}, headers=admin_headers
        )
        with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
            assert archive.read("e.jpg") == expected
            assert archive.read("p.jpg") == b"original-p"


async def test_archive_streams_holding_no_database_connection(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, media: Path
) -> None:
    """The database is read before the first byte; while the zip streams, every pool
    connection is idle (no transaction can be left open for the minutes a download takes)."""
    from immich.db.repos import users
    from immich.services import download
    from immich.services.auth import AuthContext

    me = await user_id(pool)
    rows = [
        await file_asset(pool, me, media / "upload" / "s", f"{i}.jpg", os.urandom(300_000))
        for i in range(3)
    ]
    auth = AuthContext(user=await users.get(pool, me))
    archive = await download.build_archive(pool, auth, ids(*rows))
    pieces = download.chunks(archive, at_least=100_000)
    first = next(pieces)
    assert first.startswith(b"PK\x03\x04")
    assert pool.get_size() == pool.get_idle_size()
    rest = b"".join(pieces)
    assert len(first) + len(rest) == len(archive)
