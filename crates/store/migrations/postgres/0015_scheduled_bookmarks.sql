-- Posts scheduled for later sending, and channel bookmarks (Mattermost's migrations 000128
-- and 000120).

CREATE TABLE IF NOT EXISTS scheduledposts (
    id varchar(26) NOT NULL,
    createat bigint,
    updateat bigint,
    userid varchar(26) NOT NULL,
    channelid varchar(26) NOT NULL,
    rootid varchar(26),
    message varchar(65535),
    props varchar(8000),
    fileids varchar(300),
    priority text,
    scheduledat bigint NOT NULL,
    processedat bigint,
    errorcode varchar(200),
    CONSTRAINT scheduledposts_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_scheduledposts_userid_channel_id_scheduled_at
    ON scheduledposts (userid, channelid, scheduledat);
-- Utmost's own: the sending job looks due posts up by time every few seconds.
CREATE INDEX IF NOT EXISTS idx_scheduledposts_scheduledat ON scheduledposts (scheduledat);

DO $$
BEGIN
    CREATE TYPE channel_bookmark_type AS ENUM ('link', 'file');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS channelbookmarks (
    id varchar(26) NOT NULL,
    ownerid varchar(26) NOT NULL,
    channelid varchar(26) NOT NULL,
    fileinfoid varchar(26) DEFAULT NULL,
    createat bigint DEFAULT 0,
    updateat bigint DEFAULT 0,
    deleteat bigint DEFAULT 0,
    displayname text DEFAULT '',
    sortorder integer DEFAULT 0,
    linkurl text,
    imageurl text,
    emoji varchar(64) DEFAULT NULL,
    type channel_bookmark_type DEFAULT 'link',
    originalid varchar(26) DEFAULT NULL,
    parentid varchar(26) DEFAULT NULL,
    CONSTRAINT channelbookmarks_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_channelbookmarks_channelid ON channelbookmarks (channelid);
CREATE INDEX IF NOT EXISTS idx_channelbookmarks_delete_at ON channelbookmarks (deleteat);
CREATE INDEX IF NOT EXISTS idx_channelbookmarks_update_at ON channelbookmarks (updateat);
