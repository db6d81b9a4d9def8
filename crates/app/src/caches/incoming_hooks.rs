//! Live incoming webhooks by id: every post through `/hooks/{id}` reads its hook.
//!
//! A hook changes only through `webhooks::incoming::update` and `delete`, which publish
//! `IncomingWebhookChanged`; that drops it on every node.

use super::bounded::Bounded;
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::webhook::IncomingWebhook;

/// Hooks kept at most.
pub(super) const CAPACITY: usize = 10_000;

pub(crate) type IncomingHooks = Bounded<String, Arc<IncomingWebhook>>;

/// The live hook, or None when there is none (deleted, or never made).
pub async fn get(app: &App, hook_id: &str) -> AppResult<Option<Arc<IncomingWebhook>>> {
    let load = async {
        let hook = utmost_store::webhooks::get_incoming(&app.store, hook_id).await?;
        AppResult::Ok(hook.map(Arc::new))
    };
    app.caches
        .incoming_hooks
        .get_or_load_found(hook_id.to_string(), load)
        .await
}
