"""Access rules for searches (Immich's SearchService), and the list answers' checks they share
with downloads.

A search sees the caller's own assets; no filter id widens that but one: the metadata search's
``albumIds``, which answers the albums' assets to whoever may read every album
(``album.read``: owner and members; others 400). The statistics, random and large-asset searches
check no album: their ``albumIds`` narrow the caller's own assets, so another user's album finds
nothing (not even a member of it gets the owner's assets). ``id``, ``tagIds``, ``libraryId`` and
``personIds`` are filters, never checked: another user's finds nothing. Locked assets stay out
of every answer without an elevated session, the album's owner's included.

Each list answer is checked for the owner's ids: absent for the others (``hidden``), present for
the owner where the probe's filter should find the thing (``listing``), so a filter that finds
nothing for anyone cannot pass for a safe one. There are no people yet: ``personIds`` finds
nothing for anyone (the person row joins the fixture with faces).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from immich.db.repos import assets as assets_repo
from tests.api.access_model import (
    ALBUM_READERS,
    SIGNED_IN,
    Expect,
    Probe,
    Request,
    Things,
    hidden,
    no_access,
    status,
)
from tests.api.asset_factory import make_asset

# The library of the owner's library assets (asset.libraryId has no library table to join yet).
LIBRARY_ID = "5e1f0000-0000-4000-8000-00000000a11b"
NO_PERSON = "5e1f0000-0000-4000-8000-0000000000fe"
SIZE = 5_000_000  # the file size of the fresh assets' EXIF rows (large assets need one)


def listing(code: int, has: tuple[str, ...] = (), lacks: tuple[str, ...] = ()) -> Expect:
    """``code``, the owner's things of the kinds ``has`` named in the answer, ``lacks`` not."""

    def check(r: httpx.Response, owner: Things) -> str | None:
        if r.status_code != code:
            return f"got {r.status_code} {r.text[:200]}"
        missing = [k for k in has if getattr(owner, k) not in r.text]
        present = [k for k in lacks if getattr(owner, k) in r.text]
        if missing or present:
            return f"missing {missing}, present {present}: {r.text[:200]}"
        return None

    return Expect(f"{code} with the owner's {list(has)}, without {list(lacks)}", check)


def total(at_least: int, at_most: int | None = None) -> Expect:
    """The statistics' ``{"total": n}``, n in range."""

    def check(r: httpx.Response, _: Things) -> str | None:
        n = r.json().get("total", -1) if r.status_code == 200 else -1
        if n < at_least or (at_most is not None and n > at_most):
            return f"got {r.status_code} {r.text[:200]}"
        return None

    return Expect(f"200 total in [{at_least}, {at_most}]", check)


# --- the owner's things the probes make anew (World.fresh runs these by kind name) -----------


async def _exif(world: Any, owner: Things) -> None:
    """A sized EXIF row for the copy's asset (made by an earlier kind of the same probe)."""
    await assets_repo.upsert_exif(
        world.pool, {"assetId": uuid.UUID(owner.asset), "fileSizeInByte": SIZE}
    )


async def _library_asset(world: Any, owner: Things) -> None:
    row = await make_asset(world.pool, owner.user_id, libraryId=uuid.UUID(LIBRARY_ID))
    owner.asset = str(row["id"])


async def _locked_in_album(world: Any, owner: Things) -> None:
    """A locked asset in the owner's (shared) album: Immich would not let it in; if one is
    there, no answer names it without an elevated session."""
    row = await make_asset(world.pool, owner.user_id, visibility="locked")
    await world.pool.execute(
        'INSERT INTO "album_asset" ("albumId", "assetId") VALUES ($1, $2)',
        uuid.UUID(owner.album),
        row["id"],
    )
    owner.asset = str(row["id"])
    await _exif(world, owner)


SEARCH_FRESH = {
    "exif": _exif,
    "library_asset": _library_asset,
    "locked_in_album": _locked_in_album,
}

# --- probes ------------------------------------------------------------------------------------

HAS = listing(200, has=("asset",))
LACKS = listing(200, lacks=("asset",))


def _filters(body: bool, at: Expect, hide: Expect) -> list[Probe]:
    """The filters that only narrow the caller's own assets; ``at``: the owner's answer when the
    filter finds the owner's fresh asset, ``hide``: everyone else's."""

    def req(values: dict[str, Any]) -> Request:
        if body:
            return Request(json=values)
        return Request(query={k: v[0] if isinstance(v, list) else v for k, v in values.items()})

    return [
        Probe(lambda o, c: req({"tagIds": [o.tag]}), hide, at, fresh=("tagged_asset", "exif")),
        Probe(
            lambda o, c: req({"libraryId": LIBRARY_ID}), hide, at, fresh=("library_asset", "exif")
        ),
        # no people yet: nobody's personIds find anything
        Probe(lambda o, c: req({"personIds": [NO_PERSON]}), hide, hide, grants=SIGNED_IN),
    ]


def _narrowed(body: bool, at: Expect, hide: Expect) -> list[Probe]:
    """``albumIds`` that narrow the caller's own assets (statistics, random, large assets):
    the owner finds the album's asset, a member of the album and the others nothing."""

    def req(o: Things) -> Request:
        return (
            Request(json={"albumIds": [o.album]}) if body else Request(query={"albumIds": o.album})
        )

    return [
        Probe(lambda o, c: req(o), hide, at, fresh=("album_asset", "exif")),
        *_filters(body, at, hide),
    ]


SEARCH_RULES: dict[str, list[Probe]] = {
    "searchAssets": [
        # the owner's album: its readers get its assets, the others Immich's 400
        Probe(
            lambda o, c: Request(json={"albumIds": [o.album]}),
            no_access("album.read"),
            HAS,
            grants=ALBUM_READERS,
        ),
        # the caller's own album with the owner's: every album must be readable
        Probe(
            lambda o, c: Request(json={"albumIds": [c.album, o.album]}),
            no_access("album.read"),
            status(200),
            grants=ALBUM_READERS,
        ),
        # a locked asset in the album: in no reader's answer (the owner is not elevated)
        Probe(
            lambda o, c: Request(json={"albumIds": [o.album]}),
            no_access("album.read"),
            LACKS,
            grants=ALBUM_READERS,
            fresh=("locked_in_album",),
        ),
        Probe(lambda o, c: Request(json={"id": o.asset}), hidden(), HAS),
        *_filters(True, HAS, hidden()),
    ],
    "searchAssetStatistics": _narrowed(True, total(1), total(0, 0)),
    "searchRandom": _narrowed(True, HAS, hidden()),
    "searchLargeAssets": _narrowed(False, HAS, hidden()),
}
