"""Users and what hangs off them: metadata, login sessions, API keys (migration 0001)."""

from __future__ import annotations

import warnings

from piccolo.columns import JSONB, UUID, Array, BigInt, Boolean, Bytea, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE

# piccolo warns that "user" is an SQL keyword; it is Immich's table name, always quoted.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)

    class User(Table, tablename="user", db=ENGINE):
        """An account (Immich's ``user``)."""

        id = UUID(primary_key=True)
        email = Varchar(length=None)
        password = Varchar(length=None)
        name = Varchar(length=None)
        is_admin = Boolean(db_column_name="isAdmin", default=False)
        avatar_color = Varchar(length=None, db_column_name="avatarColor", null=True, default=None)
        profile_image_path = Varchar(length=None, db_column_name="profileImagePath")
        profile_changed_at = Timestamptz(
            db_column_name="profileChangedAt", default=TimestamptzNow()
        )
        should_change_password = Boolean(db_column_name="shouldChangePassword", default=True)
        storage_label = Varchar(length=None, db_column_name="storageLabel", null=True, default=None)
        oauth_id = Varchar(length=None, db_column_name="oauthId")
        pin_code = Varchar(length=None, db_column_name="pinCode", null=True, default=None)
        quota_size_in_bytes = BigInt(db_column_name="quotaSizeInBytes", null=True, default=None)
        quota_usage_in_bytes = BigInt(db_column_name="quotaUsageInBytes", default=0)
        status = Varchar(length=None, default="active")
        created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
        updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
        deleted_at = Timestamptz(db_column_name="deletedAt", null=True, default=None)
        update_id = UUID(db_column_name="updateId")


class UserMetadata(Table, tablename="user_metadata", db=ENGINE):
    """Per-user key/value settings (preferences, license, onboarding).

    Primary key ("userId", "key"); piccolo knows only its first column as the key."""

    user_id = UUID(db_column_name="userId", primary_key=True)
    key = Varchar(length=None)
    value = JSONB()
    update_id = UUID(db_column_name="updateId")
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())


class Session(Table, tablename="session", db=ENGINE):
    """A login: the hashed token, the device it came from, its PIN unlock time."""

    id = UUID(primary_key=True)
    token = Bytea()
    user_id = UUID(db_column_name="userId")
    parent_id = UUID(db_column_name="parentId", null=True, default=None)
    device_type = Varchar(length=None, db_column_name="deviceType")
    device_os = Varchar(length=None, db_column_name="deviceOS")
    app_version = Varchar(length=None, db_column_name="appVersion", null=True, default=None)
    is_pending_sync_reset = Boolean(db_column_name="isPendingSyncReset", default=False)
    pin_expires_at = Timestamptz(db_column_name="pinExpiresAt", null=True, default=None)
    expires_at = Timestamptz(db_column_name="expiresAt", null=True, default=None)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")


class ApiKey(Table, tablename="api_key", db=ENGINE):
    """An API key: the hashed key and the permissions it grants."""

    id = UUID(primary_key=True)
    name = Varchar(length=None)
    key = Bytea()
    user_id = UUID(db_column_name="userId")
    permissions = Array(Varchar(length=None))
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")
