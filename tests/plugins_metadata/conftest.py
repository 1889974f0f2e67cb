"""Fixtures: the shared Immich test assets (skipped when absent) and ONE exiftool per session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from plugins.metadata import ExifTool

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ASSETS = SHARED / "testdata" / "immich-test-assets"


@pytest.fixture
def assets() -> Path:
    """``../shared/testdata/immich-test-assets``; tests using it skip when it is absent."""
    if not ASSETS.is_dir():
        pytest.skip(f"shared test assets not found: {ASSETS} (the ../shared folder)")
    return ASSETS


@pytest.fixture(scope="session")
async def exiftool() -> AsyncIterator[ExifTool]:
    """One exiftool process for the whole test session."""
    async with ExifTool(timeout=30) as et:
        yield et
