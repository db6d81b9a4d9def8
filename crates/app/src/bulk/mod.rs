//! Mattermost's bulk import and export (JSONL version 1): `lines` is the format, `source`
//! reads a `.jsonl` or a zip, `validate` checks a whole file before anything is written,
//! `apply` writes it idempotently (its posts in batches: `posts`), `export` writes the database back out in the format,
//! and `jobs` runs both as `import_process` and `export_process` jobs.

pub mod apply;
pub mod cleanup;
pub mod export;
pub mod files;
pub mod jobs;
pub mod lines;
mod posts;
pub mod preferences;
pub mod slack;
pub mod source;
pub mod validate;
