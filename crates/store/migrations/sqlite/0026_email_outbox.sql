-- Utmost's own tables for email (no Mattermost counterpart: Mattermost sends at once and
-- keeps batched notices in memory). `utmost_email_outbox` holds each message until the SMTP
-- server accepted it, then the row is deleted; `utmost_email_batch` holds the notices of
-- users whose emails are batched until their digest is written to the outbox.

CREATE TABLE IF NOT EXISTS utmost_email_outbox (
    id TEXT NOT NULL,
    createat INTEGER NOT NULL,
    dueat INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    htmlbody TEXT NOT NULL,
    textbody TEXT NOT NULL,
    lasterror TEXT NOT NULL,
    CONSTRAINT utmost_email_outbox_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_utmost_email_outbox_dueat ON utmost_email_outbox (dueat);

CREATE TABLE IF NOT EXISTS utmost_email_batch (
    id TEXT NOT NULL,
    userid TEXT NOT NULL,
    createat INTEGER NOT NULL,
    notice TEXT NOT NULL,
    CONSTRAINT utmost_email_batch_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_utmost_email_batch_userid ON utmost_email_batch (userid, createat);
