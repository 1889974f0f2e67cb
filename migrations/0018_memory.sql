-- Memories (Immich's "memory", "memory_asset"): "on this day" collections the nightly
-- MemoryGenerate job makes (plugins/memories) and users make through /api/memories.
-- Sync reads them by "updateId" (migration 0010's rule); deletes are recorded in
-- "memory_audit" and "memory_asset_audit" by AFTER DELETE triggers, as Immich.

CREATE TABLE "memory" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    "ownerId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "type" varchar NOT NULL,
    "data" jsonb NOT NULL,
    "isSaved" boolean NOT NULL DEFAULT false,
    "memoryAt" timestamptz NOT NULL,
    "seenAt" timestamptz,
    "showAt" timestamptz,
    "hideAt" timestamptz,
    "updateId" uuid NOT NULL DEFAULT immich_uuid_v7()
);
CREATE INDEX "memory_ownerId_idx" ON "memory" ("ownerId");
CREATE INDEX "memory_updateId_idx" ON "memory" ("updateId");
CREATE TRIGGER "memory_updatedAt" BEFORE UPDATE ON "memory"
    FOR EACH ROW EXECUTE FUNCTION "updated_at"();
CREATE TRIGGER "memory_updateId_insert" BEFORE INSERT ON "memory"
    FOR EACH ROW EXECUTE FUNCTION "update_id_on_insert"();

CREATE TABLE "memory_asset" (
    "memoriesId" uuid NOT NULL REFERENCES "memory" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "assetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "updateId" uuid NOT NULL DEFAULT immich_uuid_v7(),
    PRIMARY KEY ("memoriesId", "assetId")
);
-- the key serves look-ups by memory; this one by asset (the cascade from a deleted asset)
CREATE INDEX "memory_asset_assetId_idx" ON "memory_asset" ("assetId");
CREATE INDEX "memory_asset_updateId_idx" ON "memory_asset" ("updateId");
CREATE TRIGGER "memory_asset_updatedAt" BEFORE UPDATE ON "memory_asset"
    FOR EACH ROW EXECUTE FUNCTION "updated_at"();
CREATE TRIGGER "memory_asset_updateId_insert" BEFORE INSERT ON "memory_asset"
    FOR EACH ROW EXECUTE FUNCTION "update_id_on_insert"();

CREATE TABLE "memory_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "memoryId" uuid NOT NULL,
    "userId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "memory_audit_memoryId_idx" ON "memory_audit" ("memoryId");
CREATE INDEX "memory_audit_userId_idx" ON "memory_audit" ("userId");
CREATE INDEX "memory_audit_deletedAt_idx" ON "memory_audit" ("deletedAt");

CREATE TABLE "memory_asset_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "memoryId" uuid NOT NULL REFERENCES "memory" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "assetId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "memory_asset_audit_memoryId_idx" ON "memory_asset_audit" ("memoryId");
CREATE INDEX "memory_asset_audit_assetId_idx" ON "memory_asset_audit" ("assetId");
CREATE INDEX "memory_asset_audit_deletedAt_idx" ON "memory_asset_audit" ("deletedAt");

-- Immich's conditions: a memory deleted by a query itself (not cascaded from its owner, whose
-- "user_audit" row covers it); an asset taken out of a memory that still exists (a deleted
-- memory's "memory_audit" row covers its assets), also when cascaded from a deleted asset.
CREATE FUNCTION "memory_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "memory_audit" ("memoryId", "userId") SELECT "id", "ownerId" FROM old;
    RETURN NULL;
END
$$;
CREATE TRIGGER "memory_delete_audit" AFTER DELETE ON "memory"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION "memory_delete_audit"();

CREATE FUNCTION "memory_asset_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "memory_asset_audit" ("memoryId", "assetId")
    SELECT "memoriesId", "assetId" FROM old
    WHERE "memoriesId" IN (SELECT "id" FROM "memory" WHERE "id" IN (SELECT "memoriesId" FROM old));
    RETURN NULL;
END
$$;
CREATE TRIGGER "memory_asset_delete_audit" AFTER DELETE ON "memory_asset"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() <= 1) EXECUTE FUNCTION "memory_asset_delete_audit"();
