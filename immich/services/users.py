"""User rules (as Immich's user and user-admin services): create, update, soft delete, restore.

Callers pass the fields a client sent as a mapping (``dump`` of a DTO: left-out fields absent,
explicit nulls kept); answers are ``user`` rows. No HTTP and no SQL here: the repositories own it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Any

import asyncpg

from immich.db.repos import Conn, Row, users
from immich.errors import BadRequest, Forbidden
from immich.services import auth as auth_service
from immich.services import license as license_service

USER_NOT_FOUND = "User not found"
USER_EXISTS = "User exists"
EMAIL_IN_USE = "Email is not available"  # Immich logs "Email already in use by another account"
STORAGE_LABEL_IN_USE = "Storage label already in use by another account"
LICENSE_KEY = "license"
ONBOARDING_KEY = "onboarding"

_ILLEGAL = re.compile(r'[/?<>\\:*|"\x00-\x1f\x80-\x9f]')
_RESERVED = re.compile(r"^\.+$")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_WINDOWS_TRAILING = re.compile(r"[. ]+$")


def sanitize_storage_label(label: str | None) -> str | None:
    """Immich's storage label rule: no dots, a safe file name (npm sanitize-filename); '' -> None."""
    if label is None:
        return None
    cleaned = label.replace(".", "")
    for pattern in (_ILLEGAL, _RESERVED, _WINDOWS_RESERVED, _WINDOWS_TRAILING):
        cleaned = pattern.sub("", cleaned)
    cleaned = cleaned.encode()[:255].decode(errors="ignore")
    return cleaned or None


async def find_or_fail(db: Conn, user_id: uuid.UUID | str, *, with_deleted: bool = False) -> Row:
    user = await users.get(db, user_id, with_deleted=with_deleted)
    if user is None:
        raise BadRequest(USER_NOT_FOUND)
    return user


async def license_of(db: Conn, user_id: uuid.UUID | str) -> dict[str, Any] | None:
    """The user's stored license (``user_metadata`` key "license"), if any."""
    value = (await users.get_metadata(db, user_id)).get(LICENSE_KEY)
    return value if isinstance(value, dict) else None


async def _check_unique(
    db: Conn, user_id: uuid.UUID | None, email: str | None, storage_label: str | None
) -> None:
    if email:
        other = await users.get_by_email(db, email, with_deleted=True)
        if other is not None and other["id"] != user_id:
            raise BadRequest(USER_EXISTS if user_id is None else EMAIL_IN_USE)
    if storage_label:
        other = await users.get_by_storage_label(db, storage_label)
        if other is not None and other["id"] != user_id:
            raise BadRequest(STORAGE_LABEL_IN_USE)


def _unique_violation(error: asyncpg.UniqueViolationError, creating: bool) -> BadRequest:
    if "storageLabel" in (error.constraint_name or ""):
        return BadRequest(STORAGE_LABEL_IN_USE)
    return BadRequest(USER_EXISTS if creating else EMAIL_IN_USE)


async def create(db: Conn, fields: Mapping[str, Any], *, oauth_enabled: bool = False) -> Row:
    """Admin creates a user (``UserAdminCreateDto``): unique email and storage label."""
    values = {k: v for k, v in fields.items() if k != "notify"}
    if not oauth_enabled and not values.get("password"):
        raise BadRequest("password is required")
    values["email"] = str(values["email"]).lower()
    if "storageLabel" in values:
        values["storageLabel"] = sanitize_storage_label(values["storageLabel"])
    await _check_unique(db, None, values["email"], values.get("storageLabel"))
    if values.get("password"):
        values["password"] = await auth_service.hash_password(values["password"])
    if values.get("pinCode"):
        values["pinCode"] = await auth_service.hash_password(values["pinCode"])
    try:
        return await users.create(db, values)
    except asyncpg.UniqueViolationError as error:
        raise _unique_violation(error, creating=True) from None


async def update_me(db: Conn, user_id: uuid.UUID, fields: Mapping[str, Any]) -> Row:
    """The caller edits their own account (``UserUpdateMeDto``)."""
    values: dict[str, Any] = {}
    if fields.get("email"):
        values["email"] = str(fields["email"]).lower()
        await _check_unique(db, user_id, values["email"], None)
    if "name" in fields:
        values["name"] = fields["name"]
    if "avatarColor" in fields:
        values["avatarColor"] = fields["avatarColor"]
    if fields.get("password"):
        values["password"] = await auth_service.hash_password(fields["password"])
        values["shouldChangePassword"] = False
    return await _update(db, user_id, values, creating=False)


async def admin_update(
    db: Conn, caller: Row, user_id: uuid.UUID | str, fields: Mapping[str, Any]
) -> Row:
    """An admin edits a (not deleted) user (``UserAdminUpdateDto``)."""
    user = await find_or_fail(db, user_id)
    values = dict(fields)
    if (
        "isAdmin" in values
        and values["isAdmin"] != caller["isAdmin"]
        and caller["id"] == user["id"]
    ):
        raise BadRequest("Admin status can only be changed by another admin")
    if values.get("email"):
        values["email"] = str(values["email"]).lower()
    elif "email" in values:
        del values["email"]
    if "storageLabel" in values:
        values["storageLabel"] = sanitize_storage_label(values["storageLabel"])
    await _check_unique(db, user["id"], values.get("email"), values.get("storageLabel"))
    if values.get("password"):
        values["password"] = await auth_service.hash_password(values["password"])
    elif "password" in values:
        del values["password"]
    if values.get("pinCode"):
        values["pinCode"] = await auth_service.hash_password(values["pinCode"])
    return await _update(db, user["id"], values, creating=False)


async def _update(db: Conn, user_id: uuid.UUID, values: Mapping[str, Any], creating: bool) -> Row:
    try:
        row = await users.update(db, user_id, values)
    except asyncpg.UniqueViolationError as error:
        raise _unique_violation(error, creating) from None
    if row is None:
        raise BadRequest(USER_NOT_FOUND)
    return row


async def soft_delete(db: Conn, caller: Row, user_id: uuid.UUID | str, *, force: bool) -> Row:
    """Trash a user: status "deleted" (or "removing" with force) and ``deletedAt`` now.

    Their sessions and API keys stop working at once (auth ignores deleted users). The nightly
    user cleanup removes them for good after ``user.deleteDelay`` days, or at its next run when
    forced ("removing"); until then an admin can restore them.
    """
    user = await find_or_fail(db, user_id)
    if caller["id"] == user["id"]:
        raise Forbidden("Cannot delete your own account")
    status = "removing" if force else "deleted"
    return await _update(
        db, user["id"], {"status": status, "deletedAt": dt.datetime.now(dt.UTC)}, creating=False
    )


async def restore(db: Conn, user_id: uuid.UUID | str) -> Row:
    user = await find_or_fail(db, user_id, with_deleted=True)
    row = await users.restore(db, user["id"])
    if row is None:
        raise BadRequest(USER_NOT_FOUND)
    return row


async def search(db: Conn, caller: Row, *, public_users: bool) -> list[Row]:
    """Users the caller may see: everyone (admins, or ``server.publicUsers``), else themselves."""
    if caller["isAdmin"] or public_users:
        return await users.list_users(db, newest_first=True)
    me = await users.get(db, caller["id"])
    return [me] if me is not None else []


def asset_stats(counts: Mapping[str, int]) -> dict[str, int]:
    """Immich's ``mapStats``: images, videos, and the total of every type."""
    return {
        "images": counts.get("IMAGE", 0),
        "videos": counts.get("VIDEO", 0),
        "total": sum(counts.values()),
    }


# --- license and onboarding (user_metadata) --------------------------------------------------


async def set_license(db: Conn, user_id: uuid.UUID, license_key: str, activation_key: str) -> Any:
    """Store the caller's product key once its activation key's signature checks out."""
    if not license_service.is_valid_user_license(license_key, activation_key):
        raise BadRequest("Invalid license key")
    value = license_service.activation(license_key, activation_key)
    await users.set_metadata(db, user_id, LICENSE_KEY, value)
    return value


async def get_onboarding(db: Conn, user_id: uuid.UUID) -> bool:
    value = (await users.get_metadata(db, user_id)).get(ONBOARDING_KEY)
    return bool(isinstance(value, dict) and value.get("isOnboarded"))


async def set_onboarding(db: Conn, user_id: uuid.UUID, is_onboarded: bool) -> bool:
    await users.set_metadata(db, user_id, ONBOARDING_KEY, {"isOnboarded": is_onboarded})
    return is_onboarded
