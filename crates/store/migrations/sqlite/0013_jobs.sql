-- Background job queue shared by all nodes (backs /api/v4/jobs).

CREATE TABLE IF NOT EXISTS jobs (
    id TEXT NOT NULL,
    type TEXT,
    priority INTEGER,
    createat INTEGER,
    startat INTEGER,
    lastactivityat INTEGER,
    status TEXT,
    progress INTEGER,
    data TEXT,
    CONSTRAINT jobs_pkey PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS idx_jobs_type ON jobs (type);
CREATE INDEX IF NOT EXISTS idx_jobs_status_type ON jobs (status, type);
