-- In-app notifications (Immich's "notification" table, its columns and indexes): a user's
-- messages (album invitations, failed jobs, an admin's notes), read or not, soft-deleted.
-- The id is a v4 (Immich's uuid_generate_v4(); its API validates notification ids as v4).
-- "type" defaults to 'info' as in Immich's schema (not one of its types: every insert sets it).
-- No audit table: Immich syncs notifications to no client.
CREATE TABLE "notification" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz,
    "updateId" uuid NOT NULL DEFAULT immich_uuid_v7(),
    "userId" uuid REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "level" varchar NOT NULL DEFAULT 'info',
    "type" varchar NOT NULL DEFAULT 'info',
    "data" jsonb,
    "title" varchar NOT NULL,
    "description" text,
    "readAt" timestamptz
);
CREATE INDEX "notification_updateId_idx" ON "notification" ("updateId");
CREATE INDEX "notification_userId_idx" ON "notification" ("userId");

-- Change ids and "updatedAt" by the database (migration 0010's rule), Immich's trigger name.
CREATE TRIGGER "notification_updatedAt" BEFORE UPDATE ON "notification"
    FOR EACH ROW EXECUTE FUNCTION "updated_at"();
CREATE TRIGGER "notification_updateId_insert" BEFORE INSERT ON "notification"
    FOR EACH ROW EXECUTE FUNCTION "update_id_on_insert"();
