-- Custom data retention policies and the teams and channels they cover (Mattermost's
-- migration 000053). Mattermost's foreign keys cascade a policy's deletion to its rows;
-- here `store::retention::delete_policy` deletes them in the same transaction.
-- (`retentionidsfordeletion`, Mattermost's work table of a PostgreSQL id array, is not
-- created: the deletion job removes a batch's rows in one transaction and needs no queue.)

CREATE TABLE IF NOT EXISTS retentionpolicies (
    id varchar(26) NOT NULL,
    displayname varchar(64),
    postduration bigint,
    CONSTRAINT retentionpolicies_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_retentionpolicies_displayname ON retentionpolicies (displayname);

CREATE TABLE IF NOT EXISTS retentionpoliciesteams (
    policyid varchar(26),
    teamid varchar(26) NOT NULL,
    CONSTRAINT retentionpoliciesteams_pkey PRIMARY KEY (teamid)
);

CREATE INDEX IF NOT EXISTS idx_retentionpoliciesteams_policyid ON retentionpoliciesteams (policyid);

CREATE TABLE IF NOT EXISTS retentionpolicieschannels (
    policyid varchar(26),
    channelid varchar(26) NOT NULL,
    CONSTRAINT retentionpolicieschannels_pkey PRIMARY KEY (channelid)
);

CREATE INDEX IF NOT EXISTS idx_retentionpolicieschannels_policyid ON retentionpolicieschannels (policyid);
