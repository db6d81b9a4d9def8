-- Server-side message drafts, one per (user, channel, thread root).

CREATE TABLE IF NOT EXISTS drafts (
    createat bigint,
    updateat bigint,
    deleteat bigint,
    userid varchar(26) NOT NULL,
    channelid varchar(26) NOT NULL,
    rootid varchar(26) NOT NULL DEFAULT '',
    message varchar(65535),
    props varchar(8000),
    fileids varchar(300),
    priority text,
    CONSTRAINT drafts_pkey PRIMARY KEY (userid, channelid, rootid)
);
