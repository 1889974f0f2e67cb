"""/api/auth: admin sign-up, login, logout, change password, token validation, status."""

from __future__ import annotations

import datetime as dt

import attrs
from starlette.responses import Response

from immich import events
from immich.api._auth import clear_login_cookies, set_login_cookies
from immich.api.dto import UNSET, field
from immich.api.routing import Call, Router, json_response
from immich.api.user_dtos import UserAdminResponseDto, to_user_admin
from immich.db.repos import sessions
from immich.services import access
from immich.services import auth as auth_service
from immich.services.user_agent import device_details

router = Router()
TAG = "Authentication"


@attrs.frozen
class SignUpDto:
    email: str = field(description="User email", format="email")
    name: str = field(description="User name")
    password: str = field(description="User password")


@attrs.frozen
class LoginCredentialDto:
    email: str = field(description="User email", format="email")
    password: str = field(description="User password")


@attrs.frozen
class LoginResponseDto:
    accessToken: str = field(description="Access token")
    isAdmin: bool = field(description="Is admin user")
    isOnboarded: bool = field(description="Is onboarded")
    name: str = field(description="User name")
    profileImagePath: str = field(description="Profile image path")
    shouldChangePassword: bool = field(description="Should change password")
    userEmail: str = field(description="User email", format="email")
    userId: str = field(description="User ID", format="uuid")


@attrs.frozen
class LogoutResponseDto:
    redirectUri: str = field(description="Redirect URI")
    successful: bool = field(description="Logout successful")


@attrs.frozen
class ChangePasswordDto:
    newPassword: str = field(description="New password (min 8 characters)", min_length=8)
    password: str = field(description="Current password")
    invalidateSessions: bool = field(default=False, description="Invalidate all other sessions")


@attrs.frozen
class ValidateAccessTokenResponseDto:
    authStatus: bool = field(description="Authentication status")


@attrs.frozen
class AuthStatusResponseDto:
    isElevated: bool = field(description="Is elevated session")
    password: bool = field(description="Has password set")
    pinCode: bool = field(description="Has PIN code set")
    expiresAt: dt.datetime = field(default=UNSET, description="Session expiration date")
    pinExpiresAt: dt.datetime = field(default=UNSET, description="PIN expiration date")


@router.route(
    "POST",
    "/auth/admin-sign-up",
    operation_id="signUpAdmin",
    tag=TAG,
    response=UserAdminResponseDto,
    status=201,
    auth=False,
)
async def sign_up_admin(call: Call[SignUpDto]) -> UserAdminResponseDto:
    """Register admin"""
    dto = call.body
    row = await auth_service.sign_up_admin(call.db, dto.email, dto.name, dto.password)
    return to_user_admin(row)


@router.route(
    "POST",
    "/auth/login",
    operation_id="login",
    tag=TAG,
    response=LoginResponseDto,
    status=201,
    auth=False,
)
async def login(call: Call[LoginCredentialDto]) -> Response:
    """Login"""
    dto = call.body
    h = call.request.headers
    found = device_details(h.get("user-agent"), h.get("devicemodel"), h.get("devicetype"))
    device = auth_service.Device(
        type=found.device_type, os=found.device_os, app_version=found.app_version
    )
    result = await auth_service.login(
        call.db, call.ctx.config.get(), dto.email, dto.password, device
    )
    user = result.user
    answer = LoginResponseDto(
        accessToken=result.token,
        isAdmin=user["isAdmin"],
        isOnboarded=result.is_onboarded,
        name=user["name"],
        profileImagePath=user["profileImagePath"],
        shouldChangePassword=user["shouldChangePassword"],
        userEmail=user["email"],
        userId=str(user["id"]),
    )
    response = json_response(answer, 201)
    set_login_cookies(response, result.token, call.request.url.scheme == "https")
    return response


@router.route("POST", "/auth/logout", operation_id="logout", tag=TAG, response=LogoutResponseDto)
async def logout(call: Call) -> Response:
    """Logout"""
    assert call.auth is not None
    await auth_service.logout(call.db, call.auth)
    if call.auth.session_id is not None:  # its sockets go too (immich.events)
        await events.end_sessions(call.ctx, call.db, [call.auth.session_id])
    response = json_response(LogoutResponseDto(redirectUri="/auth/login", successful=True))
    clear_login_cookies(response)
    return response


@router.route(
    "POST",
    "/auth/change-password",
    operation_id="changePassword",
    tag=TAG,
    response=UserAdminResponseDto,
    permission="auth.changePassword",
)
async def change_password(call: Call[ChangePasswordDto]) -> UserAdminResponseDto:
    """Change password"""
    dto = call.body
    assert call.auth is not None
    user_id = call.auth.user_id
    before = await sessions.list_for_user(call.db, user_id) if dto.invalidateSessions else []
    row = await auth_service.change_password(
        call.db, call.auth, dto.password, dto.newPassword, dto.invalidateSessions
    )
    if dto.invalidateSessions:  # the other devices' sockets go too
        others = [s["id"] for s in before if s["id"] != call.auth.session_id]
        await events.end_sessions(call.ctx, call.db, others)
    return to_user_admin(row)


@router.route(
    "POST",
    "/auth/validateToken",
    operation_id="validateAccessToken",
    tag=TAG,
    response=ValidateAccessTokenResponseDto,
    permission=False,  # any API key (Immich: permission: false)
)
async def validate_token(call: Call) -> ValidateAccessTokenResponseDto:
    """Validate access token"""
    return ValidateAccessTokenResponseDto(authStatus=True)


@router.route(
    "GET",
    "/auth/status",
    operation_id="getAuthStatus",
    tag=TAG,
    response=AuthStatusResponseDto,
)
async def auth_status(call: Call) -> AuthStatusResponseDto:
    """Retrieve auth status"""
    assert call.auth is not None
    user = call.user
    expires_at = pin_expires_at = None
    if call.auth.session_id is not None:
        session = await sessions.get(call.db, call.auth.session_id)
        if session is not None:
            expires_at, pin_expires_at = session["expiresAt"], session["pinExpiresAt"]
    return AuthStatusResponseDto(
        isElevated=access.is_elevated(call.auth),
        password=bool(user["password"]),
        pinCode=bool(user["pinCode"]),
        expiresAt=expires_at or UNSET,
        pinExpiresAt=pin_expires_at or UNSET,
    )
