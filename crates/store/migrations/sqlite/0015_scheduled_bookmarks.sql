-- Posts scheduled for later sending, and channel bookmarks (Mattermost's migrations 000128
-- and 000120).

CREATE TABLE IF NOT EXISTS scheduledposts (
    id TEXT NOT NULL,
    createat INTEGER,
    updateat INTEGER,
    userid TEXT NOT NULL,
    channelid TEXT NOT NULL,
    rootid TEXT,
    message TEXT,
    props TEXT,
    fileids TEXT,
    priority TEXT,
    scheduledat INTEGER NOT NULL,
    processedat INTEGER,
    errorcode TEXT,
    CONSTRAINT scheduledposts_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_scheduledposts_userid_channel_id_scheduled_at
    ON scheduledposts (userid, channelid, scheduledat);
-- Utmost's own: the sending job looks due posts up by time every few seconds.
CREATE INDEX IF NOT EXISTS idx_scheduledposts_scheduledat ON scheduledposts (scheduledat);

CREATE TABLE IF NOT EXISTS channelbookmarks (
    id TEXT NOT NULL,
    ownerid TEXT NOT NULL,
    channelid TEXT NOT NULL,
    fileinfoid TEXT DEFAULT NULL,
    createat INTEGER DEFAULT 0,
    updateat INTEGER DEFAULT 0,
    deleteat INTEGER DEFAULT 0,
    displayname TEXT DEFAULT '',
    sortorder INTEGER DEFAULT 0,
    linkurl TEXT,
    imageurl TEXT,
    emoji TEXT DEFAULT NULL,
    type TEXT DEFAULT 'link',
    originalid TEXT DEFAULT NULL,
    parentid TEXT DEFAULT NULL,
    CONSTRAINT channelbookmarks_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_channelbookmarks_channelid ON channelbookmarks (channelid);
CREATE INDEX IF NOT EXISTS idx_channelbookmarks_delete_at ON channelbookmarks (deleteat);
CREATE INDEX IF NOT EXISTS idx_channelbookmarks_update_at ON channelbookmarks (updateat);
