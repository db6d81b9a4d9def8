-- Groups (Mattermost's migrations 000007-000010, 000065, 000079): LDAP-synced groups and,
-- later, custom ones (`source`), their members and the teams and channels they are linked
-- to (syncables). Every row is soft-deleted (`deleteat`). The teams' and channels'
-- `groupconstrained` columns came with migrations 0004 and 0005. A Mattermost database
-- already has these tables: IF NOT EXISTS leaves them as they are.

CREATE TABLE IF NOT EXISTS usergroups (
    id TEXT NOT NULL,
    name TEXT,
    displayname TEXT,
    description TEXT,
    source TEXT,
    remoteid TEXT,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    allowreference INTEGER,
    CONSTRAINT usergroups_pkey PRIMARY KEY (id),
    CONSTRAINT usergroups_name_key UNIQUE (name),
    CONSTRAINT usergroups_source_remoteid_key UNIQUE (source, remoteid)
);

CREATE INDEX IF NOT EXISTS idx_usergroups_remote_id ON usergroups (remoteid);
CREATE INDEX IF NOT EXISTS idx_usergroups_delete_at ON usergroups (deleteat);

CREATE TABLE IF NOT EXISTS groupmembers (
    groupid TEXT NOT NULL,
    userid TEXT NOT NULL,
    createat INTEGER,
    deleteat INTEGER,
    CONSTRAINT groupmembers_pkey PRIMARY KEY (groupid, userid)
);

CREATE INDEX IF NOT EXISTS idx_groupmembers_create_at ON groupmembers (createat);
-- A user's groups (mentions, `/users/{id}/groups`, the sync's removals) without a scan.
CREATE INDEX IF NOT EXISTS idx_groupmembers_userid ON groupmembers (userid);

CREATE TABLE IF NOT EXISTS groupteams (
    groupid TEXT NOT NULL,
    autoadd INTEGER,
    schemeadmin INTEGER,
    createat INTEGER,
    deleteat INTEGER,
    updateat INTEGER,
    teamid TEXT NOT NULL,
    CONSTRAINT groupteams_pkey PRIMARY KEY (groupid, teamid)
);

CREATE INDEX IF NOT EXISTS idx_groupteams_teamid ON groupteams (teamid);

CREATE TABLE IF NOT EXISTS groupchannels (
    groupid TEXT NOT NULL,
    autoadd INTEGER,
    schemeadmin INTEGER,
    createat INTEGER,
    deleteat INTEGER,
    updateat INTEGER,
    channelid TEXT NOT NULL,
    CONSTRAINT groupchannels_pkey PRIMARY KEY (groupid, channelid)
);

CREATE INDEX IF NOT EXISTS idx_groupchannels_channelid ON groupchannels (channelid);
