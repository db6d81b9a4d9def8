-- Channel search by word beginnings (store::channels::words): a channel's words cut as
-- posts' are (utmost_search_words, migration 0019: ASCII punctuation separates words,
-- 'simple' folds case, no stemming), in GIN indexes, so a search reads the channels whose
-- words begin with the typed ones instead of a LIKE '%term%' over every channel. One index
-- for name and display name (autocomplete), one with the purpose too (searches): a
-- weighted single index would make PostgreSQL re-cut every candidate row to check weights.
-- Built-in full text only: no extension needed.

-- The call to utmost_search_words names its schema (this one, whatever it is called):
-- pg_restore runs with an empty search_path, and an index over a function that could not
-- find the other would not restore. Kept a plain SQL function, so the planner inlines it.
DO $migration$
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION utmost_channel_name_words(name text, displayname text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
            SELECT %1$I.utmost_search_words(coalesce(name, '') || ' ' || coalesce(displayname, ''))
        $body$
    $f$, current_schema());
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION utmost_channel_words(name text, displayname text, purpose text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
            SELECT %1$I.utmost_search_words(coalesce(name, '') || ' ' || coalesce(displayname, '')
                || ' ' || coalesce(purpose, ''))
        $body$
    $f$, current_schema());
END
$migration$;

CREATE INDEX IF NOT EXISTS idx_channels_name_words
    ON channels USING gin (utmost_channel_name_words(name, displayname));

CREATE INDEX IF NOT EXISTS idx_channels_search_words
    ON channels USING gin (utmost_channel_words(name, displayname, purpose));
