"""/api/albums (the part ``immich upload --album`` uses): create, list with filters, read, add."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.asset_helpers import UNKNOWN_ID, uploaded
from tests.api.user_helpers import user_and_login

JPEG = b"\xff\xd8\xff" + b"album" * 100


async def _album(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> Any:
    r = await client.post("/api/albums", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def test_create_and_read_album(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    first = await uploaded(client, admin_headers, JPEG, "a.jpg")
    second = await uploaded(client, admin_headers, JPEG + b"2", "b.jpg")
    album = await _album(
        client, admin_headers, albumName="Trip", description="Summer", assetIds=[first, second]
    )
    assert album["albumName"] == "Trip" and album["description"] == "Summer"
    assert album["assetCount"] == 2 and album["albumThumbnailAssetId"] == first
    assert (album["shared"], album["hasSharedLink"], album["isActivityEnabled"]) == (
        False,
        False,
        True,
    )
    assert album["order"] == "desc"
    assert album["startDate"] == album["endDate"] == "2024-05-01T10:20:30.000Z"
    [owner] = album["albumUsers"]
    assert owner["role"] == "owner" and owner["user"]["email"] == "admin@example.com"
    r = await client.get(f"/api/albums/{album['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json() == album
    empty = await _album(client, admin_headers, albumName="Empty")
    assert empty["assetCount"] == 0 and empty["albumThumbnailAssetId"] is None
    assert "startDate" not in empty and empty["description"] == ""


async def test_add_assets_reports_each_id(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    mine = await uploaded(client, admin_headers, JPEG)
    album = await _album(client, admin_headers, albumName="A")
    _, other_headers = await user_and_login(client, admin_headers)
    theirs = await uploaded(client, other_headers, JPEG, "theirs.jpg")
    r = await client.put(
        f"/api/albums/{album['id']}/assets",
        headers=admin_headers,
        json={"ids": [mine, mine, theirs, UNKNOWN_ID]},
    )
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"id": mine, "success": True},
        {"id": mine, "success": False, "error": "duplicate"},
        {"id": theirs, "success": False, "error": "no_permission"},
        {"id": UNKNOWN_ID, "success": False, "error": "no_permission"},
    ]
    again = await client.put(
        f"/api/albums/{album['id']}/assets", headers=admin_headers, json={"ids": [mine]}
    )
    assert again.json() == [{"id": mine, "success": False, "error": "duplicate"}]
    info = (await client.get(f"/api/albums/{album['id']}", headers=admin_headers)).json()
    assert info["assetCount"] == 1 and info["albumThumbnailAssetId"] == mine
    r = await client.put(
        f"/api/albums/{album['id']}/assets", headers=other_headers, json={"ids": [theirs]}
    )
    assert (r.status_code, r.json()) == (
        400,
        {"message": "Not found or no albumAsset.create access"},
    )
    r = await client.put(
        f"/api/albums/{album['id']}/assets", headers=admin_headers, json={"ids": ["x"]}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["ids", 0]


async def test_list_filters_and_sharing(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    user, user_headers = await user_and_login(client, admin_headers)
    asset = await uploaded(client, admin_headers, JPEG)
    private = await _album(client, admin_headers, albumName="Private", assetIds=[asset])
    shared = await _album(
        client,
        admin_headers,
        albumName="Shared",
        albumUsers=[{"userId": user["id"], "role": "editor"}],
    )
    theirs = await _album(client, user_headers, albumName="Theirs")

    async def names(headers: dict[str, str], **params: str) -> list[str]:
        r = await client.get("/api/albums", headers=headers, params=params)
        assert r.status_code == 200, r.text
        return sorted(a["albumName"] for a in r.json())

    assert await names(admin_headers) == ["Private", "Shared"]
    assert await names(user_headers) == ["Shared", "Theirs"]
    assert await names(user_headers, isOwned="true") == ["Theirs"]
    assert await names(user_headers, isOwned="false") == ["Shared"]
    assert await names(admin_headers, isShared="true") == ["Shared"]
    assert await names(admin_headers, isShared="false") == ["Private"]
    assert await names(admin_headers, name="Private") == ["Private"]
    assert await names(admin_headers, id=shared["id"]) == ["Shared"]
    assert await names(admin_headers, assetId=asset, isShared="true") == ["Private"]
    r = await client.get("/api/albums", headers=user_headers, params={"id": shared["id"]})
    entry = r.json()[0]
    assert entry["shared"] is True
    assert [(u["role"], u["user"]["id"]) for u in entry["albumUsers"]][1] == ("editor", user["id"])
    r = await client.get(f"/api/albums/{private['id']}", headers=user_headers)
    assert (r.status_code, r.json()) == (400, {"message": "Not found or no album.read access"})
    r = await client.get(f"/api/albums/{theirs['id']}", headers=admin_headers)
    assert r.status_code == 400
    # an editor may add their own assets to a shared album
    their_asset = await uploaded(client, user_headers, JPEG + b"u")
    r = await client.put(
        f"/api/albums/{shared['id']}/assets", headers=user_headers, json={"ids": [their_asset]}
    )
    assert r.json() == [{"id": their_asset, "success": True}]


async def test_create_album_bad_input(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    me = (await client.get("/api/users/me", headers=admin_headers)).json()
    cases = [
        ({}, 400, "Validation failed"),
        ({"albumName": "x", "albumUsers": [{"userId": UNKNOWN_ID, "role": "editor"}]}, 400,
         "Invalid user"),
        ({"albumName": "x", "albumUsers": [{"userId": me["id"], "role": "boss"}]}, 400,
         "Validation failed"),
    ]  # fmt: skip
    for body, status, message in cases:
        r = await client.post("/api/albums", headers=admin_headers, json=body)
        assert (r.status_code, r.json()["message"]) == (status, message), body
    album = await _album(client, admin_headers, albumName="ok", assetIds=[UNKNOWN_ID])
    assert album["assetCount"] == 0  # assets one may not share are left out
    # the creator named among the members is left out (Immich 3.1 filters it)
    mine = await _album(
        client, admin_headers, albumName="me", albumUsers=[{"userId": me["id"], "role": "editor"}]
    )
    assert [u["user"]["id"] for u in mine["albumUsers"]] == [me["id"]]
    r = await client.get("/api/albums")
    assert r.status_code == 401


async def test_add_assets_to_albums(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset = await uploaded(client, admin_headers, JPEG)
    one = await _album(client, admin_headers, albumName="one")
    two = await _album(client, admin_headers, albumName="two")
    body = {"albumIds": [one["id"], two["id"]], "assetIds": [asset]}
    r = await client.put("/api/albums/assets", headers=admin_headers, json=body)
    assert (r.status_code, r.json()) == (200, {"success": True})
    r = await client.put("/api/albums/assets", headers=admin_headers, json=body)
    assert r.json() == {"success": False, "error": "duplicate"}
    r = await client.put(
        "/api/albums/assets",
        headers=admin_headers,
        json={"albumIds": [UNKNOWN_ID], "assetIds": [asset]},
    )
    assert r.json() == {"success": False, "error": "no_permission"}
    for album in (one, two):
        info = (await client.get(f"/api/albums/{album['id']}", headers=admin_headers)).json()
        assert info["assetCount"] == 1
