-- Teams and team membership.

CREATE TABLE IF NOT EXISTS teams (
    id TEXT NOT NULL,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    displayname TEXT,
    name TEXT,
    description TEXT,
    email TEXT,
    type TEXT CHECK (type IN ('I', 'O')),
    companyname TEXT,
    alloweddomains TEXT,
    inviteid TEXT,
    schemeid TEXT,
    allowopeninvite INTEGER,
    lastteamiconupdate INTEGER,
    groupconstrained INTEGER,
    cloudlimitsarchived INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT teams_pkey PRIMARY KEY (id),
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE INDEX IF NOT EXISTS idx_teams_invite_id ON teams (inviteid);
CREATE INDEX IF NOT EXISTS idx_teams_scheme_id ON teams (schemeid);
CREATE INDEX IF NOT EXISTS idx_teams_create_at ON teams (createat);
CREATE INDEX IF NOT EXISTS idx_teams_update_at ON teams (updateat);
CREATE INDEX IF NOT EXISTS idx_teams_delete_at ON teams (deleteat);

CREATE TABLE IF NOT EXISTS teammembers (
    teamid TEXT NOT NULL,
    userid TEXT NOT NULL,
    roles TEXT,
    deleteat INTEGER,
    schemeuser INTEGER,
    schemeadmin INTEGER,
    schemeguest INTEGER,
    createat INTEGER DEFAULT 0,
    CONSTRAINT teammembers_pkey PRIMARY KEY (teamid, userid)
);

CREATE INDEX IF NOT EXISTS idx_teammembers_user_id ON teammembers (userid);
CREATE INDEX IF NOT EXISTS idx_teammembers_delete_at ON teammembers (deleteat);
CREATE INDEX IF NOT EXISTS idx_teammembers_createat ON teammembers (createat);
