"""Temporary files under ``encoded-video/``: their names, and the sweep of those a killed
worker left behind.

A transcode writes ``.<asset id>.<32 hex>.tmp`` beside its destination and renames it into
place; a failure removes it (the metadata plugin's motion-photo videos use the same form,
``.<asset id>-MP.mp4.<32 hex>.tmp``). A worker SIGKILLed mid-transcode cannot remove it. Such
a leftover is told apart from a file being written by its age: a running transcode writes its
file continuously, so one untouched for longer than the job lease (``IMMICH_JOB_LEASE_SECONDS``)
belongs to a dead worker, whose job comes back once that lease runs out. Swept:

- by the job itself before it starts again (its own asset's leftovers: the retry of a killed
  job cleans up after it);
- by every "queue all" run of video conversion (the nightly missing-derived-files duty, the
  admin's "missing" and "all" buttons): every leftover under ``encoded-video/``. HLS session
  folders (``encoded-video/hls``) are left to ``HlsSessionCleanup``, which removes them whole.
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

_TEMP = re.compile(r"^\.(?P<stem>.+)\.[0-9a-f]{32}\.tmp$")
HLS_FOLDER = "hls"


def temp_for(dest: Path) -> Path:
    """A new temporary name for writing ``dest`` (hidden, in its folder, this writer's own)."""
    return dest.parent / f".{dest.stem}.{uuid.uuid4().hex}.tmp"


def _remove_if_stale(path: Path, cutoff: float) -> bool:
    try:
        if path.stat().st_mtime >= cutoff:
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def sweep_leftovers_of(dest: Path, older_than_s: float, now: float | None = None) -> list[Path]:
    """Remove the temporary files of ``dest`` not written for ``older_than_s`` seconds."""
    cutoff = (time.time() if now is None else now) - older_than_s
    try:
        entries = list(os.scandir(dest.parent))
    except FileNotFoundError:
        return []
    removed = []
    for entry in entries:
        found = _TEMP.match(entry.name)
        if found and found["stem"] == dest.stem and entry.is_file(follow_symlinks=False):
            if _remove_if_stale(Path(entry.path), cutoff):
                removed.append(Path(entry.path))
    if removed:
        log.info("removed %d stale temporary file(s) of %s", len(removed), dest.name)
    return removed


def sweep(root: Path, older_than_s: float, now: float | None = None) -> list[Path]:
    """Remove every temporary file under ``root`` (but ``hls/``) not written for
    ``older_than_s`` seconds; return what went."""
    cutoff = (time.time() if now is None else now) - older_than_s
    removed = []
    for folder, dirs, names in os.walk(root):
        if Path(folder) == root and HLS_FOLDER in dirs:
            dirs.remove(HLS_FOLDER)
        for name in names:
            if _TEMP.match(name) and _remove_if_stale(Path(folder, name), cutoff):
                removed.append(Path(folder, name))
    if removed:
        log.info("removed %d stale temporary file(s) under %s", len(removed), root)
    return removed
