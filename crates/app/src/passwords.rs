//! Password hashing and policy. New hashes are argon2id; Mattermost's bcrypt hashes (up to
//! 10.x) and PBKDF2-SHA256 hashes (11.x) still verify, so accounts of a taken-over database
//! keep logging in. All hashing goes through [`Passwords`], which bounds how much runs at once.

mod argon;

use argon2::password_hash::PasswordHash;
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::sync::{OnceCell, Semaphore};
use utmost_config::PasswordSettings;
use utmost_model::AppError;

use crate::AppResult;

/// bcrypt's input limit, which Mattermost applies to every password.
pub const MAX_PASSWORD_LENGTH: usize = 72;

/// How many hashes may wait per running one before new ones are refused at once.
const QUEUED_PER_CORE: usize = 32;
/// The longest a hash waits for a core before the request is refused.
const MAX_WAIT: Duration = Duration::from_secs(5);

/// Every password hash and check of the server. An argon2 run takes about 19 MiB and a core
/// for tens of milliseconds, so a login flood left unbounded takes the machine's memory:
/// at most one run per core goes at once, a bounded number wait (each holding only its
/// request), and beyond that, or after waiting too long, a request is answered 503.
pub struct Passwords {
    running: Arc<Semaphore>,
    /// Running and waiting together.
    admitted: Arc<Semaphore>,
    max_wait: Duration,
    argon: Arc<argon::Memory>,
    /// The hash checked for logins naming no account, so that they cost what a wrong
    /// password costs and their timing does not tell which accounts exist.
    decoy: OnceCell<String>,
}

impl Passwords {
    /// `running` runs at once, `queued` more wait, each at most `max_wait`.
    pub fn new(running: usize, queued: usize, max_wait: Duration) -> Self {
        let running = running.max(1);
        Self {
            running: Arc::new(Semaphore::new(running)),
            admitted: Arc::new(Semaphore::new(running + queued)),
            max_wait,
            argon: Arc::default(),
            decoy: OnceCell::new(),
        }
    }

    /// One run per core of this machine.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores, cores * QUEUED_PER_CORE, MAX_WAIT)
    }

    /// Runs `work` on the blocking pool once a core is free. The permits move into the
    /// blocking task, so a request that gives up early still holds its core until the
    /// work is really done.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| busy())?;
        let running = tokio::time::timeout(self.max_wait, self.running.clone().acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|e| AppError::internal("app.user.hash_password.app_error", e))?;
        tokio::task::spawn_blocking(move || {
            let _permits = (admitted, running);
            work()
        })
        .await
        .map_err(|e| AppError::internal("app.user.hash_password.app_error", e))
    }

    /// Hashes `password` with argon2id.
    pub async fn hash(&self, password: &str) -> AppResult<String> {
        let (password, argon) = (password.to_string(), self.argon.clone());
        self.run(move || {
            argon
                .hash(&password)
                .map_err(|e| AppError::internal("app.user.hash_password.app_error", e))
        })
        .await?
    }

    /// True when `password` matches `stored` (argon2id, bcrypt or PBKDF2); false for an
    /// empty password or hash, or a hash in a format Utmost does not know.
    pub async fn verify(&self, password: &str, stored: &str) -> AppResult<bool> {
        if password.is_empty() || stored.is_empty() {
            return Ok(false);
        }
        let (password, stored) = (password.to_string(), stored.to_string());
        let argon = self.argon.clone();
        self.run(move || verify_blocking(&argon, &password, &stored))
            .await
    }

    /// Spends on a login that names no account the work a wrong password costs.
    pub async fn verify_decoy(&self, password: &str) -> AppResult<()> {
        let decoy = self
            .decoy
            .get_or_try_init(|| async { self.hash(&utmost_model::new_id()).await })
            .await?;
        self.verify(password, decoy).await.map(|_| ())
    }
}

/// The answer when the password work is saturated.
fn busy() -> AppError {
    AppError::new(
        503,
        "api.context.server_busy.app_error",
        "The server is busy. Please try again in a moment.",
    )
}

fn verify_blocking(argon: &argon::Memory, password: &str, stored: &str) -> bool {
    if stored.starts_with("$2a$") || stored.starts_with("$2b$") || stored.starts_with("$2y$") {
        return bcrypt::verify(password, stored).unwrap_or(false);
    }
    match PasswordHash::new(stored) {
        Ok(parsed) if parsed.algorithm.as_str().starts_with("argon2") => {
            argon.verify(password, &parsed)
        }
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
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn passwords() -> Passwords {
        Passwords::new(2, 8, Duration::from_secs(30))
    }

    #[tokio::test]
    async fn argon2_round_trip() {
        let p = passwords();
        let h = p.hash("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(p.verify("correct horse", &h).await.unwrap());
        assert!(!p.verify("wrong", &h).await.unwrap());
        assert!(!p.verify("", &h).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_permits_run_at_once_and_the_overflow_is_refused() {
        let p = Arc::new(Passwords::new(2, 6, Duration::from_secs(30)));
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        // The work blocks until the test lets it finish, so every request arrives while
        // the admitted ones are still held.
        let hold = Arc::new(tokio::sync::RwLock::new(()));
        let release = hold.write().await;
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (p, now, peak, hold) = (p.clone(), now.clone(), peak.clone(), hold.clone());
                tokio::spawn(async move {
                    p.run(move || {
                        let running = now.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(running, Ordering::SeqCst);
                        drop(hold.blocking_read());
                        now.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        // 2 running and 6 waiting are admitted; the other 12 are answered at once.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let finished = || tasks.iter().filter(|t| t.is_finished()).count();
        while finished() < 12 || now.load(Ordering::SeqCst) < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "the overflow was not refused"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(finished(), 12);
        drop(release);
        let mut refused = 0;
        for t in tasks {
            if let Err(e) = t.await.unwrap() {
                assert_eq!(e.status_code, 503);
                assert_eq!(e.id, "api.context.server_busy.app_error");
                refused += 1;
            }
        }
        assert_eq!(refused, 12);
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn hashing_and_checking_wait_for_a_free_core_no_longer_than_the_bound() {
        let p = Passwords::new(1, 4, Duration::from_millis(50));
        let held = p.running.clone().acquire_owned().await.unwrap();
        let e = p.hash("pw").await.unwrap_err();
        assert_eq!(e.status_code, 503);
        let e = p
            .verify("pw", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA")
            .await;
        assert_eq!(e.unwrap_err().status_code, 503);
        let e = p.verify_decoy("pw").await.unwrap_err();
        assert_eq!(e.status_code, 503);
        drop(held);
        let h = p.hash("pw").await.unwrap();
        assert!(p.verify("pw", &h).await.unwrap());
        p.verify_decoy("pw").await.unwrap();
    }

    #[tokio::test]
    async fn mattermost_bcrypt_hashes_verify() {
        let p = passwords();
        let h = bcrypt::hash("mattermost-pw", 4).unwrap();
        assert!(p.verify("mattermost-pw", &h).await.unwrap());
        assert!(!p.verify("other", &h).await.unwrap());
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
        let p = passwords();
        let salt = *b"0123456789abcdef";
        // Mattermost uses 600000 rounds; fewer keep the unoptimised test build quick, and the
        // round count is read from the hash either way.
        let h = mattermost_pbkdf2("mattermost-11-pw", &salt, 2000);
        assert!(h.starts_with("$pbkdf2$f=SHA256,w=2000,l=32$MDEyMzQ1Njc4OWFiY2RlZg$"));
        assert!(p.verify("mattermost-11-pw", &h).await.unwrap());
        assert!(!p.verify("mattermost-11-PW", &h).await.unwrap());
        let other_prf = h.replace("f=SHA256", "f=SHA512");
        assert!(!p.verify("mattermost-11-pw", &other_prf).await.unwrap());
        let fewer_rounds = mattermost_pbkdf2("pw-with-few-rounds", &salt, 1000);
        assert!(p.verify("pw-with-few-rounds", &fewer_rounds).await.unwrap());
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
