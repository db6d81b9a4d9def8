//! MFA secrets at rest. Mattermost stores `mfasecret` as plain base32, so a copy of the
//! database is enough to mint codes; Utmost stores each new secret sealed with AES-256-GCM
//! under a key derived (HKDF-SHA256) from `SqlSettings.AtRestEncryptKey`, with the user's id
//! as associated data (a sealed secret moved to another row does not open). A plain base32
//! secret, as a Mattermost database holds it, is still read.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::hkdf::{Salt, HKDF_SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use utmost_model::AppError;

/// Marks a sealed secret; lower case and `:` never occur in base32, so the two forms cannot be
/// mistaken for each other.
const PREFIX: &str = "utmost-sealed:v1:";
const SALT: &[u8] = b"utmost at-rest encryption";
const INFO: &[u8] = b"users.mfasecret";

/// Why a stored secret gave no key bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealError {
    /// `SqlSettings.AtRestEncryptKey` is empty.
    NoKey,
    /// Sealed under another key, altered, or neither sealed nor base32.
    Unreadable,
    /// The system's random source failed (no nonce).
    NoRandomness,
}

impl From<SealError> for AppError {
    fn from(e: SealError) -> Self {
        let cause = match e {
            SealError::NoKey => "SqlSettings.AtRestEncryptKey is not set",
            SealError::NoRandomness => "the system's random source failed",
            SealError::Unreadable => {
                "the stored MFA secret cannot be read (was SqlSettings.AtRestEncryptKey changed?)"
            }
        };
        AppError::internal("mfa.secret.app_error", cause)
    }
}

fn key(at_rest_key: &str) -> Result<LessSafeKey, SealError> {
    if at_rest_key.is_empty() {
        return Err(SealError::NoKey);
    }
    let prk = Salt::new(HKDF_SHA256, SALT).extract(at_rest_key.as_bytes());
    let okm = prk
        .expand(&[INFO], &AES_256_GCM)
        .map_err(|_| SealError::NoKey)?;
    Ok(LessSafeKey::new(UnboundKey::from(okm)))
}

/// Seals `secret` for the row of `user_id`.
pub fn seal(at_rest_key: &str, user_id: &str, secret: &[u8]) -> Result<String, SealError> {
    let key = key(at_rest_key)?;
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| SealError::NoRandomness)?;
    let mut sealed = secret.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(user_id.as_bytes()),
        &mut sealed,
    )
    .map_err(|_| SealError::Unreadable)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(format!(
        "{PREFIX}{}",
        data_encoding::BASE64URL_NOPAD.encode(&out)
    ))
}

/// Whether `stored` is in Mattermost's plain form (to be sealed once used).
pub fn is_plain(stored: &str) -> bool {
    !stored.is_empty() && !stored.starts_with(PREFIX)
}

/// The secret's key bytes, from either form.
pub fn open(at_rest_key: &str, user_id: &str, stored: &str) -> Result<Vec<u8>, SealError> {
    let Some(encoded) = stored.strip_prefix(PREFIX) else {
        return data_encoding::BASE32_NOPAD
            .decode(stored.trim_end_matches('=').as_bytes())
            .map_err(|_| SealError::Unreadable);
    };
    let key = key(at_rest_key)?;
    let bytes = data_encoding::BASE64URL_NOPAD
        .decode(encoded.as_bytes())
        .map_err(|_| SealError::Unreadable)?;
    if bytes.len() < NONCE_LEN {
        return Err(SealError::Unreadable);
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Unreadable)?;
    let mut sealed = sealed.to_vec();
    let plain = key
        .open_in_place(nonce, Aad::from(user_id.as_bytes()), &mut sealed)
        .map_err(|_| SealError::Unreadable)?;
    Ok(plain.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_row() {
        let sealed = seal(KEY, "user1", b"twenty bytes secret!").unwrap();
        assert!(!is_plain(&sealed));
        assert!(
            sealed.len() <= 128,
            "fits Mattermost's varchar(128): {sealed}"
        );
        assert!(!sealed.contains("twenty"));
        assert_eq!(
            open(KEY, "user1", &sealed).unwrap(),
            b"twenty bytes secret!"
        );
        assert_eq!(open(KEY, "user2", &sealed), Err(SealError::Unreadable));
        let other = "fedcba9876543210fedcba9876543210";
        assert_eq!(open(other, "user1", &sealed), Err(SealError::Unreadable));
        assert_eq!(open("", "user1", &sealed), Err(SealError::NoKey));
        // Two seals of one secret differ (fresh nonce each time).
        assert_ne!(sealed, seal(KEY, "user1", b"twenty bytes secret!").unwrap());
    }

    #[test]
    fn a_mattermost_plain_base32_secret_is_read_as_it_is() {
        let plain = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        assert!(is_plain(&plain));
        assert_eq!(open("", "user1", &plain).unwrap(), b"12345678901234567890");
        assert_eq!(
            open(KEY, "user1", "not base32!"),
            Err(SealError::Unreadable)
        );
    }
}
