-- Mattermost's plugin key-value store (its migration 000045), what every plugin keeps across
-- restarts and nodes. ExpireAt 0 or NULL never expires.

CREATE TABLE IF NOT EXISTS pluginkeyvaluestore (
    pluginid TEXT NOT NULL,
    pkey TEXT NOT NULL,
    pvalue BLOB,
    expireat INTEGER DEFAULT 0,
    CONSTRAINT pluginkeyvaluestore_pkey PRIMARY KEY (pluginid, pkey)
);
