-- Generated files per asset, per-asset job progress, albums (minimal, Immich-shaped), stacks and
-- asset key/value metadata. Immich's table and column names.

CREATE TABLE "asset_file" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "assetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "type" varchar NOT NULL
        CHECK ("type" IN ('fullsize', 'preview', 'thumbnail', 'sidecar', 'encoded_video')),
    "path" varchar NOT NULL,
    "isEdited" boolean NOT NULL DEFAULT false,
    "isProgressive" boolean NOT NULL DEFAULT false,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid()
);
CREATE UNIQUE INDEX "asset_file_assetId_type_isEdited_uq"
    ON "asset_file" ("assetId", "type", "isEdited");

-- When each step last succeeded for an asset ("missing" = NULL here); a failure is recorded with
-- its reason so a bad file is not retried forever by "missing" runs.
CREATE TABLE "asset_job_status" (
    "assetId" uuid PRIMARY KEY REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "metadataExtractedAt" timestamptz,
    "thumbnailAt" timestamptz,
    "videoConvertedAt" timestamptz,
    "facesRecognizedAt" timestamptz,
    "duplicatesDetectedAt" timestamptz,
    "ocrAt" timestamptz,
    "failures" jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE TABLE "stack" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "ownerId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "primaryAssetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid()
);
CREATE UNIQUE INDEX "stack_primaryAssetId_uq" ON "stack" ("primaryAssetId");
ALTER TABLE "asset" ADD CONSTRAINT "asset_stackId_fkey"
    FOREIGN KEY ("stackId") REFERENCES "stack" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "asset_metadata" (
    "assetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "key" varchar NOT NULL,
    "value" jsonb NOT NULL,
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid(),
    PRIMARY KEY ("assetId", "key")
);

CREATE TABLE "album" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "ownerId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "albumName" varchar NOT NULL DEFAULT 'Untitled Album',
    "description" text NOT NULL DEFAULT '',
    "albumThumbnailAssetId" uuid REFERENCES "asset" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    "isActivityEnabled" boolean NOT NULL DEFAULT true,
    "order" varchar NOT NULL DEFAULT 'desc' CHECK ("order" IN ('asc', 'desc')),
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid()
);
CREATE INDEX "album_ownerId_idx" ON "album" ("ownerId");

CREATE TABLE "album_asset" (
    "albumId" uuid NOT NULL REFERENCES "album" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "assetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid(),
    PRIMARY KEY ("albumId", "assetId")
);
CREATE INDEX "album_asset_assetId_idx" ON "album_asset" ("assetId");

CREATE TABLE "album_user" (
    "albumId" uuid NOT NULL REFERENCES "album" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "userId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "role" varchar NOT NULL DEFAULT 'editor' CHECK ("role" IN ('editor', 'viewer')),
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid(),
    PRIMARY KEY ("albumId", "userId")
);
CREATE INDEX "album_user_userId_idx" ON "album_user" ("userId");
