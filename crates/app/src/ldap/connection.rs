//! One connection to the directory, bound as `BindUsername`: the only code that speaks LDAP.
//! Every operation is bounded by `QueryTimeout`; searches for one entry ask the server for
//! two at most (to tell "several" from "one"), and whole-directory searches go page by page
//! (`MaxPageSize`). The connection's driver is a task of its own that ends when the
//! connection is closed or dropped, so it lives no longer than the login or sync that
//! opened it.

use super::certificates::{client_identity, ClientIdentity};
use super::client_tls;
use crate::errors::LdapError;
use crate::{App, AppResult};
use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError as Raw, Scope, SearchEntry};
use std::time::Duration;
use utmost_config::{Config, LdapSettings};

/// `invalidCredentials` (RFC 4511): a bind with a wrong password.
const INVALID_CREDENTIALS: u32 = 49;
/// `sizeLimitExceeded`: more entries matched than asked for.
const SIZE_LIMIT_EXCEEDED: u32 = 4;
/// Page size when `MaxPageSize` is 0, as Mattermost's default paging.
const DEFAULT_PAGE: i32 = 500;

pub(super) struct Directory {
    ldap: Ldap,
    timeout: Duration,
    base_dn: String,
    page_size: i32,
}

/// The URL and TLS settings `ConnectionSecurity` asks for, presenting `identity` when there
/// is one.
fn endpoint(
    settings: &LdapSettings,
    identity: Option<ClientIdentity>,
) -> AppResult<(String, LdapConnSettings)> {
    let timeout = query_timeout(settings);
    let mut tls = LdapConnSettings::new()
        .set_conn_timeout(timeout)
        .set_no_tls_verify(settings.skip_certificate_verification);
    if let Some(identity) = identity {
        tls = tls.set_config(client_tls::with_identity(
            identity,
            settings.skip_certificate_verification,
        )?);
    }
    let host = &settings.ldap_server;
    let port = settings.ldap_port;
    Ok(match settings.connection_security.as_str() {
        "TLS" => (format!("ldaps://{host}:{port}"), tls),
        "STARTTLS" => (format!("ldap://{host}:{port}"), tls.set_starttls(true)),
        _ => (format!("ldap://{host}:{port}"), tls),
    })
}

fn query_timeout(settings: &LdapSettings) -> Duration {
    Duration::from_secs(u64::try_from(settings.query_timeout.clamp(1, 3600)).unwrap_or(60))
}

/// Whether the server answered `rc` (a refused bind, a size limit).
fn result_code(e: &Raw) -> Option<u32> {
    match e {
        Raw::LdapResult { result } => Some(result.rc),
        _ => None,
    }
}

impl Directory {
    /// Connects and binds as the bind account.
    pub(super) async fn open(app: &App, config: &Config) -> AppResult<Directory> {
        let settings = &config.ldap_settings;
        let identity = client_identity(app, config).await?;
        let (url, conn_settings) = endpoint(settings, identity)?;
        let timeout = query_timeout(settings);
        let (conn, mut ldap) =
            tokio::time::timeout(timeout, LdapConnAsync::with_settings(conn_settings, &url))
                .await
                .map_err(|_| LdapError::UnableToConnect(format!("{url}: timed out")))?
                .map_err(|e| LdapError::UnableToConnect(format!("{url}: {e}")))?;
        tokio::spawn(async move {
            if let Err(e) = conn.drive().await {
                tracing::warn!(error = %e, "the AD/LDAP connection ended with an error");
            }
        });
        ldap.with_timeout(timeout)
            .simple_bind(&settings.bind_username, &settings.bind_password)
            .await
            .and_then(|r| r.success())
            .map_err(|e| LdapError::BindAdmin(e.to_string()))?;
        let page_size = match settings.max_page_size {
            n if n > 0 => i32::try_from(n).unwrap_or(i32::MAX),
            _ => DEFAULT_PAGE,
        };
        Ok(Directory {
            ldap,
            timeout,
            base_dn: settings.base_dn.clone(),
            page_size,
        })
    }

    /// The one entry under `BaseDN` that `filter` matches: `None` for none, an error for
    /// several.
    pub(super) async fn search_one(
        &mut self,
        filter: &str,
        attrs: &[String],
    ) -> AppResult<Option<SearchEntry>> {
        let attrs = requested(attrs);
        let found = self
            .ldap
            .with_timeout(self.timeout)
            .with_search_options(ldap3::SearchOptions::new().sizelimit(2))
            .search(&self.base_dn, Scope::Subtree, filter, attrs)
            .await
            .map_err(|e| LdapError::Search(e.to_string()))?;
        if found.1.rc == SIZE_LIMIT_EXCEEDED {
            return Err(LdapError::MatchedTooMany.into());
        }
        let (mut entries, _) = found
            .success()
            .map_err(|e| LdapError::Search(e.to_string()))?;
        match entries.len() {
            0 => Ok(None),
            1 => Ok(entries.pop().map(SearchEntry::construct)),
            _ => Err(LdapError::MatchedTooMany.into()),
        }
    }

    /// Whether `filter` matches any entry under `BaseDN` (the server stops at one).
    pub(super) async fn matches_any(&mut self, filter: &str) -> AppResult<bool> {
        let found = self
            .ldap
            .with_timeout(self.timeout)
            .with_search_options(ldap3::SearchOptions::new().sizelimit(1))
            .search(&self.base_dn, Scope::Subtree, filter, requested(&[]))
            .await
            .map_err(|e| LdapError::Search(e.to_string()))?;
        if found.1.rc != 0 && found.1.rc != SIZE_LIMIT_EXCEEDED {
            return Err(LdapError::Search(found.1.to_string()).into());
        }
        Ok(!found.0.is_empty())
    }

    /// Hands every entry under `BaseDN` that `filter` matches to `each`, a page at a time.
    pub(super) async fn search_all(
        &mut self,
        filter: &str,
        attrs: &[String],
        mut each: impl FnMut(SearchEntry),
    ) -> AppResult<()> {
        let attrs = requested(attrs);
        let adapters: Vec<Box<dyn Adapter<'_, String, Vec<String>>>> = vec![
            Box::new(EntriesOnly::new()),
            Box::new(PagedResults::new(self.page_size)),
        ];
        let failed = |e: Raw| LdapError::Search(e.to_string());
        let mut stream = self
            .ldap
            .with_timeout(self.timeout)
            .streaming_search_with(adapters, &self.base_dn, Scope::Subtree, filter, attrs)
            .await
            .map_err(failed)?;
        while let Some(entry) = stream.next().await.map_err(failed)? {
            each(SearchEntry::construct(entry));
        }
        stream.finish().await.success().map_err(failed)?;
        Ok(())
    }

    /// Whether `password` is the password of the entry `dn`: a bind as the entry. The
    /// connection is then bound as that entry, so this is its last use.
    pub(super) async fn check_password(mut self, dn: &str, password: &str) -> AppResult<bool> {
        // An empty password is an unauthenticated bind, which servers accept.
        if password.is_empty() {
            self.close().await;
            return Ok(false);
        }
        let bound = self
            .ldap
            .with_timeout(self.timeout)
            .simple_bind(dn, password)
            .await
            .and_then(|r| r.success());
        self.close().await;
        match bound {
            Ok(_) => Ok(true),
            Err(e) if result_code(&e) == Some(INVALID_CREDENTIALS) => Ok(false),
            Err(e) => Err(LdapError::UnableToConnect(e.to_string()).into()),
        }
    }

    /// Unbinds, which ends the connection and its driver.
    pub(super) async fn close(mut self) {
        let _ = self.ldap.unbind().await;
    }
}

/// The attributes to ask for: "1.1" (none) when there are none, since an empty list means
/// every attribute.
fn requested(attrs: &[String]) -> Vec<String> {
    if attrs.is_empty() {
        vec!["1.1".to_string()]
    } else {
        attrs.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_security_picks_the_scheme() {
        let mut s = LdapSettings {
            ldap_server: "ldap.example.com".into(),
            ldap_port: 636,
            connection_security: "TLS".into(),
            ..LdapSettings::default()
        };
        let endpoint = |s: &LdapSettings| endpoint(s, None).unwrap();
        assert_eq!(endpoint(&s).0, "ldaps://ldap.example.com:636");
        s.connection_security = "STARTTLS".into();
        let (url, conn) = endpoint(&s);
        assert_eq!(url, "ldap://ldap.example.com:636");
        assert!(conn.starttls());
        s.connection_security = String::new();
        assert!(!endpoint(&s).1.starttls());
    }
}
