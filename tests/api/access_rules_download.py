"""Access rules for downloads (Immich's DownloadService).

A download is chosen by one of ``assetIds`` (``asset.download`` on every one: the owner, and
album members for an asset in a shared album; never a locked asset without an elevated session,
nor a trashed one for a member; one stranger's id among the caller's own refuses the whole
call), ``albumId`` (``album.download``: the album's owner and members) or ``userId``
(``timeline.download``: the caller's own id only: not a partner's, as in Immich). The allowed
``getDownloadInfo`` answers list the assets; a locked asset is never among them without an
elevated session, not in an album nor in the owner's whole timeline (where Immich lists one:
immich/db/repos/download.py says why we differ).
"""

from __future__ import annotations

from tests.api.access_model import (
    ALBUM_READERS,
    ASSET_READERS,
    OWNER,
    PARTNER,
    Probe,
    Request,
    Things,
    no_access,
    status,
)
from tests.api.access_rules_search import listing


def _assets(o: Things, c: Things) -> Request:
    return Request(json={"assetIds": [o.asset]})


def _mixed(o: Things, c: Things) -> Request:
    """The caller's own asset with the owner's second one (not in the shared album)."""
    return Request(json={"assetIds": [c.asset, o.asset2]})


def _album(o: Things, c: Things) -> Request:
    return Request(json={"albumId": o.album})


def _user(o: Things, c: Things) -> Request:
    return Request(json={"userId": o.user_id})


ASSET = no_access("asset.download")
HAS = listing(201, has=("asset",))
LACKS = listing(201, lacks=("asset",))

DOWNLOAD_RULES: dict[str, list[Probe]] = {
    "getDownloadInfo": [
        Probe(_assets, ASSET, HAS, grants=ASSET_READERS),
        # the partner's own asset with the owner's: both theirs to download
        Probe(_mixed, ASSET, listing(201, has=("asset2",)), grants=frozenset({OWNER, PARTNER})),
        Probe(_assets, ASSET, grants=frozenset(), fresh=("locked_asset",)),
        # trashed in the album: its owner passes access and downloads nothing; members no longer
        Probe(_assets, ASSET, LACKS, fresh=("trashed_in_album",)),
        Probe(_album, no_access("album.download"), HAS, grants=ALBUM_READERS),
        Probe(
            _album,
            no_access("album.download"),
            LACKS,
            grants=ALBUM_READERS,
            fresh=("locked_in_album",),
        ),
        Probe(_user, no_access("timeline.download"), listing(201, has=("asset", "asset2"))),
        Probe(_user, no_access("timeline.download"), LACKS, fresh=("locked_asset",)),
    ],
    "downloadArchive": [
        Probe(_assets, ASSET, status(200), grants=ASSET_READERS),
        Probe(_mixed, ASSET, status(200), grants=frozenset({OWNER, PARTNER})),
        Probe(_assets, ASSET, grants=frozenset(), fresh=("locked_asset",)),
    ],
}
