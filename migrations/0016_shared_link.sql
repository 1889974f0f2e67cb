-- Shared links (Immich's "shared_link", "shared_link_asset"): a public key (50 random bytes,
-- base64url in URLs) or a custom slug that lets a visitor without an account see one album
-- ("type" ALBUM, "albumId") or a chosen set of assets ("type" INDIVIDUAL, "shared_link_asset").
-- As Immich, neither table has an "updateId" or an audit table: the sync stream does not carry
-- shared links. "password" is kept as Immich keeps it (the link's owner reads it back).

CREATE TABLE "shared_link" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "description" varchar,
    "userId" uuid NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "key" bytea NOT NULL,
    "type" varchar NOT NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "expiresAt" timestamptz,
    "allowUpload" boolean NOT NULL DEFAULT false,
    "albumId" uuid REFERENCES "album" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "allowDownload" boolean NOT NULL DEFAULT true,
    "showExif" boolean NOT NULL DEFAULT true,
    "password" varchar,
    "slug" varchar,
    CONSTRAINT "shared_link_key_uq" UNIQUE ("key"),
    CONSTRAINT "shared_link_slug_uq" UNIQUE ("slug")
);
CREATE INDEX "shared_link_userId_idx" ON "shared_link" ("userId");
CREATE INDEX "shared_link_albumId_idx" ON "shared_link" ("albumId");

CREATE TABLE "shared_link_asset" (
    "assetId" uuid NOT NULL REFERENCES "asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    "sharedLinkId" uuid NOT NULL REFERENCES "shared_link" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY ("assetId", "sharedLinkId")
);
-- the key serves look-ups by asset; this one a link's assets
CREATE INDEX "shared_link_asset_sharedLinkId_idx" ON "shared_link_asset" ("sharedLinkId");
