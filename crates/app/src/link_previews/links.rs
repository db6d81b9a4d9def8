//! Which links of a message get a preview: the first bare link (`getFirstLink`) and the
//! Markdown images (`getImages`), minus the hosts `RestrictLinkPreviews` names.

use url::Url;

/// Images of one post whose size is looked up; the rest are shown without one.
pub const MAX_IMAGES_PER_POST: usize = 5;

/// The first autolinked http(s) URL of `message` (not a `[text](url)` link, not an image,
/// not inside code) that `allowed` accepts.
pub fn first_link(message: &str, allowed: impl Fn(&str) -> bool) -> Option<String> {
    outside_code(message)
        .flat_map(str::split_whitespace)
        .filter(|word| !word.contains("](") && !word.starts_with('`'))
        .filter_map(bare_link)
        .find(|link| allowed(link))
}

/// The targets of `![alt](url)` images in `message`, outside code, that `allowed` accepts.
pub fn markdown_images(message: &str, allowed: impl Fn(&str) -> bool) -> Vec<String> {
    let mut images = Vec::new();
    for text in outside_code(message) {
        let mut rest = text;
        while let Some(start) = rest.find("![") {
            rest = &rest[start + 2..];
            let Some(open) = rest.find("](") else { break };
            let target = &rest[open + 2..];
            let Some(close) = target.find(')') else { break };
            // `![alt](url "title")`: the URL is the first word.
            let url = target[..close]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            let url = url.trim_start_matches('<').trim_end_matches('>');
            if !url.is_empty() && allowed(url) && !images.iter().any(|i| i == url) {
                images.push(url.to_owned());
            }
            rest = &target[close..];
        }
    }
    images
}

/// `isLinkAllowedForPreview`: the link's host contains none of the restricted names
/// (separated by spaces, commas or `@`, compared in lower case).
pub fn allowed_for_preview(link: &str, restricted: &str) -> bool {
    let restricted = restricted.to_lowercase().replace(['@', ','], " ");
    let mut names = restricted.split_whitespace().peekable();
    if names.peek().is_none() {
        return true;
    }
    let Some(host) = Url::parse(link)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
    else {
        return false;
    };
    names.all(|name| !host.contains(name))
}

/// The lines of `message` outside fenced code blocks.
fn outside_code(message: &str) -> impl Iterator<Item = &str> {
    let mut fenced = false;
    message.lines().filter(move |line| {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            return false;
        }
        !fenced
    })
}

/// A word that is an http(s) link, with what autolinking leaves out trimmed: angle
/// brackets, and trailing punctuation.
fn bare_link(word: &str) -> Option<String> {
    let word = word.trim_start_matches(['<', '(']);
    let lower = word.get(..8).unwrap_or(word).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let link = word.trim_end_matches(['>', '.', ',', ';', ':', '!', '?', ')', '\'', '"']);
    Url::parse(link).ok().filter(|u| u.host_str().is_some())?;
    Some(link.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bare_link_outside_links_images_and_code() {
        let all = |_: &str| true;
        let message = "see [docs](https://docs.example) and ![i](https://img.example/a.png)\n\
                       ```\nhttps://code.example\n```\n`https://inline.example` \
                       then <https://first.example/x>, and https://second.example.";
        assert_eq!(
            first_link(message, all).as_deref(),
            Some("https://first.example/x")
        );
        assert_eq!(first_link("no links, ftp://x.example", all), None);
        assert_eq!(
            first_link("https://skip.example https://keep.example", |l| !l
                .contains("skip"))
            .as_deref(),
            Some("https://keep.example")
        );
    }

    #[test]
    fn markdown_images_in_order_without_repeats() {
        let message = "![a](https://i.example/1.png) ![b](<https://i.example/2.gif> \"t\") \
                       ![a again](https://i.example/1.png)";
        assert_eq!(
            markdown_images(message, |_| true),
            ["https://i.example/1.png", "https://i.example/2.gif"]
        );
    }

    #[test]
    fn restricted_hosts_match_as_substrings() {
        let restricted = "@Corp.example, tracker.example";
        assert!(!allowed_for_preview(
            "https://wiki.corp.example/page",
            restricted
        ));
        assert!(!allowed_for_preview("https://tracker.example", restricted));
        assert!(allowed_for_preview("https://example.org", restricted));
        assert!(allowed_for_preview("https://tracker.example", ""));
    }
}
