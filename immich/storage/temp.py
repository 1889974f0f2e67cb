"""Temporary files (and folders) written into the media folder, and the sweep of those a
killed process left behind. The one place that knows their names.

Every writer puts its temporary parts beside the destination (same filesystem: the final
rename is atomic, and nothing fills ``/tmp``), under a hidden name in one of these forms:

- ``.<stem>.<32 hex>.tmp``: ``temp_for(dest)``, a transcode's MP4 or a motion photo's video;
- ``.<stem>.<32 hex>.2pass/``: ``work_folder_for(temp)``, a folder of a two-pass encoder's
  stats files, named with the token of the output it belongs to;
- ``.<name>.<host>-<pid>.<random>.tmp``: a preview or thumbnail (``immich.storage.orphans``);
- ``.<name>.<pid>.<8 hex>.partial``: a small file written whole (``files.write_atomic``:
  folder markers, sidecar copies);
- ``.<name>.<pid>.<8 hex>.scratch.<ext>``: ``scratch_for(dest, ext)``, a side file a tool
  reads while ``dest`` is read or written (exiftool's UTF-8 copy of a UTF-16 sidecar, the JSON
  of the tags it writes into one); the extension stays last because exiftool reads by it.

A SIGKILLed worker cannot remove its parts. A leftover is told apart from a part being
written by its age: a live writer writes continuously, so parts untouched for longer than
the job lease (``IMMICH_JOB_LEASE_SECONDS``) belong to a dead worker, whose job comes back
once that lease runs out. Parts sharing ``.<stem>.<token>`` are one writer's and go together,
only when the newest of them (and of the files inside a folder) is old: the stats of a
second pass are read, not written, while its output grows beside them.

Swept by the job's retry (``sweep_leftovers_of``: its own destination's) and by the "queue
all" runs of the jobs that write derived files (``sweep``: the nightly missing-derived-files
duty and the admin's "missing"/"all" buttons): thumbnails under ``thumbs/``, video under
``encoded-video/`` (but ``hls/``: ``HlsSessionCleanup`` removes its sessions whole); and by
the nightly ``UploadCleanup`` job (``sweep_server_named``): ``upload/``, ``profile/`` and
``backups/`` (sidecar copies, folder markers). Never ``library/``, whose names come from the
users' own file names. Uploads' ``.<assetId>.partial`` bodies are
``immich.storage.upload_sweep``'s, never taken here.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Collection, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"
# media folders (``immich.storage.layout.FOLDERS``) where every name is the server's own and
# no job's "queue all" sweeps: the UploadCleanup job's
SERVER_NAMED = ("upload", "profile", "backups")
WORK_SUFFIX = ".2pass"
# (stem, token, kind) of the parts one writer makes for one destination
_TOKENED = re.compile(r"^\.(?P<stem>.+)\.(?P<token>[0-9a-f]{32})\.(?P<kind>tmp|2pass)$")
_RENDITION = re.compile(r"^\..+\.[^.]+-\d+\.[a-z0-9_]{8}\.tmp$")
_WRITTEN_WHOLE = re.compile(r"^\..+\.\d+\.[0-9a-f]{8}\.partial$")
_SCRATCH = re.compile(r"^\..+\.\d+\.[0-9a-f]{8}\.scratch\.[A-Za-z0-9]+$")


def temp_for(dest: Path) -> Path:
    """A new temporary name for writing ``dest`` (hidden, in its folder, this writer's own)."""
    return dest.parent / f".{dest.stem}.{uuid.uuid4().hex}{TEMP_SUFFIX}"


def scratch_for(dest: Path, ext: str) -> Path:
    """A new name for a side file (``ext``: ".xmp", ".json") that a tool reads while working
    on ``dest``: beside it, this process's own, swept with ``dest``'s other parts."""
    return dest.parent / f".{dest.name}.{os.getpid()}.{os.urandom(4).hex()}.scratch{ext}"


def work_folder_for(temp: Path) -> Path:
    """The name of a folder of side files for the write to ``temp`` (``temp_for``'s name):
    swept with it, kept while it is being written."""
    found = _TOKENED.match(temp.name)
    if found is None or found["kind"] != "tmp":
        raise ValueError(f"not a temp_for name: {temp.name}")
    return temp.with_name(f".{found['stem']}.{found['token']}{WORK_SUFFIX}")


def _group(name: str, is_dir: bool) -> str | None:
    """The writer a leftover belongs to (parts with the same key go together), or None when
    ``name`` is none of our forms."""
    found = _TOKENED.match(name)
    if found is not None and (found["kind"] == "2pass") == is_dir:
        return f"{found['stem']}.{found['token']}"
    if not is_dir and any(form.match(name) for form in (_RENDITION, _WRITTEN_WHOLE, _SCRATCH)):
        return name
    return None


def _newest(entry: os.DirEntry[str]) -> float:
    """The last write to a part: a file's mtime, a folder's or any file's in it."""
    stamp = entry.stat(follow_symlinks=False).st_mtime
    if entry.is_dir(follow_symlinks=False):
        with os.scandir(entry.path) as inside:
            for child in inside:
                stamp = max(stamp, child.stat(follow_symlinks=False).st_mtime)
    return stamp


def _remove(path: Path, is_dir: bool) -> bool:
    try:
        if is_dir:
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    return True


def _sweep_entries(
    entries: Iterable[os.DirEntry[str]], cutoff: float, dest: Path | None = None
) -> list[Path]:
    """Remove the stale groups among one folder's ``entries`` (only ``dest``'s when given)."""
    groups: dict[str, list[tuple[Path, bool]]] = {}
    newest: dict[str, float] = {}
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            if not (is_dir or entry.is_file(follow_symlinks=False)):
                continue
            key = _group(entry.name, is_dir)
            if key is None or (dest is not None and not _is_part_of(entry.name, dest)):
                continue
            stamp = _newest(entry)
        except FileNotFoundError:
            continue
        groups.setdefault(key, []).append((Path(entry.path), is_dir))
        newest[key] = max(newest.get(key, 0.0), stamp)
    removed = []
    for key, parts in groups.items():
        if newest[key] < cutoff:
            removed += [path for path, is_dir in parts if _remove(path, is_dir)]
    return removed


def _is_part_of(name: str, dest: Path) -> bool:
    """Whether the temporary part ``name`` was written for ``dest``."""
    found = _TOKENED.match(name)
    if found is not None:
        return bool(found["stem"] == dest.stem)
    return name.startswith(f".{dest.name}.")


def sweep_leftovers_of(dest: Path, older_than_s: float, now: float | None = None) -> list[Path]:
    """Remove the temporary parts written for ``dest`` (in any of the forms above) not
    written for ``older_than_s`` seconds; return what went."""
    cutoff = (time.time() if now is None else now) - older_than_s
    try:
        with os.scandir(dest.parent) as entries:
            removed = _sweep_entries(list(entries), cutoff, dest=dest)
    except FileNotFoundError:
        return []
    if removed:
        log.info("removed %d stale temporary part(s) of %s", len(removed), dest.name)
    return removed


def sweep(
    root: Path, older_than_s: float, now: float | None = None, skip: Collection[str] = ()
) -> list[Path]:
    """Remove every temporary part under ``root`` not written for ``older_than_s`` seconds,
    leaving alone the folders of ``root`` named in ``skip``; return what went."""
    cutoff = (time.time() if now is None else now) - older_than_s
    removed: list[Path] = []
    for folder, dirs, _ in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [d for d in dirs if d not in skip]
        dirs[:] = [d for d in dirs if _group(d, True) is None]  # parts, not folders to walk
        try:
            with os.scandir(folder) as entries:
                removed += _sweep_entries(list(entries), cutoff)
        except FileNotFoundError:
            continue
    if removed:
        log.info("removed %d stale temporary part(s) under %s", len(removed), root)
    return removed


def sweep_server_named(media: Path, older_than_s: float, now: float | None = None) -> list[Path]:
    """``sweep`` each of the ``SERVER_NAMED`` folders of the media folder ``media``."""
    return [path for name in SERVER_NAMED for path in sweep(media / name, older_than_s, now)]
