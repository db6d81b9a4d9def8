//! Action cookies (`AddPostActionCookies`, `DecryptPostActionCookie`). An ephemeral post is
//! never stored, so a click on one of its buttons cannot find the action's integration in
//! the database: each action carries it in a `cookie`, sealed with AES-256-GCM under the
//! cluster's `PostActionCookieSecret`, which the client sends back with the click. The layout
//! is Mattermost's (base64 of nonce and sealed JSON; the key in `systems` as `{"key": base64}`),
//! so a Mattermost database's secret and cookies keep working.

use super::{actions_mut, ATTACHMENTS};
use crate::{App, AppResult};
use data_encoding::BASE64;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::Value;
use utmost_model::integration_action::PostActionCookie;
use utmost_model::post::Post;
use utmost_model::AppError;

/// Mattermost's `SystemPostActionCookieSecretKey`.
const SECRET_ROW: &str = "PostActionCookieSecret";

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredSecret {
    key: String,
}

/// The cluster's cookie key, made on first use (the first node to store one wins).
async fn key(app: &App) -> AppResult<LessSafeKey> {
    let mut fresh = [0u8; 32];
    SystemRandom::new()
        .fill(&mut fresh)
        .map_err(|_| AppError::internal("app.post_action_cookie.secret", "no randomness"))?;
    let made = serde_json::to_string(&StoredSecret {
        key: BASE64.encode(&fresh),
    })
    .map_err(|e| AppError::internal("app.post_action_cookie.secret", e))?;
    utmost_store::systems::insert_if_absent(&app.store, SECRET_ROW, &made).await?;
    let stored = utmost_store::systems::get(&app.store, SECRET_ROW)
        .await?
        .unwrap_or(made);
    let bytes = serde_json::from_str::<StoredSecret>(&stored)
        .ok()
        .and_then(|s| BASE64.decode(s.key.as_bytes()).ok())
        .ok_or_else(|| AppError::internal("app.post_action_cookie.secret", "unreadable secret"))?;
    let unbound = UnboundKey::new(&AES_256_GCM, &bytes)
        .map_err(|_| AppError::internal("app.post_action_cookie.secret", "not a 32-byte key"))?;
    Ok(LessSafeKey::new(unbound))
}

fn seal(key: &LessSafeKey, plain: &[u8]) -> Option<String> {
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new().fill(&mut nonce).ok()?;
    let mut sealed = plain.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::empty(),
        &mut sealed,
    )
    .ok()?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Some(BASE64.encode(&out))
}

fn open(key: &LessSafeKey, encoded: &str) -> Option<Vec<u8>> {
    let bytes = BASE64.decode(encoded.as_bytes()).ok()?;
    if bytes.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut sealed = sealed.to_vec();
    let plain = key.open_in_place(nonce, Aad::empty(), &mut sealed).ok()?;
    Some(plain.to_vec())
}

/// The cookie a click sent, or 400 `api.post.do_action.action_integration.app_error` when it
/// was not sealed here or was altered.
pub async fn decrypt(app: &App, encoded: &str) -> AppResult<PostActionCookie> {
    let plain = open(&key(app).await?, encoded)
        .ok_or_else(|| super::integration_error("the action cookie cannot be read"))?;
    serde_json::from_slice(&plain)
        .map_err(|_| super::integration_error("the action cookie cannot be read"))
}

/// The post with a sealed cookie on each of its attachments' actions (for an ephemeral post,
/// which the server will not find again). A post without actions costs no key read.
pub async fn add_to_post(app: &App, post: &mut Post) -> AppResult<()> {
    let has_actions = post.props.get(ATTACHMENTS).is_some_and(|a| {
        a.as_array()
            .is_some_and(|a| a.iter().any(|att| att.get("actions").is_some()))
    });
    if !has_actions {
        return Ok(());
    }
    let key = key(app).await?;
    let (retain_props, remove_props) = super::retained_props(post);
    let root_post_id = super::thread_root(post);
    let (post_id, channel_id) = (post.id.clone(), post.channel_id.clone());
    for action in actions_mut(&mut post.props) {
        let field = |name: &str| {
            action
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let cookie = PostActionCookie {
            action_type: field("type"),
            post_id: post_id.clone(),
            root_post_id: root_post_id.clone(),
            channel_id: channel_id.clone(),
            data_source: field("data_source"),
            integration: action
                .get("integration")
                .and_then(|i| serde_json::from_value(i.clone()).ok()),
            retain_props: retain_props.clone(),
            remove_props: remove_props.clone(),
        };
        let sealed = serde_json::to_vec(&cookie)
            .ok()
            .and_then(|plain| seal(&key, &plain));
        if let (Some(sealed), Some(action)) = (sealed, action.as_object_mut()) {
            action.insert("cookie".into(), Value::String(sealed));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_cookie_opens_with_its_key_only() {
        let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &[7u8; 32]).unwrap());
        let sealed = seal(&key, b"{\"post_id\":\"p\"}").unwrap();
        assert_eq!(open(&key, &sealed).unwrap(), b"{\"post_id\":\"p\"}");
        let other = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &[8u8; 32]).unwrap());
        assert!(open(&other, &sealed).is_none());
        let mut altered = BASE64.decode(sealed.as_bytes()).unwrap();
        *altered.last_mut().unwrap() ^= 1;
        assert!(open(&key, &BASE64.encode(&altered)).is_none());
        assert!(open(&key, "short").is_none());
    }
}
