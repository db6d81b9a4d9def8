//! Writing an import's posts in batches. A post line (a root and its replies) is matched
//! against what is stored and, when new, queued; the queue is written in one transaction
//! ([`store::posts::create_many`]) once it holds [`BATCH`] posts or a line of another kind
//! comes, so a database pays one commit for many posts, as Mattermost's import does. Files,
//! reactions and saved marks follow their post's commit, each under ids the post already
//! names, so a run cut short between the two is completed by the next one.

use super::apply::{missing, save_preferences, Names};
use super::lines::{PostBody, ReactionLine};
use super::source::Source;
use crate::files::file_dir;
use crate::{App, AppResult};
use std::collections::{HashMap, HashSet};
use utmost_model::file_info::FileInfo;
use utmost_model::post::Post;
use utmost_model::preference::Preference;
use utmost_model::reaction::Reaction;
use utmost_model::{new_id, AppError};
use utmost_store::posts::NewPostEffects;
use utmost_store::{self as store, Deleted};

/// Posts written per transaction: large enough that the commit no longer dominates, small
/// enough that a batch's rows stay a few megabytes.
pub(super) const BATCH: usize = 500;

/// Where a thread is imported.
pub(super) struct Place {
    pub(super) team_id: String,
    pub(super) channel_id: String,
}

/// Mattermost's import key of a post: channel, author, time, message and thread.
type PostKey = (String, String, i64, String, String);

/// What a post needs once it is stored.
struct Extras {
    post: Post,
    attachments: Vec<String>,
    reactions: Vec<(String, ReactionLine)>,
    flagged_by: Vec<String>,
}

/// The posts queued since the last commit.
#[derive(Default)]
pub(super) struct PostBatch {
    new: Vec<(Post, NewPostEffects)>,
    /// The input line of each new post, to name the line a failed write came from.
    lines: Vec<usize>,
    extras: Vec<Extras>,
    queued: HashMap<PostKey, String>,
    roots: HashSet<String>,
}

impl PostBatch {
    pub(super) fn len(&self) -> usize {
        self.new.len() + self.extras.len()
    }

    /// Matches a thread's root and replies, and queues what is missing.
    pub(super) async fn queue_thread(
        &mut self,
        app: &App,
        names: &mut Names,
        line: usize,
        at: &Place,
        root: PostBody,
        replies: Option<Vec<PostBody>>,
    ) -> AppResult<()> {
        let root_id = self.queue_post(app, names, line, at, root, "").await?;
        for reply in replies.unwrap_or_default() {
            self.queue_post(app, names, line, at, reply, &root_id)
                .await?;
        }
        Ok(())
    }

    /// One post (a root when `root_id` is ""): its stored id, or the id it is queued under.
    async fn queue_post(
        &mut self,
        app: &App,
        names: &mut Names,
        line: usize,
        at: &Place,
        body: PostBody,
        root_id: &str,
    ) -> AppResult<String> {
        let user_id = names
            .user(app, body.user.as_deref().unwrap_or_default())
            .await?;
        let message = body.message.clone().unwrap_or_default();
        let create_at = body.create_at.unwrap_or_default();
        let key: PostKey = (
            at.channel_id.clone(),
            user_id.clone(),
            create_at,
            message.clone(),
            root_id.to_string(),
        );
        let attachments: Vec<String> = body
            .attachments
            .iter()
            .flatten()
            .filter_map(|a| a.path.clone())
            .collect();
        let mut reactions = Vec::new();
        for r in body.reactions.unwrap_or_default() {
            let user_id = names
                .user(app, r.user.as_deref().unwrap_or_default())
                .await?;
            reactions.push((user_id, r));
        }
        let mut flagged_by = Vec::new();
        for user in body.flagged_by.unwrap_or_default() {
            flagged_by.push(names.user(app, &user).await?);
        }
        let has_extras = !attachments.is_empty() || !reactions.is_empty() || !flagged_by.is_empty();
        if let Some(id) = self.queued.get(&key) {
            if has_extras {
                let post = self.queued_post(id);
                self.extras.push(Extras {
                    post,
                    attachments,
                    reactions,
                    flagged_by,
                });
            }
            return Ok(id.clone());
        }
        // A reply to a root queued in this batch cannot be stored yet.
        let stored = if self.roots.contains(root_id) {
            None
        } else {
            store::bulk::find_post(
                &app.store,
                &at.channel_id,
                &user_id,
                create_at,
                &message,
                root_id,
            )
            .await?
        };
        let post = match stored {
            Some(id) if !has_extras => return Ok(id),
            Some(id) => store::posts::get(&app.store, &id, Deleted::Include)
                .await?
                .ok_or_else(|| missing("post", &id))?,
            None => {
                let post = Post {
                    id: new_id(),
                    create_at,
                    update_at: create_at,
                    edit_at: body.edit_at.unwrap_or(0),
                    is_pinned: body.is_pinned.unwrap_or(false),
                    user_id,
                    channel_id: at.channel_id.clone(),
                    root_id: root_id.to_string(),
                    message,
                    post_type: body.post_type.clone().unwrap_or_default(),
                    props: body
                        .props
                        .clone()
                        .map(|m| m.into_iter().collect())
                        .unwrap_or_default(),
                    file_ids: attachments.iter().map(|_| new_id()).collect(),
                    ..Post::default()
                };
                let effects = NewPostEffects {
                    team_id: at.team_id.clone(),
                    ..NewPostEffects::default()
                };
                self.queued.insert(key, post.id.clone());
                if root_id.is_empty() {
                    self.roots.insert(post.id.clone());
                }
                self.new.push((post.clone(), effects));
                self.lines.push(line);
                post
            }
        };
        let id = post.id.clone();
        if has_extras {
            self.extras.push(Extras {
                post,
                attachments,
                reactions,
                flagged_by,
            });
        }
        Ok(id)
    }

    fn queued_post(&self, id: &str) -> Post {
        self.new
            .iter()
            .find(|(p, _)| p.id == id)
            .map(|(p, _)| p.clone())
            .unwrap_or_default()
    }

    /// Writes the queued posts in one transaction, then their files, reactions and saved
    /// marks. When the transaction fails, the posts are written one at a time to find the
    /// line at fault: the error names that line, and the posts before it are kept.
    pub(super) async fn flush(
        &mut self,
        app: &App,
        source: &Source,
    ) -> Result<(), (usize, AppError)> {
        let new = std::mem::take(&mut self.new);
        let lines = std::mem::take(&mut self.lines);
        let extras = std::mem::take(&mut self.extras);
        self.queued.clear();
        self.roots.clear();
        if store::posts::create_many(&app.store, &new).await.is_err() {
            for ((post, effects), line) in new.iter().zip(&lines) {
                store::posts::create(&app.store, post, effects)
                    .await
                    .map_err(|e| (*line, e.into()))?;
            }
        }
        let line_of = |post: &Post| {
            new.iter()
                .position(|(p, _)| p.id == post.id)
                .map_or(0, |i| lines[i])
        };
        for extra in extras {
            let at = line_of(&extra.post);
            write_extras(app, source, extra)
                .await
                .map_err(|e| (at, e))?;
        }
        Ok(())
    }
}

async fn write_extras(app: &App, source: &Source, extra: Extras) -> AppResult<()> {
    if !extra.attachments.is_empty() {
        import_files(app, source, &extra.post, &extra.attachments).await?;
    }
    import_reactions(app, &extra.post, extra.reactions).await?;
    let flags = extra
        .flagged_by
        .into_iter()
        .map(|user_id| Preference {
            user_id,
            category: "flagged_post".into(),
            name: extra.post.id.clone(),
            value: "true".into(),
        })
        .collect();
    save_preferences(app, flags).await
}

/// The post's files, each under the id the post already names; those present are kept.
async fn import_files(app: &App, source: &Source, post: &Post, paths: &[String]) -> AppResult<()> {
    let present: Vec<String> = store::fileinfo::for_post(&app.store, &post.id, Deleted::Include)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    for (id, path) in post.file_ids.iter().zip(paths) {
        if present.contains(id) {
            continue;
        }
        let bytes = source
            .read_data(path, super::apply::max_file(app))
            .await
            .map_err(|e| AppError::bad_request("app.import.attachment.bad_file.error", e))?;
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "file".into());
        let name = crate::files::sanitize_name(&name).unwrap_or_else(|| "file".into());
        let stored = format!(
            "{}/{name}",
            file_dir(post.create_at, &post.channel_id, &post.user_id, id)
        );
        let size = bytes.len();
        app.files
            .store
            .write(&stored, bytes)
            .await
            .map_err(|e| AppError::internal("api.file.write_file.app_error", e))?;
        let info = FileInfo {
            id: id.clone(),
            creator_id: post.user_id.clone(),
            post_id: post.id.clone(),
            channel_id: post.channel_id.clone(),
            create_at: post.create_at,
            update_at: post.create_at,
            path: stored,
            size: i64::try_from(size).unwrap_or(i64::MAX),
            ..crate::files::upload::described(&name)
        };
        crate::files::upload::save(app, info, crate::errors::FileError::ImageTooLarge).await?;
    }
    Ok(())
}

/// The post's reactions (by user id) that are not stored yet.
async fn import_reactions(
    app: &App,
    post: &Post,
    reactions: Vec<(String, ReactionLine)>,
) -> AppResult<()> {
    if reactions.is_empty() {
        return Ok(());
    }
    let present: Vec<(String, String)> =
        store::reactions::for_posts(&app.store, std::slice::from_ref(&post.id))
            .await?
            .into_iter()
            .map(|r| (r.user_id, r.emoji_name))
            .collect();
    for (user_id, r) in reactions {
        let emoji_name = r.emoji_name.unwrap_or_default();
        if present.contains(&(user_id.clone(), emoji_name.clone())) {
            continue;
        }
        let at = r.create_at.unwrap_or_default();
        let reaction = Reaction {
            user_id,
            post_id: post.id.clone(),
            emoji_name,
            create_at: at,
            update_at: at,
            channel_id: post.channel_id.clone(),
            ..Reaction::default()
        };
        store::reactions::save(&app.store, &reaction, i64::MAX).await?;
    }
    Ok(())
}
