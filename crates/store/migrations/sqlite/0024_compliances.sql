-- Compliance report runs (Mattermost's Compliances, backs /api/v4/compliance/reports).
-- "desc" is a reserved word, quoted as Mattermost quotes it.

CREATE TABLE IF NOT EXISTS compliances (
    id TEXT NOT NULL,
    createat INTEGER,
    userid TEXT,
    status TEXT,
    count INTEGER,
    "desc" TEXT,
    type TEXT,
    startat INTEGER,
    endat INTEGER,
    keywords TEXT,
    emails TEXT,
    CONSTRAINT compliances_pkey PRIMARY KEY (id)
);
