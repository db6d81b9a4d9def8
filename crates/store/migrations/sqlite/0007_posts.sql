-- Posts, collapsed-reply-thread state and reactions.

CREATE TABLE IF NOT EXISTS posts (
    id TEXT NOT NULL,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    userid TEXT,
    channelid TEXT,
    rootid TEXT,
    originalid TEXT,
    message TEXT,
    type TEXT,
    props TEXT,
    hashtags TEXT,
    filenames TEXT,
    fileids TEXT,
    hasreactions INTEGER,
    editat INTEGER,
    ispinned INTEGER,
    remoteid TEXT,
    CONSTRAINT posts_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_posts_channel_id_delete_at_create_at ON posts (channelid, deleteat, createat);
CREATE INDEX IF NOT EXISTS idx_posts_channel_id_update_at ON posts (channelid, updateat);
CREATE INDEX IF NOT EXISTS idx_posts_create_at ON posts (createat);
CREATE INDEX IF NOT EXISTS idx_posts_create_at_id ON posts (createat, id);
CREATE INDEX IF NOT EXISTS idx_posts_delete_at ON posts (deleteat);
CREATE INDEX IF NOT EXISTS idx_posts_is_pinned ON posts (ispinned);
CREATE INDEX IF NOT EXISTS idx_posts_original_id ON posts (originalid);
CREATE INDEX IF NOT EXISTS idx_posts_root_id_delete_at ON posts (rootid, deleteat);
CREATE INDEX IF NOT EXISTS idx_posts_update_at ON posts (updateat);
CREATE INDEX IF NOT EXISTS idx_posts_user_id ON posts (userid);

CREATE TABLE IF NOT EXISTS threads (
    postid TEXT NOT NULL,
    replycount INTEGER,
    lastreplyat INTEGER,
    participants TEXT,
    channelid TEXT,
    threaddeleteat INTEGER,
    threadteamid TEXT,
    CONSTRAINT threads_pkey PRIMARY KEY (postid)
);

CREATE INDEX IF NOT EXISTS idx_threads_channel_id_last_reply_at ON threads (channelid, lastreplyat);

CREATE TABLE IF NOT EXISTS threadmemberships (
    postid TEXT NOT NULL,
    userid TEXT NOT NULL,
    following INTEGER,
    lastviewed INTEGER,
    lastupdated INTEGER,
    unreadmentions INTEGER,
    CONSTRAINT threadmemberships_pkey PRIMARY KEY (postid, userid)
);

CREATE INDEX IF NOT EXISTS idx_thread_memberships_user_id ON threadmemberships (userid);
CREATE INDEX IF NOT EXISTS idx_thread_memberships_last_view_at ON threadmemberships (lastviewed);
CREATE INDEX IF NOT EXISTS idx_thread_memberships_last_update_at ON threadmemberships (lastupdated);

CREATE TABLE IF NOT EXISTS reactions (
    userid TEXT NOT NULL,
    postid TEXT NOT NULL,
    emojiname TEXT NOT NULL,
    createat INTEGER,
    updateat INTEGER,
    deleteat INTEGER,
    remoteid TEXT,
    channelid TEXT NOT NULL DEFAULT '',
    CONSTRAINT reactions_pkey PRIMARY KEY (postid, userid, emojiname)
);

CREATE INDEX IF NOT EXISTS idx_reactions_channel_id ON reactions (channelid);
