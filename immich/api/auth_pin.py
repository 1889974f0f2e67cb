"""/api/auth/pin-code and /api/auth/session/{unlock,lock}: the PIN that opens the Locked Folder."""

from __future__ import annotations

import attrs

from immich.api.dto import UNSET, field
from immich.api.routing import Call, Router
from immich.api.user_dtos import PIN_CODE_PATTERN
from immich.services import pin_code

router = Router()
TAG = "Authentication"
PIN_DESCRIPTION = "New PIN code (4-6 digits)"
PASSWORD_DESCRIPTION = "User password (required if PIN code is not provided)"


@attrs.frozen
class PinCodeSetupDto:
    pinCode: str = field(description="PIN code (4-6 digits)", pattern=PIN_CODE_PATTERN)


@attrs.frozen
class PinCodeChangeDto:
    newPinCode: str = field(description=PIN_DESCRIPTION, pattern=PIN_CODE_PATTERN)
    password: str = field(default=UNSET, description=PASSWORD_DESCRIPTION)
    pinCode: str = field(default=UNSET, description=PIN_DESCRIPTION, pattern=PIN_CODE_PATTERN)


@attrs.frozen
class PinCodeResetDto:
    password: str = field(default=UNSET, description=PASSWORD_DESCRIPTION)
    pinCode: str = field(default=UNSET, description=PIN_DESCRIPTION, pattern=PIN_CODE_PATTERN)


@attrs.frozen
class SessionUnlockDto:
    password: str = field(default=UNSET, description=PASSWORD_DESCRIPTION)
    pinCode: str = field(default=UNSET, description=PIN_DESCRIPTION, pattern=PIN_CODE_PATTERN)


@router.route(
    "POST",
    "/auth/pin-code",
    operation_id="setupPinCode",
    tag=TAG,
    status=204,
    permission="pinCode.create",
)
async def setup_pin_code(call: Call[PinCodeSetupDto]) -> None:
    """Setup pin code"""
    assert call.auth is not None
    await pin_code.setup(call.db, call.auth, call.body.pinCode)


@router.route(
    "PUT",
    "/auth/pin-code",
    operation_id="changePinCode",
    tag=TAG,
    status=204,
    permission="pinCode.update",
)
async def change_pin_code(call: Call[PinCodeChangeDto]) -> None:
    """Change pin code"""
    assert call.auth is not None
    dto = call.body
    await pin_code.change(
        call.db, call.auth, dto.newPinCode, dto.pinCode or None, dto.password or None
    )


@router.route(
    "DELETE",
    "/auth/pin-code",
    operation_id="resetPinCode",
    tag=TAG,
    status=204,
    permission="pinCode.delete",
)
async def reset_pin_code(call: Call[PinCodeResetDto]) -> None:
    """Reset pin code"""
    assert call.auth is not None
    dto = call.body
    await pin_code.reset(call.db, call.auth, dto.pinCode or None, dto.password or None)


@router.route(
    "POST",
    "/auth/session/unlock",
    operation_id="unlockAuthSession",
    tag=TAG,
    status=204,
)
async def unlock_auth_session(call: Call[SessionUnlockDto]) -> None:
    """Unlock auth session"""
    assert call.auth is not None
    await pin_code.unlock(call.db, call.auth, call.body.pinCode or None)


@router.route("POST", "/auth/session/lock", operation_id="lockAuthSession", tag=TAG, status=204)
async def lock_auth_session(call: Call) -> None:
    """Lock auth session"""
    assert call.auth is not None
    await pin_code.lock(call.db, call.auth)
