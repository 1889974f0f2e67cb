"""The error a video step raises on a bad file, with a reason fit to show and store."""

from __future__ import annotations


class VideoError(Exception):
    """The video cannot be read, decoded or encoded; the message says why."""


def av_reason(exc: BaseException) -> str:
    """FFmpeg's (or the OS's) explanation on one line, without PyAV's file name prefix."""
    strerror = getattr(exc, "strerror", None)
    text = str(strerror or exc).strip()
    return " ".join(text.split()) or type(exc).__name__
