"""Access rules for partners (Immich's PartnerService).

Anyone may share their own library with any user (``createPartner`` and its deprecated path
form name the receiver: nothing of theirs is opened). Only the receiver changes ``inTimeline``
(``partner.update``: the path's user must share with the caller; others 400). A partnership is
removed by its sharer naming the receiver; anyone else naming that receiver (the receiver
naming the sharer too) finds no partnership of theirs: 400 "Partner not found".

The partner row of the matrix (the owner shares with them, ``inTimeline`` off) reads the
owner's timeline and hidden assets (``asset.read``/``view``/``download``, and ``asset.share``:
into their own albums and tags) and the owner's timeline by ``userId``; never a locked, archived
or trashed asset, and with ``inTimeline`` off no search of theirs finds the owner's assets.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.api.access_model import (
    PARTNER,
    SIGNED_IN,
    Probe,
    Request,
    Things,
    no_access,
    status,
)
from tests.api.user_helpers import create_user

NOT_FOUND = status(400, "Partner not found")


async def _shared_with_user(world: Any, owner: Things) -> None:
    """A new user the owner shares with (``owner.user_id`` becomes theirs)."""
    user = await create_user(world.client, world.admin_headers, _email(), "pw-12345678")
    r = await world.client.post(
        "/api/partners", headers=owner.headers, json={"sharedWithId": user["id"]}
    )
    assert r.status_code == 201, r.text
    owner.user_id = user["id"]


def _email() -> str:
    return f"partner-{uuid.uuid4().hex[:8]}@example.com"


PARTNER_FRESH = {"shared_with_user": _shared_with_user}

PARTNER_RULES: dict[str, list[Probe]] = {
    # sharing with a new user: anyone may (the probe's user is fresh, so nobody shares twice)
    "createPartner": [
        Probe(
            lambda o, c: Request(json={"sharedWithId": o.user_id}),
            status(201),
            grants=SIGNED_IN,
            fresh=("user",),
        )
    ],
    "createPartnerDeprecated": [
        Probe(
            lambda o, c: Request(path={"id": o.user_id}),
            status(201),
            grants=SIGNED_IN,
            fresh=("user",),
        )
    ],
    # inTimeline of the owner's partnership: the receiver only (set off: the matrix's searches
    # rely on it)
    "updatePartner": [
        Probe(
            lambda o, c: Request({"id": o.user_id}, {"inTimeline": False}),
            no_access("partner.update"),
            status(200),
            grants=frozenset({PARTNER}),
        )
    ],
    "removePartner": [
        # naming the owner: nobody has a partnership sharing with them (the partner neither)
        Probe(lambda o, c: Request({"id": o.user_id}), NOT_FOUND, grants=frozenset()),
        # the owner ends a share of theirs; any other caller naming that user finds none
        Probe(lambda o, c: Request({"id": o.user_id}), NOT_FOUND, fresh=("shared_with_user",)),
    ],
}
