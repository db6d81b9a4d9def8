-- Custom terms of service versions and which version each user accepted.

CREATE TABLE IF NOT EXISTS termsofservice (
    id TEXT NOT NULL,
    createat INTEGER,
    userid TEXT,
    text TEXT,
    CONSTRAINT termsofservice_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS usertermsofservice (
    userid TEXT NOT NULL,
    termsofserviceid TEXT,
    createat INTEGER,
    CONSTRAINT usertermsofservice_pkey PRIMARY KEY (userid)
);
