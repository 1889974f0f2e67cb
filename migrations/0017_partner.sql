-- Partners (Immich's "partner" and "partner_audit"): a user shares their whole library with
-- another. "sharedById" shares with "sharedWithId"; the receiver decides with "inTimeline"
-- whether the sharer's assets join their own timeline. Change ids follow migration 0010
-- ("updateId" and "createId" stamped by the database); a deleted partnership is recorded in
-- "partner_audit" for sync (a cascade from a deleted user is covered by "user_audit").

CREATE TABLE "partner" (
    "sharedById" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "sharedWithId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "createId" uuid NOT NULL DEFAULT immich_uuid_v7(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "inTimeline" boolean NOT NULL DEFAULT false,
    "updateId" uuid NOT NULL DEFAULT immich_uuid_v7(),
    PRIMARY KEY ("sharedById", "sharedWithId")
);
-- the key serves look-ups by sharer; this one the receiver's "who shares with me"
CREATE INDEX "partner_sharedWithId_idx" ON "partner" ("sharedWithId");
CREATE INDEX "partner_createId_idx" ON "partner" ("createId");
CREATE INDEX "partner_updateId_idx" ON "partner" ("updateId");
CREATE TRIGGER "partner_updatedAt" BEFORE UPDATE ON "partner"
    FOR EACH ROW EXECUTE FUNCTION "updated_at"();
CREATE TRIGGER "partner_updateId_insert" BEFORE INSERT ON "partner"
    FOR EACH ROW EXECUTE FUNCTION "update_id_on_insert"();

CREATE FUNCTION "partner_create_id_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."createId" := immich_uuid_v7(clock_timestamp());
    RETURN NEW;
END
$$;
CREATE TRIGGER "partner_createId_insert" BEFORE INSERT ON "partner"
    FOR EACH ROW EXECUTE FUNCTION "partner_create_id_on_insert"();

CREATE TABLE "partner_audit" (
    "id" uuid PRIMARY KEY DEFAULT immich_uuid_v7(),
    "sharedById" uuid NOT NULL,
    "sharedWithId" uuid NOT NULL,
    "deletedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "partner_audit_sharedById_idx" ON "partner_audit" ("sharedById");
CREATE INDEX "partner_audit_sharedWithId_idx" ON "partner_audit" ("sharedWithId");
CREATE INDEX "partner_audit_deletedAt_idx" ON "partner_audit" ("deletedAt");

CREATE FUNCTION "partner_delete_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "partner_audit" ("sharedById", "sharedWithId")
    SELECT "sharedById", "sharedWithId" FROM old;
    RETURN NULL;
END
$$;
CREATE TRIGGER "partner_delete_audit" AFTER DELETE ON "partner"
    REFERENCING OLD TABLE AS old FOR EACH STATEMENT
    WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION "partner_delete_audit"();
