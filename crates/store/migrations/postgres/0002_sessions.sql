-- Login sessions, personal access tokens, one-shot tokens and the per-user audit trail.

CREATE TABLE IF NOT EXISTS sessions (
    id varchar(26) NOT NULL,
    token varchar(26),
    createat bigint,
    expiresat bigint,
    lastactivityat bigint,
    userid varchar(26),
    deviceid varchar(512),
    roles varchar(256),
    isoauth boolean,
    props jsonb,
    expirednotify boolean,
    CONSTRAINT sessions_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_sessions_token ON sessions (token);
CREATE INDEX IF NOT EXISTS idx_sessions_user_id ON sessions (userid);
CREATE INDEX IF NOT EXISTS idx_sessions_create_at ON sessions (createat);
CREATE INDEX IF NOT EXISTS idx_sessions_expires_at ON sessions (expiresat);
CREATE INDEX IF NOT EXISTS idx_sessions_last_activity_at ON sessions (lastactivityat);

CREATE TABLE IF NOT EXISTS useraccesstokens (
    id varchar(26) NOT NULL,
    token varchar(26),
    userid varchar(26),
    description varchar(512),
    isactive boolean,
    CONSTRAINT useraccesstokens_pkey PRIMARY KEY (id),
    CONSTRAINT useraccesstokens_token_key UNIQUE (token)
);

CREATE INDEX IF NOT EXISTS idx_user_access_tokens_user_id ON useraccesstokens (userid);

CREATE TABLE IF NOT EXISTS tokens (
    token varchar(64) NOT NULL,
    createat bigint,
    type varchar(64),
    extra varchar(2048),
    CONSTRAINT tokens_pkey PRIMARY KEY (token)
);

CREATE TABLE IF NOT EXISTS audits (
    id varchar(26) NOT NULL,
    createat bigint,
    userid varchar(26),
    action varchar(512),
    extrainfo varchar(1024),
    ipaddress varchar(64),
    sessionid varchar(26),
    CONSTRAINT audits_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_audits_user_id ON audits (userid);
