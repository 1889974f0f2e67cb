"""Child processes that end with the server, however the server ends.

A long-lived helper (``exiftool -stay_open``) does not notice that its parent is gone: it keeps
polling a pipe nobody writes to, for ever. Closing it at shutdown covers a clean stop only; a
server killed with SIGKILL (the OOM killer, ``docker kill``) runs no shutdown code. On Linux the
kernel's parent-death signal (``prctl(PR_SET_PDEATHSIG)``) covers both: the child is SIGKILLed
when the thread that started it ends, which for us is the event loop's (main) thread, so in
effect the process. Every ``create_subprocess_exec`` / ``Popen`` in the project passes
``**dies_with_us()``.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the parent: a forked child must not load libraries."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


def dies_with_us() -> dict[str, Any]:
    """Keyword arguments for ``asyncio.create_subprocess_exec`` or ``subprocess.Popen`` that make
    the child get SIGKILL when this process ends ({} where the kernel cannot do it)."""
    prctl = _prctl()
    if prctl is None:
        return {}
    parent = os.getpid()

    def in_child() -> None:  # runs between fork and exec: no allocation-heavy work here
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os.kill(os.getpid(), signal.SIGKILL)

    return {"preexec_fn": in_child}
