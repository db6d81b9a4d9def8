-- Custom emoji (the image lives in the file store at emoji/<id>/image).

CREATE TABLE IF NOT EXISTS emoji (
    id TEXT NOT NULL,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    creatorid TEXT,
    name TEXT,
    CONSTRAINT emoji_pkey PRIMARY KEY (id),
    CONSTRAINT emoji_name_deleteat_key UNIQUE (name, deleteat)
);

CREATE INDEX IF NOT EXISTS idx_emoji_create_at ON emoji (createat);
CREATE INDEX IF NOT EXISTS idx_emoji_update_at ON emoji (updateat);
CREATE INDEX IF NOT EXISTS idx_emoji_delete_at ON emoji (deleteat);
