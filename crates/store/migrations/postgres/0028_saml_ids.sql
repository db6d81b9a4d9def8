-- Utmost's own table for SAML sign-in (Mattermost keeps these in each node's memory): the ids
-- of the AuthnRequests this server sent (kind 'request'), taken once by the response that
-- answers them, and the ids of the assertions it accepted (kind 'assertion'), kept until
-- they expire so a replayed assertion is refused by every node, after a restart too.

CREATE TABLE IF NOT EXISTS utmost_saml_ids (
    id varchar(256) NOT NULL,
    kind varchar(16) NOT NULL,
    expireat bigint NOT NULL,
    CONSTRAINT utmost_saml_ids_pkey PRIMARY KEY (kind, id)
);

CREATE INDEX IF NOT EXISTS idx_utmost_saml_ids_expireat ON utmost_saml_ids (expireat);
