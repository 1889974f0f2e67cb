"""What an album answer says about its sharing: ``hasSharedLink`` and ``shared`` from the
database (a member or a link), ``contributorCounts`` (assets per owner) on a shared album's
``getAlbumInfo`` only, as Immich's AlbumService.get."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.asset_helpers import uploaded
from tests.api.shared_link_helpers import make_link
from tests.api.user_helpers import user_and_login

JPEG = b"\xff\xd8\xff" + b"sharing-state" * 50


async def _info(client: httpx.AsyncClient, headers: dict[str, str], album_id: str) -> Any:
    r = await client.get(f"/api/albums/{album_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def _stats(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
    r = await client.get("/api/albums/statistics", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_links_members_and_contributors(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    a = await uploaded(client, admin_headers, JPEG + b"1", "a.jpg")
    b = await uploaded(client, admin_headers, JPEG + b"2", "b.jpg")
    r = await client.post(
        "/api/albums", headers=admin_headers, json={"albumName": "Trip", "assetIds": [a, b]}
    )
    assert r.status_code == 201, r.text
    album_id = r.json()["id"]
    admin_id = r.json()["albumUsers"][0]["user"]["id"]
    info = await _info(client, admin_headers, album_id)
    assert (info["shared"], info["hasSharedLink"]) == (False, False)
    assert "contributorCounts" not in info  # not shared: Immich leaves it out
    assert await _stats(client, admin_headers) == {"owned": 1, "shared": 0, "notShared": 1}

    # a link alone makes it shared
    link = await make_link(client, admin_headers, albumId=album_id)
    info = await _info(client, admin_headers, album_id)
    assert (info["shared"], info["hasSharedLink"]) == (True, True)
    assert info["contributorCounts"] == [{"userId": admin_id, "assetCount": 2}]
    r = await client.get("/api/albums", params={"isShared": "true"}, headers=admin_headers)
    assert [(x["id"], x["hasSharedLink"]) for x in r.json()] == [(album_id, True)]
    r = await client.get("/api/albums", params={"isShared": "false"}, headers=admin_headers)
    assert r.json() == []
    assert await _stats(client, admin_headers) == {"owned": 1, "shared": 1, "notShared": 0}
    # every answer carrying the album says so (list, update)
    r = await client.patch(
        f"/api/albums/{album_id}", json={"description": "x"}, headers=admin_headers
    )
    assert r.status_code == 200 and r.json()["hasSharedLink"] is True
    assert "contributorCounts" not in r.json()  # Immich: only getAlbumInfo

    # an editor adds their own asset; a trashed asset no longer counts
    editor, editor_headers = await user_and_login(client, admin_headers)
    r = await client.put(
        f"/api/albums/{album_id}/users",
        json={"albumUsers": [{"userId": editor["id"], "role": "editor"}]},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    mine = await uploaded(client, editor_headers, JPEG + b"3", "c.jpg")
    r = await client.put(
        f"/api/albums/{album_id}/assets", json={"ids": [mine]}, headers=editor_headers
    )
    assert r.status_code == 200 and r.json()[0]["success"] is True
    r = await client.request("DELETE", "/api/assets", json={"ids": [b]}, headers=admin_headers)
    assert r.status_code == 204, r.text
    info = await _info(client, editor_headers, album_id)
    assert info["contributorCounts"] == sorted(
        [{"userId": admin_id, "assetCount": 1}, {"userId": editor["id"], "assetCount": 1}],
        key=lambda c: c["userId"],
    )

    # the link goes: still shared through the member, no link any more
    r = await client.delete(f"/api/shared-links/{link['id']}", headers=admin_headers)
    assert r.status_code == 204, r.text
    info = await _info(client, admin_headers, album_id)
    assert (info["shared"], info["hasSharedLink"]) == (True, False)
    assert len(info["contributorCounts"]) == 2
