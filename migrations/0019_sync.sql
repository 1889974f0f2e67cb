-- The phone app's sync (Immich's "session_sync_checkpoint"): per login session and per sync
-- entity type, the last ack the client sent ("<Type>|<updateId>[|<extraId>]"). A session's
-- checkpoints go with it; another session (a second device) keeps its own.
CREATE TABLE "session_sync_checkpoint" (
    "sessionId" uuid NOT NULL REFERENCES "session" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "type" varchar NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "ack" varchar NOT NULL,
    "updateId" uuid NOT NULL DEFAULT immich_uuid_v7(),
    PRIMARY KEY ("sessionId", "type")
);
CREATE INDEX "session_sync_checkpoint_updateId_idx" ON "session_sync_checkpoint" ("updateId");
CREATE TRIGGER "session_sync_checkpoint_updatedAt" BEFORE UPDATE ON "session_sync_checkpoint"
    FOR EACH ROW EXECUTE FUNCTION "updated_at"();
CREATE TRIGGER "session_sync_checkpoint_updateId_insert" BEFORE INSERT ON "session_sync_checkpoint"
    FOR EACH ROW EXECUTE FUNCTION "update_id_on_insert"();

-- Immich 3.1 keeps an album's owner as an "album_user" row (role 'owner') whose "createId" orders
-- the albums a user got since a checkpoint; our owner is "album"."ownerId", so the album carries
-- that id itself (stamped by the database at insert, as "album_user"."createId"). Existing
-- albums get one from their "createdAt", without touching their change ids.
ALTER TABLE "album" ADD COLUMN "createId" uuid NOT NULL DEFAULT immich_uuid_v7();
ALTER TABLE "album" DISABLE TRIGGER "album_updatedAt";
UPDATE "album" SET "createId" = immich_uuid_v7(least("createdAt", clock_timestamp()));
ALTER TABLE "album" ENABLE TRIGGER "album_updatedAt";
CREATE INDEX "album_createId_idx" ON "album" ("createId");
CREATE FUNCTION "album_create_id_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."createId" := immich_uuid_v7(clock_timestamp());
    RETURN NEW;
END
$$;
CREATE TRIGGER "album_createId_insert" BEFORE INSERT ON "album"
    FOR EACH ROW EXECUTE FUNCTION "album_create_id_on_insert"();
