"""/api/system-config: the admin settings (Immich's "System config" tag)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from immich import events
from immich.api.config_dtos import SystemConfigDto, SystemConfigTemplateStorageOptionDto
from immich.api.dto import dump, parse
from immich.api.errors import BadRequest, ValidationFailed
from immich.api.routing import Call, Router
from immich.services._config_defaults import CORE_SECTIONS, STORAGE_TEMPLATE_OPTIONS
from immich.services.system_config import FILE_IN_USE

router = Router()
TAG = "System config"


def check_core(core: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every problem of the core sections, by ``SystemConfigDto``'s rules: the check the app
    hands ``SystemConfigService`` for start-up (file, stored config) and every update."""
    try:
        parse(SystemConfigDto, dict(core))
    except ValidationFailed as err:
        return err.errors
    return []


@router.route(
    "GET",
    "/system-config",
    operation_id="getConfig",
    tag=TAG,
    response=SystemConfigDto,
    admin=True,
    permission="systemConfig.read",
)
async def get_config(call: Call) -> dict[str, Any]:
    """Get system configuration"""
    return call.ctx.config.get()


@router.route(
    "PUT",
    "/system-config",
    operation_id="updateConfig",
    tag=TAG,
    response=SystemConfigDto,
    admin=True,
    permission="systemConfig.update",
)
async def update_config(call: Call[SystemConfigDto]) -> dict[str, Any]:
    """Update system configuration"""
    if call.ctx.config.read_only:
        raise BadRequest(FILE_IN_USE)
    changes: dict[str, Any] = dump(call.body)
    raw = await call.request.json()  # plugin sections are not in SystemConfigDto
    for section, value in raw.items():
        if section not in CORE_SECTIONS and section in call.ctx.config.defaults:
            changes[section] = value
    config = await call.ctx.config.update(changes, call.db)
    await events.emit_after_commit(call.ctx, call.db, None, "on_config_update")  # to everyone
    return config


@router.route(
    "GET",
    "/system-config/defaults",
    operation_id="getConfigDefaults",
    tag=TAG,
    response=SystemConfigDto,
    admin=True,
    permission="systemConfig.read",
)
async def get_config_defaults(call: Call) -> dict[str, Any]:
    """Get system configuration defaults"""
    return call.ctx.config.get_defaults()


@router.route(
    "GET",
    "/system-config/storage-template-options",
    operation_id="getStorageTemplateOptions",
    tag=TAG,
    response=SystemConfigTemplateStorageOptionDto,
    admin=True,
    permission="systemConfig.read",
)
async def get_storage_template_options(call: Call) -> SystemConfigTemplateStorageOptionDto:
    """Get storage template options"""
    return SystemConfigTemplateStorageOptionDto(**STORAGE_TEMPLATE_OPTIONS)
