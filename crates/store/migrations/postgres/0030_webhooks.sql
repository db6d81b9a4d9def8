-- Incoming and outgoing webhooks (Mattermost's IncomingWebhooks and OutgoingWebhooks, with
-- its indexes). IF NOT EXISTS: a Mattermost database already has both.

CREATE TABLE IF NOT EXISTS incomingwebhooks (
    id varchar(26) NOT NULL,
    createat bigint,
    updateat bigint,
    deleteat bigint,
    userid varchar(26),
    channelid varchar(26),
    teamid varchar(26),
    displayname varchar(64),
    description varchar(500),
    username varchar(255),
    iconurl varchar(1024),
    channellocked boolean,
    CONSTRAINT incomingwebhooks_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_incoming_webhook_create_at ON incomingwebhooks (createat);
CREATE INDEX IF NOT EXISTS idx_incoming_webhook_delete_at ON incomingwebhooks (deleteat);
CREATE INDEX IF NOT EXISTS idx_incoming_webhook_team_id ON incomingwebhooks (teamid);
CREATE INDEX IF NOT EXISTS idx_incoming_webhook_update_at ON incomingwebhooks (updateat);
CREATE INDEX IF NOT EXISTS idx_incoming_webhook_user_id ON incomingwebhooks (userid);

CREATE TABLE IF NOT EXISTS outgoingwebhooks (
    id varchar(26) NOT NULL,
    token varchar(26),
    createat bigint,
    updateat bigint,
    deleteat bigint,
    creatorid varchar(26),
    channelid varchar(26),
    teamid varchar(26),
    triggerwords varchar(1024),
    callbackurls varchar(1024),
    displayname varchar(64),
    contenttype varchar(128),
    triggerwhen integer,
    username varchar(64),
    iconurl varchar(1024),
    description varchar(500),
    CONSTRAINT outgoingwebhooks_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_outgoing_webhook_create_at ON outgoingwebhooks (createat);
CREATE INDEX IF NOT EXISTS idx_outgoing_webhook_delete_at ON outgoingwebhooks (deleteat);
CREATE INDEX IF NOT EXISTS idx_outgoing_webhook_team_id ON outgoingwebhooks (teamid);
CREATE INDEX IF NOT EXISTS idx_outgoing_webhook_update_at ON outgoingwebhooks (updateat);
