//! Who a message mentions, as Mattermost's notification code decides it
//! (`app/mention_keywords.go`, `app/mention_parser_standard.go`, `getExplicitMentions`).
//! Pure: the caller supplies the channel members and their settings.

use std::collections::{BTreeSet, HashMap};
use utmost_store::member_profiles::MemberProfile;

/// Keyword → ids of the users it mentions. Keys are lower case except first names, which
/// Mattermost matches case-sensitively.
#[derive(Debug, Clone, Default)]
pub struct MentionKeywords(HashMap<String, Vec<String>>);

impl MentionKeywords {
    /// `MentionKeywords.AddUser`; `online`: the user's status is "online" (for `@here`).
    pub fn add_user(&mut self, user: &MemberProfile, online: bool, allow_channel_mentions: bool) {
        let prop = |key: &str| user.notify_props.get(key).map_or("", String::as_str);
        self.add_username(user);
        for key in prop("mention_keys").split(',').map(str::trim) {
            if !key.is_empty() {
                self.add(key.to_lowercase(), &user.user_id);
            }
        }
        if prop("first_name") == "true" && !user.first_name.is_empty() {
            self.add(user.first_name.clone(), &user.user_id);
        }
        if allow_channel_mentions && accepts_channel_mentions(user) {
            self.add("@channel".into(), &user.user_id);
            self.add("@all".into(), &user.user_id);
            if online {
                self.add("@here".into(), &user.user_id);
            }
        }
    }

    /// The user's `@username` alone (what persistent notifications listen for).
    pub fn add_username(&mut self, user: &MemberProfile) {
        self.add(format!("@{}", user.username.to_lowercase()), &user.user_id);
    }

    fn add(&mut self, keyword: String, user_id: &str) {
        self.0.entry(keyword).or_default().push(user_id.to_string());
    }

    fn get(&self, keyword: &str) -> Option<&Vec<String>> {
        self.0.get(keyword)
    }
}

/// The user is told of `@channel`, `@all` and `@here` in this channel.
pub(crate) fn accepts_channel_mentions(user: &MemberProfile) -> bool {
    user.notify_props.get("channel").map(String::as_str) == Some("true")
        && !ignores_channel_mentions(user)
}

/// A muted channel with the default setting ignores channel-wide mentions too.
fn ignores_channel_mentions(user: &MemberProfile) -> bool {
    let prop = |key: &str| {
        user.channel_notify_props
            .get(key)
            .map_or("", String::as_str)
    };
    prop("ignore_channel_mentions") == "on"
        || (prop("mark_unread") == "mention" && prop("ignore_channel_mentions") == "default")
}

/// What a message mentions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MentionResults {
    pub user_ids: BTreeSet<String>,
    pub here: bool,
    pub channel: bool,
    pub all: bool,
    /// `@names` that matched nobody in the channel.
    pub other_potential: Vec<String>,
}

/// `getExplicitMentions`: scans the prose of `message` (not code) for the keywords.
pub fn explicit_mentions(message: &str, keywords: &MentionKeywords) -> MentionResults {
    let mut results = MentionResults::default();
    for text in prose_segments(message) {
        process_text(&text, keywords, &mut results);
    }
    results
}

const SYSTEM_MENTIONS: [&str; 3] = ["@here", "@channel", "@all"];

/// `StandardMentionParser.ProcessText`.
fn process_text(text: &str, keywords: &MentionKeywords, results: &mut MentionResults) {
    let is_word_char =
        |c: char| matches!(c, ':' | '.' | '-' | '_' | '@') || c.is_alphabetic() || c.is_numeric();
    for raw in text
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
    {
        // `:emoji:` is never a mention.
        if raw.len() > 1 && raw.starts_with(':') && raw.ends_with(':') || raw == ":" {
            continue;
        }
        let word = raw.trim_start_matches([':', '.', '-', '_']);
        if check_for_mention(word, keywords, results) {
            continue;
        }
        // `@bob.` / `@bob:` / `@bob_` at the end of a sentence.
        let mut without_suffix = word;
        let mut found = false;
        while let Some(shorter) = without_suffix.strip_suffix(['.', '-', ':', '_']) {
            without_suffix = shorter;
            if check_for_mention(without_suffix, keywords, results) {
                found = true;
                break;
            }
        }
        if found {
            continue;
        }
        if !SYSTEM_MENTIONS.contains(&word) && word.starts_with('@') {
            let name = word.strip_suffix(['.', '-', ':']).unwrap_or(word);
            results.other_potential.push(name[1..].to_string());
        } else if word.contains(['.', '-', ':']) {
            for part in word.split(['.', '-', ':']).filter(|p| !p.is_empty()) {
                if check_for_mention(part, keywords, results) {
                    continue;
                }
                if !SYSTEM_MENTIONS.contains(&part) && part.starts_with('@') {
                    results.other_potential.push(part[1..].to_string());
                }
            }
        }
        add_multibyte_keyword_mentions(word, keywords, results);
    }
}

/// `checkForMention`: a whole-word keyword, case-insensitively, or a first name exactly.
fn check_for_mention(word: &str, keywords: &MentionKeywords, results: &mut MentionResults) -> bool {
    let lower = word.to_lowercase();
    match lower.as_str() {
        "@here" => results.here = true,
        "@channel" => results.channel = true,
        "@all" => results.all = true,
        _ => {}
    }
    match keywords.get(&lower).or_else(|| keywords.get(word)) {
        Some(ids) => {
            results.user_ids.extend(ids.iter().cloned());
            true
        }
        None => false,
    }
}

/// `isKeywordMultibyte`: scripts without spaces between words (CJK) match keywords inside
/// a longer word.
fn add_multibyte_keyword_mentions(
    word: &str,
    keywords: &MentionKeywords,
    results: &mut MentionResults,
) {
    if word.is_ascii() {
        return;
    }
    for (keyword, ids) in &keywords.0 {
        if !keyword.is_ascii() && word.contains(keyword.as_str()) {
            results.user_ids.extend(ids.iter().cloned());
        }
    }
}

/// The parts of a Markdown message that are prose: fenced and indented code blocks and
/// inline code spans are dropped (Mattermost only looks at Markdown text nodes).
fn prose_segments(message: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut fence: Option<(char, usize)> = None;
    let mut previous_blank = true;
    for line in message.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let fence_run = fence_marker(trimmed);
        if let Some((ch, len)) = fence {
            if fence_run.is_some_and(|(c, n)| c == ch && n >= len && indent < 4) {
                fence = None;
            }
            previous_blank = false;
            continue;
        }
        if let Some(run) = fence_run.filter(|_| indent < 4) {
            fence = Some(run);
            flush(&mut current, &mut segments);
            previous_blank = false;
            continue;
        }
        let indented_code =
            previous_blank && !trimmed.is_empty() && (indent >= 4 || line.starts_with('\t'));
        if indented_code {
            flush(&mut current, &mut segments);
            continue;
        }
        previous_blank = trimmed.is_empty();
        current.push_str(&strip_code_spans(line));
        current.push('\n');
    }
    flush(&mut current, &mut segments);
    segments
}

fn flush(current: &mut String, segments: &mut Vec<String>) {
    if !current.trim().is_empty() {
        segments.push(std::mem::take(current));
    }
    current.clear();
}

/// A line opening or closing a fenced code block: three or more backticks or tildes.
fn fence_marker(trimmed: &str) -> Option<(char, usize)> {
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == ch).count();
    (len >= 3).then_some((ch, len))
}

/// Replaces each inline code span (a backtick run up to a run of the same length) by a space.
fn strip_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        let run = rest[start..].chars().take_while(|c| *c == '`').count();
        let after = &rest[start + run..];
        match find_closing_run(after, run) {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push(' ');
                rest = &after[end + run..];
            }
            None => {
                out.push_str(&rest[..start + run]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn find_closing_run(text: &str, run: usize) -> Option<usize> {
    let mut offset = 0;
    while let Some(pos) = text[offset..].find('`') {
        let at = offset + pos;
        let len = text[at..].chars().take_while(|c| *c == '`').count();
        if len == run {
            return Some(at);
        }
        offset = at + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, username: &str) -> MemberProfile {
        MemberProfile {
            user_id: id.into(),
            username: username.into(),
            notify_props: [
                ("channel", "true"),
                ("mention_keys", ""),
                ("first_name", "false"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            ..MemberProfile::default()
        }
    }

    /// Keywords for `users`, of whom those named in `online` are online.
    fn keywords_online(users: &[MemberProfile], online: &[&str], allow: bool) -> MentionKeywords {
        let mut k = MentionKeywords::default();
        for u in users {
            k.add_user(u, online.contains(&u.user_id.as_str()), allow);
        }
        k
    }

    fn keywords(users: &[MemberProfile], allow_channel: bool) -> MentionKeywords {
        keywords_online(users, &[], allow_channel)
    }

    fn mentioned(message: &str, k: &MentionKeywords) -> Vec<String> {
        explicit_mentions(message, k).user_ids.into_iter().collect()
    }

    #[test]
    fn usernames_with_trailing_punctuation() {
        let k = keywords(&[user("b", "bob"), user("c", "bob.smith")], false);
        assert_eq!(mentioned("@bob hi", &k), ["b"]);
        assert_eq!(mentioned("hi @bob.", &k), ["b"]);
        assert_eq!(mentioned("hi @bob, you", &k), ["b"]);
        assert_eq!(mentioned("hi @BOB:", &k), ["b"]);
        assert_eq!(mentioned("ask @bob.smith.", &k), ["c"]);
        assert_eq!(mentioned("(@bob)", &k), ["b"]);
        assert!(mentioned("bob without at", &k).is_empty());
        assert!(mentioned("email bob@example.com", &k).is_empty());
        assert!(mentioned("@bobby", &k).is_empty());
    }

    #[test]
    fn unknown_at_names_are_potential_mentions() {
        let k = keywords(&[user("b", "bob")], false);
        let r = explicit_mentions("@carol. and @dave", &k);
        assert_eq!(r.other_potential, ["carol", "dave"]);
        assert!(r.user_ids.is_empty());
    }

    #[test]
    fn channel_wide_mentions_respect_settings() {
        let mut muted = user("m", "muted");
        muted
            .channel_notify_props
            .insert("ignore_channel_mentions".into(), "on".into());
        let online = user("o", "online");
        let mut opted_out = user("x", "optedout");
        opted_out
            .notify_props
            .insert("channel".into(), "false".into());
        let members = [user("b", "bob"), muted, online, opted_out];

        let k = keywords_online(&members, &["o"], true);
        assert_eq!(mentioned("@channel look", &k), ["b", "o"]);
        assert_eq!(mentioned("@ALL look", &k), ["b", "o"]);
        assert_eq!(mentioned("@here look", &k), ["o"]);
        let r = explicit_mentions("@here", &k);
        assert!(r.here && !r.channel);

        let no_permission = keywords(&members, false);
        assert!(mentioned("@channel look", &no_permission).is_empty());
    }

    #[test]
    fn muted_channel_with_default_setting_ignores_channel_mentions() {
        let mut muted = user("m", "muted");
        muted.channel_notify_props = [
            ("mark_unread", "mention"),
            ("ignore_channel_mentions", "default"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert!(mentioned("@all", &keywords(&[muted], true)).is_empty());
    }

    #[test]
    fn mention_keys_and_first_name() {
        let mut u = user("b", "bob");
        u.first_name = "Robert".into();
        u.notify_props
            .insert("mention_keys".into(), "Deploy, on-call ,".into());
        u.notify_props.insert("first_name".into(), "true".into());
        let k = keywords(&[u], false);
        assert_eq!(mentioned("who is DEPLOY today?", &k), ["b"]);
        assert_eq!(mentioned("page on-call", &k), ["b"]);
        assert_eq!(mentioned("thanks Robert!", &k), ["b"]);
        assert!(mentioned("thanks robert", &k).is_empty());
        assert!(mentioned("redeploy", &k).is_empty());
    }

    #[test]
    fn code_is_not_scanned() {
        let k = keywords(&[user("b", "bob")], true);
        assert!(mentioned("`@bob` in code", &k).is_empty());
        assert!(mentioned("```\n@bob\n```", &k).is_empty());
        assert!(mentioned("~~~go\n@channel\n~~~\n", &k).is_empty());
        assert!(mentioned("text\n\n    @bob indented code", &k).is_empty());
        assert_eq!(mentioned("```\ncode\n```\nthen @bob", &k), ["b"]);
        assert_eq!(mentioned("`x` and @bob", &k), ["b"]);
    }

    #[test]
    fn emoji_and_multibyte_keywords() {
        let mut u = user("j", "jun");
        u.notify_props.insert("mention_keys".into(), "田中".into());
        let k = keywords(&[u, user("b", "bob")], false);
        assert!(mentioned(":bob:", &k).is_empty());
        assert_eq!(mentioned("田中さん", &k), ["j"]);
    }
}
