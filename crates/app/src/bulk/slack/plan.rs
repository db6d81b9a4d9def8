//! Who and where each Slack user and conversation becomes, decided against the database
//! before any line is written: a Slack user whose email an account already has is that
//! account (its profile and roles kept, as Mattermost's importer merges by email), a new
//! one gets a free, valid username; team channels keep an existing channel of their name
//! as it is. On a second run every user and channel is found this way, so the lines come
//! out the same and the import changes nothing.

use super::export::{Conversation, Export, User as SlackUser};
use super::report::Report;
use super::text::Names;
use crate::bulk::lines::{ChannelLine, UserLine};
use crate::users::{validate_email, validate_username};
use crate::{App, AppResult};
use std::collections::{HashMap, HashSet};
use utmost_model::channel::{
    CHANNEL_HEADER_MAX_RUNES, CHANNEL_NAME_MAX_LENGTH, CHANNEL_OPEN, CHANNEL_PRIVATE,
    CHANNEL_PURPOSE_MAX_RUNES,
};
use utmost_model::roles::SYSTEM_USER;
use utmost_model::team::Team;
use utmost_model::user::User;
use utmost_store::{self as store, Deleted};

/// The user Slack's bot messages (no Slack user of their own) are posted as, deactivated
/// like Mattermost's `slackimportuser_…`; a fixed name so a re-run finds it.
pub const BOT_USERNAME: &str = "slack-import-bot";
const BOT_EMAIL: &str = "slack-import-bot@localhost";
/// The longest username Mattermost accepts.
const USERNAME_MAX: usize = 64;
/// The most members of a group message; a Slack one with more becomes a private channel.
const GROUP_MAX_MEMBERS: usize = 8;

/// A user line to write, with the roles an account already had in the team.
pub struct PlannedUser {
    pub line: UserLine,
    pub team_roles: String,
}

/// A team channel and the Slack folder of its messages.
pub struct PlannedChannel {
    pub folder: String,
    pub line: ChannelLine,
    pub members: Vec<String>,
    /// Roles already held in an existing channel, by username.
    pub roles: HashMap<String, String>,
}

/// A DM or group message and its folder.
pub struct PlannedDirect {
    pub folder: String,
    pub members: Vec<String>,
}

pub struct Plan {
    pub team: Team,
    pub users: Vec<PlannedUser>,
    /// Who bot messages without a Slack user are posted as.
    pub bot_username: String,
    /// The bot's line, unless it is one of `users`.
    pub bot: Option<PlannedUser>,
    pub names: Names,
    pub channels: Vec<PlannedChannel>,
    pub directs: Vec<PlannedDirect>,
}

pub async fn plan(app: &App, export: &Export, team: Team, report: &mut Report) -> AppResult<Plan> {
    let mut planner = Planner {
        app,
        team_id: team.id.clone(),
        team_name: team.name.clone(),
        usernames: HashSet::new(),
        by_email: HashMap::new(),
    };
    let mut names = Names::default();
    let mut users = Vec::new();
    for slack in &export.users {
        let (name, planned) = planner.user(slack, report).await?;
        names.users.insert(slack.id.clone(), name);
        users.extend(planned);
    }
    let bot_slack = SlackUser {
        name: BOT_USERNAME.into(),
        deleted: true,
        profile: super::export::Profile {
            email: BOT_EMAIL.into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let (bot_username, bot) = planner.user(&bot_slack, report).await?;

    let mut channel_names = HashSet::new();
    let mut channels = Vec::new();
    let mut directs = Vec::new();
    let team_channels = export
        .public
        .iter()
        .map(|c| (c, CHANNEL_OPEN))
        .chain(export.private.iter().map(|c| (c, CHANNEL_PRIVATE)));
    for (slack, kind) in team_channels {
        let name = unique_channel_name(&mut channel_names, &slack.name, &slack.id);
        names.channels.insert(slack.id.clone(), name.clone());
        channels.push((slack, kind, name, slack.name.clone()));
    }
    for slack in &export.direct {
        match members(&names, slack, report) {
            Some(m) if m.len() <= 2 => directs.push(PlannedDirect {
                folder: slack.id.clone(),
                members: m,
            }),
            _ => {}
        }
    }
    for slack in &export.groups {
        let Some(m) = members(&names, slack, report) else {
            continue;
        };
        if m.len() <= GROUP_MAX_MEMBERS {
            directs.push(PlannedDirect {
                folder: slack.name.clone(),
                members: m,
            });
        } else {
            report.note(
                &slack.name,
                format!(
                    "a group message of {} people (more than {GROUP_MAX_MEMBERS}) imported as a private channel",
                    m.len()
                ),
            );
            let name = unique_channel_name(&mut channel_names, &slack.name, &slack.id);
            names.channels.insert(slack.id.clone(), name.clone());
            channels.push((slack, CHANNEL_PRIVATE, name, slack.name.clone()));
        }
    }
    let mut planned_channels = Vec::new();
    for (slack, kind, name, folder) in channels {
        planned_channels.push(planner.channel(slack, kind, name, folder, &names).await?);
    }
    Ok(Plan {
        team,
        users,
        bot_username,
        bot,
        names,
        channels: planned_channels,
        directs,
    })
}

fn username(line: &UserLine) -> &str {
    line.username.as_deref().unwrap_or_default()
}

/// A conversation's members as usernames (a self-DM's one member twice), or None (reported)
/// when one is unknown or too few are left.
fn members(names: &Names, slack: &Conversation, report: &mut Report) -> Option<Vec<String>> {
    let folder = if slack.name.is_empty() {
        &slack.id
    } else {
        &slack.name
    };
    let mut usernames = Vec::new();
    for id in &slack.members {
        match names.users.get(id) {
            Some(name) if !usernames.contains(name) => usernames.push(name.clone()),
            Some(_) => {}
            None => {
                report.skip(
                    folder,
                    format!("member {id} is not in users.json; the conversation is skipped"),
                );
                return None;
            }
        }
    }
    match usernames.len() {
        0 => {
            report.skip(folder, "a conversation without members".to_string());
            None
        }
        1 => Some(vec![usernames[0].clone(), usernames[0].clone()]),
        _ => Some(usernames),
    }
}

struct Planner<'a> {
    app: &'a App,
    team_id: String,
    team_name: String,
    usernames: HashSet<String>,
    by_email: HashMap<String, String>,
}

/// A Slack user's email as given, lower-cased, when it is a valid one.
fn planned_email(slack: &SlackUser) -> Option<String> {
    let email = slack.profile.email.trim().to_lowercase();
    validate_email(&email).is_ok().then_some(email)
}

impl Planner<'_> {
    /// The username a Slack user becomes, and its line (None when an earlier Slack user
    /// has the same email, so the same account).
    async fn user(
        &mut self,
        slack: &SlackUser,
        report: &mut Report,
    ) -> AppResult<(String, Option<PlannedUser>)> {
        let base = sanitize_username(&slack.name);
        let email = match planned_email(slack) {
            Some(e) => e,
            None => {
                let e = format!("{base}@example.com");
                report.note(
                    &slack.name,
                    format!("no email address in the export; {e} was given"),
                );
                e
            }
        };
        if let Some(name) = self.by_email.get(&email) {
            return Ok((name.clone(), None));
        }
        let planned = match store::users::get_by_email(&self.app.store, &email).await? {
            Some(existing) => self.existing(existing).await?,
            None => {
                let name = self.free_username(&base).await?;
                new_user(slack, name, email.clone())
            }
        };
        let name = username(&planned.line).to_string();
        if name != slack.name {
            report.note(&slack.name, format!("imported as @{name}"));
        }
        self.usernames.insert(name.clone());
        self.by_email.insert(email, name.clone());
        Ok((name, Some(planned)))
    }

    /// An account that exists: its own values, so the import leaves it as it is.
    async fn existing(&self, user: User) -> AppResult<PlannedUser> {
        let member = store::teams::get_member(&self.app.store, &self.team_id, &user.id).await?;
        let team_roles = match member {
            Some(m) if m.delete_at == 0 => roles("team", m.scheme_guest, m.scheme_admin),
            _ => "team_user".to_string(),
        };
        let some = |s: String| (!s.is_empty()).then_some(s);
        Ok(PlannedUser {
            line: UserLine {
                username: Some(user.username),
                email: Some(user.email),
                auth_service: some(user.auth_service),
                auth_data: some(user.auth_data),
                nickname: Some(user.nickname),
                first_name: Some(user.first_name),
                last_name: Some(user.last_name),
                position: Some(user.position),
                roles: Some(user.roles),
                locale: Some(user.locale),
                delete_at: Some(user.delete_at),
                ..UserLine::default()
            },
            team_roles,
        })
    }

    /// `base`, or `base-2`, `base-3`, … : the first that is valid, unused by this import
    /// and not another account's.
    async fn free_username(&self, base: &str) -> AppResult<String> {
        for n in 1.. {
            let name = if n == 1 {
                base.to_string()
            } else {
                let suffix = format!("-{n}");
                let kept: String = base.chars().take(USERNAME_MAX - suffix.len()).collect();
                format!("{kept}{suffix}")
            };
            let free = validate_username(&name).is_ok()
                && !self.usernames.contains(&name)
                && store::users::get_by_username(&self.app.store, &name)
                    .await?
                    .is_none();
            if free {
                return Ok(name);
            }
        }
        unreachable!("the numbers run out before the names do")
    }

    async fn channel(
        &self,
        slack: &Conversation,
        kind: &str,
        name: String,
        folder: String,
        names: &Names,
    ) -> AppResult<PlannedChannel> {
        let members: Vec<String> = slack
            .members
            .iter()
            .filter_map(|id| names.users.get(id).cloned())
            .collect();
        let existing =
            store::channels::get_by_name(&self.app.store, &self.team_id, &name, Deleted::Include)
                .await?;
        let Some(existing) = existing else {
            let display: String = slack.name.chars().take(64).collect();
            return Ok(PlannedChannel {
                folder,
                line: ChannelLine {
                    team: Some(self.team_name.clone()),
                    name: Some(name.clone()),
                    display_name: Some(if display.is_empty() { name } else { display }),
                    channel_type: Some(kind.to_string()),
                    header: Some(truncate(&slack.topic.value, CHANNEL_HEADER_MAX_RUNES)),
                    purpose: Some(truncate(&slack.purpose.value, CHANNEL_PURPOSE_MAX_RUNES)),
                    deleted_at: slack.is_archived.then(utmost_model::now_millis),
                    ..ChannelLine::default()
                },
                members,
                roles: HashMap::new(),
            });
        };
        let mut held = HashMap::new();
        for username in &members {
            let Some(user) = store::users::get_by_username(&self.app.store, username).await? else {
                continue;
            };
            if let Some(m) =
                store::channels::member(&self.app.store, &existing.id, &user.id).await?
            {
                held.insert(
                    username.clone(),
                    roles("channel", m.scheme_guest, m.scheme_admin),
                );
            }
        }
        Ok(PlannedChannel {
            folder,
            line: ChannelLine {
                team: Some(self.team_name.clone()),
                name: Some(existing.name),
                display_name: Some(existing.display_name),
                channel_type: Some(existing.channel_type),
                header: Some(existing.header),
                purpose: Some(existing.purpose),
                deleted_at: (existing.delete_at != 0).then_some(existing.delete_at),
                ..ChannelLine::default()
            },
            members,
            roles: held,
        })
    }
}

fn new_user(slack: &SlackUser, username: String, email: String) -> PlannedUser {
    let (mut first, mut last) = (
        slack.profile.first_name.clone(),
        slack.profile.last_name.clone(),
    );
    if first.is_empty() && last.is_empty() {
        let real = if slack.profile.real_name.is_empty() {
            &slack.real_name
        } else {
            &slack.profile.real_name
        };
        let (f, l) = real.trim().split_once(' ').unwrap_or((real.trim(), ""));
        (first, last) = (f.to_string(), l.trim().to_string());
    }
    // Deactivated when Slack last changed the account (any positive time will do).
    let delete_at = slack.deleted.then(|| (slack.updated * 1000).max(1));
    PlannedUser {
        line: UserLine {
            username: Some(username),
            email: Some(email),
            nickname: Some(String::new()),
            first_name: Some(truncate(&first, 64)),
            last_name: Some(truncate(&last, 64)),
            position: Some(truncate(&slack.profile.title, 128)),
            roles: Some(SYSTEM_USER.to_string()),
            delete_at,
            ..UserLine::default()
        },
        team_roles: "team_user".to_string(),
    }
}

/// A membership's roles as a bulk line writes them.
fn roles(scope: &str, guest: bool, admin: bool) -> String {
    match (guest, admin) {
        (true, _) => format!("{scope}_guest"),
        (false, true) => format!("{scope}_user {scope}_admin"),
        (false, false) => format!("{scope}_user"),
    }
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// A Slack name as a Mattermost username: lower case, only `a-z 0-9 . - _`, beginning
/// with a letter.
pub fn sanitize_username(name: &str) -> String {
    let clean: String = name
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = if clean.starts_with(|c: char| c.is_ascii_lowercase()) {
        clean
    } else {
        format!("slack-{clean}")
    };
    truncate(&clean, USERNAME_MAX)
}

/// Mattermost's `slackConvertChannelName`: the Slack name when it has only letters, digits,
/// `-` and `_` (lower-cased, trimmed of `-` and `_`), else the Slack id; unique in the import.
fn unique_channel_name(taken: &mut HashSet<String>, slack_name: &str, id: &str) -> String {
    let trimmed = slack_name.trim_matches(['-', '_']);
    let usable = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let base = truncate(
        &if usable { trimmed } else { id }.to_lowercase(),
        CHANNEL_NAME_MAX_LENGTH,
    );
    let mut name = base.clone();
    let mut n = 1;
    while taken.contains(&name) {
        n += 1;
        let suffix = format!("-{n}");
        name = format!(
            "{}{suffix}",
            truncate(&base, CHANNEL_NAME_MAX_LENGTH - suffix.len())
        );
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_made_valid() {
        assert_eq!(sanitize_username("Alice.Smith"), "alice.smith");
        assert_eq!(sanitize_username("josé"), "jos_");
        assert_eq!(sanitize_username("007"), "slack-007");
        assert_eq!(sanitize_username("a b"), "a_b");
    }

    #[test]
    fn channel_names_follow_mattermost() {
        let mut taken = HashSet::new();
        assert_eq!(unique_channel_name(&mut taken, "General", "C1"), "general");
        assert_eq!(
            unique_channel_name(&mut taken, "general", "C2"),
            "general-2"
        );
        assert_eq!(unique_channel_name(&mut taken, "_dev-", "C3"), "dev");
        assert_eq!(unique_channel_name(&mut taken, "café", "C4"), "c4");
    }
}
