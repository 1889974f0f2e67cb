-- Tags (Immich's "tag", "tag_asset", "tag_closure"): a user's hierarchical labels "a/b/c".
-- Each level is its own row ("a", "a/b", "a/b/c", each with its parent); "tag_closure" holds
-- every (ancestor, descendant) pair, a tag with itself included, so "assets tagged a, or any tag
-- under a" is one join. Deleting a tag deletes its children (the "parentId" cascade) and their
-- asset links. Immich keeps no "tag_audit"; sync reads tags by "updateId" (migration 0010's rule).

CREATE TABLE "tag" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "userId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "value" varchar NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "color" varchar DEFAULT NULL,
    "parentId" uuid REFERENCES "tag" ("id") ON DELETE CASCADE,
    "updateId" uuid NOT NULL DEFAULT immich_uuid_v7(),
    CONSTRAINT "tag_userId_value_uq" UNIQUE ("userId", "value")
);
CREATE INDEX "tag_parentId_idx" ON "tag" ("parentId");
CREATE INDEX "tag_updateId_idx" ON "tag" ("updateId");
CREATE TRIGGER "tag_updatedAt" BEFORE UPDATE ON "tag"
    FOR EACH ROW EXECUTE FUNCTION "updated_at"();
CREATE TRIGGER "tag_updateId_insert" BEFORE INSERT ON "tag"
    FOR EACH ROW EXECUTE FUNCTION "update_id_on_insert"();

CREATE TABLE "tag_asset" (
    "assetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "tagId" uuid NOT NULL REFERENCES "tag" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY ("assetId", "tagId")
);
-- the key serves look-ups by asset; this one by tag (search by tag, tag cleanup)
CREATE INDEX "tag_asset_tagId_idx" ON "tag_asset" ("tagId");

CREATE TABLE "tag_closure" (
    "id_ancestor" uuid NOT NULL REFERENCES "tag" ("id") ON DELETE CASCADE,
    "id_descendant" uuid NOT NULL REFERENCES "tag" ("id") ON DELETE CASCADE,
    PRIMARY KEY ("id_ancestor", "id_descendant")
);
CREATE INDEX "tag_closure_id_descendant_idx" ON "tag_closure" ("id_descendant");
