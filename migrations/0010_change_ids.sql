-- Change ids for sync (Immich's design): Immich's phone app syncs by checkpoints on "updateId",
-- a time-ordered UUIDv7 that the database sets on every INSERT and UPDATE, and learns of deletes
-- from "*_audit" tables that AFTER DELETE triggers fill. Sync reads rows with
-- checkpoint < "updateId" < immich_uuid_v7(now() - 1 ms), comparing uuids bytewise.
--
-- Existing rows get v7 ids made from their own "updatedAt" (their order is kept): a random v4
-- id sorts above the sync's upper bound in 99% of cases (its first byte is random; a v7's is
-- 0x01 until 2039), so such a row would not reach a phone until it next changed.

-- A UUIDv7 (RFC 9562) for an instant: 48 bits of Unix milliseconds, the version 7, then 12 bits
-- of the sub-millisecond fraction (RFC 9562 section 6.2, method 3: ids made microseconds apart
-- are ordered, not only those a millisecond apart), then the variant and 62 random bits.
-- PostgreSQL 18 has uuidv7(), but external servers may be 14 to 17; Immich's name and signature.
CREATE FUNCTION "immich_uuid_v7"(p_timestamp timestamptz DEFAULT clock_timestamp())
RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT (lpad(to_hex(us / 1000), 12, '0')
            || '7' || lpad(to_hex((us % 1000) * 4096 / 1000), 3, '0')
            -- gen_random_uuid()'s last 16 hex digits: the RFC variant bits and 62 random bits
            || right(replace(gen_random_uuid()::text, '-', ''), 16))::uuid
    FROM (SELECT greatest(floor(extract(epoch FROM p_timestamp) * 1000000), 0)::bigint AS us) t
$$;

-- BEFORE UPDATE, every row: a new change id and "updatedAt" at the moment of the change (Immich's
-- "updated_at" trigger function). Repositories no longer set either.
CREATE FUNCTION "updated_at"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stamp timestamptz := clock_timestamp();
BEGIN
    NEW."updatedAt" := stamp;
    NEW."updateId" := immich_uuid_v7(stamp);
    RETURN NEW;
END
$$;

-- BEFORE INSERT, every row: the change id is the database's even when the client sent one
-- (beyond Immich, whose ORM leaves the column to its default; piccolo sends every column,
-- and its uuid default is a v4 made in Python).
CREATE FUNCTION "update_id_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."updateId" := immich_uuid_v7(clock_timestamp());
    RETURN NEW;
END
$$;

-- Immich's columns that our tables lacked: "user_metadata" changes sync too, and
-- "album_user"."createId" orders the albums shared with a user since a checkpoint.
ALTER TABLE "user_metadata"
    ADD COLUMN "updateId" uuid NOT NULL DEFAULT immich_uuid_v7(),
    ADD COLUMN "updatedAt" timestamptz NOT NULL DEFAULT now();
ALTER TABLE "album_user" ADD COLUMN "createId" uuid NOT NULL DEFAULT immich_uuid_v7();
UPDATE "album_user" SET "createId" = immich_uuid_v7(least("createdAt", clock_timestamp()));

-- Existing ids to v7 (before the triggers exist, which would stamp now instead). The timeline
-- counters cannot change when only "updateId" does, so their trigger sits this one out.
ALTER TABLE "asset" DISABLE TRIGGER "asset_timeline_month_update";
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['user', 'session', 'api_key', 'asset', 'asset_exif', 'asset_file',
                             'asset_metadata', 'stack', 'album', 'album_asset', 'album_user']
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN "updateId" SET DEFAULT immich_uuid_v7()', t);
        EXECUTE format('UPDATE %I SET "updateId" = '
                       'immich_uuid_v7(least("updatedAt", clock_timestamp()))', t);
    END LOOP;
END
$$;
ALTER TABLE "asset" ENABLE TRIGGER "asset_timeline_month_update";

-- The triggers, with Immich's trigger names.
DO $$
DECLARE
    t text;
    update_trigger text;
BEGIN
    FOREACH t IN ARRAY ARRAY['user', 'session', 'api_key', 'asset', 'asset_exif', 'asset_file',
                             'asset_metadata', 'user_metadata', 'stack', 'album', 'album_asset',
                             'album_user']
    LOOP
        update_trigger := CASE WHEN t IN ('asset_metadata', 'user_metadata')
                               THEN t || '_updated_at' ELSE t || '_updatedAt' END;
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION "updated_at"()', update_trigger, t);
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION "update_id_on_insert"()',
                       t || '_updateId_insert', t);
    END LOOP;
END
$$;

CREATE FUNCTION "album_user_create_id_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."createId" := immich_uuid_v7(clock_timestamp());
    RETURN NEW;
END
$$;
CREATE TRIGGER "album_user_createId_insert" BEFORE INSERT ON "album_user"
    FOR EACH ROW EXECUTE FUNCTION "album_user_create_id_on_insert"();

-- A user added to an album gets the album as a change (Immich's "album_user_after_insert"; our
-- album owner is "album"."ownerId", never an "album_user" row, so every insert counts).
CREATE FUNCTION "album_user_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "album" SET "updatedAt" = clock_timestamp()
    WHERE "id" IN (SELECT "albumId" FROM inserted_rows);
    RETURN NULL;
END
$$;
CREATE TRIGGER "album_user_after_insert" AFTER INSERT ON "album_user"
    REFERENCING NEW TABLE AS inserted_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "album_user_after_insert"();

-- Sync reads each table by "updateId" (Immich's indexes; "asset" and "asset_exif" have theirs).
CREATE INDEX "user_updateId_idx" ON "user" ("updateId");
CREATE INDEX "session_updateId_idx" ON "session" ("updateId");
CREATE INDEX "api_key_updateId_idx" ON "api_key" ("updateId");
CREATE INDEX "asset_file_updateId_idx" ON "asset_file" ("updateId");
CREATE INDEX "asset_metadata_updateId_idx" ON "asset_metadata" ("updateId");
CREATE INDEX "asset_metadata_updatedAt_idx" ON "asset_metadata" ("updatedAt");
CREATE INDEX "IDX_user_metadata_update_id" ON "user_metadata" ("updateId");
CREATE INDEX "IDX_user_metadata_updated_at" ON "user_metadata" ("updatedAt");
CREATE INDEX "album_updateId_idx" ON "album" ("updateId");
CREATE INDEX "album_asset_updateId_idx" ON "album_asset" ("updateId");
CREATE INDEX "album_user_updateId_idx" ON "album_user" ("updateId");
CREATE INDEX "album_user_createId_idx" ON "album_user" ("createId");

-- Deletes, recorded for sync (Immich's tables and columns). Each id is a v7 (the checkpoint);
-- "deletedAt" lets a nightly duty drop old rows.
CREATE TABLE "user_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "userId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "user_audit_deletedAt_idx" ON "user_audit" ("deletedAt");

CREATE TABLE "user_metadata_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "userId" uuid NOT NULL,
    "key" varchar NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "IDX_user_metadata_audit_user_id" ON "user_metadata_audit" ("userId");
CREATE INDEX "IDX_user_metadata_audit_key" ON "user_metadata_audit" ("key");
CREATE INDEX "IDX_user_metadata_audit_deleted_at" ON "user_metadata_audit" ("deletedAt");

CREATE TABLE "asset_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "assetId" uuid NOT NULL,
    "ownerId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "asset_audit_assetId_idx" ON "asset_audit" ("assetId");
CREATE INDEX "asset_audit_ownerId_idx" ON "asset_audit" ("ownerId");
CREATE INDEX "asset_audit_deletedAt_idx" ON "asset_audit" ("deletedAt");

CREATE TABLE "asset_metadata_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "assetId" uuid NOT NULL,
    "key" varchar NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "asset_metadata_audit_assetId_idx" ON "asset_metadata_audit" ("assetId");
CREATE INDEX "asset_metadata_audit_key_idx" ON "asset_metadata_audit" ("key");
CREATE INDEX "asset_metadata_audit_deletedAt_idx" ON "asset_metadata_audit" ("deletedAt");

CREATE TABLE "stack_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "stackId" uuid NOT NULL,
    "userId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "stack_audit_deletedAt_idx" ON "stack_audit" ("deletedAt");

CREATE TABLE "album_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "albumId" uuid NOT NULL,
    "userId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "album_audit_albumId_idx" ON "album_audit" ("albumId");
CREATE INDEX "album_audit_userId_idx" ON "album_audit" ("userId");
CREATE INDEX "album_audit_deletedAt_idx" ON "album_audit" ("deletedAt");

CREATE TABLE "album_asset_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "albumId" uuid NOT NULL REFERENCES "album" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "assetId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "album_asset_audit_albumId_idx" ON "album_asset_audit" ("albumId");
CREATE INDEX "album_asset_audit_assetId_idx" ON "album_asset_audit" ("assetId");
CREATE INDEX "album_asset_audit_deletedAt_idx" ON "album_asset_audit" ("deletedAt");

CREATE TABLE "album_user_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "albumId" uuid NOT NULL,
    "userId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "album_user_audit_albumId_idx" ON "album_user_audit" ("albumId");
CREATE INDEX "album_user_audit_userId_idx" ON "album_user_audit" ("userId");
CREATE INDEX "album_user_audit_deletedAt_idx" ON "album_user_audit" ("deletedAt");

-- The delete triggers (statement level, Immich's conditions). pg_trigger_depth() = 0: only a
-- DELETE a query ran itself; a delete cascaded from a deleted parent is covered by the parent's
-- own audit row (a deleted user's assets, stacks and metadata go with "user_audit").
CREATE FUNCTION "user_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "user_audit" ("userId") SELECT "id" FROM old;
    RETURN NULL;
END
$$;
CREATE TRIGGER "user_delete_audit" AFTER DELETE ON "user"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION "user_delete_audit"();

CREATE FUNCTION "user_metadata_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "user_metadata_audit" ("userId", "key") SELECT "userId", "key" FROM old;
    RETURN NULL;
END
$$;
CREATE TRIGGER "user_metadata_audit" AFTER DELETE ON "user_metadata"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION "user_metadata_audit"();

CREATE FUNCTION "asset_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "asset_audit" ("assetId", "ownerId") SELECT "id", "ownerId" FROM old;
    RETURN NULL;
END
$$;
CREATE TRIGGER "asset_delete_audit" AFTER DELETE ON "asset"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION "asset_delete_audit"();

CREATE FUNCTION "asset_metadata_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "asset_metadata_audit" ("assetId", "key") SELECT "assetId", "key" FROM old;
    RETURN NULL;
END
$$;
CREATE TRIGGER "asset_metadata_audit" AFTER DELETE ON "asset_metadata"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION "asset_metadata_audit"();

-- Our "stack"."primaryAssetId" cascades (Immich's refuses the asset's delete), so a stack also
-- goes when a query deletes its primary asset (depth 1): recorded too, unless its owner is gone
-- in the same statement (a deleted user: "user_audit" covers it).
CREATE FUNCTION "stack_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "stack_audit" ("stackId", "userId")
    SELECT o."id", o."ownerId" FROM old o WHERE EXISTS (SELECT FROM "user" u WHERE u."id" = o."ownerId");
    RETURN NULL;
END
$$;
CREATE TRIGGER "stack_delete_audit" AFTER DELETE ON "stack"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() <= 1) EXECUTE FUNCTION "stack_delete_audit"();

-- A deleted album: a row for its owner here, and one per member from "album_user"'s trigger as
-- the delete cascades (Immich 3.1 keeps the owner in "album_user"; we keep "album"."ownerId").
CREATE FUNCTION "album_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "album_audit" ("albumId", "userId") SELECT "id", "ownerId" FROM old;
    RETURN NULL;
END
$$;
CREATE TRIGGER "album_delete_audit" AFTER DELETE ON "album"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION "album_delete_audit"();

-- An asset out of an album (removed, or the asset deleted): recorded while the album exists; a
-- deleted album's assets go with its "album_audit" rows.
CREATE FUNCTION "album_asset_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "album_asset_audit" ("albumId", "assetId")
    SELECT o."albumId", o."assetId" FROM old o
    WHERE EXISTS (SELECT FROM "album" a WHERE a."id" = o."albumId");
    RETURN NULL;
END
$$;
CREATE TRIGGER "album_asset_delete_audit" AFTER DELETE ON "album_asset"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() <= 1) EXECUTE FUNCTION "album_asset_delete_audit"();

-- A member out of an album: the album is gone for them ("album_audit"), and, while the album
-- exists, the membership is gone for everyone else ("album_user_audit"; a deleted album's members
-- go with its "album_audit" rows). Immich tells these apart by pg_trigger_depth() inside the
-- function, but there a foreign key's cascade reads 1 just as a query's own DELETE does (only the
-- WHEN clause is checked inside the cascade), so the album's existence is what we check.
CREATE FUNCTION "album_user_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "album_audit" ("albumId", "userId") SELECT "albumId", "userId" FROM old;
    INSERT INTO "album_user_audit" ("albumId", "userId")
    SELECT o."albumId", o."userId" FROM old o
    WHERE EXISTS (SELECT FROM "album" a WHERE a."id" = o."albumId");
    RETURN NULL;
END
$$;
CREATE TRIGGER "album_user_delete_audit" AFTER DELETE ON "album_user"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() <= 1) EXECUTE FUNCTION "album_user_delete_audit"();
