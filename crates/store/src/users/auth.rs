//! Accounts that sign in through an outside service (AD/LDAP): found by their id there
//! (`authdata`, unique), and listed page by page for a sync.

use super::{query_users, SELECT_USERS};
use crate::db::Bind;
use crate::Result;
use utmost_model::user::User;

/// The account `service` knows as `auth_data`.
pub async fn get_by_auth(
    store: &crate::Store,
    service: &str,
    auth_data: &str,
) -> Result<Option<User>> {
    let sql = format!("{SELECT_USERS} WHERE u.authdata = $1 AND u.authservice = $2");
    let binds = [Bind::Str(auth_data), Bind::Str(service)];
    Ok(query_users(store, &sql, &binds).await?.into_iter().next())
}

/// Up to `limit` accounts of `service`, live or deactivated, with ids after `after_id`, by
/// id (a keyset page: a sync walks them all without offsets).
pub async fn list_by_auth_service(
    store: &crate::Store,
    service: &str,
    after_id: &str,
    limit: i64,
) -> Result<Vec<User>> {
    let sql =
        format!("{SELECT_USERS} WHERE u.authservice = $1 AND u.id > $2 ORDER BY u.id LIMIT $3");
    let binds = [Bind::Str(service), Bind::Str(after_id), Bind::Int(limit)];
    query_users(store, &sql, &binds).await
}

/// Moves an account to `service` as `auth_data`; its password goes, since it signs in there
/// from now on. A taken `auth_data` is `Conflict("authdata")`.
pub async fn set_auth(
    store: &crate::Store,
    id: &str,
    service: &str,
    auth_data: &str,
    at: i64,
) -> Result<()> {
    crate::db::execute!(
        store,
        "UPDATE users SET authservice = $1, authdata = $2, password = '', updateat = $3 \
         WHERE id = $4",
        service,
        auth_data,
        at,
        id
    )
    .map_err(|e| super::unique_field(e.into()))?;
    Ok(())
}
