#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique constraint refused the row; the string names the constraint or table.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("invalid stored data: {0}")]
    Corrupt(String),
    /// The query exists for the other database only (PostgreSQL full-text search).
    #[error("not supported on this database: {0}")]
    Unsupported(&'static str),
}

impl StoreError {
    /// PostgreSQL aborted the transaction to break a deadlock (SQLSTATE 40P01) or a
    /// serialization conflict (40001); running it again is safe.
    pub(crate) fn is_transient_conflict(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(db))
            if matches!(db.code().as_deref(), Some("40001" | "40P01")))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound("row"),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().unwrap_or(db.message()).to_string())
            }
            _ => StoreError::Database(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl From<StoreError> for utmost_model::AppError {
    /// A store failure no service expected: a 500 whose cause is logged. The store never
    /// picks a status; services turn the outcomes they expect (no such row, a taken name)
    /// into their own errors (`utmost_app::errors`) before this is reached.
    fn from(e: StoreError) -> Self {
        utmost_model::AppError::internal("app.store.database.app_error", e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_store_error_picks_a_status_of_its_own() {
        for e in [
            StoreError::NotFound("post"),
            StoreError::Conflict("name".into()),
            StoreError::Corrupt("bad json".into()),
        ] {
            let cause = e.to_string();
            let app = utmost_model::AppError::from(e);
            assert_eq!(app.status_code, 500);
            assert_eq!(app.detailed_error, cause);
        }
    }
}
