-- Utmost's PostgreSQL full-text search engine (store::full_text): a post's words as the
-- single-node engine cuts them. ASCII punctuation separates words (so host names, e-mail
-- addresses, file names and words joined by '-' or '_' are found by any part), Chinese and
-- Japanese characters are words of one character each (a run of them is matched as a
-- phrase), and the 'simple' configuration folds case without stemming or stop words.
-- Mattermost's idx_posts_message_txt (english, stemmed, host names kept whole) is left as is.

CREATE OR REPLACE FUNCTION utmost_search_words(message text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, regexp_replace(
        translate(coalesce(message, ''), '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32)),
        '([぀-ヿ㐀-䶿一-鿿豈-﫿ｦ-ﾟ𠀀-𯨟])', ' \1 ', 'g'))
$$;

CREATE INDEX IF NOT EXISTS idx_posts_search_words ON posts USING gin (utmost_search_words(message));
