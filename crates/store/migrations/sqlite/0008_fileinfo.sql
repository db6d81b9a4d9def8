-- Uploaded file metadata (the bytes live in the file store at path).

CREATE TABLE IF NOT EXISTS fileinfo (
    id TEXT NOT NULL,
    creatorid TEXT,
    postid TEXT,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    path TEXT,
    thumbnailpath TEXT,
    previewpath TEXT,
    name TEXT,
    extension TEXT,
    size INTEGER,
    mimetype TEXT,
    width INTEGER,
    height INTEGER,
    haspreviewimage INTEGER,
    minipreview BLOB,
    content TEXT,
    remoteid TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    channelid TEXT,
    CONSTRAINT fileinfo_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_fileinfo_channel_id_create_at ON fileinfo (channelid, createat);
CREATE INDEX IF NOT EXISTS idx_fileinfo_create_at ON fileinfo (createat);
CREATE INDEX IF NOT EXISTS idx_fileinfo_delete_at ON fileinfo (deleteat);
CREATE INDEX IF NOT EXISTS idx_fileinfo_extension_at ON fileinfo (extension);
CREATE INDEX IF NOT EXISTS idx_fileinfo_postid_at ON fileinfo (postid);
CREATE INDEX IF NOT EXISTS idx_fileinfo_update_at ON fileinfo (updateat);
