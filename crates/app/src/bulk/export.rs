//! Bulk export in the import format (Mattermost's `BulkExport`): a `.jsonl`, or with the
//! files a zip holding `import.jsonl` and `data/<file store path>` for every attachment and
//! `data/exported_emoji/<id>/image` for custom emoji, so `apply` reads it back. Everything is
//! read in bounded pages; the zip is written on a blocking thread fed through a bounded
//! channel, the lines going to a temporary file that becomes the zip's last entry.
//!
//! `export_user` writes one person's data in the same format (a data subject's access
//! request; Mattermost has no such export): their user line (profile, preferences, team and
//! channel memberships), the teams and channels they belong to, their direct and group
//! conversations, every post they wrote with its files, their reactions and saved marks. A
//! reply of theirs is written under its thread's root, whoever wrote the root, since a
//! reply reads only with what it answers; other people's replies are left out. The file
//! names people and channels it does not declare: it is for reading, not for an import.

use super::lines::*;
use super::preferences::to_shortcut;
use super::source::{DATA_DIR, JSONL_NAME};
use crate::{App, AppResult};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;
use utmost_model::post::Post;
use utmost_model::AppError;
use utmost_store as store;

/// Rows read per query.
const PAGE: i64 = 200;

/// What an export wrote.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct Exported {
    pub lines: BTreeMap<String, u64>,
    pub files: u64,
}

enum Entry {
    Line(String),
    File(String, Vec<u8>),
}

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::internal("app.export.write.app_error", e.to_string())
}

/// Writes the export to `out`: a zip when it ends in `.zip` (with the files and emoji when
/// `with_files`), else JSONL. `progress(lines)` is told as lines are written and stops the
/// export (`Err`) when it answers false.
pub async fn export(
    app: &App,
    out: &Path,
    with_files: bool,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> AppResult<Exported> {
    write_export(app, out, with_files, None, progress).await
}

/// Writes the data of user `user_id` to `out`, as `export` writes everything.
pub async fn export_user(
    app: &App,
    out: &Path,
    user_id: &str,
    with_files: bool,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> AppResult<Exported> {
    write_export(app, out, with_files, Some(user_id), progress).await
}

async fn write_export(
    app: &App,
    out: &Path,
    with_files: bool,
    only: Option<&str>,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> AppResult<Exported> {
    let zipped = out.extension().is_some_and(|e| e == "zip");
    if with_files && !zipped {
        return Err(AppError::bad_request(
            "app.export.attachments_need_zip.app_error",
            "files can only be exported into a .zip",
        ));
    }
    let (tx, rx) = mpsc::channel::<Entry>(64);
    let writer = tokio::task::spawn_blocking({
        let out = out.to_path_buf();
        move || write_out(&out, zipped, rx)
    });
    let mut exporter = Exporter {
        app,
        tx,
        with_files,
        only,
        done: Exported::default(),
        progress,
    };
    let walked = exporter.walk().await;
    let done = exporter.done.clone();
    drop(exporter);
    let written = writer.await.map_err(failed)?;
    walked?;
    written.map_err(failed)?;
    Ok(done)
}

/// The blocking side: lines into the JSONL (a temporary file beside `out` for a zip),
/// files straight into the zip.
fn write_out(out: &Path, zipped: bool, mut rx: mpsc::Receiver<Entry>) -> std::io::Result<()> {
    let lines_path = if zipped {
        PathBuf::from(format!("{}.lines.tmp", out.display()))
    } else {
        out.to_path_buf()
    };
    let mut lines = std::io::BufWriter::new(std::fs::File::create(&lines_path)?);
    let mut zip = if zipped {
        Some(zip::ZipWriter::new(std::fs::File::create(out)?))
    } else {
        None
    };
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    while let Some(entry) = rx.blocking_recv() {
        match (entry, zip.as_mut()) {
            (Entry::Line(l), _) => {
                lines.write_all(l.as_bytes())?;
                lines.write_all(b"\n")?;
            }
            (Entry::File(name, bytes), Some(zip)) => {
                zip.start_file(name, options)
                    .map_err(std::io::Error::other)?;
                zip.write_all(&bytes)?;
            }
            (Entry::File(..), None) => {}
        }
    }
    lines.flush()?;
    drop(lines);
    if let Some(mut zip) = zip {
        zip.start_file(JSONL_NAME, options)
            .map_err(std::io::Error::other)?;
        std::io::copy(&mut std::fs::File::open(&lines_path)?, &mut zip)?;
        zip.finish().map_err(std::io::Error::other)?;
        std::fs::remove_file(&lines_path)?;
    }
    Ok(())
}

struct Exporter<'a> {
    app: &'a App,
    tx: mpsc::Sender<Entry>,
    with_files: bool,
    /// The one user whose data is exported (`export_user`), or everyone.
    only: Option<&'a str>,
    done: Exported,
    progress: &'a (dyn Fn(u64) -> bool + Sync),
}

/// Where a channel is, for the lines that name it.
enum Place {
    Team { team: String, channel: String },
    Conversation { members: Vec<String> },
}

impl Exporter<'_> {
    async fn send(&mut self, line: Line) -> AppResult<()> {
        *self.done.lines.entry(line.kind.clone()).or_default() += 1;
        let text = serde_json::to_string(&line).map_err(failed)?;
        self.tx
            .send(Entry::Line(text))
            .await
            .map_err(|_| failed("the export file could not be written"))?;
        let total: u64 = self.done.lines.values().sum();
        if !(self.progress)(total) {
            return Err(AppError::bad_request(
                "app.export.canceled.app_error",
                "the export was stopped",
            ));
        }
        Ok(())
    }

    async fn send_file(&mut self, name: String, bytes: Vec<u8>) -> AppResult<()> {
        self.done.files += 1;
        self.tx
            .send(Entry::File(format!("{DATA_DIR}/{name}"), bytes))
            .await
            .map_err(|_| failed("the export file could not be written"))
    }

    async fn walk(&mut self) -> AppResult<()> {
        self.send(Line::version()).await?;
        let memberships = self.memberships().await?;
        let teams = self.teams(memberships.as_ref()).await?;
        let mut places: HashMap<String, Place> = HashMap::new();
        for c in store::bulk::team_channels(&self.app.store).await? {
            let member = memberships
                .as_ref()
                .is_none_or(|(_, channels)| channels.contains(&c.id));
            places.insert(
                c.id.clone(),
                Place::Team {
                    team: c.team_name.clone(),
                    channel: c.name.clone(),
                },
            );
            if !member {
                continue;
            }
            self.send(Line {
                kind: "channel".into(),
                channel: Some(ChannelLine {
                    team: Some(c.team_name.clone()),
                    name: Some(c.name.clone()),
                    display_name: Some(c.display_name),
                    channel_type: Some(c.channel_type),
                    header: Some(c.header),
                    purpose: Some(c.purpose),
                    scheme: None,
                    deleted_at: (c.delete_at != 0).then_some(c.delete_at),
                }),
                ..Line::default()
            })
            .await?;
        }
        let usernames: HashMap<String, String> = store::bulk::usernames(&self.app.store)
            .await?
            .into_iter()
            .collect();
        let exported_users = self.users(&teams, &places).await?;
        // Everyone is named in one user's export; only those exported otherwise.
        let everyone = self.only.is_some();
        let author = |id: &str| {
            usernames
                .get(id)
                .filter(|u| everyone || exported_users.contains_key(*u))
                .cloned()
        };
        let conversations = store::bulk::conversations(&self.app.store).await?;
        let mut conversation_lines = Vec::new();
        for (id, header, member_ids) in conversations {
            if self
                .only
                .is_some_and(|u| !member_ids.iter().any(|m| m == u))
            {
                continue;
            }
            let members: Option<Vec<String>> = member_ids.iter().map(|m| author(m)).collect();
            let Some(members) = members else { continue };
            let favorited_by: Vec<String> = member_ids
                .iter()
                .filter(|m| {
                    exported_users
                        .get(&usernames[*m])
                        .is_some_and(|favs: &Vec<String>| favs.contains(&id))
                })
                .map(|m| usernames[m].clone())
                .collect();
            conversation_lines.push(Line {
                kind: "direct_channel".into(),
                direct_channel: Some(DirectChannelLine {
                    members: Some(members.clone()),
                    favorited_by: (!favorited_by.is_empty()).then_some(favorited_by),
                    header: (!header.is_empty()).then_some(header),
                }),
                ..Line::default()
            });
            places.insert(id, Place::Conversation { members });
        }
        // Team posts first, then the conversations and their posts, as the format orders.
        self.posts(&places, &author, false).await?;
        for line in conversation_lines {
            self.send(line).await?;
        }
        self.posts(&places, &author, true).await?;
        if self.with_files && self.only.is_none() {
            self.emoji().await?;
        }
        Ok(())
    }

    /// For one user's export, the teams and channels they belong to.
    async fn memberships(&self) -> AppResult<Option<(HashSet<String>, HashSet<String>)>> {
        let Some(user_id) = self.only else {
            return Ok(None);
        };
        let store = &self.app.store;
        let teams = store::teams::memberships_for_user(store, user_id)
            .await?
            .into_iter()
            .filter(|m| m.delete_at == 0)
            .map(|m| m.team_id)
            .collect();
        let mut channels = HashSet::new();
        let mut offset = 0;
        loop {
            let page = store::channels::members_for_user(store, user_id, PAGE, offset).await?;
            let short = (page.len() as i64) < PAGE;
            channels.extend(page.into_iter().map(|m| m.member.channel_id));
            if short {
                return Ok(Some((teams, channels)));
            }
            offset += PAGE;
        }
    }

    /// Whether the reactions, saved marks, replies and files of `user_id` are exported.
    fn keeps(&self, user_id: &str, author: &(dyn Fn(&str) -> Option<String> + Sync)) -> bool {
        match self.only {
            Some(only) => only == user_id,
            None => author(user_id).is_some(),
        }
    }

    /// The live teams' lines (one user's teams only, for their export); every live team's
    /// name by id.
    async fn teams(
        &mut self,
        memberships: Option<&(HashSet<String>, HashSet<String>)>,
    ) -> AppResult<HashMap<String, String>> {
        let mut names = HashMap::new();
        let mut offset = 0;
        loop {
            let page = store::teams::list_page(
                &self.app.store,
                store::teams::OpenInvite::Any,
                PAGE,
                offset,
            )
            .await?;
            for t in &page {
                names.insert(t.id.clone(), t.name.clone());
                if memberships.is_some_and(|(teams, _)| !teams.contains(&t.id)) {
                    continue;
                }
                self.send(Line {
                    kind: "team".into(),
                    team: Some(TeamLine {
                        name: Some(t.name.clone()),
                        display_name: Some(t.display_name.clone()),
                        team_type: Some(t.team_type.clone()),
                        description: Some(t.description.clone()),
                        allow_open_invite: Some(t.allow_open_invite),
                        scheme: None,
                    }),
                    ..Line::default()
                })
                .await?;
            }
            if (page.len() as i64) < PAGE {
                return Ok(names);
            }
            offset += PAGE;
        }
    }

    /// The users' lines (bots are not exported); each exported username with the
    /// channels it marked favorite.
    async fn users(
        &mut self,
        teams: &HashMap<String, String>,
        places: &HashMap<String, Place>,
    ) -> AppResult<HashMap<String, Vec<String>>> {
        let mut exported = HashMap::new();
        if let Some(user_id) = self.only {
            let user = store::users::get(&self.app.store, user_id)
                .await?
                .ok_or_else(|| AppError::not_found("app.user.missing_account.const", user_id))?;
            self.user_out(user, teams, places, &mut exported).await?;
            return Ok(exported);
        }
        let mut after = String::new();
        loop {
            let page = store::bulk::user_ids_after(&self.app.store, &after, PAGE).await?;
            let Some((_, last)) = page.last() else {
                return Ok(exported);
            };
            after = last.clone();
            for (id, _) in page {
                let Some(user) = store::users::get(&self.app.store, &id).await? else {
                    continue;
                };
                self.user_out(user, teams, places, &mut exported).await?;
            }
        }
    }

    /// Sends `user`'s line and notes its favorites.
    async fn user_out(
        &mut self,
        user: utmost_model::user::User,
        teams: &HashMap<String, String>,
        places: &HashMap<String, Place>,
        exported: &mut HashMap<String, Vec<String>>,
    ) -> AppResult<()> {
        let (line, favorites) = self.user_line(user, teams, places).await?;
        exported.insert(line.username.clone().unwrap_or_default(), favorites);
        self.send(Line {
            kind: "user".into(),
            user: Some(line),
            ..Line::default()
        })
        .await
    }

    async fn user_line(
        &self,
        user: utmost_model::user::User,
        teams: &HashMap<String, String>,
        places: &HashMap<String, Place>,
    ) -> AppResult<(UserLine, Vec<String>)> {
        let app = self.app;
        let prefs = store::preferences::get_all(&app.store, &user.id).await?;
        let favorites: Vec<String> = prefs
            .iter()
            .filter(|p| p.category == "favorite_channel" && p.value == "true")
            .map(|p| p.name.clone())
            .collect();
        let mut shortcuts = BTreeMap::new();
        for p in &prefs {
            if let Some(field) = to_shortcut(p) {
                shortcuts.insert(
                    field.to_string(),
                    serde_json::Value::String(p.value.clone()),
                );
            }
        }
        let mut channels: Vec<_> = Vec::new();
        let mut offset = 0;
        loop {
            let page =
                store::channels::members_for_user(&app.store, &user.id, PAGE, offset).await?;
            let short = (page.len() as i64) < PAGE;
            channels.extend(page.into_iter().map(|m| m.member));
            if short {
                break;
            }
            offset += PAGE;
        }
        let mut team_lines = Vec::new();
        for tm in store::teams::memberships_for_user(&app.store, &user.id).await? {
            let Some(team_name) = teams.get(&tm.team_id) else {
                continue;
            };
            if tm.delete_at != 0 {
                continue;
            }
            let theme = prefs
                .iter()
                .find(|p| p.category == "theme" && p.name == tm.team_id)
                .map(|p| p.value.clone());
            let team_channels = channels
                .iter()
                .filter_map(|m| match places.get(&m.channel_id) {
                    Some(Place::Team { team, channel }) if team == team_name => {
                        Some(UserChannelLine {
                            name: Some(channel.clone()),
                            roles: Some(roles("channel", m.scheme_guest, m.scheme_admin)),
                            notify_props: Some(m.notify_props.clone()),
                            favorite: favorites.contains(&m.channel_id).then_some(true),
                        })
                    }
                    _ => None,
                })
                .collect();
            team_lines.push(UserTeamLine {
                name: Some(team_name.clone()),
                roles: Some(roles("team", tm.scheme_guest, tm.scheme_admin)),
                theme,
                channels: Some(team_channels),
            });
        }
        let line = UserLine {
            username: Some(user.username),
            email: Some(user.email),
            auth_service: (!user.auth_service.is_empty()).then_some(user.auth_service),
            auth_data: (!user.auth_data.is_empty()).then_some(user.auth_data),
            password: None,
            nickname: Some(user.nickname),
            first_name: Some(user.first_name),
            last_name: Some(user.last_name),
            position: Some(user.position),
            roles: Some(user.roles),
            locale: Some(user.locale),
            delete_at: (user.delete_at != 0).then_some(user.delete_at),
            notify_props: Some(user.notify_props.into_iter().collect()),
            preferences: shortcuts,
            teams: Some(team_lines),
        };
        Ok((line, favorites))
    }

    /// Every live thread of team channels (`conversations` false) or of DMs and GMs.
    async fn posts(
        &mut self,
        places: &HashMap<String, Place>,
        author: &(dyn Fn(&str) -> Option<String> + Sync),
        conversations: bool,
    ) -> AppResult<()> {
        let mut after = (0, String::new());
        loop {
            let at = (after.0, after.1.as_str());
            let page = match self.only {
                Some(user_id) => {
                    store::bulk::thread_root_ids_after(&self.app.store, user_id, at, PAGE).await?
                }
                None => store::bulk::root_post_ids_after(&self.app.store, at, PAGE).await?,
            };
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.clone();
            let ids: Vec<String> = page.into_iter().map(|(_, id)| id).collect();
            let mut roots = store::posts::get_by_ids(&self.app.store, &ids).await?;
            roots.sort_by(|a, b| (a.create_at, &a.id).cmp(&(b.create_at, &b.id)));
            let roots: Vec<Post> = roots
                .into_iter()
                .filter(|p| {
                    matches!(
                        (places.get(&p.channel_id), conversations),
                        (Some(Place::Team { .. }), false)
                            | (Some(Place::Conversation { .. }), true)
                    ) && author(&p.user_id).is_some()
                })
                .collect();
            let root_ids: Vec<String> = roots.iter().map(|p| p.id.clone()).collect();
            let mut replies = Vec::new();
            for chunk in store::bulk::reply_ids(&self.app.store, &root_ids)
                .await?
                .chunks(PAGE as usize)
            {
                replies.extend(store::posts::get_by_ids(&self.app.store, chunk).await?);
            }
            replies.retain(|r| self.keeps(&r.user_id, author));
            replies.sort_by(|a, b| (a.create_at, &a.id).cmp(&(b.create_at, &b.id)));
            let all: Vec<String> = root_ids
                .iter()
                .cloned()
                .chain(replies.iter().map(|r| r.id.clone()))
                .collect();
            let extras = self.extras(&all, author).await?;
            for root in roots {
                let thread: Vec<&Post> = replies.iter().filter(|r| r.root_id == root.id).collect();
                let mut reply_bodies = Vec::new();
                for r in thread {
                    reply_bodies.push(self.body(r, &extras, author).await?);
                }
                let body = self.body(&root, &extras, author).await?;
                let replies = (!reply_bodies.is_empty()).then_some(reply_bodies);
                let line = match &places[&root.channel_id] {
                    Place::Team { team, channel } => Line {
                        kind: "post".into(),
                        post: Some(PostLine {
                            team: Some(team.clone()),
                            channel: Some(channel.clone()),
                            body,
                            replies,
                        }),
                        ..Line::default()
                    },
                    Place::Conversation { members } => Line {
                        kind: "direct_post".into(),
                        direct_post: Some(DirectPostLine {
                            channel_members: Some(members.clone()),
                            body,
                            replies,
                        }),
                        ..Line::default()
                    },
                };
                self.send(line).await?;
            }
        }
    }

    /// Reactions, files and saved marks of `post_ids`.
    async fn extras(
        &self,
        post_ids: &[String],
        author: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> AppResult<Extras> {
        let mut extras = Extras::default();
        for chunk in post_ids.chunks(PAGE as usize) {
            for r in store::reactions::for_posts(&self.app.store, chunk).await? {
                if !self.keeps(&r.user_id, author) {
                    continue;
                }
                if let Some(user) = author(&r.user_id) {
                    extras
                        .reactions
                        .entry(r.post_id.clone())
                        .or_default()
                        .push(ReactionLine {
                            user: Some(user),
                            emoji_name: Some(r.emoji_name),
                            create_at: Some(r.create_at),
                        });
                }
            }
            if self.with_files {
                for f in store::fileinfo::for_posts(&self.app.store, chunk).await? {
                    // One user's export carries their own files only.
                    if self.only.is_none_or(|u| u == f.creator_id) {
                        extras.files.entry(f.post_id.clone()).or_default().push(f);
                    }
                }
            }
            for (user_id, post_id) in store::bulk::flags_of(&self.app.store, chunk).await? {
                if !self.keeps(&user_id, author) {
                    continue;
                }
                if let Some(user) = author(&user_id) {
                    extras.flags.entry(post_id).or_default().push(user);
                }
            }
        }
        Ok(extras)
    }

    async fn body(
        &mut self,
        post: &Post,
        extras: &Extras,
        author: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> AppResult<PostBody> {
        let mut attachments = Vec::new();
        for f in extras.files.get(&post.id).into_iter().flatten() {
            let bytes = self
                .app
                .files
                .store
                .read(&f.path)
                .await
                .map_err(|e| AppError::internal("app.export.read_file.app_error", e))?;
            self.send_file(f.path.clone(), bytes).await?;
            attachments.push(AttachmentLine {
                path: Some(f.path.clone()),
            });
        }
        let props = serde_json::to_value(&post.props)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .filter(|m| !m.is_empty());
        Ok(PostBody {
            user: author(&post.user_id),
            post_type: (!post.post_type.is_empty()).then(|| post.post_type.clone()),
            message: Some(post.message.clone()),
            props,
            create_at: Some(post.create_at),
            edit_at: (post.edit_at != 0).then_some(post.edit_at),
            flagged_by: extras.flags.get(&post.id).cloned(),
            is_pinned: post.is_pinned.then_some(true),
            reactions: extras.reactions.get(&post.id).cloned(),
            attachments: (!attachments.is_empty()).then_some(attachments),
        })
    }

    async fn emoji(&mut self) -> AppResult<()> {
        let mut offset = 0;
        loop {
            let page =
                store::emoji::list(&self.app.store, store::emoji::Sort::Created, PAGE, offset)
                    .await?;
            for e in &page {
                let Some(image) = crate::emoji::images::read(self.app, &e.id)
                    .await
                    .map_err(|err| AppError::internal("app.export.read_file.app_error", err))?
                else {
                    continue;
                };
                let path = format!("exported_emoji/{}/image", e.id);
                self.send_file(path.clone(), image).await?;
                self.send(Line {
                    kind: "emoji".into(),
                    emoji: Some(EmojiLine {
                        name: Some(e.name.clone()),
                        image: Some(path),
                    }),
                    ..Line::default()
                })
                .await?;
            }
            if (page.len() as i64) < PAGE {
                return Ok(());
            }
            offset += PAGE;
        }
    }
}

#[derive(Default)]
struct Extras {
    reactions: HashMap<String, Vec<ReactionLine>>,
    files: HashMap<String, Vec<utmost_model::file_info::FileInfo>>,
    flags: HashMap<String, Vec<String>>,
}

/// A membership's roles as the format writes them ("team_user team_admin").
fn roles(scope: &str, guest: bool, admin: bool) -> String {
    match (guest, admin) {
        (true, _) => format!("{scope}_guest"),
        (false, true) => format!("{scope}_user {scope}_admin"),
        (false, false) => format!("{scope}_user"),
    }
}
