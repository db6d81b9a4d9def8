-- What a link in a post points at (an OpenGraph page, an image, or nothing), fetched once
-- per link and hour (Mattermost's migrations 000011 and 000061).

CREATE TABLE IF NOT EXISTS linkmetadata (
    hash INTEGER NOT NULL,
    url TEXT,
    timestamp INTEGER,
    type TEXT,
    data TEXT,
    CONSTRAINT linkmetadata_pkey PRIMARY KEY (hash)
);

CREATE INDEX IF NOT EXISTS idx_link_metadata_url_timestamp ON linkmetadata (url, timestamp);
