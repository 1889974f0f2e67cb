-- Timeline with stacks collapsed (withStacked=true, the web app's default): the bucket counts
-- take away each month's stack members that are not their stack's primary asset. Those are
-- counted per request from this small covering index of stacked assets only (index-only scan,
-- no visit to the wide asset rows); the non-stacked majority is never read.
CREATE INDEX "asset_stacked_owner_localDateTime_idx"
    ON "asset" ("ownerId", "localDateTime")
    INCLUDE ("id", "visibility", "isFavorite", "deletedAt", "status")
    WHERE "stackId" IS NOT NULL;
