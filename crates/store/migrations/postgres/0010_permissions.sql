-- Roles and permission schemes.

CREATE TABLE IF NOT EXISTS roles (
    id varchar(26) NOT NULL,
    name varchar(64),
    displayname varchar(128),
    description varchar(1024),
    createat bigint,
    updateat bigint,
    deleteat bigint,
    permissions text,
    schememanaged boolean,
    builtin boolean,
    CONSTRAINT roles_pkey PRIMARY KEY (id),
    CONSTRAINT roles_name_key UNIQUE (name)
);

CREATE TABLE IF NOT EXISTS schemes (
    id varchar(26) NOT NULL,
    name varchar(64),
    displayname varchar(128),
    description varchar(1024),
    createat bigint,
    updateat bigint,
    deleteat bigint,
    scope varchar(32),
    defaultteamadminrole varchar(64),
    defaultteamuserrole varchar(64),
    defaultchanneladminrole varchar(64),
    defaultchanneluserrole varchar(64),
    defaultteamguestrole varchar(64),
    defaultchannelguestrole varchar(64),
    defaultplaybookadminrole varchar(64) DEFAULT '',
    defaultplaybookmemberrole varchar(64) DEFAULT '',
    defaultrunadminrole varchar(64) DEFAULT '',
    defaultrunmemberrole varchar(64) DEFAULT '',
    CONSTRAINT schemes_pkey PRIMARY KEY (id),
    CONSTRAINT schemes_name_key UNIQUE (name)
);

CREATE INDEX IF NOT EXISTS idx_schemes_channel_admin_role ON schemes (defaultchanneladminrole);
CREATE INDEX IF NOT EXISTS idx_schemes_channel_user_role ON schemes (defaultchanneluserrole);
CREATE INDEX IF NOT EXISTS idx_schemes_channel_guest_role ON schemes (defaultchannelguestrole);
