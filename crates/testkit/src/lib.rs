//! Test harness: a real server on 127.0.0.1:0 over a fresh database, an HTTP client that
//! speaks like Mattermost's clients, and InitBasic-style fixtures.

// A test harness fails loudly: a broken fixture is a failed test, not an error to handle.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod fixtures;
pub mod ldap;
pub mod oidc;
pub mod pg_cluster;
pub mod redis_server;
pub mod s3;
pub mod saml;
mod server;
pub mod slack;
pub mod smtp;
pub mod ws;

pub use client::{Client, Resp};
pub use fixtures::Basic;
pub use server::TestCluster;
pub use server::{DbKind, TestServer};

/// Writes one async test twice: `<name>::sqlite` and `<name>::postgres`. The PostgreSQL
/// variant skips with a message when `TEST_DATABASE_URL` is unset (CI always sets it).
///
/// ```text
/// dual_db_test!(async fn creates_posts(server) { let c = server.client(); /* … */ });
/// ```
#[macro_export]
macro_rules! dual_db_test {
    ($(#[$meta:meta])* async fn $name:ident($server:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $server = $crate::TestServer::start($crate::DbKind::Sqlite).await;
                $body
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if !$crate::TestServer::postgres_available() {
                    eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
                    return;
                }
                let $server = $crate::TestServer::start($crate::DbKind::Postgres).await;
                $body
            }
        }
    };
}

/// Like `dual_db_test!`, for what every search engine must answer alike: `<name>::sqlite`
/// and `<name>::postgres` search with the tantivy index, `<name>::postgres_full_text` with
/// PostgreSQL full text (`BleveSettings.EnableIndexing` off, Mattermost's database search).
#[macro_export]
macro_rules! search_engines_test {
    ($(#[$meta:meta])* async fn $name:ident($server:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $crate::dual_db_test!($(#[$meta])* async fn tantivy($server) $body);

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_full_text() {
                if !$crate::TestServer::postgres_available() {
                    eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
                    return;
                }
                let $server = $crate::TestServer::start_with($crate::DbKind::Postgres, |c| {
                    c.bleve_settings.enable_indexing = false
                })
                .await;
                $body
            }
        }
    };
}

/// A port on 127.0.0.1 free right now, for a server a test starts (slapd, an IdP, s3s-fs,
/// aiosmtpd).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
