"""_config_validate: core sections by the check the api layer hands in, else by shape."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from immich.api.system_config import check_core
from immich.services._config_defaults import DEFAULTS
from immich.services._config_validate import validate


def _config(**changes: Any) -> dict[str, Any]:
    config = copy.deepcopy(dict(DEFAULTS))
    config.update(changes)
    return config


def test_without_a_core_check_core_sections_keep_the_defaults_shape() -> None:
    config = _config(trash={"enabled": True, "days": "ten"})
    assert validate(config, DEFAULTS) == [
        {"path": ["trash", "days"], "message": "Invalid input: expected number, received string"}
    ]
    assert validate(_config(), DEFAULTS) == []


def test_the_core_check_decides_for_core_sections_only() -> None:
    seen: list[Mapping[str, Any]] = []

    def check(core: Mapping[str, Any]) -> list[dict[str, Any]]:
        seen.append(core)
        return [{"path": ["trash"], "message": "no"}]

    defaults = {**DEFAULTS, "toy": {"on": False}}
    config = _config(trash={"enabled": True, "days": "ten"}, toy={"on": 1})
    assert validate(config, defaults, check) == [
        {"path": ["trash"], "message": "no"},
        {"path": ["toy", "on"], "message": "Invalid input: expected boolean, received number"},
    ]
    assert "toy" not in seen[0] and seen[0]["trash"] == {"enabled": True, "days": "ten"}


def test_the_api_check_holds_the_core_to_system_config_dto() -> None:
    assert check_core(_config()) == []
    errors = check_core(_config(logging={"enabled": True, "level": "loud"}))
    assert [e["path"] for e in errors] == [["logging", "level"]]
