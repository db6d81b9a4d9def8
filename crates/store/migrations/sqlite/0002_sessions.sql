-- Login sessions, personal access tokens, one-shot tokens and the per-user audit trail.

CREATE TABLE IF NOT EXISTS sessions (
    id TEXT NOT NULL,
    token TEXT,
    createat INTEGER,
    expiresat INTEGER,
    lastactivityat INTEGER,
    userid TEXT,
    deviceid TEXT,
    roles TEXT,
    isoauth INTEGER,
    props TEXT,
    expirednotify INTEGER,
    CONSTRAINT sessions_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_sessions_token ON sessions (token);
CREATE INDEX IF NOT EXISTS idx_sessions_user_id ON sessions (userid);
CREATE INDEX IF NOT EXISTS idx_sessions_create_at ON sessions (createat);
CREATE INDEX IF NOT EXISTS idx_sessions_expires_at ON sessions (expiresat);
CREATE INDEX IF NOT EXISTS idx_sessions_last_activity_at ON sessions (lastactivityat);

CREATE TABLE IF NOT EXISTS useraccesstokens (
    id TEXT NOT NULL,
    token TEXT,
    userid TEXT,
    description TEXT,
    isactive INTEGER,
    CONSTRAINT useraccesstokens_pkey PRIMARY KEY (id),
    CONSTRAINT useraccesstokens_token_key UNIQUE (token)
);

CREATE INDEX IF NOT EXISTS idx_user_access_tokens_user_id ON useraccesstokens (userid);

CREATE TABLE IF NOT EXISTS tokens (
    token TEXT NOT NULL,
    createat INTEGER,
    type TEXT,
    extra TEXT,
    CONSTRAINT tokens_pkey PRIMARY KEY (token)
);

CREATE TABLE IF NOT EXISTS audits (
    id TEXT NOT NULL,
    createat INTEGER,
    userid TEXT,
    action TEXT,
    extrainfo TEXT,
    ipaddress TEXT,
    sessionid TEXT,
    CONSTRAINT audits_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_audits_user_id ON audits (userid);
