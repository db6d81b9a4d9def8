-- Roles and permission schemes.

CREATE TABLE IF NOT EXISTS roles (
    id TEXT NOT NULL,
    name TEXT,
    displayname TEXT,
    description TEXT,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    permissions TEXT,
    schememanaged INTEGER,
    builtin INTEGER,
    CONSTRAINT roles_pkey PRIMARY KEY (id),
    CONSTRAINT roles_name_key UNIQUE (name)
);

CREATE TABLE IF NOT EXISTS schemes (
    id TEXT NOT NULL,
    name TEXT,
    displayname TEXT,
    description TEXT,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    scope TEXT,
    defaultteamadminrole TEXT,
    defaultteamuserrole TEXT,
    defaultchanneladminrole TEXT,
    defaultchanneluserrole TEXT,
    defaultteamguestrole TEXT,
    defaultchannelguestrole TEXT,
    defaultplaybookadminrole TEXT DEFAULT '',
    defaultplaybookmemberrole TEXT DEFAULT '',
    defaultrunadminrole TEXT DEFAULT '',
    defaultrunmemberrole TEXT DEFAULT '',
    CONSTRAINT schemes_pkey PRIMARY KEY (id),
    CONSTRAINT schemes_name_key UNIQUE (name)
);

CREATE INDEX IF NOT EXISTS idx_schemes_channel_admin_role ON schemes (defaultchanneladminrole);
CREATE INDEX IF NOT EXISTS idx_schemes_channel_user_role ON schemes (defaultchanneluserrole);
CREATE INDEX IF NOT EXISTS idx_schemes_channel_guest_role ON schemes (defaultchannelguestrole);
