//! Trigger ids: the short-lived proof that a user just ran a slash command or clicked an
//! interactive message's button, which an integration hands back to open a dialog
//! (Mattermost's `GenerateTriggerId` / `DecodeAndVerifyTriggerId`). The layout is
//! Mattermost's: base64 of `client_trigger_id:user_id:millis:signature`. The signature is
//! an HMAC-SHA256 under a key every node reads from `systems`, instead of Mattermost's
//! ECDSA key, since only this cluster ever checks it.

use data_encoding::BASE64;
use ring::hmac;

use crate::{App, AppResult};
use utmost_model::AppError;

/// The `systems` row holding the key, made on first use.
const KEY_ROW: &str = "UtmostTriggerIdKey";
/// How long a trigger id opens a dialog (Mattermost's `InteractiveDialogTriggerTimeout`).
pub const TIMEOUT_MILLIS: i64 = 3_000;

async fn key(app: &App) -> AppResult<hmac::Key> {
    let made = format!("{}{}", utmost_model::new_id(), utmost_model::new_id());
    utmost_store::systems::insert_if_absent(&app.store, KEY_ROW, &made).await?;
    let secret = utmost_store::systems::get(&app.store, KEY_ROW)
        .await?
        .unwrap_or(made);
    Ok(hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes()))
}

/// A new trigger id for `user_id`: (client trigger id, trigger id).
pub async fn generate(app: &App, user_id: &str) -> AppResult<(String, String)> {
    let client_trigger_id = utmost_model::new_id();
    let data = format!(
        "{client_trigger_id}:{user_id}:{}:",
        utmost_model::now_millis()
    );
    let signature = hmac::sign(&key(app).await?, data.as_bytes());
    let trigger_id =
        BASE64.encode(format!("{data}{}", BASE64.encode(signature.as_ref())).as_bytes());
    Ok((client_trigger_id, trigger_id))
}

/// Checks a trigger id made here in the last [`TIMEOUT_MILLIS`]: (client trigger id, user id).
pub async fn verify(app: &App, trigger_id: &str) -> AppResult<(String, String)> {
    let bad = |id: &str| AppError::bad_request(id, "The trigger id is not valid.");
    let decoded = BASE64
        .decode(trigger_id.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| bad("interactive_message.decode_trigger_id.base64_decode_failed"))?;
    let parts: Vec<&str> = decoded.split(':').collect();
    let [client_trigger_id, user_id, millis, signature] = parts[..] else {
        return Err(bad("interactive_message.decode_trigger_id.missing_data"));
    };
    let millis: i64 = millis.parse().unwrap_or(0);
    if utmost_model::now_millis() - millis > TIMEOUT_MILLIS {
        return Err(AppError::bad_request(
            "interactive_message.decode_trigger_id.expired",
            "The trigger id has expired: open the dialog within 3 seconds.",
        ));
    }
    let signature = BASE64
        .decode(signature.as_bytes())
        .map_err(|_| bad("interactive_message.decode_trigger_id.base64_decode_failed"))?;
    let data = format!("{client_trigger_id}:{user_id}:{millis}:");
    hmac::verify(&key(app).await?, data.as_bytes(), &signature)
        .map_err(|_| bad("interactive_message.decode_trigger_id.verify_signature_failed"))?;
    Ok((client_trigger_id.to_owned(), user_id.to_owned()))
}
