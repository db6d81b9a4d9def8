-- Users, bots, presence and per-user preferences (Mattermost layout, lower-case names).
-- Idempotent: harmless on an existing Mattermost 10.x database.

CREATE TABLE IF NOT EXISTS users (
    id varchar(26) NOT NULL,
    createat bigint,
    updateat bigint,
    deleteat bigint,
    username varchar(64),
    password varchar(128),
    authdata varchar(128),
    authservice varchar(32),
    email varchar(128),
    emailverified boolean,
    nickname varchar(64),
    firstname varchar(64),
    lastname varchar(64),
    roles varchar(256),
    allowmarketing boolean,
    props jsonb,
    notifyprops jsonb,
    lastpasswordupdate bigint,
    lastpictureupdate bigint,
    failedattempts integer,
    locale varchar(5),
    mfaactive boolean,
    mfasecret varchar(128),
    position varchar(128),
    timezone jsonb,
    remoteid varchar(26),
    lastlogin bigint NOT NULL DEFAULT 0,
    mfausedtimestamps jsonb,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_authdata_key UNIQUE (authdata),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE INDEX IF NOT EXISTS idx_users_create_at ON users (createat);
CREATE INDEX IF NOT EXISTS idx_users_update_at ON users (updateat);
CREATE INDEX IF NOT EXISTS idx_users_delete_at ON users (deleteat);
CREATE INDEX IF NOT EXISTS idx_users_email_lower_textpattern ON users (lower(email) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_users_username_lower_textpattern ON users (lower(username) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_users_nickname_lower_textpattern ON users (lower(nickname) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_users_firstname_lower_textpattern ON users (lower(firstname) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_users_lastname_lower_textpattern ON users (lower(lastname) text_pattern_ops);
CREATE INDEX IF NOT EXISTS idx_users_all_txt ON users USING gin (to_tsvector('english', username || ' ' || firstname || ' ' || lastname || ' ' || nickname || ' ' || email));
CREATE INDEX IF NOT EXISTS idx_users_all_no_full_name_txt ON users USING gin (to_tsvector('english', username || ' ' || nickname || ' ' || email));
CREATE INDEX IF NOT EXISTS idx_users_names_txt ON users USING gin (to_tsvector('english', username || ' ' || firstname || ' ' || lastname || ' ' || nickname));
CREATE INDEX IF NOT EXISTS idx_users_names_no_full_name_txt ON users USING gin (to_tsvector('english', username || ' ' || nickname));

CREATE TABLE IF NOT EXISTS bots (
    userid varchar(26) NOT NULL,
    description varchar(1024),
    ownerid varchar(190),
    createat bigint,
    updateat bigint,
    deleteat bigint,
    lasticonupdate bigint,
    CONSTRAINT bots_pkey PRIMARY KEY (userid)
);

CREATE TABLE IF NOT EXISTS status (
    userid varchar(26) NOT NULL,
    status varchar(32),
    manual boolean,
    lastactivityat bigint,
    dndendtime bigint,
    prevstatus varchar(32),
    CONSTRAINT status_pkey PRIMARY KEY (userid)
);

CREATE INDEX IF NOT EXISTS idx_status_status_dndendtime ON status (status, dndendtime);

CREATE TABLE IF NOT EXISTS preferences (
    userid varchar(26) NOT NULL,
    category varchar(32) NOT NULL,
    name varchar(32) NOT NULL,
    value text,
    CONSTRAINT preferences_pkey PRIMARY KEY (userid, category, name)
) WITH (autovacuum_vacuum_scale_factor = 0.1, autovacuum_analyze_scale_factor = 0.05);

CREATE INDEX IF NOT EXISTS idx_preferences_category ON preferences (category);
CREATE INDEX IF NOT EXISTS idx_preferences_name ON preferences (name);
