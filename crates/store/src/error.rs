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
    /// The generic mapping; services turn the cases they expect (a taken username, a missing
    /// channel) into Mattermost's specific error ids before this is reached.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => utmost_model::AppError::not_found(
                "app.store.not_found.app_error",
                format!("The {what} was not found."),
            ),
            StoreError::Conflict(what) => utmost_model::AppError::bad_request(
                "app.store.conflict.app_error",
                "A record with the same unique value already exists.",
            )
            .with_detail(what),
            other => utmost_model::AppError::internal("app.store.database.app_error", other),
        }
    }
}
