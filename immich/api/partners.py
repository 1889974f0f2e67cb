"""/api/partners: share your library with another user, and show theirs in your timeline."""

from __future__ import annotations

from immich.api.partner_dtos import (
    PartnerCreateDto,
    PartnerResponseDto,
    PartnerSearchDto,
    PartnerUpdateDto,
    to_partner,
)
from immich.api.routing import Call, Router
from immich.services import partners as service
from immich.services.auth import AuthContext

router = Router()
TAG = "Partners"


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None
    return call.auth


@router.route(
    "GET",
    "/partners",
    operation_id="getPartners",
    tag=TAG,
    response=list[PartnerResponseDto],
    permission="partner.read",
)
async def get_partners(call: Call[None, PartnerSearchDto]) -> list[PartnerResponseDto]:
    """Retrieve partners"""
    views = await service.search(call.db, _auth(call), call.query.direction.value)
    return [to_partner(v) for v in views]


@router.route(
    "POST",
    "/partners",
    operation_id="createPartner",
    tag=TAG,
    response=PartnerResponseDto,
    status=201,
    permission="partner.create",
)
async def create_partner(call: Call[PartnerCreateDto]) -> PartnerResponseDto:
    """Create a partner"""
    return to_partner(await service.create(call.db, _auth(call), call.body.sharedWithId))


@router.route(
    "POST",
    "/partners/{id}",
    operation_id="createPartnerDeprecated",
    tag=TAG,
    response=PartnerResponseDto,
    status=201,
    permission="partner.create",
)
async def create_partner_deprecated(call: Call) -> PartnerResponseDto:
    """Create a partner"""
    return to_partner(await service.create(call.db, _auth(call), call.path["id"]))


@router.route(
    "PUT",
    "/partners/{id}",
    operation_id="updatePartner",
    tag=TAG,
    response=PartnerResponseDto,
    permission="partner.update",
)
async def update_partner(call: Call[PartnerUpdateDto]) -> PartnerResponseDto:
    """Update a partner"""
    view = await service.update(call.db, _auth(call), call.path["id"], call.body.inTimeline)
    return to_partner(view)


@router.route(
    "DELETE",
    "/partners/{id}",
    operation_id="removePartner",
    tag=TAG,
    status=204,
    permission="partner.delete",
)
async def remove_partner(call: Call) -> None:
    """Remove a partner"""
    await service.remove(call.db, _auth(call), call.path["id"])
