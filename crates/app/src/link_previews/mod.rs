//! Link previews (Mattermost's `app/post_metadata.go` and `app/opengraph.go`): a post's
//! first bare link becomes `metadata.embeds` (its OpenGraph card, an image, or a plain
//! link), and the size of the images it shows goes in `metadata.images`. What a link points
//! at is fetched once per link and hour through `outgoing` and kept in `linkmetadata`.
//!
//! A post being created or edited fetches what is missing (within
//! `ExperimentalSettings.LinkMetadataTimeoutMilliseconds` for the whole post); reads only
//! use what was saved, so reading a page of posts never waits on other sites.

mod image_info;
mod links;
mod opengraph;
mod proxy;

pub use image_info::{probe, PostImage};
pub use links::{allowed_for_preview, first_link, markdown_images, MAX_IMAGES_PER_POST};
pub use opengraph::{OpenGraph, OpenGraphImage};
pub use proxy::{get_image, ImageAnswer, ImageProxy, MAX_PROXIED_IMAGE_BYTES};

use crate::outgoing::{self, Request};
use crate::{App, AppResult};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;
use utmost_model::now_millis;
use utmost_model::post::Post;
use utmost_store::link_metadata::{self as store, LinkMetadata};

const HOUR_MS: i64 = 3_600_000;
/// What a preview reads of a page: OpenGraph tags sit in its head.
const MAX_PAGE_BYTES: usize = 2 << 20;
/// What a preview reads of an image: its header, and a GIF's frames up to there.
const MAX_PROBED_IMAGE_BYTES: usize = 10 << 20;
/// Previews ask for images first, then pages (`getLinkMetadataForURL`).
const ACCEPT: &str = "image/*, text/html;q=0.8";
/// `PostPropsAttachments`: such a post's embed is its attachments.
const PROP_ATTACHMENTS: &str = "attachments";

/// Whether a request may fetch what has not been fetched before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Reads: only what `linkmetadata` holds.
    Saved,
    /// Creating or editing a post: fetch what is missing, then save it.
    FetchMissing,
}

/// What a link points at.
#[derive(Debug, Clone, PartialEq)]
enum Found {
    Page(Box<OpenGraph>),
    Image(PostImage),
    Nothing,
}

/// `model.FloorToNearestHour`.
fn hour_of(millis: i64) -> i64 {
    millis - millis.rem_euclid(HOUR_MS)
}

/// Fills `metadata.embeds` and `metadata.images` of the live posts among `posts` (each must
/// already have its `metadata` object).
pub async fn attach<'a>(
    app: &App,
    posts: impl Iterator<Item = &'a mut Post>,
    lookup: Lookup,
) -> AppResult<()> {
    let config = app.config();
    let settings = &config.service_settings;
    let restricted = settings.restrict_link_previews.as_str();
    let allowed = |link: &str| allowed_for_preview(link, restricted);
    let mut planned: Vec<(&mut Post, Plan)> = posts
        .filter(|p| p.delete_at == 0 && p.metadata.is_some())
        .map(|p| {
            let plan = Plan {
                hour: hour_of(p.create_at),
                attachments: p.props.contains_key(PROP_ATTACHMENTS),
                first: first_link(&p.message, allowed).filter(|_| settings.enable_link_previews),
                images: markdown_images(&p.message, allowed)
                    .into_iter()
                    .take(MAX_IMAGES_PER_POST)
                    .collect(),
            };
            (p, plan)
        })
        .collect();
    let timeout = link_timeout(app);
    let mut known = Known::default();
    let first_round: Vec<(String, i64)> = planned.iter().flat_map(|(_, p)| p.links()).collect();
    known.learn(app, &first_round, lookup, timeout).await?;
    // A page's card shows its images: their sizes are the second round.
    let second_round: Vec<(String, i64)> = planned
        .iter()
        .flat_map(|(_, plan)| {
            let hour = plan.hour;
            plan.card(&known)
                .into_iter()
                .flat_map(|og| og.image_urls().map(str::to_owned).collect::<Vec<_>>())
                .map(move |u| (u, hour))
        })
        .collect();
    known.learn(app, &second_round, lookup, timeout).await?;
    let proxy = ImageProxy::of(app);
    for (post, plan) in &mut planned {
        let (embed, images) = plan.metadata(&known, proxy.as_ref());
        if let Some(metadata) = post.metadata.as_mut() {
            metadata.embeds = embed.map(|e| vec![e]);
            metadata.images = (!images.is_empty()).then_some(images);
        }
    }
    Ok(())
}

/// The links one post shows.
struct Plan {
    hour: i64,
    attachments: bool,
    first: Option<String>,
    images: Vec<String>,
}

impl Plan {
    fn links(&self) -> Vec<(String, i64)> {
        let first = self.first.iter().filter(|_| !self.attachments);
        first
            .chain(&self.images)
            .map(|u| (u.clone(), self.hour))
            .collect()
    }

    fn card<'k>(&self, known: &'k Known) -> Option<&'k OpenGraph> {
        match known.get(self.first.as_ref()?, self.hour) {
            Found::Page(og) if !self.attachments => Some(og),
            _ => None,
        }
    }

    /// `getEmbedForPost` and `getImagesForPost`.
    fn metadata(
        &self,
        known: &Known,
        proxy: Option<&ImageProxy>,
    ) -> (Option<Value>, BTreeMap<String, Value>) {
        let mut images = BTreeMap::new();
        let mut add_image = |key: String, url: &str| {
            if let Found::Image(info) = known.get(url, self.hour) {
                images.insert(key, json!(info));
            }
        };
        for url in &self.images {
            add_image(url.clone(), url);
        }
        if self.attachments {
            return (Some(json!({"type": "message_attachment"})), images);
        }
        let Some(first) = &self.first else {
            return (None, images);
        };
        let embed = match known.get(first, self.hour) {
            Found::Page(og) => {
                let mut og = OpenGraph::clone(og);
                let originals: Vec<String> = og.image_urls().map(str::to_owned).collect();
                if let Some(proxy) = proxy {
                    proxy.rewrite(&mut og);
                }
                // `images` is keyed by the URL the card shows (proxied when the proxy is on).
                let shown: Vec<String> = og.image_urls().map(str::to_owned).collect();
                for (key, original) in shown.into_iter().zip(&originals) {
                    add_image(key, original);
                }
                json!({"type": "opengraph", "url": first, "data": og})
            }
            Found::Image(_) => {
                add_image(first.clone(), first);
                json!({"type": "image", "url": first})
            }
            Found::Nothing => json!({"type": "link", "url": first}),
        };
        (Some(embed), images)
    }
}

/// What is known of each (link, hour) so far.
#[derive(Default)]
struct Known(BTreeMap<(String, i64), Found>);

impl Known {
    fn get(&self, url: &str, hour: i64) -> &Found {
        self.0
            .get(&(url.to_owned(), hour))
            .unwrap_or(&Found::Nothing)
    }

    /// Reads the saved rows of `links` in one query, then (when allowed) fetches and saves
    /// the missing ones, all within one deadline.
    async fn learn(
        &mut self,
        app: &App,
        links: &[(String, i64)],
        lookup: Lookup,
        timeout: Duration,
    ) -> AppResult<()> {
        let mut wanted: Vec<(String, i64)> = links
            .iter()
            .filter(|l| !self.0.contains_key(*l))
            .cloned()
            .collect();
        wanted.sort();
        wanted.dedup();
        for row in store::get_many(&app.store, &wanted).await? {
            self.0
                .insert((row.url.clone(), row.timestamp), Found::from_row(&row));
        }
        if lookup == Lookup::Saved {
            return Ok(());
        }
        let deadline = Instant::now() + timeout;
        for (url, hour) in wanted {
            if self.0.contains_key(&(url.clone(), hour)) {
                continue;
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            let found = fetch(app, &url, remaining).await;
            store::save(&app.store, &found.to_row(&url, hour)).await?;
            self.0.insert((url, hour), found);
        }
        Ok(())
    }
}

impl Found {
    fn from_row(row: &LinkMetadata) -> Found {
        let parsed = match row.kind.as_str() {
            store::TYPE_OPENGRAPH => serde_json::from_value(row.data.clone())
                .ok()
                .map(|og| Found::Page(Box::new(og))),
            store::TYPE_IMAGE => serde_json::from_value(row.data.clone())
                .ok()
                .map(Found::Image),
            _ => None,
        };
        parsed.unwrap_or(Found::Nothing)
    }

    fn to_row(&self, url: &str, hour: i64) -> LinkMetadata {
        let (kind, data) = match self {
            Found::Page(og) => (store::TYPE_OPENGRAPH, json!(og)),
            Found::Image(info) => (store::TYPE_IMAGE, json!(info)),
            Found::Nothing => (store::TYPE_NONE, Value::Null),
        };
        LinkMetadata {
            url: url.to_owned(),
            timestamp: hour,
            kind: kind.to_owned(),
            data,
        }
    }
}

fn link_timeout(app: &App) -> Duration {
    let millis = app
        .config()
        .experimental_settings
        .link_metadata_timeout_milliseconds;
    Duration::from_millis(u64::try_from(millis).unwrap_or(0))
}

/// Fetches what `url` points at (`getLinkMetadataForURL`). Any failure, a refused address
/// among them, means there is nothing to preview; it is logged, not returned.
async fn fetch(app: &App, url: &str, timeout: Duration) -> Found {
    let restricted = app.config().service_settings.restrict_link_previews.clone();
    let may_follow = |next: &Url| allowed_for_preview(next.as_str(), &restricted);
    let request = Request {
        url,
        accept: ACCEPT,
        timeout,
        may_follow: &may_follow,
    };
    match fetch_found(app, &request).await {
        Ok(found) => found,
        Err(e) => {
            tracing::debug!(url, error = %e, "no link preview");
            Found::Nothing
        }
    }
}

async fn fetch_found(app: &App, request: &Request<'_>) -> Result<Found, outgoing::FetchError> {
    let opened = outgoing::open(app, request).await?;
    if !opened.status().is_success() {
        return Ok(Found::Nothing);
    }
    let content_type = opened.content_type();
    let page = opened.url.clone();
    if content_type == "image/svg+xml" {
        // Mattermost shows no preview of an SVG (MM-67372).
        return Ok(Found::Nothing);
    }
    if content_type.starts_with("image/") {
        let bytes = opened.read_prefix(MAX_PROBED_IMAGE_BYTES).await?;
        return Ok(probe(&bytes).map_or(Found::Nothing, Found::Image));
    }
    if content_type.starts_with("text/html") || content_type.is_empty() {
        let bytes = opened.read_prefix(MAX_PAGE_BYTES).await?;
        if content_type.is_empty() {
            if let Some(info) = probe(&bytes) {
                return Ok(Found::Image(info));
            }
        }
        let html = String::from_utf8_lossy(&bytes);
        return Ok(OpenGraph::parse(&html, &page, request.url)
            .map_or(Found::Nothing, |og| Found::Page(Box::new(og))));
    }
    Ok(Found::Nothing)
}

/// `POST /opengraph` (`GetOpenGraphMetadata`): the page's tags, from `linkmetadata` when
/// this hour already fetched them; empty ones when the page has none or cannot be fetched.
pub async fn opengraph_for(app: &App, url: &str) -> AppResult<OpenGraph> {
    let link = (url.to_owned(), hour_of(now_millis()));
    let mut known = Known::default();
    known
        .learn(
            app,
            std::slice::from_ref(&link),
            Lookup::FetchMissing,
            link_timeout(app),
        )
        .await?;
    let Found::Page(og) = known.get(&link.0, link.1) else {
        return Ok(OpenGraph::default());
    };
    let mut og = OpenGraph::clone(og);
    if let Some(proxy) = ImageProxy::of(app) {
        proxy.rewrite(&mut og);
    }
    Ok(og)
}
