-- Resumable uploads in progress (Mattermost's migrations 000041, 000075 and 000090).

DO $$
BEGIN
    CREATE TYPE upload_session_type AS ENUM ('attachment', 'import');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS uploadsessions (
    id varchar(26) NOT NULL,
    type upload_session_type,
    createat bigint,
    userid varchar(26),
    channelid varchar(26),
    filename varchar(256),
    path varchar(512),
    filesize bigint,
    fileoffset bigint,
    remoteid varchar(26),
    reqfileid varchar(26),
    CONSTRAINT uploadsessions_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_uploadsessions_create_at ON uploadsessions (createat);
CREATE INDEX IF NOT EXISTS idx_uploadsessions_type ON uploadsessions (type);
CREATE INDEX IF NOT EXISTS idx_uploadsessions_user_id ON uploadsessions (userid);
