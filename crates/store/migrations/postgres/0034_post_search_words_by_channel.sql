-- Post search over PostgreSQL full text (store::full_text) keeps each post's channel in its
-- index entry: the words of utmost_search_words (migration 0019) and one lexeme more, '#'
-- and the channel id, which no word can be ('#' separates words). A search ANDs its words
-- with the reader's channels, so PostgreSQL intersects them inside the index and reads from
-- the table only the reader's hits. The index over the words alone handed over every post
-- with a matching word, in every channel (at 10M posts a prefix query ran for tens of
-- seconds). It stays until the next release drops it (docs/upgrading.md): the previous
-- release's nodes still search through it during a rolling upgrade.

-- The call names its schema, as migration 0020's do (pg_restore's empty search_path); a
-- plain SQL function, so the planner inlines it.
DO $migration$
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION utmost_post_search_words(channelid text, message text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
            SELECT %1$I.utmost_search_words(message)
                || array_to_tsvector(ARRAY['#' || coalesce(channelid, '')])
        $body$
    $f$, current_schema());
END
$migration$;

CREATE INDEX IF NOT EXISTS idx_posts_search_words_by_channel
    ON posts USING gin (utmost_post_search_words(channelid, message));
