-- Custom slash commands and the response URLs handed to them (Mattermost's Commands and
-- CommandWebhooks, with its indexes). IF NOT EXISTS: a Mattermost database already has both.

CREATE TABLE IF NOT EXISTS commands (
    id varchar(26) NOT NULL,
    token varchar(26),
    createat bigint,
    updateat bigint,
    deleteat bigint,
    creatorid varchar(26),
    teamid varchar(26),
    "trigger" varchar(128),
    method varchar(1),
    username varchar(64),
    iconurl varchar(1024),
    autocomplete boolean,
    autocompletedesc varchar(1024),
    autocompletehint varchar(1024),
    displayname varchar(64),
    description varchar(128),
    url varchar(1024),
    pluginid varchar(190),
    CONSTRAINT commands_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_command_team_id ON commands (teamid);
CREATE INDEX IF NOT EXISTS idx_command_update_at ON commands (updateat);
CREATE INDEX IF NOT EXISTS idx_command_create_at ON commands (createat);
CREATE INDEX IF NOT EXISTS idx_command_delete_at ON commands (deleteat);

CREATE TABLE IF NOT EXISTS commandwebhooks (
    id varchar(26) NOT NULL,
    createat bigint,
    commandid varchar(26),
    userid varchar(26),
    channelid varchar(26),
    rootid varchar(26),
    usecount integer,
    CONSTRAINT commandwebhooks_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_command_webhook_create_at ON commandwebhooks (createat);
