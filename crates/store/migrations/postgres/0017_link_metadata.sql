-- What a link in a post points at (an OpenGraph page, an image, or nothing), fetched once
-- per link and hour (Mattermost's migrations 000011 and 000061).

CREATE TABLE IF NOT EXISTS linkmetadata (
    hash bigint NOT NULL,
    url varchar(2048),
    "timestamp" bigint,
    type varchar(16),
    data jsonb,
    CONSTRAINT linkmetadata_pkey PRIMARY KEY (hash)
);

CREATE INDEX IF NOT EXISTS idx_link_metadata_url_timestamp ON linkmetadata (url, "timestamp");
