//! `utmost user …`: create, list, activate/deactivate accounts and set their system roles.

use super::local::{app_error, Local};
use super::output::{emit, yes_no, Table};
use super::remote::{local_only, Remote};
use super::GlobalArgs;
use clap::{ArgGroup, Args, Subcommand};
use reqwest::Method;
use serde_json::json;
use utmost_app::bulk::export;
use utmost_app::users::{self, ListQuery};
use utmost_model::roles::{SYSTEM_ADMIN, SYSTEM_USER};
use utmost_model::user::User;
use utmost_model::AppError;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (no sign-up settings apply: this is an admin action).
    Create(CreateArgs),
    /// List accounts, active and deactivated, by username.
    List(ListArgs),
    /// Deactivate an account and sign it out everywhere.
    Deactivate {
        /// Username, e-mail or id.
        user: String,
    },
    /// Reactivate a deactivated account.
    Activate {
        /// Username, e-mail or id.
        user: String,
    },
    /// Set an account's system roles.
    Role(RoleArgs),
    /// Write one person's data (profile, preferences, memberships, conversations, posts and,
    /// into a .zip, their files) in the bulk format: a data subject's access request.
    Export {
        /// Username, e-mail or id.
        user: String,
        /// Where to write: a .zip (with the files) or a .jsonl (without).
        file: std::path::PathBuf,
    },
    /// Multi-factor authentication of an account.
    #[command(subcommand)]
    Mfa(super::user_mfa::MfaCommand),
    /// Deactivate an account, or with --permanent --confirm delete it with everything of it.
    Delete {
        /// Username, e-mail or id.
        user: String,
        #[command(flatten)]
        how: super::delete::DeleteHow,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub password: String,
    /// Make the account a system admin.
    #[arg(long)]
    pub system_admin: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Page to show, from 0.
    #[arg(long, default_value_t = 0)]
    pub page: u32,
    /// Accounts per page (at most 200).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub per_page: u32,
    /// Show every account (all pages); --page is ignored.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).args(["roles", "system_admin", "member"])))]
pub struct RoleArgs {
    /// Username, e-mail or id.
    pub user: String,
    /// The complete new set of system roles, e.g. `system_user system_user_manager`.
    pub roles: Vec<String>,
    /// Grant system admin, keeping the other roles.
    #[arg(long, conflicts_with = "member")]
    pub system_admin: bool,
    /// Withdraw system admin, keeping the other roles.
    #[arg(long)]
    pub member: bool,
}

pub async fn run(global: &GlobalArgs, command: UserCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| match command {
        UserCommand::Create(args) => {
            let user = create(local, args).await?;
            show_one(json, &user)
        }
        UserCommand::List(args) => {
            let users = list(local, &args).await?;
            show_all(json, &users)
        }
        UserCommand::Deactivate { user } => set_active(local, &user, false, json).await,
        UserCommand::Activate { user } => set_active(local, &user, true, json).await,
        UserCommand::Role(args) => {
            let user = local.user(&args.user).await?;
            let roles = if args.system_admin || args.member {
                with_system_admin(&user.roles, args.system_admin)
            } else {
                args.roles.join(" ")
            };
            let user = set_roles(local, &user.id, &roles).await?;
            show_one(json, &user)
        }
        UserCommand::Mfa(command) => {
            let user = super::user_mfa::run(local, command).await?;
            show_one(json, &user)
        }
        UserCommand::Delete { user, how } => super::delete::user(local, &user, &how, json).await,
        UserCommand::Export { user, file } => {
            let user = local.user(&user).await?;
            let with_files = file.extension().is_some_and(|e| e == "zip");
            let done = export::export_user(&local.app, &file, &user.id, with_files, &|_| true)
                .await
                .map_err(app_error)?;
            emit(json, serde_json::to_value(&done)?, || {
                done.lines
                    .iter()
                    .fold(Table::new(&["line type", "lines"]), |t, (kind, n)| {
                        t.row(vec![kind.clone(), n.to_string()])
                    })
                    .row(vec!["files".to_string(), done.files.to_string()])
            })
        }
    })
    .await
}

/// The same commands through the API of a running server (`--remote`).
pub async fn remote(r: &Remote, command: UserCommand, json: bool) -> anyhow::Result<()> {
    match command {
        UserCommand::Create(args) => {
            let body =
                json!({"username": args.username, "email": args.email, "password": args.password});
            let mut user: User = r.post("/users", body).await?;
            if args.system_admin && !user.is_system_admin() {
                let roles = with_system_admin(&user.roles, true);
                user = remote_set_roles(r, &user.id, &roles).await?;
            }
            show_one(json, &user)
        }
        UserCommand::List(args) => {
            let users: Vec<User> = if args.all {
                r.all_pages("/users?sort=").await?
            } else {
                let path = format!("/users?page={}&per_page={}", args.page, args.per_page);
                r.get(&path).await?
            };
            show_all(json, &users)
        }
        UserCommand::Deactivate { user } => remote_set_active(r, &user, false, json).await,
        UserCommand::Activate { user } => remote_set_active(r, &user, true, json).await,
        UserCommand::Role(args) => {
            let user = r.user(&args.user).await?;
            let roles = if args.system_admin || args.member {
                with_system_admin(&user.roles, args.system_admin)
            } else {
                args.roles.join(" ")
            };
            show_one(json, &remote_set_roles(r, &user.id, &roles).await?)
        }
        UserCommand::Mfa(super::user_mfa::MfaCommand::Reset { user }) => {
            let user = r.user(&user).await?;
            let path = format!("/users/{}/mfa", user.id);
            r.call(Method::PUT, &path, Some(&json!({"activate": false})))
                .await?;
            show_one(json, &r.get(&format!("/users/{}", user.id)).await?)
        }
        UserCommand::Delete { user, how } => super::delete::user_remote(r, &user, &how, json).await,
        UserCommand::Export { .. } => Err(local_only("utmost user export")),
    }
}

async fn remote_set_roles(r: &Remote, user_id: &str, roles: &str) -> anyhow::Result<User> {
    let path = format!("/users/{user_id}/roles");
    r.call(Method::PUT, &path, Some(&json!({"roles": roles})))
        .await?;
    r.get(&format!("/users/{user_id}")).await
}

async fn remote_set_active(r: &Remote, key: &str, active: bool, json: bool) -> anyhow::Result<()> {
    let user = r.user(key).await?;
    let path = format!("/users/{}/active", user.id);
    r.call(Method::PUT, &path, Some(&json!({"active": active})))
        .await?;
    show_one(json, &r.get(&format!("/users/{}", user.id)).await?)
}

async fn create(local: &Local, args: CreateArgs) -> anyhow::Result<User> {
    let input = User {
        username: args.username,
        email: args.email,
        password: args.password,
        ..User::default()
    };
    let user = users::create(&local.app, input, Some(&local.session))
        .await
        .map_err(app_error)?;
    if !args.system_admin || user.is_system_admin() {
        return Ok(user);
    }
    set_roles(local, &user.id, &with_system_admin(&user.roles, true)).await
}

/// Mattermost's `PUT /users/{id}/roles` checks, then the change; returns the updated user.
async fn set_roles(local: &Local, user_id: &str, roles: &str) -> anyhow::Result<User> {
    if !users::valid_user_roles(roles) || roles.trim().is_empty() {
        return Err(app_error(AppError::invalid_param("roles")));
    }
    users::set_roles(&local.app, user_id, roles)
        .await
        .map_err(app_error)?;
    users::get(&local.app, user_id).await.map_err(app_error)
}

async fn list(local: &Local, args: &ListArgs) -> anyhow::Result<Vec<User>> {
    if !args.all {
        return list_page(local, args.page, args.per_page).await;
    }
    let mut all = Vec::new();
    for page in 0.. {
        let users = list_page(local, page, args.per_page).await?;
        let last = users.len() < args.per_page as usize;
        all.extend(users);
        if last {
            break;
        }
    }
    Ok(all)
}

/// One page of every account, active or not, by username.
async fn list_page(local: &Local, page: u32, per_page: u32) -> anyhow::Result<Vec<User>> {
    let query = ListQuery {
        limit: i64::from(per_page),
        offset: i64::from(page) * i64::from(per_page),
        ..ListQuery::default()
    };
    users::list(&local.app, &local.session, &query)
        .await
        .map_err(app_error)
}

async fn set_active(local: &Local, key: &str, active: bool, json: bool) -> anyhow::Result<()> {
    let user = local.user(key).await?;
    users::set_active(&local.app, &local.session, &user.id, active)
        .await
        .map_err(app_error)?;
    let user = users::get(&local.app, &user.id).await.map_err(app_error)?;
    show_one(json, &user)
}

/// The roles after granting (`admin`) or withdrawing system admin: the other roles stay and
/// `system_user` is always there.
fn with_system_admin(roles: &str, admin: bool) -> String {
    let mut names: Vec<&str> = roles
        .split_whitespace()
        .filter(|r| *r != SYSTEM_ADMIN && *r != SYSTEM_USER)
        .collect();
    names.insert(0, SYSTEM_USER);
    if admin {
        names.insert(0, SYSTEM_ADMIN);
    }
    names.join(" ")
}

fn show_one(json: bool, user: &User) -> anyhow::Result<()> {
    emit(json, serde_json::to_value(user)?, || table([user]))
}

fn show_all(json: bool, users: &[User]) -> anyhow::Result<()> {
    emit(json, serde_json::to_value(users)?, || table(users))
}

fn table<'a>(users: impl IntoIterator<Item = &'a User>) -> Table {
    users.into_iter().fold(
        Table::new(&["id", "username", "email", "roles", "active"]),
        |t, u| {
            t.row(vec![
                u.id.clone(),
                u.username.clone(),
                u.email.clone(),
                u.roles.clone(),
                yes_no(u.is_active()),
            ])
        },
    )
}

#[cfg(test)]
mod tests {
    use super::with_system_admin;

    #[test]
    fn grants_and_withdraws_system_admin() {
        assert_eq!(
            with_system_admin("system_user", true),
            "system_admin system_user"
        );
        assert_eq!(
            with_system_admin("system_admin system_user", false),
            "system_user"
        );
        assert_eq!(
            with_system_admin("system_user system_user_manager", true),
            "system_admin system_user system_user_manager"
        );
    }
}
