-- Server-wide key/value bookkeeping.

CREATE TABLE IF NOT EXISTS systems (
    name TEXT NOT NULL,
    value TEXT,
    CONSTRAINT systems_pkey PRIMARY KEY (name)
);
