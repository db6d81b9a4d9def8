-- Per-user, per-team sidebar categories and the channels placed in them.

CREATE TABLE IF NOT EXISTS sidebarcategories (
    id TEXT NOT NULL,
    userid TEXT,
    teamid TEXT,
    sortorder INTEGER,
    sorting TEXT,
    type TEXT,
    displayname TEXT,
    muted INTEGER,
    collapsed INTEGER,
    CONSTRAINT sidebarcategories_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_sidebarcategories_userid_teamid ON sidebarcategories (userid, teamid);

CREATE TABLE IF NOT EXISTS sidebarchannels (
    channelid TEXT NOT NULL,
    userid TEXT NOT NULL,
    categoryid TEXT NOT NULL,
    sortorder INTEGER,
    CONSTRAINT sidebarchannels_pkey PRIMARY KEY (channelid, userid, categoryid)
);
