//! A search's answer (`model.PostSearchResults`): the posts as a `PostList`, newest first,
//! and for each post the words of its message that matched (`matches`), which the clients
//! highlight.

use super::analyzer;
use super::query::{SearchParams, Term};
use crate::{App, AppResult};
use serde::Serialize;
use std::collections::BTreeMap;
use utmost_model::post::{Post, PostList};
use utmost_model::session::Session;

#[derive(Debug, Clone, Default, Serialize)]
pub struct PostSearchResults {
    #[serde(flatten)]
    pub list: PostList,
    pub matches: BTreeMap<String, Vec<String>>,
}

/// The posts `ids` names, in that order, as the reader may see them: the index can be a
/// moment behind a deletion, and the channel check is Mattermost's last filter
/// (`FilterPostsByChannelPermissions`).
pub(super) async fn load(
    app: &App,
    session: &Session,
    ids: &[String],
    sets: &[SearchParams],
) -> AppResult<PostSearchResults> {
    let mut posts = utmost_store::posts::get_by_ids(&app.store, ids).await?;
    posts.retain(|p| p.delete_at == 0);
    let rank: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    posts.sort_by_key(|p| rank.get(p.id.as_str()).copied().unwrap_or(usize::MAX));
    let visible = crate::posts::readable_by(app, session, posts).await?;
    let mut results = PostSearchResults::default();
    for post in visible {
        results
            .matches
            .insert(post.id.clone(), matched_words(&post, sets));
        results.list.push_ordered(post);
    }
    crate::reactions::add_reactions(app, results.list.posts.values_mut()).await?;
    crate::post_priority::add_priority_metadata(app, results.list.posts.values_mut()).await?;
    Ok(results)
}

/// The words of the message (as written, surrounding punctuation trimmed) that a term
/// matched: a word matches when the term's words appear in it in order, the last as a
/// beginning (a phrase's words match whole). Hashtags match the post's tags.
fn matched_words(post: &Post, sets: &[SearchParams]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for set in sets {
        for term in &set.terms {
            if set.is_hashtag {
                let tag = match term {
                    Term::Word(t) | Term::Phrase(t) => t,
                };
                found.extend(
                    post.hashtags
                        .split_whitespace()
                        .filter(|h| h.eq_ignore_ascii_case(tag))
                        .map(str::to_string),
                );
                continue;
            }
            let (text, whole) = match term {
                Term::Word(t) => (t, false),
                Term::Phrase(t) => (t, true),
            };
            let wanted: Vec<String> = analyzer::words(text).into_iter().map(|t| t.text).collect();
            if wanted.is_empty() {
                continue;
            }
            for word in post.message.split_whitespace() {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                let parts: Vec<String> =
                    analyzer::words(word).into_iter().map(|t| t.text).collect();
                let hit = if whole {
                    wanted.iter().any(|w| parts.contains(w))
                } else {
                    contains_in_order(&parts, &wanted)
                };
                if hit && !word.is_empty() {
                    found.push(word.to_string());
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Whether `wanted` appears in `parts` as consecutive words, the last one as a prefix.
fn contains_in_order(parts: &[String], wanted: &[String]) -> bool {
    let Some((last, whole)) = wanted.split_last() else {
        return false;
    };
    parts.windows(wanted.len()).any(|window| {
        window[..whole.len()] == *whole && window[whole.len()].starts_with(last.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    #[test]
    fn matches_name_the_words_as_written() {
        let post = Post {
            message: "Ping Hostname.example.com, then tell Alice: release notes are out!".into(),
            hashtags: "#Ops".into(),
            ..Post::default()
        };
        let sets = parse(r#"hostna alic "release notes" #ops missing"#);
        assert_eq!(
            matched_words(&post, &sets),
            ["#Ops", "Alice", "Hostname.example.com", "notes", "release"]
        );
    }
}
