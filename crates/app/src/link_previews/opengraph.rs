//! OpenGraph tags of an HTML page, in the JSON shape Mattermost's clients read
//! (`github.com/dyatlov/go-opengraph`, trimmed by `model.TruncateOpenGraph`).

use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};
use url::Url;

/// Longest title, description and site name kept, in characters (`truncateText`).
const TEXT_MAX_CHARS: usize = 300;
/// Images kept per page (`LinkMetadataMaxImages`).
const MAX_IMAGES: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpenGraph {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
    pub title: String,
    pub description: String,
    pub determiner: String,
    pub site_name: String,
    pub locale: String,
    pub locales_alternate: Option<Vec<String>>,
    pub images: Option<Vec<OpenGraphImage>>,
    pub audios: Option<Vec<serde_json::Value>>,
    pub videos: Option<Vec<serde_json::Value>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpenGraphImage {
    pub url: String,
    pub secure_url: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub width: u64,
    pub height: u64,
}

impl OpenGraph {
    /// The page's tags, or `None` when it has none of title, type and URL (the parser does
    /// not fail on malformed input, so that is how a page without a preview shows).
    /// Relative URLs are resolved against `page`; `og:url` becomes the link as the user
    /// wrote it (`requested`), not where redirects ended.
    pub fn parse(html: &str, page: &Url, requested: &str) -> Option<OpenGraph> {
        let document = Html::parse_document(html);
        let meta = Selector::parse("meta").ok()?;
        let mut og = OpenGraph::default();
        let mut images: Vec<OpenGraphImage> = Vec::new();
        for element in document.select(&meta) {
            let e = element.value();
            let (Some(property), Some(content)) = (
                e.attr("property").or_else(|| e.attr("name")),
                e.attr("content"),
            ) else {
                continue;
            };
            let content = content.trim().to_owned();
            match property {
                "og:type" => og.kind = content,
                "og:url" => og.url = content,
                "og:title" => og.title = content,
                "og:description" => og.description = content,
                "og:site_name" => og.site_name = content,
                "og:image" | "og:image:url" => images.push(OpenGraphImage {
                    url: content,
                    ..OpenGraphImage::default()
                }),
                "og:image:secure_url" => last(&mut images).secure_url = content,
                "og:image:type" => last(&mut images).kind = content,
                "og:image:width" => last(&mut images).width = content.parse().unwrap_or(0),
                "og:image:height" => last(&mut images).height = content.parse().unwrap_or(0),
                _ => {}
            }
        }
        if og.title.is_empty() && og.kind.is_empty() && og.url.is_empty() {
            return None;
        }
        if !og.url.is_empty() {
            og.url = requested.to_owned();
        }
        for image in &mut images {
            image.url = absolute(page, &image.url);
            image.secure_url = absolute(page, &image.secure_url);
        }
        images.truncate(MAX_IMAGES);
        og.images = (!images.is_empty()).then_some(images);
        og.title = truncate(&og.title);
        og.description = truncate(&og.description);
        og.site_name = truncate(&og.site_name);
        Some(og)
    }

    /// The URL of each image, the secure one first (`getImagesForPost`).
    pub fn image_urls(&self) -> impl Iterator<Item = &str> {
        self.images.iter().flatten().filter_map(|i| {
            [i.secure_url.as_str(), i.url.as_str()]
                .into_iter()
                .find(|u| !u.is_empty())
        })
    }
}

/// `og:image:*` describes the image before it; one without an image starts one.
fn last(images: &mut Vec<OpenGraphImage>) -> &mut OpenGraphImage {
    if images.is_empty() {
        images.push(OpenGraphImage::default());
    }
    let at = images.len() - 1;
    &mut images[at]
}

fn absolute(page: &Url, link: &str) -> String {
    if link.is_empty() {
        return String::new();
    }
    page.join(link)
        .map_or_else(|_| link.to_owned(), |u| u.to_string())
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(TEXT_MAX_CHARS) {
        Some((cut, _)) => format!("{}[...]", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("https://news.example/a/story").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_tags_resolves_images_and_keeps_the_written_link() {
        let html = r#"<html><head>
            <meta property="og:type" content="article">
            <meta property="og:url" content="https://news.example/canonical">
            <meta property="og:title" content="Tom &amp; Jerry">
            <meta property="og:description" content="A story">
            <meta property="og:site_name" content="News">
            <meta property="og:image" content="/img/cover.png">
            <meta property="og:image:width" content="640">
            <meta property="og:image:height" content="480">
            <meta property="og:image" content="https://cdn.example/two.jpg">
            <meta property="og:image:secure_url" content="https://cdn.example/two-secure.jpg">
            </head><body></body></html>"#;
        let og = OpenGraph::parse(html, &page(), "https://short.example/x")
            .unwrap_or_else(|| panic!("tags found"));
        assert_eq!(og.kind, "article");
        assert_eq!(og.url, "https://short.example/x");
        assert_eq!(og.title, "Tom & Jerry");
        let images = og.images.clone().unwrap_or_default();
        assert_eq!(images[0].url, "https://news.example/img/cover.png");
        assert_eq!((images[0].width, images[0].height), (640, 480));
        assert_eq!(
            og.image_urls().collect::<Vec<_>>(),
            [
                "https://news.example/img/cover.png",
                "https://cdn.example/two-secure.jpg"
            ]
        );
        let json = serde_json::to_value(&og).unwrap_or_default();
        assert_eq!(json["site_name"], "News");
        assert_eq!(json["images"][0]["secure_url"], "");
        assert_eq!(json["audios"], serde_json::Value::Null);
    }

    #[test]
    fn a_page_without_tags_has_no_preview_and_long_text_is_cut() {
        assert_eq!(OpenGraph::parse("<p>hello", &page(), "x"), None);
        let long = "é".repeat(400);
        let html = format!(r#"<meta property="og:title" content="{long}">"#);
        let og = OpenGraph::parse(&html, &page(), "x").unwrap_or_default();
        assert_eq!(og.title, format!("{}[...]", "é".repeat(300)));
    }
}
