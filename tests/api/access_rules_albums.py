"""Access rules for the album operations and for activity (Immich's AlbumService and
ActivityService).

Two members of the owner's album: the *viewer* (``member``) reads the album, its map markers and
its activity, may like and comment, but may not update the album, share it, or add or remove
assets; the *editor* (``editor``) may do all of these (Immich's ``album.update``,
``album.share``, ``albumAsset.create`` / ``albumAsset.delete`` grant editors) with the assets
they may share (their own), and removes only those; deleting the album is its owner's alone. A
member may leave an album on their own; as Immich, membership is checked before access, so a
stranger naming themselves hears "Album not shared with user". An activity is deleted by its
author or the album's owner. An allowed call that changes the album works on a fresh one
(``shared_album``), so the fixture's album keeps its contents.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.access_model import (
    ALBUM_EDITORS,
    ALBUM_READERS,
    ASSET_SHARERS,
    EDITOR,
    MEMBER,
    OWNER,
    PARTNER,
    SIGNED_IN,
    Build,
    Expect,
    Probe,
    Request,
    Things,
    bulk_refused,
    hidden,
    no_access,
    reached,
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
    """A new album of the owner holding a new asset: the member a viewer, the editor row and a
    fresh user editors, a second fresh user a viewer (``owner.user_id`` becomes the fresh
    editor's id, ``owner.member2`` the fresh viewer's)."""
    asset = await make_asset(world.pool, owner.user_id, "2024-05-02T10:00:00")
    album = await make_album(world.pool, owner.user_id, [asset["id"]])
    fresh = []
    for name in ("editor", "viewer"):
        email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
        fresh.append(await create_user(world.client, world.admin_headers, email, "pw-12345678"))
    members = (
        (world.actors[MEMBER].user_id, "viewer"),
        (world.actors[EDITOR].user_id, "editor"),
        (fresh[0]["id"], "editor"),
        (fresh[1]["id"], "viewer"),
    )
    for user, role in members:
        await world.pool.execute(
            'INSERT INTO "album_user" ("albumId", "userId", "role") VALUES ($1, $2, $3)',
            album,
            uuid.UUID(user),
            role,
        )
    owner.album, owner.asset = str(album), str(asset["id"])
    owner.user_id, owner.member2 = fresh[0]["id"], fresh[1]["id"]
    owner.editor_row = world.actors[EDITOR].user_id


async def _editor_asset(world: Any, owner: Things) -> None:
    """An asset of the editor row's in the (fresh) album: ``owner.asset`` becomes it."""
    row = await make_asset(world.pool, world.actors[EDITOR].user_id, "2024-05-02T11:00:00")
    await world.pool.execute(
        'INSERT INTO "album_asset" ("albumId", "assetId") VALUES ($1, $2)',
        uuid.UUID(owner.album),
        row["id"],
    )
    owner.asset = str(row["id"])


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


ALBUM_FRESH = {
    "shared_album": _shared_album,
    "editor_asset": _editor_asset,
    "activity": _activity,
}

# The owner, and their partner where Immich opens the owner's things to partners (asset.share).
OWN_OR_SHARED = frozenset({OWNER, PARTNER})


def _someone_else(o: Things, c: Things) -> Request:
    """Remove a member other than the caller: the editor row removes the fresh viewer, anyone
    else the fresh editor (so the editor's allowed call leaves the others' target in place)."""
    return Request({"id": o.album, "userId": o.member2 if c.user_id == o.editor_row else o.user_id})


def bulk_added() -> Expect:
    """Immich's per-id answers, every entry a success (or ``{"success": true}``)."""

    def check(r: httpx.Response, _: Things) -> str | None:
        body = r.json() if r.status_code == 200 else None
        entries = body if isinstance(body, list) else [body]
        if not entries or not all(isinstance(e, dict) and e.get("success") for e in entries):
            return f"got {r.status_code} {r.text[:200]}"
        return None

    return Expect("200, each success=true", check)


def _everyone(build: Build, ok: Expect | None = None) -> Probe:
    """Any signed-in user may (Immich checks no access for it)."""
    return Probe(build, reached(), ok, grants=SIGNED_IN)


def _album(o: Things, c: Things) -> Request:
    return Request({"id": o.album})


ALBUM_RULES: dict[str, list[Probe]] = {
    # --- albums -----------------------------------------------------------------------------
    # a member finds the shared album by its asset too
    "getAllAlbums": [
        Probe(
            lambda o, c: Request(query={"assetId": o.asset}),
            hidden(),
            status(200),
            grants=ALBUM_READERS,
        )
    ],
    "createAlbum": [
        Probe(
            lambda o, c: Request(json={"albumName": "mine", "assetIds": [o.asset]}),
            hidden(201),
            status(201),
            grants=OWN_OR_SHARED,
        ),
        # anyone may share a new album with any user (the creator naming itself is left out)
        _everyone(
            lambda o, c: Request(
                json={"albumName": "s", "albumUsers": [{"userId": o.user_id, "role": "viewer"}]}
            ),
            status(201),
        ),
    ],
    "getAlbumInfo": [
        Probe(
            lambda o, c: Request({"id": o.album}),
            no_access("album.read"),
            status(200),
            grants=ALBUM_READERS,
        )
    ],
    "addAssetsToAlbum": [
        # the owner's album: refused outright, but for its editor (their own asset goes in)
        Probe(
            lambda o, c: Request({"id": o.album}, {"ids": [c.asset]}),
            no_access("albumAsset.create"),
            status(200),
            grants=ALBUM_EDITORS,
            fresh=("shared_album",),
            per_actor={EDITOR: bulk_added()},
        ),
        # the caller's own album, the owner's asset: refused per id (the partner may share it)
        Probe(
            lambda o, c: Request({"id": c.album}, {"ids": [o.asset]}),
            bulk_refused(),
            status(200),
            grants=OWN_OR_SHARED,
        ),
    ],
    "addAssetsToAlbums": [
        Probe(
            lambda o, c: Request(json={"albumIds": [o.album], "assetIds": [c.asset]}),
            bulk_refused(),
            status(200),
            grants=ALBUM_EDITORS,
            fresh=("shared_album",),
            per_actor={EDITOR: bulk_added()},
        ),
        Probe(
            lambda o, c: Request(json={"albumIds": [c.album], "assetIds": [o.asset]}),
            bulk_refused(),
            status(200),
            grants=OWN_OR_SHARED,
        ),
    ],
    "updateAlbumInfo": [
        Probe(
            lambda o, c: Request({"id": o.album}, {"albumName": "renamed"}),
            no_access("album.update"),
            status(200),
            grants=ALBUM_EDITORS,
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
        # the owner removes any asset; the editor may not remove the owner's
        Probe(
            lambda o, c: Request({"id": o.album}, {"ids": [o.asset]}),
            no_access("albumAsset.delete"),
            status(200),
            fresh=("shared_album",),
            per_actor={EDITOR: bulk_refused("no_permission")},
        ),
        # the editor removes their own (first: the owner then finds it gone)
        Probe(
            lambda o, c: Request({"id": o.album}, {"ids": [o.asset]}),
            no_access("albumAsset.delete"),
            bulk_added(),
            grants=frozenset({EDITOR}),
            fresh=("shared_album", "editor_asset"),
            per_actor={OWNER: bulk_refused("not_found")},
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
            grants=ALBUM_EDITORS,
            fresh=("shared_album",),
        )
    ],
    "updateAlbumUser": [
        Probe(
            lambda o, c: Request({"id": o.album, "userId": o.user_id}, {"role": "viewer"}),
            no_access("album.share"),
            grants=ALBUM_EDITORS,
            fresh=("shared_album",),
        )
    ],
    "removeUserFromAlbum": [
        # someone else: the owner and editors
        Probe(
            _someone_else,
            no_access("album.share"),
            grants=ALBUM_EDITORS,
            fresh=("shared_album",),
        ),
        # oneself: a member leaves; a stranger is no member
        Probe(
            lambda o, c: Request({"id": o.album, "userId": "me"}),
            NOT_SHARED,
            _left_or_owner(),
            grants=frozenset({OWNER, MEMBER, EDITOR}),
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
