"""saq's per-job log lines at DEBUG, not INFO.

saq logs every job it enqueues, starts, finishes, retries or sweeps at INFO (and a failing job
at ERROR with its traceback): on a busy worker that is most of the log. Those lines are
demoted to DEBUG; the worker's own line for a failed job (WARNING when it will be retried,
ERROR when it failed for good, with the reason) stays, as do saq's other warnings.
"""

from __future__ import annotations

import logging

SAQ_LOGGER = "saq"
# The start of every saq message about one job (or one worker starting or stopping).
PER_JOB_MESSAGES = (
    "Enqueuing ",
    "Processing ",
    "Finished ",
    "Retrying ",
    "Sweeping ",
    "Scheduled ",
    "Aborting ",
    "Could not abort job ",
    "Error processing job ",
    "Worker starting",
    "Working shutting down",
)


class PerJobToDebug(logging.Filter):
    """Demote saq's per-job records to DEBUG (dropped unless the ``saq`` logger wants DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG or record.levelno >= logging.CRITICAL:
            return True
        if not (isinstance(record.msg, str) and record.msg.startswith(PER_JOB_MESSAGES)):
            return True
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_per_job_lines() -> None:
    """Install the filter on saq's logger (once per process)."""
    logger = logging.getLogger(SAQ_LOGGER)
    if not any(isinstance(f, PerJobToDebug) for f in logger.filters):
        logger.addFilter(PerJobToDebug())
