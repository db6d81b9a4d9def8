-- Channels, channel membership, the public-channel mirror and join/leave history.

CREATE TABLE IF NOT EXISTS channels (
    id TEXT NOT NULL,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    teamid TEXT,
    type TEXT CHECK (type IN ('P', 'G', 'O', 'D')),
    displayname TEXT,
    name TEXT,
    header TEXT,
    purpose TEXT,
    lastpostat INTEGER,
    totalmsgcount INTEGER,
    extraupdateat INTEGER,
    creatorid TEXT,
    schemeid TEXT,
    groupconstrained INTEGER,
    shared INTEGER,
    totalmsgcountroot INTEGER,
    lastrootpostat INTEGER DEFAULT 0,
    CONSTRAINT channels_pkey PRIMARY KEY (id),
    CONSTRAINT channels_name_teamid_key UNIQUE (name, teamid)
);

CREATE INDEX IF NOT EXISTS idx_channels_team_id_type ON channels (teamid, type);
CREATE INDEX IF NOT EXISTS idx_channels_team_id_display_name ON channels (teamid, displayname);
CREATE INDEX IF NOT EXISTS idx_channels_create_at ON channels (createat);
CREATE INDEX IF NOT EXISTS idx_channels_update_at ON channels (updateat);
CREATE INDEX IF NOT EXISTS idx_channels_delete_at ON channels (deleteat);
CREATE INDEX IF NOT EXISTS idx_channels_scheme_id ON channels (schemeid);
CREATE INDEX IF NOT EXISTS idx_channels_name_lower ON channels (lower(name));
CREATE INDEX IF NOT EXISTS idx_channels_displayname_lower ON channels (lower(displayname));

CREATE TABLE IF NOT EXISTS channelmembers (
    channelid TEXT NOT NULL,
    userid TEXT NOT NULL,
    roles TEXT,
    lastviewedat INTEGER,
    msgcount INTEGER,
    mentioncount INTEGER,
    notifyprops TEXT,
    lastupdateat INTEGER,
    schemeuser INTEGER,
    schemeadmin INTEGER,
    schemeguest INTEGER,
    mentioncountroot INTEGER,
    msgcountroot INTEGER,
    urgentmentioncount INTEGER,
    CONSTRAINT channelmembers_pkey PRIMARY KEY (channelid, userid)
);

CREATE INDEX IF NOT EXISTS idx_channelmembers_user_id_channel_id_last_viewed_at ON channelmembers (userid, channelid, lastviewedat);
CREATE INDEX IF NOT EXISTS idx_channelmembers_channel_id_scheme_guest_user_id ON channelmembers (channelid, schemeguest, userid);

CREATE TABLE IF NOT EXISTS publicchannels (
    id TEXT NOT NULL,
    deleteat INTEGER,
    teamid TEXT,
    displayname TEXT,
    name TEXT,
    header TEXT,
    purpose TEXT,
    CONSTRAINT publicchannels_pkey PRIMARY KEY (id),
    CONSTRAINT publicchannels_name_teamid_key UNIQUE (name, teamid)
);

CREATE INDEX IF NOT EXISTS idx_publicchannels_team_id ON publicchannels (teamid);
CREATE INDEX IF NOT EXISTS idx_publicchannels_delete_at ON publicchannels (deleteat);
CREATE INDEX IF NOT EXISTS idx_publicchannels_name_lower ON publicchannels (lower(name));
CREATE INDEX IF NOT EXISTS idx_publicchannels_displayname_lower ON publicchannels (lower(displayname));

CREATE TABLE IF NOT EXISTS channelmemberhistory (
    channelid TEXT NOT NULL,
    userid TEXT NOT NULL,
    jointime INTEGER NOT NULL,
    leavetime INTEGER,
    CONSTRAINT channelmemberhistory_pkey PRIMARY KEY (channelid, userid, jointime)
);
