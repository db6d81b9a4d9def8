//! Checking a whole import before anything is written (Mattermost's `validate` dry run,
//! stricter): each line must parse, carry the fields its kind needs in valid shapes, name
//! only teams, channels, users and files that an earlier line declares or the database
//! already holds, and the first line must be the version. Every bad line is reported with
//! its number; `apply` runs only when there is none.

use super::lines::*;
use super::source::Source;
use crate::channels::is_valid_name as is_valid_channel_name;
use crate::users::{validate_email, validate_username};
use crate::App;
use std::collections::{BTreeMap, HashMap, HashSet};
use utmost_model::channel::{CHANNEL_OPEN, CHANNEL_PRIVATE};
use utmost_model::emoji::check_custom_name;
use utmost_model::post::POST_MESSAGE_MAX_RUNES;
use utmost_model::reaction::is_valid_emoji_name;
use utmost_model::team::{is_valid_team_name, TEAM_INVITE, TEAM_OPEN};
use utmost_model::AppError;

/// The most bad lines listed in one report; the rest are only counted.
pub const MAX_LISTED_ERRORS: usize = 1000;

/// A bad line: its number (from 1) and what is wrong.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LineError {
    pub line: usize,
    pub error: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

/// What a validation found: the lines of each kind, and the bad ones.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub lines: BTreeMap<String, u64>,
    pub errors: Vec<LineError>,
    /// Bad lines beyond [`MAX_LISTED_ERRORS`].
    pub unlisted_errors: u64,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    fn bad(&mut self, line: usize, error: String) {
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(LineError { line, error });
        } else {
            self.unlisted_errors += 1;
        }
    }
}

/// Names declared by earlier lines, and those found in the database.
struct Known<'a> {
    app: &'a App,
    teams: HashSet<String>,
    channels: HashSet<(String, String)>,
    users: HashSet<String>,
    in_db: HashMap<String, bool>,
}

impl Known<'_> {
    async fn team(&mut self, name: &str) -> bool {
        if self.teams.contains(name) {
            return true;
        }
        let key = format!("t:{name}");
        if let Some(found) = self.in_db.get(&key) {
            return *found;
        }
        let found = matches!(
            utmost_store::teams::get_by_name(&self.app.store, name).await,
            Ok(Some(_))
        );
        self.in_db.insert(key, found);
        found
    }

    async fn channel(&mut self, team: &str, name: &str) -> bool {
        if self
            .channels
            .contains(&(team.to_string(), name.to_string()))
        {
            return true;
        }
        let key = format!("c:{team}:{name}");
        if let Some(found) = self.in_db.get(&key) {
            return *found;
        }
        let found = match utmost_store::teams::get_by_name(&self.app.store, team).await {
            Ok(Some(t)) => matches!(
                utmost_store::channels::get_by_name(
                    &self.app.store,
                    &t.id,
                    name,
                    utmost_store::Deleted::Include
                )
                .await,
                Ok(Some(_))
            ),
            _ => false,
        };
        self.in_db.insert(key, found);
        found
    }

    async fn user(&mut self, name: &str) -> bool {
        if self.users.contains(name) {
            return true;
        }
        let key = format!("u:{name}");
        if let Some(found) = self.in_db.get(&key) {
            return *found;
        }
        let found = matches!(
            utmost_store::users::get_by_username(&self.app.store, name).await,
            Ok(Some(_))
        );
        self.in_db.insert(key, found);
        found
    }
}

/// Reads and checks every line of `source`.
pub async fn validate(app: &App, source: &Source) -> Report {
    let mut report = Report::default();
    let mut known = Known {
        app,
        teams: HashSet::new(),
        channels: HashSet::new(),
        users: HashSet::new(),
        in_db: HashMap::new(),
    };
    let mut lines = source.lines();
    let mut seen_any = false;
    while let Some((number, text)) = lines.recv().await {
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                report.bad(number, e);
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let first = !seen_any;
        seen_any = true;
        let line: Line = match serde_json::from_str(&text) {
            Ok(l) => l,
            Err(e) => {
                report.bad(number, format!("not a JSON import line: {e}"));
                continue;
            }
        };
        *report.lines.entry(line.kind.clone()).or_default() += 1;
        if first != (line.kind == "version") {
            let error = if first {
                "the first line must be the version line".to_string()
            } else {
                "a version line may only be the first line".to_string()
            };
            report.bad(number, error);
            continue;
        }
        if let Err(e) = check_line(&mut known, source, &line).await {
            report.bad(number, e);
        }
    }
    if !seen_any {
        report.bad(1, "the file has no lines".into());
    }
    report
}

type Check = Result<(), String>;

fn need<'a, T>(field: &'a Option<T>, name: &str) -> Result<&'a T, String> {
    field.as_ref().ok_or_else(|| format!("{name} is missing"))
}

fn reason(e: AppError) -> String {
    e.message
}

async fn check_line(known: &mut Known<'_>, source: &Source, line: &Line) -> Check {
    match line.kind.as_str() {
        "version" => match line.version {
            Some(VERSION) => Ok(()),
            other => Err(format!(
                "unsupported version {other:?} (app.import.bulk_import.unsupported_version.error)"
            )),
        },
        // Schemes (team and channel permission schemes) are not applied by Utmost: skipped.
        "scheme" => Ok(()),
        "role" => check_role(need(&line.role, "role")?),
        "bot" => check_bot(known, need(&line.bot, "bot")?),
        "team" => check_team(known, need(&line.team, "team")?),
        "channel" => check_channel(known, need(&line.channel, "channel")?).await,
        "user" => check_user(known, need(&line.user, "user")?).await,
        "post" => {
            let post = need(&line.post, "post")?;
            let team = need(&post.team, "team")?;
            let channel = need(&post.channel, "channel")?;
            if !known.channel(team, channel).await {
                return Err(format!("channel {team}/{channel} is not declared before"));
            }
            check_post(known, source, &post.body, post.replies.as_deref()).await
        }
        "direct_channel" => {
            let dc = need(&line.direct_channel, "direct_channel")?;
            check_members(known, need(&dc.members, "members")?).await?;
            for u in dc.favorited_by.iter().flatten() {
                check_user_ref(known, u).await?;
            }
            Ok(())
        }
        "direct_post" => {
            let dp = need(&line.direct_post, "direct_post")?;
            let members = need(&dp.channel_members, "channel_members")?;
            check_members(known, members).await?;
            let user = need(&dp.body.user, "user")?;
            if !members.contains(user) {
                return Err(format!("user {user} is not one of the channel_members"));
            }
            check_post(known, source, &dp.body, dp.replies.as_deref()).await
        }
        "emoji" => {
            let emoji = need(&line.emoji, "emoji")?;
            let name = need(&emoji.name, "name")?;
            check_custom_name(name).map_err(|_| format!("invalid emoji name {name:?}"))?;
            check_file(source, need(&emoji.image, "image")?)
        }
        other => Err(format!("unknown line type {other:?}")),
    }
}

/// Mattermost's `ValidateRoleImportData`.
fn check_role(role: &RoleLine) -> Check {
    let name = need(&role.name, "name")?;
    if !utmost_model::role::is_valid_role_name(name) {
        return Err(format!("invalid role name {name:?}"));
    }
    let display = need(&role.display_name, "display_name")?;
    if display.is_empty() || display.chars().count() > 128 {
        return Err("display_name must have 1 to 128 characters".into());
    }
    if role
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 1024)
    {
        return Err("description must have at most 1024 characters".into());
    }
    match role
        .permissions
        .iter()
        .flatten()
        .find(|p| !utmost_model::permissions::is_known(p))
    {
        Some(unknown) => Err(format!("unknown permission {unknown:?}")),
        None => Ok(()),
    }
}

/// Mattermost's `ValidateBotImportData`. The owner may be a plugin's id, so it is not
/// looked up.
fn check_bot(known: &mut Known<'_>, bot: &BotLine) -> Check {
    let username = need(&bot.username, "username")?;
    validate_username(username).map_err(reason)?;
    need(&bot.owner, "owner")?;
    if bot
        .display_name
        .as_ref()
        .is_some_and(|d| d.chars().count() > 64)
    {
        return Err("display_name must have at most 64 characters".into());
    }
    if bot
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 1024)
    {
        return Err("description must have at most 1024 characters".into());
    }
    known.users.insert(username.clone());
    Ok(())
}

fn check_team(known: &mut Known<'_>, team: &TeamLine) -> Check {
    let name = need(&team.name, "name")?;
    if !is_valid_team_name(name) {
        return Err(format!("invalid team name {name:?}"));
    }
    let display = need(&team.display_name, "display_name")?;
    if display.is_empty() || display.chars().count() > 64 {
        return Err("display_name must have 1 to 64 characters".into());
    }
    let kind = need(&team.team_type, "type")?;
    if kind != TEAM_OPEN && kind != TEAM_INVITE {
        return Err(format!("invalid team type {kind:?}"));
    }
    known.teams.insert(name.clone());
    Ok(())
}

async fn check_channel(known: &mut Known<'_>, channel: &ChannelLine) -> Check {
    let team = need(&channel.team, "team")?;
    if !known.team(team).await {
        return Err(format!("team {team} is not declared before"));
    }
    let name = need(&channel.name, "name")?;
    if !is_valid_channel_name(name) {
        return Err(format!("invalid channel name {name:?}"));
    }
    let display = need(&channel.display_name, "display_name")?;
    if display.is_empty() || display.chars().count() > 64 {
        return Err("display_name must have 1 to 64 characters".into());
    }
    let kind = need(&channel.channel_type, "type")?;
    if kind != CHANNEL_OPEN && kind != CHANNEL_PRIVATE {
        return Err(format!("invalid channel type {kind:?}"));
    }
    known.channels.insert((team.clone(), name.clone()));
    Ok(())
}

async fn check_user(known: &mut Known<'_>, user: &UserLine) -> Check {
    let username = need(&user.username, "username")?;
    validate_username(username).map_err(reason)?;
    validate_email(need(&user.email, "email")?).map_err(reason)?;
    if let Some(roles) = &user.roles {
        for role in roles.split_whitespace() {
            if !["system_user", "system_admin", "system_guest"].contains(&role) {
                return Err(format!("invalid system role {role:?}"));
            }
        }
    }
    for (field, value) in &user.preferences {
        if super::preferences::from_shortcut("", field, "").is_some() && !value.is_string() {
            return Err(format!("{field} must be a string"));
        }
    }
    for team in user.teams.iter().flatten() {
        let team_name = need(&team.name, "teams[].name")?;
        if !known.team(team_name).await {
            return Err(format!("team {team_name} is not declared before"));
        }
        check_member_roles(team.roles.as_deref(), "team")?;
        for channel in team.channels.iter().flatten() {
            let name = need(&channel.name, "teams[].channels[].name")?;
            if !known.channel(team_name, name).await {
                return Err(format!("channel {team_name}/{name} is not declared before"));
            }
            check_member_roles(channel.roles.as_deref(), "channel")?;
        }
    }
    known.users.insert(username.clone());
    Ok(())
}

fn check_member_roles(roles: Option<&str>, scope: &str) -> Check {
    for role in roles.unwrap_or_default().split_whitespace() {
        let ok = [
            format!("{scope}_user"),
            format!("{scope}_admin"),
            format!("{scope}_guest"),
        ]
        .contains(&role.to_string());
        if !ok {
            return Err(format!("invalid {scope} role {role:?}"));
        }
    }
    Ok(())
}

async fn check_user_ref(known: &mut Known<'_>, username: &str) -> Check {
    if known.user(username).await {
        Ok(())
    } else {
        Err(format!("user {username} is not declared before"))
    }
}

async fn check_members(known: &mut Known<'_>, members: &[String]) -> Check {
    // A DM names two users (the same one twice for a self-DM), a GM three to eight.
    let distinct: HashSet<&String> = members.iter().collect();
    if !(2..=8).contains(&members.len()) || distinct.len() == 2 && members.len() != 2 {
        return Err("a direct channel has 2 members, a group channel 3 to 8".into());
    }
    for m in members {
        check_user_ref(known, m).await?;
    }
    Ok(())
}

async fn check_post(
    known: &mut Known<'_>,
    source: &Source,
    body: &PostBody,
    replies: Option<&[PostBody]>,
) -> Check {
    check_post_body(known, source, body).await?;
    for (i, reply) in replies.unwrap_or_default().iter().enumerate() {
        check_post_body(known, source, reply)
            .await
            .map_err(|e| format!("replies[{i}]: {e}"))?;
    }
    Ok(())
}

async fn check_post_body(known: &mut Known<'_>, source: &Source, body: &PostBody) -> Check {
    check_user_ref(known, need(&body.user, "user")?).await?;
    let message = need(&body.message, "message")?;
    if message.chars().count() > POST_MESSAGE_MAX_RUNES {
        return Err(format!(
            "message longer than {POST_MESSAGE_MAX_RUNES} characters"
        ));
    }
    if *need(&body.create_at, "create_at")? <= 0 {
        return Err("create_at must be a positive time in milliseconds".into());
    }
    for reaction in body.reactions.iter().flatten() {
        check_user_ref(known, need(&reaction.user, "reactions[].user")?).await?;
        let name = need(&reaction.emoji_name, "reactions[].emoji_name")?;
        if !is_valid_emoji_name(name) {
            return Err(format!("invalid emoji name {name:?}"));
        }
        if *need(&reaction.create_at, "reactions[].create_at")? <= 0 {
            return Err("reactions[].create_at must be positive".into());
        }
    }
    for user in body.flagged_by.iter().flatten() {
        check_user_ref(known, user).await?;
    }
    for attachment in body.attachments.iter().flatten() {
        check_file(source, need(&attachment.path, "attachments[].path")?)?;
    }
    Ok(())
}

fn check_file(source: &Source, path: &str) -> Check {
    if source.has_data(path) {
        Ok(())
    } else {
        Err(format!("file {path} is not in the import"))
    }
}
