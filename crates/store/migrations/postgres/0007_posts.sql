-- Posts, collapsed-reply-thread state and reactions.

CREATE TABLE IF NOT EXISTS posts (
    id varchar(26) NOT NULL,
    createat bigint,
    updateat bigint,
    deleteat bigint,
    userid varchar(26),
    channelid varchar(26),
    rootid varchar(26),
    originalid varchar(26),
    message varchar(65535),
    type varchar(26),
    props jsonb,
    hashtags varchar(1000),
    filenames varchar(4000),
    fileids varchar(300),
    hasreactions boolean,
    editat bigint,
    ispinned boolean,
    remoteid varchar(26),
    CONSTRAINT posts_pkey PRIMARY KEY (id)
) WITH (autovacuum_vacuum_scale_factor = 0.1, autovacuum_analyze_scale_factor = 0.05);

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
CREATE INDEX IF NOT EXISTS idx_posts_message_txt ON posts USING gin (to_tsvector('english', message));
CREATE INDEX IF NOT EXISTS idx_posts_hashtags_txt ON posts USING gin (to_tsvector('english', hashtags));

CREATE TABLE IF NOT EXISTS threads (
    postid varchar(26) NOT NULL,
    replycount bigint,
    lastreplyat bigint,
    participants jsonb,
    channelid varchar(26),
    threaddeleteat bigint,
    threadteamid varchar(26),
    CONSTRAINT threads_pkey PRIMARY KEY (postid)
);

CREATE INDEX IF NOT EXISTS idx_threads_channel_id_last_reply_at ON threads (channelid, lastreplyat);

CREATE TABLE IF NOT EXISTS threadmemberships (
    postid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    following boolean,
    lastviewed bigint,
    lastupdated bigint,
    unreadmentions bigint,
    CONSTRAINT threadmemberships_pkey PRIMARY KEY (postid, userid)
) WITH (autovacuum_vacuum_scale_factor = 0.1, autovacuum_analyze_scale_factor = 0.05);

CREATE INDEX IF NOT EXISTS idx_thread_memberships_user_id ON threadmemberships (userid);
CREATE INDEX IF NOT EXISTS idx_thread_memberships_last_view_at ON threadmemberships (lastviewed);
CREATE INDEX IF NOT EXISTS idx_thread_memberships_last_update_at ON threadmemberships (lastupdated);

CREATE TABLE IF NOT EXISTS reactions (
    userid varchar(26) NOT NULL,
    postid varchar(26) NOT NULL,
    emojiname varchar(64) NOT NULL,
    createat bigint,
    updateat bigint,
    deleteat bigint,
    remoteid varchar(26),
    channelid varchar(26) NOT NULL DEFAULT '',
    CONSTRAINT reactions_pkey PRIMARY KEY (postid, userid, emojiname)
);

CREATE INDEX IF NOT EXISTS idx_reactions_channel_id ON reactions (channelid);
