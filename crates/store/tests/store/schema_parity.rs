//! Schema parity between the SQLite and PostgreSQL migrations.
//!
//! * SQLite (always): a fresh database file in the temp dir; the migrator must run twice
//!   without error, and re-executing every migration's SQL on the migrated database (what
//!   happens when Utmost is pointed at an existing Mattermost database) must be harmless.
//! * PostgreSQL (when `TEST_DATABASE_URL` is set, e.g.
//!   `postgres://postgres@127.0.0.1:5432/postgres`): a fresh, uniquely named database is
//!   created, migrated, migrated again, and compared with the SQLite schema: the same
//!   (table, column) pairs, the same nullability, defaults, type families, primary keys,
//!   unique constraints and secondary index names (PostgreSQL-only full-text GIN indexes
//!   excepted). The database is dropped afterwards.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::ConnectOptions;

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The Mattermost tables the initial migrations must create (lower-case catalog names).
const EXPECTED_TABLES: &[&str] = &[
    "audits",
    "bots",
    "channelmemberhistory",
    "channelmembers",
    "channelbookmarks",
    "channels",
    "compliances",
    "drafts",
    "emoji",
    "fileinfo",
    "jobs",
    "persistentnotifications",
    "postacknowledgements",
    "postreminders",
    "posts",
    "postspriority",
    "preferences",
    "publicchannels",
    "reactions",
    "roles",
    "scheduledposts",
    "schemes",
    "sessions",
    "sidebarcategories",
    "sidebarchannels",
    "status",
    "systems",
    "teammembers",
    "teams",
    "termsofservice",
    "threadmemberships",
    "threads",
    "tokens",
    "useraccesstokens",
    "users",
    "usertermsofservice",
];

const SQLX_TABLE: &str = "_sqlx_migrations";

// 26-character ids, like Mattermost's, so that only the enum value can be at fault.
const BAD_CHANNEL_ID: &str = "paritycheckbadchannel00000";
const GOOD_CHANNEL_ID: &str = "paritycheckgoodchannel0000";
const BAD_TEAM_ID: &str = "paritycheckbadteam00000000";

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    /// Storage family: INTEGER, TEXT or BLOB (PostgreSQL types are mapped to SQLite's).
    family: String,
    not_null: bool,
    /// Default normalised across databases (`''::character varying` → ``, `false` → `0`).
    default: Option<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    /// (table, column) → column facts.
    columns: BTreeMap<(String, String), Column>,
    /// table → primary key columns in key order.
    primary_keys: BTreeMap<String, Vec<String>>,
    /// (table, columns in constraint order) for every UNIQUE constraint.
    uniques: BTreeSet<(String, Vec<String>)>,
    /// (table, index name) for every secondary index (not PK/UNIQUE, not full-text).
    indexes: BTreeSet<(String, String)>,
}

impl Schema {
    fn tables(&self) -> BTreeSet<String> {
        self.columns.keys().map(|(t, _)| t.clone()).collect()
    }
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn normalise_default(raw: &str) -> String {
    // PostgreSQL: `'0'::bigint`, `''::character varying`, `false`; SQLite: `0`, `''`.
    let value = raw.split("::").next().unwrap_or(raw).trim();
    let value = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or(value);
    match value {
        "false" => "0".to_owned(),
        "true" => "1".to_owned(),
        other => other.to_owned(),
    }
}

fn pg_family(data_type: &str) -> String {
    match data_type {
        "bigint" | "integer" | "smallint" | "boolean" => "INTEGER",
        "character varying" | "character" | "text" | "jsonb" | "USER-DEFINED" => "TEXT",
        "bytea" => "BLOB",
        other => panic!("unexpected PostgreSQL column type {other}"),
    }
    .to_owned()
}

fn sqlite_family(declared: &str) -> String {
    // Enum columns are declared `TEXT CHECK (...)`; pragma_table_info reports `TEXT`.
    let upper = declared.to_ascii_uppercase();
    match upper.split_whitespace().next().unwrap_or("") {
        "INTEGER" => "INTEGER".to_owned(),
        "TEXT" => "TEXT".to_owned(),
        "BLOB" => "BLOB".to_owned(),
        other => panic!("unexpected SQLite column type {other:?} (declared {declared:?})"),
    }
}

// ---------------------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------------------

struct SqliteDb {
    pool: SqlitePool,
    path: PathBuf,
}

impl SqliteDb {
    async fn create() -> Result<Self, BoxError> {
        let path = std::env::temp_dir().join(format!("utmost_parity_{}.db", unique_suffix()));
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Ok(Self { pool, path })
    }

    async fn remove(self) {
        self.pool.close().await;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

async fn sqlite_schema(pool: &SqlitePool) -> Result<Schema, BoxError> {
    let mut schema = Schema::default();
    let tables: Vec<(String,)> = sqlx::query_as(
        // Plain tables only: FTS5 tables (and their shadow tables) are SQLite's search
        // indexes, as the GIN indexes left out below are PostgreSQL's.
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite%' AND name <> $1 ORDER BY name",
    )
    .bind(SQLX_TABLE)
    .fetch_all(pool)
    .await?;

    for (table,) in tables {
        let cols: Vec<(String, String, i64, Option<String>, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($1)",
        )
        .bind(&table)
        .fetch_all(pool)
        .await?;
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (name, declared, not_null, default, pk_pos) in cols {
            if pk_pos > 0 {
                pk.push((pk_pos, name.clone()));
            }
            schema.columns.insert(
                (table.clone(), name),
                Column {
                    family: sqlite_family(&declared),
                    not_null: not_null != 0,
                    default: default.as_deref().map(normalise_default),
                },
            );
        }
        pk.sort();
        if !pk.is_empty() {
            schema
                .primary_keys
                .insert(table.clone(), pk.into_iter().map(|(_, c)| c).collect());
        }

        let index_list: Vec<(String, String)> =
            sqlx::query_as("SELECT name, origin FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await?;
        for (index, origin) in index_list {
            match origin.as_str() {
                "u" => {
                    let cols: Vec<(String,)> =
                        sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                            .bind(&index)
                            .fetch_all(pool)
                            .await?;
                    schema
                        .uniques
                        .insert((table.clone(), cols.into_iter().map(|(c,)| c).collect()));
                }
                "c" => {
                    schema.indexes.insert((table.clone(), index));
                }
                _ => {} // "pk": covered by primary_keys
            }
        }
    }
    Ok(schema)
}

/// Runs every migration's SQL again, bypassing sqlx's bookkeeping: this is what happens
/// when the migrations meet tables that already exist (an existing Mattermost database).
async fn rerun_sqlite_sql(pool: &SqlitePool) -> Result<(), BoxError> {
    for migration in SQLITE_MIGRATOR.iter() {
        sqlx::raw_sql(&migration.sql)
            .execute(pool)
            .await
            .map_err(|e| format!("re-running sqlite migration {}: {e}", migration.version))?;
    }
    Ok(())
}

async fn migrated_sqlite_schema() -> Schema {
    let db = SqliteDb::create().await.expect("create sqlite database");
    // Own task, so that a panic inside still lets us delete the database file.
    let pool = db.pool.clone();
    let work = tokio::spawn(async move {
        SQLITE_MIGRATOR.run(&pool).await?;
        let first = sqlite_schema(&pool).await?;
        // Second run: sqlx sees everything applied and does nothing.
        SQLITE_MIGRATOR.run(&pool).await?;
        // Raw re-execution: every statement must be idempotent.
        rerun_sqlite_sql(&pool).await?;
        let second = sqlite_schema(&pool).await?;
        check_enum_rejected_sqlite(&pool).await?;
        Ok::<_, BoxError>((first, second))
    })
    .await;
    db.remove().await;
    let (first, second) = match work {
        Ok(result) => result.expect("sqlite migrations"),
        Err(join_error) => std::panic::resume_unwind(join_error.into_panic()),
    };
    assert_eq!(
        first, second,
        "re-running the SQLite migrations changed the schema"
    );
    first
}

async fn check_enum_rejected_sqlite(pool: &SqlitePool) -> Result<(), BoxError> {
    let bad = sqlx::query("INSERT INTO channels (id, type) VALUES ($1, $2)")
        .bind(BAD_CHANNEL_ID)
        .bind("X")
        .execute(pool)
        .await;
    match bad {
        Err(sqlx::Error::Database(e)) => assert!(
            e.message().contains("CHECK constraint failed"),
            "expected a CHECK violation, got {e}"
        ),
        other => panic!("SQLite accepted channels.type = 'X': {other:?}"),
    }
    let bad = sqlx::query("INSERT INTO teams (id, type) VALUES ($1, $2)")
        .bind(BAD_TEAM_ID)
        .bind("X")
        .execute(pool)
        .await;
    match bad {
        Err(sqlx::Error::Database(e)) => assert!(
            e.message().contains("CHECK constraint failed"),
            "expected a CHECK violation, got {e}"
        ),
        other => panic!("SQLite accepted teams.type = 'X': {other:?}"),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------

async fn pg_schema(pool: &PgPool) -> Result<Schema, BoxError> {
    let mut schema = Schema::default();
    let cols: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, \
                column_default::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name::text <> $1",
    )
    .bind(SQLX_TABLE)
    .fetch_all(pool)
    .await?;
    for (table, column, data_type, nullable, default) in cols {
        schema.columns.insert(
            (table, column),
            Column {
                family: pg_family(&data_type),
                not_null: nullable == "NO",
                default: default.as_deref().map(normalise_default),
            },
        );
    }

    let keys: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT tc.table_name::text, tc.constraint_type::text, tc.constraint_name::text, \
                kcu.column_name::text \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
           ON kcu.constraint_schema = tc.constraint_schema \
          AND kcu.constraint_name = tc.constraint_name \
          AND kcu.table_name = tc.table_name \
         WHERE tc.table_schema = 'public' \
           AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE') \
           AND tc.table_name::text <> $1 \
         ORDER BY tc.table_name, tc.constraint_name, kcu.ordinal_position",
    )
    .bind(SQLX_TABLE)
    .fetch_all(pool)
    .await?;
    let mut uniques: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (table, kind, name, column) in keys {
        if kind == "PRIMARY KEY" {
            schema.primary_keys.entry(table).or_default().push(column);
        } else {
            uniques.entry((table, name)).or_default().push(column);
        }
    }
    schema.uniques = uniques
        .into_iter()
        .map(|((table, _), cols)| (table, cols))
        .collect();

    // Secondary indexes: everything that does not back a constraint. GIN full-text
    // indexes are PostgreSQL-only (SQLite search uses FTS5 elsewhere).
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         JOIN pg_am am ON am.oid = i.relam \
         WHERE n.nspname = 'public' \
           AND am.amname <> 'gin' \
           AND t.relname::text <> $1 \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
    )
    .bind(SQLX_TABLE)
    .fetch_all(pool)
    .await?;
    schema.indexes = indexes.into_iter().collect();
    Ok(schema)
}

async fn rerun_pg_sql(pool: &PgPool) -> Result<(), BoxError> {
    for migration in POSTGRES_MIGRATOR.iter() {
        sqlx::raw_sql(&migration.sql)
            .execute(pool)
            .await
            .map_err(|e| format!("re-running postgres migration {}: {e}", migration.version))?;
    }
    Ok(())
}

async fn check_enum_rejected_pg(pool: &PgPool) -> Result<(), BoxError> {
    // Enum columns take text binds through an explicit cast, as the store does.
    let bad = sqlx::query("INSERT INTO channels (id, type) VALUES ($1, $2::channel_type)")
        .bind(BAD_CHANNEL_ID)
        .bind("X")
        .execute(pool)
        .await;
    match bad {
        Err(sqlx::Error::Database(e)) => assert_eq!(
            e.code().as_deref(),
            Some("22P02"),
            "expected an invalid enum value error, got {e}"
        ),
        other => panic!("PostgreSQL accepted channels.type = 'X': {other:?}"),
    }
    let ok = sqlx::query("INSERT INTO channels (id, type) VALUES ($1, $2::channel_type)")
        .bind(GOOD_CHANNEL_ID)
        .bind("O")
        .execute(pool)
        .await;
    assert!(
        ok.is_ok(),
        "PostgreSQL rejected channels.type = 'O': {ok:?}"
    );
    sqlx::query("DELETE FROM channels WHERE id = $1")
        .bind(GOOD_CHANNEL_ID)
        .execute(pool)
        .await?;
    Ok(())
}

/// Creates a fresh database, migrates it (twice, plus a raw re-run), and returns the
/// schema after the first and after the repeated runs. Always drops the database.
async fn migrated_pg_schema(admin_url: &str) -> (Schema, Schema) {
    let admin_options = PgConnectOptions::from_str(admin_url)
        .expect("TEST_DATABASE_URL is not a valid postgres:// URL")
        .disable_statement_logging();
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(admin_options.clone())
        .await
        .expect("connect to TEST_DATABASE_URL");
    let name = format!("utmost_parity_{}", unique_suffix());
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("CREATE DATABASE");

    // The work runs in its own task so that a panic inside it still lets us drop the database.
    let db_options = admin_options.clone().database(&name);
    let work = tokio::spawn(async move {
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .connect_with(db_options)
            .await?;
        let inner = async {
            POSTGRES_MIGRATOR.run(&pool).await?;
            let first = pg_schema(&pool).await?;
            POSTGRES_MIGRATOR.run(&pool).await?;
            rerun_pg_sql(&pool).await?;
            let second = pg_schema(&pool).await?;
            check_enum_rejected_pg(&pool).await?;
            Ok::<_, BoxError>((first, second))
        }
        .await;
        pool.close().await;
        inner
    })
    .await;

    let dropped = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&admin)
        .await;
    admin.close().await;
    let schemas = match work {
        Ok(result) => result.expect("postgres migrations"),
        Err(join_error) => std::panic::resume_unwind(join_error.into_panic()),
    };
    dropped.expect("DROP DATABASE");
    schemas
}

// ---------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------

fn set_diff<T: Ord + Clone + std::fmt::Debug>(
    what: &str,
    sqlite: &BTreeSet<T>,
    postgres: &BTreeSet<T>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for item in sqlite.difference(postgres) {
        problems.push(format!("{what} only in SQLite: {item:?}"));
    }
    for item in postgres.difference(sqlite) {
        problems.push(format!("{what} only in PostgreSQL: {item:?}"));
    }
    problems
}

fn compare(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let sqlite_cols: BTreeSet<_> = sqlite.columns.keys().cloned().collect();
    let pg_cols: BTreeSet<_> = postgres.columns.keys().cloned().collect();
    let mut problems = set_diff("(table, column)", &sqlite_cols, &pg_cols);

    for (key, s) in &sqlite.columns {
        if let Some(p) = postgres.columns.get(key) {
            if s != p {
                problems.push(format!(
                    "column {}.{} differs: SQLite {s:?} vs PostgreSQL {p:?}",
                    key.0, key.1
                ));
            }
        }
    }
    let sqlite_pk: BTreeSet<_> = sqlite.primary_keys.iter().collect();
    let pg_pk: BTreeSet<_> = postgres.primary_keys.iter().collect();
    problems.extend(set_diff("primary key", &sqlite_pk, &pg_pk));
    problems.extend(set_diff("unique", &sqlite.uniques, &postgres.uniques));
    problems.extend(set_diff("index", &sqlite.indexes, &postgres.indexes));
    problems
}

fn assert_expected_tables(schema: &Schema, backend: &str) {
    let tables = schema.tables();
    let missing: Vec<_> = EXPECTED_TABLES
        .iter()
        .filter(|t| !tables.contains(**t))
        .collect();
    assert!(
        missing.is_empty(),
        "{backend} is missing tables {missing:?}"
    );
    for (table, pk) in EXPECTED_TABLES
        .iter()
        .map(|t| (t, schema.primary_keys.get(*t)))
    {
        assert!(pk.is_some(), "{backend}: table {table} has no primary key");
    }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn sqlite_migrations_apply_and_are_idempotent() {
    let schema = migrated_sqlite_schema().await;
    assert_expected_tables(&schema, "SQLite");
    // Spot checks of Mattermost facts the store relies on.
    let users_lastlogin = &schema.columns[&("users".to_owned(), "lastlogin".to_owned())];
    assert!(users_lastlogin.not_null);
    assert_eq!(users_lastlogin.default.as_deref(), Some("0"));
    assert_eq!(
        schema.primary_keys["reactions"],
        vec!["postid", "userid", "emojiname"]
    );
    assert!(schema.uniques.contains(&(
        "channels".to_owned(),
        vec!["name".to_owned(), "teamid".to_owned()]
    )));
}

#[tokio::test]
async fn postgres_schema_matches_sqlite() {
    let sqlite = migrated_sqlite_schema().await;
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        println!(
            "TEST_DATABASE_URL is not set: skipping the PostgreSQL half of schema_parity \
             (SQLite migrations were applied and checked). Set it to e.g. \
             postgres://postgres@127.0.0.1:5432/postgres to compare both databases."
        );
        return;
    };
    let (postgres, postgres_again) = migrated_pg_schema(&url).await;
    assert_eq!(
        postgres, postgres_again,
        "re-running the PostgreSQL migrations changed the schema"
    );
    assert_expected_tables(&postgres, "PostgreSQL");

    let problems = compare(&sqlite, &postgres);
    assert!(
        problems.is_empty(),
        "SQLite and PostgreSQL schemas differ:\n  {}",
        problems.join("\n  ")
    );
    println!(
        "schema parity OK: {} tables, {} columns, {} unique constraints, {} secondary indexes",
        sqlite.tables().len(),
        sqlite.columns.len(),
        sqlite.uniques.len(),
        sqlite.indexes.len()
    );
}
