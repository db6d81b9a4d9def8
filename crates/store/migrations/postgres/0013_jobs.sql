-- Background job queue shared by all nodes (backs /api/v4/jobs).

CREATE TABLE IF NOT EXISTS jobs (
    id varchar(26) NOT NULL,
    type varchar(32),
    priority bigint,
    createat bigint,
    startat bigint,
    lastactivityat bigint,
    status varchar(32),
    progress bigint,
    data jsonb,
    CONSTRAINT jobs_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_jobs_type ON jobs (type);
CREATE INDEX IF NOT EXISTS idx_jobs_status_type ON jobs (status, type);
