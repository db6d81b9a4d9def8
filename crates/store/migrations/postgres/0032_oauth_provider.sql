-- The OAuth 2.0 provider (Mattermost's OAuthApps, OAuthAccessData and OAuthAuthData, with
-- their indexes). IF NOT EXISTS: a Mattermost database already has them. Utmost writes the
-- client secret, the codes and both tokens hashed (sessions' stored form), never in clear.

CREATE TABLE IF NOT EXISTS oauthapps (
    id varchar(26) NOT NULL,
    creatorid varchar(26),
    createat bigint,
    updateat bigint,
    clientsecret varchar(128),
    name varchar(64),
    description varchar(512),
    callbackurls varchar(1024),
    homepage varchar(256),
    istrusted boolean,
    iconurl varchar(512),
    mattermostappid varchar(32) NOT NULL DEFAULT '',
    CONSTRAINT oauthapps_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_oauthapps_creator_id ON oauthapps (creatorid);

CREATE TABLE IF NOT EXISTS oauthaccessdata (
    token varchar(26) NOT NULL,
    refreshtoken varchar(26),
    redirecturi varchar(256),
    clientid varchar(26),
    userid varchar(26),
    expiresat bigint,
    scope varchar(128),
    CONSTRAINT oauthaccessdata_pkey PRIMARY KEY (token),
    CONSTRAINT oauthaccessdata_clientid_userid_key UNIQUE (clientid, userid)
);

CREATE INDEX IF NOT EXISTS idx_oauthaccessdata_refresh_token ON oauthaccessdata (refreshtoken);
CREATE INDEX IF NOT EXISTS idx_oauthaccessdata_user_id ON oauthaccessdata (userid);

CREATE TABLE IF NOT EXISTS oauthauthdata (
    clientid varchar(26),
    userid varchar(26),
    code varchar(128) NOT NULL,
    expiresin integer,
    createat bigint,
    redirecturi varchar(256),
    state varchar(1024),
    scope varchar(128),
    CONSTRAINT oauthauthdata_pkey PRIMARY KEY (code)
);

-- PKCE (Mattermost 11's columns of OAuthAuthData): the S256 challenge the code is bound to.
ALTER TABLE oauthauthdata ADD COLUMN IF NOT EXISTS codechallenge varchar(128) DEFAULT '';
ALTER TABLE oauthauthdata ADD COLUMN IF NOT EXISTS codechallengemethod varchar(10) DEFAULT '';
