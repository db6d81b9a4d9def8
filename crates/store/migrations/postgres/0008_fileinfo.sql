-- Uploaded file metadata (the bytes live in the file store at path).

CREATE TABLE IF NOT EXISTS fileinfo (
    id varchar(26) NOT NULL,
    creatorid varchar(26),
    postid varchar(26),
    createat bigint,
    updateat bigint,
    deleteat bigint,
    path varchar(512),
    thumbnailpath varchar(512),
    previewpath varchar(512),
    name varchar(256),
    extension varchar(64),
    size bigint,
    mimetype varchar(256),
    width integer,
    height integer,
    haspreviewimage boolean,
    minipreview bytea,
    content text,
    remoteid varchar(26),
    archived boolean NOT NULL DEFAULT false,
    channelid varchar(26),
    CONSTRAINT fileinfo_pkey PRIMARY KEY (id)
) WITH (autovacuum_vacuum_scale_factor = 0.1, autovacuum_analyze_scale_factor = 0.05);

CREATE INDEX IF NOT EXISTS idx_fileinfo_channel_id_create_at ON fileinfo (channelid, createat);
CREATE INDEX IF NOT EXISTS idx_fileinfo_create_at ON fileinfo (createat);
CREATE INDEX IF NOT EXISTS idx_fileinfo_delete_at ON fileinfo (deleteat);
CREATE INDEX IF NOT EXISTS idx_fileinfo_extension_at ON fileinfo (extension);
CREATE INDEX IF NOT EXISTS idx_fileinfo_postid_at ON fileinfo (postid);
CREATE INDEX IF NOT EXISTS idx_fileinfo_update_at ON fileinfo (updateat);
CREATE INDEX IF NOT EXISTS idx_fileinfo_name_txt ON fileinfo USING gin (to_tsvector('english', name));
CREATE INDEX IF NOT EXISTS idx_fileinfo_name_splitted ON fileinfo USING gin (to_tsvector('english', translate(name, '.,-', '   ')));
CREATE INDEX IF NOT EXISTS idx_fileinfo_content_txt ON fileinfo USING gin (to_tsvector('english', content));
