//! The local image proxy (`ImageProxySettings`, Mattermost's `imageproxy` local backend):
//! clients load posts' external images through `/api/v4/image`, so other sites never see
//! who reads them, and the server fetches them through `outgoing` like any other fetch.

use super::OpenGraph;
use crate::outgoing::{self, FetchError, Opened, Request};
use crate::{App, AppResult};
use std::time::Duration;
use url::Url;
use utmost_model::AppError;

/// `ImageProxyTypeLocal`; the only type Utmost serves.
pub const IMAGE_PROXY_LOCAL: &str = "local";
/// The most of one image the proxy passes on (Mattermost's `maxImageSize`).
pub const MAX_PROXIED_IMAGE_BYTES: usize = 50 << 20;
/// One image, redirects and body included (Mattermost's outgoing request timeout).
const IMAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// What the proxy asks for and passes on.
const ACCEPT: &str = "image/*";
const ERROR_ID: &str = "api.image.get.app_error";

/// The local image proxy's address for images, when it is on (`GetProxiedImageURL`).
pub struct ImageProxy {
    site_url: String,
}

impl ImageProxy {
    pub fn of(app: &App) -> Option<ImageProxy> {
        let config = app.config();
        let settings = &config.image_proxy_settings;
        (settings.enable && settings.image_proxy_type == IMAGE_PROXY_LOCAL).then(|| ImageProxy {
            site_url: config
                .service_settings
                .site_url
                .trim_end_matches('/')
                .to_owned(),
        })
    }

    /// `/api/v4/image?url=…` for an image elsewhere; the server's own images as they are.
    pub fn url_for(&self, image: &str) -> String {
        let image_host = Url::parse(image).ok().and_then(|u| authority(&u));
        if image_host.is_none() || image_host == site_authority(&self.site_url) {
            return image.to_owned();
        }
        let escaped: String = url::form_urlencoded::byte_serialize(image.as_bytes()).collect();
        format!("{}/api/v4/image?url={escaped}", self.site_url)
    }
}

impl ImageProxy {
    /// A card's images through the proxy: the secure URL becomes the proxied one and the
    /// plain one is emptied (`openGraphDataWithProxyAddedToImageURLs`).
    pub fn rewrite(&self, og: &mut OpenGraph) {
        for image in og.images.iter_mut().flatten() {
            let original = if image.secure_url.is_empty() {
                &image.url
            } else {
                &image.secure_url
            };
            image.secure_url = self.url_for(original);
            image.url = String::new();
        }
    }
}

/// What `/api/v4/image` answers.
pub enum ImageAnswer {
    /// The proxy is off, or the image is the server's own: the client fetches it (302).
    Redirect(String),
    /// The image, its body still to be streamed (at most `MAX_PROXIED_IMAGE_BYTES`).
    Proxied(Box<Opened>),
}

/// `getImage`: a relative URL is taken as the site's; with the proxy on, anything else is
/// fetched here, and only an image (not SVG) is passed on.
pub async fn get_image(app: &App, raw: &str) -> AppResult<ImageAnswer> {
    let bad = || AppError::bad_request(ERROR_ID, "The image URL is not valid.");
    let site_url = app.config().service_settings.site_url.clone();
    let target = match Url::parse(raw) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => Url::parse(&site_url)
            .and_then(|site| site.join(raw))
            .map_err(|_| bad())?,
        Err(_) => return Err(bad()),
    };
    if !matches!(target.scheme(), "http" | "https") {
        return Err(bad());
    }
    if ImageProxy::of(app).is_none() || authority(&target) == site_authority(&site_url) {
        return Ok(ImageAnswer::Redirect(target.to_string()));
    }
    let request = Request {
        url: target.as_str(),
        accept: ACCEPT,
        timeout: IMAGE_TIMEOUT,
        may_follow: &|_| true,
    };
    let opened = outgoing::open(app, &request)
        .await
        .map_err(|e| fetch_refusal(&target, e))?;
    let status = opened.status();
    if !status.is_success() {
        return Err(AppError::new(
            status.as_u16(),
            ERROR_ID,
            "The image could not be fetched.",
        ));
    }
    let content_type = opened.content_type();
    if !content_type.starts_with("image/") || content_type == "image/svg+xml" {
        return Err(not_allowed());
    }
    Ok(ImageAnswer::Proxied(Box::new(opened)))
}

/// Host and port, as Go's `URL.Host` compares them.
fn authority(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

fn site_authority(site_url: &str) -> Option<String> {
    Url::parse(site_url).ok().and_then(|u| authority(&u))
}

fn not_allowed() -> AppError {
    AppError::forbidden(ERROR_ID, "The requested URL is not allowed.")
}

/// The proxy's answer when the fetch itself failed: a refused destination is 403 and says
/// no more (the user learns nothing of the internal network), a timeout 504, the rest 500.
fn fetch_refusal(target: &Url, e: FetchError) -> AppError {
    tracing::info!(host = target.host_str().unwrap_or_default(), error = %e, "image proxy fetch failed");
    match e {
        FetchError::Refused(_) => not_allowed(),
        FetchError::BadUrl => AppError::bad_request(ERROR_ID, "The image URL is not valid."),
        FetchError::Timeout => AppError::new(504, ERROR_ID, "Fetching the image timed out."),
        e => AppError::new(500, ERROR_ID, "The image could not be fetched.")
            .with_detail(e.to_string()),
    }
}
