"""The vocabulary of the access matrix (tests/api/test_access_matrix.py): actors, the things a
probe names, what a cell expects, and how an operation's id-bearing inputs are found.

A *probe* is one way an operation names someone else's thing (a path id, a body ``ids`` list, a
query ``albumId``...). Every probe is called by every actor; an actor in the probe's ``grants``
must get the allowed answer, every other signed-in actor the probe's ``denied`` answer (Immich
3.1's), the anonymous client 401. Admin-only operations answer 403 to everyone but the admin.

The album-member rows are members of the owner's album: the viewer (``member``) reads that
album and its assets and nothing else; the editor (``editor``) reads them too and, as Immich's
``album.update`` / ``album.share`` / ``albumAsset.*`` grant editors, renames the album, shares
it (members, links), adds their own assets and removes those (``ALBUM_EDITORS``), never the
owner's assets nor the album itself. A probe whose answer differs for one actor says so in
``per_actor``. The API-key row is the owner through a key holding one unrelated permission: every
operation answers it 403 ``Missing required permission: <the operation's, or all>`` except those
that take any key (Immich's ``permission: false``). The partner row (the owner shares their
library with them) reads the owner's timeline assets (``ASSET_READERS``), shares them
(``asset.share``) and reads the owner's timeline by ``userId``. Extension point: the shared-link
visitor rows join by adding their actor name to ``ACTORS`` (with its ``Things`` in the fixture)
and to the ``grants`` of the probes where Immich lets them in (the link's assets and album).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

from immich.api.routing import Operation

OWNER, SECOND, ADMIN, ANONYMOUS = "owner", "second", "admin", "anonymous"
MEMBER = "member"  # a viewer of the owner's album (which holds the owner's asset)
EDITOR = "editor"  # an editor of that album
KEY = "key"  # the owner through an API key holding only KEY_PERMISSIONS
PARTNER = "partner"  # the owner shares their library with them (inTimeline off)
KEY_PERMISSIONS = ("activity.read",)
# Shared-link visitors of the owner's album (tests/api/access_rules_shared_links.py): an open
# link, one with a password the visitor has not given, an expired one.
LINK, LINK_LOCKED, LINK_EXPIRED = "link", "link_password", "link_expired"
LINK_ACTORS = (LINK, LINK_LOCKED, LINK_EXPIRED)
# Rows of the matrix, in call order: the owner last, so a leak is seen before a permitted call
# changes the target (a deleted asset, a removed stack).
ACTORS: tuple[str, ...] = (
    SECOND,
    MEMBER,
    EDITOR,
    PARTNER,
    ADMIN,
    KEY,
    ANONYMOUS,
    *LINK_ACTORS,
    OWNER,
)
SIGNED_IN = frozenset({OWNER, SECOND, MEMBER, EDITOR, PARTNER, ADMIN})
# Who reads the owner's album and the assets in it (Immich's album access: any member).
ALBUM_READERS = frozenset({OWNER, MEMBER, EDITOR})
# Who changes the album's contents and sharing (``album.update``, ``album.share``,
# ``albumAsset.create`` / ``albumAsset.delete``: the owner and editors).
ALBUM_EDITORS = frozenset({OWNER, EDITOR})
# Who reads the owner's asset in that album (``asset.read``/``view``/``download``): its readers
# and the owner's partner (Immich's checkPartnerAccess: timeline and hidden assets, not trashed).
ASSET_READERS = ALBUM_READERS | {PARTNER}
# Who may share the owner's asset (``asset.share``: into an album, a memory, a shared link, a
# tag): the owner and their partner (Immich's checkPartnerAccess grants AssetShare).
ASSET_SHARERS = frozenset({OWNER, PARTNER})


@attrs.define
class Things:
    """One user's things in the fixture (the owner has all kinds; the others a few)."""

    user_id: str
    headers: dict[str, str]
    asset: str = ""
    asset2: str = ""  # a second asset (a stack member, a copy target)
    album: str = ""
    stack: str = ""
    api_key: str = ""
    session: str = ""
    notification: str = ""
    tag: str = ""
    memory: str = ""
    activity: str = ""  # a comment of the owner under their album (access_rules_albums)
    shared_link: str = ""
    # In a fresh shared album (access_rules_albums): another member, and the editor row's id.
    member2: str = ""
    editor_row: str = ""


@attrs.frozen
class Request:
    path: dict[str, str] = attrs.field(factory=dict)
    json: Any = None
    query: dict[str, str] = attrs.field(factory=dict)
    # A multipart body instead of JSON: form fields and files (name -> (filename, bytes)).
    form: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes]] | None = None


# What a probe asks, given (the owner's things, the caller's things).
Build = Callable[[Things, Things], Request]


@attrs.frozen
class Expect:
    """What a cell should answer; ``check`` returns why it does not, or None."""

    text: str
    check: Callable[[httpx.Response, Things], str | None]


def _message(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def status(code: int, message: str | None = None) -> Expect:
    def check(r: httpx.Response, _: Things) -> str | None:
        if r.status_code != code or (message is not None and _message(r) != message):
            return f"got {r.status_code} {r.text[:200]}"
        return None

    return Expect(f"{code} {message or ''}".strip(), check)


def no_access(permission: str) -> Expect:
    """Immich's ``requireAccess`` refusal."""
    return status(400, f"Not found or no {permission} access")


UNAUTHORIZED = status(401, "Authentication required")
FORBIDDEN = status(403, "Forbidden")


def reached(*allowed: int) -> Expect:
    """Past authentication and access (the operation ran, or refused the input for another
    reason): neither 401, nor the auth layer's 403, nor a ``Not found or no ... access``."""

    def check(r: httpx.Response, _: Things) -> str | None:
        msg = _message(r)
        denied = (
            r.status_code == 401
            or (r.status_code == 403 and (msg == "Forbidden" or msg.startswith("Missing")))
            or (r.status_code == 400 and msg.startswith("Not found or no "))
            or r.status_code >= 500
        )
        if denied or (allowed and r.status_code not in allowed):
            return f"got {r.status_code} {r.text[:200]}"
        return None

    return Expect(f"reached {list(allowed) or ''}".strip(), check)


def _leaks(r: httpx.Response, owner: Things) -> str | None:
    ids = [
        owner.asset,
        owner.asset2,
        owner.album,
        owner.stack,
        owner.api_key,
        owner.session,
        owner.notification,
        owner.tag,
        owner.memory,
        owner.shared_link,
    ]
    leaked = [i for i in ids if i and i in r.text]
    return f"leaks {leaked}: {r.text[:200]}" if leaked else None


def hidden(code: int = 200) -> Expect:
    """A filter or a silent drop: ``code``, and not one of the owner's ids in the answer."""

    def check(r: httpx.Response, owner: Things) -> str | None:
        if r.status_code != code:
            return f"got {r.status_code} {r.text[:200]}"
        return _leaks(r, owner)

    return Expect(f"{code} without the owner's ids", check)


def private() -> Expect:
    """The caller's own data: reached, and not one of the owner's ids in the answer."""
    base = reached()

    def check(r: httpx.Response, owner: Things) -> str | None:
        return base.check(r, owner) or _leaks(r, owner)

    return Expect("reached, without the owner's ids", check)


def bulk_refused(error: str = "no_permission") -> Expect:
    """Immich's per-id answers: 200, every entry ``success: false`` with ``error``."""

    def check(r: httpx.Response, _: Things) -> str | None:
        if r.status_code != 200:
            return f"got {r.status_code} {r.text[:200]}"
        body = r.json()
        entries = body if isinstance(body, list) else [body]
        if not entries or any(e.get("success") or e.get("error") != error for e in entries):
            return f"not refused: {r.text[:200]}"
        return None

    return Expect(f"200, each success=false {error}", check)


@attrs.frozen
class Probe:
    build: Build
    denied: Expect  # for signed-in actors outside ``grants``
    ok: Expect | None = None  # for actors in ``grants``; None: the operation's success status
    grants: frozenset[str] = frozenset({OWNER})
    # Kinds of the owner's things made anew for this probe (the call changes or deletes them).
    fresh: tuple[str, ...] = ()
    # Only the anonymous cell runs (the call would end the fixture's sessions); say why.
    anonymous_only: str = ""
    # Actors whose answer is neither ``ok`` nor ``denied`` (an editor refused per id).
    per_actor: Mapping[str, Expect] = attrs.field(factory=dict)


def success(op: Operation) -> Expect:
    code = 204 if op.response is None and op.status == 200 else op.status
    return status(code)


# --- finding the inputs that name a thing -------------------------------------------------------

_ID_NAME = re.compile(r"(^id$|^ids$|Ids?$)")
_NOT_IDS = {"variantIndex"}


def _field_names(cls: Any, seen: set[Any]) -> list[str]:
    origin = typing.get_origin(cls)
    if origin in (list, tuple, set, frozenset, typing.Union, types.UnionType):
        return [n for arg in typing.get_args(cls) for n in _field_names(arg, seen)]
    if not attrs.has(cls) or cls in seen:
        return []
    seen.add(cls)
    names = []
    for f in attrs.fields(attrs.resolve_types(cls)):
        names.append(f.name)
        names += _field_names(f.type, seen)
    return names


def id_inputs(op: Operation) -> list[str]:
    """The path parameters and body/query fields of ``op`` that name a thing by id."""
    params = re.findall(r"{(\w+)}", op.path)
    fields = _field_names(op.body, set()) + _field_names(op.query, set())
    return [n for n in params + fields if _ID_NAME.search(n) and n not in _NOT_IDS]
