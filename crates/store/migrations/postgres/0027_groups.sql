-- Groups (Mattermost's migrations 000007-000010, 000065, 000079): LDAP-synced groups and,
-- later, custom ones (`source`), their members and the teams and channels they are linked
-- to (syncables). Every row is soft-deleted (`deleteat`). The teams' and channels'
-- `groupconstrained` columns came with migrations 0004 and 0005. A Mattermost database
-- already has these tables: IF NOT EXISTS leaves them as they are.

CREATE TABLE IF NOT EXISTS usergroups (
    id varchar(26) NOT NULL,
    name varchar(64),
    displayname varchar(128),
    description varchar(1024),
    source varchar(64),
    remoteid varchar(48),
    createat bigint,
    updateat bigint,
    deleteat bigint,
    allowreference boolean,
    CONSTRAINT usergroups_pkey PRIMARY KEY (id),
    CONSTRAINT usergroups_name_key UNIQUE (name),
    CONSTRAINT usergroups_source_remoteid_key UNIQUE (source, remoteid)
);

CREATE INDEX IF NOT EXISTS idx_usergroups_remote_id ON usergroups (remoteid);
CREATE INDEX IF NOT EXISTS idx_usergroups_delete_at ON usergroups (deleteat);

CREATE TABLE IF NOT EXISTS groupmembers (
    groupid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    createat bigint,
    deleteat bigint,
    CONSTRAINT groupmembers_pkey PRIMARY KEY (groupid, userid)
);

CREATE INDEX IF NOT EXISTS idx_groupmembers_create_at ON groupmembers (createat);
-- A user's groups (mentions, `/users/{id}/groups`, the sync's removals) without a scan.
CREATE INDEX IF NOT EXISTS idx_groupmembers_userid ON groupmembers (userid);

CREATE TABLE IF NOT EXISTS groupteams (
    groupid varchar(26) NOT NULL,
    autoadd boolean,
    schemeadmin boolean,
    createat bigint,
    deleteat bigint,
    updateat bigint,
    teamid varchar(26) NOT NULL,
    CONSTRAINT groupteams_pkey PRIMARY KEY (groupid, teamid)
);

CREATE INDEX IF NOT EXISTS idx_groupteams_teamid ON groupteams (teamid);

CREATE TABLE IF NOT EXISTS groupchannels (
    groupid varchar(26) NOT NULL,
    autoadd boolean,
    schemeadmin boolean,
    createat bigint,
    deleteat bigint,
    updateat bigint,
    channelid varchar(26) NOT NULL,
    CONSTRAINT groupchannels_pkey PRIMARY KEY (groupid, channelid)
);

CREATE INDEX IF NOT EXISTS idx_groupchannels_channelid ON groupchannels (channelid);
