-- Timeline months read from indexes only (GET /api/timeline/bucket over a large month).
--
-- A month's assets are spread over the whole "asset" heap (uploads, imports and edits interleave
-- months), so answering a month of 50k assets used to visit ~35k heap pages of the wide asset rows
-- and ~50k rows of "asset_exif". These covering indexes hold every column the timeline filters,
-- sorts and answers, in month order, so the same answer is an index-only scan of a few
-- thousand contiguous pages (the visibility map is kept current by autovacuum).

-- An owner's assets by local date (replaces "asset_ownerId_localDateTime_idx": same keys, so it
-- serves every query that one did) with the timeline's columns alongside.
CREATE INDEX "asset_ownerId_localDateTime_timeline_idx"
    ON "asset" ("ownerId", "localDateTime" DESC)
    INCLUDE ("visibility", "deletedAt", "status", "isFavorite", "stackId", "id", "type",
             "fileCreatedAt", "createdAt", "originalFileName", "width", "height", "thumbhash",
             "duration", "livePhotoVideoId");
DROP INDEX "asset_ownerId_localDateTime_idx";

-- The EXIF fields a timeline month answers (place and projection), looked up by asset.
CREATE INDEX "asset_exif_assetId_timeline_idx"
    ON "asset_exif" ("assetId")
    INCLUDE ("projectionType", "city", "country", "latitude", "longitude");

-- Stack sizes of the stacks shown in a month (withStacked=true): stacked assets only.
CREATE INDEX "asset_stackId_timeline_idx"
    ON "asset" ("stackId") INCLUDE ("visibility", "deletedAt")
    WHERE "stackId" IS NOT NULL;
