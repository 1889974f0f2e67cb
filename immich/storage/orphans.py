"""Temporary files that name their writer, so one left by a killed process can be removed.

A derived file (thumbnail, preview) is written to ``.<name>.<host>-<pid>.<random>.tmp`` beside
its destination and renamed into place. A worker SIGKILLed between the two leaves the temporary
file; the next run of the same job (another process, after the lease of the dead one ran out)
calls ``remove_orphans`` before writing and removes the ones whose writer is gone: this host's
with a pid no longer alive, any host's older than ``STALE_S``. A run of the same job in a live
process (a duplicate job) keeps its file.
"""

from __future__ import annotations

import glob
import os
import socket
import time
from pathlib import Path

STALE_S = 3600  # another host's temporary file this old is abandoned
HOST = socket.gethostname().replace(".", "_").replace("-", "_") or "host"


def temp_prefix(dest: Path) -> str:
    """``mkstemp``'s prefix for a temporary file of ``dest`` written by this process."""
    return f".{dest.name}.{HOST}-{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_orphans(dest: Path) -> list[Path]:
    """Remove the temporary files of ``dest`` whose writer died; return them."""
    removed = []
    head = f".{dest.name}."
    for path in dest.parent.glob(f"{glob.escape(head)}*.tmp"):
        writer = path.name[len(head) :].split(".", 1)[0]
        host, _, pid = writer.rpartition("-")
        try:
            dead = (host == HOST and pid.isdigit() and not _alive(int(pid))) or (
                time.time() - path.stat().st_mtime > STALE_S
            )
            if dead:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed
