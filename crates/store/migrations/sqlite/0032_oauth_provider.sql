-- The OAuth 2.0 provider (Mattermost's OAuthApps, OAuthAccessData and OAuthAuthData, with
-- their indexes). IF NOT EXISTS: a Mattermost database already has them. Utmost writes the
-- client secret, the codes and both tokens hashed (sessions' stored form), never in clear.

CREATE TABLE IF NOT EXISTS oauthapps (
    id TEXT NOT NULL,
    creatorid TEXT,
    createat INTEGER,
    updateat INTEGER,
    clientsecret TEXT,
    name TEXT,
    description TEXT,
    callbackurls TEXT,
    homepage TEXT,
    istrusted INTEGER,
    iconurl TEXT,
    mattermostappid TEXT NOT NULL DEFAULT '',
    CONSTRAINT oauthapps_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_oauthapps_creator_id ON oauthapps (creatorid);

CREATE TABLE IF NOT EXISTS oauthaccessdata (
    token TEXT NOT NULL,
    refreshtoken TEXT,
    redirecturi TEXT,
    clientid TEXT,
    userid TEXT,
    expiresat INTEGER,
    scope TEXT,
    CONSTRAINT oauthaccessdata_pkey PRIMARY KEY (token),
    CONSTRAINT oauthaccessdata_clientid_userid_key UNIQUE (clientid, userid)
);

CREATE INDEX IF NOT EXISTS idx_oauthaccessdata_refresh_token ON oauthaccessdata (refreshtoken);
CREATE INDEX IF NOT EXISTS idx_oauthaccessdata_user_id ON oauthaccessdata (userid);

CREATE TABLE IF NOT EXISTS oauthauthdata (
    clientid TEXT,
    userid TEXT,
    code TEXT NOT NULL,
    expiresin INTEGER,
    createat INTEGER,
    redirecturi TEXT,
    state TEXT,
    scope TEXT,
    -- PKCE (Mattermost 11's columns): the S256 challenge the code is bound to.
    codechallenge TEXT DEFAULT '',
    codechallengemethod TEXT DEFAULT '',
    CONSTRAINT oauthauthdata_pkey PRIMARY KEY (code)
);
