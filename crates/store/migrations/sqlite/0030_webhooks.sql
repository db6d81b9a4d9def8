-- Incoming and outgoing webhooks (Mattermost's IncomingWebhooks and OutgoingWebhooks, with
-- its indexes). IF NOT EXISTS: a Mattermost database already has both.

CREATE TABLE IF NOT EXISTS incomingwebhooks (
    id TEXT NOT NULL,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    userid TEXT,
    channelid TEXT,
    teamid TEXT,
    displayname TEXT,
    description TEXT,
    username TEXT,
    iconurl TEXT,
    channellocked INTEGER,
    CONSTRAINT incomingwebhooks_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_incoming_webhook_create_at ON incomingwebhooks (createat);
CREATE INDEX IF NOT EXISTS idx_incoming_webhook_delete_at ON incomingwebhooks (deleteat);
CREATE INDEX IF NOT EXISTS idx_incoming_webhook_team_id ON incomingwebhooks (teamid);
CREATE INDEX IF NOT EXISTS idx_incoming_webhook_update_at ON incomingwebhooks (updateat);
CREATE INDEX IF NOT EXISTS idx_incoming_webhook_user_id ON incomingwebhooks (userid);

CREATE TABLE IF NOT EXISTS outgoingwebhooks (
    id TEXT NOT NULL,
    token TEXT,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    creatorid TEXT,
    channelid TEXT,
    teamid TEXT,
    triggerwords TEXT,
    callbackurls TEXT,
    displayname TEXT,
    contenttype TEXT,
    triggerwhen INTEGER,
    username TEXT,
    iconurl TEXT,
    description TEXT,
    CONSTRAINT outgoingwebhooks_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_outgoing_webhook_create_at ON outgoingwebhooks (createat);
CREATE INDEX IF NOT EXISTS idx_outgoing_webhook_delete_at ON outgoingwebhooks (deleteat);
CREATE INDEX IF NOT EXISTS idx_outgoing_webhook_team_id ON outgoingwebhooks (teamid);
CREATE INDEX IF NOT EXISTS idx_outgoing_webhook_update_at ON outgoingwebhooks (updateat);
