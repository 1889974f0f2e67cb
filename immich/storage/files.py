"""File writing as the media folder needs it: temp file beside the target, hash, then rename.

A file being received is written to a hidden temporary name in its destination folder (same
filesystem, so the final ``rename`` is atomic) while its SHA-1 is computed; writes and hashing
run off the event loop in batches. Nothing is left behind when a write is abandoned.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

WRITE_BATCH = 1 << 20  # bytes gathered before one write + hash in a worker thread
TEMP_SUFFIX = ".partial"


def temp_path(final: Path) -> Path:
    """The hidden temporary name used while ``final`` is being written."""
    return final.with_name(f".{final.name}{TEMP_SUFFIX}")


class HashingWriter:
    """Write a stream to a new file, computing its SHA-1 and size; ``abort`` removes it.

    Data is gathered into batches; each batch is hashed and written in a worker thread while
    the next one is being received (one batch in flight at a time, so order is kept).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = 0
        self._sha1 = hashlib.sha1(usedforsecurity=False)
        self._buffer = bytearray()
        self._file: BinaryIO | None = None
        self._pending: asyncio.Future[None] | None = None

    def open(self) -> None:
        """Create the file (exclusive). Synchronous on purpose: a cancelled request must never
        leave a file created behind its back by a worker thread."""
        self._file = make_exclusive(self.path)

    @property
    def sha1(self) -> bytes:
        return self._sha1.digest()

    async def write(self, data: bytes) -> None:
        self._buffer += data
        self.size += len(data)
        if len(self._buffer) >= WRITE_BATCH:
            await self._flush()

    async def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending

    async def _flush(self) -> None:
        await self._wait()
        if not self._buffer or self._file is None:
            return
        chunk, self._buffer = bytes(self._buffer), bytearray()
        file = self._file

        def _write() -> None:
            self._sha1.update(chunk)
            file.write(chunk)

        self._pending = asyncio.ensure_future(asyncio.to_thread(_write))

    async def close(self) -> None:
        """Flush what is buffered and close the file (it stays at ``path``)."""
        await self._flush()
        await self._wait()
        if self._file is not None:
            file, self._file = self._file, None
            await asyncio.to_thread(file.close)

    def abort(self) -> None:
        """Close and remove the file, whatever state it is in (blocking, but quick: it must
        run even while the request task is being cancelled)."""
        self._buffer = bytearray()
        pending, self._pending = self._pending, None
        if pending is not None:  # its thread fails on the closed file; nobody waits for it
            pending.add_done_callback(_ignore_outcome)
        file, self._file = self._file, None
        if file is not None:
            with contextlib.suppress(OSError, ValueError):
                file.close()
        remove_quietly(self.path)


def _ignore_outcome(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


def remove_quietly(path: Path) -> bool:
    """Remove a file if it exists, and the shard folders it leaves empty; True when something
    was removed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    prune_shards(path.parent)
    return True


_SHARD = re.compile(r"^[0-9a-f]{2}$")


def prune_shards(folder: Path) -> None:
    """Remove ``<aa>/<bb>`` shard folders (``immich.storage.layout``) left empty, innermost
    first. ``rmdir`` refuses a folder that is not empty, so a file just written stays; a writer
    that loses the race to a prune makes its folder again (``make_exclusive``)."""
    for _ in range(2):
        if not _SHARD.match(folder.name):
            return
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def make_exclusive(path: Path) -> BinaryIO:
    """Create ``path`` for writing (exclusive), with its folder, even if a concurrent
    ``prune_shards`` takes the folder away between the two steps."""
    for attempt in range(3):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return path.open("xb")
        except FileNotFoundError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def remove_files(paths: Iterable[str | os.PathLike[str] | None]) -> list[str]:
    """Remove each existing file (blocking); return the ones removed. Missing ones are fine."""
    removed = []
    for value in paths:
        if not value:
            continue
        try:
            if remove_quietly(Path(value)):
                removed.append(str(value))
        except OSError as err:
            log.warning("could not remove %s: %s", value, err)
            raise
    return removed


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file whole: temp file in the same folder, then rename over ``path``. The
    temp name is this writer's own (pid and a random part), so two processes writing the same
    file at once (replicas checking the folder markers at start-up) never rename each other's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
    try:
        with tmp.open("wb") as file:
            file.write(data)
        tmp.replace(path)
    except BaseException:
        remove_quietly(tmp)
        raise
