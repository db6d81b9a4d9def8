-- Teams and team membership.

DO $$
BEGIN
    CREATE TYPE team_type AS ENUM ('I', 'O');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS teams (
    id varchar(26) NOT NULL,
    createat bigint,
    updateat bigint,
    deleteat bigint,
    displayname varchar(64),
    name varchar(64),
    description varchar(255),
    email varchar(128),
    type team_type,
    companyname varchar(64),
    alloweddomains varchar(1000),
    inviteid varchar(32),
    schemeid varchar(26),
    allowopeninvite boolean,
    lastteamiconupdate bigint,
    groupconstrained boolean,
    cloudlimitsarchived boolean NOT NULL DEFAULT false,
    CONSTRAINT teams_pkey PRIMARY KEY (id),
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE INDEX IF NOT EXISTS idx_teams_invite_id ON teams (inviteid);
CREATE INDEX IF NOT EXISTS idx_teams_scheme_id ON teams (schemeid);
CREATE INDEX IF NOT EXISTS idx_teams_create_at ON teams (createat);
CREATE INDEX IF NOT EXISTS idx_teams_update_at ON teams (updateat);
CREATE INDEX IF NOT EXISTS idx_teams_delete_at ON teams (deleteat);

CREATE TABLE IF NOT EXISTS teammembers (
    teamid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    roles varchar(256),
    deleteat bigint,
    schemeuser boolean,
    schemeadmin boolean,
    schemeguest boolean,
    createat bigint DEFAULT 0,
    CONSTRAINT teammembers_pkey PRIMARY KEY (teamid, userid)
);

CREATE INDEX IF NOT EXISTS idx_teammembers_user_id ON teammembers (userid);
CREATE INDEX IF NOT EXISTS idx_teammembers_delete_at ON teammembers (deleteat);
CREATE INDEX IF NOT EXISTS idx_teammembers_createat ON teammembers (createat);
