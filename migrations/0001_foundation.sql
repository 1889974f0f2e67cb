-- Foundation: users, sessions, API keys, system and user metadata (Immich's table names).
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE "user" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "email" varchar NOT NULL,
    "password" varchar NOT NULL DEFAULT '',
    "name" varchar NOT NULL DEFAULT '',
    "isAdmin" boolean NOT NULL DEFAULT false,
    "avatarColor" varchar,
    "profileImagePath" varchar NOT NULL DEFAULT '',
    "profileChangedAt" timestamptz NOT NULL DEFAULT now(),
    "shouldChangePassword" boolean NOT NULL DEFAULT true,
    "storageLabel" varchar,
    "oauthId" varchar NOT NULL DEFAULT '',
    "pinCode" varchar,
    "quotaSizeInBytes" bigint,
    "quotaUsageInBytes" bigint NOT NULL DEFAULT 0,
    "status" varchar NOT NULL DEFAULT 'active',
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid()
);
CREATE UNIQUE INDEX "user_email_uq" ON "user" (lower("email"));
CREATE UNIQUE INDEX "user_storageLabel_uq" ON "user" ("storageLabel");
CREATE INDEX "user_deletedAt_idx" ON "user" ("deletedAt") WHERE "deletedAt" IS NOT NULL;

CREATE TABLE "user_metadata" (
    "userId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "key" varchar NOT NULL,
    "value" jsonb NOT NULL,
    PRIMARY KEY ("userId", "key")
);

CREATE TABLE "session" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "token" bytea NOT NULL,
    "userId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "parentId" uuid REFERENCES "session" ("id") ON DELETE CASCADE,
    "deviceType" varchar NOT NULL DEFAULT '',
    "deviceOS" varchar NOT NULL DEFAULT '',
    "appVersion" varchar,
    "isPendingSyncReset" boolean NOT NULL DEFAULT false,
    "pinExpiresAt" timestamptz,
    "expiresAt" timestamptz,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid()
);
CREATE UNIQUE INDEX "session_token_uq" ON "session" ("token");
CREATE INDEX "session_userId_idx" ON "session" ("userId");

CREATE TABLE "api_key" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "name" varchar NOT NULL,
    "key" bytea NOT NULL,
    "userId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "permissions" varchar[] NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid()
);
CREATE UNIQUE INDEX "api_key_key_uq" ON "api_key" ("key");
CREATE INDEX "api_key_userId_idx" ON "api_key" ("userId");

CREATE TABLE "system_metadata" (
    "key" varchar PRIMARY KEY,
    "value" jsonb NOT NULL
);
