-- Custom terms of service versions and which version each user accepted.

CREATE TABLE IF NOT EXISTS termsofservice (
    id varchar(26) NOT NULL,
    createat bigint,
    userid varchar(26),
    text varchar(65535),
    CONSTRAINT termsofservice_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS usertermsofservice (
    userid varchar(26) NOT NULL,
    termsofserviceid varchar(26),
    createat bigint,
    CONSTRAINT usertermsofservice_pkey PRIMARY KEY (userid)
);
