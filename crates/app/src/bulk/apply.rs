//! Writing a validated import (Mattermost's `BulkImport` apply phase). Each line is one
//! entity, matched by Mattermost's key before anything is written: teams and users by name,
//! channels by team and name, posts by (channel, author, time, message), conversations by
//! their members. What exists is brought in line (and left alone when it already is), what
//! is missing is created, so a second run changes nothing and a run after a crash finishes
//! the first one's work. Posts are written in batches, a transaction each (`posts`); every
//! other write is its own transaction.

use super::lines::*;
use super::posts::{Place, PostBatch, BATCH};
use super::preferences::from_shortcut;
use super::source::Source;
use super::validate::LineError;
use crate::{App, AppResult};
use std::collections::HashMap;
use utmost_model::channel::{Channel, ChannelMember, CHANNEL_DIRECT, CHANNEL_GROUP};
use utmost_model::emoji::Emoji;
use utmost_model::id::{direct_channel_name, group_channel_name};
use utmost_model::preference::Preference;
use utmost_model::role::Role;
use utmost_model::roles::{effective_team_roles, SYSTEM_USER};
use utmost_model::team::{Team, TeamMember};
use utmost_model::user::User;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::{self as store, Deleted};

/// The biggest attachment or emoji image read from an import.
pub(super) fn max_file(app: &App) -> u64 {
    u64::try_from(crate::files::upload::max_file_size(app)).unwrap_or(0)
}

/// Applies every line of a source that `validate` passed. `progress(lines done)` is told
/// after each line and stops the run (at a line boundary, once the queued posts are written)
/// when it answers false. The error names the line that could not be written; the lines
/// before it are written.
pub async fn apply(
    app: &App,
    source: &Source,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<u64, LineError> {
    let mut names = Names::default();
    let mut batch = PostBatch::default();
    let mut lines = source.lines();
    let mut done = 0;
    let outcome = async {
        while let Some((number, text)) = lines.recv().await {
            let fail = |error: String| LineError {
                line: number,
                error,
            };
            let text = text.map_err(fail)?;
            if text.trim().is_empty() {
                continue;
            }
            let line: Line = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
            let applied = if matches!(line.kind.as_str(), "post" | "direct_post") {
                queue_thread(app, &mut names, &mut batch, number, thread_of(line)).await
            } else {
                flush(app, source, &mut batch).await?;
                apply_line(app, source, &mut names, line).await
            };
            if let Err(e) = applied {
                flush(app, source, &mut batch).await?;
                return Err(fail(error_text(e)));
            }
            done += 1;
            let go_on = progress(done);
            if batch.len() >= BATCH || !go_on {
                flush(app, source, &mut batch).await?;
            }
            if !go_on {
                break;
            }
        }
        flush(app, source, &mut batch).await?;
        Ok(done)
    }
    .await;
    forget_cached(app).await;
    outcome
}

/// A root post and its replies, in a channel or a conversation.
enum Thread {
    InChannel { team: String, channel: String },
    Conversation { members: Vec<String> },
}

/// A post or direct post line as the thread it imports.
fn thread_of(line: Line) -> (Thread, PostBody, Option<Vec<PostBody>>) {
    if let Some(post) = line.post {
        let place = Thread::InChannel {
            team: post.team.unwrap_or_default(),
            channel: post.channel.unwrap_or_default(),
        };
        return (place, post.body, post.replies);
    }
    let dp = line.direct_post.unwrap_or_default();
    let place = Thread::Conversation {
        members: dp.channel_members.unwrap_or_default(),
    };
    (place, dp.body, dp.replies)
}

async fn queue_thread(
    app: &App,
    names: &mut Names,
    batch: &mut PostBatch,
    number: usize,
    (thread, root, replies): (Thread, PostBody, Option<Vec<PostBody>>),
) -> AppResult<()> {
    let at = match thread {
        Thread::InChannel { team, channel } => {
            let (team_id, channel_id) = names.channel(app, &team, &channel).await?;
            Place {
                team_id,
                channel_id,
            }
        }
        Thread::Conversation { members } => Place {
            team_id: String::new(),
            channel_id: conversation(app, names, &members).await?.id,
        },
    };
    batch
        .queue_thread(app, names, number, &at, root, replies)
        .await
}

/// Writes the queued posts; a failure names the line it came from.
async fn flush(app: &App, source: &Source, batch: &mut PostBatch) -> Result<(), LineError> {
    batch
        .flush(app, source)
        .await
        .map_err(|(line, e)| LineError {
            line,
            error: error_text(e),
        })
}

fn error_text(e: AppError) -> String {
    if e.detailed_error.is_empty() {
        format!("{} [{}]", e.message, e.id)
    } else {
        format!("{} ({}) [{}]", e.message, e.detailed_error, e.id)
    }
}

/// The import wrote under the caches (of this process and of any server on the database):
/// empty them, and tell the others through `outside_writes`' row.
async fn forget_cached(app: &App) {
    app.caches.clear();
    let epoch = new_id();
    if let Err(e) =
        store::systems::set(&app.store, crate::caches::outside_writes::EPOCH, &epoch).await
    {
        tracing::error!(error = %e, "announcing the import to running servers failed");
    }
}

pub(super) fn missing(what: &str, name: &str) -> AppError {
    AppError::bad_request(
        "app.import.import_line.missing_reference.error",
        format!("{what} {name} does not exist"),
    )
}

/// Ids of names already looked up.
#[derive(Default)]
pub(super) struct Names {
    teams: HashMap<String, String>,
    channels: HashMap<(String, String), String>,
    users: HashMap<String, String>,
}

impl Names {
    async fn team(&mut self, app: &App, name: &str) -> AppResult<String> {
        if let Some(id) = self.teams.get(name) {
            return Ok(id.clone());
        }
        let team = store::teams::get_by_name(&app.store, name)
            .await?
            .ok_or_else(|| missing("team", name))?;
        self.teams.insert(name.to_string(), team.id.clone());
        Ok(team.id)
    }

    async fn channel(&mut self, app: &App, team: &str, name: &str) -> AppResult<(String, String)> {
        let team_id = self.team(app, team).await?;
        let key = (team.to_string(), name.to_string());
        if let Some(id) = self.channels.get(&key) {
            return Ok((team_id, id.clone()));
        }
        let channel = store::channels::get_by_name(&app.store, &team_id, name, Deleted::Include)
            .await?
            .ok_or_else(|| missing("channel", &format!("{team}/{name}")))?;
        self.channels.insert(key, channel.id.clone());
        Ok((team_id, channel.id))
    }

    pub(super) async fn user(&mut self, app: &App, name: &str) -> AppResult<String> {
        if let Some(id) = self.users.get(name) {
            return Ok(id.clone());
        }
        let user = store::users::get_by_username(&app.store, name)
            .await?
            .ok_or_else(|| missing("user", name))?;
        self.users.insert(name.to_string(), user.id.clone());
        Ok(user.id)
    }
}

async fn apply_line(app: &App, source: &Source, names: &mut Names, line: Line) -> AppResult<()> {
    match line.kind.as_str() {
        "version" | "scheme" => Ok(()),
        "role" => import_role(app, line.role.unwrap_or_default()).await,
        "bot" => import_bot(app, names, line.bot.unwrap_or_default()).await,
        "team" => import_team(app, line.team.unwrap_or_default()).await,
        "channel" => import_channel(app, names, line.channel.unwrap_or_default()).await,
        "user" => import_user(app, names, line.user.unwrap_or_default()).await,
        "direct_channel" => {
            let dc = line.direct_channel.unwrap_or_default();
            let channel = conversation(app, names, &dc.members.unwrap_or_default()).await?;
            if let Some(header) = dc.header.filter(|h| *h != channel.header) {
                store::channels::update(
                    &app.store,
                    &Channel {
                        header,
                        update_at: now_millis(),
                        ..channel.clone()
                    },
                )
                .await?;
            }
            let mut favorites = Vec::new();
            for user in dc.favorited_by.unwrap_or_default() {
                favorites.push(favorite(&names.user(app, &user).await?, &channel.id));
            }
            save_preferences(app, favorites).await
        }
        "emoji" => import_emoji(app, source, line.emoji.unwrap_or_default()).await,
        other => Err(AppError::bad_request(
            "app.import.import_line.unknown_line_type.error",
            format!("unknown line type {other:?}"),
        )),
    }
}

/// A password nobody knows: 256 random bits.
fn random_password() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Mattermost's `importRole` (outside a scheme): the role of that name created, or its
/// display name, description and permissions replaced; then the permission engine reloads.
/// An existing role keeps whether its scheme manages it.
async fn import_role(app: &App, line: RoleLine) -> AppResult<()> {
    let name = line.name.unwrap_or_default();
    let existing = store::roles::get_by_name(&app.store, &name).await?;
    let now = now_millis();
    let base = existing.clone().unwrap_or_else(|| Role {
        id: new_id(),
        name,
        create_at: now,
        ..Role::default()
    });
    let role = Role {
        display_name: line
            .display_name
            .unwrap_or_else(|| base.display_name.clone()),
        description: line.description.unwrap_or_else(|| base.description.clone()),
        permissions: line.permissions.unwrap_or_else(|| base.permissions.clone()),
        ..base
    };
    if existing.as_ref() == Some(&role) {
        return Ok(());
    }
    store::roles::save_by_name(
        &app.store,
        &Role {
            update_at: now,
            ..role
        },
    )
    .await?;
    crate::roles::reload(app).await
}

/// Mattermost's `importBot`: the bot of that username created (a `users` row and its `bots`
/// row, as `CreateBot` makes them) or brought in line. An owner no user has is kept as
/// given: a plugin's id.
async fn import_bot(app: &App, names: &mut Names, line: BotLine) -> AppResult<()> {
    let username = line.username.unwrap_or_default();
    let owner = line.owner.unwrap_or_default();
    let owner_id = match store::users::get_by_username(&app.store, &owner).await? {
        Some(user) => user.id,
        None => owner,
    };
    let display_name = line.display_name.unwrap_or_default();
    let description = line.description.unwrap_or_default();
    let delete_at = line.delete_at.unwrap_or(0);
    let user_id = match store::users::get_by_username(&app.store, &username).await? {
        Some(user) if user.is_bot => {
            let (old_owner, old_description) =
                store::bots::owner_and_description(&app.store, &user.id)
                    .await?
                    .unwrap_or_default();
            let same = (
                old_owner.as_str(),
                old_description.as_str(),
                user.first_name.as_str(),
            ) == (
                owner_id.as_str(),
                description.as_str(),
                display_name.as_str(),
            ) && user.delete_at == delete_at;
            if !same {
                store::bots::update(
                    &app.store,
                    &user.id,
                    &description,
                    &owner_id,
                    &display_name,
                    delete_at,
                    now_millis(),
                )
                .await?;
            }
            user.id
        }
        Some(_) => {
            return Err(AppError::bad_request(
                "app.user.save.username_exists.app_error",
                format!("{username} is a user, not a bot"),
            ))
        }
        None => {
            let now = now_millis();
            let bot = User {
                id: new_id(),
                create_at: now,
                update_at: now,
                delete_at,
                email: format!("{username}@localhost"),
                username: username.clone(),
                email_verified: true,
                first_name: display_name,
                roles: SYSTEM_USER.to_string(),
                locale: "en".into(),
                notify_props: User::default_notify_props(""),
                timezone: User::default_timezone(),
                is_bot: true,
                bot_description: description,
                ..User::default()
            };
            store::bots::insert(&app.store, &bot, &owner_id).await?;
            bot.id
        }
    };
    names.users.insert(username, user_id);
    Ok(())
}

async fn import_team(app: &App, line: TeamLine) -> AppResult<()> {
    let name = line.name.unwrap_or_default();
    let wanted = |t: Team| Team {
        display_name: line.display_name.clone().unwrap_or_default(),
        team_type: line.team_type.clone().unwrap_or_default(),
        description: line.description.clone().unwrap_or_default(),
        allow_open_invite: line.allow_open_invite.unwrap_or(false),
        ..t
    };
    match store::teams::get_by_name(&app.store, &name).await? {
        Some(existing) => {
            let updated = wanted(existing.clone());
            if updated != existing {
                store::teams::update(
                    &app.store,
                    &Team {
                        update_at: now_millis(),
                        ..updated
                    },
                )
                .await?;
            }
        }
        None => {
            let now = now_millis();
            store::teams::insert(
                &app.store,
                &wanted(Team {
                    id: new_id(),
                    create_at: now,
                    update_at: now,
                    name,
                    invite_id: new_id(),
                    ..Team::default()
                }),
            )
            .await?;
        }
    }
    Ok(())
}

async fn import_channel(app: &App, names: &mut Names, line: ChannelLine) -> AppResult<()> {
    let team = line.team.clone().unwrap_or_default();
    let team_id = names.team(app, &team).await?;
    let name = line.name.clone().unwrap_or_default();
    let wanted = |c: Channel| Channel {
        display_name: line.display_name.clone().unwrap_or_default(),
        channel_type: line.channel_type.clone().unwrap_or_default(),
        header: line.header.clone().unwrap_or_default(),
        purpose: line.purpose.clone().unwrap_or_default(),
        delete_at: line.deleted_at.unwrap_or(0),
        ..c
    };
    match store::channels::get_by_name(&app.store, &team_id, &name, Deleted::Include).await? {
        Some(existing) => {
            let updated = wanted(existing.clone());
            if updated != existing {
                store::channels::update(
                    &app.store,
                    &Channel {
                        update_at: now_millis(),
                        ..updated
                    },
                )
                .await?;
            }
        }
        None => {
            let now = now_millis();
            let channel = wanted(Channel {
                id: new_id(),
                create_at: now,
                update_at: now,
                team_id,
                name,
                ..Channel::default()
            });
            store::channels::create(&app.store, &channel, &[], None).await?;
        }
    }
    Ok(())
}

/// The user's account as the line describes it, on top of `base`.
fn user_from_line(line: &UserLine, base: User) -> User {
    let mut notify_props = base.notify_props.clone();
    notify_props.extend(line.notify_props.clone().unwrap_or_default());
    User {
        email: line.email.clone().unwrap_or_default().to_lowercase(),
        nickname: line.nickname.clone().unwrap_or_default(),
        first_name: line.first_name.clone().unwrap_or_default(),
        last_name: line.last_name.clone().unwrap_or_default(),
        position: line.position.clone().unwrap_or_default(),
        locale: line.locale.clone().unwrap_or_else(|| base.locale.clone()),
        auth_service: line.auth_service.clone().unwrap_or_default(),
        auth_data: line.auth_data.clone().unwrap_or_default(),
        notify_props,
        ..base
    }
}

async fn import_user(app: &App, names: &mut Names, line: UserLine) -> AppResult<()> {
    let username = line.username.clone().unwrap_or_default();
    let roles = line
        .roles
        .clone()
        .unwrap_or_else(|| SYSTEM_USER.to_string());
    let delete_at = line.delete_at.unwrap_or(0);
    let user = match store::users::get_by_username(&app.store, &username).await? {
        Some(existing) => {
            let updated = user_from_line(&line, existing.clone());
            let now = now_millis();
            if updated != existing {
                store::users::update_profile(&app.store, &updated).await?;
            }
            if existing.roles != roles
                && !store::users::set_roles(&app.store, &existing.id, &roles, now).await?
            {
                tracing::warn!(user_id = %existing.id, "the import kept system_admin on the last system admin");
            }
            if existing.delete_at != delete_at {
                store::users::set_delete_at(&app.store, &existing.id, delete_at, now).await?;
            }
            updated
        }
        None => {
            let now = now_millis();
            let password = match &line.password {
                Some(p) if !p.is_empty() => app.passwords.hash(p).await?,
                // No password (an account of another sign-in, or to be reset): a random
                // one, as Mattermost gives, so the account has a real hash.
                _ => app.passwords.hash(&random_password()).await?,
            };
            let user = user_from_line(
                &line,
                User {
                    id: new_id(),
                    create_at: now,
                    update_at: now,
                    delete_at,
                    username: username.clone(),
                    password,
                    roles,
                    email_verified: true,
                    locale: "en".into(),
                    notify_props: User::default_notify_props(""),
                    timezone: User::default_timezone(),
                    last_password_update: now,
                    ..User::default()
                },
            );
            store::users::insert(&app.store, &user).await?;
            user
        }
    };
    names.users.insert(username, user.id.clone());
    let mut preferences: Vec<Preference> = line
        .preferences
        .iter()
        .filter_map(|(field, value)| from_shortcut(&user.id, field, value.as_str()?))
        .collect();
    for team in line.teams.unwrap_or_default() {
        let team_name = team.name.clone().unwrap_or_default();
        let team_id = names.team(app, &team_name).await?;
        join_team(app, &team_id, &user.id, team.roles.as_deref()).await?;
        if let Some(theme) = &team.theme {
            preferences.push(Preference {
                user_id: user.id.clone(),
                category: "theme".into(),
                name: team_id.clone(),
                value: theme.clone(),
            });
        }
        for channel in team.channels.unwrap_or_default() {
            let name = channel.name.clone().unwrap_or_default();
            let (_, channel_id) = names.channel(app, &team_name, &name).await?;
            join_channel(app, &channel_id, &user.id, &channel).await?;
            if channel.favorite == Some(true) {
                preferences.push(favorite(&user.id, &channel_id));
            }
        }
    }
    save_preferences(app, preferences).await
}

/// (guest, user, admin) scheme flags of a membership's roles ("team_user team_admin").
fn scheme_flags(roles: Option<&str>, scope: &str) -> (bool, bool, bool) {
    let roles: Vec<&str> = roles.unwrap_or_default().split_whitespace().collect();
    let has = |r: &str| roles.contains(&format!("{scope}_{r}").as_str());
    let guest = has("guest");
    (guest, !guest, has("admin"))
}

async fn join_team(app: &App, team_id: &str, user_id: &str, roles: Option<&str>) -> AppResult<()> {
    let (guest, user, admin) = scheme_flags(roles, "team");
    let existing = store::teams::get_member(&app.store, team_id, user_id).await?;
    let member = TeamMember {
        team_id: team_id.to_string(),
        user_id: user_id.to_string(),
        roles: effective_team_roles("", guest, user, admin),
        scheme_guest: guest,
        scheme_user: user,
        scheme_admin: admin,
        create_at: existing.as_ref().map_or_else(now_millis, |m| m.create_at),
        ..TeamMember::default()
    };
    match existing {
        None => {
            store::teams::insert_member(&app.store, &member, -1).await?;
        }
        Some(m)
            if (m.scheme_guest, m.scheme_user, m.scheme_admin, m.delete_at)
                != (guest, user, admin, 0) =>
        {
            store::teams::update_member(&app.store, &member).await?;
        }
        Some(_) => {}
    }
    Ok(())
}

async fn join_channel(
    app: &App,
    channel_id: &str,
    user_id: &str,
    line: &UserChannelLine,
) -> AppResult<()> {
    let (guest, user, admin) = scheme_flags(line.roles.as_deref(), "channel");
    let now = now_millis();
    let member = match store::channels::member(&app.store, channel_id, user_id).await? {
        None => {
            let mut notify_props = ChannelMember::default_notify_props();
            notify_props.extend(line.notify_props.clone().unwrap_or_default());
            let member = ChannelMember {
                channel_id: channel_id.to_string(),
                user_id: user_id.to_string(),
                notify_props,
                scheme_guest: guest,
                scheme_user: user,
                scheme_admin: admin,
                ..ChannelMember::default()
            };
            store::channels::add_member(&app.store, &member, now).await?;
            member
        }
        Some(m) => {
            if (m.scheme_guest, m.scheme_user, m.scheme_admin) != (guest, user, admin) {
                let roles = ChannelMember {
                    scheme_guest: guest,
                    scheme_user: user,
                    scheme_admin: admin,
                    ..m.clone()
                };
                store::channels::update_member_roles(&app.store, &roles, now).await?;
            }
            m
        }
    };
    if let Some(props) = &line.notify_props {
        let mut merged = member.notify_props.clone();
        merged.extend(props.clone());
        if merged != member.notify_props {
            store::channels::merge_notify_props(&app.store, channel_id, user_id, props, now)
                .await?;
        }
    }
    Ok(())
}

fn favorite(user_id: &str, channel_id: &str) -> Preference {
    Preference {
        user_id: user_id.to_string(),
        category: "favorite_channel".into(),
        name: channel_id.to_string(),
        value: "true".into(),
    }
}

/// Saves the preferences that differ from what is stored (so a re-run writes nothing).
pub(super) async fn save_preferences(app: &App, preferences: Vec<Preference>) -> AppResult<()> {
    let mut changed = Vec::new();
    for p in preferences {
        let stored = store::preferences::get(&app.store, &p.user_id, &p.category, &p.name).await?;
        if stored.as_ref().map(|s| &s.value) != Some(&p.value) {
            changed.push(p);
        }
    }
    if !changed.is_empty() {
        store::preferences::save(&app.store, &changed).await?;
    }
    Ok(())
}

/// The DM or GM among `members` (usernames), created when missing.
async fn conversation(app: &App, names: &mut Names, members: &[String]) -> AppResult<Channel> {
    let mut ids = Vec::with_capacity(members.len());
    for m in members {
        let id = names.user(app, m).await?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let (kind, name) = match ids.as_slice() {
        [one] => (CHANNEL_DIRECT, direct_channel_name(one, one)),
        [a, b] => (CHANNEL_DIRECT, direct_channel_name(a, b)),
        _ => (CHANNEL_GROUP, group_channel_name(&ids)),
    };
    if let Some(c) = store::channels::get_by_name(&app.store, "", &name, Deleted::Include).await? {
        return Ok(c);
    }
    let now = now_millis();
    let mut sorted = members.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let channel = Channel {
        id: new_id(),
        create_at: now,
        update_at: now,
        channel_type: kind.to_string(),
        display_name: if kind == CHANNEL_GROUP {
            sorted.join(", ")
        } else {
            String::new()
        },
        name: name.clone(),
        ..Channel::default()
    };
    let members: Vec<ChannelMember> = ids
        .iter()
        .map(|user_id| ChannelMember {
            channel_id: channel.id.clone(),
            user_id: user_id.clone(),
            notify_props: ChannelMember::default_notify_props(),
            scheme_user: true,
            ..ChannelMember::default()
        })
        .collect();
    store::channels::create(&app.store, &channel, &members, None).await?;
    store::channels::get_by_name(&app.store, "", &name, Deleted::Include)
        .await?
        .ok_or_else(|| missing("conversation", &name))
}

async fn import_emoji(app: &App, source: &Source, line: EmojiLine) -> AppResult<()> {
    let name = line.name.unwrap_or_default();
    if store::emoji::get_by_name(&app.store, &name)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let bytes = source
        .read_data(&line.image.unwrap_or_default(), max_file(app))
        .await
        .map_err(|e| AppError::bad_request("app.import.emoji.bad_file.error", e))?;
    let image = tokio::task::spawn_blocking(move || crate::emoji::prepare::prepare(bytes))
        .await
        .map_err(|e| AppError::internal("api.emoji.upload.app_error", e))??;
    let now = now_millis();
    let emoji = Emoji {
        id: new_id(),
        create_at: now,
        update_at: now,
        name,
        ..Emoji::default()
    };
    crate::emoji::images::write(app, &emoji.id, &image)
        .await
        .map_err(|e| AppError::internal("api.file.write_file.app_error", e))?;
    store::emoji::insert(&app.store, &emoji).await?;
    Ok(())
}
