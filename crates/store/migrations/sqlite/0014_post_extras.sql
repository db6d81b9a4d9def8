-- Message priority, acknowledgements, "remind me" reminders and persistent notifications
-- (Mattermost migrations 000091, 000097, 000098 and 000109).

CREATE TABLE IF NOT EXISTS postspriority (
    postid TEXT NOT NULL,
    channelid TEXT NOT NULL,
    priority TEXT NOT NULL,
    requestedack INTEGER,
    persistentnotifications INTEGER,
    CONSTRAINT postspriority_pkey PRIMARY KEY (postid)
);

-- acknowledgedat 0 means the acknowledgement was taken back.
CREATE TABLE IF NOT EXISTS postacknowledgements (
    postid TEXT NOT NULL,
    userid TEXT NOT NULL,
    acknowledgedat INTEGER,
    CONSTRAINT postacknowledgements_pkey PRIMARY KEY (postid, userid)
);

-- targettime is in seconds, not milliseconds, as in Mattermost.
CREATE TABLE IF NOT EXISTS postreminders (
    postid TEXT NOT NULL,
    userid TEXT NOT NULL,
    targettime INTEGER,
    CONSTRAINT postreminders_pkey PRIMARY KEY (postid, userid)
);

CREATE INDEX IF NOT EXISTS idx_postreminders_targettime ON postreminders (targettime);

CREATE TABLE IF NOT EXISTS persistentnotifications (
    postid TEXT NOT NULL,
    createat INTEGER,
    lastsentat INTEGER,
    deleteat INTEGER,
    sentcount INTEGER,
    CONSTRAINT persistentnotifications_pkey PRIMARY KEY (postid)
);
