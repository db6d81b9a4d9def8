-- Utmost's own tables for email (no Mattermost counterpart: Mattermost sends at once and
-- keeps batched notices in memory). `utmost_email_outbox` holds each message until the SMTP
-- server accepted it, then the row is deleted; `utmost_email_batch` holds the notices of
-- users whose emails are batched until their digest is written to the outbox.

CREATE TABLE IF NOT EXISTS utmost_email_outbox (
    id varchar(26) NOT NULL,
    createat bigint NOT NULL,
    dueat bigint NOT NULL,
    attempts integer NOT NULL,
    recipient varchar(320) NOT NULL,
    subject text NOT NULL,
    htmlbody text NOT NULL,
    textbody text NOT NULL,
    lasterror text NOT NULL,
    CONSTRAINT utmost_email_outbox_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_utmost_email_outbox_dueat ON utmost_email_outbox (dueat);

CREATE TABLE IF NOT EXISTS utmost_email_batch (
    id varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    createat bigint NOT NULL,
    notice text NOT NULL,
    CONSTRAINT utmost_email_batch_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_utmost_email_batch_userid ON utmost_email_batch (userid, createat);
