-- Server-wide key/value bookkeeping.

CREATE TABLE IF NOT EXISTS systems (
    name varchar(64) NOT NULL,
    value varchar(1024),
    CONSTRAINT systems_pkey PRIMARY KEY (name)
);
