"""Pure functions on config dicts: merge a partial onto a base, diff from defaults, normalise.

The rules are Immich's (``server/src/utils/config.ts``): arrays are leaves; the stored diff keeps
every leaf of the defaults whose value is set, not empty (``None`` or ``""``) and not equal to
its default; keys the defaults do not know are not part of the diff.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

Path = tuple[str, ...]
_MISSING = object()


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with ``override``'s leaves set onto it."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def leaves(tree: Mapping[str, Any], prefix: Path = ()) -> Iterator[Path]:
    """Paths of every leaf (non-mapping value, arrays included) of ``tree``."""
    for key, value in tree.items():
        if isinstance(value, Mapping):
            yield from leaves(value, (*prefix, key))
        else:
            yield (*prefix, key)


def get_path(tree: Any, path: Path) -> Any:
    for key in path:
        if not isinstance(tree, Mapping) or key not in tree:
            return _MISSING
        tree = tree[key]
    return tree


def set_path(tree: dict[str, Any], path: Path, value: Any) -> None:
    for key in path[:-1]:
        tree = tree.setdefault(key, {})
    tree[path[-1]] = copy.deepcopy(value)


def diff(config: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """What ``config`` changes from ``defaults`` (Immich's stored ``system-config`` value)."""
    out: dict[str, Any] = {}
    for path in leaves(defaults):
        value = get_path(config, path)
        if value is _MISSING or value is None or value == "":
            continue
        default = get_path(defaults, path)
        if value == default:
            continue
        set_path(out, path, value)
    return out


def unknown(config: Mapping[str, Any], defaults: Mapping[str, Any]) -> list[str]:
    """Dotted paths in ``config`` that ``defaults`` does not have (Immich warns about them)."""
    known = set(leaves(defaults))
    found = []
    for path in leaves(config):
        if path not in known and not any(path[:i] in known for i in range(1, len(path))):
            found.append(".".join(path))
    return found


def prune(config: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """``config`` without the keys ``defaults`` does not have."""
    out: dict[str, Any] = {}
    for key, default in defaults.items():
        if key not in config:
            continue
        value = config[key]
        if isinstance(default, Mapping) and isinstance(value, Mapping):
            out[key] = prune(value, default)
        else:
            out[key] = copy.deepcopy(value)
    return out


def normalise(config: dict[str, Any]) -> dict[str, Any]:
    """Immich's fix-ups after loading: external domain as an origin, target codecs accepted."""
    server = config.get("server")
    if isinstance(server, dict) and server.get("externalDomain"):
        parts = urlsplit(server["externalDomain"])
        if parts.scheme and parts.netloc:
            server["externalDomain"] = f"{parts.scheme}://{parts.netloc}"
    ffmpeg = config.get("ffmpeg")
    if isinstance(ffmpeg, dict):
        for target, accepted in (
            ("targetVideoCodec", "acceptedVideoCodecs"),
            ("targetAudioCodec", "acceptedAudioCodecs"),
        ):
            if (
                isinstance(ffmpeg.get(accepted), list)
                and ffmpeg.get(target) not in ffmpeg[accepted]
            ):
                ffmpeg[accepted].append(ffmpeg[target])
    return config
