-- Users, bots, presence and per-user preferences (Mattermost layout, lower-case names).
-- SQLite twin of migrations/postgres/0001_users.sql: same tables, columns, keys and index
-- names. Types: varchar/text/jsonb/enum -> TEXT (JSON as text), bigint/integer/boolean ->
-- INTEGER, bytea -> BLOB. Full-text (GIN) indexes exist only on PostgreSQL.

CREATE TABLE IF NOT EXISTS users (
    id TEXT NOT NULL,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    username TEXT,
    password TEXT,
    authdata TEXT,
    authservice TEXT,
    email TEXT,
    emailverified INTEGER,
    nickname TEXT,
    firstname TEXT,
    lastname TEXT,
    roles TEXT,
    allowmarketing INTEGER,
    props TEXT,
    notifyprops TEXT,
    lastpasswordupdate INTEGER,
    lastpictureupdate INTEGER,
    failedattempts INTEGER,
    locale TEXT,
    mfaactive INTEGER,
    mfasecret TEXT,
    position TEXT,
    timezone TEXT,
    remoteid TEXT,
    lastlogin INTEGER NOT NULL DEFAULT 0,
    mfausedtimestamps TEXT,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_authdata_key UNIQUE (authdata),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE INDEX IF NOT EXISTS idx_users_create_at ON users (createat);
CREATE INDEX IF NOT EXISTS idx_users_update_at ON users (updateat);
CREATE INDEX IF NOT EXISTS idx_users_delete_at ON users (deleteat);
CREATE INDEX IF NOT EXISTS idx_users_email_lower_textpattern ON users (lower(email));
CREATE INDEX IF NOT EXISTS idx_users_username_lower_textpattern ON users (lower(username));
CREATE INDEX IF NOT EXISTS idx_users_nickname_lower_textpattern ON users (lower(nickname));
CREATE INDEX IF NOT EXISTS idx_users_firstname_lower_textpattern ON users (lower(firstname));
CREATE INDEX IF NOT EXISTS idx_users_lastname_lower_textpattern ON users (lower(lastname));

CREATE TABLE IF NOT EXISTS bots (
    userid TEXT NOT NULL,
    description TEXT,
    ownerid TEXT,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    lasticonupdate INTEGER,
    CONSTRAINT bots_pkey PRIMARY KEY (userid)
);

CREATE TABLE IF NOT EXISTS status (
    userid TEXT NOT NULL,
    status TEXT,
    manual INTEGER,
    lastactivityat INTEGER,
    dndendtime INTEGER,
    prevstatus TEXT,
    CONSTRAINT status_pkey PRIMARY KEY (userid)
);

CREATE INDEX IF NOT EXISTS idx_status_status_dndendtime ON status (status, dndendtime);

CREATE TABLE IF NOT EXISTS preferences (
    userid TEXT NOT NULL,
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT,
    CONSTRAINT preferences_pkey PRIMARY KEY (userid, category, name)
);

CREATE INDEX IF NOT EXISTS idx_preferences_category ON preferences (category);
CREATE INDEX IF NOT EXISTS idx_preferences_name ON preferences (name);
