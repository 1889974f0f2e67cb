"""Who may call what, per operation: the rules the access matrix is generated from.

Operations that name nothing by id are classified from their route alone (public, admin-only,
or the caller's own data); every operation with an id input (a path id, ``ids``, ``assetIds``,
``albumId``, ``userId``...) needs its probes here, as Immich 3.1 answers them
(``server/src/utils/access.ts`` and the services). A new route with an id and no entry fails
``test_every_operation_is_classified``. Larger resources keep their rules in a module of their
own (``access_rules_<resource>.py``), combined here.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from tests.api.access_model import (
    ADMIN,
    ALBUM_READERS,
    ASSET_READERS,
    OWNER,
    PARTNER,
    SIGNED_IN,
    Build,
    Expect,
    Probe,
    Request,
    Things,
    no_access,
    reached,
    status,
)
from tests.api.access_rules_albums import ALBUM_FRESH, ALBUM_RULES
from tests.api.access_rules_asset_metadata import ASSET_METADATA_RULES
from tests.api.access_rules_download import DOWNLOAD_RULES
from tests.api.access_rules_memories import MEMORY_FRESH, MEMORY_RULES
from tests.api.access_rules_notifications import NOTIFICATION_RULES
from tests.api.access_rules_partners import PARTNER_FRESH, PARTNER_RULES
from tests.api.access_rules_search import SEARCH_FRESH, SEARCH_RULES
from tests.api.access_rules_shared_links import LINK_FRESH, SHARED_LINK_RULES
from tests.api.access_rules_tags import TAG_RULES

NOT_YOURS = "Live photo video does not belong to the user"
JPEG = b"\xff\xd8\xff\xe0" + bytes(64) + b"\xff\xd9"
UPLOAD_FORM = {
    "fileCreatedAt": "2024-05-01T10:20:30.000Z",
    "fileModifiedAt": "2024-05-01T10:20:30.000Z",
    "deviceAssetId": "live",
    "deviceId": "matrix",
}
DAY = "2024-05-01T00:00:00.000Z"  # the month of the fixture's assets


# The owner, and their partner where Immich opens the owner's things to partners (asset.share,
# timeline.read).
OWN_OR_SHARED = frozenset({OWNER, PARTNER})


def _asset(o: Things, c: Things) -> Request:
    return Request(path={"id": o.asset})


def _asset_read(permission: str, ok: Expect | None = None) -> Probe:
    """A read of the owner's asset, which sits in the owner's album: members read it too, and
    the owner's partner."""
    return Probe(_asset, no_access(permission), ok, grants=ASSET_READERS)


def _everyone(build: Build, ok: Expect | None = None) -> Probe:
    """Any signed-in user may (Immich checks no access for it)."""
    return Probe(build, reached(), ok, grants=SIGNED_IN)


def _admin(build: Build, ok: Expect | None = None, fresh: tuple[str, ...] = ()) -> Probe:
    return Probe(build, reached(), ok, grants=frozenset({ADMIN}), fresh=fresh)


def _user(o: Things, c: Things) -> Request:
    return Request(path={"id": o.user_id})


def _video(extra: dict[str, str]) -> Probe:
    # The fixture's asset is a photo: the owner gets past access to "not a video" answers.
    return Probe(
        lambda o, c: Request(path={"id": o.asset, **extra}),
        no_access("asset.view"),
        reached(),
        grants=ASSET_READERS,
    )


# Path parameters that name no thing, for the operations classified from their route.
PATH_DEFAULTS = {"name": "thumbnailGeneration"}
SESSION_ID = "0f0e0d0c-0b0a-4908-8706-050403020100"

RULES: dict[str, list[Probe]] = {
    # --- users ------------------------------------------------------------------------------
    "getUser": [_everyone(_user, status(200))],
    # nobody has a profile image in the fixture: everyone gets past access to a 404
    "getProfileImage": [_everyone(_user, status(404))],
    "searchUsersAdmin": [_admin(lambda o, c: Request(query={"id": o.user_id}), status(200))],
    "getUserAdmin": [_admin(_user, status(200))],
    "updateUserAdmin": [_admin(lambda o, c: Request({"id": o.user_id}, {}), status(200))],
    "deleteUserAdmin": [
        _admin(lambda o, c: Request({"id": o.user_id}, {}), status(200), fresh=("user",))
    ],
    "restoreUserAdmin": [_admin(_user, status(200), fresh=("deleted_user",))],
    "getUserPreferencesAdmin": [_admin(_user, status(200))],
    "updateUserPreferencesAdmin": [_admin(lambda o, c: Request({"id": o.user_id}, {}))],
    "getUserSessionsAdmin": [_admin(_user, status(200))],
    "getUserStatisticsAdmin": [_admin(_user, status(200))],
    "getUserCalendarHeatmapAdmin": [
        _admin(_user, status(200)),
        _admin(_user, status(400, "User not found"), fresh=("deleted_user",)),
    ],
    # --- API keys and sessions ------------------------------------------------------------------
    "getApiKey": [Probe(lambda o, c: Request({"id": o.api_key}), status(400, "API Key not found"))],
    "updateApiKey": [
        Probe(
            lambda o, c: Request({"id": o.api_key}, {"name": "renamed"}),
            status(400, "API Key not found"),
        )
    ],
    "deleteApiKey": [
        Probe(
            lambda o, c: Request({"id": o.api_key}),
            status(400, "API Key not found"),
            fresh=("api_key",),
        )
    ],
    "updateSession": [
        Probe(
            lambda o, c: Request({"id": o.session}, {"isPendingSyncReset": True}),
            no_access("session.update"),
            status(200),
        )
    ],
    "deleteSession": [
        Probe(
            lambda o, c: Request({"id": o.session}),
            no_access("authDevice.delete"),
            fresh=("session",),
        )
    ],
    "lockSession": [Probe(lambda o, c: Request({"id": o.session}), no_access("session.lock"))],
    # --- assets -----------------------------------------------------------------------------
    # the client-side ids of a bulk upload check name nothing on the server
    "checkBulkUpload": [
        _everyone(
            lambda o, c: Request(json={"assets": [{"id": o.asset, "checksum": "0" * 40}]}),
            status(200),
        )
    ],
    # clientId is the OAuth client's, not a thing of ours
    "updateConfig": [_admin(lambda o, c: Request(json={}), reached())],
    "getAssetInfo": [
        _asset_read("asset.read", ok=status(200)),
        # a locked asset: not even its owner without an unlocked PIN (elevated session)
        Probe(_asset, no_access("asset.read"), grants=frozenset(), fresh=("locked_asset",)),
        # trashed in the owner's album: the owner still reads it, members no longer
        Probe(_asset, no_access("asset.read"), status(200), fresh=("trashed_in_album",)),
        # the video of a live photo in the owner's album: members read it with the photo, the
        # partner as a hidden asset of the owner's
        Probe(
            _asset,
            no_access("asset.read"),
            status(200),
            grants=ASSET_READERS,
            fresh=("live_video_in_album",),
        ),
    ],
    "updateAsset": [
        Probe(
            lambda o, c: Request({"id": o.asset}, {"isFavorite": False}),
            no_access("asset.update"),
            status(200),
        ),
        Probe(
            lambda o, c: Request({"id": o.asset}, {"isFavorite": True}),
            no_access("asset.update"),
            grants=frozenset(),
            fresh=("locked_asset",),
        ),
        # the caller's own photo, linked to the owner's video
        Probe(
            lambda o, c: Request({"id": c.asset}, {"livePhotoVideoId": o.asset2}),
            status(400, NOT_YOURS),
            status(200),
            fresh=("asset", "video"),
        ),
    ],
    "uploadAsset": [
        Probe(
            lambda o, c: Request(
                form={**UPLOAD_FORM, "livePhotoVideoId": o.asset2},
                files={"assetData": ("live.jpg", JPEG + uuid.uuid4().bytes)},
            ),
            status(400, NOT_YOURS),
            status(201),
            fresh=("video",),
        )
    ],
    "updateAssets": [
        Probe(
            lambda o, c: Request(json={"ids": [o.asset], "isFavorite": False}),
            no_access("asset.update"),
        ),
        # one of the caller's own among them: every id must pass
        Probe(
            lambda o, c: Request(json={"ids": [c.asset, o.asset], "isFavorite": False}),
            no_access("asset.update"),
        ),
    ],
    "deleteAssets": [
        Probe(
            lambda o, c: Request(json={"ids": [o.asset]}),
            no_access("asset.delete"),
            fresh=("asset",),
        ),
        Probe(
            lambda o, c: Request(json={"ids": [c.asset, o.asset2]}),
            no_access("asset.delete"),
            fresh=("asset", "asset2"),
        ),
    ],
    "downloadAsset": [
        _asset_read("asset.download", ok=status(200)),
        Probe(_asset, no_access("asset.download"), grants=frozenset(), fresh=("locked_asset",)),
    ],
    "viewAsset": [_asset_read("asset.view", ok=status(200))],
    "runAssetJobs": [
        Probe(
            lambda o, c: Request(json={"assetIds": [o.asset], "name": "refresh-faces"}),
            no_access("asset.update"),
        ),
        Probe(
            lambda o, c: Request(json={"assetIds": [c.asset, o.asset], "name": "refresh-faces"}),
            no_access("asset.update"),
        ),
    ],
    "copyAsset": [
        Probe(
            lambda o, c: Request(json={"sourceId": o.asset, "targetId": o.asset2}),
            no_access("asset.copy"),
            fresh=("asset", "asset2"),
        ),
        # from the caller's own asset onto the owner's
        Probe(
            lambda o, c: Request(json={"sourceId": c.asset, "targetId": o.asset2}),
            no_access("asset.copy"),
            fresh=("asset", "asset2"),
        ),
    ],
    "restoreAssets": [
        Probe(
            lambda o, c: Request(json={"ids": [o.asset]}),
            no_access("asset.delete"),
            status(200),
            fresh=("trashed_asset",),
        )
    ],
    # --- asset metadata and stacks (their own module) ---------------------------------------
    **ASSET_METADATA_RULES,
    # --- timeline ---------------------------------------------------------------------------
    "getTimeBuckets": [
        Probe(
            lambda o, c: Request(query={"albumId": o.album}),
            no_access("album.read"),
            grants=ALBUM_READERS,
        ),
        Probe(
            lambda o, c: Request(query={"userId": o.user_id}),
            no_access("timeline.read"),
            grants=OWN_OR_SHARED,
        ),
        Probe(lambda o, c: Request(query={"tagId": o.tag}), no_access("tag.read")),
    ],
    "getTimeBucket": [
        Probe(
            lambda o, c: Request(query={"albumId": o.album, "timeBucket": DAY}),
            no_access("album.read"),
            grants=ALBUM_READERS,
        ),
        Probe(
            lambda o, c: Request(query={"userId": o.user_id, "timeBucket": DAY}),
            no_access("timeline.read"),
            grants=OWN_OR_SHARED,
        ),
        Probe(
            lambda o, c: Request(query={"tagId": o.tag, "timeBucket": DAY}),
            no_access("tag.read"),
        ),
    ],
    # --- video (plugins/video) ----------------------------------------------------------------
    "playAssetVideo": [_video({})],
    "getMainPlaylist": [_video({})],
    "endSession": [_video({"sessionId": SESSION_ID})],
    "getMediaPlaylist": [_video({"sessionId": SESSION_ID, "variantIndex": "0"})],
    "getSegment": [_video({"sessionId": SESSION_ID, "variantIndex": "0", "filename": "seg_0.m4s"})],
    # --- notifications and tags (their own modules) -----------------------------------------
    **NOTIFICATION_RULES,
    **TAG_RULES,
    # --- downloads and searches (their own modules) -----------------------------------------
    **DOWNLOAD_RULES,
    **SEARCH_RULES,
    **MEMORY_RULES,
    # --- album management and activity (their own module) ---------------------------------
    **ALBUM_RULES,
    **SHARED_LINK_RULES,
    **PARTNER_RULES,
}

# Fresh kinds the rules modules make themselves (World.fresh runs them by name, in the probe's
# order, on the owner's copy; a kind may build on the asset an earlier one made).
FRESH_MAKERS: dict[str, Callable[[Any, Things], Awaitable[None]]] = {
    **SEARCH_FRESH,
    **MEMORY_FRESH,
    **ALBUM_FRESH,
    **LINK_FRESH,
    **PARTNER_FRESH,
}

# Operations without ids whose allowed call would end the fixture's own sessions: only the
# anonymous cell runs (their behaviour has its own tests in test_auth.py / test_sessions.py).
ANONYMOUS_ONLY = {
    "logout": "ends the caller's session",
    "deleteAllSessions": "ends the caller's other sessions (the fixture's)",
}
