"""Validation of a whole system config, and reading ``IMMICH_CONFIG_FILE``.

Core sections are checked by a ``CoreCheck`` the caller supplies: the api layer's check
against ``SystemConfigDto`` (types, enums, bounds; ``immich.api.system_config.check_core``),
or without one the shape of the defaults. Plugin sections are checked against the shape of
their defaults (a boolean stays a boolean, a number a number, an object an object). Rule checks
that need more than a type (cron expressions) run as validators ``(new, old) -> None`` that
raise ``ValueError`` with Immich's message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from immich.services._config_defaults import CORE_SECTIONS

Validator = Callable[[Mapping[str, Any], Mapping[str, Any]], None]
Error = dict[str, Any]
# Every problem ``{"path": [...], "message": ...}`` of the core sections of a config.
CoreCheck = Callable[[Mapping[str, Any]], list[Error]]


class ConfigError(RuntimeError):
    """The system config cannot be used (bad file, section defined twice); stops start-up."""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _check_shape(value: Any, default: Any, path: list[str | int], errors: list[Error]) -> None:
    expected = _kind(default)
    if expected == "null":
        return  # no default type to hold it to
    got = _kind(value)
    if got != expected:
        message = f"Invalid input: expected {expected}, received {got}"
        errors.append({"path": path, "message": message})
        return
    if isinstance(default, Mapping):
        for key, sub in default.items():
            if key in value:
                _check_shape(value[key], sub, [*path, key], errors)


def validate(
    config: Mapping[str, Any], defaults: Mapping[str, Any], check_core: CoreCheck | None = None
) -> list[Error]:
    """Every problem of a full config: core sections by ``check_core`` (by the defaults'
    shape without one), plugin ones by shape."""
    errors: list[Error] = []
    core = {key: value for key, value in config.items() if key in CORE_SECTIONS}
    if check_core is not None:
        errors.extend(check_core(core))
    for section, default in defaults.items():
        if section in config and (check_core is None or section not in CORE_SECTIONS):
            _check_shape(config[section], default, [section], errors)
    return errors


def valid_cron(expression: str) -> bool:
    """A 5-field crontab line, or 6 fields with seconds first (as Immich's ``cron`` accepts)."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expression.split()
    try:
        if len(fields) == 5:
            CronTrigger.from_crontab(expression)
        elif len(fields) == 6:
            second, minute, hour, day, month, day_of_week = fields
            CronTrigger(
                second=second,
                minute=minute,
                hour=hour,
                day=day,
                month=month,
                day_of_week=day_of_week,
            )
        else:
            return False
    except ValueError:
        return False
    return True


CRON_PATHS: tuple[tuple[str, ...], ...] = (
    ("library", "scan"),
    ("backup", "database"),
    ("integrityChecks", "missingFiles"),
    ("integrityChecks", "untrackedFiles"),
    ("integrityChecks", "checksumFiles"),
)


def check_cron_expressions(new: Mapping[str, Any], old: Mapping[str, Any]) -> None:
    """Immich's library/backup ``ConfigValidate`` rule: ``Invalid cron expression <expr>``."""
    for section, job in CRON_PATHS:
        expression = new[section][job]["cronExpression"]
        if not valid_cron(expression):
            raise ValueError(f"Invalid cron expression {expression}")


def read_file(path: Path) -> dict[str, Any]:
    """The partial config in a JSON or YAML file (by extension, else whichever parses)."""
    where = f"IMMICH_CONFIG_FILE {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"{where}: cannot read the file ({err.strerror or err})") from None
    suffix = path.suffix.lower()
    data: Any
    try:
        if suffix == ".json":
            data = json.loads(text)
        elif suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            try:
                data = json.loads(text)
            except ValueError:
                data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as err:
        kind = "JSON" if suffix == ".json" else "YAML"
        detail = str(err).replace("\n", " ")
        raise ConfigError(f"{where}: not valid {kind}: {detail}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected an object at the top level, got {_kind(data)}")
    return data


def describe(errors: list[Error]) -> str:
    """``job.thumbnailGeneration.concurrency: Too small: ...; ...`` for a start-up message."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['path']) or '(top level)'}: {e['message']}" for e in errors
    )
