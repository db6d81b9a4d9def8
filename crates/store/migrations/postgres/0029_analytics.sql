-- Utmost's own tables for the System Console's statistics (`/analytics/old`, the user
-- reports): each completed UTC day's posts, counted once by the `analytics` service, so a
-- statistic reads days instead of scanning every post.
--
-- utmost_analytics_posts: one row per (day, team, poster): the day's posts by that user in
-- the team's channels (team '' for direct and group messages), how many carried files or
-- hashtags, whether the poster is a bot, and the time of their last post that day.
-- utmost_analytics_days: one row per completed day, with the day's totals, the distinct
-- posters, and the checksum (post count, newest updateat) that tells a changed day apart.
-- utmost_analytics_team_days: the same totals per (day, team), what a team's statistics read.

CREATE TABLE IF NOT EXISTS utmost_analytics_posts (
    day bigint NOT NULL,
    teamid varchar(26) NOT NULL,
    userid varchar(26) NOT NULL,
    isbot bigint NOT NULL,
    posts bigint NOT NULL,
    fileposts bigint NOT NULL,
    hashtagposts bigint NOT NULL,
    lastpostat bigint NOT NULL,
    CONSTRAINT utmost_analytics_posts_pkey PRIMARY KEY (day, teamid, userid)
);

CREATE INDEX IF NOT EXISTS idx_utmost_analytics_posts_user_day ON utmost_analytics_posts (userid, day);

CREATE TABLE IF NOT EXISTS utmost_analytics_days (
    day bigint NOT NULL,
    posts bigint NOT NULL,
    botposts bigint NOT NULL,
    fileposts bigint NOT NULL,
    hashtagposts bigint NOT NULL,
    posters bigint NOT NULL,
    maxupdateat bigint NOT NULL,
    verifiedat bigint NOT NULL,
    CONSTRAINT utmost_analytics_days_pkey PRIMARY KEY (day)
);

CREATE INDEX IF NOT EXISTS idx_utmost_analytics_days_verifiedat ON utmost_analytics_days (verifiedat);

CREATE TABLE IF NOT EXISTS utmost_analytics_team_days (
    teamid varchar(26) NOT NULL,
    day bigint NOT NULL,
    posts bigint NOT NULL,
    botposts bigint NOT NULL,
    fileposts bigint NOT NULL,
    hashtagposts bigint NOT NULL,
    posters bigint NOT NULL,
    CONSTRAINT utmost_analytics_team_days_pkey PRIMARY KEY (teamid, day)
);
