-- Per-user, per-team sidebar categories and the channels placed in them.

CREATE TABLE IF NOT EXISTS sidebarcategories (
    id varchar(128) NOT NULL,
    userid varchar(26),
    teamid varchar(26),
    sortorder bigint,
    sorting varchar(64),
    type varchar(64),
    displayname varchar(64),
    muted boolean,
    collapsed boolean,
    CONSTRAINT sidebarcategories_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_sidebarcategories_userid_teamid ON sidebarcategories (userid, teamid);

CREATE TABLE IF NOT EXISTS sidebarchannels (
    channelid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    categoryid varchar(128) NOT NULL,
    sortorder bigint,
    CONSTRAINT sidebarchannels_pkey PRIMARY KEY (channelid, userid, categoryid)
);
