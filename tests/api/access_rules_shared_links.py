"""Access rules for shared links (Immich's SharedLinkService and its ``sharedLink: true``
routes), and the matrix's shared-link visitor rows.

The owner's side: a link is its owner's alone; another user naming it gets ``Shared link not
found`` (Immich's ``findOrFail``), and lists never show it. Creating one needs ``album.share``
on the album (owner or editor: an album viewer may not) or ``asset.share`` on every asset.

The visitors hold a key to an album link on the owner's album (downloads allowed, uploads not):
``link`` (no password), ``link_password`` (a password they have not given: 401 on every link
route) and ``link_expired`` (401 ``Invalid share key`` everywhere). Outside Immich's
shared-link routes every visitor gets 403 ``Forbidden``. On those routes an open link reaches
what the album's viewer reaches (the album and its assets; on these routes Immich grants links
read, view and download of them) and is refused everything else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from immich.api._auth import OWN_PASSWORD_OPERATIONS
from immich.api.routing import Operation
from tests.api.access_model import (
    ALBUM_EDITORS,
    ASSET_SHARERS,
    FORBIDDEN,
    LINK,
    LINK_EXPIRED,
    LINK_LOCKED,
    MEMBER,
    SECOND,
    Expect,
    Probe,
    Request,
    Things,
    hidden,
    no_access,
    status,
)

NOT_FOUND = status(400, "Shared link not found")


def link_refused() -> Expect:
    """A visitor refused: 400 (Immich's access or filter errors), 401 or 403; never data."""

    def check(r: httpx.Response, _: Things) -> str | None:
        if r.status_code not in (400, 401, 403):
            return f"got {r.status_code} {r.text[:200]}"
        return None

    return Expect("refused (400/401/403)", check)


def link_expected(op: Operation, probe: Probe, actor: str) -> Expect | None:
    """What a visitor row gets (None: not a visitor)."""
    if actor == LINK_EXPIRED:
        return status(401, "Invalid share key")
    if actor not in (LINK, LINK_LOCKED):
        return None
    if not op.shared_link:
        return FORBIDDEN
    if actor == LINK_LOCKED:
        # no password given: every route refuses; the login route refuses the wrong one
        if op.operation_id in OWN_PASSWORD_OPERATIONS:
            return status(401)
        return status(401, "Password required")
    # the album's viewer, not everyone: an album grant
    if LINK in probe.grants or (MEMBER in probe.grants and SECOND not in probe.grants):
        return probe.ok or status(204 if op.response is None and op.status == 200 else op.status)
    return link_refused()


async def _link(client: httpx.AsyncClient, owner: Things, **body: Any) -> Any:
    r = await client.post(
        "/api/shared-links",
        headers=owner.headers,
        json={"type": "ALBUM", "albumId": owner.album, "allowUpload": False, **body},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def link_actors(client: httpx.AsyncClient, owner: Things) -> dict[str, Things]:
    """The visitor rows: keys to links on the owner's album (``Things`` naming the owner)."""
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    found = {}
    for actor, extra in (
        (LINK, {}),
        (LINK_LOCKED, {"password": "matrix"}),
        (LINK_EXPIRED, {"expiresAt": past}),
    ):
        link = await _link(client, owner, **extra)
        found[actor] = Things(user_id=owner.user_id, headers={"x-immich-share-key": link["key"]})
    return found


async def _fresh_link(world: Any, owner: Things) -> None:
    """A new individual link of the owner's, on their asset."""
    r = await world.client.post(
        "/api/shared-links",
        headers=owner.headers,
        json={"type": "INDIVIDUAL", "assetIds": [owner.asset]},
    )
    assert r.status_code == 201, r.text
    owner.shared_link = r.json()["id"]


LINK_FRESH = {"shared_link": _fresh_link}


def _link_id(o: Things, c: Things) -> Request:
    return Request(path={"id": o.shared_link})


SHARED_LINK_RULES: dict[str, list[Probe]] = {
    "getAllSharedLinks": [
        Probe(
            lambda o, c: Request(query={"id": o.shared_link}),
            hidden(),
            status(200),
            fresh=("shared_link",),
        ),
        Probe(lambda o, c: Request(query={"albumId": o.album}), hidden(), status(200)),
    ],
    "getSharedLinkById": [Probe(_link_id, NOT_FOUND, status(200), fresh=("shared_link",))],
    "updateSharedLink": [
        Probe(
            lambda o, c: Request({"id": o.shared_link}, {"description": "changed"}),
            NOT_FOUND,
            status(200),
            fresh=("shared_link",),
        )
    ],
    "removeSharedLink": [Probe(_link_id, NOT_FOUND, fresh=("shared_link",))],
    "addSharedLinkAssets": [
        Probe(
            lambda o, c: Request({"id": o.shared_link}, {"assetIds": [o.asset]}),
            NOT_FOUND,
            status(200),
            fresh=("shared_link",),
        )
    ],
    "removeSharedLinkAssets": [
        Probe(
            lambda o, c: Request({"id": o.shared_link}, {"assetIds": [o.asset]}),
            NOT_FOUND,
            status(200),
            fresh=("shared_link",),
        )
    ],
    "createSharedLink": [
        # an album viewer may not share the album, its editor may (on a fresh album, so no
        # list of the editor's links names the fixture's)
        Probe(
            lambda o, c: Request(json={"type": "ALBUM", "albumId": o.album}),
            no_access("album.share"),
            status(201),
            grants=ALBUM_EDITORS,
            fresh=("shared_album",),
        ),
        # nor its assets
        Probe(
            lambda o, c: Request(json={"type": "INDIVIDUAL", "assetIds": [o.asset]}),
            no_access("asset.share"),
            status(201),
            grants=ASSET_SHARERS,
        ),
    ],
    # the visitor's own link: nobody else has one
    "getMySharedLink": [
        Probe(lambda o, c: Request(), FORBIDDEN, status(200), grants=frozenset({LINK}))
    ],
    "sharedLinkLogin": [
        Probe(
            lambda o, c: Request(json={"password": "wrong"}),
            FORBIDDEN,
            status(400, "Shared link is not password protected"),
            grants=frozenset({LINK}),
        )
    ],
}
