-- Message priority, acknowledgements, "remind me" reminders and persistent notifications
-- (Mattermost migrations 000091, 000097, 000098 and 000109).

CREATE TABLE IF NOT EXISTS postspriority (
    postid varchar(26) NOT NULL,
    channelid varchar(26) NOT NULL,
    priority varchar(32) NOT NULL,
    requestedack boolean,
    persistentnotifications boolean,
    CONSTRAINT postspriority_pkey PRIMARY KEY (postid)
);

-- acknowledgedat 0 means the acknowledgement was taken back.
CREATE TABLE IF NOT EXISTS postacknowledgements (
    postid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    acknowledgedat bigint,
    CONSTRAINT postacknowledgements_pkey PRIMARY KEY (postid, userid)
);

-- targettime is in seconds, not milliseconds, as in Mattermost.
CREATE TABLE IF NOT EXISTS postreminders (
    postid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    targettime bigint,
    CONSTRAINT postreminders_pkey PRIMARY KEY (postid, userid)
);

CREATE INDEX IF NOT EXISTS idx_postreminders_targettime ON postreminders (targettime);

CREATE TABLE IF NOT EXISTS persistentnotifications (
    postid varchar(26) NOT NULL,
    createat bigint,
    lastsentat bigint,
    deleteat bigint,
    sentcount smallint,
    CONSTRAINT persistentnotifications_pkey PRIMARY KEY (postid)
);
