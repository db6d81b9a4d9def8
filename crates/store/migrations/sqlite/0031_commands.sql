-- Custom slash commands and the response URLs handed to them (Mattermost's Commands and
-- CommandWebhooks, with its indexes). IF NOT EXISTS: a Mattermost database already has both.

CREATE TABLE IF NOT EXISTS commands (
    id TEXT NOT NULL,
    token TEXT,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    creatorid TEXT,
    teamid TEXT,
    "trigger" TEXT,
    method TEXT,
    username TEXT,
    iconurl TEXT,
    autocomplete INTEGER,
    autocompletedesc TEXT,
    autocompletehint TEXT,
    displayname TEXT,
    description TEXT,
    url TEXT,
    pluginid TEXT,
    CONSTRAINT commands_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_command_team_id ON commands (teamid);
CREATE INDEX IF NOT EXISTS idx_command_update_at ON commands (updateat);
CREATE INDEX IF NOT EXISTS idx_command_create_at ON commands (createat);
CREATE INDEX IF NOT EXISTS idx_command_delete_at ON commands (deleteat);

CREATE TABLE IF NOT EXISTS commandwebhooks (
    id TEXT NOT NULL,
    createat INTEGER,
    commandid TEXT,
    userid TEXT,
    channelid TEXT,
    rootid TEXT,
    usecount INTEGER,
    CONSTRAINT commandwebhooks_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_command_webhook_create_at ON commandwebhooks (createat);
