"""PIN code rules (Immich's AuthService PIN methods): set up, change, reset, unlock, lock.

The PIN (6 digits) is kept bcrypt-hashed in ``user."pinCode"``. Changing or resetting it needs
the current PIN or the account password; a reset also locks every session of the user.
Unlocking a session (PIN only, as Immich) elevates it for 15 minutes: locked assets become
usable (see ``immich.services.access``); locking drops that at once. Both need a session: an
API key can never be elevated.
"""

from __future__ import annotations

import datetime as dt

from immich.db.repos import Conn, Row, sessions, users
from immich.errors import BadRequest, Unauthorized
from immich.services import auth as auth_service
from immich.services.auth import AuthContext

UNLOCK_FOR = dt.timedelta(minutes=15)
SESSION_ONLY = "This endpoint can only be used with a session token"


async def _user(db: Conn, auth: AuthContext) -> Row:
    user = await users.get(db, auth.user_id)
    if user is None:
        raise Unauthorized("Unauthorized")
    return user


async def _check(user: Row, pin_code: str | None, password: str | None) -> None:
    """Immich's validatePinCode: the password when given, else the PIN."""
    if not user["pinCode"]:
        raise BadRequest("User does not have a PIN code")
    if password:
        if not await auth_service.check_password(password, user["password"] or ""):
            raise BadRequest("Wrong password")
    elif pin_code:
        if not await auth_service.check_password(pin_code, user["pinCode"]):
            raise BadRequest("Wrong PIN code")
    else:
        raise BadRequest("Either password or pinCode is required")


async def setup(db: Conn, auth: AuthContext, pin_code: str) -> None:
    user = await _user(db, auth)
    if user["pinCode"]:
        raise BadRequest("User already has a PIN code")
    await users.update(db, user["id"], {"pinCode": await auth_service.hash_password(pin_code)})


async def change(
    db: Conn, auth: AuthContext, new_pin_code: str, pin_code: str | None, password: str | None
) -> None:
    user = await _user(db, auth)
    await _check(user, pin_code, password)
    await users.update(db, user["id"], {"pinCode": await auth_service.hash_password(new_pin_code)})


async def reset(db: Conn, auth: AuthContext, pin_code: str | None, password: str | None) -> None:
    user = await _user(db, auth)
    await _check(user, pin_code, password)
    await users.update(db, user["id"], {"pinCode": None})
    await sessions.lock_all(db, user["id"])


async def unlock(db: Conn, auth: AuthContext, pin_code: str | None) -> None:
    if auth.session_id is None:
        raise BadRequest(SESSION_ONLY)
    user = await _user(db, auth)
    await _check(user, pin_code, None)
    until = dt.datetime.now(dt.UTC) + UNLOCK_FOR
    await sessions.update(db, auth.session_id, {"pinExpiresAt": until})


async def lock(db: Conn, auth: AuthContext) -> None:
    if auth.session_id is None:
        raise BadRequest(SESSION_ONLY)
    await sessions.update(db, auth.session_id, {"pinExpiresAt": None})
