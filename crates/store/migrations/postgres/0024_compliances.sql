-- Compliance report runs (Mattermost's Compliances, backs /api/v4/compliance/reports).
-- "desc" is a reserved word, quoted as Mattermost quotes it.

CREATE TABLE IF NOT EXISTS compliances (
    id varchar(26) NOT NULL,
    createat bigint,
    userid varchar(26),
    status varchar(64),
    count integer,
    "desc" varchar(512),
    type varchar(64),
    startat bigint,
    endat bigint,
    keywords varchar(512),
    emails varchar(1024),
    CONSTRAINT compliances_pkey PRIMARY KEY (id)
);
