-- Channels, channel membership, the public-channel mirror and join/leave history.

DO $$
BEGIN
    CREATE TYPE channel_type AS ENUM ('P', 'G', 'O', 'D');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS channels (
    id varchar(26) NOT NULL,
    createat bigint,
    updateat bigint,
    deleteat bigint,
    teamid varchar(26),
    type channel_type,
    displayname varchar(64),
    name varchar(64),
    header varchar(1024),
    purpose varchar(250),
    lastpostat bigint,
    totalmsgcount bigint,
    extraupdateat bigint,
    creatorid varchar(26),
    schemeid varchar(26),
    groupconstrained boolean,
    shared boolean,
    totalmsgcountroot bigint,
    lastrootpostat bigint DEFAULT '0',
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
CREATE INDEX IF NOT EXISTS idx_channel_search_txt ON channels USING gin (to_tsvector('english', name || ' ' || displayname || ' ' || purpose));

CREATE TABLE IF NOT EXISTS channelmembers (
    channelid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    roles varchar(256),
    lastviewedat bigint,
    msgcount bigint,
    mentioncount bigint,
    notifyprops jsonb,
    lastupdateat bigint,
    schemeuser boolean,
    schemeadmin boolean,
    schemeguest boolean,
    mentioncountroot bigint,
    msgcountroot bigint,
    urgentmentioncount bigint,
    CONSTRAINT channelmembers_pkey PRIMARY KEY (channelid, userid)
);

CREATE INDEX IF NOT EXISTS idx_channelmembers_user_id_channel_id_last_viewed_at ON channelmembers (userid, channelid, lastviewedat);
CREATE INDEX IF NOT EXISTS idx_channelmembers_channel_id_scheme_guest_user_id ON channelmembers (channelid, schemeguest, userid);

CREATE TABLE IF NOT EXISTS publicchannels (
    id varchar(26) NOT NULL,
    deleteat bigint,
    teamid varchar(26),
    displayname varchar(64),
    name varchar(64),
    header varchar(1024),
    purpose varchar(250),
    CONSTRAINT publicchannels_pkey PRIMARY KEY (id),
    CONSTRAINT publicchannels_name_teamid_key UNIQUE (name, teamid)
);

CREATE INDEX IF NOT EXISTS idx_publicchannels_team_id ON publicchannels (teamid);
CREATE INDEX IF NOT EXISTS idx_publicchannels_delete_at ON publicchannels (deleteat);
CREATE INDEX IF NOT EXISTS idx_publicchannels_name_lower ON publicchannels (lower(name));
CREATE INDEX IF NOT EXISTS idx_publicchannels_displayname_lower ON publicchannels (lower(displayname));
CREATE INDEX IF NOT EXISTS idx_publicchannels_search_txt ON publicchannels USING gin (to_tsvector('english', name || ' ' || displayname || ' ' || purpose));

CREATE TABLE IF NOT EXISTS channelmemberhistory (
    channelid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    jointime bigint NOT NULL,
    leavetime bigint,
    CONSTRAINT channelmemberhistory_pkey PRIMARY KEY (channelid, userid, jointime)
);
