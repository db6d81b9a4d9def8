//! `/emoji`: custom emoji (Mattermost's api4/emoji.go). Every route needs a session and no
//! more to read; creating and deleting need the emoji permissions.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{
    declared_length, decode, payload_error, sorted_ids, ApiPath, ApiQuery, Paging, RawBody,
};
use crate::{ApiResult, AppState};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use utmost_app::emoji::{self, prepare::MAX_EMOJI_FILE_SIZE, Match, Sort};
use utmost_app::errors::EmojiError;
use utmost_model::emoji::{Emoji, EmojiSearch, EMOJI_SORT_BY_NAME};
use utmost_model::reaction::is_valid_emoji_name;
use utmost_model::{is_valid_id, AppError};

/// `Cache-Control` of an emoji image, as Mattermost sends it.
const IMAGE_CACHE_CONTROL: &str = "max-age=2592000, private";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/emoji",
            post(create_emoji).layer(DefaultBodyLimit::max(MAX_EMOJI_FILE_SIZE)),
        )
        .route("/emoji", get(get_emoji_list))
        .route("/emoji/names", post(get_emojis_by_names))
        .route("/emoji/search", post(search_emojis))
        .route("/emoji/autocomplete", get(autocomplete_emojis))
        .route("/emoji/name/{emoji_name}", get(get_emoji_by_name))
        .route("/emoji/{emoji_id}", get(get_emoji).delete(delete_emoji))
        .route("/emoji/{emoji_id}/image", get(get_emoji_image))
}

/// `RequireEmojiId`.
fn emoji_id(id: String) -> ApiResult<String> {
    if is_valid_id(&id) {
        Ok(id)
    } else {
        Err(AppError::invalid_url_param("emoji_id").into())
    }
}

/// The `emoji` and `image` parts of a create request; other parts are read and dropped.
async fn read_form(mut form: Multipart) -> ApiResult<(Option<String>, Option<Vec<u8>>)> {
    let failed = |e: axum::extract::multipart::MultipartError| {
        AppError::from(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            EmojiError::TooLarge
        } else {
            EmojiError::Unparsable
        })
    };
    let (mut emoji, mut image) = (None, None);
    while let Some(field) = form.next_field().await.map_err(failed)? {
        match field.name() {
            Some("emoji") if emoji.is_none() => emoji = Some(field.text().await.map_err(failed)?),
            Some("image") if image.is_none() => {
                image = Some(field.bytes().await.map_err(failed)?.to_vec())
            }
            _ => {
                field.bytes().await.map_err(failed)?;
            }
        }
    }
    Ok((emoji, image))
}

async fn create_emoji(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Emoji>> {
    emoji::require_enabled(&app)?;
    if declared_length(&headers).is_some_and(|n| n > MAX_EMOJI_FILE_SIZE as u64) {
        return Err(AppError::from(EmojiError::TooLarge).into());
    }
    emoji::require_create(&app, &session).await?;
    let form = form.map_err(|_| AppError::from(EmojiError::Unparsable))?;
    let (emoji_json, image) = read_form(form).await?;
    let new: Emoji = emoji_json
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or_else(|| AppError::invalid_param("emoji"))?;
    Ok(Json(emoji::create(&app, &session, new, image).await?))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    #[serde(default)]
    sort: String,
}

async fn get_emoji_list(
    State(app): State<AppState>,
    Auth(_session): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<Emoji>>> {
    emoji::require_enabled(&app)?;
    let sort = match query.sort.as_str() {
        "" => Sort::Created,
        EMOJI_SORT_BY_NAME => Sort::Name,
        _ => return Err(AppError::invalid_url_param("sort").into()),
    };
    let (limit, offset) = query.paging.limit_offset();
    Ok(Json(emoji::list(&app, sort, limit, offset).await?))
}

async fn get_emojis_by_names(
    State(app): State<AppState>,
    Auth(_session): Auth,
    body: RawBody,
) -> ApiResult<Json<Vec<Emoji>>> {
    let names = sorted_ids(body).map_err(|_| payload_error())?;
    if names.is_empty() {
        return Err(AppError::invalid_param("names").into());
    }
    emoji::require_enabled(&app)?;
    if names.len() > emoji::MAX_NAMES {
        return Err(AppError::from(EmojiError::TooManyNames).into());
    }
    Ok(Json(emoji::get_by_names(&app, names).await?))
}

async fn search_emojis(
    State(app): State<AppState>,
    Auth(_session): Auth,
    body: RawBody,
) -> ApiResult<Json<Vec<Emoji>>> {
    let search: EmojiSearch = decode(body, || AppError::invalid_param("term"))?;
    if search.term.is_empty() {
        return Err(AppError::invalid_param("term").into());
    }
    let at = if search.prefix_only {
        Match::Prefix
    } else {
        Match::Anywhere
    };
    Ok(Json(
        emoji::search(&app, &search.term, at, emoji::SEARCH_LIMIT).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AutocompleteQuery {
    name: String,
}

async fn autocomplete_emojis(
    State(app): State<AppState>,
    Auth(_session): Auth,
    ApiQuery(query): ApiQuery<AutocompleteQuery>,
) -> ApiResult<Json<Vec<Emoji>>> {
    if query.name.is_empty() {
        return Err(AppError::invalid_url_param("name").into());
    }
    Ok(Json(
        emoji::search(&app, &query.name, Match::Prefix, emoji::AUTOCOMPLETE_LIMIT).await?,
    ))
}

async fn get_emoji(
    State(app): State<AppState>,
    Auth(_session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Emoji>> {
    let id = emoji_id(id)?;
    emoji::require_enabled(&app)?;
    Ok(Json(emoji::get(&app, &id).await?))
}

async fn get_emoji_by_name(
    State(app): State<AppState>,
    Auth(_session): Auth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<Emoji>> {
    if !is_valid_emoji_name(&name) {
        return Err(AppError::invalid_url_param("emoji_name").into());
    }
    emoji::require_enabled(&app)?;
    Ok(Json(emoji::get_by_name(&app, &name).await?))
}

async fn get_emoji_image(
    State(app): State<AppState>,
    Auth(_session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let id = emoji_id(id)?;
    emoji::require_enabled(&app)?;
    let (image, content_type) = emoji::image(&app, &id).await?;
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, IMAGE_CACHE_CONTROL),
        ],
        image,
    )
        .into_response())
}

/// Mattermost reads the emoji before any permission; here `delete_emojis`, which does not
/// depend on the emoji, comes first, and `delete_others_emojis` once the creator is known.
async fn delete_emoji(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let id = emoji_id(id)?;
    emoji::require_delete(&app, &session).await?;
    let found = emoji::get(&app, &id).await?;
    emoji::require_delete_this(&app, &session, &found).await?;
    emoji::delete(&app, found).await?;
    Ok(status_ok())
}
