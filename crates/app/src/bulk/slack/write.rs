//! Writing the planned import as bulk-import lines: the channels, the users with their
//! memberships, the DMs and group messages, then every conversation's messages as posts
//! with their replies, reactions and files (copied out of the export beside the lines).
//! Posts go to a side file first, since only the messages tell whether the import bot
//! user is needed, and its line must come before them.

use super::export::{millis, Export, FileRef, Message};
use super::plan::{Plan, PlannedUser};
use super::report::Report;
use super::text::{convert, split, Names};
use crate::bulk::lines::*;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use utmost_model::post::POST_MESSAGE_MAX_RUNES;
use utmost_model::reaction::is_valid_emoji_name;

/// The lines' file name in the conversion's directory.
pub const JSONL: &str = "import.jsonl";

struct Lines(BufWriter<File>);

impl Lines {
    fn create(path: &Path) -> std::io::Result<Self> {
        Ok(Lines(BufWriter::new(File::create(path)?)))
    }

    fn put(&mut self, line: &Line) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.0, line)?;
        self.0.write_all(b"\n")
    }
}

/// Writes `dir/import.jsonl` (and the files it names) and returns its path.
pub fn write(
    export: &mut Export,
    plan: &Plan,
    dir: &Path,
    max_file: u64,
    report: &mut Report,
) -> std::io::Result<PathBuf> {
    let side = dir.join("posts.part");
    let mut posts = Lines::create(&side)?;
    let mut messages = Messages {
        names: &plan.names,
        bot: &plan.bot_username,
        bot_used: false,
        dir,
        max_file,
        extracted: HashSet::new(),
    };
    let mut folders = HashSet::new();
    for channel in &plan.channels {
        folders.insert(channel.folder.clone());
        for thread in messages.threads(export, &channel.folder, None, report) {
            posts.put(&Line {
                kind: "post".into(),
                post: Some(PostLine {
                    team: Some(plan.team.name.clone()),
                    channel: channel.line.name.clone(),
                    body: thread.body,
                    replies: Some(thread.replies),
                }),
                ..Line::default()
            })?;
        }
    }
    for direct in &plan.directs {
        folders.insert(direct.folder.clone());
        let members = Some(direct.members.as_slice());
        for thread in messages.threads(export, &direct.folder, members, report) {
            posts.put(&Line {
                kind: "direct_post".into(),
                direct_post: Some(DirectPostLine {
                    channel_members: Some(direct.members.clone()),
                    body: thread.body,
                    replies: Some(thread.replies),
                }),
                ..Line::default()
            })?;
        }
    }
    posts.0.flush()?;
    drop(posts);
    let mut unlisted: Vec<&String> = export
        .days
        .keys()
        .filter(|f| !folders.contains(*f))
        .collect();
    unlisted.sort();
    for folder in unlisted {
        report.skip(
            folder,
            "a folder of messages that no channel, DM or group message of the export names".into(),
        );
    }

    let jsonl = dir.join(JSONL);
    let mut out = Lines::create(&jsonl)?;
    out.put(&Line::version())?;
    for channel in &plan.channels {
        out.put(&Line {
            kind: "channel".into(),
            channel: Some(channel.line.clone()),
            ..Line::default()
        })?;
        report.channels += 1;
    }
    let mut memberships: HashMap<&str, Vec<UserChannelLine>> = HashMap::new();
    for channel in &plan.channels {
        for member in &channel.members {
            let roles = channel
                .roles
                .get(member)
                .map_or("channel_user", String::as_str);
            memberships
                .entry(member.as_str())
                .or_default()
                .push(UserChannelLine {
                    name: channel.line.name.clone(),
                    roles: Some(roles.to_string()),
                    ..UserChannelLine::default()
                });
        }
    }
    let bot = plan.bot.as_ref().filter(|_| messages.bot_used);
    for user in plan.users.iter().chain(bot) {
        out.put(&user_line(plan, user, &mut memberships))?;
        report.users += 1;
    }
    for direct in &plan.directs {
        out.put(&Line {
            kind: "direct_channel".into(),
            direct_channel: Some(DirectChannelLine {
                members: Some(direct.members.clone()),
                ..DirectChannelLine::default()
            }),
            ..Line::default()
        })?;
        report.direct_channels += 1;
    }
    std::io::copy(&mut File::open(&side)?, &mut out.0)?;
    out.0.flush()?;
    std::fs::remove_file(&side)?;
    Ok(jsonl)
}

fn user_line(
    plan: &Plan,
    user: &PlannedUser,
    memberships: &mut HashMap<&str, Vec<UserChannelLine>>,
) -> Line {
    let name = user.line.username.as_deref().unwrap_or_default();
    let channels = memberships.remove(name).unwrap_or_default();
    Line {
        kind: "user".into(),
        user: Some(UserLine {
            teams: Some(vec![UserTeamLine {
                name: Some(plan.team.name.clone()),
                roles: Some(user.team_roles.clone()),
                channels: Some(channels),
                ..UserTeamLine::default()
            }]),
            ..user.line.clone()
        }),
        ..Line::default()
    }
}

/// A root post and its replies (a long message's later pieces first).
struct Thread {
    ts: String,
    body: PostBody,
    replies: Vec<PostBody>,
    /// A deleted message Slack keeps only because it has replies.
    tombstone: bool,
}

/// One message drafted as a post: its pieces (more than one when too long).
struct Draft {
    ts: String,
    thread_ts: String,
    pieces: Vec<PostBody>,
    tombstone: bool,
}

struct Messages<'a> {
    names: &'a Names,
    bot: &'a str,
    bot_used: bool,
    dir: &'a Path,
    max_file: u64,
    extracted: HashSet<String>,
}

impl Messages<'_> {
    /// A folder's messages as threads, in time order. `members` are a DM's or group
    /// message's, whose posts only they may author.
    fn threads(
        &mut self,
        export: &mut Export,
        folder: &str,
        members: Option<&[String]>,
        report: &mut Report,
    ) -> Vec<Thread> {
        let mut all = Vec::new();
        for day in export.days.get(folder).cloned().unwrap_or_default() {
            match export.messages(&day) {
                Ok(messages) => {
                    for (i, m) in messages.into_iter().enumerate() {
                        match m {
                            Ok(m) => all.push(m),
                            Err(e) => {
                                report.skip(&format!("{day} #{i}"), format!("unreadable: {e}"))
                            }
                        }
                    }
                }
                Err(e) => report.skip(&day, e.to_string()),
            }
        }
        all.sort_by(|a, b| (millis(&a.ts), &a.ts).cmp(&(millis(&b.ts), &b.ts)));
        let mut drafts = Vec::new();
        for message in &all {
            let place = format!("{folder} {}", message.ts);
            match self.draft(export, message, members, &place, report) {
                Ok(d) => drafts.push(d),
                Err(reason) => report.skip(&place, reason),
            }
        }
        let mut threads: Vec<Thread> = Vec::new();
        let mut roots: HashMap<String, usize> = HashMap::new();
        for draft in drafts {
            let mut pieces = draft.pieces.into_iter();
            let Some(first) = pieces.next() else { continue };
            let reply = !draft.thread_ts.is_empty() && draft.thread_ts != draft.ts;
            if reply {
                if let Some(&root) = roots.get(&draft.thread_ts) {
                    threads[root].replies.push(first);
                    threads[root].replies.extend(pieces);
                    continue;
                }
                report.note(
                    &format!("{folder} {}", draft.ts),
                    "a reply whose thread's first message is not in the export, imported as a post of its own".into(),
                );
            }
            roots.insert(draft.ts.clone(), threads.len());
            threads.push(Thread {
                ts: draft.ts,
                body: first,
                replies: pieces.collect(),
                tombstone: draft.tombstone,
            });
        }
        threads.retain(|t| {
            let place = format!("{folder} {}", t.ts);
            if t.tombstone && t.replies.is_empty() {
                report.skip(&place, "a deleted message".into());
                return false;
            }
            if t.tombstone {
                report.note(
                    &place,
                    "a deleted message kept as its replies' thread root".into(),
                );
            }
            true
        });
        for t in &threads {
            report.posts += 1 + t.replies.len() as u64;
            for body in std::iter::once(&t.body).chain(&t.replies) {
                self.bot_used |= body.user.as_deref() == Some(self.bot);
                report.reactions += body.reactions.as_ref().map_or(0, |r| r.len() as u64);
                report.files += body.attachments.as_ref().map_or(0, |a| a.len() as u64);
            }
        }
        threads
    }

    /// One message as a post, or why it is skipped.
    fn draft(
        &mut self,
        export: &mut Export,
        m: &Message,
        members: Option<&[String]>,
        place: &str,
        report: &mut Report,
    ) -> Result<Draft, String> {
        if !m.kind.is_empty() && m.kind != "message" {
            return Err(format!("not a message but a {:?}", m.kind));
        }
        let create_at = millis(&m.ts);
        if create_at <= 0 {
            return Err(format!("no readable time (ts {:?})", m.ts));
        }
        let text = convert(&m.text, self.names);
        let mut author = m.user.as_str();
        let mut message = text;
        let mut post_type = "";
        let mut props = serde_json::Map::new();
        let mut tombstone = false;
        match m.subtype.as_str() {
            "" | "file_share" | "thread_broadcast" => {}
            "me_message" => message = format!("*{message}*"),
            "channel_join" => post_type = "system_join_channel",
            "channel_leave" => post_type = "system_leave_channel",
            "channel_topic" => post_type = "system_header_change",
            "channel_purpose" => post_type = "system_purpose_change",
            "channel_name" => post_type = "system_displayname_change",
            "file_comment" => {
                let comment = m
                    .comment
                    .as_ref()
                    .ok_or("a file comment without its comment")?;
                author = &comment.user;
                message = convert(&comment.comment, self.names);
            }
            "tombstone" => tombstone = true,
            "bot_message" => {
                if m.bot_id.is_empty() && !self.names.users.contains_key(&m.user) {
                    return Err("a bot message without a bot".into());
                }
                let shown = match &m.bot_profile {
                    _ if !m.username.is_empty() => m.username.clone(),
                    Some(p) => p.name.clone(),
                    None => String::new(),
                };
                if !shown.is_empty() {
                    props.insert("override_username".into(), shown.into());
                }
                props.insert("from_webhook".into(), "true".into());
                if !m.attachments.is_empty() {
                    props.insert("attachments".into(), m.attachments.clone().into());
                    post_type = "slack_attachment";
                }
            }
            "message_deleted" => return Err("a deletion (the message is gone)".into()),
            "message_changed" => {
                return Err("an edit event (the edited text is already in the message)".into())
            }
            "message_replied" => return Err("a reply event (the reply is its own message)".into()),
            other => return Err(format!("unsupported subtype {other:?}")),
        }
        let username = match self.names.users.get(author) {
            Some(u) => u.clone(),
            // Bot messages and tombstones of no known user: the import bot, as Mattermost.
            // Bot messages and tombstones of no known user are the import bot's (as
            // Mattermost's importer has it), which is in no DM or group message.
            None if m.subtype == "bot_message" || tombstone => match members {
                None => self.bot.to_string(),
                Some(_) => return Err("a message of no known user in a DM or group message".into()),
            },
            None if author.is_empty() => return Err("no user".into()),
            None => return Err(format!("user {author} is not in users.json")),
        };
        if members.is_some_and(|ms| !ms.contains(&username)) {
            return Err(format!("@{username} is not a member of the conversation"));
        }
        if matches!(post_type, "system_join_channel" | "system_leave_channel") {
            props.insert("username".into(), username.clone().into());
        }
        let attachments = self.files(export, m, place, report);
        let reactions = self.reactions(m, create_at, place, report);
        let edit_at = m.edited.as_ref().map(|e| millis(&e.ts)).filter(|t| *t > 0);
        let pieces = split(&message, POST_MESSAGE_MAX_RUNES);
        if pieces.len() > 1 {
            report.note(
                place,
                format!(
                    "a message too long for one post, imported as {} posts",
                    pieces.len()
                ),
            );
        }
        let bodies = pieces
            .into_iter()
            .enumerate()
            .map(|(i, piece)| {
                let first = i == 0;
                PostBody {
                    user: Some(username.clone()),
                    post_type: (!post_type.is_empty()).then(|| post_type.to_string()),
                    message: Some(piece),
                    props: (first && !props.is_empty()).then(|| props.clone()),
                    create_at: Some(create_at + i as i64),
                    edit_at: edit_at.filter(|_| first),
                    reactions: (first && !reactions.is_empty()).then(|| reactions.clone()),
                    attachments: (first && !attachments.is_empty()).then(|| attachments.clone()),
                    ..PostBody::default()
                }
            })
            .collect();
        Ok(Draft {
            ts: m.ts.clone(),
            thread_ts: m.thread_ts.clone(),
            pieces: bodies,
            tombstone,
        })
    }

    fn reactions(
        &self,
        m: &Message,
        at: i64,
        place: &str,
        report: &mut Report,
    ) -> Vec<ReactionLine> {
        let mut out = Vec::new();
        for r in &m.reactions {
            // Skin tones (`+1::skin-tone-2`) have no name of their own in Mattermost.
            let name = r.name.split("::").next().unwrap_or_default();
            if !is_valid_emoji_name(name) {
                report.skip(
                    place,
                    format!("reaction :{}: has no valid emoji name", r.name),
                );
                continue;
            }
            for user in &r.users {
                let reaction = ReactionLine {
                    user: self.names.users.get(user).cloned(),
                    emoji_name: Some(name.to_string()),
                    create_at: Some(at),
                };
                match reaction.user {
                    // The same person's `:+1:` in two skin tones is one reaction here.
                    Some(_) if out.contains(&reaction) => {}
                    Some(_) => out.push(reaction),
                    None => report.skip(
                        place,
                        format!("reaction :{name}: by {user}, who is not in users.json"),
                    ),
                }
            }
        }
        out
    }

    /// The message's files that the export carries, copied beside the lines.
    fn files(
        &mut self,
        export: &mut Export,
        m: &Message,
        place: &str,
        report: &mut Report,
    ) -> Vec<AttachmentLine> {
        let mut out = Vec::new();
        for file in m.files.iter().chain(&m.file) {
            match self.file(export, file) {
                Ok(path) => out.push(AttachmentLine { path: Some(path) }),
                Err(reason) => {
                    report.skip(place, format!("file {} ({}): {reason}", file.name, file.id))
                }
            }
        }
        out
    }

    fn file(&mut self, export: &mut Export, file: &FileRef) -> Result<String, String> {
        match file.mode.as_str() {
            "tombstone" => return Err("deleted in Slack".into()),
            "hidden_by_limit" => return Err("hidden by Slack's plan limit".into()),
            _ => {}
        }
        let entry = export.uploads.get(&file.id).cloned().ok_or(
            "not in the export (only its Slack link is); download it into __uploads/ first",
        )?;
        let name = crate::files::sanitize_name(&entry).unwrap_or_else(|| "file".into());
        let relative = format!("files/{}/{name}", safe_id(&file.id));
        if self.extracted.insert(relative.clone()) {
            if let Err(e) = export.extract(&entry, &self.dir.join(&relative), self.max_file) {
                self.extracted.remove(&relative);
                return Err(e);
            }
        }
        Ok(relative)
    }
}

/// A Slack file id as a directory name (they are letters and digits; anything else goes).
fn safe_id(id: &str) -> String {
    let safe: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
    if safe.is_empty() {
        "file".into()
    } else {
        safe
    }
}
