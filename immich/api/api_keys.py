"""/api/api-keys: the caller's API keys (the secret is shown once, on create)."""

from __future__ import annotations

from immich import events
from immich.api.api_key_dtos import (
    ApiKeyCreateDto,
    ApiKeyCreateResponseDto,
    ApiKeyResponseDto,
    ApiKeyUpdateDto,
    to_api_key,
)
from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.db.repos import api_keys
from immich.services import api_keys as api_key_service
from immich.services.auth import AuthContext

router = Router()
TAG = "API keys"


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None
    return call.auth


@router.route(
    "GET",
    "/api-keys",
    operation_id="getApiKeys",
    tag=TAG,
    response=list[ApiKeyResponseDto],
    permission="apiKey.read",
)
async def get_api_keys(call: Call) -> list[ApiKeyResponseDto]:
    """List all API keys"""
    return [to_api_key(row) for row in await api_keys.list_for_user(call.db, call.user["id"])]


@router.route(
    "POST",
    "/api-keys",
    operation_id="createApiKey",
    tag=TAG,
    response=ApiKeyCreateResponseDto,
    status=201,
    permission="apiKey.create",
)
async def create_api_key(call: Call[ApiKeyCreateDto]) -> ApiKeyCreateResponseDto:
    """Create an API key"""
    dto = call.body
    row, secret = await api_key_service.create(
        call.db,
        _auth(call),
        dto.name if dto.name is not UNSET else None,
        [str(p) for p in dto.permissions],
    )
    return ApiKeyCreateResponseDto(apiKey=to_api_key(row), secret=secret)


@router.route(
    "GET",
    "/api-keys/me",
    operation_id="getMyApiKey",
    tag=TAG,
    response=ApiKeyResponseDto,
    permission=False,  # any API key (Immich: permission: false)
)
async def get_my_api_key(call: Call) -> ApiKeyResponseDto:
    """Retrieve the current API key"""
    return to_api_key(await api_key_service.get_mine(call.db, _auth(call)))


@router.route(
    "GET",
    "/api-keys/{id}",
    operation_id="getApiKey",
    tag=TAG,
    response=ApiKeyResponseDto,
    permission="apiKey.read",
)
async def get_api_key(call: Call) -> ApiKeyResponseDto:
    """Retrieve an API key"""
    return to_api_key(await api_key_service.get(call.db, _auth(call), call.path["id"]))


@router.route(
    "PUT",
    "/api-keys/{id}",
    operation_id="updateApiKey",
    tag=TAG,
    response=ApiKeyResponseDto,
    permission="apiKey.update",
)
async def update_api_key(call: Call[ApiKeyUpdateDto]) -> ApiKeyResponseDto:
    """Update an API key"""
    dto = call.body
    row = await api_key_service.update(
        call.db,
        _auth(call),
        call.path["id"],
        dto.name if dto.name is not UNSET else None,
        [str(p) for p in dto.permissions] if dto.permissions is not UNSET else None,
    )
    return to_api_key(row)


@router.route(
    "DELETE",
    "/api-keys/{id}",
    operation_id="deleteApiKey",
    tag=TAG,
    status=204,
    permission="apiKey.delete",
)
async def delete_api_key(call: Call) -> None:
    """Delete an API key"""
    await api_key_service.delete(call.db, _auth(call), call.path["id"])
    await events.disconnect(call.ctx, call.db, [events.api_key_room(call.path["id"])])
