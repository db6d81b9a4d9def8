-- Server-side message drafts, one per (user, channel, thread root).

CREATE TABLE IF NOT EXISTS drafts (
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    userid TEXT NOT NULL,
    channelid TEXT NOT NULL,
    rootid TEXT NOT NULL DEFAULT '',
    message TEXT,
    props TEXT,
    fileids TEXT,
    priority TEXT,
    CONSTRAINT drafts_pkey PRIMARY KEY (userid, channelid, rootid)
);
