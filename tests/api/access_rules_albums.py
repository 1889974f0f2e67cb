"""Access rules for the album operations beyond create/read/add, and for activity (Immich's
AlbumService and ActivityService).

The member row is a *viewer* of the owner's album: it reads the album, its map markers and its
activity, may like and comment, but may not update the album, share it, or add or remove
assets (``album.update`` / ``album.share`` / ``albumAsset.delete`` need an editor, deleting the
album its owner). A member may leave an album on their own; as Immich, membership is checked
before access, so a stranger naming themselves hears "Album not shared with user". An activity
is deleted by its author or the album's owner.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.access_model import (
    ALBUM_READERS,
    ASSET_SHARERS,
    MEMBER,
    OWNER,
    Expect,
    Probe,
    Request,
    Things,
    bulk_refused,
    no_access,
    status,
)
from tests.api.asset_factory import make_album, make_asset
from tests.api.user_helpers import create_user

NOT_SHARED = status(400, "Album not shared with user")


def _left_or_owner() -> Expect:
    """``DELETE /albums/{id}/user/me``: the member leaves (204), the owner may not (400)."""

    def check(r: httpx.Response, _: Things) -> str | None:
        if r.status_code == 204:
            return None
        if r.status_code == 400 and r.json().get("message") == "Cannot remove the last album owner":
            return None
        return f"got {r.status_code} {r.text[:200]}"

    return Expect("204 (member) or 400 last owner (owner)", check)


async def _shared_album(world: Any, owner: Things) -> None:
    """A new album of the owner holding a new asset, the member a viewer and a fresh user an
    editor (``owner.user_id`` becomes that editor's id)."""
    asset = await make_asset(world.pool, owner.user_id, "2024-05-02T10:00:00")
    album = await make_album(world.pool, owner.user_id, [asset["id"]])
    email = f"editor-{uuid.uuid4().hex[:8]}@example.com"
    editor = await create_user(world.client, world.admin_headers, email, "pw-12345678")
    for user, role in ((world.actors[MEMBER].user_id, "viewer"), (editor["id"], "editor")):
        await world.pool.execute(
            'INSERT INTO "album_user" ("albumId", "userId", "role") VALUES ($1, $2, $3)',
            album,
            uuid.UUID(user),
            role,
        )
    owner.album, owner.asset, owner.user_id = str(album), str(asset["id"]), editor["id"]


async def _activity(world: Any, owner: Things) -> None:
    """A comment of the owner under their album."""
    owner.activity = str(
        await world.pool.fetchval(
            'INSERT INTO "activity" ("albumId", "userId", "comment") VALUES ($1, $2, $3) '
            'RETURNING "id"',
            uuid.UUID(owner.album),
            uuid.UUID(world.actors[OWNER].user_id),
            "nice",
        )
    )


ALBUM_FRESH = {"shared_album": _shared_album, "activity": _activity}


def _album(o: Things, c: Things) -> Request:
    return Request({"id": o.album})


ALBUM_RULES: dict[str, list[Probe]] = {
    "updateAlbumInfo": [
        Probe(
            lambda o, c: Request({"id": o.album}, {"albumName": "renamed"}),
            no_access("album.update"),
            status(200),
            fresh=("shared_album",),
        ),
        # the caller's own album, the owner's asset as its thumbnail: not in the album (the
        # partner's album holds it: the fixture's createAlbum took it, asset.share)
        Probe(
            lambda o, c: Request({"id": c.album}, {"albumThumbnailAssetId": o.asset}),
            status(400, "Invalid album thumbnail"),
            status(200),
            grants=ASSET_SHARERS,
        ),
    ],
    "deleteAlbum": [Probe(_album, no_access("album.delete"), fresh=("shared_album",))],
    "removeAssetFromAlbum": [
        Probe(
            lambda o, c: Request({"id": o.album}, {"ids": [o.asset]}),
            no_access("albumAsset.delete"),
            status(200),
            fresh=("shared_album",),
        ),
        # the caller's own album: the owner's asset is not in it
        Probe(
            lambda o, c: Request({"id": c.album}, {"ids": [o.asset]}),
            bulk_refused("not_found"),
            status(200),
            fresh=("shared_album",),
        ),
    ],
    "addUsersToAlbum": [
        Probe(
            lambda o, c: Request({"id": o.album}, {"albumUsers": [{"userId": c.user_id}]}),
            no_access("album.share"),
            status(200),
            fresh=("shared_album",),
        )
    ],
    "updateAlbumUser": [
        Probe(
            lambda o, c: Request({"id": o.album, "userId": o.user_id}, {"role": "viewer"}),
            no_access("album.share"),
            fresh=("shared_album",),
        )
    ],
    "removeUserFromAlbum": [
        # someone else (the album's editor): the owner only (editors too, none here)
        Probe(
            lambda o, c: Request({"id": o.album, "userId": o.user_id}),
            no_access("album.share"),
            fresh=("shared_album",),
        ),
        # oneself: a member leaves; a stranger is no member
        Probe(
            lambda o, c: Request({"id": o.album, "userId": "me"}),
            NOT_SHARED,
            _left_or_owner(),
            grants=frozenset({OWNER, MEMBER}),
            fresh=("shared_album",),
        ),
    ],
    "getAlbumMapMarkers": [
        Probe(_album, no_access("album.read"), status(200), grants=ALBUM_READERS)
    ],
    # --- activity ---------------------------------------------------------------------------
    "getActivities": [
        Probe(
            lambda o, c: Request(query={"albumId": o.album}),
            no_access("album.read"),
            status(200),
            grants=ALBUM_READERS,
        )
    ],
    "getActivityStatistics": [
        Probe(
            lambda o, c: Request(query={"albumId": o.album}),
            no_access("album.read"),
            status(200),
            grants=ALBUM_READERS,
        )
    ],
    "createActivity": [
        Probe(
            lambda o, c: Request(json={"albumId": o.album, "type": "like"}),
            no_access("activity.create"),
            status(201),
            grants=ALBUM_READERS,
            fresh=("shared_album",),
        )
    ],
    "deleteActivity": [
        Probe(
            lambda o, c: Request({"id": o.activity}),
            no_access("activity.delete"),
            fresh=("activity",),
        )
    ],
}
