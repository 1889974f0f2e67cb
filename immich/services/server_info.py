"""Versions of the tools this server really runs, for ``GET /api/server/about``.

Immich's ``ServerInfoRepository.getBuildVersions`` reports ``nodejs``, ``ffmpeg``, ``libvips``,
``exiftool`` and ``imagemagick``, always as strings ("" when a tool cannot be asked), looked up
once per process. We report ours the same way:

- ``exiftool``: ``exiftool -ver`` of the binary the metadata plugin runs (the one on ``PATH``);
- ``ffmpeg``: the FFmpeg libraries PyAV was built with (``av.ffmpeg_version_info``): we decode and
  encode through PyAV, never an ``ffmpeg`` binary;
- ``libvips``: the libvips pyvips loaded (the thumbnails' engine);
- ``imagemagick``: "" (nothing here uses ImageMagick);
- ``nodejs``: the runtime's slot, so it names ours: ``Python 3.11.7``. No key is added to
  Immich's ``ServerAboutResponseDto``, and its web shows this on the runtime's line.

The lookups start a process and import PyAV and pyvips (~0.3 s together), so they run once, in a
thread, never on the event loop; later calls return the cached answer.
"""

from __future__ import annotations

import asyncio
import platform
import subprocess
import threading

import attrs

EXIFTOOL = "exiftool"  # what the metadata plugin runs (plugins/metadata/exiftool.py)
_TIMEOUT_S = 10.0


@attrs.frozen
class BuildVersions:
    exiftool: str
    ffmpeg: str
    libvips: str
    imagemagick: str
    nodejs: str


_lock = threading.Lock()
_found: BuildVersions | None = None


def exiftool_version(executable: str | None = None) -> str:
    """First line of ``exiftool -ver`` (e.g. "12.57"), or "" when it cannot be run."""
    try:
        done = subprocess.run(
            [executable or EXIFTOOL, "-ver"],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = done.stdout.strip().splitlines()
    return lines[0].strip() if done.returncode == 0 and lines else ""


def ffmpeg_version() -> str:
    """The FFmpeg release PyAV's libraries come from (e.g. "8.1.2"), or "" without PyAV."""
    try:
        import av
    except ImportError:
        return ""
    return str(getattr(av, "ffmpeg_version_info", "") or "")


def libvips_version() -> str:
    """The libvips pyvips runs (e.g. "8.18.7"), or "" without pyvips or libvips."""
    try:
        import pyvips
    except (ImportError, OSError):
        return ""
    return ".".join(str(pyvips.version(part)) for part in range(3))


def probe() -> BuildVersions:
    """Ask every tool now (blocking: call it in a thread)."""
    return BuildVersions(
        exiftool=exiftool_version(),
        ffmpeg=ffmpeg_version(),
        libvips=libvips_version(),
        imagemagick="",
        nodejs=f"Python {platform.python_version()}",
    )


def _probe_once() -> BuildVersions:
    global _found
    with _lock:
        if _found is None:
            _found = probe()
        return _found


async def build_versions() -> BuildVersions:
    """This process's tool versions, asked once (in a thread) and then remembered."""
    return _found if _found is not None else await asyncio.to_thread(_probe_once)


def forget() -> None:
    """Drop the remembered versions (tests that swap ``EXIFTOOL``)."""
    global _found
    with _lock:
        _found = None
