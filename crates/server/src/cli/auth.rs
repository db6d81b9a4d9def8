//! `utmost auth …`: the servers the commands reach with `--remote`, as mmctl's `auth`
//! profiles: a name, the server's URL and a token (a personal access token, or the session a
//! password login made). Kept in `$XDG_CONFIG_HOME/utmost/auth.json` (or
//! `~/.config/utmost/auth.json`, or `UTMOST_AUTH_FILE`), readable by its owner only.

use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use anyhow::{bail, Context};
use clap::{ArgGroup, Args, Subcommand};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use utmost_model::user::User;

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Sign in to a server and save it as a profile (the current one from now on).
    Login(LoginArgs),
    /// List the saved profiles; the current one is marked.
    List,
    /// Print the current profile.
    Current,
    /// Make a saved profile the current one.
    Set { name: String },
    /// Forget a profile (its token stays valid on the server until revoked there).
    Delete { name: String },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("credentials").required(true).args(["access_token", "username"])))]
pub struct LoginArgs {
    /// The server, e.g. https://chat.example.com
    pub url: String,
    /// The profile's name.
    #[arg(long)]
    pub name: String,
    /// A personal access token (kept as is).
    #[arg(long, env = "UTMOST_ACCESS_TOKEN")]
    pub access_token: Option<String>,
    /// Sign in with a username (or e-mail) and password; the session's token is kept.
    #[arg(long, requires = "password")]
    pub username: Option<String>,
    #[arg(long, env = "UTMOST_PASSWORD")]
    pub password: Option<String>,
    /// The current MFA code, for an account with MFA.
    #[arg(long)]
    pub mfa_token: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub url: String,
    pub token: String,
    /// Who the token signs in as (for `auth list`).
    pub username: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Profiles {
    pub current: Option<String>,
    pub profiles: BTreeMap<String, Profile>,
}

fn file() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("UTMOST_AUTH_FILE") {
        return Ok(PathBuf::from(path));
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .context("neither XDG_CONFIG_HOME nor HOME is set: set UTMOST_AUTH_FILE")?;
    Ok(config.join("utmost").join("auth.json"))
}

impl Profiles {
    pub fn load() -> anyhow::Result<Self> {
        let path = file()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Writes the file readable by its owner only (it holds tokens).
    fn save(&self) -> anyhow::Result<()> {
        let path = file()?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        use std::io::Write;
        let mut out = options
            .open(&path)
            .with_context(|| format!("writing {}", path.display()))?;
        out.write_all(text.as_bytes())?;
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, command: AuthCommand) -> anyhow::Result<()> {
    let mut profiles = Profiles::load()?;
    match command {
        AuthCommand::Login(args) => {
            let (token, user) = login(&args).await?;
            let profile = Profile {
                url: args.url.trim_end_matches('/').to_string(),
                token,
                username: user.username,
            };
            profiles.profiles.insert(args.name.clone(), profile);
            profiles.current = Some(args.name.clone());
            profiles.save()?;
            println!(
                "signed in to {} as {}; profile {:?} is current",
                args.url, profiles.profiles[&args.name].username, args.name
            );
            Ok(())
        }
        AuthCommand::List => {
            let rows: Vec<_> = profiles
                .profiles
                .iter()
                .map(|(name, p)| {
                    let current = profiles.current.as_deref() == Some(name.as_str());
                    json!({"name": name, "url": p.url, "username": p.username, "current": current})
                })
                .collect();
            emit(global.json, json!(rows), || {
                rows.iter()
                    .fold(Table::new(&["", "name", "url", "username"]), |t, r| {
                        let mark = if r["current"] == true { "*" } else { "" };
                        t.row(vec![
                            mark.into(),
                            r["name"].as_str().unwrap_or_default().into(),
                            r["url"].as_str().unwrap_or_default().into(),
                            r["username"].as_str().unwrap_or_default().into(),
                        ])
                    })
            })
        }
        AuthCommand::Current => {
            let name = profiles.current.clone().context("no current profile")?;
            let p = profiles.get(&name).context("the current profile is gone")?;
            println!("{name}: {} as {}", p.url, p.username);
            Ok(())
        }
        AuthCommand::Set { name } => {
            if profiles.get(&name).is_none() {
                bail!("no profile named {name:?}");
            }
            profiles.current = Some(name);
            profiles.save()
        }
        AuthCommand::Delete { name } => {
            if profiles.profiles.remove(&name).is_none() {
                bail!("no profile named {name:?}");
            }
            if profiles.current.as_deref() == Some(name.as_str()) {
                profiles.current = None;
            }
            profiles.save()
        }
    }
}

/// The token to keep and whom it signs in as: an access token checked with `/users/me`, or
/// a password login's session token.
async fn login(args: &LoginArgs) -> anyhow::Result<(String, User)> {
    if let Some(token) = &args.access_token {
        let me: User = Remote::new(&args.url, token)?.get("/users/me").await?;
        return Ok((token.clone(), me));
    }
    let (Some(username), Some(password)) = (&args.username, &args.password) else {
        bail!("--access-token, or --username with --password");
    };
    let url = format!("{}/api/v4/users/login", args.url.trim_end_matches('/'));
    let mut body = json!({"login_id": username, "password": password});
    if let Some(code) = &args.mfa_token {
        body["token"] = json!(code);
    }
    let response = reqwest::Client::new().post(&url).json(&body).send().await?;
    let status = response.status();
    let token = response
        .headers()
        .get("token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let value: serde_json::Value = response.json().await.unwrap_or_default();
    match token {
        Some(token) if status.is_success() => Ok((token, serde_json::from_value(value)?)),
        _ => bail!(
            "sign-in refused: {} ({})",
            value["message"].as_str().unwrap_or("no answer"),
            status.as_u16()
        ),
    }
}
