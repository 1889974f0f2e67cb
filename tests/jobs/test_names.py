"""One job vocabulary: ``JobName`` spells Immich's names, and every job we register is in it."""

from __future__ import annotations

import json
from pathlib import Path

from immich.api.queue_dtos import JobName as ApiJobName
from immich.jobs.names import IMMICH_JOB_NAMES, JobName
from immich.jobs.registry import JobRegistry
from immich.plugins import make_manager
from tests.conftest import EXAMPLE_PLUGIN

SPEC = Path(__file__).resolve().parents[2].parent / "shared/reference/immich-openapi-3.1.0.json"


def test_immich_names_are_immichs() -> None:
    if SPEC.is_file():
        spec = json.loads(SPEC.read_text())
        assert set(spec["components"]["schemas"]["JobName"]["enum"]) == IMMICH_JOB_NAMES
    additions = set(ApiJobName.__additions__)  # ours, marked as such in our spec
    assert {m.value for m in ApiJobName} - additions == IMMICH_JOB_NAMES  # the API's enum agrees
    assert all(member.name == member.value for member in JobName)


def test_every_registered_job_has_a_name() -> None:
    """Every in-tree plugin's job is a ``JobName`` member (ours beyond Immich included)."""
    registry = JobRegistry.from_plugins(make_manager(skip=[EXAMPLE_PLUGIN]))
    assert registry.jobs, "no plugin registered a job"
    assert set(registry.jobs) <= set(JobName)
    assert JobName.UploadCleanup in registry and JobName.AssetGenerateThumbnails in registry
