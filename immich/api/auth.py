"""/api/auth: admin sign-up, login, logout, change password, token validation, status."""

from __future__ import annotations

import datetime as dt

import asyncpg
import attrs
from starlette.responses import Response

from immich.api import errors
from immich.api.dto import UNSET, field
from immich.api.errors import BadRequest, Unauthorized
from immich.api.routing import Call, Router, json_response
from immich.api.user_dtos import UserAdminResponseDto, to_user_admin
from immich.db import locks
from immich.db.repos import sessions, users
from immich.services import access
from immich.services import auth as auth_service

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
    body=SignUpDto,
    response=UserAdminResponseDto,
    status=201,
    auth=False,
)
async def sign_up_admin(call: Call) -> UserAdminResponseDto:
    """Register admin"""
    dto: SignUpDto = call.body
    pool = call.ctx.db.pool
    async with pool.acquire() as conn, conn.transaction():
        # one admin, even when two sign-ups race
        await conn.execute("SELECT pg_advisory_xact_lock($1)", locks.ADMIN_SIGN_UP)
        if await users.has_admin(conn):
            raise BadRequest(errors.ADMIN_EXISTS)
        row = await users.create(
            conn,
            {
                "email": dto.email,
                "name": dto.name,
                "password": await auth_service.hash_password(dto.password),
                "isAdmin": True,
                "shouldChangePassword": False,
                "storageLabel": "admin",
            },
        )
    return to_user_admin(row)


@router.route(
    "POST",
    "/auth/login",
    operation_id="login",
    tag=TAG,
    body=LoginCredentialDto,
    response=LoginResponseDto,
    status=201,
    auth=False,
)
async def login(call: Call) -> Response:
    """Login"""
    dto: LoginCredentialDto = call.body
    if not call.ctx.config.get()["passwordLogin"]["enabled"]:
        raise Unauthorized("Password login has been disabled")
    user = await users.get_by_email(call.ctx.db.pool, dto.email)
    if user is None or not await auth_service.check_password(dto.password, user["password"]):
        raise Unauthorized(errors.BAD_LOGIN)
    token = auth_service.new_secret()
    agent = call.request.headers.get("user-agent", "")
    await sessions.create(
        call.ctx.db.pool,
        user["id"],
        auth_service.hash_secret(token),
        device_type=_device_type(agent),
        device_os=_device_os(agent),
        app_version=call.request.headers.get("x-immich-app-version"),
    )
    meta = await users.get_metadata(call.ctx.db.pool, user["id"])
    answer = LoginResponseDto(
        accessToken=token,
        isAdmin=user["isAdmin"],
        isOnboarded=bool((meta.get("onboarding") or {}).get("isOnboarded", False)),
        name=user["name"],
        profileImagePath=user["profileImagePath"],
        shouldChangePassword=user["shouldChangePassword"],
        userEmail=user["email"],
        userId=str(user["id"]),
    )
    response = json_response(answer, 201)
    auth_service.set_login_cookies(response, token, call.request.url.scheme == "https")
    return response


def _device_os(agent: str) -> str:
    for needle, name in (
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iOS"),
        ("Mac OS", "macOS"),
        ("Windows", "Windows"),
        ("Linux", "Linux"),
    ):
        if needle in agent:
            return name
    return ""


def _device_type(agent: str) -> str:
    for needle, name in (
        ("Firefox", "Firefox"),
        ("Edg/", "Edge"),
        ("Chrome", "Chrome"),
        ("Safari", "Safari"),
        ("Immich", "Mobile"),
    ):
        if needle in agent:
            return name
    return agent.split("/")[0][:64] if agent else ""


@router.route("POST", "/auth/logout", operation_id="logout", tag=TAG, response=LogoutResponseDto)
async def logout(call: Call) -> Response:
    """Logout"""
    assert call.auth is not None
    if call.auth.session_id is not None:
        await sessions.delete(call.ctx.db.pool, call.auth.session_id)
    response = json_response(LogoutResponseDto(redirectUri="/auth/login", successful=True))
    auth_service.clear_login_cookies(response)
    return response


@router.route(
    "POST",
    "/auth/change-password",
    operation_id="changePassword",
    tag=TAG,
    body=ChangePasswordDto,
    response=UserAdminResponseDto,
    permission="auth.changePassword",
)
async def change_password(call: Call) -> UserAdminResponseDto:
    """Change password"""
    dto: ChangePasswordDto = call.body
    pool: asyncpg.Pool = call.ctx.db.pool
    user = await users.get(pool, call.user["id"])
    if user is None or not await auth_service.check_password(dto.password, user["password"]):
        raise BadRequest("Wrong password")
    row = await users.update(
        pool,
        user["id"],
        {
            "password": await auth_service.hash_password(dto.newPassword),
            "shouldChangePassword": False,
        },
    )
    if dto.invalidateSessions:
        assert call.auth is not None
        await sessions.delete_for_user(pool, user["id"], except_id=call.auth.session_id)
    assert row is not None
    return to_user_admin(row)


@router.route(
    "POST",
    "/auth/validateToken",
    operation_id="validateAccessToken",
    tag=TAG,
    response=ValidateAccessTokenResponseDto,
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
        session = await sessions.get(call.ctx.db.pool, call.auth.session_id)
        if session is not None:
            expires_at, pin_expires_at = session["expiresAt"], session["pinExpiresAt"]
    return AuthStatusResponseDto(
        isElevated=access.is_elevated(call.auth),
        password=bool(user["password"]),
        pinCode=bool(user["pinCode"]),
        expiresAt=expires_at or UNSET,
        pinExpiresAt=pin_expires_at or UNSET,
    )
