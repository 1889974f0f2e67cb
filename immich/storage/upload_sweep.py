"""What a crashed upload can leave under ``upload/``, and how to find and remove it.

An upload streams into ``.<assetId>[.xmp].partial`` (``files.temp_path``). Just before its
files are renamed to their final names (inside the transaction that inserts the row), a
``.<assetId>.pending`` marker is written beside them; it is removed once the transaction is
over (committed, or rolled back and the files taken away again). So after a crash:

- a ``.partial`` file is a body that was never finished: remove it once it is old;
- a ``.pending`` marker names an asset whose rename may have happened without its commit: if
  no asset row has that id, its final files (``<assetId>.<ext>``, ``<assetId>.<ext>.xmp``) are
  orphans and go with the marker; if the row exists, only the marker goes.

"Old" is by modification time, older than ``max_age``: an upload that is still running (on
this or another replica) writes its ``.partial`` file continuously and holds its marker for
no more than one transaction, so it is never touched. Files without a marker are never
removed here: after a database restore, files newer than the dump must stay.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from immich.storage.files import TEMP_SUFFIX, remove_quietly

PENDING_SUFFIX = ".pending"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_PARTIAL = re.compile(rf"^\.{_UUID}(\.[^/]*)?{re.escape(TEMP_SUFFIX)}$")
_PENDING = re.compile(rf"^\.({_UUID}){re.escape(PENDING_SUFFIX)}$")


def pending_marker(folder: Path, asset_id: str) -> Path:
    """The marker that says ``asset_id``'s files are being renamed into ``folder``."""
    return folder / f".{asset_id}{PENDING_SUFFIX}"


def write_pending(marker: Path) -> None:
    """Create the (empty) marker; blocking."""
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


@attrs.frozen
class Stale:
    """Leftovers found under ``upload/``, each older than the age asked for."""

    partials: tuple[Path, ...]
    pending: tuple[tuple[uuid.UUID, Path], ...]  # (asset id, marker)


def find_stale(upload_root: Path, max_age_s: float, now: float | None = None) -> Stale:
    """Walk ``upload_root`` (blocking) for old ``.partial`` files and ``.pending`` markers."""
    cutoff = (time.time() if now is None else now) - max_age_s
    partials: list[Path] = []
    pending: list[tuple[uuid.UUID, Path]] = []
    for root, _, names in os.walk(upload_root):
        for name in names:
            partial, marker = _PARTIAL.match(name), _PENDING.match(name)
            if not (partial or marker):
                continue
            path = Path(root) / name
            try:
                if path.stat().st_mtime > cutoff:
                    continue
            except FileNotFoundError:
                continue
            if marker:
                pending.append((uuid.UUID(marker.group(1)), path))
            else:
                partials.append(path)
    return Stale(tuple(sorted(partials)), tuple(sorted(pending)))


def orphans_of(marker: Path, asset_id: uuid.UUID) -> list[Path]:
    """The final files of ``asset_id`` beside its marker (blocking)."""
    prefix = str(asset_id)
    try:
        names = os.listdir(marker.parent)
    except FileNotFoundError:
        return []
    return sorted(marker.parent / n for n in names if n == prefix or n.startswith(f"{prefix}."))


def remove_stale(
    stale: Stale, has_row: Callable[[uuid.UUID], bool] | Iterable[uuid.UUID]
) -> list[str]:
    """Remove the leftovers (blocking); ``has_row`` says which asset ids have a row (a set of
    ids, or a predicate). Returns the paths removed."""
    known = has_row if callable(has_row) else set(has_row).__contains__
    removed: list[Path] = []
    for path in stale.partials:
        if remove_quietly(path):
            removed.append(path)
    for asset_id, marker in stale.pending:
        if not known(asset_id):
            removed += [p for p in orphans_of(marker, asset_id) if remove_quietly(p)]
        if remove_quietly(marker):
            removed.append(marker)
    return [str(p) for p in removed]
