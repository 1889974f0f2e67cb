-- Assets and their EXIF (Immich's "asset" and "asset_exif" tables, Immich's column names).
-- The ingest issue extends these; "libraryId" and "stackId" get their foreign keys when the
-- "library" and "stack" tables arrive.

CREATE TABLE "asset" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "deviceAssetId" varchar NOT NULL,
    "ownerId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "libraryId" uuid,
    "deviceId" varchar NOT NULL,
    "type" varchar NOT NULL CHECK ("type" IN ('IMAGE', 'VIDEO', 'AUDIO', 'OTHER')),
    "status" varchar NOT NULL DEFAULT 'active'
        CHECK ("status" IN ('active', 'trashed', 'deleted')),
    "originalPath" varchar NOT NULL,
    "originalFileName" varchar NOT NULL,
    "fileCreatedAt" timestamptz NOT NULL,
    "localDateTime" timestamptz NOT NULL,
    "fileModifiedAt" timestamptz NOT NULL,
    "isFavorite" boolean NOT NULL DEFAULT false,
    "duration" varchar,
    "encodedVideoPath" varchar DEFAULT '',
    "sidecarPath" varchar,
    "checksum" bytea NOT NULL,
    "checksumAlgorithm" varchar NOT NULL DEFAULT 'sha1'
        CHECK ("checksumAlgorithm" IN ('sha1', 'sha1-path')),
    "thumbhash" bytea,
    "livePhotoVideoId" uuid REFERENCES "asset" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    "isOffline" boolean NOT NULL DEFAULT false,
    "isExternal" boolean NOT NULL DEFAULT false,
    "stackId" uuid,
    "duplicateId" uuid,
    "visibility" varchar NOT NULL DEFAULT 'timeline'
        CHECK ("visibility" IN ('archive', 'timeline', 'hidden', 'locked')),
    "width" integer,
    "height" integer,
    "isEdited" boolean NOT NULL DEFAULT false,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid()
);
-- One upload per owner and content; library assets are unique per library.
CREATE UNIQUE INDEX "UQ_assets_owner_checksum" ON "asset" ("ownerId", "checksum")
    WHERE "libraryId" IS NULL;
CREATE UNIQUE INDEX "UQ_assets_owner_library_checksum"
    ON "asset" ("ownerId", "libraryId", "checksum") WHERE "libraryId" IS NOT NULL;
-- Timeline: an owner's assets by local date.
CREATE INDEX "asset_ownerId_localDateTime_idx" ON "asset" ("ownerId", "localDateTime" DESC);
CREATE INDEX "idx_local_date_time_month"
    ON "asset" ((date_trunc('MONTH', "localDateTime" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'));
CREATE INDEX "asset_fileCreatedAt_idx" ON "asset" ("fileCreatedAt");
CREATE INDEX "asset_checksum_idx" ON "asset" ("checksum");
CREATE INDEX "asset_originalPath_libraryId_idx" ON "asset" ("originalPath", "libraryId");
CREATE INDEX "asset_livePhotoVideoId_idx" ON "asset" ("livePhotoVideoId");
CREATE INDEX "asset_stackId_idx" ON "asset" ("stackId");
CREATE INDEX "asset_duplicateId_idx" ON "asset" ("duplicateId");
CREATE INDEX "asset_updateId_idx" ON "asset" ("updateId");
CREATE INDEX "asset_originalFileName_trigram_idx"
    ON "asset" USING gin ("originalFileName" gin_trgm_ops);

CREATE TABLE "asset_exif" (
    "assetId" uuid PRIMARY KEY REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "make" varchar,
    "model" varchar,
    "exifImageWidth" integer,
    "exifImageHeight" integer,
    "fileSizeInByte" bigint,
    "orientation" varchar,
    "dateTimeOriginal" timestamptz,
    "modifyDate" timestamptz,
    "timeZone" varchar,
    "lensModel" varchar,
    "fNumber" double precision,
    "focalLength" double precision,
    "iso" integer,
    "exposureTime" varchar,
    "latitude" double precision,
    "longitude" double precision,
    "city" varchar,
    "state" varchar,
    "country" varchar,
    "description" text NOT NULL DEFAULT '',
    "fps" double precision,
    "livePhotoCID" varchar,
    "autoStackId" varchar,
    "projectionType" varchar,
    "profileDescription" varchar,
    "colorspace" varchar,
    "bitsPerSample" integer,
    "rating" integer,
    "tags" varchar[],
    "lockedProperties" varchar[] NOT NULL DEFAULT '{}',
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT gen_random_uuid()
);
CREATE INDEX "asset_exif_city_idx" ON "asset_exif" ("city");
CREATE INDEX "asset_exif_livePhotoCID_idx" ON "asset_exif" ("livePhotoCID");
CREATE INDEX "asset_exif_autoStackId_idx" ON "asset_exif" ("autoStackId");
CREATE INDEX "asset_exif_updateId_idx" ON "asset_exif" ("updateId");
