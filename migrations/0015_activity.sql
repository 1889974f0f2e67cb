-- Activity (Immich's "activity"): comments and likes under an album, or under an asset in it.
-- A like has no comment, a comment is no like (the check); one like per user and target (the
-- partial unique index). The (albumId, assetId) key into "album_asset" cascades: an asset taken
-- out of the album takes its activity with it. Immich keeps no "activity_audit"; sync reads
-- activity by "updateId" (migration 0010's rule).

CREATE TABLE "activity" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "albumId" uuid NOT NULL REFERENCES "album" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "userId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "assetId" uuid REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "comment" text DEFAULT NULL,
    "isLiked" boolean NOT NULL DEFAULT false,
    "updateId" uuid NOT NULL DEFAULT immich_uuid_v7(),
    CONSTRAINT "activity_like_check"
        CHECK (("comment" IS NULL AND "isLiked" = true) OR ("comment" IS NOT NULL AND "isLiked" = false)),
    CONSTRAINT "fk_activity_album_asset_composite" FOREIGN KEY ("albumId", "assetId")
        REFERENCES "album_asset" ("albumId", "assetId") ON UPDATE NO ACTION ON DELETE CASCADE
);
CREATE UNIQUE INDEX "activity_like_idx" ON "activity" ("assetId", "userId", "albumId")
    WHERE ("isLiked" = true);
CREATE INDEX "activity_albumId_idx" ON "activity" ("albumId");
CREATE INDEX "activity_userId_idx" ON "activity" ("userId");
CREATE INDEX "activity_assetId_idx" ON "activity" ("assetId");
CREATE INDEX "activity_updateId_idx" ON "activity" ("updateId");
CREATE TRIGGER "activity_updatedAt" BEFORE UPDATE ON "activity"
    FOR EACH ROW EXECUTE FUNCTION "updated_at"();
CREATE TRIGGER "activity_updateId_insert" BEFORE INSERT ON "activity"
    FOR EACH ROW EXECUTE FUNCTION "update_id_on_insert"();
