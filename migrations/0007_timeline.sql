-- Timeline at scale (GET /api/timeline/buckets and /bucket over a million assets).
--
-- "asset_timeline_month" counts each owner's assets per month of "localDateTime" (Immich's
-- buckets) and per filter value (visibility, favourite, trashed, deleted). Statement-level
-- triggers on "asset" keep it exact: the buckets endpoint sums a few hundred rows instead of
-- counting every asset row on each timeline load. A statement's changes are applied as one
-- upsert in key order, so concurrent writers take the counter rows in the same order. Filters
-- the table does not cover (album, place, date added) count "asset" rows instead.

CREATE TABLE "asset_timeline_month" (
    "ownerId" uuid NOT NULL,
    "month" timestamptz NOT NULL,
    "visibility" varchar NOT NULL,
    "isFavorite" boolean NOT NULL,
    "isTrashed" boolean NOT NULL,
    "isDeleted" boolean NOT NULL,
    "count" bigint NOT NULL,
    PRIMARY KEY ("ownerId", "month", "visibility", "isFavorite", "isTrashed", "isDeleted")
);

CREATE FUNCTION "asset_timeline_month_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM "asset_timeline_month";
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO "asset_timeline_month" AS t
        SELECT "ownerId", date_trunc('MONTH', "localDateTime" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
               "visibility", "isFavorite", "deletedAt" IS NOT NULL, "status" = 'deleted', count(*)
        FROM new_rows
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ("ownerId", "month", "visibility", "isFavorite", "isTrashed", "isDeleted")
        DO UPDATE SET "count" = t."count" + EXCLUDED."count";
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO "asset_timeline_month" AS t
        SELECT "ownerId", date_trunc('MONTH', "localDateTime" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
               "visibility", "isFavorite", "deletedAt" IS NOT NULL, "status" = 'deleted', -count(*)
        FROM old_rows
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ("ownerId", "month", "visibility", "isFavorite", "isTrashed", "isDeleted")
        DO UPDATE SET "count" = t."count" + EXCLUDED."count";
    ELSE
        INSERT INTO "asset_timeline_month" AS t
        SELECT "ownerId", date_trunc('MONTH', "localDateTime" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
               "visibility", "isFavorite", "deletedAt" IS NOT NULL, "status" = 'deleted', sum(n)
        FROM (
            SELECT "ownerId", "localDateTime", "visibility", "isFavorite", "deletedAt", "status", 1 AS n
            FROM new_rows
            UNION ALL
            SELECT "ownerId", "localDateTime", "visibility", "isFavorite", "deletedAt", "status", -1
            FROM old_rows
        ) AS changes
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ("ownerId", "month", "visibility", "isFavorite", "isTrashed", "isDeleted")
        DO UPDATE SET "count" = t."count" + EXCLUDED."count";
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "asset_timeline_month_insert" AFTER INSERT ON "asset"
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "asset_timeline_month_sync"();
CREATE TRIGGER "asset_timeline_month_update" AFTER UPDATE ON "asset"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "asset_timeline_month_sync"();
CREATE TRIGGER "asset_timeline_month_delete" AFTER DELETE ON "asset"
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "asset_timeline_month_sync"();
CREATE TRIGGER "asset_timeline_month_truncate" AFTER TRUNCATE ON "asset"
    FOR EACH STATEMENT EXECUTE FUNCTION "asset_timeline_month_sync"();

-- Assets that exist before this migration.
INSERT INTO "asset_timeline_month"
SELECT "ownerId", date_trunc('MONTH', "localDateTime" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       "visibility", "isFavorite", "deletedAt" IS NOT NULL, "status" = 'deleted', count(*)
FROM "asset"
GROUP BY 1, 2, 3, 4, 5, 6;

-- Trash: an owner's trashed assets (trash view, restore, empty) and the nightly purge of those
-- trashed before a date.
CREATE INDEX "asset_deletedAt_ownerId_idx" ON "asset" ("deletedAt", "ownerId")
    WHERE "deletedAt" IS NOT NULL;
-- Stacks: an owner's stacks (GET /api/stacks, the withStacked bucket counts).
CREATE INDEX "stack_ownerId_idx" ON "stack" ("ownerId");
