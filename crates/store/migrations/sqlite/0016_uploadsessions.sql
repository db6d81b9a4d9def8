-- Resumable uploads in progress (Mattermost's migrations 000041, 000075 and 000090).

CREATE TABLE IF NOT EXISTS uploadsessions (
    id TEXT NOT NULL,
    type TEXT,
    createat INTEGER,
    userid TEXT,
    channelid TEXT,
    filename TEXT,
    path TEXT,
    filesize INTEGER,
    fileoffset INTEGER,
    remoteid TEXT,
    reqfileid TEXT,
    CONSTRAINT uploadsessions_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_uploadsessions_create_at ON uploadsessions (createat);
CREATE INDEX IF NOT EXISTS idx_uploadsessions_type ON uploadsessions (type);
CREATE INDEX IF NOT EXISTS idx_uploadsessions_user_id ON uploadsessions (userid);
