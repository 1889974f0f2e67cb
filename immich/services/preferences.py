"""User preferences: Immich's defaults, merged with the difference stored per user.

Only the values that differ from the defaults are kept (``user_metadata`` key "preferences"),
so a change of default reaches every user who never touched that setting.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from immich.db.repos import Conn, users

PREFERENCES_KEY = "preferences"
GIB = 1024**3

DEFAULTS: dict[str, dict[str, Any]] = {
    "albums": {"defaultAssetOrder": "desc"},
    "folders": {"enabled": False, "sidebarWeb": False},
    "memories": {"enabled": True, "duration": 5},
    "people": {"enabled": True, "sidebarWeb": False, "minimumFaces": 3},
    "sharedLinks": {"enabled": True, "sidebarWeb": False},
    "ratings": {"enabled": False},
    "tags": {"enabled": False, "sidebarWeb": False},
    "emailNotifications": {"enabled": True, "albumInvite": True, "albumUpdate": True},
    "download": {"archiveSize": 4 * GIB, "includeEmbeddedVideos": False},
    "purchase": {"showSupportBadge": True, "hideBuyButtonUntil": "2022-02-12T00:00:00.000Z"},
    "cast": {"gCastEnabled": False},
    "recentlyAdded": {"sidebarWeb": False},
}


def _leaves(tree: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in tree.items():
        if isinstance(value, Mapping):
            yield from _leaves(value, (*prefix, key))
        else:
            yield (*prefix, key)


def _get(tree: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = tree
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _set(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = tree
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with every leaf of ``changes`` set on it."""
    out = copy.deepcopy(dict(base))
    for path in _leaves(changes):
        _set(out, path, _get(changes, path))
    return out


def difference(preferences: Mapping[str, Any]) -> dict[str, Any]:
    """The leaves of ``preferences`` that differ from the defaults (empty values skipped)."""
    partial: dict[str, Any] = {}
    for path in _leaves(DEFAULTS):
        value = _get(preferences, path)
        if value is None or value == "" or value == _get(DEFAULTS, path):
            continue
        _set(partial, path, value)
    return partial


async def get(db: Conn, user_id: uuid.UUID | str) -> dict[str, Any]:
    """The user's full preferences."""
    stored = (await users.get_metadata(db, user_id)).get(PREFERENCES_KEY)
    return merge(DEFAULTS, stored if isinstance(stored, Mapping) else {})


async def update(db: Conn, user_id: uuid.UUID | str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a ``UserPreferencesUpdateDto`` (as a mapping); store the difference; full answer.

    ``avatar.color`` is not a stored preference: it sets the user's avatar colour.
    """
    changes = dict(changes)
    avatar = changes.pop("avatar", None)
    if isinstance(avatar, Mapping) and avatar.get("color"):
        await users.update(db, user_id, {"avatarColor": avatar["color"]})
    updated = merge(await get(db, user_id), changes)
    await users.set_metadata(db, user_id, PREFERENCES_KEY, difference(updated))
    return updated
