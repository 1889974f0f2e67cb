-- Metadata search (issue 12): Immich's accent-blind text match, and the indexes its filters use.

-- Immich's f_unaccent: unaccent() with its dictionary named, so it is IMMUTABLE and can be used
-- in expression indexes.
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN unaccent('unaccent', $1);
