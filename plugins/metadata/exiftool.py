"""One persistent exiftool process (``-stay_open True -@ -``) driven from asyncio.

Why not PyExifTool: it is synchronous (a blocking read loop on the pipe), has no per-request
timeout and no restart; wrapping it in threads would still leave a hung file holding the worker.
This wrapper is small: requests are serialized with a lock, every request ends with a numbered
``-execute`` whose ``{readyN}`` marker closes stdout (and ``-echo4`` closes stderr), a request that
times out kills the process, and a process that died is started again on the next request (a
request that finds the pipe closed is retried once on a fresh process).

One instance per worker process; ``shared_exiftool()`` returns it. The process never outlives
the server: ``close()`` at shutdown, and the kernel's parent-death signal when the server dies
without running shutdown code (``immich.child_process``). Without both it idles for ever: with
``-stay_open`` exiftool keeps polling its closed stdin.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from immich.child_process import dies_with_us

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0
"""Seconds one request may take before the process is killed (large videos with ``-ee``)."""


class ExifToolError(RuntimeError):
    """exiftool could not be run, died, or answered something unreadable."""


class ExifToolTimeout(ExifToolError):
    """A request ran past its timeout; the process was killed and will be restarted."""


class ExifTool:
    """An asyncio client of one ``exiftool -stay_open`` process.

    >>> async with ExifTool() as et:
    ...     tags = await et.read_json(Path("photo.jpg"), ["-json", "-all"])
    """

    def __init__(self, executable: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.executable = executable or "exiftool"
        self.timeout = timeout
        self._proc: asyncio.subprocess.Process | None = None
        self._lock: asyncio.Lock | None = None
        self._counter = itertools.count(1)
        self.version: str | None = None

    async def __aenter__(self) -> ExifTool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def pid(self) -> int | None:
        """Process id of the running exiftool, or None when none runs."""
        return self._proc.pid if self._alive() else None  # type: ignore[union-attr]

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def start(self) -> None:
        """Start the process now (otherwise the first request starts it)."""
        async with self._get_lock():
            await self._ensure_started()

    async def _ensure_started(self) -> asyncio.subprocess.Process:
        if self._proc is not None and self._alive():
            return self._proc
        await self._kill()
        try:
            self._proc = await asyncio.create_subprocess_exec(
                self.executable,
                "-stay_open",
                "True",
                "-@",
                "-",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                **dies_with_us(),
            )
        except FileNotFoundError as e:
            raise ExifToolError(
                f"exiftool not found ({self.executable!r}): install Debian's "
                "libimage-exiftool-perl or pass its path"
            ) from e
        log.debug("started exiftool pid %d", self._proc.pid)
        out, _ = await self._roundtrip(self._proc, ["-ver"], self.timeout)
        self.version = out.decode().strip()
        return self._proc

    async def execute(self, args: Sequence[str], *, time_limit: float | None = None) -> bytes:
        """Run one exiftool command (``args`` as on a command line); return its stdout.

        ``time_limit`` (seconds, default ``self.timeout``) kills the process when passed; so does
        cancelling the call. Whatever exiftool wrote to stderr is logged at debug level.
        """
        out, _ = await self.run(args, time_limit=time_limit)
        return out

    async def run(
        self, args: Sequence[str], *, time_limit: float | None = None
    ) -> tuple[bytes, bytes]:
        """``execute``, returning stderr too (a write's errors are reported there)."""
        for arg in args:
            if "\n" in arg or "\r" in arg:
                raise ExifToolError(f"argument with a line break cannot be sent: {arg!r}")
        limit = self.timeout if time_limit is None else time_limit
        async with self._get_lock():
            for attempt in (1, 2):
                proc = await self._ensure_started()
                started = time.monotonic()
                try:
                    out, err = await self._roundtrip(proc, args, limit)
                    log.debug("exiftool answered in %.3fs", time.monotonic() - started)
                except _ProcessGone:
                    await self._kill()
                    if attempt == 2:
                        raise ExifToolError("exiftool exited while handling the request") from None
                    log.warning("exiftool process had exited; restarting it")
                    continue
                if err.strip():
                    log.debug("exiftool stderr: %s", err.decode(errors="replace").strip())
                return out, err
        raise AssertionError("unreachable")  # pragma: no cover

    async def read_json(self, path: Path, args: Sequence[str], **kw: Any) -> dict[str, Any]:
        """Run ``args`` (which must hold ``-json``) on one file; return its tag object."""
        out = await self.execute([*args, str(path)], **kw)
        text = out.decode("utf-8", errors="replace").strip()
        if not text:
            raise ExifToolError(f"exiftool returned nothing for {path}")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ExifToolError(f"exiftool returned invalid JSON for {path}: {e}") from e
        if not isinstance(data, list) or not data or not isinstance(data[0], dict):
            raise ExifToolError(f"exiftool returned an unexpected shape for {path}")
        return data[0]

    async def _roundtrip(
        self, proc: asyncio.subprocess.Process, args: Sequence[str], limit: float
    ) -> tuple[bytes, bytes]:
        n = next(self._counter)
        marker = f"{{ready{n}}}".encode()
        lines = [*args, "-echo4", f"{{ready{n}}}", f"-execute{n}"]
        payload = "".join(f"{a}\n" for a in lines).encode()
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        try:
            proc.stdin.write(payload)
            await proc.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as e:
            raise _ProcessGone from e
        reads = [
            asyncio.ensure_future(_read_until(proc.stdout, marker)),
            asyncio.ensure_future(_read_until(proc.stderr, marker)),
        ]
        try:
            async with asyncio.timeout(limit):
                out = await reads[0]
                err = await reads[1]
        except TimeoutError:
            await self._kill()
            raise ExifToolTimeout(f"exiftool took longer than {limit:g}s; killed") from None
        except asyncio.CancelledError:
            # the answer would arrive as the next request's: never reuse this process
            self._kill_now()
            raise
        finally:
            for task in reads:
                if not task.done():
                    task.cancel()
                elif not task.cancelled():
                    task.exception()  # retrieved, so an unawaited failure is not logged
        return out, err

    def _kill_now(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()

    async def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(proc.wait(), 5)

    async def close(self) -> None:
        """Ask exiftool to exit (``-stay_open False``); kill it if it does not."""
        async with self._get_lock():
            proc = self._proc
            if proc is None or proc.returncode is not None:
                self._proc = None
                return
            try:
                assert proc.stdin is not None
                proc.stdin.write(b"-stay_open\nFalse\n")
                await proc.stdin.drain()
                proc.stdin.close()
                await asyncio.wait_for(proc.wait(), 5)
                self._proc = None
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                await self._kill()


class _ProcessGone(Exception):
    pass


async def _read_until(stream: asyncio.StreamReader, marker: bytes) -> bytes:
    """Read until the output ends with ``marker`` (+ newline); return what came before it."""
    buf = bytearray()
    while True:
        chunk = await stream.read(65536)
        if not chunk:
            raise _ProcessGone
        buf += chunk
        tail = bytes(buf[-(len(marker) + 2) :]).rstrip(b"\r\n")
        if tail.endswith(marker):
            end = buf.rfind(marker)
            return bytes(buf[:end])


_shared: ExifTool | None = None


def shared_exiftool() -> ExifTool:
    """The worker process's one ExifTool (created on first use, started on first request)."""
    global _shared
    if _shared is None:
        _shared = ExifTool()
    return _shared
