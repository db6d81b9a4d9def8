//! Password hashing and policy. New hashes are argon2id; Mattermost's bcrypt hashes (up to
//! 10.x) and PBKDF2-SHA256 hashes (11.x) still verify, so accounts of a taken-over database
//! keep logging in.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use utmost_config::PasswordSettings;
use utmost_model::AppError;

/// bcrypt's input limit, which Mattermost applies to every password.
pub const MAX_PASSWORD_LENGTH: usize = 72;

/// Hashes `password` with argon2id (CPU-heavy: runs on the blocking pool).
pub async fn hash(password: &str) -> Result<String, AppError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal("app.user.hash_password.app_error", e))
    })
    .await
    .map_err(|e| AppError::internal("app.user.hash_password.app_error", e))?
}

/// True when `password` matches `stored` (argon2id, bcrypt or PBKDF2); false for an empty
/// password or hash, or a hash in a format Utmost does not know.
pub async fn verify(password: &str, stored: &str) -> bool {
    if password.is_empty() || stored.is_empty() {
        return false;
    }
    let (password, stored) = (password.to_string(), stored.to_string());
    tokio::task::spawn_blocking(move || verify_blocking(&password, &stored))
        .await
        .unwrap_or(false)
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    if stored.starts_with("$2a$") || stored.starts_with("$2b$") || stored.starts_with("$2y$") {
        return bcrypt::verify(password, stored).unwrap_or(false);
    }
    match PasswordHash::new(stored) {
        Ok(parsed) if parsed.algorithm.as_str().starts_with("argon2") => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Ok(parsed) if parsed.algorithm.as_str() == "pbkdf2" => {
            verify_mattermost_pbkdf2(password, &parsed)
        }
        _ => false,
    }
}

/// Mattermost 11's PHC string `$pbkdf2$f=SHA256,w=<iterations>,l=<key bytes>$<salt>$<hash>`,
/// salt and hash in unpadded standard base64 (the PHC alphabet), the password used as is.
fn verify_mattermost_pbkdf2(password: &str, parsed: &PasswordHash<'_>) -> bool {
    let param = |name: &str| parsed.params.get_str(name);
    let rounds = param("w").and_then(|w| w.parse::<u32>().ok());
    let key_len = param("l").and_then(|l| l.parse::<usize>().ok());
    let (Some(rounds), Some(key_len), Some(salt), Some(expected)) =
        (rounds, key_len, parsed.salt, parsed.hash)
    else {
        return false;
    };
    if param("f") != Some("SHA256") || rounds == 0 || key_len != expected.len() {
        return false;
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut derived = vec![0u8; key_len];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, rounds, &mut derived);
    derived.ct_eq(expected.as_bytes()).into()
}

/// One PasswordSettings rule: whether it is on, its error-id suffix, its wording, its test.
type PolicyRule = (bool, &'static str, &'static str, fn(char) -> bool);

/// Checks PasswordSettings, with Mattermost's error ids
/// (`model.user.is_valid.pwd[_lowercase][_uppercase][_number][_symbol].app_error`).
pub fn check_policy(password: &str, policy: &PasswordSettings) -> Result<(), AppError> {
    if password.len() > MAX_PASSWORD_LENGTH {
        return Err(AppError::bad_request(
            "model.user.is_valid.pwd_max_length.app_error",
            format!("Your password must contain no more than {MAX_PASSWORD_LENGTH} characters."),
        ));
    }
    let min = usize::try_from(policy.minimum_length).unwrap_or(8);
    let mut ok = password.chars().count() >= min;
    let mut id = String::from("model.user.is_valid.pwd");
    let mut needs = Vec::new();
    let rules: [PolicyRule; 4] = [
        (policy.lowercase, "_lowercase", "a lowercase letter", |c| {
            c.is_lowercase()
        }),
        (policy.uppercase, "_uppercase", "an uppercase letter", |c| {
            c.is_uppercase()
        }),
        (policy.number, "_number", "a number", |c| c.is_ascii_digit()),
        (policy.symbol, "_symbol", "a symbol", |c| {
            c.is_ascii_punctuation() || c == ' '
        }),
    ];
    for (required, suffix, words, test) in rules {
        if required {
            id.push_str(suffix);
            needs.push(words);
            ok &= password.chars().any(test);
        }
    }
    if ok {
        return Ok(());
    }
    id.push_str(".app_error");
    let mut message = format!("Your password must contain at least {min} characters");
    if !needs.is_empty() {
        message.push_str(&format!(" and include {}", needs.join(", ")));
    }
    message.push('.');
    Err(AppError::bad_request(&id, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn argon2_round_trip() {
        let h = hash("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h).await);
        assert!(!verify("wrong", &h).await);
        assert!(!verify("", &h).await);
    }

    #[tokio::test]
    async fn mattermost_bcrypt_hashes_verify() {
        let h = bcrypt::hash("mattermost-pw", 4).unwrap();
        assert!(verify("mattermost-pw", &h).await);
        assert!(!verify("other", &h).await);
    }

    /// A hash laid out exactly as Mattermost 11's PBKDF2 hasher writes it.
    fn mattermost_pbkdf2(password: &str, salt: &[u8], rounds: u32) -> String {
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, rounds, &mut key);
        let b64 = |bytes: &[u8]| {
            argon2::password_hash::Output::new(bytes)
                .unwrap()
                .to_string()
        };
        format!(
            "$pbkdf2$f=SHA256,w={rounds},l=32${}${}",
            b64(salt),
            b64(&key)
        )
    }

    #[tokio::test]
    async fn mattermost_pbkdf2_hashes_verify() {
        let salt = *b"0123456789abcdef";
        // Mattermost uses 600000 rounds; fewer keep the unoptimised test build quick, and the
        // round count is read from the hash either way.
        let h = mattermost_pbkdf2("mattermost-11-pw", &salt, 2000);
        assert!(h.starts_with("$pbkdf2$f=SHA256,w=2000,l=32$MDEyMzQ1Njc4OWFiY2RlZg$"));
        assert!(verify("mattermost-11-pw", &h).await);
        assert!(!verify("mattermost-11-PW", &h).await);
        let other_prf = h.replace("f=SHA256", "f=SHA512");
        assert!(!verify("mattermost-11-pw", &other_prf).await);
        let fewer_rounds = mattermost_pbkdf2("pw-with-few-rounds", &salt, 1000);
        assert!(verify("pw-with-few-rounds", &fewer_rounds).await);
    }

    #[test]
    fn policy_errors_name_the_rules() {
        let mut p = PasswordSettings::default();
        assert!(check_policy("longenough", &p).is_ok());
        let e = check_policy("short", &p).unwrap_err();
        assert_eq!(e.id, "model.user.is_valid.pwd.app_error");
        p.uppercase = true;
        p.number = true;
        let e = check_policy("longenough", &p).unwrap_err();
        assert_eq!(e.id, "model.user.is_valid.pwd_uppercase_number.app_error");
        assert!(check_policy("Longenough1", &p).is_ok());
        let e = check_policy(&"x".repeat(73), &p).unwrap_err();
        assert_eq!(e.id, "model.user.is_valid.pwd_max_length.app_error");
    }
}
